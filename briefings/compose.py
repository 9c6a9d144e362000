"""Choosing the sentences of an answer: scoring the cards' own sentences against an
understood question, and keeping near-duplicates out. Pure functions, no I/O.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from briefings.lexicon import phrase_stems
from briefings.models import Card
from briefings.questions import GENERIC, Understood
from briefings.search import NameIndex, sentences, stem, stems, tokens

MAX_POINTS = 3
DUPLICATE = 72.0
"""rapidfuzz token_set_ratio at which two sentences say the same thing."""
NAME_WEIGHT = 0.8
NAME_SHARE = 1.5
COVERED_SHARE = 0.5
"""A card naming half of what a question names keeps 75 % of its score; none, 50 %."""
_FIGURE = re.compile(r"(?<![\w-])\d+(?:[.,]\d+)*(?:\s*(?:million|billion|thousand|per ?cent|%))?")
_DATED = re.compile(
    r"\b(?:1[89]|20)\d\d\b|\b(?:January|February|March|April|May|June|July|August|"
    r"September|October|November|December|summer|winter|spring|autumn)\b"
)
_CONTRAST = re.compile(
    r"\b(?:before|after|now|no longer|instead|rather than|turnaround|shift(?:ed)?|earlier|"
    r"previous(?:ly)?|once|whereas|but)\b",
    re.IGNORECASE,
)
_CAUSAL = re.compile(
    r"\b(?:because|since|as a result|for that reason|due to|in return|thereby|so that|"
    r"led to|meaning|therefore|thus)\b",
    re.IGNORECASE,
)
ABOUT_THE_ARTICLE = frozenset({"byline", "publication", "disclaimer", "photo", "metadata"})
"""Card tags of cards about the article itself rather than its subject."""
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
_FORECAST = re.compile(
    r"\b(?:expects?|expected|will|could|may|might|likely|prospective|possibl[ey]|"
    r"opportunity|would|set to|going to|future)\b",
    re.IGNORECASE,
)


def is_forecast(sentence: str) -> bool:
    """A sentence that says what may come. By wording for now; when key points carry a
    certainty status, `forecasts` switches to reading it instead."""
    return _FORECAST.search(sentence) is not None


def forecasts(card: Card) -> list[str]:
    return [s for s in candidates(card) if is_forecast(s)]


def has_figure(sentence: str) -> bool:
    """A count or amount: not a year, not a day of a month, not part of a name (Su-24)."""
    for match in _FIGURE.finditer(sentence):
        number = match.group().split()[0]
        if _YEAR.match(number):
            continue
        before = sentence[max(0, match.start() - 10) : match.start()]
        if re.search(r"[A-Z][a-z]+ $", before) and len(number) <= 2:
            continue  # "January 1", "December 19"
        return True
    return False


def candidates(card: Card) -> list[str]:
    """A card's own sentences, its bottom line first."""
    out = [card.bottom_line] if card.bottom_line else []
    return out + sentences(card.summary) + card.key_point_texts()


_WANTED: dict[str, tuple[Callable[[str], object], float]] = {
    "how-many": (has_figure, 2.0),
    "outlook": (is_forecast, 1.5),
    "when": (_DATED.search, 1.5),
    "comparison": (_CONTRAST.search, 1.0),
    "why": (_CAUSAL.search, 1.0),
}
"""What a sentence has when it is the kind of answer a question wants, and its bonus."""


