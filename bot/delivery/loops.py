"""The dispatcher's two small machines: the group commit of confirmations, and a loop
that runs one pass at a time (woken, or on its interval)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

from briefings.subscriptions import Clock, OutboxRow, SentCard


class Confirmations:
    """Group commit of delivered rows: the confirmations that arrive while one transaction
    runs go together in the next. Each worker waits for its own to be committed before it
    takes another row, so at most `concurrency` messages are ever sent but unconfirmed."""

    def __init__(self, delivered: Callable[..., Awaitable[None]], clock: Clock) -> None:
        self.delivered = delivered
        self.clock = clock
        self._waiting: list[tuple[OutboxRow, SentCard | None, asyncio.Future[None]]] = []
        self._flusher: asyncio.Task[None] | None = None

    async def confirm(self, row: OutboxRow, sent: SentCard | None = None) -> None:
        """`sent`: the new message that carried a single card (a correction may edit it)."""
        done = asyncio.get_running_loop().create_future()
        self._waiting.append((row, sent, done))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush(), name="delivery-confirmations")
        await done

    async def _flush(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting, []
            sent = [card for _, card, _ in batch if card is not None]
            try:
                await self.delivered([row for row, _, _ in batch], now=self.clock(), sent=sent)
            except Exception as error:
                for _, _, done in batch:
                    done.set_exception(error)
            else:
                for _, _, done in batch:
                    done.set_result(None)


class Loop:
    """One pass at a time, then wait for a wake-up or the interval; counts its passes."""

    def __init__(self, step: Callable[[], Awaitable[None]], interval: float) -> None:
        self.step = step
        self.interval = interval
        self.passes = 0
        self.working = False
        """The current run has reached the store at least once (False again at a restart)."""
        self._wake = asyncio.Event()
        self._passed = asyncio.Condition()

    async def run(self) -> None:
        self.working = False
        while True:
            await self.step()
            self.working = True
            async with self._passed:
                self.passes += 1
                self._passed.notify_all()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.interval)
            self._wake.clear()

    def wake(self) -> None:
        self._wake.set()

    async def wait_passes(self, count: int) -> None:
        async with self._passed:
            target = self.passes + count
            self.wake()
            await self._passed.wait_for(lambda: self.passes >= target)
