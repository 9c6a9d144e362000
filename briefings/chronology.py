"""Where each event goes in a timeline: by its date, then by what the article dates it
against ("after Assad's fall"), then in the article's order. Pure: no store, no I/O.

The keys are strings so the store can order by them (`sort_start`, `sort_end` columns):
an event placed against another sorts right after it (its key extends the other's), and
an event the article neither dates nor places has no `sort_start` and keeps its place in
the pack ("unplaceable" events go last, in the article's order).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from briefings.models import Event

SortKeys = tuple[str | None, str]
"""(sort_start, sort_end): the first day it can mean (None: no date at all), then a key
that orders events sharing that day."""


def sort_keys(
    events: Sequence[Event], known: Mapping[str, SortKeys] | None = None
) -> dict[str, SortKeys]:
    """Each event's keys; `known` holds the keys of stored events these may refer to."""
    known = dict(known or {})
    by_id = {e.id: (i, e) for i, e in enumerate(events)}
    out: dict[str, SortKeys] = {}

    def key(ident: str, seen: frozenset[str]) -> SortKeys | None:
        if ident in out:
            return out[ident]
        if ident not in by_id:
            return known.get(ident)
        index, event = by_id[ident]
        own_start = event.date.start.isoformat() if event.date.start else None
        ref = event.date.relative_to
        parent = key(ref, seen | {ident}) if ref and ref not in seen else None
        if parent is not None:
            starts = [s for s in (own_start, parent[0]) if s is not None]
            result: SortKeys = (max(starts) if starts else None, f"{parent[1]}+{index:04d}")
        elif event.date.start is not None:
            end = event.date.end or event.date.start
            result = (own_start, f"{end.isoformat()}+{index:04d}")
        else:
            result = (None, f"{index:04d}")
        out[ident] = result
        return result

    for event in events:
        key(event.id, frozenset())
    return out


def ordered(events: Sequence[Event]) -> list[Event]:
    """`events` in timeline order (what the store's ORDER BY gives for the same keys)."""
    keys = sort_keys(events)
    return sorted(events, key=lambda e: (keys[e.id][0] is None, keys[e.id][0] or "", keys[e.id][1]))
