"""What members asked that the cards do not answer: kept for editors, bounded, per server."""

from __future__ import annotations

import pytest

from briefings.gaps import GapLog
from briefings.store import CardStore, gaps


async def test_a_repeated_question_cannot_grow_the_log_past_its_bound(
    store: CardStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gaps, "MAX_KEPT_PER_SERVER", 3)
    log = GapLog(store)
    for _ in range(10):
        await log.record("What about Iran's drones?", guild_id=1, reason="not-covered")
    await log.record("What about Libya?", guild_id=2, reason="not-covered")
    [kept] = await log.listed(guild_id=1)
    assert kept.count == 3  # the newest three of the ten
    [other] = await log.listed(guild_id=2)
    assert other.count == 1  # another server's questions are its own
