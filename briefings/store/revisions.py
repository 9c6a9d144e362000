"""The audit trail and the change feed, written inside the caller's transaction."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Literal

import aiosqlite

from briefings.models import Card, Status

Action = Literal["add", "edit", "publish", "archive", "restore", "import", "load"]


async def record(
    conn: aiosqlite.Connection,
    changes: list[tuple[Card | None, Card]],
    *,
    action: Action,
    member_id: int | None,
    at: datetime,
) -> None:
    """Revisions (before, after) for the audit trail; and, for each published card that
    appeared or changed, a change for delivery. Drafts and archivals are never delivered.
    Batched, since a pack import can carry thousands."""
    when = at.isoformat()
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
                after.model_dump_json(),
            )
            for before, after in changes
        ],
    )
    feed = []
    for before, after in changes:
        if after.status is not Status.PUBLISHED:
            continue
        was_published = before is not None and before.status is Status.PUBLISHED
        fields = after.changed_fields(before) if before and was_published else []
        if was_published and not fields:
            continue
        kind = "update" if was_published else "new"
        feed.append(
            (after.id, after.version, after.pack, after.guild_id, kind, json.dumps(fields), when)
        )
    await conn.executemany(
        "INSERT OR IGNORE INTO card_changes (card_id, version, pack, guild_id, kind, changes, at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        feed,
    )
