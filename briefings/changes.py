"""What a write changes, decided once for every way cards arrive. Pure: no I/O.

A shipped pack loaded by the host, a server's import, the card form and a status change
each become a `ChangeSet`; the store's `apply` writes it whole, or nothing.

Scopes are decided by the writer, never by a file. The host's pack loads (seeding, the
CLI) write what the file says. In a server's import, ids are that server's namespace:
an id names a shipped (global) record, which only the bot's owners may change, or else
is the server's own, stored as `g<guild id>-<id>` (see `namespaces`). So no file can
name another server's record, and an import reads the same whether or not one exists.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Literal

from briefings.errors import FieldProblem, InvalidPack
from briefings.models import (
    Actor,
    Card,
    Concept,
    Event,
    LeverageShift,
    Pack,
    PackFile,
    Relation,
    Status,
)
from briefings.namespaces import (
    ActorRole,
    Existing,
    RelationKey,
    RoleKey,
    Writer,
    foreign_slug,
    localised,
    relation_key,
)
from briefings.planning import OTHER_SCOPE, OWNERS_ONLY, plan_actors, plan_briefing

__all__ = [
    "OWNERS_ONLY",
    "Action",
    "ChangeSet",
    "Existing",
    "Tally",
    "Writer",
    "content_hash",
    "feed_entry",
    "plan",
    "stamp",
]

Action = Literal["add", "edit", "publish", "archive", "restore", "import", "load"]
Kind = Literal["cards", "actors", "events", "leverage", "relations"]
KINDS: tuple[Kind, ...] = ("cards", "actors", "events", "leverage", "relations")

OTHER_BRIEFING = "belongs to the briefing {pack!r}; give this record a new id"
FOREIGN_SLUG = "names another server's briefing; give your briefing its own slug"


@dataclass(slots=True)
class Tally:
    """Ids by what a write does to them. For catalogue records, which have no status,
    `archived` means dropped from the pack (deleted); cards are archived, never deleted."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    archived: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ChangeSet:
    """Everything one write changes, applied in one transaction."""

    pack: str
    cards: list[tuple[Card | None, Card]] = field(default_factory=list)
    """(the card as the writer saw it, or None for a new one; the card to write)."""
    actors: list[Actor] = field(default_factory=list)
    """Actor records (who they are); what this briefing says of them is in `roles`."""
    roles: list[ActorRole] = field(default_factory=list)
    removed_roles: list[RoleKey] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    shifts: list[LeverageShift] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    removed_events: list[str] = field(default_factory=list)
    removed_shifts: list[str] = field(default_factory=list)
    removed_relations: list[RelationKey] = field(default_factory=list)
    concepts: list[Concept] = field(default_factory=list)
    """The file's concept aliases, in the writer's scope (they replace that scope's)."""
    pack_meta: Pack | None = None
    """The briefing's row when this write creates or changes it (with its new version):
    a pack load, a server's import of a new briefing, the briefing desk."""
    new_pack: bool = False
    """This write creates the briefing."""
    pack_seen: int | None = None
    """The briefing's version its editor saw: the write is refused (StaleBriefing) if it
    moved on meanwhile. None: not checked (imports, pack loads)."""
    pack_hash: str = ""
    owner: bool = False
    """Planned with the owners' rights: shipped records may be among the writes."""
    tally: dict[Kind, Tally] = field(default_factory=lambda: {k: Tally() for k in KINDS})

    @property
    def empty(self) -> bool:
        return not (
            self.cards
            or self.pack_meta
            or self.actors
            or self.roles
            or self.removed_roles
            or self.events
            or self.shifts
            or self.relations
            or self.removed_events
            or self.removed_shifts
            or self.removed_relations
        )

    def stamped(self, *, by: int | None, at: datetime) -> ChangeSet:
        """The same writes, stamped as made by `by` at `at` (versions stay as planned)."""
        cards = [
            (before, stamp(after, by=by, at=at, version=after.version, created=before))
            for before, after in self.cards
        ]
        return replace(self, cards=cards)


def stamp(
    card: Card, *, by: int | None, at: datetime, version: int, created: Card | None = None
) -> Card:
    """The card as the store keeps it: this write's version, member and time. Who
    created it and when come from the stored card `created` (this write, for a new
    card), never from what the input carried: a file cannot forge them."""
    first_at, first_by = (created.created_at or at, created.created_by) if created else (at, by)
    return card.model_copy(
        update={
            "version": version,
            "created_at": first_at,
            "created_by": first_by,
            "updated_at": at,
            "updated_by": by,
        }
    )


def feed_entry(before: Card | None, after: Card) -> tuple[str, list[str]] | None:
    """The delivery-feed rule: ('new' | 'update', changed fields) for a change that
    subscribers receive, or None. Only published cards are delivered; a card that was
    published already is an update, and only when one of its fields changed."""
    if after.status is not Status.PUBLISHED:
        return None
    if before is None or before.status is not Status.PUBLISHED:
        return ("new", [])
    fields = after.changed_fields(before)
    return ("update", fields) if fields else None


