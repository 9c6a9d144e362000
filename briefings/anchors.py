"""Anchors: the short verbatim phrase that opens each card's section in the article.

They are checked against the article like quotes (so a link never points at text that is not
there), and turned into URL text fragments (`#:~:text=`) so a section link opens the article
at that passage in browsers that support them, and at the top elsewhere.
"""

from __future__ import annotations

from urllib.parse import quote

from briefings.errors import FieldProblem
from briefings.faithfulness import normalise
from briefings.models import PackFile

ANCHOR_WORDS = 12
"""Longer phrases are brittle (the live page's punctuation drifts); a few words suffice."""


def anchor_problems(pack: PackFile, source_text: str, *, source: str) -> list[FieldProblem]:
    """One problem per card anchor that is too long or not verbatim in the article."""
    article = normalise(source_text)
    problems: list[FieldProblem] = []
    for i, card in enumerate(pack.cards):
        if card.anchor is None:
            continue
        where = f"card {i + 1} ({card.id})"
        if len(card.anchor.split()) > ANCHOR_WORDS:
            problems.append(
                FieldProblem(source, where, "anchor", f"use {ANCHOR_WORDS} words at most")
            )
        elif normalise(card.anchor) not in article:
            problems.append(
                FieldProblem(
                    source, where, "anchor", f"{card.anchor!r} does not occur in the article"
                )
            )
    return problems


def text_fragment(url: str, anchor: str | None) -> str:
    """`url` opening at `anchor` (a URL text fragment), or `url` itself without one.

    Every character but letters and digits is percent-encoded, '-', ',' and '&' included:
    they are the fragment's own syntax."""
    if not anchor or not url:
        return url
    base = url.split("#", 1)[0]
    encoded = quote(anchor.strip(), safe="").replace("-", "%2D")
    return f"{base}#:~:text={encoded}"
