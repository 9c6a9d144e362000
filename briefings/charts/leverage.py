"""Leverage balance: per domain, who gained and who lost, before and after the pivot,
and apart from both the shifts the article does not tie to it.

Every shift is drawn twice, once for each side (as Briefing.actor_profile counts
it): "Russia gained over Turkey" is a ▲ block for Russia and a ▼ block for Turkey.
Gains stack right of each column's centre line, losses left. Laid out for a phone:
one domain heading per group, short names, three narrow columns, big type; how sure
each claim is shows in the block (filled, dotted, hatched outline, dashed outline).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.patches import Patch, Rectangle

from briefings.charts.base import Chart, alt_text, isolate, plural
from briefings.charts.canvas import SCALE, Sheet, label
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
    LOOK_EXAMPLE,
    LOOK_LEGEND,
    MUTED,
    RULE,
    Look,
    look,
    patch_style,
)
from briefings.labels import GENERIC_PIVOT, certainty_words, common_pivot, period_label
from briefings.models import Actor, Certainty, Domain, Period
from briefings.results import LeverageView

__all__ = ["GAIN_SIDE", "MARKS", "Mark", "Row", "Unit", "build_rows", "mark_for", "render", "trim"]

LINE_PX = 30
"""One actor row or domain heading."""
NAME_PX = 17
HEADS = {Period.BEFORE: "Before", Period.AFTER: "After", Period.UNTIED: "Not tied"}
MAX_HEIGHT = 1000
MIN_HEIGHT = 420


@dataclass(frozen=True, slots=True)
class Layout:
    width: int
    height: int
    focus: bool
    top: float = 112
    legend: float = 118

    @property
    def line_px(self) -> float:
        """A domain row of one actor's chart may take two lines of type."""
        return 40 if self.focus else LINE_PX

    @property
    def names_right(self) -> float:
        return 176 if self.focus else 128

    @property
    def panel_width(self) -> float:
        return (self.width - self.names_right - 16 - 2 * 8) / 3

    def panel_left(self, index: int) -> float:
        return self.names_right + 8 + index * (self.panel_width + 8)


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the body: a domain heading (row None) or an actor's row."""

    domain: Domain
    row: Row | None


def lines_for(rows: list[Row], focus: bool) -> list[Line]:
    """With a focus each row is a domain (its name on the row); otherwise each domain
    gets a heading line above its actors."""
    if focus:
        return [Line(r.domain, r) for r in rows]
    out: list[Line] = []
    for row in rows:
        if not out or out[-1].domain is not row.domain:
            out.append(Line(row.domain, None))
        out.append(Line(row.domain, row))
    return out


def render(views: Sequence[LeverageView], *, focus: Actor | None, size: tuple[int, int]) -> Chart:
    rows, hidden = trim(build_rows(views, focus))
    pivot = common_pivot(v.pivot for v in views) or GENERIC_PIVOT
    lines = lines_for(rows, focus is not None)
    base = Layout(*size, focus=focus is not None)
    # As tall as the rows need (a phone scrolls; Discord shows a tall image whole).
    needed = base.top + len(lines) * base.line_px + base.legend
    height = int(min(MAX_HEIGHT, max(MIN_HEIGHT, needed)))
    sheet = Sheet(size[0], height)
    layout = Layout(size[0], height, focus=focus is not None)
    _titles(sheet, layout, focus, bool(rows), pivot)
    if rows:
        _body(sheet, layout, lines, hidden, {u.certainty for r in rows for u in _all(r)})
    else:
        sheet.text(
            size[0] / 2, height / 2, "No leverage shifts stated", px=20, ha="center", color=MUTED
        )
    name = f"leverage-{focus.id}.png" if focus else "leverage.png"
    text = describe(rows, focus, hidden, pivot)
    return Chart(sheet.png(), name, text, size[0] * SCALE, height * SCALE)


def _all(row: Row) -> list[Unit]:
    return [u for units in row.units.values() for u in units]


