"""Property tests over the planner and the write: whatever ids and scopes a server's file
names, no record of another server changes, and shipped records change only for owners."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import event as outcome
from hypothesis import strategies as st

from briefings.briefing import Briefing
from briefings.changes import Writer, plan
from briefings.editing import CardEditor
from briefings.errors import InvalidPack, PermissionDenied
from briefings.models import Actor, ActorKind, PackFile, now_utc
from briefings.namespaces import Existing, lookup
from briefings.store import open_store
from tests.briefings.tenancy import (
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

ACTOR_IDS = ["g111-spy", "spy", "g222-spy", "g1-spy", "turkey", "russia"]
EVENT_IDS = ["g111-meet", "meet", "g222-meet", "su-24-shootdown"]
SHIFT_IDS = ["g111-edge", "edge", "economy-before-sanctions"]
CARD_IDS = ["g111-secret", "secret", "g222-secret", "energy-turkstream"]
SCOPES = st.sampled_from([None, A, B, 1])


@st.composite
def hostile_files(draw: st.DrawFn) -> dict[str, list[dict[str, Any]]]:
    """A file mixing A's ids, shipped ids, B's own and fresh ones, with any scopes; its
    references point at records it defines or at shipped ones, as a valid file's do."""
    name = st.sampled_from(["Spy", "Someone else"])
    actor_ids = draw(st.lists(st.sampled_from(ACTOR_IDS), unique=True, max_size=3))
    actors = [actor(i, draw(name)) | {"guild_id": draw(SCOPES)} for i in actor_ids]
    people = [*actor_ids, "turkey", "russia"]
    events = [
        event(i, draw(st.lists(st.sampled_from(people), unique=True, max_size=2)), draw(name))
        | {"guild_id": draw(SCOPES)}
        for i in draw(st.lists(st.sampled_from(EVENT_IDS), unique=True, max_size=2))
    ]
    card_ids = draw(st.lists(st.sampled_from(CARD_IDS), unique=True, max_size=3))
    evidence = st.lists(st.sampled_from([*card_ids, "energy-turkstream"]), min_size=1, max_size=2)
    pair = st.lists(st.sampled_from(people), min_size=2, max_size=2, unique=True)
    shifts = []
    for ident in draw(st.lists(st.sampled_from(SHIFT_IDS), unique=True, max_size=2)):
        side, over = draw(pair)
        shifts.append(shift(ident, side, over, draw(evidence)) | {"guild_id": draw(SCOPES)})
    relations = []
    for _ in range(draw(st.integers(0, 2))):
        source, target = draw(pair)
        note = draw(st.sampled_from(["Tied", "Backed Assad"]))
        relations.append(
            relation(source, target, draw(evidence), note) | {"guild_id": draw(SCOPES)}
        )
    cards = [
        card(
            ident,
            draw(st.sampled_from(["A secret plan.", "Rewritten."])),
            actors=draw(st.lists(st.sampled_from(people), unique=True, max_size=2)),
            events=[e["id"] for e in events][: draw(st.integers(0, 1))],
            leverage=[s["id"] for s in shifts][: draw(st.integers(0, 1))],
            status=draw(st.sampled_from(["draft", "published"])),
            guild_id=draw(SCOPES),
        )
        for ident in card_ids
    ]
    return {
        "actors": actors,
        "events": events,
        "leverage": shifts,
        "relations": relations,
        "cards": cards,
    }


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A seeded store in which server A has records of its own."""
    path = tmp_path_factory.mktemp("tenancy") / "template.db"

    async def build() -> None:
        async with open_store(path) as store:
            editor = CardEditor(Briefing(store))
            pack = await pack_file(store, **a_records())
            made = await editor.plan_import(pack, guild_id=A, is_owner=False, source="a.yaml")
            await editor.save(made.changes, guild_id=A, action="import", member_id=1)

    asyncio.run(build())
    return path


async def attempt(path: Path, sections: dict[str, Any], *, is_owner: bool) -> None:
    """B imports the file (or is refused); A's rows, and unless B is an owner the shipped
    ones, are as they were."""
    async with open_store(path, seed=False) as store:
        before_a = await rows_outside(store, B, shipped=False)
        before_all = await rows_outside(store, B)
        editor = CardEditor(Briefing(store))
        try:
            pack = await pack_file(store, **sections)
            made = await editor.plan_import(pack, guild_id=B, is_owner=is_owner, source="b.yaml")
            await editor.save(made.changes, guild_id=B, action="import", member_id=2)
            outcome("written" if not made.empty else "nothing to write")
        except (InvalidPack, PermissionDenied) as refused:
            outcome(f"refused: {type(refused).__name__}")
        assert await rows_outside(store, B, shipped=False) == before_a
        if not is_owner:
            assert await rows_outside(store, B) == before_all


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sections=hostile_files(), is_owner=st.booleans())
def test_no_file_changes_another_servers_records(
    template: Path, sections: dict[str, Any], is_owner: bool
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "store.db"
        shutil.copy(template, path)
        asyncio.run(attempt(path, sections, is_owner=is_owner))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sections=hostile_files(), is_owner=st.booleans(), shipped_ids=st.booleans())
def test_a_plan_writes_only_the_writers_scope(
    sections: dict[str, Any], is_owner: bool, shipped_ids: bool
) -> None:
    """The planner alone, over many more files: every write is B's, or shipped (owners)."""
    meta = {
        "slug": "p",
        "title": "P",
        "author": "A",
        "publisher": "P",
        "published": "2024-01-01",
        "source_url": "https://example.org",
    }
    for c in sections["cards"]:
        c["pack"] = "p"
    pack = PackFile.model_validate({"pack": meta, **sections})
    writer = Writer(B, is_owner)
    existing = Existing()
    if shipped_ids:  # the shipped ids exist, as they do in a seeded store
        existing.actors = {
            i: Actor(id=i, name=i.title(), kind=ActorKind.STATE, role="Shipped.")
            for i in ("turkey", "russia")
        }
    named = lookup(pack, writer).ids["actors"]
    assert all(f"g{B}-{i}" in named or i.startswith(f"g{B}-") for i in ACTOR_IDS if i in named)
    try:
        changes = plan(pack, existing, writer=writer, by=None, at=now_utc())
    except InvalidPack:
        return
    records = [
        *(after for _, after in changes.cards),
        *changes.actors,
        *changes.events,
        *changes.shifts,
        *changes.relations,
    ]
    allowed = {B, None} if is_owner else {B}
    assert {r.guild_id for r in records} <= allowed
    assert all(r.guild_id is None or r.id.startswith("g222-") for r in records if hasattr(r, "id"))
