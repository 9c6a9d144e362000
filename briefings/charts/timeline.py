"""Timeline for a phone: one row per event, in timeline order, each with a small time strip.

Each row has its mark on a shared time axis (left) and its date and title in words
(right, up to two lines), so no label ever meets another. A day is a dot, a month,
year or range a bar as long as the date is vague, a season or an approximate range
("mere weeks ago") a hatched outline labelled "approx.", and an event the article
places only after or during another an open arrow from that event's date. Events
the article does not place at all are listed below, in the article's order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from matplotlib.axes import Axes
from matplotlib.patches import Patch, Rectangle

from briefings.charts.base import (
    ALT_TEXT_LIMIT,
    Chart,
    alt_text,
    ellipsize,
    isolate,
    listing,
    plural,
)
from briefings.charts.canvas import SCALE, Sheet
from briefings.charts.dates import short_date, span
from briefings.charts.style import BACKGROUND, DOMAINS, INK, MUTED, RULE, domain_style
from briefings.chronology import ordered
from briefings.models import Event, Precision
from briefings.results import TimelineEntry

__all__ = ["Row", "render", "rows_for", "short_date", "span", "ticks", "when_label"]

MARGIN = 16
STRIP_W = 150
"""Width of the time strip at the left of each row."""
LABEL_PX = 16
LINE_PX = 19
TOP = 104
LEGEND_PX = 96
MAX_HEIGHT = 1200
MIN_BAR_PX = 4
MIN_VAGUE_PX = 12
"""A hatched mark narrower than this would not show its hatching."""


@dataclass(frozen=True, slots=True)
class Row:
    event: Event
    text: str
    """Date and title, wrapped to the label column (at most two lines)."""
    lines: int
    anchor: Event | None = None
    """For an event placed only against another: the dated event it hangs from."""
    after: bool = True


def when_label(event: Event, anchor: Event | None, after: bool) -> str:
    """The date at its own precision, short: "Nov 2015", "Oct–Dec 2024 (approx.)",
    "after Nov 2015" for an event dated only against another."""
    if event.date.start is not None:
        said = short_date(event.date)
        return f"{said} (approx.)" if event.date.approximate else said
    if anchor is not None and anchor.date.start is not None:
        return f"{'after' if after else 'during'} {short_date(anchor.date)}"
    return "not dated"


def anchor_of(event: Event, by_id: dict[str, Event]) -> tuple[Event | None, bool]:
    """The nearest dated event up the after/during chain, and whether any link is 'after'."""
    after, at, seen = False, event, {event.id}
    while at.date.start is None and at.date.relative_to in by_id:
        after = after or at.date.after is not None
        at = by_id[at.date.relative_to or ""]
        if at.id in seen:
            return None, after
        seen.add(at.id)
    return (at, after) if at is not event and at.date.start is not None else (None, after)


def rows_for(sheet: Sheet, events: list[Event]) -> tuple[list[Row], list[Event]]:
    """Rows for the events the strip can place (dated, or placed against a dated event),
    in timeline order; and the rest, in the order given."""
    by_id = {e.id: e for e in events}
    room = sheet.width - 2 * MARGIN - STRIP_W - 10
    rows, loose = [], []
    for event in ordered(events):
        anchor, after = anchor_of(event, by_id)
        if event.date.start is None and anchor is None:
            continue
        head = f"{domain_style(event.domains).glyph} {when_label(event, anchor, after)} · "
        text = sheet.wrap(head + isolate(event.title), room, LABEL_PX, lines=2)
        rows.append(Row(event, text, text.count("\n") + 1, anchor, after))
    placed = {r.event.id for r in rows}
    loose = [e for e in events if e.id not in placed]
    return rows, loose


def render(
    entries: Sequence[TimelineEntry | Event], *, title: str | None, size: tuple[int, int]
) -> Chart:
    events = [e.event if isinstance(e, TimelineEntry) else e for e in entries]
    title = title or "Timeline of the briefing"
    probe = Sheet(*size)
    rows, loose = rows_for(probe, events)
    shown_rows, shown_loose = _fit(rows, loose, size[1])
    more = len(rows) > len(shown_rows)
    height = _height(shown_rows, min(len(loose), shown_loose), more, size[1])
    sheet = Sheet(size[0], height)
    sheet.text(
        MARGIN,
        12,
        sheet.fit(title, sheet.width - 2 * MARGIN, 24, "bold"),
        px=24,
        weight="bold",
        va="top",
    )
    counts = sheet.wrap(_counts(rows, loose), sheet.width - 2 * MARGIN, 15, lines=2)
    sheet.text(MARGIN, 44, counts, px=15, color=MUTED, va="top")
    y: float = TOP
    if shown_rows:
        y = _strip(sheet, shown_rows, y)
    if more:
        said = f"+{plural(len(rows) - len(shown_rows), 'more dated event')} (in the alt text)"
        sheet.text(MARGIN, y + 4, said, px=15, color=MUTED, va="top")
        y += 26
    if not events:
        sheet.text(MARGIN, y, "No events in this selection.", px=17, color=MUTED, va="top")
    if loose:
        _loose(sheet, loose, shown_loose, y + 10)
    _legend(sheet, events, rows)
    return Chart(
        sheet.png(),
        "timeline.png",
        describe(title, rows, loose),
        size[0] * SCALE,
        height * SCALE,
    )


def _row_px(row: Row) -> int:
    return row.lines * LINE_PX + 8


LOOSE_ROW_PX = 23
MAX_LOOSE_ROWS = 6
"""The events the article does not place: two columns of at most this many lines."""


def _fit(rows: list[Row], loose: list[Event], base: int) -> tuple[list[Row], int]:
    """As many rows as fit under MAX_HEIGHT, after room for the loose list."""
    budget = MAX_HEIGHT - TOP - LEGEND_PX - 40
    loose_rows = min(-(-len(loose) // 2), MAX_LOOSE_ROWS)
    loose_px = loose_rows * LOOSE_ROW_PX + (34 if loose else 0)
    room, shown = budget - loose_px - 26, []
    for row in rows:
        if room < _row_px(row):
            break
        room -= _row_px(row)
        shown.append(row)
    return shown, loose_rows * 2


def _height(rows: list[Row], loose: int, more: bool, base: int) -> int:
    needed = TOP + sum(_row_px(r) for r in rows) + (26 if more else 0)
    needed += (-(-loose // 2) * LOOSE_ROW_PX + 44) if loose else 0
    return int(min(MAX_HEIGHT, max(base, needed + LEGEND_PX + 20)))


def _counts(rows: list[Row], loose: list[Event]) -> str:
    dated = sum(r.event.date.start is not None for r in rows)
    relative = len(rows) - dated
    said = f"{plural(dated, 'dated event')}"
    if relative:
        said += f", {relative} placed only against another"
    return said + f", {len(loose)} not placed by the article"


@dataclass(frozen=True, slots=True)
class Frame:
    """The strip's date range, mapped onto its width in pixels."""

    start: float
    end: float

    def x(self, day: date) -> float:
        return (day.toordinal() - self.start) / (self.end - self.start) * STRIP_W


