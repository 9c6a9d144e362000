"""The questions members asked that the briefing could not answer (or answered badly,
by their vote), for the server's editors: what to write cards and concept aliases for.

Kept: the question, the server and the time; never who asked. Pruned after 90 days.
"""

from __future__ import annotations

import re
from datetime import datetime

from briefings.models import now_utc
from briefings.results import Gap
from briefings.search import fold
from briefings.store import CardStore
from briefings.store import gaps as rows
from briefings.store.gaps import KEPT, GapReason

__all__ = ["KEPT", "Gap", "GapLog", "GapReason"]


class GapLog:
    def __init__(self, store: CardStore) -> None:
        self.store = store

    async def record(
        self, question: str, *, guild_id: int | None, reason: GapReason, at: datetime | None = None
    ) -> None:
        folded = " ".join(re.findall(r"\w+", fold(question)))
        await rows.record(
            self.store.db,
            question.strip(),
            folded,
            guild_id=guild_id,
            reason=reason,
            at=at or now_utc(),
        )

    async def listed(self, *, guild_id: int, limit: int = 20) -> list[Gap]:
        """Most asked first."""
        return await rows.listed(self.store.db, guild_id=guild_id, limit=limit)
