"""Questions the briefing could not answer, kept for a server's editors.

Only the question, the server and the time are kept: never who asked. Rows older than
`KEPT` are pruned whenever a new one is written, so nothing outlives it by more than
the gap between two questions.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from briefings.results import Gap
from briefings.store.database import Database

GapReason = Literal["not-covered", "voted-down"]
KEPT = timedelta(days=90)
"""How long a kept question lives (said in /mydata and the README)."""
MAX_KEPT_CHARS = 500
MAX_KEPT_PER_SERVER = 5_000
"""The newest this many per server: a member repeating one question cannot grow the table."""


async def record(
    db: Database,
    question: str,
    folded: str,
    *,
    guild_id: int | None,
    reason: GapReason,
    at: datetime,
) -> None:
    async with db.transaction() as conn:
        await conn.execute("DELETE FROM question_gaps WHERE at < ?", ((at - KEPT).isoformat(),))
        await conn.execute(
            "INSERT INTO question_gaps (guild_id, question, folded, reason, at) "
            "VALUES (?, ?, ?, ?, ?)",
            (guild_id, question[:MAX_KEPT_CHARS], folded[:MAX_KEPT_CHARS], reason, at.isoformat()),
        )
        await conn.execute(
            "DELETE FROM question_gaps WHERE guild_id IS ? AND id <= "
            "(SELECT id FROM question_gaps WHERE guild_id IS ? ORDER BY id DESC LIMIT 1 OFFSET ?)",
            (guild_id, guild_id, MAX_KEPT_PER_SERVER),
        )


async def listed(db: Database, *, guild_id: int, limit: int) -> list[Gap]:
    """A server's kept questions, most asked first, then most recent."""
    rows = await db.fetch_all(
        "SELECT max(question), count(*), group_concat(DISTINCT reason), max(at) "
        "FROM question_gaps WHERE guild_id = ? GROUP BY folded "
        "ORDER BY count(*) DESC, max(at) DESC LIMIT ?",
        (guild_id, limit),
    )
    return [
        Gap(str(q), int(n), frozenset(str(r).split(",")), datetime.fromisoformat(str(t)))
        for q, n, r, t in rows
    ]
