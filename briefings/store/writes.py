"""The one card write: what a plan reads first, and the transaction that applies it.

Every way cards change (a pack load, a server's import, the card form, a status change)
ends in `apply`, which checks in one place, inside the transaction, that no row of a
scope the writer may not touch is written, before it writes anything.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from briefings.changes import Action, ChangeSet
from briefings.errors import ScopeConflict, StaleCard
from briefings.models import Actor, Card, Event, LeverageShift, Relation
from briefings.namespaces import Existing, Lookup, Writer, relation_key
from briefings.store import revisions, rows
from briefings.store.database import Connection, Database

_IN = "id IN (SELECT value FROM json_each(?))"


async def read_existing(db: Database, lookup: Lookup) -> Existing:
    """The stored records a plan needs. For a server: shipped ones and its own only."""
    scope = lookup.scope
    visible = "" if scope is None else " AND (guild_id IS NULL OR guild_id = ?)"
    tail: tuple[Any, ...] = () if scope is None else (scope,)

    async def fetch(table: str, extra: str = "", params: tuple[Any, ...] = ()) -> list[str]:
        found = await db.fetch_all(
            f"SELECT data FROM {table} WHERE ({_IN}{visible}){extra}",
            (json.dumps(sorted(lookup.ids.get(table, ()))), *tail, *params),
        )
        return [row[0] for row in found]

    host = scope is None
    shipped = " OR (pack = ? AND guild_id IS NULL)" if host else ""
    pack = (lookup.pack,) if host else ()
    existing = Existing(
        cards={c.id: c for c in map(Card.model_validate_json, await fetch("cards", shipped, pack))},
        actors={a.id: a for a in map(Actor.model_validate_json, await fetch("actors"))},
        events={e.id: e for e in map(Event.model_validate_json, await fetch("events"))},
        shifts={s.id: s for s in map(LeverageShift.model_validate_json, await fetch("leverage"))},
    )
    relation_rows = await db.fetch_all(
        f"SELECT data FROM relations WHERE (source IN (SELECT value FROM json_each(?)){visible})"
        f"{shipped}",
        (json.dumps(sorted(lookup.ids.get("actors", ()))), *tail, *pack),
    )
    for row in relation_rows:
        relation = Relation.model_validate_json(row[0])
        existing.relations[relation_key(relation)] = relation
    if host:
        await _read_pack(db, lookup.pack, existing)
    return existing


async def _read_pack(db: Database, pack: str, existing: Existing) -> None:
    """A host's load also needs the pack's version and its shipped catalogue."""
    row = await db.fetch_one("SELECT version FROM packs WHERE slug = ?", (pack,))
    existing.pack_version = int(row[0]) if row else None
    ours = "WHERE pack = ? AND guild_id IS NULL"
    existing.pack_events = {
        r[0] for r in await db.fetch_all(f"SELECT id FROM events {ours}", (pack,))
    }
    existing.pack_shifts = {
        r[0] for r in await db.fetch_all(f"SELECT id FROM leverage {ours}", (pack,))
    }
    existing.pack_relations = {
        (None, r[0], r[1], r[2])
        for r in await db.fetch_all(f"SELECT source, target, kind FROM relations {ours}", (pack,))
    }


async def apply(
    db: Database,
    changes: ChangeSet,
    writer: Writer,
    *,
    action: Action,
    member_id: int | None,
    at: datetime,
) -> None:
    """Write a change set whole, or nothing. ScopeConflict if any row it writes belongs to
    a scope `writer` may not change (or would move to another); StaleCard if a card moved
    on since it was read (or a new id was taken meanwhile)."""
    async with db.transaction() as conn:
        changed_actors, changed_events = await _check(conn, changes, writer)
        if changes.pack_meta is not None:
            meta = changes.pack_meta
            await conn.execute(
                "INSERT INTO packs (slug, version, content_hash, loaded_at, data) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (slug) DO UPDATE SET "
                "version = excluded.version, content_hash = excluded.content_hash, "
                "loaded_at = excluded.loaded_at, data = excluded.data",
                (
                    meta.slug,
                    meta.version,
                    changes.pack_hash,
                    at.isoformat(),
                    meta.model_dump_json(),
                ),
            )
        await rows.delete_dropped(
            conn,
            changes.pack,
            events=changes.removed_events,
            shifts=changes.removed_shifts,
            relations=changes.removed_relations,
        )
        await rows.upsert_catalogue(
            conn, changes.pack, changes.actors, changes.events, changes.shifts, changes.relations
        )
        cards = [after for _, after in changes.cards]
        skip = {c.id for c in cards}
        await rows.reindex_linked(conn, changed_actors, changed_events, skip=skip)
        dumped = await rows.write_cards(conn, cards)
        if changes.concepts or changes.pack_meta is not None:
            host = changes.pack_meta is not None
            await rows.write_concepts(conn, changes.pack, changes.concepts, host=host)
        await revisions.record(
            conn, changes.cards, action=action, member_id=member_id, at=at, dumped=dumped
        )


async def _check(
    conn: Connection, changes: ChangeSet, writer: Writer
) -> tuple[list[str], list[str]]:
    """Refuse the whole write if any row it touches is out of the writer's reach, then
    if any card is stale. Reads every scope: a planner's view is not trusted here.
    Returns the ids of actors and events that existed (their cards' search rows change)."""
    refused: list[tuple[str, str]] = []
    stored: dict[str, dict[str, tuple[int | None, int | None]]] = {}
    written: list[tuple[str, list[tuple[str, int | None]]]] = [
        ("cards", [(c.id, c.guild_id) for _, c in changes.cards]),
        ("actors", [(a.id, a.guild_id) for a in changes.actors]),
        ("events", [(e.id, e.guild_id) for e in changes.events]),
        ("leverage", [(s.id, s.guild_id) for s in changes.shifts]),
    ]
    for table, records in written:
        stored[table] = found = await _scopes(conn, table, [ident for ident, _ in records])
        for ident, scope in records:
            old = found[ident][0] if ident in found else scope
            if old != scope or not writer.may_write(old):
                refused.append((table, ident))
    refused += [
        ("relations", f"{r.source} {r.kind.value} {r.target}")
        for r in changes.relations
        if not writer.may_write(r.guild_id)
    ]
    pack_level = changes.pack_meta or changes.removed_events or changes.removed_shifts
    if writer.scope is not None and (pack_level or changes.removed_relations):
        refused.append(("packs", changes.pack))  # only the host loads a pack
    if refused:
        raise ScopeConflict(refused)
    await _check_versions(conn, changes, stored["cards"])
    return list(stored["actors"]), list(stored["events"])


async def _check_versions(
    conn: Connection,
    changes: ChangeSet,
    current: dict[str, tuple[int | None, int | None]],
) -> None:
    for before, after in changes.cards:
        now = current.get(after.id)
        if (now[1] if now else None) != (before.version if before else None):
            async with conn.execute("SELECT data FROM cards WHERE id = ?", (after.id,)) as cur:
                row = await cur.fetchone()
            raise StaleCard(Card.model_validate_json(row[0]) if row else None)


async def _scopes(
    conn: Connection, table: str, ids: list[str]
) -> dict[str, tuple[int | None, int | None]]:
    """(guild_id, version) of the stored rows with these ids, in every scope."""
    version = "version" if table == "cards" else "NULL"
    async with conn.execute(
        f"SELECT id, guild_id, {version} FROM {table} WHERE {_IN}", (json.dumps(ids),)
    ) as cursor:
        return {row[0]: (row[1], row[2]) for row in await cursor.fetchall()}
