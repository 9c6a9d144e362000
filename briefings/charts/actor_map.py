"""Actor map: one actor in the middle, the actors the cards tie it to around it.

Neighbours sit on an ellipse (the image is wider than tall) in order of relation
kind, so like ties sit together. Each kind has its own colour *and* line style;
directional kinds (depends-on, sponsors, part-of, intermediary) carry an arrow
from source to target, and every neighbour is labelled with the tie in words.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, Polygon

from briefings.charts.base import Chart, alt_text, ellipsize, isolate, plural, ties_of
from briefings.charts.canvas import SCALE, Sheet, label
from briefings.charts.style import BACKGROUND, INK, MUTED, RELATIONS, SKY, Look, look
from briefings.labels import GENERIC_PIVOT, certainty_label, period_label
from briefings.models import Actor, ActorKind, Period, Relation, RelationKind

MAX_NEIGHBOURS = 10
"""One row each on a phone-sized image; the rest are counted (and said in the alt text)."""
ROW_PX = 50
NODE_PX = 6
NODE_X = 236
"""Where the neighbours' nodes sit; their names and ties read to the right of them."""
BOX_RIGHT = 150
HEAD_PX = 11
CENTRE_FILL = SKY
AS_TARGET = {
    RelationKind.INTERMEDIARY: "mediates with it",
    RelationKind.DEPENDS_ON: "depends on it",
    RelationKind.SPONSORS: "sponsors it",
    RelationKind.PART_OF: "is part of it",
}
"""Directional ties seen from the neighbour the focus actor points at."""
PHRASES = {
    RelationKind.ALLY: "ally",
    RelationKind.ADVERSARY: "adversary",
    RelationKind.RIVAL: "rival",
    RelationKind.PARTNER: "partner",
    RelationKind.INTERMEDIARY: "mediates with",
    RelationKind.DEPENDS_ON: "depends on",
    RelationKind.SPONSORS: "sponsors",
    RelationKind.PART_OF: "part of",
}


@dataclass(frozen=True, slots=True)
class Neighbour:
    actor: Actor
    ties: tuple[Relation, ...]


def neighbours(
    actor: Actor, ties: Sequence[Relation], named: Mapping[str, Actor]
) -> list[Neighbour]:
    """Each other actor once, with all its ties to `actor`; like kinds next to each other."""
    by_id: dict[str, list[Relation]] = {}
    for tie in ties:
        other = tie.target if tie.source == actor.id else tie.source
        by_id.setdefault(other, []).append(tie)
    kinds = list(RelationKind)
    found = [Neighbour(named.get(i) or _stand_in(i), tuple(r)) for i, r in by_id.items()]
    return sorted(found, key=lambda n: (kinds.index(n.ties[0].kind), n.actor.name.casefold()))


def pick(around: list[Neighbour], limit: int) -> list[Neighbour]:
    """At most `limit` neighbours, taken in turn from each relation kind so a crowded
    map still shows every kind of tie; kept in `around`'s order."""
    if len(around) <= limit:
        return around
    groups: dict[RelationKind, list[Neighbour]] = {}
    for neighbour in around:
        groups.setdefault(neighbour.ties[0].kind, []).append(neighbour)
    chosen: list[Neighbour] = []
    while len(chosen) < limit:
        for group in groups.values():
            if group and len(chosen) < limit:
                chosen.append(group.pop(0))
    return [n for n in around if n in chosen]


def _stand_in(actor_id: str) -> Actor:
    """A relation may name an actor this guild cannot see: show its id rather than fail."""
    return Actor(id=actor_id, name=actor_id, kind=ActorKind.GROUP, role="Not in this briefing.")


SHORT_PERIOD = {Period.BEFORE: "before", Period.AFTER: "after", Period.UNTIED: "not tied"}


def phrase(tie: Relation, focus: Actor) -> str:
    """The tie in words, from the neighbour's side of the map."""
    words = PHRASES[tie.kind]
    if RELATIONS[tie.kind].directed:
        short = isolate(ellipsize(focus.name, 14))
        words = f"{words} {short}" if tie.target == focus.id else f"{short} {AS_TARGET[tie.kind]}"
    notes = [SHORT_PERIOD[tie.period]] if tie.period else []
    if look(tie.certainty) is not Look.STATED:
        notes.append(certainty_label(tie))
    return words + (f" ({', '.join(notes)})" if notes else "")


@dataclass(frozen=True, slots=True)
class Layout:
    """The focus actor's box at the left, one row per neighbour at the right, each as
    tall as its words (a name, then its ties in up to three lines)."""

    heights: tuple[float, ...]
    top: float = 96

    @property
    def body(self) -> float:
        return max(sum(self.heights), 3 * ROW_PX)

    @property
    def centre(self) -> tuple[float, float]:
        return BOX_RIGHT, self.top + self.body / 2

    def node(self, i: int) -> tuple[float, float]:
        return NODE_X, self.top + sum(self.heights[:i]) + self.heights[i] / 2


