"""Discord's global rate limit: at most N requests in any one second, across every route.

Off by default. ``standin.global_limit = GlobalRateLimit(50)`` makes the stand-in answer the
request over the limit as Discord does: ``429`` with ``{"global": true, "retry_after": s}``
and the ``Retry-After``, ``X-RateLimit-Global``, ``X-RateLimit-Scope: global`` and ``Via``
headers (discord.py then holds every request until ``retry_after`` has passed). Interaction
callbacks and webhooks are exempt, as on Discord. It also records what it saw, so a benchmark
can report the busiest second and how many 429s the bot provoked.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

from .faults import Fault

EXEMPT = ("/interactions/", "/webhooks/")


class GlobalRateLimit:
    def __init__(
        self,
        per_second: int = 50,
        *,
        window: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_second = per_second
        self.window = window
        self.clock = clock
        self.accepted = 0
        self.rejected = 0
        self.busiest_second = 0
        """Most requests the bot attempted (accepted or not) within any one window."""
        self._accepted: deque[float] = deque()
        self._attempted: deque[float] = deque()

    def take(self, path: str) -> Fault | None:
        """None if this request may go ahead, else the 429 to answer it with."""
        if path.startswith(EXEMPT):
            return None
        now = self.clock()
        self._attempted.append(now)
        _expire(self._attempted, now - self.window)
        self.busiest_second = max(self.busiest_second, len(self._attempted))
        _expire(self._accepted, now - self.window)
        if len(self._accepted) >= self.per_second:
            self.rejected += 1
            retry_after = max(0.001, self._accepted[0] + self.window - now)
            return Fault.rate_limited(round(retry_after, 3), is_global=True, scope="global")
        self._accepted.append(now)
        self.accepted += 1
        return None


def _expire(times: deque[float], before: float) -> None:
    while times and times[0] <= before:
        times.popleft()
