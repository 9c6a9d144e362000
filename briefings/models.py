"""The briefing domain: packs, cards, actors, events and leverage shifts.

These models are the edge of the core: pack files, imports and the store all pass
through them, so every rule a card must follow is checked here, once.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    StringConstraints,
    field_validator,
    model_validator,
)

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

Slug = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=80, pattern=SLUG_PATTERN),
]
"""A stable, URL-safe identifier: lowercase letters, digits and single hyphens."""

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
Snowflake = Annotated[int, Field(gt=0, lt=2**63)]


def _aware_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("must include a time zone (for example 2024-12-19T00:00:00Z)")
    return value.astimezone(UTC)


UtcDateTime = Annotated[datetime, AfterValidator(_aware_utc)]


class Model(BaseModel):
    """Strict by default: unknown keys in a pack file are typos, not data."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class ActorKind(StrEnum):
    STATE = "state"
    PERSON = "person"
    ORGANISATION = "organisation"
    ARMED_GROUP = "armed-group"
    COMPANY = "company"
    MEDIA = "media"
    ALLIANCE = "alliance"
    PROCESS = "process"
    GROUP = "group"
    PLACE = "place"
    INFRASTRUCTURE = "infrastructure"
    OTHER = "other"


class Domain(StrEnum):
    """Arenas in which leverage moves. Packs may only use these; add one here to extend."""

    SYRIA = "syria"
    BLACK_SEA = "black-sea"
    SOUTH_CAUCASUS = "south-caucasus"
    ENERGY = "energy"
    DIPLOMACY = "diplomacy"
    ECONOMY = "economy"


class Direction(StrEnum):
    GAINED = "gained"
    LOST = "lost"
    HELD = "held"


class Period(StrEnum):
    """When a leverage shift applies, relative to its pack's `pivot`."""

    BEFORE = "before"
    AFTER = "after"


class Status(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class Precision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    RANGE = "range"
    SEASON = "season"
    UNDATED = "undated"


class Pack(Model):
    slug: Slug
    title: ShortText
    author: ShortText
    publisher: ShortText
    original_publisher: ShortText | None = None
    published: date
    source_url: HttpUrl
    version: int = Field(default=1, ge=1)
    description: Text | None = None
    pivot: ShortText | None = None
    """The event the pack's before/after periods are relative to ("Assad's fall"), if any."""
    bottom_line: Text | None = None
    """The article's main argument in one or two sentences, in our words."""


class Actor(Model):
    id: Slug
    name: ShortText
    kind: ActorKind
    aliases: list[ShortText] = Field(default_factory=list)
    role: Text
    guild_id: Snowflake | None = None

    @field_validator("aliases")
    @classmethod
    def _unique_aliases(cls, aliases: list[str]) -> list[str]:
        seen: set[str] = set()
        for alias in aliases:
            if alias.casefold() in seen:
                raise ValueError(f"alias {alias!r} is listed twice")
            seen.add(alias.casefold())
        return aliases


class EventDate(Model):
    """A date exactly as precise as the source gives it.

    `start`/`end` are the earliest and latest days it can mean, for ordering and
    drawing; `text` is how it reads ("November 2015", "this summer (2024)").
    """

    precision: Precision
    text: ShortText
    start: date | None = None
    end: date | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.precision is Precision.UNDATED:
            if self.start or self.end:
                raise ValueError("an undated event has no start or end")
            return self
        if self.start is None:
            raise ValueError(f"a {self.precision.value} date needs a start")
        if self.end is not None and self.end < self.start:
            raise ValueError("end is before start")
        return self

    @property
    def sort_key(self) -> tuple[int, date, date]:
        if self.start is None:
            return (1, date.max, date.max)
        return (0, self.start, self.end or self.start)


class Event(Model):
    id: Slug
    title: ShortText
    aliases: list[ShortText] = Field(default_factory=list)
    """Other ways people name it ("Assad's fall"), for look-ups."""
    date: EventDate
    places: list[ShortText] = Field(default_factory=list)
    actors: list[Slug] = Field(default_factory=list)
    domains: list[Domain] = Field(default_factory=list)
    what: Text
    why: Text
    guild_id: Snowflake | None = None


class LeverageShift(Model):
    """`actor` gained, lost or held leverage over `over` in one domain.

    A gain by one side is a loss for the other; the profile of `over` shows it as such.
    """

    id: Slug
    domain: Domain
    actor: Slug
    over: Slug
    direction: Direction
    period: Period
    when: ShortText
    reasoning: Text
    evidence: list[Slug] = Field(min_length=1)
    guild_id: Snowflake | None = None

    @model_validator(mode="after")
    def _two_sides(self) -> Self:
        if self.actor == self.over:
            raise ValueError("an actor cannot gain leverage over itself")
        return self


class RelationKind(StrEnum):
    ALLY = "ally"
    ADVERSARY = "adversary"
    RIVAL = "rival"
    PARTNER = "partner"
    INTERMEDIARY = "intermediary"
    DEPENDS_ON = "depends-on"
    SPONSORS = "sponsors"
    PART_OF = "part-of"


class Relation(Model):
    """A tie between two actors that the cards state: `source` is `kind` to `target`.

    Directional kinds read left to right: "turkey depends-on russia", "us sponsors sdf",
    "turkey intermediary ukraine-peace-talks"... symmetric kinds (ally, adversary,
    rival, partner) are stored once.
    """

    source: Slug
    target: Slug
    kind: RelationKind
    note: ShortText
    evidence: list[Slug] = Field(min_length=1)
    period: Period | None = None
    guild_id: Snowflake | None = None


class Quote(Model):
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
    attribution: ShortText

    @field_validator("text")
    @classmethod
    def _short(cls, text: str) -> str:
        if len(text.split()) > 25:
            raise ValueError("quotes must be short (25 words at most); summarise the rest")
        return text


class Card(Model):
    id: Slug
    pack: Slug
    section: int = Field(ge=0, le=10_000)
    title: ShortText
    bottom_line: Text | None = None
    """The section's point in one sentence, in our words: what an answer leads with."""
    anchor: ShortText | None = None
    """A short verbatim phrase from the start of the section, to link to the passage."""
    summary: Text
    key_points: list[Annotated[str, StringConstraints(min_length=1, max_length=500)]] = Field(
        default_factory=list, max_length=25
    )
    actors: list[Slug] = Field(default_factory=list)
    events: list[Slug] = Field(default_factory=list)
    leverage: list[Slug] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    tags: list[Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=40)]] = Field(
        default_factory=list
    )
    status: Status = Status.PUBLISHED
    guild_id: Snowflake | None = None
    version: int = Field(default=1, ge=1)
    created_at: UtcDateTime | None = None
    created_by: int | None = None
    updated_at: UtcDateTime | None = None
    updated_by: int | None = None

    BOOKKEEPING: ClassVar[frozenset[str]] = frozenset(
        {"version", "created_at", "created_by", "updated_at", "updated_by"}
    )
    """Fields the store fills in; a card's content is everything else."""

    def content(self, *, exclude: frozenset[str] = frozenset()) -> dict[str, Any]:
        """What the card says, without the store's bookkeeping: for comparing versions."""
        return self.model_dump(mode="json", exclude=set(self.BOOKKEEPING | exclude))

    def changed_fields(self, before: Card) -> list[str]:
        old, new = before.content(), self.content()
        return [name for name in new if old.get(name) != new[name]]

    def text_for_search(self) -> str:
        quotes = " ".join(q.text for q in self.quotes)
        return "\n".join([self.summary, *self.key_points, quotes])


