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
from briefings.errors import FieldProblem, InvalidPack, ScopeConflict, StaleBriefing, StaleCard
from briefings.models import Actor, Card, Event, LeverageShift, Pack, Relation, Status
from briefings.namespaces import ActorRole, Existing, Lookup, Writer, actor_names, relation_key
from briefings.planning import role_scope
from briefings.store import revisions, rows
from briefings.store.database import Connection, Database

_IN = "id IN (SELECT value FROM json_each(?))"
MISSING_SUMMARY = "a published card needs a summary; only a draft may leave it empty"
DRAFT_BRIEFING = "its briefing {pack!r} is a draft: publish the briefing to publish its cards"


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
    names = await _actor_names(db, scope) if lookup.names else {}
    actor_ids = sorted(lookup.ids.get("actors", frozenset()) | set(names.values()))
    actor_rows = await db.fetch_all(
        f"SELECT data FROM actors WHERE ({_IN}{visible})", (json.dumps(actor_ids), *tail)
    )
    existing = Existing(
        cards={c.id: c for c in map(Card.model_validate_json, await fetch("cards", shipped, pack))},
        actors={a.id: a for a in (Actor.model_validate_json(r[0]) for r in actor_rows)},
        events={e.id: e for e in map(Event.model_validate_json, await fetch("events"))},
        shifts={s.id: s for s in map(LeverageShift.model_validate_json, await fetch("leverage"))},
        packs=await _read_packs(db, lookup),
        names=names,
    )
    await _read_homes(db, lookup, existing)
    await _read_roles(db, actor_ids, sorted(lookup.ids["packs"]), existing)
    relation_rows = await db.fetch_all(
        "SELECT pack, data FROM relations WHERE (source IN (SELECT value FROM json_each(?))"
        f"{visible}){shipped}",
        (json.dumps(actor_ids), *tail, *pack),
    )
    for row in relation_rows:
        relation = Relation.model_validate_json(row[1])
        existing.relations[relation_key(relation, row[0] or "")] = relation
    if host:
        await _read_pack(db, lookup.pack, existing)
    return existing


async def _actor_names(db: Database, scope: int | None) -> dict[str, str]:
    """The folded names and aliases of every actor `scope` sees -> their ids, so a file's
    actor is matched to one that exists under another id. (An id the file names wins.)"""
    rows = await db.fetch_all(
        "SELECT data FROM actors WHERE guild_id IS NULL OR guild_id = ? "
        "ORDER BY guild_id IS NULL, rowid",
        (scope,),
    )
    found: dict[str, str] = {}
    for row in rows:
        actor = Actor.model_validate_json(row[0])
        for name in actor_names(actor):
            found.setdefault(name, actor.id)  # the server's own first, then global
    return found


async def _read_homes(db: Database, lookup: Lookup, existing: Existing) -> None:
    """The briefing each stored event and shift the file names belongs to."""
    for table in ("events", "leverage"):
        rows = await db.fetch_all(
            f"SELECT id, pack FROM {table} WHERE {_IN}",
            (json.dumps(sorted(lookup.ids.get(table, ()))),),
        )
        existing.homes.update({(table, r[0]): r[1] for r in rows})


async def _read_packs(db: Database, lookup: Lookup) -> dict[str, Pack]:
    """The briefings the file's slug may name: for a server, global ones and its own."""
    visible = "" if lookup.scope is None else " AND (guild_id IS NULL OR guild_id = ?)"
    tail: tuple[Any, ...] = () if lookup.scope is None else (lookup.scope,)
    rows = await db.fetch_all(
        f"SELECT data FROM packs WHERE slug IN (SELECT value FROM json_each(?)){visible}",
        (json.dumps(sorted(lookup.ids["packs"])), *tail),
    )
    return {p.slug: p for p in (Pack.model_validate_json(r[0]) for r in rows)}


