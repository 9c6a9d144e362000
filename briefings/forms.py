"""The text an editor types into Discord's forms, read as records and written back.

A form field holds many records one per line: key points (`text [status]`) and quotes
(`"text" — attribution`). Each line is read on its own so a problem names its line, and
what is written back reads again as the same records (a prefilled form saved unchanged
changes nothing). `CardDraft` is what the card forms give the editor (`editing`). Pure:
no I/O, no discord.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from pydantic import Field, ValidationError

from briefings.errors import FieldProblem, InvalidPack
from briefings.models import Card, Certainty, KeyPoint, Model, Quote, ShortText, Slug, Text
from briefings.search import fold

FORM_SOURCE = "card form"
"""The source of a form's problems; their `field` is the form field's name ("section")."""

MAX_LINES = 25
"""Key points and quotes a card may hold (the card's own limit)."""

_MARKER = re.compile(r"\s*\[(?P<marker>[^\[\]]*)\]\s*$")
_BULLET = re.compile(r"^\s*(?:[-*•·]|\d{1,2}[.)])\s+")
_QUOTE = re.compile(
    r"""^\s*(?P<open>["“«„])(?P<text>.+?)(?P<close>["”»“])\s*[—–―-]+\s*(?P<who>\S.*?)\s*$"""
)
_REPORTED = re.compile(r"^reported\s+by\s+(?P<who>.+)$", re.IGNORECASE)
_SPELLINGS = {"judgment": Certainty.JUDGEMENT, "reports": Certainty.REPORTED}

KEY_POINT_HELP = (
    "One per line; end a line with its status if it is not the default: [fact], "
    "[judgement], [forecast], [perception], [hedged] or [reported by CNN Türk]."
)
QUOTE_HELP = 'One per line: "the words, as written" — who said or wrote them.'


def read_key_points(
    text: str, *, default: Certainty = Certainty.UNKNOWN, field: str = "key_points"
) -> tuple[list[KeyPoint], list[FieldProblem]]:
    """Key points, one a line, each with the status its marker names (else `default`)."""
    points: list[KeyPoint] = []
    problems: list[FieldProblem] = []
    for number, line in _lines(text):
        body, certainty, reporter, problem = _split_marker(line, default)
        if problem is None:
            try:
                points.append(KeyPoint(text=body, certainty=certainty, reported_by=reporter))
            except ValidationError as exc:
                problem = _said(exc)
        if problem is not None:
            problems.append(_at(field, number, problem))
    if len(points) > MAX_LINES:
        problems.append(
            _at(field, None, f"at most {MAX_LINES} key points (this has {len(points)}).")
        )
    return points, problems


def write_key_points(points: Iterable[KeyPoint], *, default: Certainty = Certainty.UNKNOWN) -> str:
    """The key points as the form shows them: a marker only where the status is not
    `default`, so the common case reads as plain sentences."""
    return "\n".join(_with_marker(p, default) for p in points)


def read_quotes(text: str, *, field: str = "quotes") -> tuple[list[Quote], list[FieldProblem]]:
    quotes: list[Quote] = []
    problems: list[FieldProblem] = []
    for number, line in _lines(text):
        found = _QUOTE.match(line)
        if found is None:
            problem = _quote_problem(line)
        else:
            try:
                quotes.append(Quote(text=found["text"].strip(), attribution=found["who"]))
                continue
            except ValidationError as exc:
                problem = _said(exc)
        problems.append(_at(field, number, problem))
    if len(quotes) > MAX_LINES:
        problems.append(_at(field, None, f"at most {MAX_LINES} quotes (this has {len(quotes)})."))
    return quotes, problems


def _quote_problem(line: str) -> str:
    if line[:1] in '"“«„':
        return 'after the closing quotation mark, add a dash and who said it: "the words" — who.'
    return 'put the words in quotation marks, then a dash and who said them: "the words" — who.'


def write_quotes(quotes: Iterable[Quote]) -> str:
    return "\n".join(f"“{q.text}” — {q.attribution}" for q in quotes)


def common_certainty(points: list[KeyPoint]) -> Certainty:
    """The status most key points share: the form's default, so they need no marker."""
    if not points:
        return Certainty.FACT  # a new card's points are, most often, what the author states
    counts: dict[Certainty, int] = {}
    for point in points:
        if point.certainty is not Certainty.REPORTED:
            counts[point.certainty] = counts.get(point.certainty, 0) + 1
    return max(counts, key=lambda c: counts[c]) if counts else Certainty.UNKNOWN


def plain_problem(error: Any) -> str:
    """A pydantic error said as what to type: the field's rule, and what was typed."""
    kind, loc, ctx = error["type"], error["loc"], error.get("ctx") or {}
    typed = error.get("input")
    field = str(loc[0])
    if field == "section":
        if kind == "int_parsing":
            return f"type a whole number, like 17 (not “{typed}”)."
        return "type a number from 0 to 10000."
    if kind == "string_too_long":
        return f"at most {ctx.get('max_length')} characters (this one has {len(str(typed))})."
    if kind in ("string_too_short", "missing"):
        return "this can't be empty."
    if kind.startswith("date"):
        return f"type a date like 2024-12-19 (not “{typed}”)."
    if kind.startswith("url"):
        return f"type a full link starting with https:// (not “{typed}”)."
    if kind == "too_long":
        things = {"actors": "names", "key_points": "key points", "quotes": "quotes"}
        return f"at most {ctx.get('max_length')} {things.get(field, 'tags')}."
    if kind == "string_pattern_mismatch":
        return f"“{typed}” is not a tag: use lowercase letters, digits and hyphens, like black-sea."
    return f"{error['msg']}."


class CardDraft(Model):
    """What an editor typed into the card forms: names of actors, not ids.

    The text form fills title to tags; the key points form fills the bottom line, key
    points and quotes. A draft of a stored card starts as that card (`from_card`), so
    each form changes only its own fields."""

    pack: Slug
    title: ShortText
    section: int = Field(ge=0, le=10_000)
    summary: Text
    actors: list[ShortText] = Field(default_factory=list, max_length=25)
    tags: list[Slug] = Field(default_factory=list, max_length=25)
    bottom_line: Text | None = None
    key_points: list[KeyPoint] = Field(default_factory=list, max_length=25)
    quotes: list[Quote] = Field(default_factory=list, max_length=25)

    @classmethod
    def from_form(
        cls,
        *,
        pack: str,
        title: str,
        section: str,
        summary: str,
        actors: str,
        tags: str,
        base: CardDraft | None = None,
    ) -> CardDraft:
        """Parse the text form's fields (over `base`'s other fields); every problem is
        reported by field."""
        raw: dict[str, Any] = (base.model_dump() if base else {}) | {
            "pack": pack,
            "title": title,
            "section": section.strip() or "0",
            "summary": summary,
            "actors": [a.strip() for a in re.split(r"[,;\n]", actors) if a.strip()],
            "tags": [slugify(t) for t in re.split(r"[,;\s]", tags) if t.strip()],
        }
        return cls._validated(raw)

    def with_points(
        self, *, bottom_line: str, key_points: str, quotes: str, default: Certainty
    ) -> CardDraft:
        """This draft with the key points form's fields: problems name the line."""
        points, problems = read_key_points(key_points, default=default)
        said, quote_problems = read_quotes(quotes)
        if problems or quote_problems:
            raise InvalidPack(problems + quote_problems)
        raw = self.model_dump() | {
            "bottom_line": bottom_line.strip() or None,
            "key_points": [p.model_dump() for p in points],
            "quotes": [q.model_dump() for q in said],
        }
        return self._validated(raw)

    @classmethod
    def from_card(cls, card: Card, actor_names: list[str]) -> CardDraft:
        """The draft a stored card's forms open with."""
        return cls(
            pack=card.pack,
            title=card.title,
            section=card.section,
            summary=card.summary,
            actors=actor_names,
            tags=card.tags,
            bottom_line=card.bottom_line,
            key_points=card.key_points,
            quotes=card.quotes,
        )

    def card_fields(self) -> dict[str, Any]:
        """What the draft sets on a card, actors aside (they are resolved to ids)."""
        return {
            "title": self.title,
            "section": self.section,
            "summary": self.summary,
            "tags": self.tags,
            "bottom_line": self.bottom_line,
            "key_points": self.key_points,
            "quotes": self.quotes,
        }

    @classmethod
    def _validated(cls, raw: dict[str, Any]) -> CardDraft:
        try:
            return cls.model_validate(raw)
        except ValidationError as exc:
            raise InvalidPack(
                [
                    FieldProblem(FORM_SOURCE, "card", str(e["loc"][0]), plain_problem(e))
                    for e in exc.errors()
                ]
            ) from None


def slugify(text: str, *, room: int = 60, fallback: str = "card") -> str:
    """An id from a title: folded, hyphenated, at most `room` characters."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    return slug[:room].strip("-") or fallback


# --- helpers ---------------------------------------------------------------------------


def _lines(text: str) -> Iterable[tuple[int, str]]:
    """Non-empty lines with their 1-based numbers, bullets removed."""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = _BULLET.sub("", raw).strip()
        if line:
            yield number, line


def _split_marker(line: str, default: Certainty) -> tuple[str, Certainty, str | None, str | None]:
    """(text, status, reporter, problem) of one key point line."""
    found = _MARKER.search(line)
    if found is None:
        return line, default, None, None
    body, marker = line[: found.start()].strip(), found["marker"].strip()
    reported = _REPORTED.match(marker)
    if reported:
        return body, Certainty.REPORTED, reported["who"].strip(), None
    word = marker.casefold()
    certainty = _SPELLINGS.get(word) or next((c for c in Certainty if c.value == word), None)
    if certainty is None:
        return (
            body,
            default,
            None,
            (
                f"[{marker}] is not a status: use [fact], [judgement], [forecast], [perception], "
                "[hedged] or [reported by …]."
            ),
        )
    if certainty is Certainty.REPORTED:
        return body, default, None, "say who reports it: [reported by CNN Türk]."
    return body, certainty, None, None


def _with_marker(point: KeyPoint, default: Certainty) -> str:
    if point.certainty is Certainty.REPORTED:
        return f"{point.text} [reported by {point.reported_by}]"
    if point.certainty is default:
        return point.text
    return f"{point.text} [{point.certainty.value}]"


def _said(exc: ValidationError) -> str:
    """The first pydantic error of a one-line record, as what to type."""
    error = exc.errors()[0]
    ctx = error.get("ctx") or {}
    if error["type"] == "string_too_long":
        return (
            f"at most {ctx.get('max_length')} characters (this one has {len(str(error['input']))})."
        )
    if error["type"] in ("string_too_short", "missing"):
        return "this line has no text."
    return str(error["msg"]).removeprefix("Value error, ") + "."


def _at(field: str, number: int | None, problem: str) -> FieldProblem:
    where = f"line {number}: " if number is not None else ""
    return FieldProblem(FORM_SOURCE, "card", field, where + problem)


# --- the briefing forms ------------------------------------------------------------------

BRIEFING_ITEM = "briefing"
DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%d.%m.%Y")
"""How editors write a publication date: 2024-12-19, 19 December 2024, Dec 19, 2024..."""
OPTIONAL_BRIEFING_FIELDS = frozenset({"original_publisher", "bottom_line", "pivot"})


def read_briefing(typed: dict[str, str]) -> tuple[dict[str, Any], list[FieldProblem]]:
    """The briefing forms' text as the fields of a briefing draft: blanks of optional
    fields are None, the date is read in the usual ways. Problems name their field."""
    raw: dict[str, Any] = {}
    problems: list[FieldProblem] = []
    for key, value in typed.items():
        text = value.strip()
        if key == "published":
            day = read_date(text)
            if day is None:
                problems.append(FieldProblem(FORM_SOURCE, BRIEFING_ITEM, key, _bad_date(text)))
                continue
            raw[key] = day
        elif key in OPTIONAL_BRIEFING_FIELDS and not text:
            raw[key] = None
        else:
            raw[key] = text
    return raw, problems


def read_date(text: str) -> date | None:
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def briefing_problems(exc: ValidationError) -> list[FieldProblem]:
    """A briefing draft's validation errors, each as what to type in its field."""
    problems = []
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else "-"
        if field == "source_url":
            said = (
                f"type the article's full address, starting with https:// "
                f"(not “{error.get('input')}”)."
            )
        else:
            said = plain_problem(error)
        problems.append(FieldProblem(FORM_SOURCE, BRIEFING_ITEM, field, said))
    return problems


def _bad_date(text: str) -> str:
    typed = f" (not “{text}”)" if text else ""
    return f"type a date like 2024-12-19 or 19 December 2024{typed}."
