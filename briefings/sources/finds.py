"""What a draft proposes from a passage: names, dates, figures and quotes found in it.

Pure text functions (dateparser is imported on first use, in the caller's worker thread:
a quarter of a second and its language data).
Proposals, not facts: an editor reads them and keeps what the card needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from briefings.models import Precision
from briefings.search import STOPWORDS, NameIndex, fold, tokens

MAX_NAMES = 12
MAX_FIGURES = 10
MAX_QUOTE_WORDS = 25
"""As a card's quote may be (`Quote`)."""
MAX_QUOTE_CHARS = 300
ATTRIBUTION_REACH = 100
"""Characters either side of a quote where "X said" is taken as its attribution."""

_MONTHS = (
    "January February March April May June July August September October November December "
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec"
).split()
_DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
_MONTH = "|".join(_MONTHS)
_DATE_CORE = re.compile(
    rf"\b(?:\d{{1,2}}\s+(?:{_MONTH})\.?(?:,?\s+\d{{4}})?"
    rf"|(?:{_MONTH})\.?(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?(?:,?\s+\d{{4}})?"
    rf"|(?:1[89]|20)\d{{2}})\b"
)
_YEAR = re.compile(r"\b(?:1[89]|20)\d{2}\b")
"""A year from 1800 to 2099: a bare number outside it is a figure, not a date."""
_PERIODS = {"day": Precision.DAY, "month": Precision.MONTH, "year": Precision.YEAR}

_UNITS = "percent|per cent|million|billion|trillion|thousand|km|kilometres|miles|bcm|tonnes|tons"
_UNIT = rf"(?:\s?%|\s(?:{_UNITS}))?"
_FIGURE = re.compile(rf"(?<![\w-])(?:[$€£]\s?)?\d+(?:[.,]\d+)*{_UNIT}(?:\s(?:million|billion))?")
_NEXT_WORD = re.compile(r"\s([a-z][a-z-]{2,})")

_QUOTE = re.compile(r"“([^”\n]{1,400})”|\"([^\"\n]{1,400})\"")
_NAME = r"[A-Z][\w’'-]*(?:\s+(?:(?:al|bin|de|van|von|der)\s+|al-|el-)?[A-Z][\w’'-]*)*"
_SAYS = r"(?:said|says|told|added|wrote|stated|warned|noted|declared|insisted)"
_ATTRIBUTION = (
    re.compile(rf"({_NAME})\s*,?\s+(?:has\s+|had\s+)?{_SAYS}\b"),
    re.compile(rf"\b{_SAYS}\s+({_NAME})"),
    re.compile(rf"\baccording to\s+({_NAME})"),
)
_CAPITALISED = re.compile(_NAME)
_SENTENCE_END = re.compile(r"[.!?:;][\"”’')\]]*\s+$|\n\s*$|^\s*$")
_DEMONYM = re.compile(r"^[A-Z][a-z]+(?:ian|ish|ese|ist|ean|ic)$")
_POSSESSIVE = re.compile(r"[’']s?$")
_POSSESSIVE_INSIDE = re.compile(r"[’']s\s+")
_TITLES = frozenset(
    "President Prime Minister Foreign Defence Defense Minister Chancellor King Queen General "
    "Mr Mrs Ms Dr Sir Senator Secretary Ambassador Spokesman Spokeswoman".split()
)


@dataclass(frozen=True, slots=True)
class DateFound:
    text: str
    """As the passage writes it ("November 2015")."""
    precision: Precision
    start: date | None
    """None when the passage gives no year ("on January 1")."""


@dataclass(frozen=True, slots=True)
class QuoteFound:
    text: str
    attribution: str | None
    """A guess from "said"/"told"/"according to" near the quote, if any."""


@dataclass(frozen=True, slots=True)
class ActorFound:
    id: str
    name: str
    """The catalogue's name for the actor."""
    matched: str
    """How the passage names them (an alias, perhaps: "Ankara")."""


def known_actors(text: str, index: NameIndex) -> list[ActorFound]:
    """Catalogue actors named in the text by a name or alias, exactly (no typo matching:
    a draft proposes only what it can show verbatim)."""
    words = tokens(text)
    longest = max((k.count(" ") + 1 for k in index.exact), default=1)
    found: dict[str, ActorFound] = {}
    hits: dict[str, int] = {}
    used = [False] * len(words)
    for size in range(min(longest, 6), 0, -1):
        for i in range(len(words) - size + 1):
            if any(used[i : i + size]):
                continue
            phrase = " ".join(words[i : i + size])
            refs = [r for r in index.exact.get(phrase, []) if r.kind == "actor"]
            if refs:
                used[i : i + size] = [True] * size
            for ref in refs:
                found.setdefault(ref.id, ActorFound(ref.id, ref.display, phrase))
                hits[ref.id] = hits.get(ref.id, 0) + 1
    for raw, refs in index.case_sensitive.items():  # "US": only as written
        if re.search(rf"\b{re.escape(raw)}\b", text):
            for ref in (r for r in refs if r.kind == "actor"):
                found.setdefault(ref.id, ActorFound(ref.id, ref.display, raw))
                hits[ref.id] = hits.get(ref.id, 0) + 1
    return sorted(found.values(), key=lambda a: -hits[a.id])  # most named first