async def _read_roles(
    db: Database, actor_ids: list[str], packs: list[str], existing: Existing
) -> None:
    """What the briefings the file may name say about its actors (no other briefing's)."""
    rows = await db.fetch_all(
        "SELECT actor_id, pack, guild_id, role, aliases FROM actor_roles "
        "WHERE actor_id IN (SELECT value FROM json_each(?)) "
        "AND pack IN (SELECT value FROM json_each(?))",
        (json.dumps(actor_ids), json.dumps(packs)),
    )
    for actor, pack, guild, role, aliases in rows:
        row = ActorRole(actor, pack, guild, role, tuple(json.loads(aliases)))
        existing.roles[(actor, pack)] = row


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
        (None, pack, r[0], r[1], r[2])
        for r in await db.fetch_all(f"SELECT source, target, kind FROM relations {ours}", (pack,))
    }
    for actor, guild, role, aliases in await db.fetch_all(
        f"SELECT actor_id, guild_id, role, aliases FROM actor_roles {ours}", (pack,)
    ):
        existing.roles.setdefault(
            (actor, pack), ActorRole(actor, pack, guild, role, tuple(json.loads(aliases)))
        )


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
        changed_actors, changed_events, roles = await _check(conn, changes, writer)
        if changes.pack_meta is not None:
            await rows.write_pack(conn, changes.pack_meta, changes.pack_hash, at=at)
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
        await rows.write_roles(conn, roles, removed=changes.removed_roles)
        touched = {a.id for a in changes.actors} | {r.actor for r in roles}
        await rows.index_actors(conn, touched | {k[0] for k in changes.removed_roles})
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
) -> tuple[list[str], list[str], list[ActorRole]]:
    """Refuse the whole write if any row it touches is out of the writer's reach, then
    if any card is stale. Reads every scope: a planner's view is not trusted here.
    Returns the ids of actors and events that existed (their cards' search rows change),
    and the role rows to write."""
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
    refused += await _check_pack(conn, changes, writer)
    briefing = await _briefing(conn, changes) if changes.cards or changes.actors else None
    if changes.cards:
        refused += _check_cards(changes, briefing)
    roles = _roles(changes, briefing)
    refused += (
        []
        if refused
        else [
            ("actor_roles", f"{r.actor} in {r.pack}")
            for r in roles
            if not writer.may_write(r.guild_id) or r.pack != changes.pack
        ]
    )
    if refused:
        raise ScopeConflict(refused)
    await _check_versions(conn, changes, stored["cards"])
    return list(stored["actors"]), list(stored["events"]), roles


async def _check_pack(
    conn: Connection, changes: ChangeSet, writer: Writer
) -> list[tuple[str, str]]:
    """A briefing's row is written by its scope's writers (a global one: owners, or the
    host), never moved to another scope here; only the host drops a pack's records."""
    dropped = changes.removed_events or changes.removed_shifts or changes.removed_relations
    if writer.scope is not None and (dropped or changes.removed_roles):
        return [("packs", changes.pack)]
    meta = changes.pack_meta
    if meta is None:
        return []
    async with conn.execute(
        "SELECT guild_id, version, data FROM packs WHERE slug = ?", (meta.slug,)
    ) as cursor:
        row = await cursor.fetchone()
    stored = Pack.model_validate_json(row[2]) if row else None
    if (changes.new_pack and stored is not None) or (
        changes.pack_seen is not None and (stored is None or stored.version != changes.pack_seen)
    ):
        raise StaleBriefing(stored)
    if writer.scope is None:
        return []
    old = row[0] if row else meta.guild_id
    if old != meta.guild_id or not writer.may_write(old) or meta.slug != changes.pack:
        return [("packs", meta.slug)]
    return []


async def _briefing(conn: Connection, changes: ChangeSet) -> Pack | None:
    """The briefing this write's cards belong to, as the write leaves it."""
    if changes.pack_meta is not None:
        return changes.pack_meta
    async with conn.execute("SELECT data FROM packs WHERE slug = ?", (changes.pack,)) as cursor:
        row = await cursor.fetchone()
    return Pack.model_validate_json(row[0]) if row else None


