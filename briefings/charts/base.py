"""What every chart returns, and the pieces that need no matplotlib."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from briefings.errors import BriefingError
from briefings.models import Actor, Relation

ALT_TEXT_LIMIT = 1024
"""Discord's limit on an attachment's description."""

DEFAULT_SIZE = (520, 640)
"""Layout pixels, portrait: Discord shows an image 400-550 px wide (a phone at full width),
so a chart is laid out at about that width with type that stays 12 px or more when shown;
the PNG is drawn at twice the size (canvas.SCALE)."""
OUTPUT_SCALE = 2
"""PNG pixels per layout pixel (canvas.SCALE, without importing matplotlib)."""


class ChartUnavailable(BriefingError):
    """Charts cannot be drawn here (matplotlib is not installed)."""


@dataclass(frozen=True, slots=True)
class Chart:
    png: bytes = field(repr=False)
    filename: str
    alt_text: str
    width: int
    height: int
    """The PNG's size in pixels (OUTPUT_SCALE times the layout size)."""


def ellipsize(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, ending in an ellipsis when cut."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: max(limit - 1, 0)].rstrip() + "…"


def isolate(name: str) -> str:
    """A right-to-left name wrapped in a Unicode isolate, so the text around it keeps
    its order ("· 2011–2013" after an Arabic title would otherwise read "2013–2011")."""
    if any(unicodedata.bidirectional(c) in ("R", "AL") for c in name):
        return f"\u2068{name}\u2069"
    return name


def alt_text(parts: list[str]) -> str:
    """Sentences joined and held to Discord's limit (cut at a sentence if possible)."""
    text = " ".join(p.strip() for p in parts if p.strip())
    if len(text) <= ALT_TEXT_LIMIT:
        return text
    cut = text[: ALT_TEXT_LIMIT - 1]
    stop = cut.rfind(". ")
    return (cut[: stop + 1] if stop > ALT_TEXT_LIMIT // 2 else cut.rstrip()) + "…"


def listing(items: list[str], budget: int) -> str:
    """Items joined with semicolons, as many as fit in `budget` characters, then a count."""
    shown: list[str] = []
    for i, item in enumerate(items):
        rest = len(items) - i - 1
        tail = f"; and {rest} more" if rest else ""
        if len("; ".join([*shown, item]) + tail) > budget and shown:
            return "; ".join(shown) + f"; and {len(items) - i} more"
        shown.append(item)
    return "; ".join(shown)


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def ties_of(
    actor: Actor, relations: Sequence[Relation], actors_by_id: Mapping[str, Actor]
) -> tuple[list[Relation], dict[str, Actor]]:
    """The relations that involve `actor`, and the actors they name (what a map draws)."""
    ties = [r for r in relations if actor.id in (r.source, r.target) and r.source != r.target]
    named = {i for r in ties for i in (r.source, r.target)}
    return ties, {i: a for i, a in actors_by_id.items() if i in named}
