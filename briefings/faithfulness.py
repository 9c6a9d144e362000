"""Checks that a pack stays faithful to its article: quotes verbatim, source URL kept,
and the pack's own words (names, numbers, hedges) backed by the article.

Pure text functions: no I/O, no bot. The article text is passed in by the caller.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from briefings.errors import FieldProblem
from briefings.models import Certainty, PackFile, Relation

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


# --- the pack's own words: names, numbers and hedges --------------------------------

HEDGES = (
    "reportedly",
    "may",
    "might",
    "appear",
    "appears",
    "seem",
    "seems",
    "could",
    "possibly",
    "often seen as",
    "according to",
    "speculation",
)
"""Words that make a sentence of the article less than a plain statement."""
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_WORD = re.compile(r"[^\W\d_][\w'-]*")
_SENTENCE = re.compile(r"(?<=[.!?:;])\s+|\n+")
_ABBREVIATION = re.compile(r"\b(\w)\.(\w)\.")
"""'u.s.' (no sentence ends inside it)."""
_MIN_OVERLAP = 0.5
"""Share of a claim's content words a sentence must hold to be taken as its source."""
_MIN_WORDS = 5
"""Content words (over three letters) a claim needs before its source is looked for."""


@dataclass(frozen=True, slots=True)
class Finding:
    """A lint finding: errors (invented names and numbers) refuse the pack, warnings
    (a hedge the claim's status drops) are shown."""

    problem: FieldProblem
    error: bool

    def __str__(self) -> str:
        return str(self.problem) if self.error else f"{self.problem} (warning)"