def row_texts(sheet: Sheet, focus: Actor, shown: list[Neighbour]) -> list[tuple[str, str]]:
    """Each neighbour's name (one line) and ties in words (wrapped to three lines)."""
    room = sheet.width - NODE_X - NODE_PX - 22
    return [
        (
            isolate(sheet.fit_name(n.actor.name, n.actor.aliases, room, 17, "bold")),
            sheet.wrap("; ".join(phrase(t, focus) for t in n.ties), room, 15, lines=3),
        )
        for n in shown
    ]


def render(
    actor: Actor,
    relations: Sequence[Relation],
    actors_by_id: Mapping[str, Actor],
    *,
    size: tuple[int, int],
    pivot: str | None = None,
) -> Chart:
    pivot = pivot or GENERIC_PIVOT
    ties, named = ties_of(actor, relations, actors_by_id)
    around = neighbours(actor, ties, named)
    shown, hidden = pick(around, MAX_NEIGHBOURS), max(len(around) - MAX_NEIGHBOURS, 0)
    texts = row_texts(Sheet(*size), actor, shown)
    layout = Layout(tuple(ROW_PX + 16 * said.count("\n") for _, said in texts))
    drawn = [t for n in shown for t in n.ties]
    legend_px = _legend_px(drawn)
    height = int(max(size[1] * 0.75, layout.top + layout.body + legend_px + 24))
    sheet = Sheet(size[0], height)
    ax = sheet.axes(0, 0, sheet.width, height)
    ax.set_xlim(0, sheet.width)
    ax.set_ylim(height, 0)  # y grows downwards, as on the sheet
    _header(sheet, actor, pivot)
    _centre(sheet, ax, actor, layout)
    for i, neighbour in enumerate(shown):
        _neighbour(ax, actor, neighbour, layout, i, texts[i])
    if not shown:
        sheet.text(
            NODE_X,
            layout.centre[1],
            "No relations stated in the cards",
            px=18,
            color=MUTED,
            va="center",
        )
    if hidden > 0:
        more = f"+{plural(hidden, 'more actor')} not shown"
        sheet.text(
            sheet.width - 16,
            layout.top + layout.body + 4,
            more,
            px=15,
            color=MUTED,
            ha="right",
            va="top",
        )
    _legend(sheet, drawn, height - legend_px)
    return Chart(
        sheet.png(),
        f"actor-map-{actor.id}.png",
        describe(actor, around, hidden, pivot),
        size[0] * SCALE,
        height * SCALE,
    )


def _header(sheet: Sheet, actor: Actor, pivot: str) -> None:
    title = sheet.fit(f"Who {isolate(actor.name)} is tied to", sheet.width - 32, 24, "bold")
    sheet.text(16, 12, title, px=24, weight="bold", va="top")
    how = f"Ties the cards state; before / after / not tied: relative to {pivot}"
    sheet.text(16, 44, sheet.wrap(how, sheet.width - 32, 15), px=15, color=MUTED, va="top")


def _centre(sheet: Sheet, ax: Axes, actor: Actor, layout: Layout) -> None:
    px = 18.0
    text = sheet.wrap(actor.name, BOX_RIGHT - 40, px, "bold", lines=3)
    label(
        ax,
        (16 + BOX_RIGHT) / 2,
        layout.centre[1],
        text,
        px=px,
        weight="bold",
        color=BACKGROUND,
        ha="center",
        va="center",
        zorder=5,
        linespacing=1.15,
        multialignment="center",
        bbox={"boxstyle": "round,pad=0.5", "facecolor": CENTRE_FILL, "edgecolor": "none"},
    )


def _neighbour(
    ax: Axes,
    focus: Actor,
    neighbour: Neighbour,
    layout: Layout,
    index: int,
    text: tuple[str, str],
) -> None:
    x, y = layout.node(index)
    for j, tie in enumerate(neighbour.ties):
        offset = (j - (len(neighbour.ties) - 1) / 2) * 7
        _edge(ax, tie, focus, layout.centre, (x, y + offset))
    ax.add_patch(Circle((x, y), NODE_PX, facecolor=INK, edgecolor=BACKGROUND, lw=2, zorder=4))
    name, said = text
    lines = said.count("\n") + 1
    top = y - (17 + lines * 16) / 2
    label(ax, x + NODE_PX + 8, top, name, px=17, weight="bold", va="top", zorder=6)
    label(
        ax, x + NODE_PX + 8, top + 20, said, px=15, color=MUTED, va="top", zorder=6, linespacing=1.0
    )


