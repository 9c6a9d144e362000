"""/briefing-admin end to end: an editor writes a briefing in two forms, adds and edits a
card with key points and quotes, publishes it; others are refused at every step; another
server never sees it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.client import BriefingBot
from briefings.app import build_core
from briefings.store import CardStore
from tests.bot.support import (
    DAVE,
    EDITOR_ROLE,
    FORM,
    OTHER_CHANNEL,
    OTHER_GUILD,
    TOKEN,
    card_command,
    card_id,
    make_settings,
)
from tests.discord_standin.constants import Permission
from tests.discord_standin.fixtures import ALICE_ID, BOB_ID, run_bot
from tests.discord_standin.server import DiscordStandIn

BASICS = {
    "title": "Qatar's grain corridor and the Black Sea",
    "author": "Jane Analyst",
    "publisher": "The Gulf Review",
    "published": "3 March 2025",
    "source_url": "https://example.org/2025/03/qatar-grain-corridor",
}
MORE = {
    "original_publisher": "Doha Papers",
    "bottom_line": "Qatar, not Moscow, now brokers grain through the Black Sea.",
    "pivot": "the corridor deal",
}
POINTS = {
    "bottom_line": "Qatar brokers the corridor.",
    "key_points": "Qatar brokers the corridor\nMoscow loses its say [judgement]",
    "quotes": '"a corridor of our own" — a Qatari diplomat',
    "certainty": ["fact"],
}


async def admin(standin: DiscordStandIn, sub: str, *, user: int, **options: Any) -> Any:
    return await standin.slash("briefing-admin", subcommand=sub, options=options, user=user)


def inputs(modal: dict[str, Any]) -> dict[str, Any]:
    return {c["component"]["custom_id"]: c["component"] for c in modal["components"]}


async def new_briefing(standin: DiscordStandIn, *, user: int = BOB_ID) -> Any:
    """Both forms, then Create draft; returns the created message."""
    opened = await admin(standin, "new", user=user)
    assert opened.modal is not None
    preview = await standin.submit_modal(opened.modal["custom_id"], BASICS, user=user)
    more = await standin.press(preview, "More details", user=user)
    shown = await standin.submit_modal(more.modal["custom_id"], MORE, user=user)
    return await standin.press(shown.latest(), "Create draft", user=user)


async def slug_of(bot: BriefingBot, guild_id: int, title: str) -> str:
    packs = await bot.core.desk.briefings(guild_id, editors=True)
    return next(p.slug for p in packs if p.title == title)


async def test_an_editor_writes_a_briefing_in_two_forms_and_publishes_it(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    opened = await admin(standin, "new", user=BOB_ID)
    assert [c["type"] for c in opened.modal["components"]] == [18] * 5  # five labelled inputs
    typo = {**BASICS, "published": "the third of March", "source_url": "example.org/qatar"}
    rejected = await standin.submit_modal(opened.modal["custom_id"], typo, user=BOB_ID)
    assert "**Publication date**: type a date like 2024-12-19" in rejected.content
    assert "**Link to the article**: type the article's full address" in rejected.content
    again = await standin.press(rejected, "Fix it", user=BOB_ID)
    assert inputs(again.modal)["author"]["value"] == BASICS["author"]  # what was typed is kept
    assert inputs(again.modal)["published"]["value"] == "the third of March"
    preview = await standin.submit_modal(again.modal["custom_id"], BASICS, user=BOB_ID)
    assert "3 March 2025" in preview.latest().text and "No bottom line yet" in preview.latest().text
    more = await standin.press(preview.latest(), "More details", user=BOB_ID)
    assert inputs(more.modal)["bottom_line"]["style"] == 2  # a paragraph
    shown = await standin.submit_modal(more.modal["custom_id"], MORE, user=BOB_ID)
    assert "first in Doha Papers" in shown.latest().text
    created = await standin.press(shown.latest(), "Create draft", user=BOB_ID)
    assert "as a draft" in created.latest().content
    slug = await slug_of(bot, 111, BASICS["title"])
    listed = await admin(standin, "list", user=BOB_ID)
    assert BASICS["title"] in listed.text and "draft" in listed.text

    # a card of it, with key points and quotes, edited once saved
    opened = await card_command(standin, "add", user=BOB_ID, pack=slug)
    card_preview = await standin.submit_modal(opened.modal["custom_id"], FORM, user=BOB_ID)
    form = await standin.press(card_preview, "Edit key points & quotes", user=BOB_ID)
    await standin.submit_modal(form.modal["custom_id"], POINTS, user=BOB_ID)
    await standin.press(card_preview.latest(), "Save as draft", user=BOB_ID)
    cid = await card_id(bot, FORM["title"])
    editing = await card_command(standin, "edit", user=BOB_ID, card=cid)
    saved = await standin.submit_modal(editing.modal["custom_id"], FORM, user=BOB_ID)
    points = await standin.press(saved, "Edit key points & quotes", user=BOB_ID)
    changed = {**POINTS, "quotes": '"our own corridor" — a Qatari diplomat'}
    await standin.submit_modal(points.modal["custom_id"], changed, user=BOB_ID)

    draft_days = await standin.slash("briefing", user=ALICE_ID)
    assert BASICS["title"] not in draft_days.text  # a draft is for editors only
    asked = await admin(standin, "publish", user=BOB_ID, briefing=slug)
    assert "1 draft card" in asked.content
    published = await standin.press(asked, "Publish", user=BOB_ID)
    text = published.latest().text
    assert f"Published **{BASICS['title']}**" in text and FORM["title"] in text
    listed_here = await standin.slash("briefing", user=ALICE_ID)
    assert BASICS["title"] in listed_here.text  # members see it once published
    seen = await standin.slash("briefing", user=ALICE_ID, briefing=slug)
    assert BASICS["title"] in seen.text and "Qatar brokers a grain corridor" in seen.text
    answer = await standin.slash("ask", user=ALICE_ID, question="Who brokers the grain corridor?")
    assert "our own corridor" in answer.text or "Qatar brokers" in answer.text
    # another server sees neither the briefing nor its card
    listed_there = await standin.slash("briefing", user=2001, guild_id=OTHER_GUILD)
    assert BASICS["title"] not in listed_there.text
    assert BASICS["title"] not in {p.title for p in await bot.core.desk.briefings(OTHER_GUILD)}
    elsewhere = await standin.slash(
        "ask", user=2001, guild_id=OTHER_GUILD, question="Who brokers the grain corridor?"
    )
    assert "Qatar" not in elsewhere.text
    standin.assert_clean()


@pytest.mark.parametrize(
    ("sub", "options"),
    [("new", {}), ("edit", {"briefing": "x"}), ("publish", {"briefing": "x"}), ("list", {})],
)
async def test_members_without_rights_are_refused_every_subcommand(
    bot: BriefingBot, standin: DiscordStandIn, sub: str, options: dict[str, Any]
) -> None:
    reply = await admin(standin, sub, user=ALICE_ID, **options)
    assert reply.ephemeral and reply.modal is None
    assert "Manage Server" in reply.content and "editor role" in reply.content


async def test_rights_are_checked_again_at_each_press_and_submit(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    await card_command(standin, "editors", user=BOB_ID, action="add", role=EDITOR_ROLE)
    opened = await admin(standin, "new", user=DAVE)
    preview = await standin.submit_modal(opened.modal["custom_id"], BASICS, user=DAVE)
    stranger = await standin.press(preview, "More details", user=ALICE_ID)
    assert stranger.ephemeral and stranger.modal is None
    more = await standin.press(preview, "More details", user=DAVE)
    await card_command(standin, "editors", user=BOB_ID, action="remove", role=EDITOR_ROLE)
    submitted = await standin.submit_modal(more.modal["custom_id"], MORE, user=DAVE)
    assert submitted.ephemeral and "editor role" in submitted.content
    pressed = await standin.press(preview, "Create draft", user=DAVE)
    assert pressed.ephemeral and "editor role" in pressed.content
    packs = await bot.core.desk.briefings(111, editors=True)
    assert BASICS["title"] not in {p.title for p in packs}


async def test_a_stale_edit_is_refused_and_shows_the_newer_version(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    await new_briefing(standin)
    await card_command(standin, "editors", user=BOB_ID, action="add", role=EDITOR_ROLE)
    slug = await slug_of(bot, 111, BASICS["title"])
    first = await admin(standin, "edit", user=DAVE, briefing=slug)
    assert inputs(first.modal)["published"]["value"] == "2025-03-03"  # prefilled
    second = await admin(standin, "edit", user=BOB_ID, briefing=slug)
    saved = await standin.submit_modal(
        second.modal["custom_id"], {**BASICS, "title": "A newer title"}, user=BOB_ID
    )
    assert "Saved (version" in saved.content
    stale = await standin.submit_modal(
        first.modal["custom_id"], {**BASICS, "author": "Someone Else"}, user=DAVE
    )
    assert "changed while you were editing" in stale.content and "A newer title" in stale.text
    packs = await bot.core.desk.briefings(111, editors=True)
    assert next(p for p in packs if p.slug == slug).author == BASICS["author"]


async def test_only_the_bots_owners_make_a_briefing_global(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    await new_briefing(standin)
    slug = await slug_of(bot, 111, BASICS["title"])
    refused = await admin(standin, "global", user=BOB_ID, briefing=slug)
    assert "Only the bot's owners" in refused.content
    elsewhere = await standin.slash("briefing", user=2001, guild_id=OTHER_GUILD)
    assert BASICS["title"] not in elsewhere.text


async def test_the_group_is_hidden_by_default_and_guild_only(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    group = next(c for c in standin.commands[None] if c["name"] == "briefing-admin")
    assert int(group["default_member_permissions"]) == Permission.MANAGE_GUILD
    assert group.get("contexts") == [0] or group.get("dm_permission") is False


async def test_publishing_names_each_draft_card_not_ready_and_publishes_nothing(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    await new_briefing(standin)
    slug = await slug_of(bot, 111, BASICS["title"])
    exported = await card_command(standin, "export", user=BOB_ID, pack=slug)
    data = yaml.safe_load(exported.files[0].data)
    data["cards"] = [
        {"id": "outline", "pack": slug, "section": 1, "title": "To write", "status": "draft"}
    ]
    plan = await card_command(
        standin, "import", user=BOB_ID, file=("b.yaml", yaml.safe_dump(data).encode())
    )
    assert "Will add (1)" in plan.text, plan.text
    await standin.press(plan, "Import", user=BOB_ID)  # a draft without a summary: allowed
    asked = await admin(standin, "publish", user=BOB_ID, briefing=slug)
    refused = await standin.press(asked, "Publish", user=BOB_ID)
    text = refused.latest().text
    assert "Not published" in text and "write a summary first" in text and "outline" in text
    briefing = await bot.core.desk.briefing(slug, guild_id=111, editors=True)
    assert briefing.status.value == "draft"


OWNER = 9009


@pytest.fixture
async def owner_bot(
    standin: DiscordStandIn, bot_store: CardStore, tmp_path: Path
) -> AsyncIterator[BriefingBot]:
    standin.make_user(OWNER, "owner")
    standin.add_guild(OTHER_GUILD, "Other Guild", channels=[(OTHER_CHANNEL, "elsewhere")])
    client = BriefingBot(
        settings=make_settings(tmp_path, owner_ids=[OWNER]), core=build_core(bot_store)
    )
    async with run_bot(client, standin, token=TOKEN, sync=False) as running:
        yield running


async def test_an_owner_makes_a_servers_briefing_global(
    owner_bot: BriefingBot, standin: DiscordStandIn
) -> None:
    await new_briefing(standin, user=OWNER)
    slug = await slug_of(owner_bot, 111, BASICS["title"])
    asked = await admin(standin, "publish", user=OWNER, briefing=slug)
    await standin.press(asked, "Publish", user=OWNER)
    made = await admin(standin, "global", user=OWNER, briefing=slug)
    assert "is now global" in made.content
    elsewhere = await owner_bot.core.desk.briefings(OTHER_GUILD)
    assert BASICS["title"] in {p.title for p in elsewhere}
