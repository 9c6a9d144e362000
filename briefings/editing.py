"""Editors change cards: add, edit, publish, archive, restore, import, export.

Scope rule: the shipped packs are global and only the bot's owners may change them;
what a guild's editors add belongs to that guild and is visible there only. Every
change is validated first, then written whole, audited, and (when published) recorded
for delivery.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import Field, ValidationError

from briefings.briefing import Briefing
from briefings.errors import FieldProblem, InvalidPack, NotFound, PermissionDenied
from briefings.models import (
    Actor,
    ActorKind,
    Card,
    KnownIds,
    Model,
    PackFile,
    ShortText,
    Slug,
    Status,
    Text,
    now_utc,
)
from briefings.search import fold
from briefings.store import editing as store_editing
from briefings.store.editing import ChangeSet, StaleCard
from briefings.store.revisions import Action

__all__ = ["CardDraft", "CardEditor", "ImportPlan", "StaleCard"]

_SCOPE = frozenset({"guild_id"})
"""Where a card lives is not what it says: an import into another guild is unchanged."""
OWNERS_ONLY = "belongs to the shipped briefing; only the bot's owners can change it"


class CardDraft(Model):
    """What an editor typed into the card form: names of actors, not ids."""

    pack: Slug
    title: ShortText
    section: int = Field(ge=0, le=10_000)
    summary: Text
    actors: list[ShortText] = Field(default_factory=list, max_length=25)
    tags: list[Slug] = Field(default_factory=list, max_length=25)

    @classmethod
    def from_form(
        cls, *, pack: str, title: str, section: str, summary: str, actors: str, tags: str
    ) -> CardDraft:
        """Parse the form's text fields; every problem is reported by field."""
        raw: dict[str, Any] = {
            "pack": pack,
            "title": title,
            "section": section.strip() or "0",
            "summary": summary,
            "actors": [a.strip() for a in re.split(r"[,;\n]", actors) if a.strip()],
            "tags": [_slugify(t) for t in re.split(r"[,;\s]", tags) if t.strip()],
        }
        try:
            return cls.model_validate(raw)
        except ValidationError as exc:
            raise InvalidPack(
                [
                    FieldProblem("card form", "card", ".".join(map(str, e["loc"])), e["msg"])
                    for e in exc.errors()
                ]
            ) from None


@dataclass(slots=True)
class ImportPlan:
    changes: ChangeSet
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (
            self.changes.cards
            or self.changes.actors
            or self.changes.events
            or self.changes.shifts
            or self.changes.relations
        )