def new_names(text: str, index: NameIndex, *, mid_sentence: frozenset[str]) -> list[str]:
    """Proper names the catalogue does not know: capitalised runs of words, not a
    sentence's first word unless the source also capitalises it mid-sentence
    (`mid_sentence`), not months, days, demonyms ("Russian") or common words."""
    counts: dict[str, int] = {}
    for match in _CAPITALISED.finditer(text):
        opens = _opens(text, match.start())
        for part in _POSSESSIVE_INSIDE.split(match.group()):  # "Russia's President Putin"
            words = _trimmed(_POSSESSIVE.sub("", part).split(), mid_sentence, opens=opens)
            opens = False
            name = " ".join(words).strip(" -")
            if not words or _ordinary(words, mid_sentence):
                continue
            key = " ".join(tokens(name))
            if key in index.exact or key.removeprefix("the ") in index.exact:
                continue
            counts[name] = counts.get(name, 0) + 1
    ranked = sorted(counts, key=lambda n: -counts[n])  # stable: first seen first among equals
    return ranked[:MAX_NAMES]


def mid_sentence_words(text: str) -> frozenset[str]:
    """Capitalised words the text uses away from a sentence's start: names, not grammar."""
    return frozenset(
        m.group() for m in re.finditer(r"\b[A-Z][\w’'-]*", text) if not _opens(text, m.start())
    )


def _trimmed(words: list[str], mid_sentence: frozenset[str], *, opens: bool) -> list[str]:
    """Without the grammar before a name ("When Russia", "Now Ankara", "The West" keeps
    "West") and titles ("President Vladimir Putin" is "Vladimir Putin")."""
    while words and (
        fold(words[0]) in STOPWORDS
        or (opens and words[0] not in mid_sentence)
        or (words[0] in _TITLES and len(words) > 1)
        or re.match(r"^[A-Z][a-z]+-[a-z]", words[0])  # "Kurdish-dominated"
        or (_DEMONYM.match(words[0]) and len(words) > 1 and words[1] in _TITLES)
    ):
        words, opens = words[1:], False
    return words


def _ordinary(words: list[str], mid_sentence: frozenset[str]) -> bool:
    if len(words) > 1:
        return False
    word = words[0]
    if fold(word) in STOPWORDS or word in _MONTHS or word in _DAYS or len(word) < 2:
        return True
    return _DEMONYM.match(word.split("-")[0]) is not None and not word.isupper()


def _opens(text: str, position: int) -> bool:
    return _SENTENCE_END.search(text[max(0, position - 6) : position]) is not None


def dates_in(text: str) -> list[DateFound]:
    """Dates as precisely as the text gives them: a day, a month or a year.

    Date phrases are found by pattern (a month name with a day or a year, or a year), then
    parsed by dateparser, whose period says the precision. dateparser's own search is not
    used: it misses "on 3 March 2025 after weeks of talks" and finds "may", "now" and
    "Su-24"."""
    found: dict[str, DateFound] = {}
    for match in _DATE_CORE.finditer(text):
        core = match.group().strip()
        if core in found or not re.search(r"\d", core):
            continue
        parsed = _parse(core)
        if parsed is not None:
            found[core] = parsed
    return list(found.values())


@cache
def _parser() -> Any:
    from dateparser.date import DateDataParser

    return DateDataParser(languages=["en"])


def _parse(core: str) -> DateFound | None:
    data = _parser().get_date_data(core)
    precision = _PERIODS.get(data.period or "")
    if data.date_obj is None or precision is None:
        return None
    has_year = _YEAR.search(core) is not None
    day = data.date_obj.date()
    if precision is not Precision.DAY:
        day = day.replace(day=1) if precision is Precision.MONTH else day.replace(month=1, day=1)
    return DateFound(core, precision, day if has_year else None)


def figures_in(text: str, dates: list[DateFound]) -> list[str]:
    """Numbers the passage states (with their unit or the word they count), not the
    numbers of its dates."""
    taken = [(m.start(), m.end()) for d in dates for m in re.finditer(re.escape(d.text), text)]
    out: list[str] = []
    for match in _FIGURE.finditer(text):
        if any(a <= match.start() < b for a, b in taken):
            continue
        figure = match.group().strip()
        if _YEAR.fullmatch(figure):
            continue
        after = _NEXT_WORD.match(text, match.end())
        if after and fold(after.group(1)) not in STOPWORDS:
            figure = f"{figure} {after.group(1)}"
        if figure not in out:
            out.append(figure)
    return out[:MAX_FIGURES]


def quotes_in(text: str) -> list[QuoteFound]:
    """Short passages in quotation marks, with a guess at who said them."""
    out: list[QuoteFound] = []
    for match in _QUOTE.finditer(text):
        quoted = (match.group(1) or match.group(2)).strip()
        if not quoted or len(quoted) > MAX_QUOTE_CHARS or len(quoted.split()) > MAX_QUOTE_WORDS:
            continue
        quoted = quoted.rstrip(",; ")
        out.append(QuoteFound(quoted, _attribution(text, match.start(), match.end())))
    return out


def _attribution(text: str, start: int, end: int) -> str | None:
    """Who "said" or "told" next to the quote, within its sentence (the sentence before
    it, or after it up to the next full stop)."""
    before = re.split(r"[.!?]\s", text[max(0, start - ATTRIBUTION_REACH) : start])[-1]
    after = re.split(r"[.!?](?:\s|$)", text[end : end + ATTRIBUTION_REACH])[0]
    for pattern in _ATTRIBUTION:
        found = pattern.search(after) or pattern.search(before)
        if found:
            name = _POSSESSIVE.sub("", found.group(1)).strip()
            if fold(name.split()[0]) not in STOPWORDS:
                return name
    return None