def content_hash(pack: PackFile) -> str:
    """A pack file's content, without bookkeeping: the same hash means nothing to do."""
    data = pack.model_dump(
        mode="json",
        exclude={"cards": {"__all__": set(Card.BOOKKEEPING)}, "pack": set(Pack.BOOKKEEPING)},
    )
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def plan(
    pack: PackFile,
    existing: Existing,
    *,
    writer: Writer,
    by: int | None,
    at: datetime,
    source: str = "pack",
    pack_hash: str | None = None,
) -> ChangeSet:
    """What writing `pack` as `writer` changes, compared with the stored `existing`
    records; InvalidPack lists every record it may not write. A host's pack load also
    archives the pack's cards the file no longer has and drops its other records
    (`pack_hash`: the file's `content_hash`, when the caller has it already)."""
    problems: list[FieldProblem] = []
    if writer.scope is not None:
        if foreign_slug(pack.pack.slug, writer.scope):
            raise InvalidPack([FieldProblem(source, "pack", "slug", FOREIGN_SLUG)])
        pack = localised(pack, existing, writer.scope, problems, source)
    changes = ChangeSet(pack=pack.pack.slug, owner=writer.owner)
    meta, changes.pack_meta, changes.new_pack = plan_briefing(
        pack.pack, existing, writer, by=by, at=at
    )
    if meta.status is Status.DRAFT:  # a draft briefing's cards wait for it
        pack = pack.model_copy(update={"cards": [_as_draft(c) for c in pack.cards]})
    _plan_cards(pack.cards, existing, writer, changes, problems, source, by=by, at=at)
    made = plan_actors(pack, existing, writer, meta.guild_id, problems, source)
    changes.actors, changes.roles = made.actors, made.roles
    changes.tally["actors"] = Tally(made.added, made.updated, made.unchanged)
    catalogue: list[tuple[str, Kind, Sequence[Any], dict[str, Any], list[Any]]] = [
        ("event", "events", pack.events, existing.events, changes.events),
        ("leverage", "leverage", pack.leverage, existing.shifts, changes.shifts),
    ]
    for label, kind, records, stored, out in catalogue:
        tally = changes.tally[kind]
        homes = {i: h for (t, i), h in existing.homes.items() if t == kind}
        _plan_records(
            label, records, stored, writer, out, tally, problems, source, homes, changes.pack
        )
    _plan_relations(pack.relations, existing, writer, changes, problems, source)
    changes.concepts = [c.model_copy(update={"guild_id": writer.scope}) for c in pack.concepts]
    if problems:
        raise InvalidPack(problems)
    if writer.scope is None:
        _plan_pack(pack, existing, changes, by=by, at=at)
        changes.pack_hash = pack_hash or content_hash(pack)
    return changes


def _as_draft(card: Card) -> Card:
    if card.status is not Status.PUBLISHED:
        return card
    return card.model_copy(update={"status": Status.DRAFT})


def _verdict(before_scope: int | None, scope: int | None, same: bool, writer: Writer) -> str:
    """'updated' or 'unchanged' for a record that exists, or why it may not be written."""
    if before_scope != scope:
        return OTHER_SCOPE  # only a host's file can ask to move a record
    if same:
        return "unchanged"
    if not writer.may_write(before_scope):
        return OWNERS_ONLY if before_scope is None else OTHER_SCOPE
    return "updated"


def _scope(record_scope: int | None, before: Any, writer: Writer) -> int | None:
    """Where a record is written: where the host's file says; for a server, where the
    stored record is (a named shipped one), or else the server's own."""
    if writer.scope is None:
        return record_scope
    return before.guild_id if before is not None else writer.scope


def _plan_cards(
    cards: Sequence[Card],
    existing: Existing,
    writer: Writer,
    changes: ChangeSet,
    problems: list[FieldProblem],
    source: str,
    *,
    by: int | None,
    at: datetime,
) -> None:
    tally = changes.tally["cards"]
    for i, card in enumerate(cards):
        before = existing.cards.get(card.id)
        scope = _scope(card.guild_id, before, writer)
        candidate = card if scope == card.guild_id else card.model_copy(update={"guild_id": scope})
        if before is None:
            changes.cards.append((None, stamp(candidate, by=by, at=at, version=1)))
            tally.added.append(card.id)
            continue
        same = before.content() == candidate.content()
        verdict = _verdict(before.guild_id, candidate.guild_id, same, writer)
        if before.pack != card.pack and verdict in ("unchanged", "updated"):
            verdict = OTHER_BRIEFING.format(pack=before.pack)  # never moved between briefings
        if verdict == "unchanged":
            tally.unchanged.append(card.id)
        elif verdict == "updated":
            after = stamp(candidate, by=by, at=at, version=before.version + 1, created=before)
            changes.cards.append((before, after))
            tally.updated.append(card.id)
        else:
            problems.append(FieldProblem(source, f"card {i + 1} ({card.id})", "id", verdict))