def _edge(
    ax: Axes, tie: Relation, focus: Actor, centre: tuple[float, float], node: tuple[float, float]
) -> None:
    """A straight line from the focus box to the node, hollow when the article does not
    state the tie as fact, with a solid arrowhead for directional kinds."""
    style = RELATIONS[tie.kind]
    start = (centre[0] + 6, centre[1])
    end = (node[0] - NODE_PX - 3, node[1])
    xs, ys = [start[0], end[0]], [start[1], end[1]]
    hollow = look(tie.certainty) in (Look.TENTATIVE, Look.UNKNOWN)
    width = style.width + (1.6 if hollow else 0)
    ax.add_line(
        Line2D(xs, ys, color=style.color, linewidth=width, linestyle=style.linestyle, zorder=2)
    )
    if hollow:  # an outlined line: the panel colour down its middle
        ax.add_line(
            Line2D(
                xs,
                ys,
                color=BACKGROUND,
                linewidth=width - 2.6,
                linestyle=style.linestyle,
                zorder=2.1,
            )
        )
    if look(tie.certainty) is Look.REPORTED:  # reported ties carry a dot at their middle
        ax.plot(
            [(xs[0] + xs[1]) / 2],
            [(ys[0] + ys[1]) / 2],
            marker="o",
            markersize=6,
            color=style.color,
            markeredgecolor=INK,
            zorder=3,
        )
    if style.directed:
        tip, tail = (end, start) if tie.source == focus.id else (start, end)
        ax.add_patch(_head(tip, tail, style.color))


def _head(tip: tuple[float, float], tail: tuple[float, float], color: str) -> Polygon:
    """A solid triangular arrowhead at `tip`, pointing away from `tail` (pixels)."""
    dx, dy = tip[0] - tail[0], tip[1] - tail[1]
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    base = (tip[0] - ux * HEAD_PX, tip[1] - uy * HEAD_PX)
    side = (-uy * HEAD_PX * 0.42, ux * HEAD_PX * 0.42)
    corners = [tip, (base[0] + side[0], base[1] + side[1]), (base[0] - side[0], base[1] - side[1])]
    return Polygon(corners, closed=True, facecolor=color, edgecolor=color, zorder=3)


def _legend_entries(ties: Sequence[Relation]) -> list[Line2D]:
    kinds = [k for k in RelationKind if any(t.kind is k for t in ties)]
    handles = [
        Line2D(
            [],
            [],
            color=RELATIONS[k].color,
            linestyle=RELATIONS[k].linestyle,
            linewidth=RELATIONS[k].width,
            label=PHRASES[k] + (" →" if RELATIONS[k].directed else ""),
        )
        for k in kinds
    ]
    if any(look(t.certainty) in (Look.TENTATIVE, Look.UNKNOWN) for t in ties):
        handles.append(
            Line2D(
                [],
                [],
                color=MUTED,
                linewidth=1.0,
                label="hollow line: forecast, perception, hedged or not stated",
            )
        )
    return handles


def _legend_px(ties: Sequence[Relation]) -> float:
    entries = _legend_entries(ties)
    kinds = len(entries) - (1 if entries and _is_hollow(entries[-1]) else 0)
    return -(-kinds // 2) * 22 + (22 if len(entries) > kinds else 0) + 12 if entries else 0


def _is_hollow(entry: Line2D) -> bool:
    return str(entry.get_label()).startswith("hollow")


def _legend(sheet: Sheet, ties: Sequence[Relation], top: float) -> None:
    entries = _legend_entries(ties)
    if not entries:
        return
    hollow = entries[-1] if _is_hollow(entries[-1]) else None
    kinds = [e for e in entries if e is not hollow]
    sheet.legend(kinds, top, px=15, handlelength=2.4, columnspacing=1.2, labelspacing=0.25)
    if hollow is not None:
        sheet.text(
            16,
            sheet.height - 12,
            "Outlined (hollow) line: forecast, perception, hedged or not stated",
            px=14,
            color=MUTED,
            va="bottom",
        )


def describe(actor: Actor, around: list[Neighbour], hidden: int, pivot: str) -> str:
    if not around:
        return f"Actor map of {actor.name}: no relations are stated in the cards."
    parts = [f"Actor map of {actor.name}: {plural(len(around), 'actor')} tied to it in the cards."]
    for neighbour in around:
        for tie in neighbour.ties:
            parts.append(_sentence(tie, actor, neighbour.actor, pivot) + ".")
    if hidden > 0:
        parts.append(f"{plural(hidden, 'actor')} not drawn for space.")
    return alt_text(parts)


def _sentence(tie: Relation, focus: Actor, other: Actor, pivot: str) -> str:
    source, target = (focus, other) if tie.source == focus.id else (other, focus)
    notes = [period_label(tie.period, pivot)] if tie.period else []
    if certainty_label(tie):
        notes.append(certainty_label(tie))
    when = f" ({'; '.join(notes)})" if notes else ""
    return f"{source.name} {RELATIONS[tie.kind].verb} {target.name}{when}"
