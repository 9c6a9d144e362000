"""Editors' changes on a real store: scope, audit trail, change feed, all-or-nothing."""

from __future__ import annotations

import sqlite3

import pytest
import yaml

from briefings.briefing import Briefing
from briefings.editing import CardDraft, CardEditor
from briefings.errors import AlreadyInStatus, InvalidPack, PermissionDenied, StaleCard
from briefings.models import Status
from briefings.packfile import dump_pack, parse_pack

GUILD, OTHER, ALICE, OWNER = 111, 222, 1001, 9
PACK = "bechev-syria-russia-turkey-2024"


def draft(**overrides: str) -> CardDraft:
    fields = {
        "pack": PACK,
        "title": "Qatar brokers a grain corridor",
        "section": "17",
        "summary": "Our server's note: Qatar brokers a grain corridor with Ankara.",
        "actors": "Ankara, Qatar",
        "tags": "energy, our-notes",
    }
    fields.update(overrides)
    return CardDraft.from_form(**fields)


async def changes_for(core: Briefing, card_id: str) -> list[tuple[int, str]]:
    rows = await core.store.db.fetch_all(
        "SELECT version, kind FROM card_changes WHERE card_id = ? ORDER BY id", (card_id,)
    )
    return [(r[0], r[1]) for r in rows]


async def add(core: Briefing, *, publish: bool = True, **overrides: str) -> str:
    editor = CardEditor(core)
    changes = await editor.prepare_new(draft(**overrides), guild_id=GUILD, member_id=ALICE)
    card = changes.cards[0][1]
    if publish:
        changes.cards[0] = (None, card.model_copy(update={"status": Status.PUBLISHED}))
    await editor.save(changes, guild_id=GUILD, action="add", member_id=ALICE)
    return card.id


def test_the_form_reports_every_bad_field_at_once() -> None:
    with pytest.raises(InvalidPack) as caught:
        draft(title="", section="first", summary="")
    fields = {p.field for p in caught.value.problems}
    assert {"title", "section", "summary"} <= fields


async def test_a_published_guild_card_answers_in_its_guild_only(core: Briefing) -> None:
    card_id = await add(core)
    here = await core.ask("What about the grain corridor?", guild_id=GUILD)
    assert here.hits and here.hits[0].card.id == card_id
    elsewhere = await core.ask("What about the grain corridor?", guild_id=OTHER)
    assert all(h.card.id != card_id for h in elsewhere.hits)
    assert await core.store.card(card_id, guild_id=OTHER) is None
    assert await changes_for(core, card_id) == [(1, "new")]


async def test_named_actors_are_matched_or_created_in_the_guild(core: Briefing) -> None:
    card_id = await add(core)
    card = await core.store.card(card_id, guild_id=GUILD)
    assert card is not None and card.actors[0] == "turkey"  # "Ankara" is Turkey
    qatar = await core.resolve_actor("Qatar", guild_id=GUILD)
    assert qatar.guild_id == GUILD
    with pytest.raises(Exception, match="Qatar"):
        await core.resolve_actor("Qatar", guild_id=OTHER)


async def test_a_draft_is_neither_visible_nor_delivered(core: Briefing) -> None:
    card_id = await add(core, publish=False)
    answer = await core.ask("grain corridor", guild_id=GUILD)
    assert all(h.card.id != card_id for h in answer.hits)
    assert await changes_for(core, card_id) == []
    editor = CardEditor(core)
    published = await editor.with_status(
        card_id, Status.PUBLISHED, guild_id=GUILD, member_id=ALICE, is_owner=False
    )
    await editor.save(published, guild_id=GUILD, action="publish", member_id=ALICE)
    assert await changes_for(core, card_id) == [(2, "new")]


