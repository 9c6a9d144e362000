"""The audit trail and the change feed: written inside the caller's transaction, read
back as a card's history."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime

from briefings.changes import Action, feed_entry
from briefings.models import Card
from briefings.results import Revision
from briefings.store.database import Connection, Database

__all__ = ["Action", "Revision", "history", "record"]


async def record(
    conn: Connection,
    changes: list[tuple[Card | None, Card]],
    *,
    action: Action,
    member_id: int | None,
    at: datetime,
    dumped: Mapping[str, str] | None = None,
) -> None:
    """Revisions (before, after) for the audit trail; and, for each change the feed rule
    (`changes.feed_entry`) keeps, a change for delivery. Batched: a pack load can carry
    thousands. `dumped`: the cards' JSON by id, when the caller has it already."""
    when = at.isoformat()
    dumped = dumped or {}
    await conn.executemany(
        "INSERT INTO card_revisions (card_id, version, action, member_id, guild_id, at, before, "
        "after) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                after.id,
                after.version,
                action,
                member_id,
                after.guild_id,
                when,
                before.model_dump_json() if before else None,
                dumped.get(after.id) or after.model_dump_json(),
            )
            for before, after in changes
        ],
    )
    feed = []
    for before, after in changes:
        entry = feed_entry(before, after)
        if entry is not None:
            kind, fields = entry
            feed.append(
                (
                    after.id,
                    after.version,
                    after.pack,
                    after.guild_id,
                    kind,
                    json.dumps(fields),
                    when,
                )
            )
    await conn.executemany(
        "INSERT OR IGNORE INTO card_changes (card_id, version, pack, guild_id, kind, changes, at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        feed,
    )


async def history(db: Database, card_id: str, *, limit: int = 50) -> list[Revision]:
    """A card's revisions, newest first."""
    rows = await db.fetch_all(
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
