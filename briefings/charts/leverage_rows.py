"""The leverage chart's rows: each actor's gains and losses, per domain and period.

Every shift counts twice, once for each side, as Briefing.actor_profile counts it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from briefings.charts.style import BACKGROUND, BLUE, ORANGE, SKY, VERMILLION
from briefings.models import Actor, Certainty, Direction, Domain, LeverageShift, Period
from briefings.results import LeverageView

MAX_ROWS = 16
"""Beyond this many actor rows a phone-sized image stops being legible; the rest are counted."""


class Mark(StrEnum):
    GAINED = "gained"
    HELD = "held"
    LOST = "lost"
    UNDER = "under"


@dataclass(frozen=True, slots=True)
class MarkStyle:
    glyph: str
    color: str
    text: str
    legend: str


MARKS = {
    Mark.GAINED: MarkStyle("▲", BLUE, "white", "▲ gained"),
    Mark.HELD: MarkStyle("◆", SKY, BACKGROUND, "◆ held the upper hand"),
    Mark.LOST: MarkStyle("▼", VERMILLION, "white", "▼ lost"),
    Mark.UNDER: MarkStyle("◇", ORANGE, BACKGROUND, "◇ under the other's"),
}
"""Which way a side moved: a glyph and a colour (and the side of the line it sits on)."""
GAIN_SIDE = (Mark.GAINED, Mark.HELD)


@dataclass(frozen=True, slots=True)
class Unit:
    mark: Mark
    other: str
    """The other side's name."""
    own: bool = True
    """Whether this side is the shift's subject (False: the mirror of the other's move)."""
    certainty: Certainty = Certainty.UNKNOWN


@dataclass(slots=True)
class Row:
    domain: Domain
    actor: Actor
    units: dict[Period, list[Unit]] = field(default_factory=lambda: {p: [] for p in Period})

    def side(self, period: Period, gains: bool) -> list[Unit]:
        units = [u for u in self.units[period] if (u.mark in GAIN_SIDE) == gains]
        return sorted(units, key=lambda u: list(Mark).index(u.mark))


def mark_for(shift: LeverageShift, actor_id: str) -> Mark:
    """How `actor_id` came out of the shift; same split as briefing._gains."""
    if shift.actor == actor_id:
        return {Direction.GAINED: Mark.GAINED, Direction.HELD: Mark.HELD}.get(
            shift.direction, Mark.LOST
        )
    return {Direction.GAINED: Mark.LOST, Direction.HELD: Mark.UNDER}.get(
        shift.direction, Mark.GAINED
    )


def build_rows(views: Sequence[LeverageView], focus: Actor | None) -> list[Row]:
    """One row per (domain, actor), domains in their canonical order, busiest actor first."""
    rows: dict[tuple[Domain, str], Row] = {}
    for view in views:
        for side, other in ((view.actor, view.over), (view.over, view.actor)):
            if focus is not None and side.id != focus.id:
                continue
            row = rows.setdefault((view.shift.domain, side.id), Row(view.shift.domain, side))
            mark = mark_for(view.shift, side.id)
            own = side.id == view.shift.actor
            unit = Unit(mark, other.name, own, view.shift.certainty)
            row.units[view.shift.period].append(unit)
    order = list(Domain)
    return sorted(
        rows.values(),
        key=lambda r: (order.index(r.domain), -sum(map(len, r.units.values())), r.actor.name),
    )


def trim(rows: list[Row], limit: int = MAX_ROWS) -> tuple[list[Row], int]:
    """Keep the busiest actors of each domain so every domain stays visible."""
    if len(rows) <= limit:
        return rows, 0
    domains = list(dict.fromkeys(r.domain for r in rows))
    per_domain = max(1, limit // len(domains))
    kept = [r for d in domains for r in [r for r in rows if r.domain == d][:per_domain]]
    return kept, len(rows) - len(kept)