def _titles(sheet: Sheet, layout: Layout, focus: Actor | None, any_rows: bool, pivot: str) -> None:
    title = "Leverage: who gained, who lost"
    if focus is not None:
        title = sheet.fit(f"{isolate(focus.name)}: leverage", sheet.width - 32, 24, "bold")
    sheet.text(16, 12, title, px=24, weight="bold", va="top")
    sub = f"Columns: before and after {pivot}, and shifts the article does not tie to it"
    sheet.text(16, 44, sheet.wrap(sub, sheet.width - 32, 15, lines=2), px=15, color=MUTED, va="top")
    if not any_rows:
        return
    for i, period in enumerate(Period):
        middle = layout.panel_left(i) + layout.panel_width / 2
        sheet.text(middle, 86, HEADS[period], px=17, weight="bold", ha="center", va="top")


def _body(
    sheet: Sheet, layout: Layout, lines: list[Line], hidden: int, sureness: set[Certainty]
) -> None:
    height = len(lines) * layout.line_px
    names = sheet.axes(16, layout.top, layout.names_right - 16, height)
    panels = [
        sheet.axes(layout.panel_left(i), layout.top, layout.panel_width, height)
        for i in range(len(Period))
    ]
    rows = [line.row for line in lines if line.row is not None]
    reach = max(2, *(len(r.side(p, g)) for r in rows for p in Period for g in (True, False)))
    for ax in (names, *panels):
        ax.set_ylim(len(lines) - 0.5, -0.5)
        _bands(ax, lines)
    names.set_xlim(0, 1)
    _names(sheet, names, lines, layout)
    _headings(sheet, lines, layout)
    for ax, period in zip(panels, Period, strict=True):
        ax.set_xlim(-reach - 0.2, reach + 0.2)
        for y, line in enumerate(lines):
            if line.row is None:  # the heading runs across all columns (see _headings)
                continue
            ax.plot([0, 0], [y - 0.5, y + 0.5], color=INK, linewidth=1.2, zorder=1)
            for gains in (True, False):
                _blocks(ax, y, line.row.side(period, gains), gains)
    _legend(sheet, layout, rows, hidden, sureness)


def _bands(ax: Axes, lines: list[Line]) -> None:
    """Alternate domains on a faint band, with a rule between them."""
    domains = list(dict.fromkeys(line.domain for line in lines))
    for y, line in enumerate(lines):
        if domains.index(line.domain) % 2 == 0:
            ax.axhspan(y - 0.5, y + 0.5, color=BAND, zorder=0, linewidth=0)
        if y and lines[y - 1].domain is not line.domain:
            ax.axhline(y - 0.5, color=RULE, linewidth=1, zorder=0.5)


def _names(sheet: Sheet, ax: Axes, lines: list[Line], layout: Layout) -> None:
    room = layout.names_right - 24
    for y, line in enumerate(lines):
        if line.row is None:
            continue
        if layout.focus:  # the row is the domain
            style = DOMAINS[line.domain]
            text = f"{style.glyph} {style.label}"
            px = NAME_PX if sheet.measure(text, NAME_PX, "bold") <= room else 15
            text = sheet.wrap(text, room, px, "bold", lines=2)
            label(ax, 0.0, y, text, px=px, weight="bold", color=style.color, va="center")
            continue
        actor = line.row.actor
        name = isolate(sheet.fit_name(actor.name, actor.aliases, room, NAME_PX))
        label(ax, 0.06, y, name, px=NAME_PX, va="center_baseline")


def _headings(sheet: Sheet, lines: list[Line], layout: Layout) -> None:
    """Domain headings across the whole width, above the columns' panels."""
    for y, line in enumerate(lines):
        if line.row is not None:
            continue
        style = DOMAINS[line.domain]
        text = sheet.fit(f"{style.glyph} {style.label}", sheet.width - 40, NAME_PX, "bold")
        middle = layout.top + (y + 0.5) * layout.line_px
        sheet.text(20, middle, text, px=NAME_PX, weight="bold", color=style.color, va="center")


