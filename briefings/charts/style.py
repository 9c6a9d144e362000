"""Colours, marks and words shared by the charts.

Colours are Okabe–Ito (distinguishable with the common colour-vision deficiencies),
on an opaque light background so an image reads the same on Discord's dark theme.
Colour never carries meaning alone: each encoding also has a glyph, a side, a
hatch or a line style, and a label.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from briefings.labels import DOMAIN_LABELS
from briefings.models import Domain, RelationKind

BLACK = "#000000"
ORANGE = "#E69F00"
SKY = "#56B4E9"
GREEN = "#009E73"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
GREY = "#7A7A7A"

BACKGROUND = "#FAFAF7"
INK = "#1B1B1B"
MUTED = "#555555"
BAND = "#ECECE6"
RULE = "#C9C9C2"


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
    RelationKind.SPONSORS: RelationStyle(BLACK, "solid", 2.4, True, "sponsors"),
    RelationKind.PART_OF: RelationStyle(GREY, "dotted", 2.6, True, "is part of"),
}
