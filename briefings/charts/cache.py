"""An in-memory LRU of rendered charts, keyed by the content they are drawn from."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Mapping, Sequence

from cachetools import LRUCache
from pydantic import BaseModel

from briefings.charts.base import DEFAULT_SIZE, Chart, ties_of
from briefings.models import Actor, Event, Relation
from briefings.results import LeverageView, TimelineEntry

KeyPart = BaseModel | Sequence[BaseModel] | str | None


def chart_key(kind: str, size: tuple[int, int], *parts: KeyPart) -> str:
    """A digest of everything a chart is drawn from: any change to a card's shift,
    event or relation (even its reasoning) makes a new key, hence a new image."""
    digest = hashlib.sha256(f"{kind}\x00{size[0]}x{size[1]}".encode())
    for part in parts:
        digest.update(b"\x00")
        if part is None or isinstance(part, str):
            digest.update(repr(part).encode())
        elif isinstance(part, BaseModel):
            digest.update(part.model_dump_json().encode())
        else:
            for item in part:
                digest.update(item.model_dump_json().encode() + b"\x01")
    return digest.hexdigest()


class ChartCache:
    """Bounded LRU, safe to share between worker threads. Two threads missing the same
    key at once may both render; the images are identical, so that only costs time."""

    def __init__(self, max_entries: int = 64) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self.max_entries = max_entries
        self.hits = 0
        self.misses = 0
        self._charts: LRUCache[str, Chart] = LRUCache(max_entries)
        self._lock = threading.Lock()  # worker threads share it

    def __len__(self) -> int:
        return len(self._charts)

    def get_or_render(self, key: str, render: Callable[[], Chart]) -> Chart:
        with self._lock:
            chart = self._charts.get(key)
            if chart is not None:
                self.hits += 1
                return chart
            self.misses += 1
        chart = render()  # outside the lock: a slow render must not block cache hits
        with self._lock:
            self._charts[key] = chart
        return chart

    def leverage(
        self,
        views: Sequence[LeverageView],
        *,
        focus: Actor | None = None,
        size: tuple[int, int] = DEFAULT_SIZE,
    ) -> Chart:
        from briefings.charts import render_leverage_chart

        key = chart_key("leverage", size, views, focus)
        return self.get_or_render(key, lambda: render_leverage_chart(views, focus=focus, size=size))

    def timeline(
        self,
        entries: Sequence[TimelineEntry | Event],
        *,
        title: str | None = None,
        size: tuple[int, int] = DEFAULT_SIZE,
    ) -> Chart:
        from briefings.charts import render_timeline_chart

        key = chart_key("timeline", size, entries, title)
        return self.get_or_render(
            key, lambda: render_timeline_chart(entries, title=title, size=size)
        )

    def actor_map(
        self,
        actor: Actor,
        relations: Sequence[Relation],
        actors_by_id: Mapping[str, Actor],
        *,
        size: tuple[int, int] = DEFAULT_SIZE,
        pivot: str | None = None,
    ) -> Chart:
        from briefings.charts import render_actor_map

        # Only what the map shows: an edit elsewhere in the briefing keeps this image.
        ties, named = ties_of(actor, relations, actors_by_id)
        key = chart_key("actor-map", size, actor, ties, [named[i] for i in sorted(named)], pivot)
        return self.get_or_render(
            key, lambda: render_actor_map(actor, ties, named, size=size, pivot=pivot)
        )