def _blocks(ax: Axes, y: int, units: list[Unit], gains: bool) -> None:
    for j, unit in enumerate(units):
        style = MARKS[unit.mark]
        x = j if gains else -(j + 1)
        box = Rectangle((x + 0.06, y - 0.36), 0.88, 0.72, zorder=2)
        box.update(patch_style(style.color, unit.certainty))
        ax.add_patch(box)
        filled = look(unit.certainty) in (Look.STATED, Look.REPORTED)
        label(
            ax,
            x + 0.5,
            y,
            style.glyph,
            px=15,
            color=style.text if filled else style.color,
            ha="center",
            va="center",
            zorder=3,
        )


def _legend(
    sheet: Sheet, layout: Layout, rows: list[Row], hidden: int, sureness: set[Certainty]
) -> None:
    marks = {u.mark for r in rows for u in _all(r)}
    handles = [
        Patch(facecolor=s.color, edgecolor="none", label=s.legend)
        for m, s in MARKS.items()
        if m in marks
    ]
    looks = dict.fromkeys(look(c) for c in sorted(sureness))
    handles += [
        Patch(**patch_style(INK, LOOK_EXAMPLE[kind]), label=LOOK_LEGEND[kind])  # type: ignore[arg-type]
        for kind in LOOK_LEGEND
        if kind in looks
    ]
    top = sheet.height - layout.legend + 6
    sheet.legend(handles[: len(marks)], top, px=15, handlelength=1.2, columnspacing=1.0)
    sheet.legend(
        handles[len(marks) :], top + 44, px=15, ncols=1, handlelength=1.2, labelspacing=0.3
    )
    if hidden:
        note = f"+{plural(hidden, 'row')} not shown"
        sheet.text(sheet.width - 16, 96, note, px=15, color=MUTED, ha="right", va="top")


def describe(rows: list[Row], focus: Actor | None, hidden: int, pivot: str) -> str:
    """Alt text: who came out ahead where, then the shifts themselves, domain by domain."""
    if not rows:
        return "Leverage chart: no leverage shifts are stated in the cards for this selection."
    domains = list(dict.fromkeys(DOMAINS[r.domain].label for r in rows))
    who = f"{focus.name}'s leverage gains and losses" if focus else "Leverage balance"
    parts = [
        f"{who} before and after {pivot}, and not tied to it, in "
        f"{plural(len(domains), 'domain')}: {', '.join(domains)}."
    ]
    if focus is None:
        parts += [_ahead(rows, period, pivot) for period in (Period.BEFORE, Period.AFTER)]
    for domain, first, last in _groups(rows):
        for period in Period:
            # Without a focus, each shift once: as its subject's move, not also its mirror.
            said = [_said(r, period, focus is None) for r in rows[first : last + 1]]
            said = [s for s in said if s]
            if said:
                when = period_label(period, pivot) if period is Period.UNTIED else period.value
                parts.append(f"{DOMAINS[domain].label}, {when}: {'; '.join(said)}.")
    if hidden:
        parts.append(f"{plural(hidden, 'further actor row')} not shown.")
    return alt_text(parts)


def _groups(rows: list[Row]) -> list[tuple[Domain, int, int]]:
    """(domain, first row, last row) for each run of rows in one domain."""
    groups: list[tuple[Domain, int, int]] = []
    for i, row in enumerate(rows):
        if groups and groups[-1][0] == row.domain:
            groups[-1] = (row.domain, groups[-1][1], i)
        else:
            groups.append((row.domain, i, i))
    return groups


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
    """What one actor did in one period (with `everyone`, only the shifts it made), each
    with how sure the article is when it is not a plain statement."""
    said = []
    for mark in Mark:
        units = [u for u in row.units[period] if u.mark is mark and (u.own or not everyone)]
        for (other, certainty), times in Counter((u.other, u.certainty) for u in units).items():
            sure = certainty_words(certainty)
            said.append(
                f"{VERBS[mark]} {other}"
                + (f" (×{times})" if times > 1 else "")
                + (f" ({sure})" if sure else "")
            )
    if not said:
        return ""
    return (f"{row.actor.name} " if everyone else "") + ", ".join(said)