Catalogued = Event | LeverageShift | Relation


def _plan_records(
    label: str,
    records: Sequence[Event | LeverageShift],
    stored: dict[str, Any],
    writer: Writer,
    out: list[Any],
    tally: Tally,
    problems: list[FieldProblem],
    source: str,
    homes: dict[str, str | None],
    pack: str = "",
) -> None:
    for i, record in enumerate(records):
        before = stored.get(record.id)
        candidate = record.model_copy(update={"guild_id": _scope(record.guild_id, before, writer)})
        home = homes.get(record.id)
        if before is not None and home not in (None, pack) and before != candidate:
            problem: str | None = OTHER_BRIEFING.format(pack=home)
        else:
            problem = _settle(record.id, before, candidate, writer, out, tally)
        if problem:
            problems.append(FieldProblem(source, f"{label} {i + 1} ({record.id})", "id", problem))


def _plan_relations(
    relations: Sequence[Relation],
    existing: Existing,
    writer: Writer,
    changes: ChangeSet,
    problems: list[FieldProblem],
    source: str,
) -> None:
    """A relation is named by its triple: a server's either names the shipped one with
    the same triple or is the server's own (one per scope: see migration 004)."""
    tally = changes.tally["relations"]
    pack = changes.pack
    for i, relation in enumerate(relations):
        shipped = existing.relations.get((None, *relation_key(relation, pack)[1:]))
        candidate = relation.model_copy(
            update={"guild_id": _scope(relation.guild_id, shipped, writer)}
        )
        before = existing.relations.get(relation_key(candidate, pack))
        name = _relation_name(candidate)
        problem = _settle(name, before, candidate, writer, changes.relations, tally)
        if problem:
            problems.append(FieldProblem(source, f"relation {i + 1} ({name})", "source", problem))


def _settle(
    name: str,
    before: Catalogued | None,
    candidate: Catalogued,
    writer: Writer,
    out: list[Any],
    tally: Tally,
) -> str | None:
    """Count a catalogue record and keep it for writing if it is new or changed; or
    say why it may not be written."""
    if before is None:
        out.append(candidate)
        tally.added.append(name)
        return None
    same = before.model_dump() == candidate.model_dump()
    verdict = _verdict(before.guild_id, candidate.guild_id, same, writer)
    if verdict == "unchanged":
        tally.unchanged.append(name)
    elif verdict == "updated":
        out.append(candidate)
        tally.updated.append(name)
    else:
        return verdict
    return None


def _plan_pack(
    pack: PackFile, existing: Existing, changes: ChangeSet, *, by: int | None, at: datetime
) -> None:
    """A host's load: the pack row with its new version; what the file no longer has."""
    meta = changes.pack_meta or existing.packs.get(pack.pack.slug) or pack.pack
    version = pack.pack.version
    if existing.pack_version is not None:
        version = max(version, existing.pack_version + 1)
    changes.pack_meta = meta.model_copy(update={"version": version})
    kept_roles = {(r.actor, r.pack) for r in changes.roles} | {
        (a.id, pack.pack.slug) for a in pack.actors
    }
    changes.removed_roles = sorted(
        key
        for key, row in existing.roles.items()
        if key[1] == pack.pack.slug and row.guild_id is None and key not in kept_roles
    )
    kept = {c.id for c in pack.cards}
    for before in existing.cards.values():
        if (
            before.pack == pack.pack.slug
            and before.guild_id is None
            and before.id not in kept
            and before.status is not Status.ARCHIVED
        ):
            archived = before.model_copy(update={"status": Status.ARCHIVED})
            after = stamp(archived, by=by, at=at, version=before.version + 1, created=before)
            changes.cards.append((before, after))
            changes.tally["cards"].archived.append(before.id)
    changes.removed_events = sorted(existing.pack_events - {e.id for e in pack.events})
    changes.removed_shifts = sorted(existing.pack_shifts - {s.id for s in pack.leverage})
    gone = existing.pack_relations - {relation_key(r, pack.pack.slug) for r in pack.relations}
    changes.removed_relations = sorted(gone, key=lambda k: k[1:])
    changes.tally["events"].archived = list(changes.removed_events)
    changes.tally["leverage"].archived = list(changes.removed_shifts)
    changes.tally["relations"].archived = [f"{s} {k} {t}" for _, _, s, t, k in gone]


def _relation_name(relation: Relation) -> str:
    return f"{relation.source} {relation.kind.value} {relation.target}"