class Concept(Model):
    """An idea the cards name in words a member may not use: `terms` are what search
    treats as the same thing ("embargo" finds the card about sanctions)."""

    id: Slug
    terms: list[ShortText] = Field(min_length=1, max_length=50)
    guild_id: Snowflake | None = None

    @field_validator("terms")
    @classmethod
    def _unique_terms(cls, terms: list[str]) -> list[str]:
        seen: set[str] = set()
        for term in terms:
            if term.casefold() in seen:
                raise ValueError(f"term {term!r} is listed twice")
            seen.add(term.casefold())
        return terms


class KnownIds(Model):
    actors: frozenset[str] = frozenset()
    events: frozenset[str] = frozenset()
    shifts: frozenset[str] = frozenset()
    cards: frozenset[str] = frozenset()


class PackFile(Model):
    """One briefing pack as it is written on disk or imported: everything cross-checked."""

    pack: Pack
    actors: list[Actor] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    leverage: list[LeverageShift] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)
    cards: list[Card] = Field(default_factory=list)
    concepts: list[Concept] = Field(default_factory=list)
    """Concept aliases for search (optional; a file without them is as before)."""

    def reference_problems(
        self, known: KnownIds | None = None
    ) -> list[tuple[tuple[str | int, ...], str]]:
        """Cross-references that resolve neither in the file nor among `known` records
        (what the importing guild can already see), as (location, message) pairs."""
        known = known or KnownIds()
        problems: list[tuple[tuple[str | int, ...], str]] = []
        actor_ids = _unique_ids("actors", [a.id for a in self.actors], problems) | known.actors
        event_ids = _unique_ids("events", [e.id for e in self.events], problems) | known.events
        shift_ids = _unique_ids("leverage", [s.id for s in self.leverage], problems) | known.shifts
        card_ids = _unique_ids("cards", [c.id for c in self.cards], problems) | known.cards
        _unique_ids("concepts", [c.id for c in self.concepts], problems)

        def check(loc: tuple[str | int, ...], refs: list[str], known: set[str], what: str) -> None:
            for i, ref in enumerate(refs):
                if ref not in known:
                    problems.append(((*loc, i), f"unknown {what} {ref!r}"))

        for i, event in enumerate(self.events):
            check(("events", i, "actors"), event.actors, actor_ids, "actor")
        for i, shift in enumerate(self.leverage):
            for side in ("actor", "over"):
                if getattr(shift, side) not in actor_ids:
                    problems.append(
                        (("leverage", i, side), f"unknown actor {getattr(shift, side)!r}")
                    )
            check(("leverage", i, "evidence"), shift.evidence, card_ids, "card")
        for i, rel in enumerate(self.relations):
            check(("relations", i, "source"), [rel.source], actor_ids, "actor")
            check(("relations", i, "target"), [rel.target], actor_ids, "actor")
            check(("relations", i, "evidence"), rel.evidence, card_ids, "card")
        for i, card in enumerate(self.cards):
            if card.pack != self.pack.slug:
                problems.append((("cards", i, "pack"), f"{card.pack!r} is not this pack"))
            check(("cards", i, "actors"), card.actors, actor_ids, "actor")
            check(("cards", i, "events"), card.events, event_ids, "event")
            check(("cards", i, "leverage"), card.leverage, shift_ids, "leverage shift")
        return problems


def _unique_ids(
    where: str, ids: list[str], problems: list[tuple[tuple[str | int, ...], str]]
) -> set[str]:
    seen: set[str] = set()
    for i, ident in enumerate(ids):
        if ident in seen:
            problems.append(((where, i, "id"), f"duplicate id {ident!r}"))
        seen.add(ident)
    return seen


# --- read-side shapes the store and search return ---------------------------------


def now_utc() -> datetime:
    return datetime.now(UTC)
