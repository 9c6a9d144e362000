"""/card end to end: permissions, the form, publish, edit, archive, import, export, history."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from bot.client import BriefingBot
from tests.bot.support import DAVE, EDITOR_ROLE, FORM, OTHER_GUILD, add_card, card_command, card_id
from tests.discord_standin.constants import Permission
from tests.discord_standin.fixtures import ALICE_ID, BOB_ID, GUILD_ID
from tests.discord_standin.server import DiscordStandIn

MANAGER = {"user": BOB_ID}  # bob's Moderator role has Manage Server


@pytest.mark.parametrize(
    ("sub", "options"),
    [
        ("add", {}),
        ("edit", {"card": "energy-turkstream"}),
        ("publish", {"card": "x"}),
        ("remove", {"card": "x"}),
        ("restore", {"card": "x"}),
        ("export", {}),
        ("history", {"card": "x"}),
        ("editors", {"action": "add", "role": EDITOR_ROLE}),
        ("import", {"file": ("pack.yaml", b"pack: {}")}),
    ],
)
async def test_members_without_rights_are_refused_every_subcommand(
    bot: BriefingBot, standin: DiscordStandIn, sub: str, options: dict[str, Any]
) -> None:
    reply = await card_command(standin, sub, user=ALICE_ID, **options)
    assert reply.ephemeral
    assert "Manage Server" in reply.content and "editor role" in reply.content


async def test_a_manager_adds_and_publishes_and_only_this_guild_sees_it(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    published = await add_card(standin)
    assert "Published" in published.latest().content
    answer = await standin.slash("ask", question="Who brokers the grain corridor?")
    assert "grain corridor" in answer.text
    elsewhere = await standin.slash(
        "ask", question="Who brokers the grain corridor?", guild_id=OTHER_GUILD, user=2001
    )
    assert "Qatar" not in elsewhere.text
    standin.assert_clean()


async def test_an_editor_role_member_can_manage_once_named(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    refused = await card_command(standin, "add", user=DAVE)
    assert refused.ephemeral and "editor role" in refused.content
    named = await card_command(standin, "editors", user=BOB_ID, action="add", role=EDITOR_ROLE)
    assert f"<@&{EDITOR_ROLE}>" in named.content
    draft = await add_card(standin, user=DAVE, publish=False, title="Dave's draft")
    assert "Saved as a draft" in draft.latest().content
    dave_card = await card_id(bot, "Dave's draft")
    answer = await standin.slash("ask", question="Dave's draft grain corridor")
    assert dave_card not in answer.text  # drafts are not answers
    published = await card_command(standin, "publish", user=DAVE, card=dave_card)
    assert "published" in published.content


async def test_edit_archive_restore_and_history(bot: BriefingBot, standin: DiscordStandIn) -> None:
    await add_card(standin)
    cid = await card_id(bot, FORM["title"])
    opened = await card_command(standin, "edit", user=BOB_ID, card=cid)
    assert opened.modal is not None
    defaults = [
        c["value"]
        for row in opened.modal["components"]
        for c in row["components"]
        if c.get("custom_id") == "summary"
    ]
    assert defaults == [FORM["summary"]]  # the form opens prefilled
    saved = await standin.submit_modal(
        opened.modal["custom_id"], {**FORM, "summary": "Qatar now also mediates."}, user=BOB_ID
    )
    assert "Saved" in saved.content
    removed = await card_command(standin, "remove", user=BOB_ID, card=cid)
    assert "archived" in removed.content
    gone = await standin.slash("ask", question="Who mediates the grain corridor?")
    assert "mediates" not in gone.text
    await card_command(standin, "restore", user=BOB_ID, card=cid)
    back = await standin.slash("ask", question="Who mediates the grain corridor?")
    assert "mediates" in back.text
    log = await card_command(standin, "history", user=BOB_ID, card=cid)
    text = log.text
    for line in ("v1 · add", "v2 · edit", "v3 · archive", "v4 · restore"):
        assert line in text
    assert f"<@{BOB_ID}>" in text and "**Summary**" in text


async def test_a_stale_edit_is_refused_and_shows_the_newer_version(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    await add_card(standin)
    cid = await card_id(bot, FORM["title"])
    alice_form = await card_command(standin, "edit", user=BOB_ID, card=cid)
    # meanwhile another editor archives and restores it: the card moves on to version 3
    await card_command(standin, "remove", user=BOB_ID, card=cid)
    await card_command(standin, "restore", user=BOB_ID, card=cid)
    stale = await standin.submit_modal(
        alice_form.modal["custom_id"], {**FORM, "summary": "An older view."}, user=BOB_ID
    )
    assert stale.ephemeral and "changed while you were editing" in stale.content
    assert "version 3" in stale.text
    card = await bot.core.editor.store.card(cid, guild_id=GUILD_ID)
    assert card is not None and card.summary == FORM["summary"]  # nothing overwritten


async def test_the_shipped_pack_is_not_editable_by_a_server(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    opened = await card_command(standin, "edit", user=BOB_ID, card="energy-turkstream")
    assert opened.ephemeral and "only the bot's owners" in opened.content
    for sub in ("remove", "history"):
        reply = await card_command(standin, sub, user=BOB_ID, card="energy-turkstream")
        if sub == "remove":
            assert "only the bot's owners" in reply.content
    card = await bot.core.editor.store.card("energy-turkstream", guild_id=GUILD_ID)
    assert card is not None and card.status.value == "published" and card.version == 1


async def test_export_then_import_is_a_no_op(bot: BriefingBot, standin: DiscordStandIn) -> None:
    await add_card(standin)
    exported = await card_command(standin, "export", user=BOB_ID)
    (upload,) = exported.files
    assert upload.filename.endswith(".yaml") and b"Qatar" in upload.data
    imported = await card_command(standin, "import", user=BOB_ID, file=upload)
    assert "Nothing to import" in imported.text


async def test_an_import_with_one_bad_card_reports_it_and_writes_nothing(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    await add_card(standin)
    exported = await card_command(standin, "export", user=BOB_ID)
    data = yaml.safe_load(exported.files[0].data)
    good = {**data["cards"][0], "id": "g111-good", "title": "A good one"}
    bad = {**data["cards"][0], "id": "g111-bad", "status": "live"}
    data["cards"] += [good, bad]
    before = await bot.core.editor.store.db.fetch_all("SELECT id, version FROM cards ORDER BY id")
    reply = await card_command(
        standin, "import", user=BOB_ID, file=("pack.yaml", yaml.safe_dump(data).encode())
    )
    text = reply.text
    assert "card 3 (g111-bad)" in text and "status" in text
    assert "Nothing was written" in text
    assert (
        await bot.core.editor.store.db.fetch_all("SELECT id, version FROM cards ORDER BY id")
        == before
    )


async def test_an_import_is_a_dry_run_until_confirmed(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    await add_card(standin)
    exported = await card_command(standin, "export", user=BOB_ID)
    data = yaml.safe_load(exported.files[0].data)
    data["cards"].append(
        {**data["cards"][0], "id": "g111-more", "title": "One more", "section": 18}
    )
    plan = await card_command(
        standin, "import", user=BOB_ID, file=("pack.yaml", yaml.safe_dump(data).encode())
    )
    assert "Will add (1)" in plan.text and "g111-more" in plan.text
    assert await bot.core.editor.store.card("g111-more", guild_id=GUILD_ID) is None
    done = await standin.click(plan, plan.button("Import")["custom_id"], user=BOB_ID)
    assert "1 added" in done.latest().content
    assert await bot.core.editor.store.card("g111-more", guild_id=GUILD_ID) is not None


async def test_oversized_or_non_utf8_files_are_refused_clearly(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    big = await card_command(standin, "import", user=BOB_ID, file=("big.yaml", b"#" * 1_000_001))
    assert big.ephemeral and "the limit is 1 MB" in big.content
    latin = await card_command(
        standin, "import", user=BOB_ID, file=("latin1.yaml", "pack: Türkiye".encode("latin-1"))
    )
    assert "not UTF-8" in latin.text


async def test_card_commands_are_hidden_by_default_and_guild_only(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    card = next(c for c in standin.commands[None] if c["name"] == "card")
    assert int(card["default_member_permissions"]) == Permission.MANAGE_GUILD
    assert card.get("contexts") == [0] or card.get("dm_permission") is False
