"""The briefing's vocabulary: identifiers, text sizes, the strict base model, and the enums
and claim status every record uses. `briefings.models` re-exports all of it."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
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
    """When a leverage shift applies, relative to its pack's `pivot`; `untied` when the
    article does not place it before or after (an undated, ongoing development)."""

    BEFORE = "before"
    AFTER = "after"
    UNTIED = "untied"


class Certainty(StrEnum):
    """How sure the article is of a claim, in its own terms."""

    FACT = "fact"
    """The author states it."""
    REPORTED = "reported"
    """Someone else says it (`reported_by`: CNN Türk, GUR, Russian media)."""
    JUDGEMENT = "judgement"
    """The author's own assessment."""
    FORECAST = "forecast"
    """What the author expects, or says could happen."""
    PERCEPTION = "perception"
    """How something is often seen ("is often seen as")."""
    HEDGED = "hedged"
    """Said with a hedge: may, appears, might."""
    UNKNOWN = "unknown"
    """Written before claims carried a status (an older file); nothing says which."""


TENTATIVE = frozenset({Certainty.FORECAST, Certainty.PERCEPTION, Certainty.HEDGED})
"""Claims drawn apart from facts (outlined or hatched) in the pictures."""


class Claim(BaseModel):
    """The status every claim carries (mixed into key points, events, shifts, relations)."""

    certainty: Certainty = Certainty.UNKNOWN
    reported_by: ShortText | None = None
    """Who says it, for a `reported` claim."""

    @model_validator(mode="after")
    def _reporter(self) -> Self:
        if self.certainty is Certainty.REPORTED and not self.reported_by:
            raise ValueError("a reported claim names who reports it (reported_by)")
        if self.reported_by and self.certainty is not Certainty.REPORTED:
            raise ValueError("reported_by is only for a claim whose certainty is 'reported'")
        return self


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


class RelationKind(StrEnum):
    ALLY = "ally"
    ADVERSARY = "adversary"
    RIVAL = "rival"
    PARTNER = "partner"
    INTERMEDIARY = "intermediary"
    DEPENDS_ON = "depends-on"
    SPONSORS = "sponsors"
    PART_OF = "part-of"


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
