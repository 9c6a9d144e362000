"""The rows of one write: cards, catalogue records, links and search rows.

Called only from `writes.apply`, inside its transaction, after its scope checks. Batched:
one statement per table for the whole write, which is what makes a 10,000-card load take
seconds rather than minutes. No upsert ever changes a row's guild_id: a record stays in
the scope it was created in.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from briefings.chronology import SortKeys, sort_keys
from briefings.models import (
    Actor,
    Card,
    Concept,
    Event,
    LeverageShift,
    Pack,
    Relation,
    now_utc,
)
from briefings.namespaces import ActorRole, RelationKey, RoleKey
from briefings.store.database import Connection


async def write_cards(conn: Connection, cards: Sequence[Card]) -> dict[str, str]:
    """Upsert cards with their links and search rows; returns each card's JSON (by id),
    which the audit trail keeps too."""
    dumped = {c.id: c.model_dump_json() for c in cards}
    await conn.executemany(
        "INSERT INTO cards (id, pack, guild_id, section, status, version, updated_at, data) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET pack = excluded.pack, "
        "section = excluded.section, status = excluded.status, version = excluded.version, "
        "updated_at = excluded.updated_at, data = excluded.data",
        [
            (
                c.id,
                c.pack,
                c.guild_id,
                c.section,
                c.status.value,
                c.version,
                (c.updated_at or now_utc()).isoformat(),
                dumped[c.id],
            )
            for c in cards
        ],
    )
    ids = [(c.id,) for c in cards]
    await conn.executemany("DELETE FROM card_actors WHERE card_id = ?", ids)
    await conn.executemany("DELETE FROM card_events WHERE card_id = ?", ids)
    await conn.executemany(
        "INSERT INTO card_actors (card_id, actor_id) VALUES (?, ?)",
        [(c.id, a) for c in cards for a in dict.fromkeys(c.actors)],
    )
    await conn.executemany(
        "INSERT INTO card_events (card_id, event_id) VALUES (?, ?)",
        [(c.id, e) for c in cards for e in dict.fromkeys(c.events)],
    )
    await index_cards(conn, cards)
    return dumped


async def index_cards(conn: Connection, cards: Sequence[Card]) -> None:
    """Rewrite the cards' search rows, naming their actors and events as stored now."""
    names = await _names(conn, "actors", {a for c in cards for a in c.actors})
    titles = await _names(conn, "events", {e for c in cards for e in c.events})
    rows = []
    for card in cards:
        card_names = [n for a in card.actors for n in names.get(a, [])]
        card_names += [t for e in card.events for t in titles.get(e, [])]
        # One field per part of the card, so ranking can weigh them (CARD_FIELD_WEIGHTS).
        rows.append(
            (
                card.title,
                card.bottom_line or "",
                "\n".join(card.key_point_texts()),
                "\n".join([card.summary, " ".join(q.text for q in card.quotes)]),
                " ".join(card_names),
                card.id,
            )
        )
    await _index(conn, "cards", rows, columns=CARD_COLUMNS)


async def reindex_linked(
    conn: Connection,
    actor_ids: Iterable[str],
    event_ids: Iterable[str],
    *,
    skip: set[str],
) -> None:
    """Cards (but those in `skip`) that name these changed actors or events get fresh
    search rows, whatever their scope: the row is derived, the card is unchanged."""
    async with conn.execute(
        "SELECT data FROM cards WHERE id IN (SELECT card_id FROM card_actors WHERE actor_id "
        "IN (SELECT value FROM json_each(?)) UNION SELECT card_id FROM card_events "
        "WHERE event_id IN (SELECT value FROM json_each(?)))",
        (json.dumps(list(actor_ids)), json.dumps(list(event_ids))),
    ) as cursor:
        cards = [Card.model_validate_json(row[0]) for row in await cursor.fetchall()]
    await index_cards(conn, [c for c in cards if c.id not in skip])


async def _names(conn: Connection, table: str, ids: set[str]) -> dict[str, list[str]]:
    """An actor's name and aliases, or an event's title, by id."""
    if not ids:
        return {}
    sql = (
        "SELECT id, json_extract(data, '$.name'), json_extract(data, '$.aliases') FROM actors"
        if table == "actors"
        else "SELECT id, json_extract(data, '$.title'), '[]' FROM events"
    )
    async with conn.execute(
        f"{sql} WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(sorted(ids)),)
    ) as cursor:
        return {
            ident: [name, *json.loads(aliases)] for ident, name, aliases in await cursor.fetchall()
        }


