"""Colours, marks and words shared by the charts.

Colours are Okabe–Ito (distinguishable with the common colour-vision deficiencies),
on an opaque dark slate panel: it sits quietly on Discord's dark theme and reads as a
card on the light one (a light panel glares on the dark theme). Colour never carries
meaning alone: each encoding also has a glyph, a side, a hatch or a line style, and a
label. Hatching means one thing everywhere: a claim the article does not state as fact
(a forecast, a perception, a hedge) or a date it gives only approximately.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from briefings.labels import DOMAIN_LABELS
from briefings.models import TENTATIVE, Certainty, Domain, RelationKind

BLACK = "#000000"
ORANGE = "#E69F00"
SKY = "#56B4E9"
GREEN = "#009E73"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
GREY = "#7A7A7A"

BACKGROUND = "#24272D"
INK = "#F2F3F5"
MUTED = "#B9BEC7"
BAND = "#2F333A"
RULE = "#4A4F58"
LIGHT_BLUE = "#4DA3E0"
"""Okabe–Ito blue, lightened for contrast on the dark panel (lines and text)."""


@dataclass(frozen=True, slots=True)
class DomainStyle:
    label: str
    color: str
    glyph: str
    """Printed before each event label so the domain does not hang on colour."""


DOMAINS: dict[Domain | None, DomainStyle] = {
    Domain.SYRIA: DomainStyle(DOMAIN_LABELS[Domain.SYRIA], VERMILLION, "●"),
    Domain.BLACK_SEA: DomainStyle(DOMAIN_LABELS[Domain.BLACK_SEA], BLUE, "■"),
    Domain.SOUTH_CAUCASUS: DomainStyle(DOMAIN_LABELS[Domain.SOUTH_CAUCASUS], GREEN, "▲"),
    Domain.ENERGY: DomainStyle(DOMAIN_LABELS[Domain.ENERGY], ORANGE, "◆"),
    Domain.DIPLOMACY: DomainStyle(DOMAIN_LABELS[Domain.DIPLOMACY], PURPLE, "▼"),
    Domain.ECONOMY: DomainStyle(DOMAIN_LABELS[Domain.ECONOMY], SKY, "✚"),
    None: DomainStyle("Other", GREY, "✱"),
}


def domain_style(domains: list[Domain]) -> DomainStyle:
    """An event is drawn in its first domain's style (or 'other' without one)."""
    return DOMAINS[domains[0] if domains else None]


LineStyle = Literal["solid", "dashed", "dashdot", "dotted"]


@dataclass(frozen=True, slots=True)
class RelationStyle:
    color: str
    linestyle: LineStyle
    width: float
    directed: bool
    verb: str
    """How the relation reads from source to target, for alt text."""


RELATIONS: dict[RelationKind, RelationStyle] = {
    RelationKind.ALLY: RelationStyle(BLUE, "solid", 3.2, False, "is an ally of"),
    RelationKind.PARTNER: RelationStyle(GREEN, "dashed", 2.8, False, "is a partner of"),
    RelationKind.ADVERSARY: RelationStyle(VERMILLION, "solid", 3.2, False, "is an adversary of"),
    RelationKind.RIVAL: RelationStyle(ORANGE, "dashdot", 2.8, False, "is a rival of"),
    RelationKind.INTERMEDIARY: RelationStyle(PURPLE, "dotted", 3.0, True, "mediates with"),
    RelationKind.DEPENDS_ON: RelationStyle(SKY, "dashed", 2.8, True, "depends on"),
    RelationKind.SPONSORS: RelationStyle(INK, "solid", 2.4, True, "sponsors"),
    RelationKind.PART_OF: RelationStyle(GREY, "dotted", 2.6, True, "is part of"),
}


class Look(StrEnum):
    """How sure a drawn claim is, as the pictures show it."""

    STATED = "stated"
    REPORTED = "reported"
    TENTATIVE = "tentative"
    UNKNOWN = "unknown"


LOOK_LEGEND = {
    Look.STATED: "filled: stated (fact or the author's judgement)",
    Look.REPORTED: "dotted: reported by a source",
    Look.TENTATIVE: "hatched outline: forecast, perception or hedged",
    Look.UNKNOWN: "dashed outline: certainty not stated",
}


LOOK_EXAMPLE = {
    Look.STATED: Certainty.FACT,
    Look.REPORTED: Certainty.REPORTED,
    Look.TENTATIVE: Certainty.FORECAST,
    Look.UNKNOWN: Certainty.UNKNOWN,
}


def look(certainty: Certainty) -> Look:
    if certainty is Certainty.REPORTED:
        return Look.REPORTED
    if certainty in TENTATIVE:
        return Look.TENTATIVE
    if certainty is Certainty.UNKNOWN:
        return Look.UNKNOWN
    return Look.STATED


def patch_style(color: str, certainty: Certainty) -> dict[str, object]:
    """Keyword arguments for a block drawn in `color` for a claim this sure."""
    drawn = look(certainty)
    if drawn is Look.STATED:
        return {"facecolor": color, "edgecolor": BACKGROUND, "linewidth": 1.5}
    if drawn is Look.REPORTED:  # dots in the panel colour over the fill
        return {"facecolor": color, "edgecolor": BACKGROUND, "hatch": "..", "linewidth": 1.5}
    if drawn is Look.TENTATIVE:  # hatch lines take the edge colour
        return {"facecolor": BACKGROUND, "edgecolor": color, "hatch": "////", "linewidth": 1.8}
    return {"facecolor": BACKGROUND, "edgecolor": MUTED, "linestyle": "--", "linewidth": 1.8}


LINE_LOOK = {Look.STATED: 1.0, Look.REPORTED: 1.0, Look.TENTATIVE: 0.55, Look.UNKNOWN: 0.55}
"""Line alpha on the actor map: a tentative or unstated tie is drawn fainter, and says so."""
