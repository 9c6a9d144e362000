"""No server can touch another's records, or a shipped one without being an owner:
whatever ids or scopes its file names (issue 15, items 1, 2, 10 and 15)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from briefings.briefing import Briefing
from briefings.changes import ChangeSet
from briefings.editing import CardEditor, ImportPlan
from briefings.errors import InvalidPack, ScopeConflict
from briefings.models import Actor, ActorKind, PackFile, Relation, Status, now_utc
from briefings.store import CardStore, load_pack, open_store
from tests.briefings.sample import sample_pack_data
from tests.briefings.tenancy import (
    PACK,
    A,
    B,
    a_records,
    actor,
    card,
    event,
    pack_file,
    relation,
    rows_outside,
    shift,
)

pytestmark = pytest.mark.both_backends  # the store suite runs on SQLite and PostgreSQL

ADMIN_A, ADMIN_B, FORGER = 1001, 2002, 666


async def import_as(
    store: CardStore, guild: int, member: int, *, is_owner: bool = False, **sections: Any
) -> ImportPlan:
    editor = CardEditor(Briefing(store))
    pack = await pack_file(store, **sections)
    plan = await editor.plan_import(pack, guild_id=guild, is_owner=is_owner, source="up.yaml")
    await editor.save(plan.changes, guild_id=guild, action="import", member_id=member)
    return plan


async def test_a_servers_own_ids_are_stored_in_its_namespace(store: CardStore) -> None:
    plan = await import_as(store, A, ADMIN_A, **a_records())
    assert plan.added == ["g111-secret"]
    stored = await store.card("g111-secret", guild_id=A)
    assert stored is not None and stored.guild_id == A
    assert (stored.actors, stored.events, stored.leverage) == (
        ["g111-spy"],
        ["g111-meet"],
        ["g111-edge"],
    )
    [tie] = [r for r in await store.relations(guild_id=A) if r.guild_id == A]
    assert (tie.source, tie.target, tie.evidence) == ("g111-spy", "turkey", ["g111-secret"])


async def test_another_servers_ids_in_a_file_name_the_importers_own_records(
    store: CardStore,
) -> None:
    await import_as(store, A, ADMIN_A, **a_records())
    a_before = await rows_outside(store, B)
    plan = await import_as(
        store,
        B,
        ADMIN_B,
        actors=[actor("g111-spy", name="Taken over")],
        events=[event("g111-meet", ["g111-spy"], title="Rewritten")],
        leverage=[shift("g111-edge", "g111-spy", "turkey", ["g111-secret"])],
        relations=[relation("g111-spy", "turkey", ["g111-secret"], note="Hijacked")],
        cards=[card("g111-secret", summary="Overwritten by B.", actors=["g111-spy"])],
    )
    assert await rows_outside(store, B) == a_before  # A's rows, and the shipped ones, as they were
    assert plan.added == ["g222-g111-secret"]
    spy = await store.actor("g222-g111-spy", guild_id=B)
    assert spy is not None and spy.name == "Taken over" and spy.guild_id == B
    assert (await store.actor("g111-spy", guild_id=A)).name == "Spy"  # type: ignore[union-attr]


async def test_an_import_reads_the_same_whether_or_not_another_server_has_the_id(
    tmp_path: Path,
) -> None:
    """No existence oracle: B learns nothing about A's ids from importing them."""
    outcomes = []
    for a_has_it in (True, False):
        async with open_store(tmp_path / f"{a_has_it}.db") as store:
            if a_has_it:
                await import_as(store, A, ADMIN_A, **a_records())
            plan = await import_as(store, B, ADMIN_B, cards=[card("g111-secret")])
            mine = await store.cards(guild_id=B, statuses=[Status.DRAFT])
            outcomes.append(
                (
                    plan.added,
                    plan.updated,
                    plan.unchanged,
                    [(c.id, c.guild_id, c.summary) for c in mine if c.guild_id == B],
                )
            )
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][0] == ["g222-g111-secret"]


