"""The dispatcher: sends the outbox's rows to channels and DMs, durably and politely.

At-least-once: a row is claimed ('sending'), sent, then marked delivered in its own
transaction before its worker takes another. A process that dies between sending and
marking leaves the row claimed; the next start puts it back in the queue and sends it
again. So nothing is lost, and at most `concurrency` messages (those in flight at the
crash) can arrive twice. The unique keys of the outbox make duplicate *rows* impossible.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import aiohttp
import discord

from bot import limits, strings
from bot.render import Page, delivery_pages
from briefings.models import now_utc
from briefings.store.subscriptions import SubscriptionStore
from briefings.subscriptions import (
    Clock,
    OutboxRow,
    SubscriptionService,
    Target,
    guild_scoped,
)

if TYPE_CHECKING:
    from bot.client import BriefingBot

log = logging.getLogger(__name__)

TRANSIENT = (aiohttp.ClientError, OSError)  # network trouble; TimeoutError is an OSError
RENDERED_CACHE = 64
PRUNE_EVERY = timedelta(hours=1)


@dataclass(slots=True)
class DeliveryConfig:
    clock: Clock = now_utc
    concurrency: int = limits.DELIVERY_CONCURRENCY
    rate: float | None = limits.DELIVERY_REQUESTS_PER_S
    """Requests per second at most (None: no cap of our own, for measuring throughput)."""
    poll_interval: float = limits.DELIVERY_POLL_S
    max_attempts: int = limits.DELIVERY_ATTEMPTS
    backoff: float = limits.DELIVERY_BACKOFF_S
    backoff_max: float = limits.DELIVERY_BACKOFF_MAX_S
    keep: timedelta = field(default_factory=lambda: timedelta(days=limits.DELIVERY_KEEP_DAYS))


def config_for(bot: Any) -> DeliveryConfig:
    """The bot's delivery settings: tests and benchmarks set `bot.delivery_config`."""
    config = getattr(bot, "delivery_config", None)
    return config if isinstance(config, DeliveryConfig) else DeliveryConfig()


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


def pause_reason(error: discord.HTTPException) -> str | None:
    """Errors that retrying cannot fix and that concern the destination: pause, say why."""
    reason = strings.PAUSE_REASONS.get(error.code)
    return f"{reason} [{error.code}]" if reason else None


def describe(error: BaseException) -> str:
    if isinstance(error, discord.HTTPException):
        return limits.clip(
            f"{error.status} {error.text or error.response.reason} [{error.code}]", 300
        )
    return limits.clip(f"{type(error).__name__}: {error}", 300)