async def test_an_edit_is_audited_and_fed_as_an_update(core: Briefing) -> None:
    card_id = await add(core)
    editor = CardEditor(core)
    edit = await editor.prepare_edit(
        card_id,
        draft(summary="Qatar now also mediates."),
        guild_id=GUILD,
        member_id=ALICE,
        seen_version=1,
        is_owner=False,
    )
    await editor.save(edit, guild_id=GUILD, action="edit", member_id=ALICE)
    revisions = await core.store.history(card_id)
    assert [(r.version, r.action, r.member_id) for r in revisions] == [
        (2, "edit", ALICE),
        (1, "add", ALICE),
    ]
    assert revisions[0].before is not None and "grain" in revisions[0].before.summary
    assert "mediates" in revisions[0].after.summary
    feed = await core.store.db.fetch_all(
        "SELECT kind, changes FROM card_changes WHERE card_id = ? ORDER BY id", (card_id,)
    )
    assert [(r[0], r[1]) for r in feed] == [("new", "[]"), ("update", '["summary"]')]


async def test_a_stale_edit_is_refused_with_the_newer_card(core: Briefing) -> None:
    card_id = await add(core)
    editor = CardEditor(core)
    first = await editor.prepare_edit(
        card_id,
        draft(summary="First editor."),
        guild_id=GUILD,
        member_id=ALICE,
        seen_version=1,
        is_owner=False,
    )
    second = await editor.prepare_edit(
        card_id,
        draft(summary="Second editor."),
        guild_id=GUILD,
        member_id=ALICE,
        seen_version=1,
        is_owner=False,
    )
    await editor.save(first, guild_id=GUILD, action="edit", member_id=ALICE)
    with pytest.raises(StaleCard) as caught:
        await editor.save(second, guild_id=GUILD, action="edit", member_id=ALICE)
    assert caught.value.current is not None and caught.value.current.summary == "First editor."
    with pytest.raises(StaleCard):  # and when the form itself is older than the card
        await editor.prepare_edit(
            card_id, draft(), guild_id=GUILD, member_id=ALICE, seen_version=1, is_owner=False
        )


async def test_the_shipped_pack_is_for_owners_only(core: Briefing) -> None:
    editor = CardEditor(core)
    form = draft(title="Energy", summary="Owners may fix a typo.", section="14")
    with pytest.raises(PermissionDenied):
        await editor.prepare_edit(
            "energy-turkstream",
            form,
            guild_id=GUILD,
            member_id=ALICE,
            seen_version=1,
            is_owner=False,
        )
    edit = await editor.prepare_edit(
        "energy-turkstream", form, guild_id=GUILD, member_id=OWNER, seen_version=1, is_owner=True
    )
    await editor.save(edit, guild_id=GUILD, action="edit", member_id=OWNER)
    card = await core.store.card("energy-turkstream", guild_id=OTHER)
    assert card is not None and card.summary == "Owners may fix a typo." and card.guild_id is None


async def test_archive_hides_and_restore_brings_back(core: Briefing) -> None:
    card_id = await add(core)
    editor = CardEditor(core)
    for status, action in ((Status.ARCHIVED, "archive"), (Status.PUBLISHED, "restore")):
        change = await editor.with_status(
            card_id, status, guild_id=GUILD, member_id=ALICE, is_owner=False
        )
        await editor.save(change, guild_id=GUILD, action=action, member_id=ALICE)  # type: ignore[arg-type]
        visible = [c.id for c in await core.store.cards(guild_id=GUILD)]
        assert (card_id in visible) is (status is Status.PUBLISHED)
    assert [r.action for r in await core.store.history(card_id)] == ["restore", "archive", "add"]


async def test_a_status_the_card_already_has_is_refused_as_such(core: Briefing) -> None:
    card_id = await add(core)
    with pytest.raises(AlreadyInStatus) as caught:
        await CardEditor(core).with_status(
            card_id, Status.PUBLISHED, guild_id=GUILD, member_id=ALICE, is_owner=False
        )
    assert (caught.value.card_id, caught.value.status) == (card_id, Status.PUBLISHED)
    assert str(caught.value) == f"Card {card_id!r} is already published."


