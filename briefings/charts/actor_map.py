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
from matplotlib.text import Text

from briefings.charts.base import Chart, alt_text, ellipsize, isolate, plural, ties_of
from briefings.charts.canvas import DPI, Sheet, font, label
from briefings.charts.style import BLUE, INK, MUTED, RELATIONS
from briefings.labels import GENERIC_PIVOT
from briefings.models import Actor, ActorKind, Relation, RelationKind

MAX_NEIGHBOURS = 12
"""More labels than this around one ellipse start to collide; the rest are counted."""
NODE_PX = 11
HEAD_PX = 18
CENTRE_FILL = "#DCEBF7"
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


def phrase(tie: Relation, focus: Actor) -> str:
    """The tie in words, from the neighbour's side of the map."""
    words = PHRASES[tie.kind]
    if RELATIONS[tie.kind].directed:
        short = isolate(ellipsize(focus.name, 14))
        words = f"{words} {short}" if tie.target == focus.id else f"{short} {AS_TARGET[tie.kind]}"
    return words + (f" ({tie.period.value})" if tie.period else "")


@dataclass(frozen=True, slots=True)
class Geometry:
    width: float
    height: float
    count: int

    @property
    def centre(self) -> tuple[float, float]:
        return self.width / 2, self.height / 2

    def position(self, i: int) -> tuple[float, float, float]:
        """(x, y, angle) of the i-th neighbour, clockwise from the top."""
        angle = math.pi / 2 - 2 * math.pi * i / self.count
        rx, ry = self.width / 2 - 250, self.height / 2 - 70
        cx, cy = self.centre
        return cx + rx * math.cos(angle), cy + ry * math.sin(angle), angle


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
    sheet = Sheet(*size)
    _header(sheet, actor, pivot)
    ax = sheet.axes(0, 90, sheet.width, sheet.height - 90 - 64)
    geometry = Geometry(sheet.width, sheet.height - 90 - 64, max(len(shown), 1))
    ax.set_xlim(0, geometry.width)
    ax.set_ylim(0, geometry.height)
    half = _centre(sheet, ax, actor, geometry)
    for i, neighbour in enumerate(shown):
        _neighbour(sheet, ax, actor, neighbour, geometry, i, half)
    if not shown:
        label(
            ax,
            geometry.width / 2,
            geometry.height / 2 - half[1] - 24,
            "No relations stated in the cards",
            px=20,
            color=MUTED,
            ha="center",
            va="top",
        )
    if hidden > 0:
        sheet.text(
            sheet.width - 24,
            96,
            f"+{plural(hidden, 'more actor')} not shown",
            px=16,
            color=MUTED,
            ha="right",
            va="top",
        )
    _legend(sheet, [t for n in shown for t in n.ties])
    return Chart(
        sheet.png(), f"actor-map-{actor.id}.png", describe(actor, around, hidden, pivot), *size
    )


def _header(sheet: Sheet, actor: Actor, pivot: str) -> None:
    title = sheet.fit(f"Who {isolate(actor.name)} is tied to", sheet.width - 60, 30, "bold")
    sheet.text(30, 18, title, px=30, weight="bold", va="top")
    how = f"Ties the cards state; before/after = relative to {pivot}; arrows read “A depends on B”"
    sheet.text(30, 60, how, px=17, color=MUTED, va="top")


def _centre(sheet: Sheet, ax: Axes, actor: Actor, geometry: Geometry) -> tuple[float, float]:
    """The focus actor as a box; returns its half width and half height in pixels."""
    px, pad = 24.0, 12.0
    text = sheet.wrap(actor.name, 260, px, "bold")
    lines = text.split("\n")
    width = max(sheet.measure(line, px, "bold") for line in lines)
    cx, cy = geometry.centre
    label(
        ax,
        cx,
        cy,
        text,
        px=px,
        weight="bold",
        ha="center",
        va="center",
        zorder=5,
        linespacing=1.15,
        multialignment="center",
        bbox={
            "boxstyle": f"round,pad={pad * 72 / DPI / (px * 72 / DPI):.2f}",
            "facecolor": CENTRE_FILL,
            "edgecolor": BLUE,
            "linewidth": 2,
        },
    )
    return width / 2 + pad + 4, len(lines) * px * 1.15 / 2 + pad + 4


