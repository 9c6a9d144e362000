"""Leverage balance: per domain, who gained and who lost, before and after the pivot.

Every shift is drawn twice, once for each side (as Briefing.actor_profile counts
it): "Russia gained over Turkey" is a ▲ block for Russia and a ▼ block for Turkey.
Gains stack right of the centre line, losses left, so each row's shape shows
which way that actor moved; Before and After panels sit side by side.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.patches import Patch, Rectangle

from briefings.charts.base import Chart, alt_text, isolate, plural
from briefings.charts.canvas import Sheet, font, label
from briefings.charts.leverage_rows import (
    GAIN_SIDE,
    MARKS,
    Mark,
    Row,
    Unit,
    build_rows,
    mark_for,
    trim,
)
from briefings.charts.style import (
    BAND,
    DOMAINS,
    INK,
    MUTED,
    RULE,
)
from briefings.labels import GENERIC_PIVOT, common_pivot, period_label
from briefings.models import Actor, Domain, Period
from briefings.results import LeverageView

__all__ = ["GAIN_SIDE", "MARKS", "Mark", "Row", "Unit", "build_rows", "mark_for", "render", "trim"]


@dataclass(frozen=True, slots=True)
class Layout:
    width: int
    height: int
    focus: bool
    top: float = 150
    bottom: float = 62

    @property
    def names_right(self) -> float:
        return 250 if self.focus else 420

    @property
    def panel_width(self) -> float:
        return (self.width - self.names_right - 24 - 40) / 2

    def panel_left(self, index: int) -> float:
        return self.names_right + 16 + index * (self.panel_width + 40)


def render(views: Sequence[LeverageView], *, focus: Actor | None, size: tuple[int, int]) -> Chart:
    rows, hidden = trim(build_rows(views, focus))
    pivot = common_pivot(v.pivot for v in views) or GENERIC_PIVOT
    sheet = Sheet(*size)
    layout = Layout(*size, focus=focus is not None)
    _titles(sheet, layout, focus, bool(rows), pivot)
    if rows:
        _body(sheet, layout, rows, hidden)
    else:
        sheet.text(
            size[0] / 2,
            size[1] / 2,
            "No leverage shifts stated in the cards",
            px=24,
            ha="center",
            va="center",
            color=MUTED,
        )
    name = f"leverage-{focus.id}.png" if focus else "leverage.png"
    return Chart(sheet.png(), name, describe(rows, focus, hidden, pivot), *size)


def _titles(sheet: Sheet, layout: Layout, focus: Actor | None, any_rows: bool, pivot: str) -> None:
    if focus is None:
        title = "Leverage balance: who gained, who lost"
        sub = "Each block is one leverage shift stated in the briefing, counted for each side"
    else:
        title = f"{isolate(focus.name)}: leverage gained and lost"
        title = sheet.fit(title, sheet.width - 60, 30, "bold")
        sub = "Each block is one shift; the name after it is the other side"
    sheet.text(30, 18, title, px=30, weight="bold", va="top")
    sheet.text(30, 60, sub, px=18, color=MUTED, va="top")
    if not any_rows:
        return
    for i, period in enumerate(Period):
        left = layout.panel_left(i)
        middle = left + layout.panel_width / 2
        sheet.text(
            middle,
            100,
            period_label(period, pivot).capitalize(),
            px=22,
            weight="bold",
            ha="center",
            va="top",
        )
        sheet.text(left, 130, "◀ lost", px=16, color=MUTED, va="top")
        sheet.text(
            left + layout.panel_width, 130, "gained ▶", px=16, color=MUTED, ha="right", va="top"
        )


def _body(sheet: Sheet, layout: Layout, rows: list[Row], hidden: int) -> None:
    height = sheet.height - layout.top - layout.bottom
    names = sheet.axes(24, layout.top, layout.names_right - 24, height)
    panels = [
        sheet.axes(layout.panel_left(i), layout.top, layout.panel_width, height)
        for i in range(len(Period))
    ]
    reach = max(2, *(len(r.side(p, g)) for r in rows for p in Period for g in (True, False)))
    span = reach + (3.2 if layout.focus else 0.4)  # room for the other side's name
    row_px = height / len(rows)
    for ax in (names, *panels):
        ax.set_ylim(len(rows) - 0.5, -0.5)
        _bands(ax, rows)
    names.set_xlim(0, 1)
    _names(sheet, names, rows, layout, row_px)
    for ax, period in zip(panels, Period, strict=True):
        ax.set_xlim(-span, span)
        ax.axvline(0, color=INK, linewidth=1.4)
        _panel(ax, rows, period, row_px, layout.focus)
    _legend(sheet, hidden)


def _groups(rows: list[Row]) -> list[tuple[Domain, int, int]]:
    """(domain, first row, last row) for each run of rows in one domain."""
    groups: list[tuple[Domain, int, int]] = []
    for i, row in enumerate(rows):
        if groups and groups[-1][0] == row.domain:
            groups[-1] = (row.domain, groups[-1][1], i)
        else:
            groups.append((row.domain, i, i))
    return groups


def _bands(ax: Axes, rows: list[Row]) -> None:
    for n, (_, first, last) in enumerate(_groups(rows)):
        if n % 2 == 0:
            ax.axhspan(first - 0.5, last + 0.5, color=BAND, zorder=0, linewidth=0)
        if first:
            ax.axhline(first - 0.5, color=RULE, linewidth=1, zorder=0.5)


def _names(sheet: Sheet, ax: Axes, rows: list[Row], layout: Layout, row_px: float) -> None:
    px = min(20.0, row_px * 0.62)
    domain_w = layout.names_right - 40 if layout.focus else 150
    for domain, first, last in _groups(rows):
        lines = 2 if (last - first + 1) * row_px > 2.4 * px else 1
        text = sheet.wrap(DOMAINS[domain].label, domain_w, px, "bold", lines=lines)
        label(
            ax, 0.02, (first + last) / 2, text, px=px, weight="bold", va="center", linespacing=1.1
        )
    if layout.focus:
        return
    x = 170 / (layout.names_right - 24)
    for i, row in enumerate(rows):
        name = sheet.fit(row.actor.name, layout.names_right - 200, px)
        label(ax, x, i, name, px=px, va="center_baseline")


def _panel(ax: Axes, rows: list[Row], period: Period, row_px: float, focus: bool) -> None:
    for domain, first, last in _groups(rows):
        if not any(r.units[period] for r in rows[first : last + 1]):
            label(
                ax,
                0,
                (first + last) / 2,
                f"no {DOMAINS[domain].label} shift stated",
                px=min(16.0, row_px * 0.5),
                style="italic",
                color=MUTED,
                ha="center",
                va="center",
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 2},
            )
    for i, row in enumerate(rows):
        for gains in (True, False):
            units = row.side(period, gains)
            _blocks(ax, i, units, gains, row_px)
            if focus and units:
                _others(ax, i, units, gains, row_px)


def _blocks(ax: Axes, y: int, units: list[Unit], gains: bool, row_px: float) -> None:
    glyph_px = min(18.0, row_px * 0.5)
    for j, unit in enumerate(units):
        style = MARKS[unit.mark]
        x = j if gains else -(j + 1)
        ax.add_patch(
            Rectangle(
                (x + 0.04, y - 0.34),
                0.92,
                0.68,
                facecolor=style.color,
                hatch=style.hatch,
                edgecolor="white",
                linewidth=1.5,
                zorder=2,
            )
        )
        label(
            ax,
            x + 0.5,
            y,
            style.glyph,
            px=glyph_px,
            color=style.text,
            ha="center",
            va="center",
            zorder=3,
            bbox={"boxstyle": "circle,pad=0.1", "facecolor": style.color, "linewidth": 0}
            if style.hatch
            else None,
        )


def _others(ax: Axes, y: int, units: list[Unit], gains: bool, row_px: float) -> None:
    """In an actor's own chart, name who each block was against."""
    names = list(dict.fromkeys(u.other for u in units))
    text = ", ".join(isolate(n) for n in names)
    end = len(units) if gains else -len(units)
    label(
        ax,
        end + (0.15 if gains else -0.15),
        y,
        text,
        px=min(17.0, row_px * 0.45),
        color=MUTED,
        ha="left" if gains else "right",
        va="center",
    )


