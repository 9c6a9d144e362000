"""Timeline strip: events on a time axis, each as wide as its date is vague.

A day is a dot, a month a short bar, a year or a range ("2019–2020") a long bar,
a season ("this summer") a hatched bar. Undated events are listed apart, never
placed at a made-up date. Labels are packed into lanes so none overlap; what does
not fit is drawn without a label and counted.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from matplotlib.axes import Axes
from matplotlib.patches import Patch, Rectangle

from briefings.charts.base import ALT_TEXT_LIMIT, Chart, alt_text, isolate, listing, plural
from briefings.charts.canvas import DPI, Sheet, font, label
from briefings.charts.dates import short_date, span
from briefings.charts.style import DOMAINS, INK, MUTED, RULE, domain_style
from briefings.models import Event, Precision
from briefings.results import TimelineEntry

__all__ = ["render", "short_date", "span"]

LANE_PX = 28
ROW_PX = 25
AXIS_PX = 36
"""Below the lanes: the time axis and its year labels."""
MAX_LANES = 12
LABEL_PX = 17
GAP_PX = 14
"""Clear space between two labels (or a label and a bar) sharing a lane."""

MIN_BAR_PX = 7
DOT_PX = 14
"""A day is drawn as a dot this wide (in pixels), whatever the scale."""


@dataclass(slots=True)
class Placed:
    event: Event
    x0: float
    """Bar start and end, in pixels from the panel's left edge."""
    x1: float
    text: str
    label_left: bool = False
    lane: int = -1
    extent: tuple[float, float] = (0.0, 0.0)
    """Pixels the bar and its label take together, left to right."""


@dataclass(frozen=True, slots=True)
class Frame:
    """The dated panel: its date range and its size in pixels."""

    start: float
    end: float
    width: float

    def px(self, day: date) -> float:
        return (day.toordinal() - self.start) / (self.end - self.start) * self.width

    def data(self, px: float) -> float:
        return self.start + px / self.width * (self.end - self.start)


def frame_for(events: list[Event], width: float) -> Frame:
    spans = [span(e.date) for e in events]
    first = min(s for s, _ in spans)
    last = max(e for _, e in spans)
    pad = max((last - first).days * 0.04, 120)
    return Frame(
        float((first - timedelta(days=pad)).toordinal()),
        float((last + timedelta(days=pad)).toordinal()),
        width,
    )


def place(sheet: Sheet, events: list[Event], frame: Frame, lanes: int) -> list[Placed]:
    """Bars and labels in the first lane where they overlap nothing (greedy interval packing).

    Events that fit no lane keep lane -1: drawn unlabelled on the bottom rug.
    """
    taken: list[list[tuple[float, float]]] = [[] for _ in range(lanes)]
    placed = []
    for event in sorted(events, key=lambda e: e.date.sort_key):
        item = _measure(sheet, event, frame)
        lo, hi = item.extent = _extent(sheet, item, frame)
        for lane, spans in enumerate(taken):
            if all(hi + GAP_PX <= a or lo >= b + GAP_PX for a, b in spans):
                spans.append((lo, hi))
                item.lane = lane
                break
        placed.append(item)
    return placed


def _measure(sheet: Sheet, event: Event, frame: Frame) -> Placed:
    start, end = span(event.date)
    x0, x1 = frame.px(start), frame.px(end + timedelta(days=1))
    least = DOT_PX if event.date.precision is Precision.DAY else MIN_BAR_PX
    if x1 - x0 < least:
        middle = (x0 + x1) / 2
        x0, x1 = middle - least / 2, middle + least / 2
    # The date stays whole; a long title gives way (the alt text has it in full).
    head, tail = f"{domain_style(event.domains).glyph} ", f" · {short_date(event.date)}"
    room = min(max(frame.width - x1, x0) - 8, frame.width * 0.62)
    fixed = sheet.measure(head + tail, LABEL_PX)
    title = sheet.fit(event.title, room - fixed, LABEL_PX)
    return Placed(event, x0, x1, head + isolate(title) + tail)


def _extent(sheet: Sheet, item: Placed, frame: Frame) -> tuple[float, float]:
    """Pixels the bar and its label occupy; the label goes left only when right won't fit."""
    width = sheet.measure(item.text, LABEL_PX)
    if item.x1 + 6 + width <= frame.width:
        return item.x0, item.x1 + 6 + width
    item.label_left = True
    return item.x0 - 6 - width, item.x1


@dataclass(frozen=True, slots=True)
class Layout:
    """Vertical split between the dated panel and the undated list, in pixels."""

    lanes: int
    dated_top: float
    dated_height: float
    undated_top: float
    columns: int
    rows: int


