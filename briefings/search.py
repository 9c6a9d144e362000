"""Name resolution and question analysis: pure functions, no I/O.

Everything user-typed goes through `fold` and `tokens` before it meets the index or
SQLite, so quotes, FTS operators, SQL fragments and emoji are just characters.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

import snowballstemmer  # type: ignore[import-untyped]  # ships no type information
from rapidfuzz import fuzz, process

from briefings.irregular import IRREGULAR

MAX_QUESTION_CHARS = 500
"""Questions are cut here before analysis; no answerable question is longer."""
MAX_QUERY_TERMS = 24
COMMON_SHARE = 0.05
COMMON_MIN_DOCS = 50
TYPO_SCORE = 80.0
SHORT_TYPO_SCORE = 88.0
"""rapidfuzz ratio at which a word counts as a typo of a known name ("erdgoan")."""
SUGGEST_SCORE = 72.0
"""Autocomplete's typo cut-off: "erdgoan" (86) offers Erdoğan, "israel" (60) no Iran."""

STOPWORDS = frozenset(
    """
    a about after again against all also am an and any are as at be because been before
    being between both but by can could did do does doing done during each else ever for
    from had has have having he her here hers him his how i if in into is it its itself
    just let me more most my no nor not now of off on once only or other our out over own
    said same say says she should so some such tell than that the their them then there
    these they this those through to too under until up us very was way we were what when
    where which while who whom whose why will with would you your yours happen happened
    happening mean means explain describe give show know think thing things much many role
    there's what's who's according article briefing anything something
    """.split()
)

OPENERS = frozenset(
    """
    summarise summarize explain describe list compare contrast define outline name identify
    discuss analyse analyze assess evaluate please briefly quickly remind recap brief break
    walk help why hi hello hey ok okay so and but then also now in on at since after before
    during between overall generally basically roughly exactly really actually regarding
    concerning considering given based relations tensions changes change impact effect effects
    consequences role status situation importance significance background context history
    timeline relationship main key biggest latest current future past possible likely
    apart aside besides except excluding including other beyond compared leaving setting
    putting looking thinking going looking what how who when where which whose is are was
    were does did do can could will would should has have had according tl dr sum
    """.split()
)
"""Words that open a question without naming anything: not taken for unknown names."""

_SPECIAL = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ß": "ss", "’": "'", "‘": "'"})
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+|\d+")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“(])")


def fold(text: str) -> str:
    """Lowercase without diacritics: 'Erdoğan' -> 'erdogan', 'Türkiye' -> 'turkiye'."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL).casefold())
    return _COMBINING.sub("", decomposed)


@lru_cache(maxsize=65_536)
def _cached_tokens(text: str) -> tuple[str, ...]:
    return tuple(_TOKEN.findall(fold(text)))


def tokens(text: str) -> list[str]:
    """Folded words and numbers; card sentences recur, so short texts are memoised."""
    if len(text) > 2_000:
        return _TOKEN.findall(fold(text))
    return list(_cached_tokens(text))


@lru_cache(maxsize=65_536)
def stems(text: str) -> frozenset[str]:
    """The stems of a text's content words, memoised for card sentences."""
    return frozenset(stem(w) for w in tokens(text) if w not in STOPWORDS)


_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=131_072)
def stem(word: str) -> str:
    """The Snowball (Porter 2) stem of a folded word: 'sanctions' and 'sanctioned' both
    give 'sanction'; irregular past forms first become their verb. Memoised: card and
    question words recur."""
    return str(_STEMMER.stemWord(IRREGULAR.get(word, word)))


def sentences(text: str) -> list[str]:
    return list(_sentences(text))


@lru_cache(maxsize=16_384)
def _sentences(text: str) -> tuple[str, ...]:
    return tuple(s.strip() for s in _SENTENCE.split(text) if s.strip())


RefKind = Literal["actor", "event"]


@dataclass(frozen=True, slots=True)
class NameRef:
    kind: RefKind
    id: str
    display: str


