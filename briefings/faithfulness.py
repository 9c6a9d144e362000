"""Checks that a pack stays faithful to its article: quotes verbatim, source URL kept.

Pure text functions: no I/O, no bot. The article text is passed in by the caller.
"""

from __future__ import annotations

import re
import unicodedata

from briefings.errors import FieldProblem
from briefings.models import PackFile

_FOLD = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u00b4`", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
    }
)
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")  # [word](#) -> word
_EMPHASIS = re.compile(r"\*+")  # **bold**, *italic*
_SPACE = re.compile(r"\s+")
_ORIGINAL_URL = re.compile(r"original url\s*:?\s*<?(https?://[^\s>]+)", re.IGNORECASE)


def normalise(text: str) -> str:
    """Text as compared for faithfulness: NFKC, ASCII quotes and dashes, no markdown."""
    text = unicodedata.normalize("NFKC", text).translate(_FOLD)
    text = _LINK.sub(r"\1", text)
    text = _EMPHASIS.sub("", text)
    return _SPACE.sub(" ", text).strip()


def quote_problems(pack: PackFile, source_text: str, *, source: str) -> list[FieldProblem]:
    """One problem per card quote that does not occur verbatim in the article."""
    article = normalise(source_text)
    problems: list[FieldProblem] = []
    for i, card in enumerate(pack.cards):
        for j, quote in enumerate(card.quotes):
            if normalise(quote.text) not in article:
                problems.append(
                    FieldProblem(
                        source,
                        f"card {i + 1} ({card.id})",
                        f"quotes.{j}.text",
                        f"{quote.text!r} does not occur in the article",
                    )
                )
    return problems


def source_url_problems(pack: PackFile, source_text: str, *, source: str) -> list[FieldProblem]:
    """A problem if the article names its original URL and the pack cites another one."""
    match = _ORIGINAL_URL.search(source_text)
    if match is None:
        return []
    original = match.group(1).rstrip("/")
    cited = str(pack.pack.source_url).rstrip("/")
    if cited == original:
        return []
    return [
        FieldProblem(
            source, "pack", "source_url", f"{cited} is not the article's original URL {original}"
        )
    ]