def layout_for(sheet: Sheet, dated: int, undated: int, needed_lanes: int) -> Layout:
    """Lanes for the dated panel first (at most ~60% of the height when both are shown),
    then the fewest undated columns whose rows fit: fewer columns, fuller titles."""
    top, bottom = 100.0, sheet.height - 60.0
    room = bottom - top
    if not dated:  # one line saying so, then the list
        dated_h = 34.0
        lanes = 0
    else:
        share = 0.6 if undated else 1.0
        lanes = max(1, min(needed_lanes, math.floor((room * share - AXIS_PX) / LANE_PX)))
        dated_h = lanes * LANE_PX + AXIS_PX
        if not undated:  # a few lanes alone: centre them rather than hug the title
            top += (room - dated_h) / 2
    max_rows = max(1, math.floor((room - dated_h - 8 - 34) / ROW_PX))
    columns = next((c for c in (1, 2, 3) if math.ceil(undated / c) <= max_rows), 3)
    rows = min(math.ceil(undated / columns), max_rows)
    return Layout(lanes, top, dated_h, top + dated_h + 8, columns, rows)


def render(
    entries: Sequence[TimelineEntry | Event], *, title: str | None, size: tuple[int, int]
) -> Chart:
    events = [e.event if isinstance(e, TimelineEntry) else e for e in entries]
    dated = [e for e in events if e.date.start is not None]
    # Undated events grouped by domain, so the list reads as blocks of one colour.
    order = [*DOMAINS]
    undated = sorted(
        (e for e in events if e.date.start is None),
        key=lambda e: order.index(e.domains[0] if e.domains else None),
    )
    sheet = Sheet(*size)
    title = title or "Timeline of the briefing"
    _header(sheet, title)
    placed: list[Placed] = []
    if dated:
        placed, layout = _draw_dated(sheet, dated, len(undated))
    else:
        layout = layout_for(sheet, 0, len(undated), 0)
        empty = "No events in this selection." if not undated else "None of these is dated."
        sheet.text(30, 100, empty, px=18, color=MUTED, va="top")
    if undated:
        _undated(sheet, layout, undated)
    _legend(sheet, events)
    return Chart(sheet.png(), "timeline.png", describe(title, placed, undated), *size)


def _header(sheet: Sheet, title: str) -> None:
    sheet.text(
        30, 18, sheet.fit(title, sheet.width - 60, 30, "bold"), px=30, weight="bold", va="top"
    )
    how = (
        "Bars are as wide as the article's date is precise: ● a day, ▮ a month,"
        " ▬ a year or a range, ▨ a season"
    )
    sheet.text(30, 60, how, px=17, color=MUTED, va="top")


def _draw_dated(sheet: Sheet, dated: list[Event], undated: int) -> tuple[list[Placed], Layout]:
    """Pack once with room to spare to learn how many lanes the labels want, then again
    into the lanes the layout can give (events left over go to the bottom strip)."""
    frame = frame_for(dated, sheet.width - 60)
    trial = place(sheet, dated, frame, lanes=MAX_LANES)
    needed = max((p.lane for p in trial), default=-1) + 1 or 1
    layout = layout_for(sheet, len(dated), undated, needed)
    placed = place(sheet, dated, frame, lanes=_labelled_lanes(layout, trial))
    _dated(sheet, layout, frame, placed)
    return placed, layout


def _labelled_lanes(layout: Layout, placed: list[Placed]) -> int:
    """Keep the bottom lane for unlabelled events when some would not fit."""
    overflow = any(p.lane < 0 or p.lane >= layout.lanes for p in placed)
    return layout.lanes - 1 if overflow and layout.lanes > 1 else layout.lanes


def _dated(sheet: Sheet, layout: Layout, frame: Frame, placed: list[Placed]) -> None:
    ax = sheet.axes(30, layout.dated_top, frame.width, layout.dated_height - AXIS_PX)
    ax.set_xlim(frame.start, frame.end)
    ax.set_ylim(layout.lanes - 0.5, -0.5)
    _time_axis(ax, frame)
    rug = layout.lanes - 1
    for item in placed:
        lane = item.lane if item.lane >= 0 else rug
        _bar(ax, item, frame, lane, faint=item.lane < 0)
        if item.lane >= 0:
            _label(ax, item, frame)
    hidden = sum(1 for p in placed if p.lane < 0)
    if hidden:
        note = f"+{plural(hidden, 'more dated event')} on the bottom strip, unlabelled"
        sheet.text(
            sheet.width - 30, layout.undated_top + 2, note, px=15, color=MUTED, ha="right", va="top"
        )


def ticks(first: date, last: date, most: int = 12) -> list[tuple[date, str]]:
    """Round dates to mark the axis with: every 1, 2, 5... years over long spans,
    every 1, 2, 3 or 6 months over short ones (x is the day's ordinal)."""
    if (last - first).days > 3 * 365:
        step = next(
            s for s in (1, 2, 5, 10, 20, 50, 100, 1000) if (last.year - first.year) / s < most
        )
        years = range(first.year + 1, last.year + 1)
        return [(date(y, 1, 1), str(y)) for y in years if y % step == 0]
    months = (last.year - first.year) * 12 + last.month - first.month
    step = next(s for s in (1, 2, 3, 6, 12) if months / s < most)
    out: list[tuple[date, str]] = []
    day = date(first.year, first.month, 1)
    while day <= last:
        if day > first and (day.month - 1) % step == 0:
            out.append((day, f"{day:%b}" if out and day.month != 1 else f"{day:%b %Y}"))
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return out


