"""The catalogue's queries (actors and what briefings say of them, events, leverage,
relations) and a briefing's export: the read half of `CardStore`."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TypeVar

from pydantic import BaseModel

from briefings.models import (
    Actor,
    Card,
    Concept,
    Domain,
    Event,
    LeverageShift,
    Pack,
    PackFile,
    Relation,
)
from briefings.namespaces import ActorRole
from briefings.store.database import Database, Row

M = TypeVar("M", bound=BaseModel)

VISIBLE = "(guild_id IS NULL OR guild_id = ?)"
"""A record is visible in a guild when it is global or belongs to that guild."""
LIVE = "(pack IS NULL OR pack NOT IN (SELECT slug FROM packs WHERE status = 'draft'))"
"""...and when its briefing is published (a draft's records wait for it, like its cards)."""
E_SEEN = (
    "(e.guild_id IS NULL OR e.guild_id = ?) AND (e.pack IS NULL OR e.pack NOT IN "
    "(SELECT slug FROM packs WHERE status = 'draft'))"
)
"""VISIBLE and LIVE, said of events as `e`."""
IN_PACK = (
    " AND (e.pack = ? OR e.id IN (SELECT ce.event_id FROM card_events ce "
    "JOIN cards c ON c.id = ce.card_id WHERE c.pack = ?))"
)
"""An event of one briefing: its own, or one its cards name."""


class CatalogueReads:
    db: Database

    async def pack(self, slug: str) -> Pack | None:
        row = await self.db.fetch_one("SELECT data FROM packs WHERE slug = ?", (slug,))
        return Pack.model_validate_json(row["data"]) if row else None

    # --- catalogue ------------------------------------------------------------------

    async def actors(self, *, guild_id: int | None) -> list[Actor]:
        """The actors a guild sees, each with the role its newest visible briefing gives
        and the names every visible briefing uses for them."""
        rows = await self.db.fetch_all(f"SELECT data FROM actors WHERE {VISIBLE}", (guild_id,))
        return _with_roles(models(Actor, rows), await self.actor_roles(guild_id=guild_id))

    async def actor(self, actor_id: str, *, guild_id: int | None) -> Actor | None:
        row = await self.db.fetch_one(
            f"SELECT data FROM actors WHERE id = ? AND {VISIBLE}", (actor_id, guild_id)
        )
        if row is None:
            return None
        roles = await self.actor_roles(guild_id=guild_id, actor_id=actor_id)
        return _with_roles([Actor.model_validate_json(row["data"])], roles)[0]

    async def actor_roles(
        self, *, guild_id: int | None, actor_id: str | None = None
    ) -> list[ActorRole]:
        """What the published briefings a guild sees say about actors, newest article
        first (by the briefing's `published` date)."""
        sql = (
            "SELECT r.actor_id, r.pack, r.guild_id, r.role, r.aliases FROM actor_roles r "
            "JOIN packs p ON p.slug = r.pack WHERE p.status = 'published' "
            "AND (p.guild_id IS NULL OR p.guild_id = ?) "
            "AND (r.guild_id IS NULL OR r.guild_id = ?)"
        )
        params: list[Any] = [guild_id, guild_id]
        if actor_id is not None:
            sql += " AND r.actor_id = ?"
            params.append(actor_id)
        rows = await self.db.fetch_all(
            sql + " ORDER BY json_extract(p.data, '$.published') DESC, p.created_at DESC, p.slug",
            params,
        )
        return [ActorRole(a, p, g, r, tuple(json.loads(al))) for a, p, g, r, al in rows]

    async def events(
        self, *, guild_id: int | None, actor_id: str | None = None, pack: str | None = None
    ) -> list[Event]:
        """Events in date order (undated last), of every briefing the guild sees or of
        one (`pack`)."""
        if actor_id is None:
            sql = f"SELECT e.data FROM events e WHERE {E_SEEN}"
            params: list[Any] = [guild_id]
        else:
            sql = (
                "SELECT e.data FROM event_actors ea JOIN events e ON e.id = ea.event_id "
                f"WHERE ea.actor_id = ? AND {E_SEEN}"
            )
            params = [actor_id, guild_id]
        if pack is not None:
            sql += IN_PACK
            params += [pack, pack]
        rows = await self.db.fetch_all(
            sql + " ORDER BY e.sort_start IS NULL, e.sort_start, e.sort_end, e.id", params
        )
        return models(Event, rows)

    async def event(self, event_id: str, *, guild_id: int | None) -> Event | None:
        row = await self.db.fetch_one(
            f"SELECT data FROM events WHERE id = ? AND {VISIBLE} AND {LIVE}", (event_id, guild_id)
        )
        return Event.model_validate_json(row["data"]) if row else None

    async def leverage(
        self,
        *,
        guild_id: int | None,
        domain: Domain | None = None,
        actor_id: str | None = None,
        pack: str | None = None,
    ) -> list[LeverageShift]:
        """Shifts, optionally in one domain and/or involving one actor (either side)
        and/or of one briefing (`pack`)."""
        sql = f"SELECT data FROM leverage WHERE {VISIBLE} AND {LIVE}"
        params: list[Any] = [guild_id]
        if pack is not None:
            sql += " AND pack = ?"
            params.append(pack)
        if domain is not None:
            sql += " AND domain = ?"
            params.append(domain.value)
        if actor_id is not None:
            sql += " AND (actor = ? OR over = ?)"
            params += [actor_id, actor_id]
        # before, after, then those the article does not tie to the pivot
        order = "CASE period WHEN 'before' THEN 0 WHEN 'after' THEN 1 ELSE 2 END"
        rows = await self.db.fetch_all(sql + f" ORDER BY domain, {order}, id", params)
        return models(LeverageShift, rows)

    async def relations(self, *, guild_id: int | None) -> list[Relation]:
        rows = await self.db.fetch_all(
            f"SELECT data FROM relations WHERE {VISIBLE} AND {LIVE} ORDER BY source, target",
            (guild_id,),
        )
        return models(Relation, rows)

    async def briefings_of(self, table: str, ids: Iterable[str]) -> dict[str, str]:
        """The briefing each event or shift (by id) belongs to."""
        if table not in ("events", "leverage"):
            return {}
        rows = await self.db.fetch_all(
            f"SELECT id, pack FROM {table} WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(set(ids))),),
        )
        return {str(r[0]): str(r[1]) for r in rows if r[1] is not None}

    async def ties(self, actor_id: str, *, guild_id: int | None) -> list[tuple[Relation, str]]:
        """The ties the briefings a guild sees state for one actor (either end), each
        with its briefing."""
        rows = await self.db.fetch_all(
            f"SELECT pack, data FROM relations WHERE {VISIBLE} AND {LIVE} "
            "AND (source = ? OR target = ?) ORDER BY source, target, kind",
            (guild_id, actor_id, actor_id),
        )
        return [(Relation.model_validate_json(r[1]), str(r[0] or "")) for r in rows]

    async def export_pack(self, slug: str, *, guild_id: int | None = None) -> PackFile | None:
        """The pack as a file would hold it: what `load_pack` turns back into this state."""
        pack = await self.pack(slug)
        if pack is None:
            return None
        where = "pack = ? AND guild_id IS NULL" if guild_id is None else "pack = ? AND guild_id = ?"
        params: tuple[Any, ...] = (slug,) if guild_id is None else (slug, guild_id)

        async def rows(table: str, order: str = "rowid", extra: str = "") -> list[Any]:
            sql = f"SELECT data FROM {table} WHERE {where}{extra} ORDER BY {order}"
            return await self.db.fetch_all(sql, params)

        actors = await self._pack_actors(slug, guild_id)
        events, shifts = await rows("events"), await rows("leverage")
        rels, concepts = await rows("relations"), await rows("concepts")
        cards = await rows("cards", "section, id", " AND status != 'archived'")
        return PackFile(
            pack=pack,
            concepts=[c.model_copy(update={"guild_id": None}) for c in models(Concept, concepts)],
            actors=actors,
            events=models(Event, events),
            leverage=models(LeverageShift, shifts),
            relations=models(Relation, rels),
            cards=[
                c.model_copy(update={name: None for name in Card.BOOKKEEPING} | {"version": 1})
                for c in models(Card, cards)
            ],
        )

    async def _pack_actors(self, slug: str, guild_id: int | None) -> list[Actor]:
        """The actors a briefing describes in one scope, each with what it says of them:
        those it created, and those it gives a role (the shared record, plus its names)."""
        rows = await self.db.fetch_all(
            "SELECT a.data, r.role, r.aliases FROM actors a LEFT JOIN actor_roles r "
            "ON r.actor_id = a.id AND r.pack = ? AND r.guild_id IS ? "
            "WHERE (a.pack = ? AND a.guild_id IS ?) OR r.actor_id IS NOT NULL ORDER BY a.rowid",
            (slug, guild_id, slug, guild_id),
        )
        actors = []
        for data, role, aliases in rows:
            actor = Actor.model_validate_json(data)
            extra = [n for n in json.loads(aliases or "[]") if n not in actor.aliases]
            actors.append(actor.model_copy(update={"role": role, "aliases": actor.aliases + extra}))
        return actors


def _with_roles(actors: list[Actor], roles: list[ActorRole]) -> list[Actor]:
    """Actors as a guild reads them: the newest role its briefings give (`roles` is
    newest first), and the names they use beyond the record's."""
    role: dict[str, str] = {}
    names: dict[str, list[str]] = {}
    for row in roles:
        if row.role is not None:
            role.setdefault(row.actor, row.role)
        names.setdefault(row.actor, []).extend(row.aliases)
    out = []
    for actor in actors:
        extra = [n for n in names.get(actor.id, ()) if n not in actor.aliases]
        if actor.id in role or extra:
            update: dict[str, Any] = {"role": role.get(actor.id, actor.role)}
            if extra:
                update["aliases"] = [*actor.aliases, *dict.fromkeys(extra)]
            actor = actor.model_copy(update=update)
        out.append(actor)
    return out


def models(model: type[M], rows: Iterable[Row]) -> list[M]:
    return [model.model_validate_json(row["data"]) for row in rows]