def fold(text: str) -> str:
    """Case, diacritics and quote styles folded: "Türkiye" and "Turkiye" compare equal."""
    decomposed = unicodedata.normalize("NFKD", normalise(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@dataclass(frozen=True, slots=True)
class Article:
    """The source, prepared once: its words, numbers and sentences (all folded)."""

    words: frozenset[str]
    numbers: frozenset[str]
    sentences: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> Article:
        folded = fold(text)
        words = {w for token in _WORD.findall(folded) for w in _parts(token)}
        sentences: list[str] = []
        # Paragraphs first (a caption is not the next sentence), and an em dash bounds a
        # clause: "…Trump—because of the U.S. sponsorship…—as well as … possibly the EU".
        for paragraph in re.split(r"\n\s*\n", text.replace("\u2014", "\n\n")):
            clean = _ABBREVIATION.sub(r"\1\2", fold(paragraph))
            sentences += [s for s in _SENTENCE.split(clean) if s.strip()]
        return cls(frozenset(words), frozenset(_NUMBER.findall(folded)), tuple(sentences))


def _parts(token: str) -> list[str]:
    """'Russia's' -> ['russia'], 'PKK-affiliated' -> ['pkk', 'affiliated']."""
    token = re.sub(r"'s$|'$", "", token)
    return [p for p in token.split("-") if p]


def claim_findings(pack: PackFile, source_text: str, *, source: str) -> list[Finding]:
    """Every number and proper name in the pack's own words that the article lacks
    (errors), and every `fact` whose source sentence carries a hedge (warnings)."""
    article = Article.of(source_text)
    allowed = article.words | frozenset(_alias_words(pack, article))
    years = {str(pack.pack.published.year), str(pack.pack.published.year + 1)}
    findings: list[Finding] = []
    for item, field, text in _texts(pack):
        for problem in _invented(text, article, allowed, years):
            findings.append(Finding(FieldProblem(source, item, field, problem), error=True))
    for item, field, text, certainty in _claims(pack):
        hedge = _source_hedge(text, article) if certainty is Certainty.FACT else None
        if hedge:
            problem = f"marked fact, but its source sentence says {hedge!r}: {_short(text)}"
            findings.append(Finding(FieldProblem(source, item, field, problem), error=False))
    return findings


def _alias_words(pack: PackFile, article: Article) -> set[str]:
    """Words of every name and alias of an actor the article names (by any of them)."""
    out: set[str] = set()
    for actor in pack.actors:
        names = [actor.name, *actor.aliases]
        words = [[w for t in _WORD.findall(fold(n)) for w in _parts(t)] for n in names]
        if any(ws and all(w in article.words for w in ws) for ws in words):
            out.update(w for ws in words for w in ws)
    return out


def _invented(text: str, article: Article, allowed: frozenset[str], years: set[str]) -> list[str]:
    problems = []
    for number in dict.fromkeys(_NUMBER.findall(normalise(text))):
        if number not in article.numbers and number not in years:
            problems.append(f"invented number {number!r}: not in the article")
    for name in dict.fromkeys(_names(text)):
        # Only the capitalised parts of a compound: 'US-sponsored' needs 'US'.
        parts = [fold(p) for p in _parts(name) if p[:1].isupper()]
        if not all(p in allowed for p in parts):
            problems.append(f"invented name {name!r}: not in the article or an actor's aliases")
    return problems


def _names(text: str) -> list[str]:
    """Capitalised words, except a sentence's first word (capitalised by grammar)."""
    found = []
    for sentence in _SENTENCE.split(normalise(text)):
        words = _WORD.findall(sentence)
        found += [w for i, w in enumerate(words) if w[0].isupper() and (i or _caps(w))]
    return found


def _caps(word: str) -> bool:
    """An all-capitals or inner-capital word is a name even first in a sentence (HTS, McX)."""
    return sum(c.isupper() for c in word) > 1


def _source_hedge(text: str, article: Article) -> str | None:
    """The hedge in the article sentence this claim most likely restates, if any."""
    words = {w for t in _WORD.findall(fold(text)) for w in _parts(t) if len(w) > 3}
    if len(words) < _MIN_WORDS:  # a short note matches too much by chance
        return None
    best, score = "", 0.0
    for sentence in article.sentences:
        held = {w for t in _WORD.findall(sentence) for w in _parts(t)}
        share = len(words & held) / len(words)
        if share > score:
            best, score = sentence, share
    if score < _MIN_OVERLAP:
        return None
    return next((h for h in HEDGES if re.search(rf"\b{h}\b", best)), None)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 80 else text[:79] + "…"


def _texts(pack: PackFile) -> Iterator[tuple[str, str, str]]:
    """(record, field, text) for every field written in the pack's own words."""
    meta = pack.pack
    for field in ("title", "description", "bottom_line"):
        value = getattr(meta, field, None)
        if value:
            yield "pack", field, value
    for i, actor in enumerate(pack.actors):
        if actor.role:
            yield f"actor {i + 1} ({actor.id})", "role", actor.role
    for i, event in enumerate(pack.events):
        for field in ("title", "what", "why"):
            yield f"event {i + 1} ({event.id})", field, getattr(event, field)
    for i, shift in enumerate(pack.leverage):
        yield f"leverage {i + 1} ({shift.id})", "reasoning", shift.reasoning
    for i, rel in enumerate(pack.relations):
        yield _relation(i, rel), "note", rel.note
    for i, card in enumerate(pack.cards):
        item = f"card {i + 1} ({card.id})"
        yield item, "title", card.title
        yield item, "summary", card.summary
        if card.bottom_line:
            yield item, "bottom_line", card.bottom_line
        for j, point in enumerate(card.key_points):
            yield item, f"key_points.{j}", point.text


def _claims(pack: PackFile) -> Iterator[tuple[str, str, str, Certainty]]:
    """(record, field, text, certainty) for every claim that carries a status."""
    for i, event in enumerate(pack.events):
        yield f"event {i + 1} ({event.id})", "certainty", event.what, event.certainty
    for i, shift in enumerate(pack.leverage):
        yield f"leverage {i + 1} ({shift.id})", "certainty", shift.reasoning, shift.certainty
    for i, rel in enumerate(pack.relations):
        yield _relation(i, rel), "certainty", rel.note, rel.certainty
    for i, card in enumerate(pack.cards):
        for j, point in enumerate(card.key_points):
            yield f"card {i + 1} ({card.id})", f"key_points.{j}", point.text, point.certainty


def _relation(i: int, rel: Relation) -> str:
    return f"relation {i + 1} ({rel.source} {rel.kind.value} {rel.target})"