class CardEditor:
    def __init__(self, core: Briefing) -> None:
        self.core = core
        self.store = core.store

    # --- one card from the form ---------------------------------------------------------

    async def prepare_new(
        self, draft: CardDraft, *, guild_id: int, member_id: int, now: datetime | None = None
    ) -> ChangeSet:
        """A new guild card (as a draft) and any actors it names that are new."""
        now = now or now_utc()
        if await self.store.pack(draft.pack) is None:
            raise NotFound("briefing pack", draft.pack)
        actor_ids, new_actors = await self._actors(draft, guild_id=guild_id)
        card = Card(
            id=await self._free_card_id(f"g{guild_id}-{_slugify(draft.title)}"),
            pack=draft.pack,
            section=draft.section,
            title=draft.title,
            summary=draft.summary,
            actors=actor_ids,
            tags=draft.tags,
            status=Status.DRAFT,
            guild_id=guild_id,
            created_at=now,
            created_by=member_id,
            updated_at=now,
            updated_by=member_id,
        )
        return ChangeSet(pack=draft.pack, cards=[(None, card)], actors=new_actors)

    async def prepare_edit(
        self,
        card_id: str,
        draft: CardDraft,
        *,
        guild_id: int,
        member_id: int,
        seen_version: int,
        is_owner: bool,
        now: datetime | None = None,
    ) -> ChangeSet:
        before = await self._editable(card_id, guild_id=guild_id, is_owner=is_owner)
        if before.version != seen_version:
            raise StaleCard(before)
        actor_ids, new_actors = await self._actors(draft, guild_id=guild_id)
        after = before.model_copy(
            update={
                "title": draft.title,
                "section": draft.section,
                "summary": draft.summary,
                "actors": actor_ids,
                "tags": draft.tags,
            }
        )
        after = Card.model_validate(after.model_dump())  # the edited card obeys every rule
        return ChangeSet(
            pack=before.pack, cards=[(before, _next(after, member_id, now))], actors=new_actors
        )

    async def with_status(
        self, card_id: str, status: Status, *, guild_id: int, member_id: int, is_owner: bool
    ) -> ChangeSet:
        before = await self._editable(card_id, guild_id=guild_id, is_owner=is_owner)
        if before.status is status:
            raise NotFound(f"{status.value} change for", card_id)
        after = _next(before.model_copy(update={"status": status}), member_id, None)
        return ChangeSet(pack=before.pack, cards=[(before, after)])

    async def save(
        self, changes: ChangeSet, *, guild_id: int, action: Action, member_id: int
    ) -> None:
        """Write it all or nothing (StaleCard if a card moved on since it was read)."""
        snapshot = await self.core.snapshot(guild_id=guild_id)
        names = {a.id: [a.name, *a.aliases] for a in [*snapshot.actors.values(), *changes.actors]}
        titles = {e.id: e.title for e in [*snapshot.events.values(), *changes.events]}
        await store_editing.apply(
            self.store,
            changes,
            action=action,
            member_id=member_id,
            at=now_utc(),
            names=names,
            event_titles=titles,
        )

    # --- files ----------------------------------------------------------------------------

    async def known_ids(self, *, guild_id: int) -> KnownIds:
        snapshot = await self.core.snapshot(guild_id=guild_id)
        shifts = await self.store.leverage(guild_id=guild_id)
        cards = await self.store.card_refs(guild_id=guild_id)
        return KnownIds(
            actors=frozenset(snapshot.actors),
            events=frozenset(snapshot.events),
            shifts=frozenset(s.id for s in shifts),
            cards=frozenset(c.id for c in cards),
        )

    async def plan_import(
        self, pack: PackFile, *, guild_id: int, is_owner: bool, source: str
    ) -> ImportPlan:
        """What importing would add, update and leave alone; InvalidPack lists every
        record it may not write. Nothing is written here."""
        if await self.store.pack(pack.pack.slug) is None:
            unknown = f"unknown pack {pack.pack.slug!r}: import into an existing briefing"
            raise InvalidPack([FieldProblem(source, "pack", "slug", unknown)])
        plan = ImportPlan(ChangeSet(pack=pack.pack.slug))
        problems: list[FieldProblem] = []
        existing = await self.store.cards_with_ids(c.id for c in pack.cards)
        for i, card in enumerate(pack.cards):
            label = f"card {i + 1} ({card.id})"
            before = existing.get(card.id)
            after = card.model_copy(
                update={
                    "guild_id": guild_id if before is None or before.guild_id is not None else None
                }
            )
            same = before is not None and (
                before.content(exclude=_SCOPE) == after.content(exclude=_SCOPE)
            )
            problem = _scope_problem(before, guild_id, is_owner)
            if problem and not same:
                problems.append(FieldProblem(source, label, "id", problem))
                continue
            if same:
                plan.unchanged.append(card.id)
                continue
            (plan.updated if before else plan.added).append(card.id)
            stamped = _next(
                after, None, None, version=before.version + 1 if before else 1, created=before
            )
            plan.changes.cards.append((before, stamped))
        await self._plan_catalogue(
            pack, plan, guild_id=guild_id, is_owner=is_owner, source=source, problems=problems
        )
        if problems:
            raise InvalidPack(problems)
        return plan

    async def export(self, pack: str, *, guild_id: int, include_shipped: bool) -> PackFile:
        own = await self.store.export_pack(pack, guild_id=guild_id)
        if own is None:
            raise NotFound("briefing pack", pack)
        if not include_shipped:
            return own
        shipped = await self.store.export_pack(pack)
        assert shipped is not None
        return PackFile(
            pack=own.pack,
            actors=[*shipped.actors, *own.actors],
            events=[*shipped.events, *own.events],
            leverage=[*shipped.leverage, *own.leverage],
            relations=[*shipped.relations, *own.relations],
            cards=[*shipped.cards, *own.cards],
        )

    # --- helpers ----------------------------------------------------------------------------

    async def _plan_catalogue(
        self,
        pack: PackFile,
        plan: ImportPlan,
        *,
        guild_id: int,
        is_owner: bool,
        source: str,
        problems: list[FieldProblem],
    ) -> None:
        snapshot = await self.core.snapshot(guild_id=guild_id)
        visible_shifts = {s.id: s for s in await self.store.leverage(guild_id=guild_id)}
        sections: list[tuple[str, list[Any], dict[str, Any], list[Any]]] = [
            ("actor", list(pack.actors), dict(snapshot.actors), plan.changes.actors),
            ("event", list(pack.events), dict(snapshot.events), plan.changes.events),
            ("leverage", list(pack.leverage), visible_shifts, plan.changes.shifts),
        ]
        for kind, records, visible, out in sections:
            for i, record in enumerate(records):
                before = visible.get(record.id)
                if before is not None and before.model_dump(
                    exclude={"guild_id"}
                ) == record.model_dump(exclude={"guild_id"}):
                    continue
                problem = _scope_problem(before, guild_id, is_owner)
                if problem:
                    problems.append(
                        FieldProblem(source, f"{kind} {i + 1} ({record.id})", "id", problem)
                    )
                    continue
                scope = None if before is not None and before.guild_id is None else guild_id
                out.append(record.model_copy(update={"guild_id": scope}))
        plan.changes.relations = [
            r.model_copy(update={"guild_id": guild_id})
            for r in pack.relations
            if r.guild_id is not None
        ]

    async def _editable(self, card_id: str, *, guild_id: int, is_owner: bool) -> Card:
        card = await self.store.card(card_id, guild_id=guild_id)
        if card is None:
            raise NotFound("card", card_id)
        if card.guild_id is None and not is_owner:
            raise PermissionDenied(f"“{card.title}” {OWNERS_ONLY}.")
        return card

    async def _actors(self, draft: CardDraft, *, guild_id: int) -> tuple[list[str], list[Actor]]:
        """Ids of the named actors: existing ones by name, alias or typo; new ones are
        created in this guild."""
        ids: list[str] = []
        new: list[Actor] = []
        for name in draft.actors:
            try:
                ids.append((await self.core.resolve_actor(name, guild_id=guild_id)).id)
            except NotFound:
                actor = Actor(
                    id=f"g{guild_id}-{_slugify(name)}"[:80],
                    name=name,
                    kind=ActorKind.OTHER,
                    guild_id=guild_id,
                    role=f"Named by this server's editors on the card “{draft.title}”.",
                )
                if actor.id not in ids:
                    ids.append(actor.id)
                    new.append(actor)
        return ids, new

    async def _free_card_id(self, base: str) -> str:
        base = base[:72].rstrip("-")
        taken = await self.store.card_ids_starting(base)
        candidate, n = base, 1
        while candidate in taken:
            n += 1
            candidate = f"{base}-{n}"
        return candidate


def _scope_problem(before: Any, guild_id: int, is_owner: bool) -> str | None:
    if before is None or before.guild_id == guild_id:
        return None
    if before.guild_id is None:
        return None if is_owner else OWNERS_ONLY
    return "this id belongs to another server's record; give it a new id"


def _next(
    card: Card,
    member_id: int | None,
    now: datetime | None,
    *,
    version: int | None = None,
    created: Card | None = None,
) -> Card:
    now = now or now_utc()
    update: dict[str, Any] = {
        "version": version or card.version + 1,
        "updated_at": now,
        "updated_by": member_id,
    }
    if created is not None or card.created_at is None:
        update["created_at"] = created.created_at if created else now
        update["created_by"] = created.created_by if created else member_id
    return card.model_copy(update=update)


def _slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    return slug[:60].strip("-") or "card"
