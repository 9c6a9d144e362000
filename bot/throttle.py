"""A per-server budget for costly commands (pack imports): a sliding window of recent uses."""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable


class GuildRate:
    """At most `count` uses per `per_s` seconds for each server."""

    def __init__(
        self, count: int, per_s: float, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.count, self.per_s, self.clock = count, per_s, clock
        self._uses: dict[int, deque[float]] = {}

    def take(self, guild_id: int) -> int | None:
        """Record a use and return None, or (over budget) the whole seconds until the next
        use is allowed, recording nothing."""
        now = self.clock()
        uses = self._uses.setdefault(guild_id, deque())
        while uses and uses[0] <= now - self.per_s:
            uses.popleft()
        if len(uses) >= self.count:
            return max(1, math.ceil(uses[0] + self.per_s - now))
        uses.append(now)
        return None
