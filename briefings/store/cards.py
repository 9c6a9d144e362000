"""CardStore: every query the product runs, returning models, never rows."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from briefings.changes import Action, ChangeSet
from briefings.errors import StoreError
from briefings.models import (
    Card,
    Concept,
    Pack,
    Status,
)
from briefings.namespaces import Existing, Lookup, Writer
from briefings.results import CardRef
from briefings.store import revisions, writes
from briefings.store.catalogue import VISIBLE, CatalogueReads, models
from briefings.store.database import Database
from briefings.store.revisions import Revision

M = TypeVar("M", bound=BaseModel)

CARD_FIELD_WEIGHTS = "4.0, 4.0, 2.0, 1.0, 1.5"
"""BM25 weights of (title, bottom_line, points, body, names): a card's point and title
count most, its key points next, its summary least; names sit between."""


class CardStore(CatalogueReads):
    """Typed access to the briefing database. Construct with `open_store`."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.generation = 0
        """Bumped on every committed write, so in-memory indexes know when to rebuild."""
        self.on_write: list[Callable[[], None]] = []
        """Called after every committed write of cards (e.g. to wake delivery at once)."""

    async def existing(self, lookup: Lookup) -> Existing:
        """What a write plan compares against (`changes.plan`)."""
        return await writes.read_existing(self.db, lookup)

    async def apply(
        self,
        changes: ChangeSet,
        *,
        scope: int | None,
        owner: bool = False,
        action: Action,
        member_id: int | None,
        at: datetime,
    ) -> None:
        """The one card write, whole or nothing, as `scope` (None: the host's pack load;
        `owner`: may change shipped records too). See `writes.apply`."""
        writer = Writer(scope, owner)
        await writes.apply(self.db, changes, writer, action=action, member_id=member_id, at=at)
        self.written()

    async def make_global(self, slug: str, *, by: int, at: datetime) -> Pack:
        """Move a server's briefing, with its cards and records, to the global scope (the
        bot's owners' decision, checked by the caller). See `writes.make_global`."""
        moved = await writes.make_global(self.db, slug, at=at)
        self.written()
        return moved

    async def history(self, card_id: str, *, limit: int = 50) -> list[Revision]:
        """A card's revisions, newest first."""
        return await revisions.history(self.db, card_id, limit=limit)

    def written(self) -> None:
        self.generation += 1
        for listener in self.on_write:
            listener()

    @property
    def path(self) -> Path:
        return self.db.path

    async def close(self) -> None:
        await self.db.close()

    # --- packs ----------------------------------------------------------------------

    async def packs(self) -> list[Pack]:
        """Every briefing, of every scope (the read service scopes them)."""
        rows = await self.db.fetch_all("SELECT data FROM packs ORDER BY slug")
        return models(Pack, rows)

    async def briefings(self, *, guild_id: int | None, drafts: bool = False) -> list[Pack]:
        """The briefings a guild sees, newest article first: global ones and its own,
        published (with `drafts`, its own drafts too: for its editors)."""
        status = "" if drafts else " AND status = 'published'"
        rows = await self.db.fetch_all(
            f"SELECT data FROM packs WHERE {VISIBLE}{status} "
            "ORDER BY json_extract(data, '$.published') DESC, created_at DESC, slug",
            (guild_id,),
        )
        return models(Pack, rows)

    # --- cards ----------------------------------------------------------------------

    async def cards(
        self,
        *,
        guild_id: int | None,
        pack: str | None = None,
        statuses: Sequence[Status] = (Status.PUBLISHED,),
    ) -> list[Card]:
        sql = f"SELECT data FROM cards WHERE {VISIBLE} AND status IN ({_marks(statuses)})"
        params: list[Any] = [guild_id, *statuses]
        if pack is not None:
            sql += " AND pack = ?"
            params.append(pack)
        rows = await self.db.fetch_all(sql + " ORDER BY pack, section, id", params)
        return models(Card, rows)

    async def card(self, card_id: str, *, guild_id: int | None) -> Card | None:
        row = await self.db.fetch_one(
            f"SELECT data FROM cards WHERE id = ? AND {VISIBLE}", (card_id, guild_id)
        )
        return Card.model_validate_json(row["data"]) if row else None

    async def card_ids_starting(self, prefix: str) -> set[str]:
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = await self.db.fetch_all(
            "SELECT id FROM cards WHERE id LIKE ? ESCAPE '\\'", (escaped + "%",)
        )
        return {str(row[0]) for row in rows}

    async def card_refs(
        self,
        *,
        guild_id: int | None,
        pack: str | None = None,
        card_ids: Iterable[str] = (),
        with_summary: bool = False,
    ) -> list[CardRef]:
        """Published cards' ids, sections and titles: a pack's outline, or given cards."""
        summary = ", json_extract(c.data, '$.summary') AS summary" if with_summary else ""
        source = "cards c"
        params: list[Any] = []
        ids = list(card_ids)
        if ids:  # look the cards up by id rather than scanning for the guild's
            source = "json_each(?) j JOIN cards c ON c.id = j.value"
            params.append(json.dumps(ids))
        sql = (
            f"SELECT c.id, c.pack, c.section, json_extract(c.data, '$.title') AS title, "
            f"json_extract(c.data, '$.anchor') AS anchor, c.guild_id{summary} "
            f"FROM {source} WHERE c.status = 'published' "
            "AND (c.guild_id IS NULL OR c.guild_id = ?)"
        )
        params.append(guild_id)
        if pack is not None:
            sql += " AND c.pack = ?"
            params.append(pack)
        rows = await self.db.fetch_all(sql + " ORDER BY c.pack, c.section, c.id", params)
        return [CardRef(**dict(row)) for row in rows]

    async def card_refs_for_actor(self, actor_id: str, *, guild_id: int | None) -> list[CardRef]:
        rows = await self.db.fetch_all(
            "SELECT c.id, c.pack, c.section, json_extract(c.data, '$.title') AS title, "
            "json_extract(c.data, '$.anchor') AS anchor, c.guild_id "
            "FROM card_actors ca JOIN cards c ON c.id = ca.card_id WHERE ca.actor_id = ? "
            "AND (c.guild_id IS NULL OR c.guild_id = ?) AND c.status = 'published' "
            "ORDER BY c.pack, c.section",
            (actor_id, guild_id),
        )
        return [CardRef(**dict(row)) for row in rows]

    async def card_refs_for_events(
        self, event_ids: Iterable[str], *, guild_id: int | None
    ) -> dict[str, list[CardRef]]:
        """The cards about each event, for all the events at once."""
        rows = await self.db.fetch_all(
            "SELECT ce.event_id, c.id, c.pack, c.section, json_extract(c.data, '$.title') "
            "AS title, json_extract(c.data, '$.anchor') AS anchor, c.guild_id "
            "FROM card_events ce JOIN cards c ON c.id = ce.card_id "
            "WHERE ce.event_id IN (SELECT value FROM json_each(?)) "
            "AND (c.guild_id IS NULL OR c.guild_id = ?) AND c.status = 'published' "
            "ORDER BY c.pack, c.section",
            (json.dumps(list(event_ids)), guild_id),
        )
        found: dict[str, list[CardRef]] = {}
        for row in rows:
            values = dict(row)
            found.setdefault(values.pop("event_id"), []).append(CardRef(**values))
        return found

    async def card_texts(self, *, guild_id: int | None) -> list[str]:
        """The searchable text of each published card (for vocabularies), without models."""
        rows = await self.db.fetch_all(
            "SELECT json_extract(data, '$.title'), json_extract(data, '$.summary'), "
            "json_extract(data, '$.key_points'), json_extract(data, '$.quotes'), "
            "coalesce(json_extract(data, '$.bottom_line'), '') "
            f"FROM cards WHERE status = 'published' AND {VISIBLE}",
            (guild_id,),
        )
        texts = []
        for title, summary, points, quotes, bottom_line in rows:
            quoted = " ".join(f"{q['text']} {q['attribution']}" for q in json.loads(quotes))
            # Key points are objects since format 2; rows written before are plain strings.
            said = " ".join(p if isinstance(p, str) else p["text"] for p in json.loads(points))
            texts.append(f"{title}\n{bottom_line}\n{summary}\n{said}\n{quoted}")
        return texts

    async def guilds_with_content(self) -> set[int]:
        """Guilds that have records of their own (the rest see only global ones)."""
        rows = await self.db.fetch_all(
            "SELECT guild_id FROM packs WHERE guild_id IS NOT NULL UNION "
            "SELECT guild_id FROM cards WHERE guild_id IS NOT NULL UNION "
            "SELECT guild_id FROM actors WHERE guild_id IS NOT NULL UNION "
            "SELECT guild_id FROM events WHERE guild_id IS NOT NULL"
        )
        return {int(row[0]) for row in rows}

    async def concepts(self, *, guild_id: int | None) -> list[Concept]:
        """The concept aliases one guild's search uses: shipped ones and its own."""
        rows = await self.db.fetch_all(
            f"SELECT data FROM concepts WHERE {VISIBLE} ORDER BY pack, id", (guild_id,)
        )
        return models(Concept, rows)

    # --- full-text search -----------------------------------------------------------

    async def search(
        self, fts_query: str, *, guild_id: int | None, limit: int = 5, pack: str | None = None
    ) -> list[tuple[Card, float]]:
        """Published cards matching an FTS5 query, best first (BM25; lower is better).

        The index is ranked first and joined after, on a window a little wider than
        asked, widened again only if other guilds' or unpublished cards used it up.
        """
        if not fts_query:
            return []
        if self.db.dialect == "postgresql":  # its own index, ranked the same (BM25)
            from briefings.store import postgres_search

            return await postgres_search.cards(
                self.db, fts_query, guild_id=guild_id, limit=limit, pack=pack
            )
        window = max(limit * 4, 20)
        one = "" if pack is None else " AND c.pack = ?"  # one briefing's cards only
        tail: tuple[Any, ...] = () if pack is None else (pack,)
        while True:
            try:
                rows = await self.db.fetch_all(
                    "SELECT c.data, hit.score FROM (SELECT rowid, "
                    f"bm25(cards_fts, {CARD_FIELD_WEIGHTS}) AS score FROM cards_fts "
                    "WHERE cards_fts MATCH ? ORDER BY score LIMIT ?) AS hit "
                    "JOIN cards c ON c.rowid = hit.rowid "
                    "WHERE c.status = 'published' AND (c.guild_id IS NULL OR c.guild_id = ?)"
                    f"{one} ORDER BY hit.score LIMIT ?",
                    (fts_query, window, guild_id, *tail, limit),
                )
            except sqlite3.OperationalError as exc:  # only reachable by a query-builder bug
                raise StoreError(f"search failed: {exc}") from None
            if len(rows) == limit or window >= 100_000:
                break
            total = await self.db.fetch_one(
                "SELECT count(*) FROM cards_fts WHERE cards_fts MATCH ?", (fts_query,)
            )
            if total is None or total[0] <= window:
                break
            window *= 8
        return [(Card.model_validate_json(r["data"]), float(r["score"])) for r in rows]

    async def search_catalogue(
        self, table: str, fts_query: str, *, guild_id: int | None, limit: int = 3
    ) -> list[str]:
        """Ids of actors or events whose name, description or dates match, best first."""
        if table not in ("actors", "events") or not fts_query:
            return []
        if self.db.dialect == "postgresql":
            from briefings.store import postgres_search

            return await postgres_search.catalogue(
                self.db, table, fts_query, guild_id=guild_id, limit=limit
            )
        rows = await self.db.fetch_all(
            f"SELECT r.id FROM {table}_fts f JOIN {table} r ON r.rowid = f.rowid "
            f"WHERE {table}_fts MATCH ? AND (r.guild_id IS NULL OR r.guild_id = ?) "
            f"ORDER BY bm25({table}_fts, 5.0, 1.0, 2.0) LIMIT ?",
            (fts_query, guild_id, limit),
        )
        return [str(row[0]) for row in rows]

    # --- settings kept in the database ----------------------------------------------

    async def get_meta(self, key: str) -> str | None:
        row = await self.db.fetch_one("SELECT value FROM meta WHERE key = ?", (key,))
        return str(row["value"]) if row else None

    async def set_meta(self, key: str, value: str) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    async def backup(self, destination: Path) -> None:
        """A consistent copy of the store (SQLite: the online backup, safe while it runs)."""
        await self.db.backup(destination)


def _marks(items: Sequence[Any]) -> str:
    return ", ".join("?" * len(items))