async def test_a_servers_relation_never_touches_a_shipped_one(store: CardStore) -> None:
    shipped = await store.relations(guild_id=None)
    tie = next(r for r in shipped if (r.source, r.target) == ("russia", "assad"))
    same = tie.model_dump(mode="json", exclude={"guild_id"})
    plan = await import_as(store, B, ADMIN_B, relations=[same])
    assert plan.changes.tally["relations"].unchanged == ["russia ally assad"]
    with pytest.raises(InvalidPack, match="only the bot's owners"):
        await import_as(store, B, ADMIN_B, relations=[{**same, "note": "Hijacked"}])
    # and even a write that reached the store keeps the two apart: one row per scope
    own = Relation.model_validate({**same, "note": "B's own view", "guild_id": B})
    await store.apply(
        ChangeSet(pack=PACK, relations=[own]),
        scope=B,
        action="import",
        member_id=ADMIN_B,
        at=now_utc(),
    )
    assert await store.relations(guild_id=None) == shipped
    mine = [r.note for r in await store.relations(guild_id=B) if r.source == "russia"]
    assert tie.note in mine and "B's own view" in mine


async def test_imports_never_keep_file_supplied_authors(store: CardStore) -> None:
    forged = {"created_by": FORGER, "created_at": "2000-01-01T00:00:00Z", "updated_by": FORGER}
    start = now_utc()
    await import_as(store, B, ADMIN_B, cards=[card("note", **forged)])
    first = await store.card("g222-note", guild_id=B)
    assert first is not None and first.created_at is not None
    assert (first.created_by, first.updated_by) == (ADMIN_B, ADMIN_B)
    assert first.created_at >= start
    await import_as(store, B, 3003, cards=[card("note", summary="Edited.", **forged)])
    second = await store.card("g222-note", guild_id=B)
    assert second is not None and second.version == 2
    assert (second.created_by, second.created_at) == (ADMIN_B, first.created_at)
    assert second.updated_by == 3003


async def test_the_write_path_refuses_rows_of_another_scope_and_writes_nothing(
    store: CardStore,
) -> None:
    await import_as(store, A, ADMIN_A, **a_records())
    before, generation = await rows_outside(store, 0), store.generation
    spy = (await store.actor("g111-spy", guild_id=A)).model_copy(update={"name": "X"})  # type: ignore[union-attr]
    shipped = await store.actor("turkey", guild_id=None)
    assert shipped is not None
    fresh = Actor(id="g222-fresh", name="Fresh", kind=ActorKind.OTHER, role="New.", guild_id=B)
    attempts: list[tuple[list[Actor], bool]] = [
        ([fresh, spy], False),  # A's row, as A's
        ([fresh, spy.model_copy(update={"guild_id": B})], False),  # A's row, moved to B
        ([fresh, shipped.model_copy(update={"name": "Turkiye"})], False),  # shipped: not owner
        ([fresh, shipped.model_copy(update={"guild_id": B})], True),  # shipped, moved to B
        ([fresh.model_copy(update={"guild_id": A})], False),  # a new row in A's scope
    ]
    for actors, owner in attempts:
        with pytest.raises(ScopeConflict) as caught:
            await store.apply(
                ChangeSet(pack=PACK, actors=actors, owner=owner),
                scope=B,
                owner=owner,
                action="import",
                member_id=ADMIN_B,
                at=now_utc(),
            )
        assert caught.value.records == [("actors", actors[-1].id)]
    assert await rows_outside(store, 0) == before and store.generation == generation
    assert await store.actor("g222-fresh", guild_id=B) is None


async def test_a_pack_load_cannot_take_a_servers_record(store: CardStore) -> None:
    await import_as(store, A, ADMIN_A, **a_records())
    before = await rows_outside(store, 0)
    data = sample_pack_data(slug="other-pack", cards=1)
    data["cards"][0]["id"] = "g111-secret"
    with pytest.raises(InvalidPack, match="another scope"):
        await load_pack(store, PackFile.model_validate(data))
    assert await rows_outside(store, 0) == before
