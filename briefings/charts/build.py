"""From a question ("the timeline for Turkey") to a chart: the queries, then the drawing.

The queries run on the event loop; the drawing runs in a worker thread, so a bot
that awaits this keeps answering other interactions meanwhile.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Literal

from briefings.briefing import Briefing
from briefings.charts.base import Chart, isolate
from briefings.charts.cache import ChartCache
from briefings.charts.style import DOMAINS
from briefings.errors import BriefingError
from briefings.models import Domain

ChartKind = Literal["leverage", "timeline", "actor"]
CHART_KINDS: tuple[ChartKind, ...] = ("leverage", "timeline", "actor")


async def chart_for(
    core: Briefing,
    kind: ChartKind,
    *,
    guild_id: int | None,
    domain: Domain | None = None,
    actor: str | None = None,
    cache: ChartCache | None = None,
) -> Chart:
    """The chart of `kind` for what `guild_id` can see, optionally narrowed to a domain
    and/or an actor (any name `Briefing.resolve_actor` accepts)."""
    from briefings.charts import _require

    _require()  # before any query: say "install matplotlib", not a half-done answer
    if cache is None:  # (not `cache or ...`: an empty cache is falsy)
        cache = ChartCache(max_entries=1)
    if kind == "leverage":
        draw = await _leverage(core, cache, guild_id, domain, actor)
    elif kind == "timeline":
        draw = await _timeline(core, cache, guild_id, domain, actor)
    elif kind == "actor":
        draw = await _actor_map(core, cache, guild_id, domain, actor)
    else:
        raise BriefingError(f"Unknown chart {kind!r}: choose one of {', '.join(CHART_KINDS)}.")
    return await asyncio.to_thread(draw)


Draw = Callable[[], Chart]


async def _leverage(
    core: Briefing,
    cache: ChartCache,
    guild_id: int | None,
    domain: Domain | None,
    actor: str | None,
) -> Draw:
    focus = await core.resolve_actor(actor, guild_id=guild_id) if actor else None
    views = await core.leverage(guild_id=guild_id, domain=domain, actor=actor)
    return lambda: cache.leverage(views, focus=focus)


async def _timeline(
    core: Briefing,
    cache: ChartCache,
    guild_id: int | None,
    domain: Domain | None,
    actor: str | None,
) -> Draw:
    entries = await core.timeline(guild_id=guild_id, actor=actor)
    title = "Timeline of the briefing"
    if domain is not None:
        entries = [e for e in entries if domain in e.event.domains]
        title = f"Timeline: {DOMAINS[domain].label}"
    if actor:
        name = (await core.resolve_actor(actor, guild_id=guild_id)).name
        title += f"{',' if domain else ':'} events involving {isolate(name)}"
    return lambda: cache.timeline(entries, title=title)


async def _actor_map(
    core: Briefing,
    cache: ChartCache,
    guild_id: int | None,
    domain: Domain | None,
    actor: str | None,
) -> Draw:
    if not actor:
        raise BriefingError("An actor map needs an actor: name one (for example --actor Turkey).")
    if domain is not None:
        raise BriefingError("An actor map shows every stated tie; it has no domain filter.")
    focus = await core.resolve_actor(actor, guild_id=guild_id)
    relations = await core.store.relations(guild_id=guild_id)
    actors = (await core.snapshot(guild_id=guild_id)).actors
    return lambda: cache.actor_map(focus, relations, actors)
