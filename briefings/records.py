"""Records a briefing states about the world: events (with dates exactly as precise as
the source), leverage shifts and relations. `briefings.models` re-exports them."""

from __future__ import annotations

from datetime import date
from typing import Self

from pydantic import Field, model_validator

from briefings.vocabulary import (
    Claim,
    Direction,
    Domain,
    Model,
    Period,
    Precision,
    RelationKind,
    ShortText,
    Slug,
    Snowflake,
    Text,
)


class EventDate(Model):
    """A date exactly as precise as the source gives it.

    `start`/`end` are the earliest and latest days it can mean, for ordering and
    drawing; `text` is how it reads ("November 2015", "this summer (2024)").
    """

    precision: Precision
    text: ShortText
    start: date | None = None
    end: date | None = None
    approximate: bool = False
    """`start`/`end` are estimated from a relative phrase ("mere weeks ago": a range ending
    at publication), not given by the article; drawn hatched and labelled so."""
    after: Slug | None = None
    """The event this one comes after, as the article says ("in the wake of" Assad's fall)."""
    during: Slug | None = None
    """The event this one happens during or at the same time as ("at the same time")."""

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.after and self.during:
            raise ValueError("a date is relative to one event: give after or during, not both")
        if self.approximate and self.start is None:
            raise ValueError("an approximate date needs the start and end it estimates")
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
    def relative_to(self) -> str | None:
        """The event this date is placed against, if any."""
        return self.after or self.during

    @property
    def sort_key(self) -> tuple[int, date, date]:
        if self.start is None:
            return (1, date.max, date.max)
        return (0, self.start, self.end or self.start)


class Event(Claim, Model):
    """What happened; `certainty` is the status of its description (`what`)."""

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


class LeverageShift(Claim, Model):
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


class Relation(Claim, Model):
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
    """Before or after the pivot, `untied` when the article does not say; None for ties
    that need no period (membership)."""
    guild_id: Snowflake | None = None