CARD_COLUMNS = ("title", "bottom_line", "points", "body", "names")
"""The cards' search fields (migration 005); actors and events keep (title, body, names)."""
_COLUMNS = ("title", "body", "names")


async def _index(
    conn: Connection,
    table: str,
    rows: Sequence[tuple[str, ...]],
    *,
    columns: Sequence[str] = _COLUMNS,
) -> None:
    """Rewrite the search rows of records given as (*columns, id)."""
    ids = json.dumps([row[-1] for row in rows])
    async with conn.execute(
        f"SELECT id, rowid FROM {table} WHERE id IN (SELECT value FROM json_each(?))", (ids,)
    ) as cursor:
        rowids = {ident: rowid for ident, rowid in await cursor.fetchall()}
    # Explicit rowids: FTS5 ingests these ~4x faster than INSERT ... SELECT per row.
    fts = f"{table}_fts"
    await conn.executemany(f"DELETE FROM {fts} WHERE rowid = ?", [(r,) for r in rowids.values()])
    await conn.executemany(
        f"INSERT INTO {fts} (rowid, {', '.join(columns)}) VALUES (?{', ?' * len(columns)})",
        [(rowids[row[-1]], *row[:-1]) for row in rows],
    )


async def upsert_catalogue(
    conn: Connection,
    pack: str,
    actors: Sequence[Actor] = (),
    events: Sequence[Event] = (),
    shifts: Sequence[LeverageShift] = (),
    relations: Sequence[Relation] = (),
) -> None:
    """Insert or update catalogue records by id (relations: by scope and triple), with
    their links and search rows."""
    # The record every briefing shares; roles are the briefings' own (`write_roles`).
    # `pack` stays the briefing that first named the actor.
    await conn.executemany(
        "INSERT INTO actors (id, pack, guild_id, data) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET data = excluded.data",
        [
            (a.id, pack, a.guild_id, a.model_dump_json(exclude={"role"}, exclude_none=False))
            for a in actors
        ],
    )
    await _upsert_events(conn, pack, events)
    await conn.executemany(
        "INSERT INTO leverage (id, pack, guild_id, domain, actor, over, period, data) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET pack = excluded.pack, "
        "domain = excluded.domain, actor = excluded.actor, over = excluded.over, "
        "period = excluded.period, data = excluded.data",
        [
            (
                s.id,
                pack,
                s.guild_id,
                s.domain.value,
                s.actor,
                s.over,
                s.period.value,
                s.model_dump_json(),
            )
            for s in shifts
        ],
    )
    await conn.executemany(
        "INSERT INTO relations (pack, guild_id, source, target, kind, data) "
        "VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (ifnull(guild_id, 0), ifnull(pack, ''), source, target, kind) "
        "DO UPDATE SET data = excluded.data",
        [
            (pack, r.guild_id, r.source, r.target, r.kind.value, r.model_dump_json())
            for r in relations
        ],
    )


async def _upsert_events(conn: Connection, pack: str, events: Sequence[Event]) -> None:
    keys = sort_keys(events, await _stored_keys(conn, events))
    await conn.executemany(
        "INSERT INTO events (id, pack, guild_id, sort_start, sort_end, data) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET pack = excluded.pack, "
        "sort_start = excluded.sort_start, sort_end = excluded.sort_end, data = excluded.data",
        [(e.id, pack, e.guild_id, *keys[e.id], e.model_dump_json()) for e in events],
    )
    await conn.executemany("DELETE FROM event_actors WHERE event_id = ?", [(e.id,) for e in events])
    await conn.executemany(
        "INSERT INTO event_actors (event_id, actor_id) VALUES (?, ?)",
        [(e.id, a) for e in events for a in dict.fromkeys(e.actors)],
    )
    await _index(
        conn,
        "events",
        [
            (e.title, f"{e.what}\n{e.why}", " ".join([e.date.text, *e.places, *e.aliases]), e.id)
            for e in events
        ],
    )


