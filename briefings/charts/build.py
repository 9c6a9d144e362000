"""From a question ("the timeline for Turkey") to a chart: the queries, then the drawing.

The caller has resolved the actor already (the bot's transformers, the CLI's argument);
the queries run on the event loop and the drawing in a worker thread, so a bot that
awaits this keeps answering other interactions meanwhile.
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
from briefings.models import Actor, Domain, Pack

ChartKind = Literal["leverage", "timeline", "actor"]
CHART_KINDS: tuple[ChartKind, ...] = ("leverage", "timeline", "actor")
Draw = Callable[[], Chart]


async def chart_for(
    core: Briefing,
    kind: ChartKind,
    *,
    guild_id: int | None,
    domain: Domain | None = None,
    actor: Actor | None = None,
    cache: ChartCache | None = None,
    briefing: Pack | None = None,
) -> Chart:
    """The chart of `kind` for what `guild_id` can see, optionally narrowed to a domain,
    an actor and/or one briefing (leverage and timeline)."""
    from briefings.charts import _require

    _require()  # before any query: say "install matplotlib", not a half-done answer
    if cache is None:  # (not `cache or ...`: an empty cache is falsy)
        cache = ChartCache(max_entries=1)
    if kind == "leverage":
        draw = await _leverage(core, cache, guild_id, domain, actor, briefing)
    elif kind == "timeline":
        draw = await _timeline(core, cache, guild_id, domain, actor, briefing)
    elif kind == "actor":
        draw = await _actor_map(core, cache, guild_id, domain, actor)
    else:
        raise BriefingError(f"Unknown chart {kind!r}: choose one of {', '.join(CHART_KINDS)}.")
    return await asyncio.to_thread(draw)


async def _leverage(
    core: Briefing,
    cache: ChartCache,
    guild_id: int | None,
    domain: Domain | None,
    actor: Actor | None,
    briefing: Pack | None,
) -> Draw:
    views = await core.leverage(guild_id=guild_id, domain=domain, actor=actor, briefing=briefing)
    return lambda: cache.leverage(views, focus=actor)


async def _timeline(
    core: Briefing,
    cache: ChartCache,
    guild_id: int | None,
    domain: Domain | None,
    actor: Actor | None,
    briefing: Pack | None,
) -> Draw:
    entries = await core.timeline(guild_id=guild_id, actor=actor, briefing=briefing)
    title = f"Timeline: {isolate(briefing.title)}" if briefing else "Timeline of the briefing"
    if domain is not None:
        entries = [e for e in entries if domain in e.event.domains]
        title = f"Timeline: {DOMAINS[domain].label}"
    if actor:
        title += f"{',' if domain else ':'} events involving {isolate(actor.name)}"
    return lambda: cache.timeline(entries, title=title)


async def _actor_map(
    core: Briefing,
    cache: ChartCache,
    guild_id: int | None,
    domain: Domain | None,
    actor: Actor | None,
) -> Draw:
    if actor is None:
        raise BriefingError("An actor map needs an actor: name one (for example --actor Turkey).")
    if domain is not None:
        raise BriefingError("An actor map shows every stated tie; it has no domain filter.")
    relations = await core.relations(guild_id=guild_id)
    actors = (await core.snapshot(guild_id=guild_id)).actors
    ties = [r for r in relations if actor.id in (r.source, r.target)]
    pivot = await core.pivot_of((c for r in ties for c in r.evidence), guild_id=guild_id)
    return lambda: cache.actor_map(actor, relations, actors, pivot=pivot)