def _check_cards(changes: ChangeSet, briefing: Pack | None) -> list[tuple[str, str]]:
    """Cards are written into their own briefing, in its scope (a server's card may sit in
    a global briefing); none is published without a summary, or while its briefing is a
    draft. Returns the cards out of reach; raises InvalidPack for the rest."""
    scope = briefing.guild_id if briefing else None
    refused = [
        ("cards", c.id)
        for _, c in changes.cards
        if c.pack != changes.pack or briefing is None or scope not in (None, c.guild_id)
    ]
    published = [c for _, c in changes.cards if c.status is Status.PUBLISHED]
    problems = [
        FieldProblem(changes.pack, f"card ({c.id})", "summary", MISSING_SUMMARY)
        for c in published
        if not c.summary
    ]
    if briefing is not None and briefing.status is Status.DRAFT:
        problem = DRAFT_BRIEFING.format(pack=changes.pack)
        problems += [
            FieldProblem(changes.pack, f"card ({c.id})", "status", problem) for c in published
        ]
    if problems and not refused:
        raise InvalidPack(problems)
    return refused


def _roles(changes: ChangeSet, briefing: Pack | None) -> list[ActorRole]:
    """The role rows to write: the plan's, and for an actor written with a role but no
    row of its own (the card form's new actors), one in the briefing's scope."""
    planned = {r.actor for r in changes.roles}
    pack_scope = briefing.guild_id if briefing else None
    made = [
        ActorRole(a.id, changes.pack, role_scope(pack_scope, a.guild_id), a.role)
        for a in changes.actors
        if a.role is not None and a.id not in planned
    ]
    return [*changes.roles, *made]


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


_MOVED = ("cards", "events", "leverage", "relations", "concepts")


async def make_global(db: Database, slug: str, *, at: datetime) -> Pack:
    """The one write that changes a scope: a server's briefing, its cards, events, shifts,
    ties, concepts and roles, and the server's own actors they name, become global. The
    actors' roles in the server's other briefings stay the server's."""
    async with db.transaction() as conn:
        async with conn.execute("SELECT data FROM packs WHERE slug = ?", (slug,)) as cursor:
            row = await cursor.fetchone()
        if row is None:
            raise ScopeConflict([("packs", slug)])
        before = Pack.model_validate_json(row[0])
        scope = before.guild_id
        after = before.model_copy(update={"guild_id": None, "version": before.version + 1})
        await conn.execute(
            "UPDATE packs SET guild_id = NULL, version = ?, loaded_at = ?, data = ? WHERE slug = ?",
            (after.version, at.isoformat(), after.model_dump_json(), slug),
        )
        actors = await _named_actors(conn, slug, scope)
        for table in _MOVED:
            await conn.execute(
                f"UPDATE {table} SET guild_id = NULL, data = json_set(data, '$.guild_id', "
                "json('null')) WHERE pack = ? AND guild_id = ?",
                (slug, scope),
            )
        await conn.execute(
            "UPDATE actor_roles SET guild_id = NULL WHERE pack = ? AND guild_id = ?", (slug, scope)
        )
        await conn.execute(
            "UPDATE actors SET guild_id = NULL, data = json_set(data, '$.guild_id', json('null')) "
            f"WHERE guild_id = ? AND {_IN}",
            (scope, json.dumps(actors)),
        )
        await rows.index_actors(conn, actors)
    return after


async def _named_actors(conn: Connection, slug: str, scope: int | None) -> list[str]:
    """The server's own actors a briefing names anywhere (cards, events, shifts, ties, roles)."""
    async with conn.execute(
        "SELECT a.id FROM actors a WHERE a.guild_id = ? AND a.id IN ("
        "SELECT ca.actor_id FROM card_actors ca JOIN cards c ON c.id = ca.card_id "
        "WHERE c.pack = ? UNION SELECT ea.actor_id FROM event_actors ea JOIN events e "
        "ON e.id = ea.event_id WHERE e.pack = ? UNION SELECT actor FROM leverage WHERE pack = ? "
        "UNION SELECT over FROM leverage WHERE pack = ? UNION SELECT source FROM relations "
        "WHERE pack = ? UNION SELECT target FROM relations WHERE pack = ? "
        "UNION SELECT actor_id FROM actor_roles WHERE pack = ?)",
        (scope, *[slug] * 7),
    ) as cursor:
        return sorted(str(r[0]) for r in await cursor.fetchall())