class Confirmations:
    """Group commit of delivered rows: the confirmations that arrive while one transaction
    runs go together in the next. Each worker waits for its own to be committed before it
    takes another row, so at most `concurrency` messages are ever sent but unconfirmed."""

    def __init__(self, store: SubscriptionStore, clock: Clock) -> None:
        self.store = store
        self.clock = clock
        self._waiting: list[tuple[OutboxRow, asyncio.Future[None]]] = []
        self._flusher: asyncio.Task[None] | None = None

    async def confirm(self, row: OutboxRow) -> None:
        done = asyncio.get_running_loop().create_future()
        self._waiting.append((row, done))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush(), name="delivery-confirmations")
        await done

    async def _flush(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting, []
            try:
                await self.store.delivered([row for row, _ in batch], now=self.clock())
            except Exception as error:
                for _, done in batch:
                    done.set_exception(error)
            else:
                for _, done in batch:
                    done.set_result(None)


class Dispatcher:
    def __init__(
        self, bot: BriefingBot, service: SubscriptionService, config: DeliveryConfig
    ) -> None:
        self.bot = bot
        self.service = service
        self.store = service.store
        self.config = config
        self.pacer = Pacer(config.rate)
        self.confirmations = Confirmations(service.store, config.clock)
        self._queue: asyncio.Queue[OutboxRow] = asyncio.Queue(maxsize=config.concurrency)
        self._wake = asyncio.Event()
        self._ticked = asyncio.Condition()
        self.ticks = 0
        self._task: asyncio.Task[None] | None = None
        self._workers: list[asyncio.Task[None]] = []
        self._active: set[asyncio.Task[Any]] = set()
        self._stopping = False
        self._pruned = datetime.min.replace(tzinfo=UTC)
        self._rendered: OrderedDict[tuple[object, ...], tuple[bool, list[Page]] | None] = (
            OrderedDict()
        )
        self.sent = 0

    # --- lifecycle ------------------------------------------------------------------

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="delivery-dispatcher")
        self._task.add_done_callback(_report_crash)

    async def stop(self) -> None:
        """Stop taking rows; let those in flight finish briefly, then cancel. Rows left
        claimed are put back in the queue at the next start."""
        self._stopping = True
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        busy = {w for w in self._workers if w in self._active}
        for worker in set(self._workers) - busy:
            worker.cancel()  # idle: waiting for a row that will not come
        if busy:
            await asyncio.wait(busy, timeout=5)
        for worker in self._workers:
            worker.cancel()
        await asyncio.gather(*self._workers, return_exceptions=True)

    def wake(self) -> None:
        """Look at the outbox now (something was just written in this process)."""
        self._wake.set()

    async def drain(self) -> None:
        """Wait until nothing is pending or in flight (tests and benchmarks bound the wait).

        Two whole ticks after the call first, so that due digests have been written."""
        while True:
            await self._wait_ticks(2)
            counts = await self.store.counts()
            idle = self._queue.empty() and not self._active
            if idle and not counts.get("pending") and not counts.get("sending"):
                return

    async def _wait_ticks(self, count: int) -> None:
        async with self._ticked:
            target = self.ticks + count
            self.wake()
            await self._ticked.wait_for(lambda: self.ticks >= target)

    async def _run(self) -> None:
        released = await self.store.release_claims()
        if released:
            log.info("resuming %d deliveries claimed before the last shutdown", released)
        self._workers = [
            asyncio.create_task(self._work(), name=f"delivery-worker-{i}")
            for i in range(self.config.concurrency)
        ]
        while True:
            try:
                await self._tick()
            except Exception:  # a bad moment must not stop deliveries for good
                log.exception("delivery tick failed; trying again shortly")
            async with self._ticked:
                self.ticks += 1
                self._ticked.notify_all()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.config.poll_interval)
            self._wake.clear()

    async def _tick(self) -> None:
        now = self.config.clock()
        if now - self._pruned > PRUNE_EVERY:
            await self.store.prune(now - self.config.keep)
            self._pruned = now
        written = await self.service.run_due_digests(now)
        if written:
            log.info("wrote %d digests", written)
        while rows := await self.store.claim(
            limit=self.config.concurrency, now=self.config.clock()
        ):
            for row in rows:
                await self._queue.put(row)  # blocks while the workers are all busy

    async def _work(self) -> None:
        me = asyncio.current_task()
        assert me is not None
        while not self._stopping:
            row = await self._queue.get()
            self._active.add(me)
            try:
                await self._deliver(row)
            except Exception as error:  # a bug, or the store failing: retry later, bounded
                log.exception("delivery of outbox row %s failed unexpectedly", row.id)
                with contextlib.suppress(Exception):
                    await self._retry(row, error)
            finally:
                self._active.discard(me)
                self._queue.task_done()

    # --- one row --------------------------------------------------------------------

    async def _deliver(self, row: OutboxRow) -> None:
        now = self.config.clock
        try:
            rendered = await self._render(row)
            if rendered is None:
                await self.store.finish(row, "dropped", "nothing left to send", now=now())
                return
            scoped, pages = rendered
            channel = await self._destination(row, scoped)
            await self._send(row, channel, pages)
        except discord.HTTPException as error:
            await self._failed(row, error)
        except discord.RateLimited as error:
            await self._retry(row, error, delay=error.retry_after)
        except TRANSIENT as error:
            await self._retry(row, error)
        else:
            await self.confirmations.confirm(row)
            self.sent += 1

    async def _render(self, row: OutboxRow) -> tuple[bool, list[Page]] | None:
        """Pages for a row; one card going to a thousand channels is rendered once."""
        key = row.content_key
        if key is not None and key in self._rendered:
            self._rendered.move_to_end(key)
            return self._rendered[key]
        delivery = await self.service.delivery(row)
        rendered = None if delivery is None else (guild_scoped(delivery), delivery_pages(delivery))
        if key is not None:
            self._rendered[key] = rendered
            if len(self._rendered) > RENDERED_CACHE:
                self._rendered.popitem(last=False)
        return rendered

    async def _destination(self, row: OutboxRow, guild_scoped: bool) -> discord.abc.Messageable:
        sub = row.subscription
        if sub.target is Target.CHANNEL:
            assert sub.channel_id is not None
            return self.bot.get_partial_messageable(sub.channel_id, guild_id=sub.guild_id)
        assert sub.user_id is not None
        if guild_scoped and sub.guild_id is not None:
            # A guild's own cards go only to its members. Leaving is not announced to a bot
            # without the members intent, so ask (404 Unknown Member pauses the subscription).
            await self.pacer.wait()
            await self.bot.http.get_member(sub.guild_id, sub.user_id)
        if sub.dm_channel_id is None:
            await self.pacer.wait()
            opened = await self.bot.create_dm(discord.Object(id=sub.user_id))
            await self.store.cache_dm_channel(sub.user_id, opened.id)
            return opened
        return self.bot.get_partial_messageable(sub.dm_channel_id, type=discord.ChannelType.private)

    async def _send(
        self, row: OutboxRow, channel: discord.abc.Messageable, pages: list[Page]
    ) -> None:
        for number, page in enumerate(pages[row.parts_sent :], start=row.parts_sent + 1):
            await self.pacer.wait()
            await channel.send(
                content=page.content,
                embeds=page.embeds,
                allowed_mentions=discord.AllowedMentions.none(),
            )
            if number < len(pages):  # a long digest resumes after its last sent part
                await self.store.parts_sent(row.id, number)

    async def _failed(self, row: OutboxRow, error: discord.HTTPException) -> None:
        reason = pause_reason(error)
        if reason is not None:
            log.info("pausing subscription %s: %s", row.subscription.id, reason)
            await self.store.finish(row, "failed", reason, now=self.config.clock(), pause=True)
        elif error.status >= 500:
            await self._retry(row, error)
        else:  # any other 4xx: the message itself is refused; sending it again won't help
            log.warning("outbox row %s refused: %s", row.id, describe(error))
            await self.store.finish(row, "failed", describe(error), now=self.config.clock())

    async def _retry(
        self, row: OutboxRow, error: BaseException, delay: float | None = None
    ) -> None:
        attempts = row.attempts + 1
        now = self.config.clock()
        if attempts >= self.config.max_attempts:
            text = strings.GAVE_UP.format(attempts=attempts, error=describe(error))
            log.warning("outbox row %s failed: %s", row.id, text)
            await self.store.finish(row, "failed", text, now=now)
            return
        wait = (
            delay
            if delay is not None
            else backoff(attempts, self.config.backoff, self.config.backoff_max)
        )
        log.info("outbox row %s: %s; retrying in %.1fs", row.id, describe(error), wait)
        await self.store.retry_later(
            row, describe(error), not_before=now + timedelta(seconds=wait), now=now
        )


def _report_crash(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("the delivery dispatcher stopped", exc_info=task.exception())