async def test_export_then_import_is_a_no_op(core: Briefing) -> None:
    await add(core)
    editor = CardEditor(core)
    exported = await editor.export(PACK, guild_id=GUILD, include_shipped=True)
    known = await editor.known_ids(guild_id=GUILD)
    again = parse_pack(dump_pack(exported), source="export.yaml", known=known)
    plan = await editor.plan_import(again, guild_id=GUILD, is_owner=False, source="export.yaml")
    assert plan.empty and plan.added == plan.updated == []
    assert len(plan.unchanged) == len(exported.cards)


async def test_a_file_may_name_the_servers_own_records_by_their_short_ids(
    core: Briefing,
) -> None:
    card_id = await add(core)  # the form created the actor g111-qatar
    editor = CardEditor(core)
    data = yaml.safe_load(
        dump_pack(await editor.export(PACK, guild_id=GUILD, include_shipped=False))
    )
    [exported] = data["cards"]
    data["actors"] = []
    data["cards"] = [{**exported, "id": "more", "section": 30, "actors": ["qatar", "turkey"]}]
    pack = parse_pack(
        yaml.safe_dump(data), source="upload.yaml", known=await editor.known_ids(guild_id=GUILD)
    )
    plan = await editor.plan_import(pack, guild_id=GUILD, is_owner=False, source="upload.yaml")
    assert plan.added == ["g111-more"] and card_id != "g111-more"
    [(_, card)] = plan.changes.cards
    assert card.actors == ["g111-qatar", "turkey"]


async def test_an_import_with_a_bad_card_writes_nothing(core: Briefing) -> None:
    await add(core)
    editor = CardEditor(core)
    data = yaml.safe_load(
        dump_pack(await editor.export(PACK, guild_id=GUILD, include_shipped=False))
    )
    data["cards"].append({**data["cards"][0], "id": "g111-second", "section": "x"})
    with pytest.raises(InvalidPack) as caught:
        parse_pack(
            yaml.safe_dump(data), source="upload.yaml", known=await editor.known_ids(guild_id=GUILD)
        )
    assert [(p.item, p.field) for p in caught.value.problems] == [
        ("card 2 (g111-second)", "section")
    ]


async def test_an_import_cannot_change_the_shipped_cards(core: Briefing) -> None:
    editor = CardEditor(core)
    exported = await editor.export(PACK, guild_id=GUILD, include_shipped=True)
    data = yaml.safe_load(dump_pack(exported))
    data["cards"][0]["summary"] = "Rewritten by a server."
    pack = parse_pack(yaml.safe_dump(data), source="upload.yaml")
    with pytest.raises(InvalidPack) as caught:
        await editor.plan_import(pack, guild_id=GUILD, is_owner=False, source="upload.yaml")
    assert "only the bot's owners" in str(caught.value)


async def test_a_failure_midway_through_an_import_leaves_the_store_unchanged(
    core: Briefing,
) -> None:
    await add(core)
    editor = CardEditor(core)
    data = yaml.safe_load(
        dump_pack(await editor.export(PACK, guild_id=GUILD, include_shipped=False))
    )
    for i in range(3):
        data["cards"].append({**data["cards"][0], "id": f"g111-new-{i}", "section": 20 + i})
    pack = parse_pack(
        yaml.safe_dump(data), source="upload.yaml", known=await editor.known_ids(guild_id=GUILD)
    )
    plan = await editor.plan_import(pack, guild_id=GUILD, is_owner=False, source="upload.yaml")
    assert plan.added == ["g111-new-0", "g111-new-1", "g111-new-2"]
    before = await core.store.db.fetch_all("SELECT id, version FROM cards ORDER BY id")
    audit = await core.store.db.fetch_all("SELECT count(*) FROM card_revisions")
    await core.store.db.conn.execute(
        "CREATE TEMP TRIGGER boom BEFORE INSERT ON cards WHEN NEW.id = 'g111-new-2' "
        "BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"
    )
    with pytest.raises(sqlite3.DatabaseError):
        await editor.save(plan.changes, guild_id=GUILD, action="import", member_id=ALICE)
    assert await core.store.db.fetch_all("SELECT id, version FROM cards ORDER BY id") == before
    assert await core.store.db.fetch_all("SELECT count(*) FROM card_revisions") == audit
