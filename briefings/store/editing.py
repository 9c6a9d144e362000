"""Edits made by people (not pack files): all-or-nothing, audited, optimistic."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from briefings.errors import ConflictError
from briefings.models import Actor, Card, Event, LeverageShift, Relation
from briefings.store import revisions
from briefings.store.cards import CardStore
from briefings.store.loading import upsert_catalogue, write_cards


class StaleCard(ConflictError):
    """The card changed since the editor read it; `current` is what it is now."""

    def __init__(self, current: Card | None) -> None:
        self.current = current
        where = f"version {current.version}" if current else "removed"
        super().__init__(f"This card changed while you were editing it (now {where}).")


@dataclass(slots=True)
class ChangeSet:
    """Everything one edit or import writes, applied in one transaction."""

    pack: str
    cards: list[tuple[Card | None, Card]] = field(default_factory=list)
    """(the card as the editor saw it, or None for a new one; the card to write)."""
    actors: list[Actor] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    shifts: list[LeverageShift] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)


async def apply(
    store: CardStore,
    changes: ChangeSet,
    *,
    action: revisions.Action,
    member_id: int | None,
    at: datetime,
    names: dict[str, list[str]],
    event_titles: dict[str, str],
) -> None:
    """Write a change set, or nothing: a card that moved on since it was read (or a new
    id that got taken meanwhile) raises StaleCard and rolls everything back."""
    async with store.db.transaction() as conn:
        ids = json.dumps([after.id for _, after in changes.cards])
        async with conn.execute(
            "SELECT id, version, data FROM cards WHERE id IN (SELECT value FROM json_each(?))",
            (ids,),
        ) as cursor:
            current = {row[0]: (row[1], row[2]) for row in await cursor.fetchall()}
        for before, after in changes.cards:
            seen = before.version if before else None
            now = current.get(after.id)
            if (now[0] if now else None) != seen:
                raise StaleCard(Card.model_validate_json(now[1]) if now else None)
        await upsert_catalogue(
            conn, changes.pack, changes.actors, changes.events, changes.shifts, changes.relations
        )
        await write_cards(
            conn, [after for _, after in changes.cards], names=names, event_titles=event_titles
        )
        await revisions.record(conn, changes.cards, action=action, member_id=member_id, at=at)
    store.written()


@dataclass(frozen=True, slots=True)
class Revision:
    version: int
    action: str
    member_id: int | None
    at: datetime
    before: Card | None
    after: Card


async def history(store: CardStore, card_id: str, *, limit: int = 50) -> list[Revision]:
    """A card's revisions, newest first."""
    rows = await store.db.fetch_all(
        "SELECT version, action, member_id, at, before, after FROM card_revisions "
        "WHERE card_id = ? ORDER BY id DESC LIMIT ?",
        (card_id, limit),
    )
    return [
        Revision(
            version=row["version"],
            action=row["action"],
            member_id=row["member_id"],
            at=datetime.fromisoformat(row["at"]),
            before=Card.model_validate_json(row["before"]) if row["before"] else None,
            after=Card.model_validate_json(row["after"]),
        )
        for row in rows
    ]


async def editor_roles(store: CardStore, guild_id: int) -> list[int]:
    row = await store.db.fetch_one(
        "SELECT editor_role_ids FROM guild_settings WHERE guild_id = ?", (guild_id,)
    )
    return [int(r) for r in json.loads(row[0])] if row else []


async def set_editor_roles(store: CardStore, guild_id: int, role_ids: Sequence[int]) -> None:
    async with store.db.transaction() as conn:
        await conn.execute(
            "INSERT INTO guild_settings (guild_id, editor_role_ids) VALUES (?, ?) "
            "ON CONFLICT (guild_id) DO UPDATE SET editor_role_ids = excluded.editor_role_ids",
            (guild_id, json.dumps(sorted(set(role_ids)))),
        )