def _neighbour(
    sheet: Sheet,
    ax: Axes,
    focus: Actor,
    neighbour: Neighbour,
    geometry: Geometry,
    index: int,
    half: tuple[float, float],
) -> None:
    x, y, angle = geometry.position(index)
    cx, cy = geometry.centre
    for j, tie in enumerate(neighbour.ties):
        offset = (j - (len(neighbour.ties) - 1) / 2) * 10
        _edge(ax, tie, focus, (cx, cy), (x, y), half, offset)
    ax.add_patch(Circle((x, y), NODE_PX, facecolor="white", edgecolor=INK, linewidth=2, zorder=4))
    _neighbour_label(sheet, ax, focus, neighbour, (x, y, angle), geometry)


def _edge(
    ax: Axes,
    tie: Relation,
    focus: Actor,
    centre: tuple[float, float],
    node: tuple[float, float],
    half: tuple[float, float],
    offset: float,
) -> None:
    """A straight line (parallel-offset when one neighbour has several ties), with a
    solid arrowhead for directional kinds (a dotted head would not read as one)."""
    style = RELATIONS[tie.kind]
    dx, dy = node[0] - centre[0], node[1] - centre[1]
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    # Start at the edge of the centre box, not its middle, so arrowheads stay visible.
    box = min(half[0] / max(abs(ux), 1e-9), half[1] / max(abs(uy), 1e-9))
    near = (centre[0] + ux * box - uy * offset, centre[1] + uy * box + ux * offset)
    far = (node[0] - ux * (NODE_PX + 3) - uy * offset, node[1] - uy * (NODE_PX + 3) + ux * offset)
    ax.add_line(
        Line2D(
            [near[0], far[0]],
            [near[1], far[1]],
            color=style.color,
            linewidth=style.width,
            linestyle=style.linestyle,
            zorder=2,
        )
    )
    if style.directed:
        tip, tail = (far, near) if tie.source == focus.id else (near, far)
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


def _neighbour_label(
    sheet: Sheet,
    ax: Axes,
    focus: Actor,
    neighbour: Neighbour,
    where: tuple[float, float, float],
    geometry: Geometry,
) -> None:
    x, y, angle = where
    cos, sin = math.cos(angle), math.sin(angle)
    ha = "left" if cos > 0.35 else "right" if cos < -0.35 else "center"
    va = "bottom" if sin > 0.35 else "top" if sin < -0.35 else "center"
    room = {"left": geometry.width - x - 30, "right": x - 30, "center": 240.0}[ha]
    px = 17.0 if geometry.count <= 10 else 15.0
    name = sheet.wrap(neighbour.actor.name, min(room, 240), px, "bold")
    said = sheet.wrap("; ".join(phrase(t, focus) for t in neighbour.ties), min(room, 240), px - 2)
    ox, oy = (NODE_PX + 7) * cos, (NODE_PX + 7) * sin
    common = {"ha": ha, "linespacing": 1.1, "zorder": 6, "multialignment": ha}
    # The name above the tie, the pair on the far side of the node from the centre.
    # The first text is laid out to learn its real height, so the second sits flush.
    if va == "bottom":
        first = label(ax, x + ox, y + oy, said, px=px - 2, color=MUTED, va="bottom", **common)
        label(
            ax,
            x + ox,
            _edge_y(ax, first, "top") + 2,
            name,
            px=px,
            weight="bold",
            va="bottom",
            **common,
        )
    else:
        at = y + oy if va == "top" else y + 1
        first = label(
            ax,
            x + ox,
            at,
            name,
            px=px,
            weight="bold",
            va="top" if va == "top" else "bottom",
            **common,
        )
        below = _edge_y(ax, first, "bottom") - 2 if va == "top" else y - 1
        label(ax, x + ox, below, said, px=px - 2, color=MUTED, va="top", **common)


def _edge_y(ax: Axes, text: Text, side: str) -> float:
    """The top or bottom of a drawn text, in the axes' (pixel) data coordinates."""
    box = text.get_window_extent()
    point = box.y1 if side == "top" else box.y0
    return float(ax.transData.inverted().transform((box.x0, point))[1])


def _legend(sheet: Sheet, ties: Sequence[Relation]) -> None:
    kinds = [k for k in RelationKind if any(t.kind is k for t in ties)]
    if not kinds:
        return
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
    sheet.fig.legend(
        handles=handles,
        loc="lower center",
        ncols=min(len(handles), 4),
        frameon=False,
        prop=font(17),
        bbox_to_anchor=(0.5, 0.005),
        handlelength=2.6,
        columnspacing=1.8,
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
    when = f" ({tie.period.value} {pivot})" if tie.period else ""
    return f"{source.name} {RELATIONS[tie.kind].verb} {target.name}{when}"
