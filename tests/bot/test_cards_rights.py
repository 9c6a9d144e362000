"""/card hardening: rights re-checked on every press and submit, buttons that always answer,
autocomplete for editors only, DMs refused before any form, a per-server import budget."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import yaml

from bot import limits
from bot.client import BriefingBot
from briefings.app import build_core
from briefings.store import CardStore
from tests.bot.support import FORM, TOKEN, card_command, card_id, make_settings
from tests.discord_standin.fixtures import ALICE_ID, BOB_ID, GUILD_ID, run_bot
from tests.discord_standin.server import DiscordStandIn

NEEDS_RIGHTS = "you need the **Manage Server** permission or an editor role"


def take_away_rights(standin: DiscordStandIn, user: int = BOB_ID) -> None:
    """An admin removes the member's Moderator role (Manage Server) meanwhile."""
    standin.guilds[GUILD_ID].members[user].roles = []


async def preview(standin: DiscordStandIn, **form: str) -> object:
    await card_command(standin, "add", user=BOB_ID)
    return await standin.submit_modal("card-form:new", {**FORM, **form}, user=BOB_ID)


async def saved_versions(bot: BriefingBot, title: str = FORM["title"]) -> list[int]:
    cards = await bot.core.editor.store.cards(guild_id=GUILD_ID, statuses=["draft", "published"])
    return [c.version for c in cards if c.title == title]


async def test_publish_on_an_old_preview_is_refused_once_rights_are_gone(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    shown = await preview(standin)
    take_away_rights(standin)
    pressed = await standin.click(shown, shown.button("Publish")["custom_id"], user=BOB_ID)
    assert pressed.ephemeral and NEEDS_RIGHTS in pressed.content
    assert await saved_versions(bot) == []  # nothing was saved


async def test_import_on_an_old_dry_run_is_refused_once_rights_are_gone(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    exported = await card_command(standin, "export", user=BOB_ID, include_shipped=True)
    data = exported.files[0].data.replace(b"id: energy-turkstream", b"id: g111-copy", 1)
    plan = await card_command(standin, "import", user=BOB_ID, file=("p.yaml", data))
    assert "Will add (1)" in plan.text
    take_away_rights(standin)
    pressed = await standin.click(plan, plan.button("Import")["custom_id"], user=BOB_ID)
    assert NEEDS_RIGHTS in pressed.content
    assert await bot.core.editor.store.card("g111-copy", guild_id=GUILD_ID) is None


async def test_an_open_edit_form_is_refused_on_submit_once_rights_are_gone(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    shown = await preview(standin)
    await standin.click(shown, shown.button("Publish")["custom_id"], user=BOB_ID)
    cid = await card_id(bot, FORM["title"])
    form = await card_command(standin, "edit", user=BOB_ID, card=cid)
    take_away_rights(standin)
    submitted = await standin.submit_modal(
        form.modal["custom_id"], {**FORM, "summary": "Rewritten after losing rights."}
    )
    assert submitted.ephemeral and NEEDS_RIGHTS in submitted.content
    card = await bot.core.editor.store.card(cid, guild_id=GUILD_ID)
    assert card is not None and card.summary == FORM["summary"] and card.version == 1


async def test_a_double_press_is_answered_and_decides_once(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    shown = await preview(standin)
    publish = shown.button("Publish")["custom_id"]
    first, second = await asyncio.gather(
        standin.click(shown, publish, user=BOB_ID), standin.click(shown, publish, user=BOB_ID)
    )
    answers = sorted([first.latest().content, second.content])
    assert "Published" in answers[0] or "Published" in answers[1]
    assert any("already decided: **Publish**" in a for a in answers)
    assert await saved_versions(bot) == [1]  # saved once, not twice


async def test_another_member_pressing_is_answered_privately(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    shown = await preview(standin)
    stranger = await standin.click(shown, shown.button("Publish")["custom_id"], user=ALICE_ID)
    assert stranger.ephemeral and "belong to bob's command" in stranger.content
    assert await saved_versions(bot) == []


async def test_card_autocomplete_offers_nothing_to_members_without_rights(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    shown = await preview(standin, title="A secret draft")
    await standin.click(shown, shown.button("Save as draft")["custom_id"], user=BOB_ID)
    editors = await standin.autocomplete("card", "card", "secret", subcommand="edit", user=BOB_ID)
    assert [c["name"] for c in editors] == ["A secret draft [draft]"]
    others = await standin.autocomplete("card", "card", "", subcommand="edit", user=ALICE_ID)
    assert others == []


async def test_section_autocomplete_with_an_unknown_pack_is_empty_not_an_error(
    bot: BriefingBot, standin: DiscordStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        choices = await standin.autocomplete(
            "briefing", "section", "", options={"briefing": "no-such-pack"}
        )
        known = await standin.autocomplete("briefing", "section", "")
    assert choices == [] and known  # the first pack still offers its sections
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


async def test_a_server_may_check_only_so_many_files_a_minute(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    for _ in range(limits.IMPORT_DRY_RUNS):
        checked = await card_command(standin, "import", user=BOB_ID, file=("p.yaml", b"[]"))
        assert "must be a mapping" in checked.text
    refused = await card_command(standin, "import", user=BOB_ID, file=("p.yaml", b"[]"))
    assert refused.ephemeral and "the most allowed. Try again in " in refused.content
    seconds = int(refused.content.rsplit("Try again in ", 1)[1].split()[0])
    assert 0 < seconds <= limits.IMPORT_WINDOW_S


OWNER = 9009


@pytest.fixture
async def owner_bot(
    standin: DiscordStandIn, bot_store: CardStore, tmp_path: Path
) -> AsyncIterator[BriefingBot]:
    standin.make_user(OWNER, "owner")
    settings = make_settings(tmp_path, owner_ids=[OWNER])
    client = BriefingBot(settings=settings, core=build_core(bot_store))
    async with run_bot(client, standin, token=TOKEN, sync=False) as running:
        yield running


async def test_an_owner_in_a_dm_is_refused_before_any_form_opens(
    owner_bot: BriefingBot, standin: DiscordStandIn
) -> None:
    for sub in ("add", "export"):
        reply = await standin.slash("card", subcommand=sub, user=OWNER, dm=True)
        assert reply.modal is None and reply.callback_type == 4
        assert reply.ephemeral and "card commands work in a server" in reply.content
    in_guild = await card_command(standin, "add", user=OWNER)  # still welcome in a server
    assert in_guild.modal is not None


async def test_tens_of_thousands_of_problems_are_counted_not_all_listed(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    exported = await card_command(standin, "export", user=BOB_ID, include_shipped=True)
    data = yaml.safe_load(exported.files[0].data)
    card = {"pack": data["pack"]["slug"], "section": 1, "title": "T", "summary": "S"}
    data = {"pack": data["pack"], "cards": [
        {**card, "id": f"g111-bad-{i}", "tags": ["X"] * 100} for i in range(500)
    ]}  # fmt: skip
    reply = await card_command(
        standin, "import", user=BOB_ID, file=("p.json", json.dumps(data).encode())
    )
    text = reply.text
    assert "50,000 problems found" in text
    assert "**card 1 (g111-bad-0)** · `tags.0`: String should match pattern" in text
    # 200 problems listed (five pages, then "… and 49,800 more"), not 50,000 (~1,000 pages)
    assert reply.embeds[0]["footer"]["text"].endswith("Page 1/5")
