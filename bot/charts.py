"""Charts for the bot: one image cache, matplotlib loaded off the event loop, failures logged.

A chart is an extra: every command that shows one answers in text first, so a chart that
cannot be drawn (matplotlib missing, a rendering bug, an image over the upload limit) is
logged here and the member still has the whole answer.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import Any

import discord

from bot import limits
from briefings.briefing import Briefing
from briefings.charts import (
    Chart,
    ChartCache,
    ChartKind,
    ChartUnavailable,
    chart_for,
    charts_available,
    render_timeline_chart,
)
from briefings.models import Actor, Domain, Pack

log = logging.getLogger(__name__)

CHART_CACHE_ENTRIES = 64
"""~100-160 KB each: 64 images stay under 10 MB."""
UPLOADS_AT_ONCE = 4
"""Images being edited in at a time. A burst (many members, one cold chart: they all wait
for the same drawing) would otherwise send every upload at once, each on a new connection,
and the text answers of the next commands would queue behind them."""


def _load() -> bool:
    """Import matplotlib and draw once, so its fonts and canvas are loaded (a worker thread)."""
    if not charts_available():
        log.warning("charts are off: matplotlib is not installed (pip install '.[charts]')")
        return False
    try:
        render_timeline_chart([])
    except Exception:
        log.warning("the warm-up chart failed; charts will be tried per command", exc_info=True)
    return True


class Charts:
    """One per bot. `draw` never raises: it returns the chart, or None after logging why."""

    def __init__(self, catalogue: Briefing, *, entries: int = CHART_CACHE_ENTRIES) -> None:
        self.catalogue = catalogue
        self.cache = ChartCache(max_entries=entries)
        self._ready: asyncio.Task[bool] | None = None
        self._drawing: dict[Hashable, asyncio.Future[Chart]] = {}
        self.uploads = asyncio.Semaphore(UPLOADS_AT_ONCE)

    def request(
        self,
        kind: ChartKind,
        *,
        domain: Domain | None = None,
        actor: Actor | None = None,
        briefing: Pack | None = None,
    ) -> ChartRequest:
        return ChartRequest(self, kind, domain, actor, briefing)

    def warm_up(self) -> None:
        """Start loading matplotlib in a worker thread (idempotent).

        `chart_for` checks the import on the event loop; loaded there cold it would stall
        every interaction for about a second. `draw` waits for this instead.
        """
        if self._ready is None:
            self._ready = asyncio.create_task(self._warm(), name="charts-warm-up")

    async def _warm(self) -> bool:
        ready = await asyncio.to_thread(_load)
        # matplotlib's modules live as long as the bot: keep them out of the collector's
        # full scans, as setup_hook does for everything built at start-up.
        gc.freeze()
        return ready

    @property
    def offered(self) -> bool:
        """False once charts are known to be impossible here; True while still loading."""
        ready = self._ready
        return ready is None or not ready.done() or ready.cancelled() or ready.result()

    async def has_map(self, actor: Actor, *, guild_id: int | None) -> bool:
        """Whether an actor map is worth offering: charts work and the cards tie the actor
        to someone (half the actors of a pack, places and sources, have no stated ties)."""
        return self.offered and await self.catalogue.has_ties(actor, guild_id=guild_id)

    async def draw(
        self,
        kind: ChartKind,
        interaction: discord.Interaction[Any],
        *,
        domain: Domain | None = None,
        actor: Actor | None = None,
        briefing: Pack | None = None,
    ) -> Chart | None:
        """The chart for what `interaction`'s guild sees, or None (logged) if there is none."""
        gid = interaction.guild_id
        try:
            scope = await self.catalogue.cache_key(gid)
            key = (scope, kind, domain, actor.id if actor else None, briefing and briefing.slug)
            chart = await self._shared(key, lambda: self._draw(kind, gid, domain, actor, briefing))
        except ChartUnavailable:  # matplotlib is missing: said once at start, not per command
            log.debug("no %s chart for interaction %s: charts are off", kind, interaction.id)
            return None
        except Exception:
            log.warning(
                "no %s chart for interaction %s (guild %s, domain %s, actor %r)",
                kind,
                interaction.id,
                gid,
                domain,
                actor.id if actor else None,
                exc_info=True,
            )
            return None
        limit = min(limits.ATTACHMENT_BYTES, interaction.filesize_limit)
        if len(chart.png) > limit:
            log.warning(
                "the %s chart is %d bytes, over the %d-byte upload limit: not attached",
                kind,
                len(chart.png),
                limit,
            )
            return None
        return chart

    async def _shared(self, key: Hashable, draw: Callable[[], Awaitable[Chart]]) -> Chart:
        """One drawing per chart at a time: members asking for the same chart together
        (an announcement, a busy channel) wait for the same image instead of each queueing
        a render behind the render lock."""
        task = self._drawing.get(key)
        if task is None:
            task = asyncio.ensure_future(draw())
            self._drawing[key] = task
            task.add_done_callback(lambda done: self._finished(key, done))
        return await asyncio.shield(task)  # one member's command ending must not stop it

    def _finished(self, key: Hashable, task: asyncio.Future[Chart]) -> None:
        self._drawing.pop(key, None)
        if not task.cancelled():
            task.exception()  # retrieved: each waiter logs it; none may be left to do so

    async def _draw(
        self,
        kind: ChartKind,
        guild_id: int | None,
        domain: Domain | None,
        actor: Actor | None,
        briefing: Pack | None,
    ) -> Chart:
        self.warm_up()
        assert self._ready is not None
        await asyncio.shield(self._ready)  # stopping one drawing must not stop the loading
        return await chart_for(
            self.catalogue,
            kind,
            guild_id=guild_id,
            domain=domain,
            actor=actor,
            cache=self.cache,
            briefing=briefing,
        )

    async def close(self) -> None:
        pending = [t for t in (self._ready, *self._drawing.values()) if t and not t.done()]
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)


@dataclass(frozen=True, slots=True)
class ChartRequest:
    """A chart a command will show: drawn once its text answer is out, then edited in."""

    charts: Charts
    kind: ChartKind
    domain: Domain | None = None
    actor: Actor | None = None
    briefing: Pack | None = None

    async def draw(self, interaction: discord.Interaction[Any]) -> Chart | None:
        return await self.charts.draw(
            self.kind, interaction, domain=self.domain, actor=self.actor, briefing=self.briefing
        )

    @property
    def uploading(self) -> asyncio.Semaphore:
        """Held while the image is uploaded (see UPLOADS_AT_ONCE)."""
        return self.charts.uploads