def _legend(sheet: Sheet, hidden: int) -> None:
    handles = [
        Patch(facecolor=s.color, hatch=s.hatch, edgecolor="white", label=s.legend)
        for s in MARKS.values()
    ]
    sheet.fig.legend(
        handles=handles,
        loc="lower center",
        ncols=4,
        frameon=False,
        prop=font(17),
        bbox_to_anchor=(0.5, 0.005),
        handlelength=1.6,
        columnspacing=1.6,
    )
    if hidden:
        sheet.text(
            sheet.width - 24,
            sheet.height - 50,
            f"+{plural(hidden, 'row')} not shown",
            px=15,
            color=MUTED,
            ha="right",
        )


def describe(rows: list[Row], focus: Actor | None, hidden: int, pivot: str) -> str:
    """Alt text: who came out ahead where, then the shifts themselves, domain by domain."""
    if not rows:
        return "Leverage chart: no leverage shifts are stated in the cards for this selection."
    domains = list(dict.fromkeys(DOMAINS[r.domain].label for r in rows))
    who = f"{focus.name}'s leverage gains and losses" if focus else "Leverage balance"
    parts = [
        f"{who} before and after {pivot}, in {plural(len(domains), 'domain')}: "
        f"{', '.join(domains)}."
    ]
    if focus is None:
        parts += [_ahead(rows, period, pivot) for period in Period]
    for domain, first, last in _groups(rows):
        for period in Period:
            # Without a focus, each shift once: as its subject's move, not also its mirror.
            said = [_said(r, period, focus is None) for r in rows[first : last + 1]]
            said = [s for s in said if s]
            if said:
                parts.append(f"{DOMAINS[domain].label}, {period.value}: {'; '.join(said)}.")
    if hidden:
        parts.append(f"{plural(hidden, 'further actor row')} not shown.")
    return alt_text(parts)