def _time_axis(ax: Axes, frame: Frame) -> None:
    ax.set_axis_on()
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color(INK)
    ax.set_yticks([])
    marks = ticks(date.fromordinal(int(frame.start)), date.fromordinal(int(frame.end)))
    ax.set_xticks([d.toordinal() for d, _ in marks], [text for _, text in marks])
    ax.tick_params(axis="x", labelsize=16 * 72 / DPI, colors=INK, length=5)
    ax.grid(axis="x", color=RULE, linewidth=0.8)
    ax.set_axisbelow(True)


def _bar(ax: Axes, item: Placed, frame: Frame, lane: int, *, faint: bool) -> None:
    style = domain_style(item.event.domains)
    precision = item.event.date.precision
    x0, x1 = frame.data(item.x0), frame.data(item.x1)
    if precision is Precision.DAY:
        ax.plot(
            [(x0 + x1) / 2],
            [lane],
            marker="o",
            markersize=11,
            color=style.color,
            markeredgecolor=INK,
            markeredgewidth=1,
            alpha=0.5 if faint else 1,
            zorder=3,
        )
        return
    season = precision is Precision.SEASON
    ax.add_patch(
        Rectangle(
            (x0, lane - 0.28),
            x1 - x0,
            0.56,
            zorder=3,
            alpha=0.5 if faint else 1,
            facecolor="white" if season else style.color,
            edgecolor=style.color,
            hatch="////" if season else None,
            linewidth=1.6,
            linestyle="--" if season else "-",
        )
    )


def _label(ax: Axes, item: Placed, frame: Frame) -> None:
    x = item.x0 - 6 if item.label_left else item.x1 + 6
    label(
        ax,
        frame.data(x),
        item.lane,
        item.text,
        px=LABEL_PX,
        va="center_baseline",
        ha="right" if item.label_left else "left",
        zorder=4,
    )


def _undated(sheet: Sheet, layout: Layout, undated: list[Event]) -> None:
    top = layout.undated_top
    sheet.text(30, top, f"Undated in the article ({len(undated)})", px=19, weight="bold", va="top")
    column_w = (sheet.width - 60) / layout.columns
    shown = layout.rows * layout.columns
    if len(undated) > shown:
        shown -= 1  # the last slot says how many more there are
    for i, event in enumerate(undated[:shown]):
        row, col = i % layout.rows, i // layout.rows
        style = domain_style(event.domains)
        # On a shared baseline: a row's top would move with the script (Arabic sits taller).
        x, y = 30 + col * column_w, top + 34 + row * ROW_PX + LABEL_PX
        title = sheet.fit(event.title, column_w - 36, LABEL_PX)
        sheet.text(x, y, style.glyph, px=LABEL_PX, color=style.color, va="baseline")
        sheet.text(x + 22, y, title, px=LABEL_PX, va="baseline")
    if len(undated) > shown:
        row, col = shown % layout.rows, shown // layout.rows
        sheet.text(
            30 + col * column_w + 22,
            top + 34 + row * ROW_PX + LABEL_PX,
            f"… and {len(undated) - shown} more",
            px=LABEL_PX,
            color=MUTED,
            va="baseline",
        )


def _legend(sheet: Sheet, events: list[Event]) -> None:
    present = {DOMAINS[e.domains[0] if e.domains else None] for e in events}
    styles = [s for s in DOMAINS.values() if s in present]
    handles = [
        Patch(facecolor=s.color, edgecolor=INK, label=f"{s.glyph} {s.label}") for s in styles
    ]
    sheet.fig.legend(
        handles=handles,
        loc="lower center",
        ncols=len(handles),
        frameon=False,
        prop=font(17),
        bbox_to_anchor=(0.5, 0.005),
        handlelength=1.2,
        columnspacing=1.4,
    )


def describe(title: str, placed: list[Placed], undated: list[Event]) -> str:
    dated = sorted((p.event for p in placed), key=lambda e: e.date.sort_key)
    count = len(dated) + len(undated)
    parts = [f"{title}: {plural(count, 'event')}, {len(dated)} dated and {len(undated)} undated."]
    domains = Counter(domain_style(e.domains).label for e in [*dated, *undated])
    if domains:
        parts.append("By domain: " + ", ".join(f"{d} {n}" for d, n in domains.most_common()) + ".")
    if dated:
        first, last = dated[0].date, dated[-1].date
        parts.append(f"Dated events run from {short_date(first)} to {short_date(last)}.")
    # Both lists share what is left of the limit, so neither crowds the other out.
    room = (ALT_TEXT_LIMIT - len(" ".join(parts)) - 60) // (bool(dated) + bool(undated) or 1)
    if dated:
        said = [f"{short_date(e.date)}: {e.title}" for e in dated]
        parts.append(f"In date order: {listing(said, room)}.")
    if undated:
        parts.append(f"Undated, listed apart: {listing([e.title for e in undated], room)}.")
    return alt_text(parts)
