"""The briefing domain: packs, cards, actors, events and leverage shifts.

These models are the edge of the core: pack files, imports and the store all pass
through them, so every rule a card must follow is checked here, once.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any, ClassVar

from pydantic import (
    Field,
    HttpUrl,
    StringConstraints,
    ValidationError,
    ValidatorFunctionWrapHandler,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from briefings.records import Event, EventDate, LeverageShift, Relation
from briefings.vocabulary import (
    SLUG_PATTERN,
    TENTATIVE,
    ActorKind,
    Certainty,
    Claim,
    Concept,
    Direction,
    Domain,
    KnownIds,
    Model,
    Period,
    Precision,
    RelationKind,
    ShortText,
    Slug,
    Snowflake,
    Status,
    Text,
    UtcDateTime,
)

__all__ = [  # re-exported: the record types and their vocabulary, from one module
    "SLUG_PATTERN",
    "TENTATIVE",
    "ActorKind",
    "Certainty",
    "Claim",
    "Concept",
    "Direction",
    "Domain",
    "Event",
    "EventDate",
    "KnownIds",
    "LeverageShift",
    "Model",
    "Period",
    "Precision",
    "Relation",
    "RelationKind",
    "ShortText",
    "Slug",
    "Snowflake",
    "Status",
    "Text",
    "UtcDateTime",
]


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
    guild_id: Snowflake | None = None
    """The server the briefing belongs to; None: global (shipped, or made global)."""
    status: Status = Status.PUBLISHED
    """A draft briefing is seen by its server's editors only."""
    created_at: UtcDateTime | None = None
    created_by: int | None = None
    published_at: UtcDateTime | None = None
    """When it was first published (set in the same write as its status)."""

    BOOKKEEPING: ClassVar[frozenset[str]] = frozenset(
        {"version", "created_at", "created_by", "published_at"}
    )
    """Fields the store fills in; a briefing's content is everything else."""

    @field_validator("status")
    @classmethod
    def _no_archive(cls, status: Status) -> Status:
        if status is Status.ARCHIVED:
            raise ValueError("a briefing is draft or published (archive its cards instead)")
        return status

    def content(self) -> dict[str, Any]:
        """What the briefing's header says, without bookkeeping: for comparing versions."""
        return self.model_dump(mode="json", exclude=set(self.BOOKKEEPING))


class Actor(Model):
    """One record across briefings: who the actor is. `role` is what one briefing says
    about them (a file's actor carries its briefing's; the store keeps it per briefing)."""

    id: Slug
    name: ShortText
    kind: ActorKind
    aliases: list[ShortText] = Field(default_factory=list)
    role: Text | None = None
    guild_id: Snowflake | None = None

    IDENTITY: ClassVar[frozenset[str]] = frozenset({"id", "name", "kind", "aliases", "guild_id"})
    """The fields every briefing shares; the rest belongs to one briefing."""

    def identity(self) -> dict[str, Any]:
        return self.model_dump(mode="json", include=set(self.IDENTITY))

    @field_validator("aliases")
    @classmethod
    def _unique_aliases(cls, aliases: list[str]) -> list[str]:
        seen: set[str] = set()
        for alias in aliases:
            if alias.casefold() in seen:
                raise ValueError(f"alias {alias!r} is listed twice")
            seen.add(alias.casefold())
        return aliases


class Quote(Model):
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
    attribution: ShortText

    @field_validator("text")
    @classmethod
    def _short(cls, text: str) -> str:
        if len(text.split()) > 25:
            raise ValueError("quotes must be short (25 words at most); summarise the rest")
        return text


class KeyPoint(Claim, Model):
    """One key point of a card with its status. A plain string in a file is a key point
    whose status the file does not say (`unknown`)."""

    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, data: Any) -> Any:
        return {"text": data} if isinstance(data, str) else data

    def __str__(self) -> str:
        return self.text


MISSING_SUMMARY = PydanticCustomError(
    "missing_summary", "a published card needs a summary; only a draft may leave it empty"
)


class Card(Model):
    id: Slug
    pack: Slug
    section: int = Field(ge=0, le=10_000)
    title: ShortText
    bottom_line: Text | None = None
    """The section's point in one sentence, in our words: what an answer leads with."""
    anchor: ShortText | None = None
    """A short verbatim phrase from the start of the section, to link to the passage."""
    summary: Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)] = ""
    """Empty only while the card is not published (drafts made from a source's sections)."""
    key_points: list[KeyPoint] = Field(default_factory=list, max_length=25)
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

    @model_validator(mode="wrap")
    @classmethod
    def _summary_unless_draft(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Card:
        card: Card = handler(data)
        if card.status is Status.PUBLISHED and not card.summary:
            raise ValidationError.from_exception_data(
                cls.__name__,
                [InitErrorDetails(type=MISSING_SUMMARY, loc=("summary",), input="")],
            )
        return card

    def content(self, *, exclude: frozenset[str] = frozenset()) -> dict[str, Any]:
        """What the card says, without the store's bookkeeping: for comparing versions."""
        return self.model_dump(mode="json", exclude=set(self.BOOKKEEPING | exclude))

    def changed_fields(self, before: Card) -> list[str]:
        old, new = before.content(), self.content()
        return [name for name in new if old.get(name) != new[name]]

    def text_for_search(self) -> str:
        quotes = " ".join(q.text for q in self.quotes)
        return "\n".join([self.summary, *self.key_point_texts(), quotes])

    def key_point_texts(self) -> list[str]:
        """The key points as sentences (what answers and search read)."""
        return [p.text for p in self.key_points]


FORMAT = 2
"""The pack-file format this code writes. 1: claims without a status (read as `unknown`);
2: `certainty`/`reported_by` on claims, key points as objects, `untied` periods and dates
relative to events (`after`, `during`, `approximate`)."""


class PackFile(Model):
    """One briefing pack as it is written on disk or imported: everything cross-checked."""

    format: int = Field(default=1, ge=1)
    """The format the file was written for; a file without one is format 1 (upgraded on
    load: its claims read as `unknown`)."""
    pack: Pack
    actors: list[Actor] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    leverage: list[LeverageShift] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)
    cards: list[Card] = Field(default_factory=list)
    concepts: list[Concept] = Field(default_factory=list)
    """Concept aliases for search (optional; a file without them is as before)."""

    @field_validator("format")
    @classmethod
    def _known_format(cls, value: int) -> int:
        if value > FORMAT:
            raise ValueError(f"format {value} is newer than this bot reads ({FORMAT}); update it")
        return value

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
            for key in ("after", "during"):
                ref = getattr(event.date, key)
                if ref is not None and (ref not in event_ids or ref == event.id):
                    problems.append((("events", i, "date", key), f"unknown event {ref!r}"))
        problems += _date_cycles(self.events)
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


def _date_cycles(events: list[Event]) -> list[tuple[tuple[str | int, ...], str]]:
    """Events dated relative to each other in a circle cannot be placed."""
    refs = {e.id: e.date.relative_to for e in events}
    problems: list[tuple[tuple[str | int, ...], str]] = []
    for i, event in enumerate(events):
        seen, at = {event.id}, refs.get(event.id)
        while at is not None and at in refs:
            if at in seen:
                problems.append((("events", i, "date"), "dates relative to each other in a circle"))
                break
            seen.add(at)
            at = refs[at]
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
