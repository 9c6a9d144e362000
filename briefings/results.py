"""What the read service returns: citations, answers, profiles, views of shifts and events.

Shapes of the read side only; the records they carry (Card, Actor, Event...) are in models.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from pydantic import Field

from briefings.anchors import text_fragment
from briefings.models import Actor, Card, Event, LeverageShift, Model, Relation, Slug


class CardRef(Model):
    """Just enough of a card to cite it or list it, without loading the whole card."""

    id: str
    pack: str
    section: int
    title: str
    summary: str | None = None
    anchor: str | None = None
    guild_id: int | None = None


class Citation(Model):
    pack: Slug
    pack_title: str
    section: int
    card_id: Slug
    card_title: str
    source_url: str
    anchor: str | None = None
    """The phrase that opens the section in the article (publisher's cards only)."""
    own: bool = False
    """A server's own card: its editors' note, not the publisher's."""
    author: str | None = None
    """Who wrote the article: whose judgement or forecast a claim on this card is."""
    pack_published: date | None = None
    """The briefing's article date (briefings are told apart, newest first, by it)."""

    @property
    def passage_url(self) -> str | None:
        """The article opened at this section; None for a server's own note."""
        if self.own or not self.source_url:
            return None
        return text_fragment(self.source_url, self.anchor)


class AnswerHit(Model):
    card: Card
    sentences: list[str]
    citation: Citation
    score: float


class Answer(Model):
    question: str
    kind: str = "what"
    """What the question asks for: main-argument, outlook, why, who, when, how-many,
    comparison, definition or what."""
    gap: str | None = None
    """Said first: what the briefing does not cover or does not give."""
    context: str | None = None
    """After a gap: one labelled line of what the briefing does say about what was named."""
    lead: list[str] = Field(default_factory=list)
    """The answer: one to three sentences in the cards' own words."""
    points: list[str] = Field(default_factory=list)
    """At most three supporting points, each from a cited card."""
    uncovered: list[str] = Field(default_factory=list)
    """Topics the question asks about that no card mentions."""
    hits: list[AnswerHit] = Field(default_factory=list)
    matched_actors: list[Actor] = Field(default_factory=list)
    matched_events: list[Event] = Field(default_factory=list)
    not_covered: list[str] = Field(default_factory=list)
    """Names or figures from the question that appear nowhere in the briefing."""
    caveat: str | None = None
    """Said before the answer when it only partly answers (e.g. no figure is given)."""
    overview: str | None = None
    """For "summarise it" questions: the briefing's own one-paragraph description."""

    @property
    def covered(self) -> bool:
        return bool(self.hits) and not self.not_covered and not self.uncovered

    @property
    def briefings(self) -> list[str]:
        """The titles of the briefings the answer cites, in the order cited."""
        return list(dict.fromkeys(h.citation.pack_title for h in self.hits))


class BriefingRole(Model):
    """What one briefing says an actor is, cited to that briefing."""

    pack: str
    pack_title: str
    published: date | None = None
    role: str | None = None
    aliases: list[str] = Field(default_factory=list)
    """Names this briefing uses for the actor beyond the shared record's."""


class TieView(Model):
    """A tie a briefing states, with the briefing it comes from."""

    relation: Relation
    pack: str
    pack_title: str


class ActorProfile(Model):
    actor: Actor
    events: list[Event]
    gained: list[LeverageShift]
    """Shifts in which this actor gained or held leverage over someone."""
    lost: list[LeverageShift]
    """Shifts in which this actor lost leverage (including others' gains over it)."""
    citations: list[Citation]
    pivots: dict[str, str | None] = Field(default_factory=dict)
    """Each shift's pivot (by shift id): what its before/after is relative to."""
    acting_for: Actor | None = None
    """The state a person acts for (a `part-of` tie), when the shifts shown are that
    state's: the cards weigh Turkey's leverage, not Erdoğan's own."""
    roles: list[BriefingRole] = Field(default_factory=list)
    """What each briefing the guild sees says of the actor, newest article first."""
    shift_briefings: dict[str, str] = Field(default_factory=dict)
    """Each shift's briefing title (by shift id)."""
    ties: list[TieView] = Field(default_factory=list)
    """The ties the briefings state for the actor, each with its briefing."""

    @property
    def subject(self) -> Actor:
        """Whose leverage the shifts are about."""
        return self.acting_for or self.actor


class EventDetail(Model):
    event: Event
    actors: list[Actor]
    citations: list[Citation]


class LeverageView(Model):
    shift: LeverageShift
    actor: Actor
    over: Actor
    evidence: list[Citation]
    pivot: str | None = None
    """What the shift's period is relative to: its pack's pivot."""
    briefing: str | None = None
    """The title of the briefing the shift belongs to."""


class TimelineEntry(Model):
    event: Event
    citations: list[Citation]
    briefing: str | None = None
    """The title of the briefing the event belongs to."""


@dataclass(frozen=True, slots=True)
class Revision:
    """One change to a card, for its history: who, when, before and after."""

    version: int
    action: str
    member_id: int | None
    at: datetime
    before: Card | None
    after: Card


@dataclass(frozen=True, slots=True)
class Gap:
    """A question the briefing could not answer (or answered badly, by a vote): folded
    duplicates counted together. No member is kept."""

    question: str
    count: int
    reasons: frozenset[str]
    last: datetime


def author_of(citations: list[Citation]) -> str | None:
    """The one author these citations share (None when none, or several)."""
    authors = {c.author for c in citations}
    return authors.pop() if len(authors) == 1 else None
