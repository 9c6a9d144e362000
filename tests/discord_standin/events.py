"""Waiting on what the stand-in sees, instead of sleeping: every request and gateway payload
wakes the waiters, which re-check their condition."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any


class InteractionTimeout(TimeoutError):
    """The bot did not do what a test waited for in time (message says what was awaited)."""


class Signal:
    """A condition the server notifies after each request and each gateway payload."""

    def __init__(self, describe: Callable[[], str]) -> None:
        self._changed = asyncio.Condition()
        self._describe = describe
        """What the stand-in saw lately, for the timeout message."""

    async def notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def wait_for(
        self, predicate: Callable[[], Any], *, timeout: float = 5.0, what: str = "a condition"
    ) -> Any:
        """Wait until ``predicate()`` is truthy (checked now, then after each request or gateway
        payload); return its value, or raise ``InteractionTimeout`` saying what was awaited."""
        try:
            async with asyncio.timeout(timeout), self._changed:
                while not (result := predicate()):
                    await self._changed.wait()
                return result
        except TimeoutError:
            raise self.timed_out(what, timeout) from None

    def timed_out(self, what: str, timeout: float) -> InteractionTimeout:
        return InteractionTimeout(
            f"timed out after {timeout}s waiting for {what}; {self._describe()} "
            "(a bot exception, if any, is in the captured log)"
        )
