"""Background tasks that do not die: each is restarted with backoff after an error.

A database locked or read-only at start, or any bug in one pass, used to end a task with
one log line and nothing more delivered until a restart. Now the error is logged with its
traceback, the task waits (1 s, 2 s, 4 s ... up to a minute) and starts again, and its state
is visible in `health()`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal

from bot import limits

log = logging.getLogger(__name__)

State = Literal["running", "restarting", "stopped"]


@dataclass(slots=True)
class TaskHealth:
    state: State = "running"
    restarts: int = 0
    last_error: str | None = None


class Supervisor:
    def __init__(self, *, backoff: float, backoff_max: float) -> None:
        self.backoff = backoff
        self.backoff_max = backoff_max
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._health: dict[str, TaskHealth] = {}
        self.restarted = asyncio.Event()
        """Set at every restart (tests wait on it instead of sleeping)."""

    def start(self, name: str, run: Callable[[], Awaitable[None]]) -> None:
        self._health[name] = TaskHealth()
        self._tasks[name] = asyncio.create_task(self._keep(name, run), name=name)

    def health(self) -> dict[str, dict[str, object]]:
        """name -> state ('running', 'restarting', 'stopped'), restarts, last error."""
        return {
            name: {"state": h.state, "restarts": h.restarts, "last_error": h.last_error}
            for name, h in self._health.items()
        }

    async def stop(self) -> None:
        for task in self._tasks.values():
            task.cancel()
        for task in self._tasks.values():
            with contextlib.suppress(asyncio.CancelledError):
                await task
        for health in self._health.values():
            health.state = "stopped"

    async def _keep(self, name: str, run: Callable[[], Awaitable[None]]) -> None:
        health, delay = self._health[name], self.backoff
        loop = asyncio.get_running_loop()
        while True:
            health.state = "running"
            started = loop.time()
            try:
                await run()
            except Exception as error:
                if loop.time() - started > self.backoff_max:
                    delay = self.backoff  # it had been running well: start the backoff afresh
                health.state, health.restarts = "restarting", health.restarts + 1
                health.last_error = limits.clip(f"{type(error).__name__}: {error}", 300)
                log.exception("background task %s failed; restarting in %.1fs", name, delay)
                self.restarted.set()
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.backoff_max)
            else:
                health.state = "stopped"
                return