@dataclass(frozen=True, slots=True)
class Scorer:
    """How well a sentence or card answers one understood question."""

    own: dict[str, float]
    """Stems of the member's content words, by weight (idf)."""
    expansions: list[tuple[tuple[str, ...], float, str]]
    names: list[list[str]]
    kind: str
    refs: list[str] = field(default_factory=list)
    """The id of each named thing (`names`' order), when the question resolved it."""
    top: float = 1.0
    """The weight of the member's strongest word: expansions count a share of it."""
    _memo: dict[str, float] = field(default_factory=dict)
    """Sentence scores: `pick` reads most sentences twice."""
    _own_keys: frozenset[str] = frozenset()
    _expansion_stems: frozenset[str] = frozenset()

    @classmethod
    def of(
        cls,
        u: Understood,
        index: NameIndex,
        names: Iterable[Iterable[str]],
        refs: Sequence[str] = (),
    ) -> Scorer:
        own: dict[str, float] = {}
        groups = [[" ".join(tokens(n)) for n in group] for group in names]
        specific = [w for w in u.words if w not in GENERIC]
        if not specific and not groups:
            specific = u.words  # "What changed?": the generic words are all there is
        for word in specific:
            own[stem(word)] = _idf(word, index)
        expansions = [(phrase_stems(e.phrase), e.weight, e.group) for e in u.expansions]
        top = max(own.values(), default=1.0)
        kept = [x for x in expansions if x[0]]
        return cls(
            own,
            kept,
            groups,
            u.kind,
            list(refs),
            top,
            _own_keys=frozenset(own),
            _expansion_stems=frozenset(s for key, _, _ in kept for s in key),
        )

    def words(self, text: str) -> float:
        found = stems(text)
        score = 0.0
        for s in found & self._own_keys:
            score += self.own[s]
        if self.expansions and not found.isdisjoint(self._expansion_stems):
            groups: dict[str, float] = {}
            for key, weight, group in self.expansions:
                if weight > groups.get(group, 0.0) and all(s in found for s in key):
                    groups[group] = weight
            score += self.top * sum(groups.values())
        return score

    def _fields(self, fields: list[tuple[float, frozenset[str]]]) -> float:
        """Each own word counts once, in the best field it is in; each expansion group
        once, at its weight, below the member's own words. `fields` go best first."""
        score = 0.0
        for s, w in self.own.items():
            for weight, found in fields:
                if s in found:
                    score += w * weight
                    break
        groups: dict[str, float] = {}
        for key, weight, group in self.expansions:
            for field_weight, found in fields:
                if all(s in found for s in key):
                    groups[group] = max(groups.get(group, 0.0), weight * field_weight)
                    break
        return score + self.top * sum(groups.values())

    def relevant(self, text: str) -> bool:
        """Shares the question's words (or, when it has none but names, every name):
        what a figure must be about to answer "how many"."""
        if self.own:
            return self.words(text) > 0
        return bool(self.names) and self._names_in(text) == len(self.names)

    def _names_in(self, text: str, about: frozenset[str] = frozenset()) -> int:
        """How many of the named things `text` names; with `about`, the ids a card is
        about beyond its words (the events it links, the pivot its shifts are relative
        to), a group whose id is there counts too."""
        if not self.names:
            return 0
        joined = _joined(text)
        refs = self.refs or [""] * len(self.names)
        return sum(
            1
            for group, ref in zip(self.names, refs, strict=True)
            if ref in about or any(n and f" {n} " in joined for n in group)
        )

    def sentence(self, text: str) -> float:
        score = self._memo.get(text)
        if score is None:
            score = self.words(text) + NAME_WEIGHT * self._names_in(text)
            wanted = _WANTED.get(self.kind)
            if wanted is not None and wanted[0](text):
                score += wanted[1]
            self._memo[text] = score
        return score

    def card(self, card: Card, about: frozenset[str] = frozenset()) -> float:
        """Fields weighed as the index weighs them: bottom line and title above key points
        above the summary. A question naming several things ("What does Turkey gain from
        Assad's fall?") is answered first by the cards about all of them."""
        fields = [
            (2.0, stems(f"{card.title} {card.bottom_line or ''}")),
            (1.5, stems(" ".join(card.key_point_texts()))),
            (1.0, stems(card.summary)),
        ]
        text = " ".join([card.title, card.summary, *card.key_point_texts()])
        words = self._fields(fields)
        # What the member names weighs like their strongest word: "Who runs the SDF?" is
        # about the SDF before it is about running.
        named = self._names_in(text, about)
        score = words + max(NAME_WEIGHT, NAME_SHARE * self.top) * named
        if len(self.names) > 1:
            score *= COVERED_SHARE + (1 - COVERED_SHARE) * named / len(self.names)
        if self.kind == "comparison" and _CONTRAST.search(card.bottom_line or card.summary):
            score += 1.0
        if ABOUT_THE_ARTICLE & set(card.tags) and words <= 0:
            score *= 0.3  # the byline names everyone; it answers only questions about itself
        return score


@lru_cache(maxsize=65_536)
def _joined(text: str) -> str:
    """A text's folded words between spaces, to find names as whole words."""
    return " " + " ".join(tokens(text)) + " "


def _idf(word: str, index: NameIndex) -> float:
    documents = max(index.documents, 1)
    return math.log(1 + documents / (1 + index.doc_freq.get(word, 0)))


def duplicate(sentence: str, chosen: Sequence[str]) -> bool:
    for other in chosen:
        if fuzz.token_set_ratio(sentence, other) >= DUPLICATE:
            return True
        left, right = stems(sentence), stems(other)
        if left and right and len(left & right) / min(len(left), len(right)) > 0.6:
            return True
    return False


def pick(
    ranked: Sequence[Card], scorer: Scorer, *, lead_from_bottom_line: bool
) -> tuple[list[str], list[tuple[Card, str]]]:
    """The lead (one or two sentences of the best card) and up to three supporting
    points from the ranked cards, none repeating another."""
    if not ranked:
        return [], []
    top = ranked[0]
    # On a tie the shorter sentence leads: it is usually the direct answer.
    scored = sorted(((scorer.sentence(s), -len(s), s) for s in candidates(top)), reverse=True)
    best_score, _, best = scored[0]
    lead = [best]
    bottom = top.bottom_line
    if lead_from_bottom_line and bottom and scorer.sentence(bottom) >= 0.75 * best_score:
        lead = [bottom]
    elif scorer.kind == "outlook" and bottom and is_forecast(bottom):
        lead = [bottom]  # the forecasting card's own point is the outlook
    pool: list[tuple[float, int, Card, str]] = []
    for rank, card in enumerate(ranked[:3]):
        for s in candidates(card):
            score = scorer.sentence(s) - 0.3 * rank
            if rank and scorer.own and scorer.words(s) <= 0:
                continue  # on another card, a point must share the question's words
            if score > 0 and score >= 0.5 * best_score:
                pool.append((score, -rank, card, s))
    points: list[tuple[Card, str]] = []
    per_card: dict[str, int] = {}
    for _, _, card, s in sorted(pool, key=lambda p: (-p[0], -p[1])):
        if len(points) == MAX_POINTS:
            break
        if duplicate(s, [*lead, *(p for _, p in points)]) or per_card.get(card.id, 0) >= 2:
            continue
        per_card[card.id] = per_card.get(card.id, 0) + 1
        points.append((card, s))
    return lead, points