def net(row: Row, period: Period) -> int:
    return len(row.side(period, True)) - len(row.side(period, False))


def _ahead(rows: list[Row], period: Period, pivot: str) -> str:
    """'Ahead after <pivot>: Turkey in Syria, Black Sea; ...' (net gains minus losses)."""
    leaders: dict[str, list[str]] = {}
    for domain, first, last in _groups(rows):
        scores = sorted(
            ((net(r, period), r.actor.name) for r in rows[first : last + 1]), reverse=True
        )
        if scores and scores[0][0] > 0 and (len(scores) == 1 or scores[1][0] < scores[0][0]):
            leaders.setdefault(scores[0][1], []).append(DOMAINS[domain].label)
    if not leaders:
        return f"No side comes out ahead {period.value} {pivot}."
    said = "; ".join(f"{name} in {', '.join(where)}" for name, where in leaders.items())
    return f"Ahead {period.value} {pivot}: {said}."


VERBS = {
    Mark.GAINED: "gained over",
    Mark.HELD: "held the edge over",
    Mark.LOST: "lost to",
    Mark.UNDER: "was under the edge of",
}


def _said(row: Row, period: Period, everyone: bool) -> str:
    """What one actor did in one period (with `everyone`, only the shifts it made)."""
    said = []
    for mark in Mark:
        units = [u for u in row.units[period] if u.mark is mark and (u.own or not everyone)]
        for other, times in Counter(u.other for u in units).items():
            said.append(f"{VERBS[mark]} {other}" + (f" (×{times})" if times > 1 else ""))
    if not said:
        return ""
    return (f"{row.actor.name} " if everyone else "") + ", ".join(said)
