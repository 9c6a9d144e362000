"""How fast deliveries go: a pacer under Discord's global limit, and retry backoff."""

from __future__ import annotations

import asyncio
import random
from collections import deque


class Pacer:
    """At most `rate` requests in any one second, evenly spaced.

    Turns are spaced by schedule (a late sleep does not push every later turn back), and
    each grant also checks the actual times of the last `rate` grants, so a pause of the
    event loop cannot release a bunch of requests at once. That keeps every one-second
    window under Discord's global limit, with room for the bot's other requests."""

    def __init__(self, rate: float | None) -> None:
        self.interval = 1.0 / rate if rate else 0.0
        self._granted: deque[float] = deque(maxlen=max(1, int(rate or 1)))
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        if not self.interval:
            return
        async with self._lock:  # FIFO: turns are taken in the order they were asked for
            loop = asyncio.get_running_loop()
            turn = max(self._next, loop.time())
            if len(self._granted) == self._granted.maxlen:
                turn = max(turn, self._granted[0] + 1.0)
            delay = turn - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            self._granted.append(loop.time())
            self._next = turn + self.interval


def backoff(attempt: int, base: float, cap: float) -> float:
    """Exponential, with jitter so that rows failing together do not retry together."""
    ceiling = min(cap, base * 2.0 ** max(0, attempt - 1))
    return ceiling / 2 + random.uniform(0, ceiling / 2)