def frame_for(rows: list[Row]) -> Frame:
    spans = [span(r.event.date) for r in rows if r.event.date.start is not None]
    spans += [span(r.anchor.date) for r in rows if r.anchor is not None]
    first, last = min(s for s, _ in spans), max(e for _, e in spans)
    pad = max((last - first).days * 0.05, 60)
    start, end = first - timedelta(days=pad), last + timedelta(days=pad)
    return Frame(float(start.toordinal()), float(end.toordinal()))


def _strip(sheet: Sheet, rows: list[Row], top: float) -> float:
    frame = frame_for(rows)
    height = sum(_row_px(r) for r in rows)
    ax = sheet.axes(MARGIN, top, STRIP_W, height)
    ax.set_xlim(0, STRIP_W)
    ax.set_ylim(height, 0)
    first, last = date.fromordinal(int(frame.start)), date.fromordinal(int(frame.end))
    for day, text in ticks(first, last):
        x = frame.x(day)
        ax.axvline(x, color=RULE, linewidth=0.8, zorder=0)
        sheet.text(MARGIN + x, top - 6, text, px=14, color=MUTED, ha="center", va="bottom")
    y = 0.0
    for row in rows:
        middle = y + _row_px(row) / 2
        _mark(ax, row, frame, middle)
        text_top = top + y + 4
        sheet.text(
            MARGIN + STRIP_W + 10, text_top, row.text, px=LABEL_PX, va="top", linespacing=1.05
        )
        y += _row_px(row)
        ax.axhline(y, color=RULE, linewidth=0.6, zorder=0)
    return top + height


def _mark(ax: Axes, row: Row, frame: Frame, y: float) -> None:
    style = domain_style(row.event.domains)
    when = row.event.date
    if when.start is None and row.anchor is not None:  # placed only against another event
        x = frame.x(span(row.anchor.date)[1 if row.after else 0])
        ax.plot([x, x + 14], [y, y], color=style.color, linewidth=1.6, linestyle=":", zorder=3)
        ax.plot(
            [x + 16],
            [y],
            marker=">",
            markersize=7,
            markerfacecolor=BACKGROUND,
            markeredgecolor=style.color,
            markeredgewidth=1.5,
            zorder=3,
        )
        return
    start, end = span(when)
    x0, x1 = frame.x(start), frame.x(end + timedelta(days=1))
    if when.precision is Precision.DAY:
        ax.plot(
            [(x0 + x1) / 2],
            [y],
            marker="o",
            markersize=8,
            color=style.color,
            markeredgecolor=INK,
            markeredgewidth=1,
            zorder=3,
        )
        return
    vague = when.approximate or when.precision is Precision.SEASON
    least = MIN_VAGUE_PX if vague else MIN_BAR_PX
    if x1 - x0 < least:  # kept inside the strip: a late date widens to the left
        x1 = min(max(x1, x0 + least), STRIP_W)
        x0 = min(x0, x1 - least)
    ax.add_patch(
        Rectangle(
            (x0, y - 6),
            x1 - x0,
            12,
            zorder=3,
            facecolor=BACKGROUND if vague else style.color,
            edgecolor=style.color,
            hatch="////" if vague else None,
            linewidth=1.4,
            linestyle="--" if vague else "-",
        )
    )


