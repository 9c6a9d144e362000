"""The briefing service: what the CLI and the bot ask of the core.

It composes the store's queries with the pure search functions. What it derives from the
store (name index, outlines, resolved names, packs) lives on one snapshot per store
generation and scope, dropped whole when the store changes. Callers resolve names once
(`resolve_actor`, `resolve_event`) and pass the records to everything else.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, field

from cachetools import LRUCache

from briefings import views
from briefings.answers import answer_question
from briefings.errors import NotFound
from briefings.labels import common_pivot
from briefings.lexicon import Expander
from briefings.models import (
    Actor,
    Card,
    Domain,
    Event,
    Pack,
    Relation,
    Status,
)
from briefings.results import (
    ActorProfile,
    Answer,
    CardRef,
    Citation,
    EventDetail,
    LeverageView,
    TimelineEntry,
)
from briefings.search import (
    NameIndex,
    NameRef,
    RefKind,
    search_terms,
)
from briefings.store import CardStore

SCOPES_KEPT = 256
"""Snapshots kept per generation: guilds with cards of their own each have one."""
RESOLVED_KEPT = 4096
"""Names looked up per snapshot (members retype the same names)."""
ANSWERS_KEPT = 1024


@dataclass(slots=True)
class Snapshot:
    """Everything one store generation implies for one scope (a guild's own records, or the
    global ones). Derived data lives here and nowhere else: when the store changes, the whole
    snapshot is dropped, so no cache can outlive what it was computed from."""

    generation: int
    scope: int | None
    index: NameIndex
    actors: dict[str, Actor]
    events: dict[str, Event]
    tied: frozenset[str]
    """Actors the cards tie to someone (the actor map is worth offering for them)."""
    outlines: dict[str, list[CardRef]] = field(default_factory=dict)
    resolved: LRUCache[tuple[str, str], str | NotFound] = field(
        default_factory=lambda: LRUCache(RESOLVED_KEPT)
    )
    answers: LRUCache[tuple[str, str | None], Answer] = field(
        default_factory=lambda: LRUCache(ANSWERS_KEPT)
    )
    """Questions already answered in this snapshot (members ask alike)."""
    expander: Expander | None = None
    """The lexicon and the concept aliases this scope sees, built on the first question."""

    @property
    def key(self) -> tuple[int, int | None]:
        """Answers are equal for equal keys: what page and chart caches key on."""
        return (self.generation, self.scope)


@dataclass(slots=True)
class Generation:
    """What one store generation implies for every guild: the packs, the guilds with
    records of their own, and the snapshots built so far."""

    number: int
    packs: dict[str, Pack]
    scoped_guilds: frozenset[int]
    snapshots: LRUCache[int | None, Snapshot] = field(default_factory=lambda: LRUCache(SCOPES_KEPT))


class Briefing:
    """The read service: what the CLI and the bot ask of the core."""

    def __init__(self, store: CardStore) -> None:
        self.store = store
        self._generation = Generation(-1, {}, frozenset())
        self._building = asyncio.Lock()

    # --- snapshots ------------------------------------------------------------------

    async def _current(self) -> Generation:
        if self._generation.number != self.store.generation:
            number = self.store.generation
            packs = {p.slug: p for p in await self.store.packs()}
            scoped = frozenset(await self.store.guilds_with_content())
            if number == self.store.generation:  # nothing was written meanwhile
                self._generation = Generation(number, packs, scoped)
            else:
                return Generation(number, packs, scoped)
        return self._generation

    async def snapshot(self, *, guild_id: int | None) -> Snapshot:
        """What one guild can see, held in memory until the store changes.

        Guilds without records of their own share the global snapshot, so a thousand
        guilds cost one index, not a thousand.
        """
        generation = await self._current()
        scope = guild_id if guild_id in generation.scoped_guilds else None
        cached = generation.snapshots.get(scope)
        if cached is not None:
            return cached
        async with self._building:  # one build at a time; the others reuse its result
            cached = generation.snapshots.get(scope)
            if cached is None:
                cached = await self._build(generation, scope)
                generation.snapshots[scope] = cached
            return cached

    async def _build(self, generation: Generation, scope: int | None) -> Snapshot:
        actors = {a.id: a for a in await self.store.actors(guild_id=scope)}
        events = {e.id: e for e in await self.store.events(guild_id=scope)}
        texts = await self.store.card_texts(guild_id=scope)
        relations = await self.store.relations(guild_id=scope)
        packs = list(generation.packs.values())
        # Tokenising 10,000 cards takes most of a second: off the event loop, so
        # heartbeats and other members' commands keep flowing meanwhile.
        index = await asyncio.to_thread(_build_index, actors, events, texts, packs)
        ends = (i for r in relations if r.source != r.target for i in (r.source, r.target))
        return Snapshot(generation.number, scope, index, actors, events, frozenset(ends))

    async def scope(self, guild_id: int | None) -> int | None:
        """The guild whose view this is, or None when the guild sees only global records."""
        return (await self.snapshot(guild_id=guild_id)).scope

    async def cache_key(self, guild_id: int | None) -> tuple[int, int | None]:
        """(generation, scope): equal keys see equal answers."""
        return (await self.snapshot(guild_id=guild_id)).key

    # --- names ----------------------------------------------------------------------

    async def name_index(self, *, guild_id: int | None) -> NameIndex:
        return (await self.snapshot(guild_id=guild_id)).index

    async def display_names(self, *, guild_id: int | None) -> dict[str, str]:
        return (await self.name_index(guild_id=guild_id)).display

    async def suggest(
        self, kind: RefKind, text: str, *, guild_id: int | None, limit: int = 25
    ) -> list[NameRef]:
        index = await self.name_index(guild_id=guild_id)
        return index.suggest(text, kind=kind, limit=limit)

    async def resolve_actor(self, name: str, *, guild_id: int | None) -> Actor:
        snapshot = await self.snapshot(guild_id=guild_id)
        ref = await self._resolve(snapshot, "actor", name, guild_id=guild_id)
        return snapshot.actors[ref]

    async def resolve_event(self, name: str, *, guild_id: int | None) -> Event:
        snapshot = await self.snapshot(guild_id=guild_id)
        ref = await self._resolve(snapshot, "event", name, guild_id=guild_id)
        return snapshot.events[ref]

    async def _resolve(
        self, snapshot: Snapshot, kind: RefKind, name: str, *, guild_id: int | None
    ) -> str:
        """By name, alias or typo; failing that, by what the record says ("January 1",
        "the fall of the regime"); failing that, NotFound with suggestions."""
        key = (kind, name.strip().casefold())
        found = snapshot.resolved.get(key)
        if found is None:
            try:
                found = await self._lookup(snapshot, kind, name, guild_id=guild_id)
            except NotFound as missing:
                found = missing
            snapshot.resolved[key] = found
        if isinstance(found, NotFound):
            raise NotFound(kind, name, found.suggestions)
        return found

    async def _lookup(
        self, snapshot: Snapshot, kind: RefKind, name: str, *, guild_id: int | None
    ) -> str:
        index = snapshot.index
        matches = [r for r in index.lookup(name) if r.kind == kind]
        matches = matches or [r for r in index.mentions(name) if r.kind == kind]
        matches = matches or index.containing(name, kind=kind)
        if matches:
            return matches[0].id
        terms = search_terms(name, index)
        if terms:  # every word must match: a description, not a loose association
            query = " AND ".join(f'"{term}"' for term in terms)
            table = "actors" if kind == "actor" else "events"
            found = await self.store.search_catalogue(table, query, guild_id=guild_id, limit=1)
            known = snapshot.actors if kind == "actor" else snapshot.events
            if found and found[0] in known:
                return found[0]
        suggestions = [r.display for r in index.suggest(name, kind=kind, limit=3)]
        raise NotFound(kind, name, suggestions)

    async def has_ties(self, actor: Actor, *, guild_id: int | None) -> bool:
        """Whether the cards tie this actor to anyone (an actor map would show something)."""
        return actor.id in (await self.snapshot(guild_id=guild_id)).tied

    async def mentions(self, text: str, *, guild_id: int | None) -> tuple[list[Actor], list[Event]]:
        """The actors and events of the briefing that a piece of text mentions."""
        snapshot = await self.snapshot(guild_id=guild_id)
        refs = snapshot.index.mentions(text)
        actors = [snapshot.actors[r.id] for r in refs if r.kind == "actor"]
        events = [snapshot.events[r.id] for r in refs if r.kind == "event"]
        return actors, events

    # --- packs and citations --------------------------------------------------------

    async def packs(self) -> dict[str, Pack]:
        """Every briefing of every scope, by slug: for citing what a guild already sees.
        What a guild may list is `briefings`."""
        return (await self._current()).packs

    async def briefings(self, guild_id: int | None) -> list[Pack]:
        """The published briefings a guild sees (global ones and its own), newest first."""
        packs = (await self._current()).packs.values()
        return views.newest_first(
            p for p in packs if p.status is Status.PUBLISHED and p.guild_id in (None, guild_id)
        )

    async def pack(self, slug: str | None, *, guild_id: int | None = None) -> Pack:
        """A published briefing the guild sees (None: the newest); NotFound otherwise,
        another server's included."""
        seen = await self.briefings(guild_id)
        if slug is None and seen:
            return seen[0]
        for pack in seen:
            if pack.slug == slug:
                return pack
        raise NotFound("briefing pack", slug or "", [p.slug for p in seen][:3])

    async def default_briefing(self, guild_id: int | None) -> Pack | None:
        """Where a command without a briefing looks when one briefing reads best: None
        when the guild sees one briefing (no need to choose), else the newest."""
        seen = await self.briefings(guild_id)
        return seen[0] if len(seen) > 1 else None

    async def outline(self, pack: str, *, guild_id: int | None) -> list[CardRef]:
        """A pack's published cards in section order (id, section, title, summary)."""
        snapshot = await self.snapshot(guild_id=guild_id)
        if pack not in snapshot.outlines:
            snapshot.outlines[pack] = await self.store.card_refs(
                guild_id=guild_id, pack=pack, with_summary=True
            )
        return snapshot.outlines[pack]

    async def card(self, card_id: str, *, guild_id: int | None) -> Card | None:
        """A published card this guild can see (None once archived or never there)."""
        card = await self.store.card(card_id, guild_id=guild_id)
        return card if card is not None and card.status is Status.PUBLISHED else None

    async def relations(self, *, guild_id: int | None) -> list[Relation]:
        return await self.store.relations(guild_id=guild_id)

    async def pivot_of(self, evidence: Iterable[str], *, guild_id: int | None) -> str | None:
        """The pivot of the pack whose cards are the evidence: what a claim's before/after
        means (None when the pack names none)."""
        refs = await self.store.card_refs(guild_id=guild_id, card_ids=set(evidence))
        packs = await self.packs()
        return common_pivot(packs[r.pack].pivot if r.pack in packs else None for r in refs)

    async def cite(self, card: Card | CardRef) -> Citation:
        pack = (await self.packs()).get(card.pack)
        return Citation(
            pack_published=pack.published if pack else None,
            pack=card.pack,
            pack_title=pack.title if pack else card.pack,
            section=card.section,
            card_id=card.id,
            card_title=card.title,
            source_url=str(pack.source_url) if pack else "",
            anchor=card.anchor,
            own=card.guild_id is not None,
            author=pack.author if pack else None,
        )

    async def _cite_all(self, cards: Iterable[Card | CardRef]) -> list[Citation]:
        return [await self.cite(c) for c in cards]

    # --- answers --------------------------------------------------------------------

    async def ask(
        self, question: str, *, guild_id: int | None, briefing: Pack | None = None
    ) -> Answer:
        """The sentences of the best cards that answer `question`, with citations: from
        every briefing the guild sees, or from one."""
        answers = (await self.snapshot(guild_id=guild_id)).answers
        key = (question, briefing.slug if briefing else None)
        answer = answers.get(key)
        if answer is None:
            answer = await answer_question(self, question, guild_id=guild_id, briefing=briefing)
            answers[key] = answer
        return answer

    async def actor_profile(self, actor: Actor, *, guild_id: int | None) -> ActorProfile:
        """The actor across the briefings the guild sees, each part cited to its briefing."""
        return await views.actor_profile(self, actor, guild_id=guild_id)

    async def event_detail(self, event: Event, *, guild_id: int | None) -> EventDetail:
        return await views.event_detail(self, event, guild_id=guild_id)

    async def timeline(
        self, *, guild_id: int | None, actor: Actor | None = None, briefing: Pack | None = None
    ) -> list[TimelineEntry]:
        """Events in date order, merged across the briefings the guild sees (or one)."""
        return await views.timeline(self, guild_id=guild_id, actor=actor, pack=briefing)

    async def leverage(
        self,
        *,
        guild_id: int | None,
        domain: Domain | None = None,
        actor: Actor | None = None,
        briefing: Pack | None = None,
    ) -> list[LeverageView]:
        """Shifts across the briefings the guild sees, or of one (`briefing`)."""
        return await views.leverage(
            self, guild_id=guild_id, domain=domain, actor=actor, pack=briefing
        )


def _build_index(
    actors: dict[str, Actor], events: dict[str, Event], texts: list[str], packs: list[Pack]
) -> NameIndex:
    index = NameIndex()
    for actor in actors.values():
        names = [actor.name, actor.id, *actor.aliases]
        index.add(NameRef("actor", actor.id, actor.name), names)
        index.add_vocabulary(f"{' '.join(names)} {actor.role}")
    for event in events.values():
        names = [event.title, event.id, *event.aliases]
        index.add(NameRef("event", event.id, event.title), names)
        index.add_vocabulary(f"{event.title} {event.what} {event.why} {event.date.text}")
        index.add_vocabulary(" ".join(event.places))
    for text in texts:
        index.add_document(text)
    for pack in packs:
        index.add_vocabulary(f"{pack.title} {pack.author} {pack.publisher}")
        index.add_vocabulary(f"{pack.original_publisher or ''} {pack.published.year}")
    index.finish()
    return index
