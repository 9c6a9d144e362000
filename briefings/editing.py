"""Editors change cards: add, edit, publish, archive, restore, import, export.

Scope rule: the shipped packs are global and only the bot's owners may change them;
what a guild's editors add belongs to that guild and is visible there only. Every
change is validated first, then written whole, audited, and (when published) recorded
for delivery.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from pydantic import ValidationError

from briefings.briefing import Briefing
from briefings.changes import OWNERS_ONLY, Action, ChangeSet, Writer, plan, stamp
from briefings.errors import (
    AlreadyInStatus,
    FieldProblem,
    InvalidPack,
    NotFound,
    PermissionDenied,
    StaleCard,
)
from briefings.faithfulness import Finding
from briefings.forms import FORM_SOURCE, CardDraft, slugify
from briefings.models import (
    Actor,
    ActorKind,
    Card,
    KnownIds,
    Pack,
    PackFile,
    Status,
    now_utc,
)
from briefings.namespaces import local_id, lookup
from briefings.results import Revision
from briefings.sources.checks import SourceChecks

__all__ = ["FORM_SOURCE", "OWNERS_ONLY", "CardDraft", "CardEditor", "ImportPlan", "StaleCard"]


NEEDS_SUMMARY = "write a summary first: only a draft may leave it empty"


@dataclass(frozen=True, slots=True)
class ImportPlan:
    """A dry run: the cards an import adds, updates and leaves alone, and its writes."""

    changes: ChangeSet
    warnings: tuple[Finding, ...] = ()
    """The faithfulness lint's findings against the briefing's source, if one is attached."""

    @property
    def added(self) -> list[str]:
        return self.changes.tally["cards"].added

    @property
    def updated(self) -> list[str]:
        return self.changes.tally["cards"].updated

    @property
    def unchanged(self) -> list[str]:
        return self.changes.tally["cards"].unchanged

    @property
    def empty(self) -> bool:
        return self.changes.empty

    @property
    def new_briefing(self) -> Pack | None:
        """The briefing this import creates (with its stored slug), if it does."""
        return self.changes.pack_meta if self.changes.new_pack else None

    @property
    def briefing(self) -> str:
        """The stored slug of the briefing the file imports into."""
        return self.changes.pack


class CardEditor:
    def __init__(self, core: Briefing) -> None:
        self.core = core
        self.store = core.store
        self.source_checks: SourceChecks | None = None
        """Set by `build_core`: quotes and anchors checked against the attached source."""

    # --- one card from the form ---------------------------------------------------------

    async def prepare_new(
        self, draft: CardDraft, *, guild_id: int, member_id: int, now: datetime | None = None
    ) -> ChangeSet:
        """A new guild card (as a draft) and any actors it names that are new."""
        briefing = await self.store.pack(draft.pack)
        if briefing is None or briefing.guild_id not in (None, guild_id):
            raise NotFound("briefing pack", draft.pack)
        actor_ids, new_actors = await self._actors(draft, guild_id=guild_id)
        card = Card(
            id=await self._free_card_id(local_id(guild_id, slugify(draft.title))),
            pack=draft.pack,
            actors=actor_ids,
            status=Status.DRAFT,
            **draft.card_fields(),
            guild_id=guild_id,
        )
        card = stamp(card, by=member_id, at=now or now_utc(), version=1)
        changes = ChangeSet(pack=draft.pack, cards=[(None, card)], actors=new_actors)
        changes.tally["cards"].added.append(card.id)
        changes.tally["actors"].added.extend(a.id for a in new_actors)
        return changes

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
        after = before.model_copy(update={**draft.card_fields(), "actors": actor_ids})
        after = _valid(after)  # the edited card obeys every rule
        changes = _one(before, after, member_id, now, owner=is_owner)
        changes.actors = new_actors
        changes.tally["actors"].added.extend(a.id for a in new_actors)
        return changes

    async def with_status(
        self, card_id: str, status: Status, *, guild_id: int, member_id: int, is_owner: bool
    ) -> ChangeSet:
        before = await self._editable(card_id, guild_id=guild_id, is_owner=is_owner)
        if before.status is status:
            raise AlreadyInStatus(card_id, status)
        if status is Status.PUBLISHED and not before.summary:
            where = f"card ({card_id})"
            raise InvalidPack([FieldProblem(FORM_SOURCE, where, "summary", NEEDS_SUMMARY)])
        after = before.model_copy(update={"status": status})
        return _one(before, after, member_id, None, owner=is_owner)

    async def save(
        self,
        changes: ChangeSet,
        *,
        guild_id: int,
        action: Action,
        member_id: int,
        is_owner: bool | None = None,
    ) -> list[Finding]:
        """Write it all or nothing, stamped as `member_id`'s, now (StaleCard if a card
        moved on since it was read). Shipped records are written only when the change
        was planned with owners' rights and `is_owner`, when given, still holds. With a
        source attached, a quote or anchor not in it refuses the write (InvalidPack);
        the lint's warnings are returned."""
        checks = self.source_checks
        warnings = await checks.on_save(changes, guild_id=guild_id) if checks else []
        owner = changes.owner if is_owner is None else changes.owner and is_owner
        at = now_utc()
        await self.store.apply(
            changes.stamped(by=member_id, at=at),
            scope=guild_id,
            owner=owner,
            action=action,
            member_id=member_id,
            at=at,
        )
        return warnings

    # --- files ----------------------------------------------------------------------------

    async def card(self, card_id: str, *, guild_id: int) -> Card | None:
        """A card this server's editors can see, in any status (drafts and archived too)."""
        return await self.store.card(card_id, guild_id=guild_id)

    async def manageable(
        self, text: str, *, guild_id: int, is_owner: bool, limit: int
    ) -> list[Card]:
        """Cards an editor may change here whose id or title contains `text`: the server's
        own, and for the bot's owners the shipped ones too."""
        cards = await self.store.cards(guild_id=guild_id, statuses=list(Status))
        wanted = text.casefold()
        return [
            c
            for c in cards
            if (c.guild_id is not None or is_owner) and wanted in f"{c.id} {c.title}".casefold()
        ][:limit]

    async def history(self, card_id: str) -> list[Revision]:
        """Who changed the card, when, and how, newest first."""
        return await self.store.history(card_id)

    async def known_ids(self, *, guild_id: int | None) -> KnownIds:
        """Ids a file may refer to without defining: what this server sees, and its own
        records also by their short names (the file's namespace is the server's); with
        no server, the global catalogue (a host's file)."""
        snapshot = await self.core.snapshot(guild_id=guild_id)
        shifts = await self.store.leverage(guild_id=guild_id)
        cards = await self.store.card_refs(guild_id=guild_id)
        return KnownIds(
            actors=_with_short(snapshot.actors, guild_id),
            events=_with_short(snapshot.events, guild_id),
            shifts=_with_short((s.id for s in shifts), guild_id),
            cards=_with_short((c.id for c in cards), guild_id),
        )

    async def plan_import(
        self, pack: PackFile, *, guild_id: int, is_owner: bool, source: str
    ) -> ImportPlan:
        """What importing would add, update and leave alone (a new slug: a new briefing
        of this server, `plan.new_briefing`); InvalidPack lists every record it may not
        write. Nothing is written here."""
        writer = Writer(guild_id, is_owner)
        existing = await self.store.existing(lookup(pack, writer))
        changes = plan(pack, existing, writer=writer, by=None, at=now_utc(), source=source)
        checks = self.source_checks
        warnings = (
            await checks.on_import(pack, briefing=changes.pack, guild_id=guild_id, source=source)
            if checks
            else []
        )
        return ImportPlan(changes, tuple(warnings))

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
                    id=local_id(guild_id, slugify(name))[:80],
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


def _one(
    before: Card, after: Card, member_id: int, now: datetime | None, *, owner: bool
) -> ChangeSet:
    """A change of one stored card, stamped as the next version."""
    stamped = stamp(
        after, by=member_id, at=now or now_utc(), version=before.version + 1, created=before
    )
    changes = ChangeSet(pack=before.pack, cards=[(before, stamped)], owner=owner)
    tally = changes.tally["cards"]
    (tally.archived if after.status is Status.ARCHIVED else tally.updated).append(after.id)
    return changes


def _valid(card: Card) -> Card:
    """The card re-validated whole; a rule it breaks (a published card left without a
    summary) is a problem of the form's field."""
    try:
        return Card.model_validate(card.model_dump())
    except ValidationError as exc:
        raise InvalidPack(
            [
                FieldProblem(FORM_SOURCE, f"card ({card.id})", str(e["loc"][0]), e["msg"])
                for e in exc.errors()
            ]
        ) from None


def _with_short(ids: Iterable[str], guild_id: int | None) -> frozenset[str]:
    if guild_id is None:
        return frozenset(ids)
    prefix = local_id(guild_id, "")
    found = set(ids)
    return frozenset(found | {i.removeprefix(prefix) for i in found if i.startswith(prefix)})