@dataclass(slots=True)
class NameIndex:
    """Every name and alias of the actors and events one guild can see."""

    exact: dict[str, list[NameRef]] = field(default_factory=dict)
    case_sensitive: dict[str, list[NameRef]] = field(default_factory=dict)
    """Aliases that are also common words ("US"): they only match as written."""
    vocabulary: set[str] = field(default_factory=set)
    doc_freq: Counter[str] = field(default_factory=Counter)
    documents: int = 0
    display: dict[str, str] = field(default_factory=dict)
    """Display name by id, for rendering references."""
    _choices: list[str] = field(default_factory=list)
    _longest: int = 1

    def add(self, ref: NameRef, names: Iterable[str]) -> None:
        self.display.setdefault(ref.id, ref.display)
        for name in names:
            key = " ".join(tokens(name))
            if not key:
                continue
            variants = {key, key.removeprefix("the ")}
            for variant in variants:
                if variant in STOPWORDS:
                    self.case_sensitive.setdefault(name.strip(), []).append(ref)
                    continue
                refs = self.exact.setdefault(variant, [])
                if ref not in refs:
                    refs.append(ref)
                self._longest = max(self._longest, variant.count(" ") + 1)
        self._choices = list(self.exact)

    def add_vocabulary(self, text: str) -> None:
        for token in tokens(text):
            self.vocabulary.add(token)
            self.vocabulary.add(stem(token))

    def add_document(self, text: str) -> None:
        """A card's text: its words join the vocabulary and count toward frequencies."""
        words = set(_TOKEN.findall(fold(text)))  # not memoised: each card is read once
        self.vocabulary.update(words)
        self.doc_freq.update(words)
        self.documents += 1

    def finish(self) -> None:
        """Add the stems of the vocabulary once, rather than per word per document."""
        self.vocabulary.update({stem(word) for word in self.vocabulary})

    def common(self, terms: Iterable[str]) -> set[str]:
        """Terms in more than COMMON_SHARE of the cards: they rank nothing, and cost most."""
        floor = max(COMMON_MIN_DOCS, self.documents * COMMON_SHARE)
        return {t for t in terms if self.doc_freq.get(t, 0) > floor}

    def knows(self, token: str) -> bool:
        return token in self.vocabulary or stem(token) in self.vocabulary or token in self.exact

    def lookup(self, name: str) -> list[NameRef]:
        """Exact name or alias, folded; then the best typo-tolerant matches."""
        key = " ".join(tokens(name))
        if not key:
            return []
        found = self.exact.get(key) or self.exact.get(key.removeprefix("the "))
        if found:
            return list(found)
        if name.strip() in self.case_sensitive:
            return list(self.case_sensitive[name.strip()])
        return [ref for ref, _ in self.fuzzy(key, limit=5)]

    def fuzzy(self, key: str, *, limit: int) -> list[tuple[NameRef, float]]:
        if len(key) < 3:
            return []
        # A four-letter name typo is one dropped letter ("Putn", "Asad"), nothing looser.
        cutoff = TYPO_SCORE if len(key) >= 5 else SHORT_TYPO_SCORE
        scored = process.extract(
            key, self._choices, scorer=fuzz.ratio, limit=limit * 3, score_cutoff=cutoff
        )
        out: list[tuple[NameRef, float]] = []
        for choice, score, _ in scored:
            if score < cutoff:
                continue
            for ref in self.exact[choice]:
                if all(ref != r for r, _ in out):
                    out.append((ref, score))
        return out[:limit]

    def containing(self, text: str, *, kind: RefKind) -> list[NameRef]:
        """Names that contain the text as whole words, shortest name first."""
        key = " ".join(tokens(text))
        if len(key) < 3:
            return []
        names = sorted((n for n in self.exact if f" {key} " in f" {n} "), key=len)
        found: list[NameRef] = []
        for name in names:
            found += [r for r in self.exact[name] if r.kind == kind and r not in found]
        return found

    def suggest(self, text: str, *, kind: RefKind, limit: int) -> list[NameRef]:
        """Autocomplete, by relevance: the exact name or alias; then names that start with
        the text, or have a word that does, or contain it (the briefing's most prominent
        first); then typos close enough to be one (SUGGEST_SCORE), never a mere look-alike
        ("israel" offers no Iran)."""
        key = " ".join(tokens(text))
        names = [(n, r) for n, rs in self.exact.items() for r in rs if r.kind == kind]
        weight = self._prominence(names)
        if not key:
            refs = sorted({r for _, r in names}, key=lambda r: (-weight[r], fold(r.display)))
            return refs[:limit]
        tiers: dict[NameRef, tuple[int, float]] = {}
        for name, ref in names:
            tier = _match_tier(key, name, " ".join(tokens(ref.display)))
            if tier is not None and (ref not in tiers or tier < tiers[ref][0]):
                tiers[ref] = (tier, -weight[ref])
        choices = [n for n, _ in names] if len(key) >= 4 else []
        typos = process.extract(key, choices, scorer=fuzz.ratio, score_cutoff=SUGGEST_SCORE)
        for name, score, _ in typos:  # after every match of the text itself
            for ref in (r for r in self.exact[name] if r.kind == kind and r not in tiers):
                tiers[ref] = (99, -score)
        return sorted(tiers, key=lambda r: (*tiers[r], fold(r.display)))[:limit]

    def _prominence(self, names: list[tuple[str, NameRef]]) -> Counter[NameRef]:
        """How many cards name a record, as near as the vocabulary tells: the card count of
        its one-word names ("Ankara", "Erdogan"), else of its display name's rarest word
        (aliases of several words share common words: "Russia's president")."""
        weight: Counter[NameRef] = Counter()
        for name, ref in names:
            if " " not in name:
                weight[ref] = max(weight[ref], self.doc_freq.get(name, 0))
        for ref in {r for _, r in names} - set(weight):
            words = [w for w in tokens(ref.display) if w not in STOPWORDS]
            weight[ref] = min((self.doc_freq.get(w, 0) for w in words), default=0)
        return weight

    def mentions(self, text: str) -> list[NameRef]:
        """Names in free text: exact phrases (longest first), then typos of single words."""
        words = tokens(text[: MAX_QUESTION_CHARS * 4])
        found: list[NameRef] = []
        used = [False] * len(words)
        for size in range(min(self._longest, 6), 0, -1):
            for i in range(len(words) - size + 1):
                if any(used[i : i + size]):
                    continue
                refs = self.exact.get(" ".join(words[i : i + size]))
                if refs:
                    found += [r for r in refs if r not in found]
                    used[i : i + size] = [True] * size
        for raw in re.findall(r"\b[A-Z][A-Za-z.]{1,4}\b", text[: MAX_QUESTION_CHARS * 4]):
            found += [r for r in self.case_sensitive.get(raw, []) if r not in found]
        capitalised = {fold(w) for w in re.findall(r"\b[A-Z]\w{3}\b", text)}
        for i, word in enumerate(words):
            if used[i] or self.knows(word):
                continue
            if len(word) >= 5 or word in capitalised:
                found += [r for r, _ in self.fuzzy(word, limit=1) if r not in found]
        return found


