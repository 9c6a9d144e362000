"""Buttons and menus from a previous bot process keep working after a restart."""

from __future__ import annotations

from pathlib import Path

from bot.client import BriefingBot
from briefings.app import build_core
from briefings.store import CardStore
from tests.bot.support import FORM, TOKEN, card_command, make_settings
from tests.discord_standin.fixtures import BOB_ID, run_bot
from tests.discord_standin.server import DiscordStandIn


def new_bot(store: CardStore, tmp_path: Path) -> BriefingBot:
    return BriefingBot(settings=make_settings(tmp_path), core=build_core(store))


async def test_pages_menus_and_the_map_work_after_a_restart(
    bot: BriefingBot, standin: DiscordStandIn, bot_store: CardStore, tmp_path: Path
) -> None:
    overview = await standin.slash("briefing")
    actor = await standin.slash("actor", name="the Kremlin")
    timeline = await standin.slash("timeline")
    await bot.close()  # the first process is gone; its messages stay
    async with run_bot(new_bot(bot_store, tmp_path), standin, token=TOKEN, sync=False):
        moved = await standin.press(overview, "Next")
        assert moved.latest().embeds[0]["title"].startswith("1.")
        menu = overview.latest().select_menu()
        opened = await standin.select(overview.latest(), menu["custom_id"], ["5"])
        assert opened.latest().embeds[0]["title"].startswith("5.")
        await standin.press(actor, "Next")
        assert actor.latest().embeds[0]["footer"]["text"].split(" · ")[-1].startswith("Page 2/")
        await standin.press(actor.latest(), "Actor map")
        shown = actor.latest()
        assert shown.files and shown.embeds[0]["image"]["url"].startswith("attachment://")
        await standin.press(timeline, "Next")
        assert timeline.latest().embeds[0]["footer"]["text"].split(" · ")[-1].startswith("Page 2/")
        # the owner check survives too: Bob cannot page Alice's message
        stranger = await standin.press(overview.latest(), "Next", user=BOB_ID)
        assert stranger.ephemeral and "Run the command yourself" in stranger.content
        assert overview.latest().embeds[0]["title"].startswith("5.")
    standin.assert_clean()


async def test_a_confirm_step_from_before_a_restart_says_it_expired(
    bot: BriefingBot, standin: DiscordStandIn, bot_store: CardStore, tmp_path: Path
) -> None:
    opened = await card_command(standin, "add", user=BOB_ID)
    preview = await standin.submit_modal(opened.modal["custom_id"], FORM, user=BOB_ID)
    await bot.close()
    async with run_bot(new_bot(bot_store, tmp_path), standin, token=TOKEN, sync=False):
        late = await standin.press(preview, "Publish", user=BOB_ID)
        assert late.ephemeral and "expired" in late.content
    standin.assert_clean()