def ticks(first: date, last: date, most: int = 4) -> list[tuple[date, str]]:
    """Round dates to mark the strip with (few: the strip is narrow): every 1, 2, 5...
    years over long spans, else every 1, 2, 3 or 6 months."""
    if (last - first).days > 2 * 365:
        step = next(
            s for s in (1, 2, 3, 5, 10, 20, 50, 100, 1000) if (last.year - first.year) / s < most
        )
        years = range(first.year + 1, last.year + 1)
        return [(date(y, 1, 1), str(y)) for y in years if y % step == 0]
    months = (last.year - first.year) * 12 + last.month - first.month
    step = next(s for s in (1, 2, 3, 6, 12) if months / s < most)
    out: list[tuple[date, str]] = []
    day = date(first.year, first.month, 1)
    while day <= last:
        if day > first and (day.month - 1) % step == 0:
            out.append((day, f"{day:%b}" if out and day.month != 1 else f"{day:%b %y}"))
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return out


def _loose(sheet: Sheet, loose: list[Event], shown: int, top: float) -> None:
    heading = f"Not placed in time by the article ({len(loose)})"
    sheet.text(MARGIN, top, heading, px=17, weight="bold", va="top")
    more = len(loose) > shown
    if more:
        shown = max(shown - 1, 0)  # the last slot says how many more there are
    per_column = max(1, -(-min(len(loose), shown + more) // 2))
    column_w = (sheet.width - 2 * MARGIN) / 2
    px = 15

    def at(i: int) -> tuple[float, float]:
        column, line = divmod(i, per_column)
        return MARGIN + column * column_w, top + 30 + line * LOOSE_ROW_PX + px

    for i, event in enumerate(loose[:shown]):
        style = domain_style(event.domains)
        x, y = at(i)
        sheet.text(x, y, style.glyph, px=px, color=style.color, va="baseline")
        sheet.text(x + 20, y, sheet.fit(event.title, column_w - 28, px), px=px, va="baseline")
    if more:
        x, y = at(shown)
        said = f"… and {len(loose) - shown} more"
        sheet.text(x + 20, y, said, px=px, color=MUTED, va="baseline")


def _legend(sheet: Sheet, events: list[Event], rows: list[Row]) -> None:
    present = {DOMAINS[e.domains[0] if e.domains else None] for e in events}
    handles = [
        Patch(facecolor=s.color, edgecolor="none", label=f"{s.glyph} {s.label}")
        for s in DOMAINS.values()
        if s in present
    ]
    top = sheet.height - LEGEND_PX + 6
    sheet.legend(handles, top, px=14, handlelength=1.0, columnspacing=1.0, labelspacing=0.25)
    how = "● a day  ▬ month, year, range  ▨ approx. or season  ▷ after another"
    sheet.text(
        MARGIN,
        sheet.height - 10,
        sheet.fit(how, sheet.width - 2 * MARGIN, 14),
        px=14,
        color=MUTED,
        va="bottom",
    )


def describe(title: str, rows: list[Row], loose: list[Event]) -> str:
    dated = [r for r in rows if r.event.date.start is not None]
    relative = len(rows) - len(dated)
    count = len(rows) + len(loose)
    counts = f"{len(dated)} dated and {len(loose)} undated"
    if relative:
        counts = f"{len(dated)} dated, {relative} placed only against another and "
        counts += f"{len(loose)} not placed"
    parts = [f"{title}: {plural(count, 'event')}, {counts}."]
    if dated:
        spans = sorted(r.event.date.sort_key for r in dated)
        first = next(r.event for r in dated if r.event.date.sort_key == spans[0])
        last = next(r.event for r in dated if r.event.date.sort_key == spans[-1])
        parts.append(f"Dated events run from {short_date(first.date)} to {short_date(last.date)}.")
    # The order is what the strip shows: it gets most of what is left of the limit.
    room = ALT_TEXT_LIMIT - len(" ".join(parts)) - 60
    share = 0.75 if rows and loose else 1.0
    if rows:
        said = [f"{when_label(r.event, r.anchor, r.after)}: {r.event.title}" for r in rows]
        parts.append(f"In order: {_listing(said, int(room * share))}.")
    if loose:
        titles = [e.title for e in loose]
        parts.append(f"Undated, listed apart: {_listing(titles, int(room * (1 - share) or room))}.")
    return alt_text(parts)


def _listing(items: list[str], room: int) -> str:
    """Items in full when they fit; else each cut short, so more of them are named."""
    whole = "; ".join(items)
    return whole if len(whole) <= room else listing([ellipsize(i, 40) for i in items], room)