@dataclass(frozen=True, slots=True)
class Question:
    """What a free-text question asks about, ready for the index."""

    text: str
    terms: list[str]
    refs: list[NameRef]
    unknown: list[str]
    """Names or figures in the question that the briefing never mentions."""

    def fts_queries(
        self, expansions: Iterable[str] = (), *, common: set[str] | None = None
    ) -> list[str]:
        """FTS5 queries to try in turn, of quoted terms only (user text can't inject
        operators). Terms found in most cards are left out while a rarer one remains;
        when every term is common, all of them must match first (AND), then any (OR)."""
        common = common or set()
        phrases = list(dict.fromkeys([*self.terms, *(" ".join(tokens(e)) for e in expansions)]))
        phrases = [p for p in phrases if p][:MAX_QUERY_TERMS]
        rare = [p for p in phrases if p not in common]
        if rare or not phrases:
            return [" OR ".join(f'"{p}"' for p in rare)] if rare else []
        return [" AND ".join(f'"{p}"' for p in phrases), " OR ".join(f'"{p}"' for p in phrases)]


def analyse(text: str, index: NameIndex) -> Question:
    text = text[:MAX_QUESTION_CHARS]
    return Question(
        text=text,
        terms=search_terms(text, index),
        refs=index.mentions(text),
        unknown=_unknown_names(text, index),
    )


def search_terms(text: str, index: NameIndex) -> list[str]:
    """The words worth searching for: no stopwords, and no misspelt names (the name they
    misspell is found by `mentions` and searched for under its own spelling)."""
    terms: list[str] = []
    for word in tokens(text[:MAX_QUESTION_CHARS]):
        if word in STOPWORDS or len(word) < 2:
            continue
        if not index.knows(word) and len(word) >= 5 and index.fuzzy(word, limit=1):
            continue
        terms.append(word)
    return list(dict.fromkeys(terms))


def _unknown_names(text: str, index: NameIndex) -> list[str]:
    """Capitalised words and numbers that appear nowhere in the briefing (nor near it),
    with the capitalised words around them: "Nord Stream", "Angela Merkel"."""
    unknown: list[str] = []
    covered_to = 0
    for match in re.finditer(r"\b(?:[A-Z][\w'’-]*|\d[\d.,]*\d|\d)", text):
        if match.start() < covered_to:
            continue
        raw = re.sub(r"['’]s?$", "", match.group())
        if not _unknown(raw, text, match, index):
            continue
        tail = re.match(r"(?:\s+[A-Z][\w-]*)*", text[match.end() :])
        name = raw + (tail.group() if tail else "")
        covered_to = match.end() + (tail.end() if tail else 0)
        head = re.search(r"(?:[A-Z][\w-]*\s+)+$", text[: match.start()])
        if head and not _opens_sentence(text, head.start()):
            name = head.group() + name
        name = re.sub(r"['’]s$", "", name.strip())
        if name not in unknown:
            unknown.append(name)
    return unknown


def _unknown(raw: str, text: str, match: re.Match[str], index: NameIndex) -> bool:
    possessive = re.search(r"['’]s$", match.group()) is not None
    # "Summarise ..." opens a sentence as a verb; "China ..." still reads as a name.
    if (
        _opens_sentence(text, match.start())
        and raw[0].isalpha()
        and not possessive
        and (fold(raw) in OPENERS)
    ):
        return False
    words = tokens(raw)
    if not words or any(w in STOPWORDS for w in words):
        return False
    return not all(index.knows(w) or (len(w) >= 4 and index.fuzzy(w, limit=1)) for w in words)


def _opens_sentence(text: str, position: int) -> bool:
    before = text[:position].rstrip()
    return not before or before[-1] in ".!?:"


def _match_tier(key: str, name: str, display: str) -> int | None:
    """0: the name itself; then starts with the text, a word does, contains it; within each,
    the display name before an alias."""
    for tier, hit in enumerate((name == key, name.startswith(key), f" {key}" in f" {name}")):
        if hit:
            return tier * 2 + (name != display)
    return 6 + (name != display) if key in name else None
