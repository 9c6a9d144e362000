"""Paraphrase robustness: the words a member uses for an idea the cards name otherwise.

Two sources, one mechanism: the general lexicon shipped with the core (`lexicon.yaml`,
for every pack) and each pack's concept aliases (`concepts:`). A question's words that
belong to a group bring the group's other terms along as expansions, weighted below the
member's own words (a pack's concept above the general lexicon: it was written for the
article). Terms match by their stems, so "sanctioned" meets "sanctions".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import yaml

from briefings.models import Concept
from briefings.search import stem, tokens

CONCEPT_WEIGHT = 0.5
LEXICON_WEIGHT = 0.35
"""What an expansion counts for, against 1.0 for a member's own word."""
MAX_EXPANSIONS = 12
"""Expansions per question: enough for two or three ideas, cheap for the index."""


@dataclass(frozen=True, slots=True)
class Group:
    id: str
    terms: tuple[str, ...]
    """Folded terms, words joined by single spaces."""
    weight: float


@dataclass(frozen=True, slots=True)
class Expansion:
    phrase: str
    """Folded words, as the search index reads them."""
    weight: float
    group: str


@dataclass(slots=True)
class Expander:
    """Stem phrases to the groups they belong to; built once per snapshot of concepts."""

    groups: list[Group] = field(default_factory=list)
    _by_stems: dict[tuple[str, ...], list[int]] = field(default_factory=dict)
    _longest: int = 1

    def add(self, group: Group) -> None:
        index = len(self.groups)
        self.groups.append(group)
        for term in group.terms:
            key = phrase_stems(term)
            if key:
                self._by_stems.setdefault(key, []).append(index)
                self._longest = max(self._longest, len(key))

    def matches(self, words: Sequence[str]) -> list[tuple[int, int, Group]]:
        """(start, end, group) for each group term found in the folded words."""
        keys = [stem(w) for w in words]
        found: list[tuple[int, int, Group]] = []
        for size in range(min(self._longest, len(keys)), 0, -1):
            for i in range(len(keys) - size + 1):
                for g in self._by_stems.get(tuple(keys[i : i + size]), ()):
                    found.append((i, i + size, self.groups[g]))
        return found

    def expand(self, words: Sequence[str]) -> list[Expansion]:
        """The other terms of every group the words name, strongest group first."""
        out: dict[str, Expansion] = {}
        own = {phrase_stems(w) for w in words}
        ranked = sorted(self.matches(words), key=lambda m: -m[2].weight)
        for _, _, group in ranked:
            for term in group.terms:
                if phrase_stems(term) in own or term in out:
                    continue
                out[term] = Expansion(term, group.weight, group.id)
        return list(out.values())[:MAX_EXPANSIONS]

    def knows(self, words: Sequence[str], vocabulary: set[str]) -> set[int]:
        """Positions of words whose group has a term the cards use: a paraphrase of
        something the briefing covers."""
        known: set[int] = set()
        for start, end, group in self.matches(words):
            if any(all(s in vocabulary for s in phrase_stems(t)) for t in group.terms):
                known.update(range(start, end))
        return known


@cache
def phrase_stems(term: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in tokens(term))


@cache
def lexicon_groups() -> tuple[Group, ...]:
    """The shipped general lexicon, read once."""
    text = resources.files("briefings").joinpath("lexicon.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    groups: list[Group] = []
    for field_name, rows in data.items():
        for i, row in enumerate(rows):
            terms = tuple(" ".join(tokens(str(t))) for t in row)
            groups.append(Group(f"{field_name}-{i}", terms, LEXICON_WEIGHT))
    return tuple(groups)


def build_expander(concepts: Iterable[Concept]) -> Expander:
    expander = Expander()
    for concept in concepts:
        terms = tuple(" ".join(tokens(t)) for t in concept.terms)
        expander.add(Group(concept.id, terms, CONCEPT_WEIGHT))
    for group in lexicon_groups():
        expander.add(group)
    return expander
