"""Charts of a briefing as PNG images: leverage balance, timeline and actor map.

Pure and synchronous: each render function takes models and returns a `Chart`
(PNG bytes plus alt text), so the bot can call it through `asyncio.to_thread`.
matplotlib is optional (the `charts` extra): this package imports without it,
`charts_available()` says whether it is there, and rendering without it raises
`ChartUnavailable` with what to install. `ChartCache` keeps recent images by
content, so an unchanged briefing is not drawn twice.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from types import ModuleType

from briefings.charts.base import (
    ALT_TEXT_LIMIT,
    DEFAULT_SIZE,
    OUTPUT_SCALE,
    Chart,
    ChartUnavailable,
)
from briefings.charts.build import CHART_KINDS, ChartKind, chart_for
from briefings.charts.cache import ChartCache, chart_key
from briefings.models import Actor, Event, Relation
from briefings.results import LeverageView, TimelineEntry

__all__ = [
    "ALT_TEXT_LIMIT",
    "CHART_KINDS",
    "DEFAULT_SIZE",
    "OUTPUT_SCALE",
    "Chart",
    "ChartCache",
    "ChartKind",
    "ChartUnavailable",
    "chart_for",
    "chart_key",
    "charts_available",
    "render_actor_map",
    "render_leverage_chart",
    "render_timeline_chart",
]

INSTALL_HINT = "pip install 'briefing-bot[charts]'"
MIN_SIZE = (480, 560)
"""Below this the fixed text sizes no longer fit their panels."""


def _import_matplotlib() -> ModuleType:
    """The one place matplotlib is first imported (tests replace it to simulate absence)."""
    return importlib.import_module("matplotlib")


def _require() -> None:
    try:
        _import_matplotlib()
    except ImportError as exc:
        raise ChartUnavailable(
            f"Charts need matplotlib, which is not installed here ({INSTALL_HINT})."
        ) from exc


@contextmanager
def _drawing(size: tuple[int, int]) -> Iterator[None]:
    """matplotlib checked for, then held for this thread with glyph warnings quiet."""
    if not (MIN_SIZE[0] <= size[0] <= 2000 and MIN_SIZE[1] <= size[1] <= 2000):
        raise ValueError(f"charts are laid out for {MIN_SIZE[0]}x{MIN_SIZE[1]} px and up")
    _require()
    from briefings.charts.canvas import rendering

    with rendering():
        yield


def charts_available() -> bool:
    """Whether images can be drawn; also loads matplotlib, so a bot can warm it up early."""
    try:
        _require()
    except ChartUnavailable:
        return False
    return True


def render_leverage_chart(
    views: Sequence[LeverageView],
    *,
    focus: Actor | None = None,
    size: tuple[int, int] = DEFAULT_SIZE,
) -> Chart:
    """Who gained and who lost leverage, per domain, before and after the pivot.

    With `focus`, only that actor's gains and losses, each labelled with the other side.
    """
    with _drawing(size):
        from briefings.charts import leverage

        return leverage.render(views, focus=focus, size=size)


def render_timeline_chart(
    entries: Sequence[TimelineEntry | Event],
    *,
    title: str | None = None,
    size: tuple[int, int] = DEFAULT_SIZE,
) -> Chart:
    """Events placed at the precision the article gives; undated ones listed apart."""
    with _drawing(size):
        from briefings.charts import timeline

        return timeline.render(entries, title=title, size=size)


def render_actor_map(
    actor: Actor,
    relations: Sequence[Relation],
    actors_by_id: Mapping[str, Actor],
    *,
    size: tuple[int, int] = DEFAULT_SIZE,
    pivot: str | None = None,
) -> Chart:
    """`actor` in the middle, the actors it has a stated relation with around it."""
    with _drawing(size):
        from briefings.charts import actor_map

        return actor_map.render(actor, relations, actors_by_id, size=size, pivot=pivot)
