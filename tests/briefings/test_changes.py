"""The pure planner: stamping, the delivery-feed rule, and a server's id namespace."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from briefings.changes import Existing, Writer, feed_entry, plan, stamp
from briefings.errors import InvalidPack
from briefings.models import Actor, ActorKind, Card, PackFile, Status
from briefings.namespaces import ActorRole
from tests.briefings.sample import sample_pack, sample_pack_data

NOW = datetime(2025, 1, 2, 12, tzinfo=UTC)
EARLIER = datetime(2024, 6, 1, tzinfo=UTC)
GUILD, ALICE, MALLORY = 222, 1001, 666


def card(**overrides: object) -> Card:
    fields: dict[str, object] = {
        "id": "c",
        "pack": "p",
        "section": 1,
        "title": "T",
        "summary": "S.",
        "status": Status.PUBLISHED,
    }
    return Card.model_validate(fields | overrides)


def test_the_feed_carries_published_cards_only_and_updates_only_when_a_field_changed() -> None:
    draft, published = card(status=Status.DRAFT), card()
    assert feed_entry(None, draft) is None
    assert feed_entry(None, published) == ("new", [])
    assert feed_entry(draft, published) == ("new", [])  # first published: new
    assert feed_entry(published, card(status=Status.ARCHIVED)) is None
    assert feed_entry(card(status=Status.ARCHIVED), published) == ("new", [])  # restored
    assert feed_entry(published, card(version=2, updated_by=ALICE)) is None  # bookkeeping only
    assert feed_entry(published, card(summary="Other.", tags=["x"])) == (
        "update",
        ["summary", "tags"],
    )


def test_a_stamp_drops_what_the_input_claims_and_keeps_the_stored_creation() -> None:
    forged = card(created_by=MALLORY, created_at=EARLIER, updated_by=MALLORY, version=9)
    new = stamp(forged, by=ALICE, at=NOW, version=1)
    assert (new.version, new.created_by, new.created_at) == (1, ALICE, NOW)
    assert (new.updated_by, new.updated_at) == (ALICE, NOW)
    stored = card(created_by=7, created_at=EARLIER)
    edited = stamp(forged, by=ALICE, at=NOW, version=2, created=stored)
    assert (edited.created_by, edited.created_at, edited.updated_by) == (7, EARLIER, ALICE)


def test_a_host_load_plans_adds_updates_and_archives_from_the_stored_records() -> None:
    first = plan(sample_pack(cards=3), Existing(), writer=Writer(None), by=None, at=EARLIER)
    assert first.tally["cards"].added == [f"sample-pack-card-{i}" for i in (1, 2, 3)]
    assert first.pack_meta is not None and first.pack_meta.version == 1
    stored = [after for _, after in first.cards]
    existing = Existing(
        cards={c.id: c for c in stored},
        actors={a.id: a for a in first.actors},
        roles={(r.actor, r.pack): r for r in first.roles},
        pack_events={e.id for e in first.events},
        pack_version=1,
    )
    data = sample_pack_data(cards=2)
    data["cards"][0]["summary"] = "Lower tolls."
    data["events"] = []  # dropped from the file (model validation does not check references)
    again = plan(PackFile.model_validate(data), existing, writer=Writer(None), by=None, at=NOW)
    cards = again.tally["cards"]
    assert (cards.updated, cards.unchanged) == (["sample-pack-card-1"], ["sample-pack-card-2"])
    assert cards.archived == ["sample-pack-card-3"]
    assert again.removed_events == ["sample-pack-treaty"]
    assert again.pack_meta is not None and again.pack_meta.version == 2
    assert again.tally["actors"].unchanged == ["sample-pack-north", "sample-pack-south"]
    assert again.actors == []  # unchanged records are not written again
    updated = dict((after.id, (before, after)) for before, after in again.cards)
    before, after = updated["sample-pack-card-1"]
    assert before is not None and (after.version, after.created_at) == (2, EARLIER)


def test_a_servers_file_speaks_in_that_servers_namespace() -> None:
    data = sample_pack_data(slug="p", cards=1)
    data["actors"][0]["id"] = f"g{GUILD}-north"  # already the server's: kept as it is
    data["events"][0]["actors"] = [f"g{GUILD}-north", "p-south"]
    data["leverage"][0]["actor"] = f"g{GUILD}-north"
    data["cards"][0]["actors"] = [f"g{GUILD}-north", "shipped-actor"]
    data["cards"][0]["guild_id"] = 111  # what a file says about scope is ignored
    existing = Existing(actors={"shipped-actor": _actor("shipped-actor")})
    changes = plan(PackFile.model_validate(data), existing, writer=Writer(GUILD), by=None, at=NOW)
    assert [a.id for a in changes.actors] == [f"g{GUILD}-north", f"g{GUILD}-p-south"]
    [event] = changes.events
    assert (event.id, event.actors) == (
        f"g{GUILD}-p-treaty",
        [f"g{GUILD}-north", f"g{GUILD}-p-south"],
    )
    [(_, written)] = changes.cards
    assert written.id == f"g{GUILD}-p-card-1" and written.guild_id == GUILD
    assert written.actors == [f"g{GUILD}-north", "shipped-actor"]  # a shipped id stays shipped
    [shift] = changes.shifts
    assert (shift.actor, shift.over, shift.evidence) == (
        f"g{GUILD}-north",
        f"g{GUILD}-p-south",
        [f"g{GUILD}-p-card-1"],
    )
    assert all(r.guild_id == GUILD for r in [*changes.actors, *changes.events, *changes.shifts])


def test_ids_that_do_not_fit_or_collide_once_prefixed_are_reported_by_record() -> None:
    long = "x" * 78
    data = sample_pack_data(slug="p", cards=1)
    data["actors"][1]["id"] = long
    data["actors"].append({**data["actors"][0], "id": f"g{GUILD}-p-north", "name": "Again"})
    data["events"][0]["actors"] = ["p-north", long]
    data["leverage"][0]["over"] = long
    with pytest.raises(InvalidPack) as caught:
        plan(PackFile.model_validate(data), Existing(), writer=Writer(GUILD), by=None, at=NOW)
    problems = {(p.item, p.field): p.problem for p in caught.value.problems}
    assert problems[(f"actor 2 ({long})", "id")].startswith("at most 75 characters")
    assert "the same record" in problems[(f"actor 3 (g{GUILD}-p-north)", "id")]


def test_a_shipped_actor_in_a_servers_new_briefing_gets_that_briefings_role_only() -> None:
    shipped = _actor("shipped-actor")
    data = sample_pack_data(slug="p", cards=1)
    data["actors"].append({**shipped.model_dump(mode="json"), "role": "Rewritten."})
    changes = plan(
        PackFile.model_validate(data),
        Existing(actors={shipped.id: shipped}),
        writer=Writer(GUILD),
        by=None,
        at=NOW,
    )
    assert "shipped-actor" not in [a.id for a in changes.actors]  # the record is untouched
    [role] = [r for r in changes.roles if r.actor == "shipped-actor"]
    assert (role.pack, role.guild_id, role.role) == (f"g{GUILD}-p", GUILD, "Rewritten.")
    assert changes.new_pack and changes.pack_meta is not None
    assert changes.pack_meta.guild_id == GUILD


def test_a_changed_role_in_a_global_briefing_is_for_owners_only() -> None:
    shipped = _actor("shipped-actor")
    data = sample_pack_data(slug="p", cards=1)
    data["actors"].append({**shipped.model_dump(mode="json"), "role": "Rewritten."})
    pack = PackFile.model_validate(data)
    existing = Existing(
        actors={shipped.id: shipped.model_copy(update={"role": None})},
        packs={"p": pack.pack},
        roles={("shipped-actor", "p"): ActorRole("shipped-actor", "p", None, "Ships.")},
    )
    with pytest.raises(InvalidPack, match="only the bot's owners"):
        plan(pack, existing, writer=Writer(GUILD), by=None, at=NOW)
    changes = plan(pack, existing, writer=Writer(GUILD, owner=True), by=None, at=NOW)
    assert changes.tally["actors"].updated == ["shipped-actor"]
    [role] = [r for r in changes.roles if r.actor == "shipped-actor"]
    assert (role.pack, role.guild_id, role.role) == ("p", None, "Rewritten.")


def _actor(ident: str) -> Actor:
    return Actor(id=ident, name="Shipped", kind=ActorKind.STATE, role="Ships.")
