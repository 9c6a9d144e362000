"""User-installable read commands: a member who added the app to their account reads the
global briefings in DMs, group DMs and servers without the bot; nothing else is offered."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.client import BriefingBot
from briefings.app import build_core
from briefings.models import PackFile
from briefings.store import CardStore, load_pack
from tests.bot.support import TOKEN, make_settings
from tests.briefings.sample import sample_pack_data
from tests.discord_standin.fixtures import ALICE_ID, GUILD_ID, run_bot
from tests.discord_standin.installs import (
    BOT_DM,
    GUILD,
    PRIVATE_CHANNEL,
    NotOffered,
    user_installed_press,
    user_installed_slash,
)
from tests.discord_standin.server import DiscordStandIn

ELSEWHERE = 777_000  # a server the bot is not in (it was, once: its briefing is stored)
SHIPPED = "What Does Regime Change in Syria Mean for Russian-Turkish Relations?"
TOLLS = "Who charges tolls on the mountain pass?"


async def guild_pack(store: CardStore, guild_id: int, slug: str) -> None:
    data = sample_pack_data(slug=slug, cards=2)
    for section in ("actors", "events", "leverage", "cards"):
        for record in data[section]:
            record["guild_id"] = guild_id
    await load_pack(store, PackFile.model_validate(data))


@pytest.fixture
async def bot(
    standin: DiscordStandIn, bot_store: CardStore, tmp_path: Path
) -> AsyncIterator[BriefingBot]:
    await guild_pack(bot_store, ELSEWHERE, "elsewhere-pass")
    await guild_pack(bot_store, GUILD_ID, "here-pass")
    client = BriefingBot(settings=make_settings(tmp_path), core=build_core(bot_store))
    async with run_bot(client, standin, token=TOKEN, sync=True) as running:
        yield running


@pytest.mark.parametrize("context", [BOT_DM, PRIVATE_CHANNEL, GUILD])
async def test_read_commands_answer_a_members_own_install_everywhere(
    bot: BriefingBot, standin: DiscordStandIn, context: int
) -> None:
    where = {"guild_id": ELSEWHERE} if context == GUILD else {}
    overview = await user_installed_slash(
        standin, "briefing", user=ALICE_ID, context=context, **where
    )
    assert SHIPPED in overview.text
    actor = await user_installed_slash(
        standin, "actor", user=ALICE_ID, context=context, options={"name": "Erdoğan"}, **where
    )
    assert "Erdoğan" in actor.text
    standin.assert_clean()


async def test_a_server_without_the_bot_reads_the_global_briefings_only(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    here = await standin.slash("ask", question=TOLLS)  # the bot's own server: its briefing
    assert "Northland" in here.text
    there = await user_installed_slash(
        standin, "ask", user=ALICE_ID, context=GUILD, guild_id=ELSEWHERE,
        options={"question": TOLLS},
    )  # fmt: skip
    assert there.text and "Northland" not in there.text  # that server's own: not from here
    standin.assert_clean()


async def test_a_press_under_a_user_installed_answer_keeps_no_gap_for_that_server(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    """Buttons under a user-installed reply read globally, as their command did: a 👎 in a
    server without the bot keeps nothing for that server's editors."""
    there = await user_installed_slash(
        standin, "ask", user=ALICE_ID, context=GUILD, guild_id=ELSEWHERE,
        options={"question": "What did Turkey gain in the Black Sea?"},
    )  # fmt: skip
    thanks = await user_installed_press(standin, there, "👎", user=ALICE_ID, guild_id=ELSEWHERE)
    assert thanks.text
    assert await bot.core.gaps.listed(guild_id=ELSEWHERE) == []
    standin.assert_clean()


@pytest.mark.parametrize("command", ["card", "subscribe", "subscriptions", "mydata"])
@pytest.mark.parametrize("context", [BOT_DM, PRIVATE_CHANNEL, GUILD])
async def test_admin_and_subscription_commands_are_not_offered_to_user_installs(
    bot: BriefingBot, standin: DiscordStandIn, command: str, context: int
) -> None:
    where = {"guild_id": ELSEWHERE} if context == GUILD else {}
    with pytest.raises(NotOffered):
        await user_installed_slash(standin, command, user=ALICE_ID, context=context, **where)
