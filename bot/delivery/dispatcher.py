"""The dispatcher: sends the outbox's rows to channels and DMs, durably and politely.

At-least-once: a row is claimed ('sending'), sent, then marked delivered in its own
transaction before its worker takes another. A process that dies between sending and
marking leaves the row claimed; the next start puts it back in the queue and sends it
again. So nothing is lost, and at most `concurrency` messages (those in flight at the
crash) can arrive twice. The unique keys of the outbox make duplicate *rows* impossible.

Three supervised loops (delivery, digests, pruning) and `concurrency` workers.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import discord
from cachetools import LRUCache

from bot import strings
from bot.delivery.config import DeliveryConfig
from bot.delivery.controls import controls
from bot.delivery.corrections import edit_in_place, sent_card
from bot.delivery.loops import Confirmations, Loop
from bot.delivery.mentions import CannotPing, addressed, dm_context, ping_role
from bot.delivery.pacing import Pacer, backoff
from bot.delivery.places import CannotPost, Places
from bot.delivery.publishing import Publisher
from bot.delivery.supervisor import Supervisor
from bot.delivery.triage import TRANSIENT, describe, triage
from bot.render import Page
from bot.render.deliveries import Part, Rendered, render_delivery
from briefings.subscriptions import OutboxRow, Target, Threads, guild_scoped

if TYPE_CHECKING:
    from bot.client import BriefingBot
    from briefings.subscriptions.service import SubscriptionService

log = logging.getLogger(__name__)

RENDERED_CACHE = 64


class Dispatcher:
    def __init__(
        self, bot: BriefingBot, service: SubscriptionService, config: DeliveryConfig
    ) -> None:
        self.bot = bot
        self.service = service
        self.outbox = service.outbox
        self.config = config
        self.pacer = Pacer(config.rate)
        self.publisher = Publisher(config.clock)
        self.confirmations = Confirmations(self.outbox.delivered, config.clock)
        self.supervisor = Supervisor(
            backoff=config.restart_backoff, backoff_max=config.restart_backoff_max
        )
        self.delivering = Loop(self._claim, config.poll_interval)
        self.digests = Loop(self._digests, config.poll_interval)
        self.pruning = Loop(self._prune, config.prune_every)
        self._queue: asyncio.Queue[OutboxRow] = asyncio.Queue(maxsize=config.concurrency)
        self._held: set[int] = set()
        """Ids of the rows this process has claimed and not yet settled."""
        self._unsettled = True  # at start: claims a previous process left behind
        self._workers: list[asyncio.Task[None]] = []
        self._active: set[asyncio.Task[Any]] = set()
        self._freed = asyncio.Event()
        self._stopping = False
        self.places = Places(bot, service, config.clock)
        self._rendered: LRUCache[tuple[object, ...], tuple[bool, Rendered] | None] = LRUCache(
            RENDERED_CACHE
        )
        self.sent = 0

    # --- lifecycle ------------------------------------------------------------------

    def start(self) -> None:
        self.supervisor.start("delivery", self.delivering.run)
        self.supervisor.start("digests", self.digests.run)
        self.supervisor.start("pruning", self.pruning.run)
        self._workers = [
            asyncio.create_task(self._work(), name=f"delivery-worker-{i}")
            for i in range(self.config.concurrency)
        ]

    def health(self) -> dict[str, dict[str, object]]:
        """Each background task: running or restarting, restarts, last error, and ready:
        running and, since its last start, through at least one pass or claim."""
        health = self.supervisor.health()
        loops = {"delivery": self.delivering, "digests": self.digests, "pruning": self.pruning}
        for name, loop in loops.items():
            if name in health:
                health[name]["ready"] = health[name]["state"] == "running" and loop.working
        return health

    async def stop(self) -> None:
        """Stop taking rows; let those in flight finish briefly, then cancel. Rows left
        claimed are put back in the queue at the next start."""
        self._stopping = True
        await self.supervisor.stop()
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
        self.digests.wake()
        self.delivering.wake()

    async def drain(self) -> None:
        """Wait until nothing is pending or in flight (tests and benchmarks bound the wait).

        Two whole passes of the digests first, so that due digests have been written."""
        while True:
            await self.digests.wait_passes(2)
            await self.delivering.wait_passes(2)
            counts = await self.outbox.counts()
            idle = self._queue.empty() and not self._active
            if idle and not counts.get("pending") and not counts.get("sending"):
                return

    # --- the loops ------------------------------------------------------------------

    async def _claim(self) -> None:
        if self._unsettled:  # claims nobody here is sending any more: back to the queue
            released = await self.outbox.release_claims(keep=frozenset(self._held))
            self._unsettled = False
            if released:
                log.info("resuming %d deliveries claimed but never confirmed", released)
        while rows := await self.outbox.claim(limit=await self._slots(), now=self.config.clock()):
            self.delivering.working = True  # a long backlog: ready before the pass ends
            for row in rows:
                self._held.update(row.ids)
                self._queue.put_nowait(row)  # a free worker takes it

    async def _slots(self) -> int:
        """Wait until half the workers are free, and claim only for the free ones: what
        waits, waits in the outbox, where servers take turns (a flood claimed ahead into
        this process would hold back another server's card that comes after it); claiming
        for several at once keeps the claims few."""
        wanted = max(1, self.config.concurrency // 2)
        while (free := self.config.concurrency - len(self._active) - self._queue.qsize()) < wanted:
            self._freed.clear()
            await self._freed.wait()
        return free

    async def _digests(self) -> None:
        written = await self.service.run_due_digests(self.config.clock())
        if written:
            log.info("wrote %d digests", written)
            self.delivering.wake()

    async def _prune(self) -> None:
        await self.outbox.prune(self.config.clock() - self.config.keep)

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
                try:
                    await self._retry(row, error)
                except Exception:  # the store is down: the row goes back once it is up
                    self._unsettled = True
            finally:
                self._held.difference_update(row.ids)
                self._active.discard(me)
                self._queue.task_done()
                self._freed.set()

    # --- one row --------------------------------------------------------------------

    async def _deliver(self, row: OutboxRow) -> None:
        now = self.config.clock
        try:
            rendered = await self._render(row)
            if rendered is None:
                await self.outbox.finish(row, "dropped", "nothing left to send", now=now())
                self.bot.health.metrics.delivery("dropped", row)
                return
            scoped, out = rendered
            role = ping_role(self.bot, row)
            sent = None
            if not await self._correct(row, out.pages):
                sub = row.subscription
                if sub.target is Target.CHANNEL and sub.threads is not Threads.NONE:
                    first = await self._send_threads(row, out, role)
                else:
                    channel = await self.places.destination(row, scoped, self.pacer)
                    first = await self._send(row, channel, out.pages, role, out.cards)
                sent = sent_card(row, first)
        except (CannotPing, CannotPost) as error:
            await self._pause(row, error.reason, error)
        except discord.Forbidden as error:
            reason = self.places.forbidden(row.subscription) if error.code == 50013 else None
            await (
                self._pause(row, f"{reason} [50013]", error) if reason else self._failed(row, error)
            )
        except (discord.HTTPException, discord.RateLimited, *TRANSIENT) as error:
            await self._failed(row, error)
        else:
            await self.confirmations.confirm(row, sent)
            self.sent += 1
            self.bot.health.metrics.delivery("delivered", row)
            if (reason := self.publisher.pauses.pop(row.subscription.id, None)) is not None:
                await self.service.pause(row.subscription, reason, now=now())

    async def _pause(self, row: OutboxRow, reason: str, error: BaseException) -> None:
        log.info("pausing subscription %s: %s", row.subscription.id, reason)
        await self.outbox.finish(row, "failed", reason, now=self.config.clock(), pause=True)
        self.bot.health.metrics.delivery("paused", row, error)

    async def _render(self, row: OutboxRow) -> tuple[bool, Rendered] | None:
        """Messages for a row; one card going to a thousand channels is rendered once."""
        key = row.content_key
        if key is not None and key in self._rendered:
            return self._rendered[key]
        delivery = await self.service.delivery(row)
        to_channel = row.subscription.target is Target.CHANNEL  # digests only: key None
        rendered = (
            None
            if delivery is None
            else (guild_scoped(delivery), render_delivery(delivery, to_channel=to_channel))
        )
        if key is not None:
            self._rendered[key] = rendered
        return rendered

    async def _correct(self, row: OutboxRow, pages: list[Page]) -> bool:
        """An update of a card sent lately edits that message (see corrections.py)."""
        earlier = await self.service.editable_message(row, now=self.config.clock())
        if earlier is None or len(pages) != 1:
            return False
        await self.pacer.wait()
        return await edit_in_place(self.bot, earlier, row, pages[0])

    def _message(
        self, row: OutboxRow, page: Page, number: int, total: int, role: int | None, cards: Any
    ) -> dict[str, Any]:
        """One page's message: the role ping (if any) and a DM's context lead the first
        page, the controls go under the last, and nothing else pings."""
        first = number == 1
        lead = dm_context(self.bot, row) if first else None
        content, mentions = addressed(page, role if first else None, lead)
        view = (controls(row, cards) if number == total else None) or discord.utils.MISSING
        return {
            "content": content,
            "embeds": page.embeds,
            "allowed_mentions": mentions,
            "view": view,
        }

    async def _send(
        self,
        row: OutboxRow,
        channel: discord.abc.Messageable,
        pages: list[Page],
        role: int | None = None,
        cards: list[tuple[str, str]] | None = None,
        *,
        offset: int = 0,
        total: int | None = None,
    ) -> discord.Message | None:
        """Page by page, from the first not yet sent (`offset`: pages before these, in
        other threads). Returns the first page's message (None: sent by an earlier attempt)."""
        first_message = None
        total = total or offset + len(pages)
        start = max(row.parts_sent, offset)
        for number, page in enumerate(pages[start - offset :], start=start + 1):
            await self.pacer.wait()
            message = await channel.send(**self._message(row, page, number, total, role, cards))
            first_message = message if number == 1 else first_message
            if row.subscription.threads is Threads.NONE:
                await self.publisher.publish(row, message, self.pacer)
            if number < total:  # a long message resumes after its last sent part
                await self.outbox.parts_sent(row, number)
        return first_message

    async def _send_threads(
        self, row: OutboxRow, out: Rendered, role: int | None
    ) -> discord.Message | None:
        """A thread per briefing takes each part apart; a thread per delivery all of it."""
        sub = row.subscription
        parts = out.parts
        if sub.threads is Threads.DIGEST:
            title = (out.pages[0].embeds[0].title if out.pages[0].embeds else None) or ""
            parts = [Part(parts[0].pack, title or parts[0].title, out.pages, out.cards)]
        total = sum(len(p.pages) for p in parts)
        offset, first_message = 0, None
        for part in parts:
            if offset + len(part.pages) > row.parts_sent:
                sent = await self._in_thread(row, part, role, (offset, total), bool(out.cards))
                first_message = first_message or sent
            offset += len(part.pages)
        return first_message

    async def _in_thread(
        self, row: OutboxRow, part: Part, role: int | None, span: tuple[int, int], menu: bool
    ) -> discord.Message | None:
        """One part in its thread: opened if need be (a forum post opens with the part's
        first page); a remembered thread deleted since is opened anew, once. The forum's
        tags follow the part's cards; a menu of them goes under it unless it is one card
        (`menu` False: that card's own button). `span`: pages before this part, in all."""
        (offset, total), cards = span, part.cards if menu else None
        start = max(row.parts_sent, offset)
        opening = self._message(row, part.pages[start - offset], start + 1, total, role, cards)
        for _ in range(2):
            opened = await self.places.open(row, part, self.pacer, opening)  # 50013: see above
            pages, skip = part.pages, start - offset
            if opened.first is not None:  # the post's first page went with it
                skip += 1
                if start + 1 < total:
                    await self.outbox.parts_sent(row, start + 1)
            channel = self.bot.get_partial_messageable(
                opened.channel_id, guild_id=row.subscription.guild_id
            )
            try:
                sent = await self._send(
                    row, channel, pages[skip:], role, cards, offset=offset + skip, total=total
                )
            except discord.NotFound as error:
                if opened.new or error.code != 10003:
                    raise
                await self.places.forget(row, part)
                continue
            return opened.first if opened.first is not None and start == 0 else sent
        return None

    async def _failed(self, row: OutboxRow, error: BaseException) -> None:
        verdict = triage(error)
        now = self.config.clock()
        if verdict.action == "pause":
            log.info("pausing subscription %s: %s", row.subscription.id, verdict.reason)
            await self.outbox.finish(row, "failed", verdict.reason, now=now, pause=True)
            self.bot.health.metrics.delivery("paused", row, error)
        elif verdict.action == "rate_limited":
            await self._retry(row, error, delay=verdict.retry_after, counts=False)
        elif verdict.action == "retry":
            await self._retry(row, error)
        else:
            log.warning("outbox row %s refused: %s", row.id, verdict.reason)
            await self.outbox.finish(row, "failed", verdict.reason, now=now)
            self.bot.health.metrics.delivery("refused", row, error)

    async def _retry(
        self,
        row: OutboxRow,
        error: BaseException,
        delay: float | None = None,
        *,
        counts: bool = True,
    ) -> None:
        """Back to the queue after a wait. Counted retries end in 'failed' after
        max_attempts; rate limits are not counted: the message waits its turn, however long."""
        attempts = row.attempts + 1
        now = self.config.clock()
        if counts and attempts >= self.config.max_attempts:
            text = strings.GAVE_UP.format(attempts=attempts, error=describe(error))
            log.warning("outbox row %s failed: %s", row.id, text)
            await self.outbox.finish(row, "failed", text, now=now)
            self.bot.health.metrics.delivery("gave_up", row, error)
            return
        wait = (
            delay
            if delay is not None
            else backoff(attempts, self.config.backoff, self.config.backoff_max)
        )
        log.info("outbox row %s: %s; retrying in %.1fs", row.id, describe(error), wait)
        await self.outbox.retry_later(
            row, describe(error), not_before=now + timedelta(seconds=wait), now=now, counts=counts
        )
        self.bot.health.metrics.delivery("retry" if counts else "rate_limited", row, error)
