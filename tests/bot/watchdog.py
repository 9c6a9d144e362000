"""An event-loop watchdog: how long the loop was held by anyone (a handler, a parse in a
thread that keeps the GIL, a garbage collection) while something ran."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from types import TracebackType

from tests.discord_standin.models import Reply
from tests.discord_standin.server import DiscordStandIn

TICK_S = 0.01


class LoopWatchdog:
    """A task that sleeps TICK_S again and again and records how late it woke.

    A timer can only fire late if the loop was busy, so `worst` bounds the longest time
    any callback (or a thread holding the GIL) kept the loop from running others."""

    def __init__(self, tick: float = TICK_S) -> None:
        self.tick = tick
        self.worst = 0.0
        self.ticks = 0
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> LoopWatchdog:
        self._task = asyncio.create_task(self._watch(), name="loop-watchdog")
        await asyncio.sleep(0)  # the first tick is scheduled before the work starts
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        assert self._task is not None
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task

    async def _watch(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            started = loop.time()
            await asyncio.sleep(self.tick)
            self.worst = max(self.worst, loop.time() - started - self.tick)
            self.ticks += 1


@dataclass(slots=True)
class UploadRun:
    """What one upload through `/card import` did to the loop and to another server."""

    worst_lag_s: float
    import_s: float
    asks: list[float] = field(default_factory=list)
    """Seconds each `/ask` in the other server took to be answered, meanwhile."""
    answer: str = ""
    reply: Reply | None = None
    """The bot's answer to the upload (the dry run, or the problems found)."""


async def import_while_asking(
    standin: DiscordStandIn,
    raw: bytes,
    *,
    manager: int,
    asker: int,
    other_guild: int,
    deadline_s: float,
) -> UploadRun:
    """Upload `raw` as `manager`; while it is handled, `asker` keeps asking in another
    server (at least once), each answer awaited at most `deadline_s`."""
    loop = asyncio.get_running_loop()
    async with LoopWatchdog() as watchdog:
        started = loop.time()
        upload = asyncio.create_task(
            standin.slash(
                "card",
                subcommand="import",
                options={"file": ("hostile.yaml", raw)},
                user=manager,
                timeout=30,
            )
        )
        asks: list[float] = []
        while not upload.done() or not asks:
            asked = loop.time()
            await standin.slash(
                "ask",
                question="Who brokers the grain corridor?",
                guild_id=other_guild,
                user=asker,
                timeout=deadline_s,
            )
            asks.append(loop.time() - asked)
        reply = await upload
        took = loop.time() - started
    text = " ".join([reply.content, *(e.get("description", "") for e in reply.embeds)])
    return UploadRun(watchdog.worst, took, asks, text, reply)