async def delete_dropped(
    conn: Connection,
    pack: str,
    *,
    events: Sequence[str],
    shifts: Sequence[str],
    relations: Sequence[RelationKey],
) -> None:
    """A pack load's shipped records that its file no longer has (never a server's)."""
    scoped = "pack = ? AND guild_id IS NULL AND id IN (SELECT value FROM json_each(?))"
    gone_events = (pack, json.dumps(list(events)))
    await conn.execute(
        f"DELETE FROM events_fts WHERE rowid IN (SELECT rowid FROM events WHERE {scoped})",
        gone_events,
    )
    for link in ("card_events", "event_actors"):
        await conn.execute(
            f"DELETE FROM {link} WHERE event_id IN (SELECT id FROM events WHERE {scoped})",
            gone_events,
        )
    await conn.execute(f"DELETE FROM events WHERE {scoped}", gone_events)
    await conn.execute(f"DELETE FROM leverage WHERE {scoped}", (pack, json.dumps(list(shifts))))
    await conn.executemany(
        "DELETE FROM relations WHERE pack = ? AND guild_id IS NULL AND source = ? "
        "AND target = ? AND kind = ?",
        [(pack, s, t, k) for _, _, s, t, k in relations],
    )


async def write_pack(conn: Connection, meta: Pack, content_hash: str, *, at: Any) -> None:
    """A briefing's row; its scope never changes here (see `make_global`)."""
    await conn.execute(
        "INSERT INTO packs (slug, version, content_hash, loaded_at, data, guild_id, status, "
        "created_at, created_by, published_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (slug) DO UPDATE SET version = excluded.version, "
        "content_hash = excluded.content_hash, loaded_at = excluded.loaded_at, "
        "data = excluded.data, status = excluded.status, published_at = excluded.published_at",
        (
            meta.slug,
            meta.version,
            content_hash,
            at.isoformat(),
            meta.model_dump_json(),
            meta.guild_id,
            meta.status.value,
            meta.created_at.isoformat() if meta.created_at else None,
            meta.created_by,
            meta.published_at.isoformat() if meta.published_at else None,
        ),
    )


async def write_roles(
    conn: Connection, roles: Sequence[ActorRole], *, removed: Sequence[RoleKey]
) -> None:
    """What briefings say about actors, then the actors' search rows: name, aliases, and
    the roles of the actor's own scope (a server's words never reach another's search)."""
    await conn.executemany(
        "DELETE FROM actor_roles WHERE actor_id = ? AND pack = ?", [tuple(k) for k in removed]
    )
    await conn.executemany(
        "INSERT INTO actor_roles (actor_id, pack, guild_id, role, aliases) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (actor_id, pack) DO UPDATE SET role = excluded.role, "
        "aliases = excluded.aliases",
        [(r.actor, r.pack, r.guild_id, r.role, json.dumps(list(r.aliases))) for r in roles],
    )


async def index_actors(conn: Connection, actor_ids: Iterable[str]) -> None:
    async with conn.execute(
        "SELECT a.id, a.data, (SELECT group_concat(r.role, char(10)) FROM actor_roles r "
        "WHERE r.actor_id = a.id AND r.role IS NOT NULL "
        "AND ifnull(r.guild_id, 0) = ifnull(a.guild_id, 0)) FROM actors a "
        "WHERE a.id IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(set(actor_ids))),),
    ) as cursor:
        found = await cursor.fetchall()
    rows = []
    for ident, data, roles in found:
        actor = Actor.model_validate_json(data)
        rows.append((actor.name, roles or "", " ".join(actor.aliases), ident))
    await _index(conn, "actors", rows)


async def _stored_keys(conn: Connection, events: Sequence[Event]) -> dict[str, SortKeys]:
    """Sort keys of stored events that these are dated against but that are not among them."""
    ids = {e.id for e in events}
    refs = {e.date.relative_to for e in events} - ids - {None}
    if not refs:
        return {}
    async with conn.execute(
        "SELECT id, sort_start, sort_end FROM events WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(r for r in refs if r)),),
    ) as cursor:
        return {ident: (start, end or "") for ident, start, end in await cursor.fetchall()}


async def write_concepts(
    conn: Connection, pack: str, concepts: Sequence[Concept], *, host: bool
) -> None:
    """A file's concept aliases replace those of its scope with the same ids; a host's
    pack load replaces the pack's shipped ones whole (what the file no longer has goes)."""
    if host:
        await conn.execute("DELETE FROM concepts WHERE pack = ? AND guild_id IS NULL", (pack,))
    await conn.executemany(
        "INSERT INTO concepts (pack, guild_id, id, data) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (ifnull(guild_id, 0), pack, id) DO UPDATE SET data = excluded.data",
        [(pack, c.guild_id, c.id, c.model_dump_json()) for c in concepts],
    )
