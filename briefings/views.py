"""What the read service shows of the catalogue across briefings: an actor's profile,
an event, the timeline and leverage. Each part names the briefing it comes from, so a
server that sees several can tell them apart; newest article first where order is free.

Reads go through the read service (`Briefing`, as the `Reads` protocol here).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from briefings.labels import common_pivot
from briefings.models import (
    Actor,
    ActorKind,
    Card,
    Direction,
    Domain,
    Event,
    LeverageShift,
    Pack,
    RelationKind,
)
from briefings.results import (
    ActorProfile,
    BriefingRole,
    CardRef,
    Citation,
    EventDetail,
    LeverageView,
    TieView,
    TimelineEntry,
)
from briefings.store import CardStore


class _Snapshot(Protocol):
    @property
    def actors(self) -> dict[str, Actor]: ...


class Reads(Protocol):
    store: CardStore

    async def snapshot(self, *, guild_id: int | None) -> _Snapshot: ...
    async def packs(self) -> dict[str, Pack]: ...
    async def cite(self, card: Card | CardRef) -> Citation: ...
    async def pivot_of(self, evidence: Iterable[str], *, guild_id: int | None) -> str | None: ...


async def actor_profile(reads: Reads, actor: Actor, *, guild_id: int | None) -> ActorProfile:
    store = reads.store
    shifts = await store.leverage(guild_id=guild_id, actor_id=actor.id)
    acting_for = None if shifts else await _acting_for(reads, actor, guild_id=guild_id)
    subject = acting_for or actor
    if acting_for is not None:
        shifts = await store.leverage(guild_id=guild_id, actor_id=acting_for.id)
    packs = await reads.packs()
    homes = await store.briefings_of("leverage", (s.id for s in shifts))
    shifts = sorted(shifts, key=lambda s: _newest(packs.get(homes.get(s.id, ""))))
    refs = await store.card_refs_for_actor(actor.id, guild_id=guild_id)
    return ActorProfile(
        actor=actor,
        events=await store.events(guild_id=guild_id, actor_id=actor.id),
        gained=[s for s in shifts if _gains(s, subject.id)],
        lost=[s for s in shifts if not _gains(s, subject.id)],
        citations=[await reads.cite(r) for r in refs],
        pivots={s.id: await reads.pivot_of(s.evidence, guild_id=guild_id) for s in shifts},
        acting_for=acting_for,
        roles=await _roles(reads, actor, guild_id=guild_id),
        shift_briefings={i: _title(packs, p) for i, p in homes.items()},
        ties=[
            TieView(relation=r, pack=p, pack_title=_title(packs, p))
            for r, p in await store.ties(actor.id, guild_id=guild_id)
            if r.source != r.target
        ],
    )


async def _roles(reads: Reads, actor: Actor, *, guild_id: int | None) -> list[BriefingRole]:
    packs = await reads.packs()
    return [
        BriefingRole(
            pack=row.pack,
            pack_title=_title(packs, row.pack),
            published=packs[row.pack].published if row.pack in packs else None,
            role=row.role,
            aliases=list(row.aliases),
        )
        for row in await reads.store.actor_roles(guild_id=guild_id, actor_id=actor.id)
    ]


async def _acting_for(reads: Reads, actor: Actor, *, guild_id: int | None) -> Actor | None:
    """The state a person with no shifts of their own belongs to (`part-of`), if one."""
    if actor.kind is not ActorKind.PERSON:
        return None
    known = (await reads.snapshot(guild_id=guild_id)).actors
    for relation in await reads.store.relations(guild_id=guild_id):
        target = known.get(relation.target)
        if (
            relation.source == actor.id
            and relation.kind is RelationKind.PART_OF
            and target is not None
            and target.kind is ActorKind.STATE
        ):
            return target
    return None


async def event_detail(reads: Reads, event: Event, *, guild_id: int | None) -> EventDetail:
    known = (await reads.snapshot(guild_id=guild_id)).actors
    refs = await reads.store.card_refs_for_events([event.id], guild_id=guild_id)
    return EventDetail(
        event=event,
        actors=[known[i] for i in event.actors if i in known],
        citations=[await reads.cite(r) for r in refs.get(event.id, [])],
    )


async def timeline(
    reads: Reads, *, guild_id: int | None, actor: Actor | None = None, pack: Pack | None = None
) -> list[TimelineEntry]:
    """Events in date order, merged across the briefings the guild sees (or one)."""
    store = reads.store
    events = await store.events(
        guild_id=guild_id, actor_id=actor.id if actor else None, pack=pack.slug if pack else None
    )
    refs = await store.card_refs_for_events([e.id for e in events], guild_id=guild_id)
    packs = await reads.packs()
    homes = await store.briefings_of("events", (e.id for e in events))
    return [
        TimelineEntry(
            event=e,
            citations=[await reads.cite(r) for r in refs.get(e.id, [])],
            briefing=_title(packs, homes[e.id]) if e.id in homes else None,
        )
        for e in events
    ]


async def leverage(
    reads: Reads,
    *,
    guild_id: int | None,
    domain: Domain | None = None,
    actor: Actor | None = None,
    pack: Pack | None = None,
) -> list[LeverageView]:
    store = reads.store
    shifts = await store.leverage(
        guild_id=guild_id,
        domain=domain,
        actor_id=actor.id if actor else None,
        pack=pack.slug if pack else None,
    )
    actors = (await reads.snapshot(guild_id=guild_id)).actors
    evidence_ids = {card_id for shift in shifts for card_id in shift.evidence}
    refs = await store.card_refs(guild_id=guild_id, card_ids=evidence_ids)
    cited = {r.id: await reads.cite(r) for r in refs}
    packs = await reads.packs()
    homes = await store.briefings_of("leverage", (s.id for s in shifts))
    return [
        LeverageView(
            shift=shift,
            actor=actors[shift.actor],
            over=actors[shift.over],
            evidence=[cited[c] for c in shift.evidence if c in cited],
            pivot=common_pivot(
                packs[cited[c].pack].pivot if cited[c].pack in packs else None
                for c in shift.evidence
                if c in cited
            ),
            briefing=_title(packs, homes[shift.id]) if shift.id in homes else None,
        )
        for shift in shifts
        if shift.actor in actors and shift.over in actors
    ]


def newest_first(packs: Iterable[Pack]) -> list[Pack]:
    """Briefings by their article's date, newest first (then the latest made)."""
    return sorted(packs, key=_newest)


def _newest(pack: Pack | None) -> tuple[int, float, str]:
    if pack is None:
        return (0, 0.0, "")
    made = pack.created_at.timestamp() if pack.created_at else 0.0
    return (-pack.published.toordinal(), -made, pack.slug)


def _title(packs: dict[str, Pack], slug: str) -> str:
    return packs[slug].title if slug in packs else slug


def _gains(shift: LeverageShift, actor_id: str) -> bool:
    """Did `actor_id` come out of this shift stronger (or holding its ground)?"""
    if shift.actor == actor_id:
        return shift.direction is not Direction.LOST
    return shift.direction is Direction.LOST


__all__ = ["actor_profile", "event_detail", "leverage", "newest_first", "timeline"]
