"""Whose record an id names: writers' scopes and a server's own id namespace. Pure.

In a server's file an id either names a shipped (global) record or is that server's
own, stored as `g<guild id>-<id>`. Guild ids are digits and end at the first '-', so
the prefix is unambiguous: whatever a file says, it can only name shipped records and
the importing server's own. References inside the file are mapped the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from briefings.errors import FieldProblem
from briefings.models import Actor, Card, Event, LeverageShift, Pack, PackFile, Relation
from briefings.search import fold

RelationKey = tuple[int | None, str, str, str, str]
"""(guild_id, pack, source, target, kind): a relation is unique per scope and briefing."""

RoleKey = tuple[str, str]
"""(actor id, pack): what one briefing says about one actor."""

MAX_ID = 80  # models.Slug
OTHER_SERVER = re.compile(r"^g(\d+)-")
"""A slug in another server's namespace: refused in a file, whether or not it exists."""


def relation_key(relation: Relation, pack: str) -> RelationKey:
    return (relation.guild_id, pack, relation.source, relation.target, relation.kind.value)


def local_id(guild_id: int, ident: str) -> str:
    """A server's own id as stored: with its prefix, added once."""
    prefix = f"g{guild_id}-"
    return ident if ident.startswith(prefix) else prefix + ident


@dataclass(frozen=True, slots=True)
class Writer:
    """Who writes, and so which scopes a write may touch."""

    scope: int | None
    """The server writing, or None for the host's own pack loads (seeding, the CLI)."""
    owner: bool = False
    """One of the bot's owners: may also change shipped (global) records."""

    def may_write(self, guild_id: int | None) -> bool:
        if self.scope is None:
            return True  # the host, with its own files on its own disk
        return guild_id == self.scope or (guild_id is None and self.owner)


@dataclass(slots=True)
class Existing:
    """The stored records a plan compares against, by stored id. For a server: shipped
    records and its own only, never another server's, so no plan can reveal one."""

    cards: dict[str, Card] = field(default_factory=dict)
    actors: dict[str, Actor] = field(default_factory=dict)
    events: dict[str, Event] = field(default_factory=dict)
    shifts: dict[str, LeverageShift] = field(default_factory=dict)
    relations: dict[RelationKey, Relation] = field(default_factory=dict)
    pack_events: set[str] = field(default_factory=set)
    pack_shifts: set[str] = field(default_factory=set)
    pack_relations: set[RelationKey] = field(default_factory=set)
    """A host's load: the pack's shipped records, to drop those the file no longer has."""
    pack_version: int | None = None
    packs: dict[str, Pack] = field(default_factory=dict)
    """The stored briefings the file's slug may name (for a server: its local form too)."""
    roles: dict[RoleKey, ActorRole] = field(default_factory=dict)
    """What the stored briefings say about the actors the file names."""
    homes: dict[tuple[str, str], str | None] = field(default_factory=dict)
    """(table, id) -> the briefing a stored event or shift belongs to."""
    names: dict[str, str] = field(default_factory=dict)
    """For a server: the folded names and aliases of the actors it sees -> their ids."""


@dataclass(frozen=True, slots=True)
class ActorRole:
    """What one briefing says about one actor: the role, and names it uses for them
    beyond the shared record's (kept with the briefing, so only its readers see them)."""

    actor: str
    pack: str
    guild_id: int | None
    role: str | None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Lookup:
    """What a plan must read first: every id the file names, per table. For a server,
    with each id's local form too, and only shipped and that server's rows are read."""

    pack: str
    scope: int | None
    ids: Mapping[str, frozenset[str]]
    """Table name (cards, actors, events, leverage, packs) -> ids."""
    names: bool = False
    """Whether actors must be matched by name and alias too (a server's file)."""


def lookup(pack: PackFile, writer: Writer) -> Lookup:
    named: dict[str, set[str]] = {
        "cards": {c.id for c in pack.cards},
        "actors": {a.id for a in pack.actors},
        "events": {e.id for e in pack.events},
        "leverage": {s.id for s in pack.leverage},
    }
    for event in pack.events:
        named["actors"].update(event.actors)
    for shift in pack.leverage:
        named["actors"].update((shift.actor, shift.over))
        named["cards"].update(shift.evidence)
    for rel in pack.relations:
        named["actors"].update((rel.source, rel.target))
        named["cards"].update(rel.evidence)
    for card in pack.cards:
        named["actors"].update(card.actors)
        named["events"].update(card.events)
        named["leverage"].update(card.leverage)
    named["packs"] = {pack.pack.slug}
    scope = writer.scope
    if scope is not None:
        named = {table: ids | {local_id(scope, i) for i in ids} for table, ids in named.items()}
    frozen = {t: frozenset(ids) for t, ids in named.items()}
    return Lookup(pack.pack.slug, scope, frozen, names=scope is not None and bool(pack.actors))


def stored_slug(slug: str, existing: Existing, scope: int) -> str:
    """The briefing a server's file names: a global one by its slug, else the server's own."""
    found = existing.packs.get(slug)
    return slug if found is not None and found.guild_id is None else local_id(scope, slug)


def foreign_slug(slug: str, scope: int) -> bool:
    """Whether a server's file names a briefing in another server's namespace."""
    match = OTHER_SERVER.match(slug)
    return match is not None and int(match[1]) != scope


def actor_names(actor: Actor) -> list[str]:
    return [fold(n) for n in (actor.name, *actor.aliases)]


def localised(
    pack: PackFile, existing: Existing, scope: int, problems: list[FieldProblem], source: str
) -> PackFile:
    """The file with every id and reference in the server's namespace: kept when it
    names a shipped record or one of the server's own, else given the server's prefix."""
    stored: dict[str, Mapping[str, Any]] = {
        "cards": existing.cards,
        "actors": existing.actors,
        "events": existing.events,
        "leverage": existing.shifts,
    }

    matched = _matched_actors(pack.actors, existing, scope)

    def name(table: str, ident: str) -> str:
        if table == "actors" and ident in matched:
            return matched[ident]
        return ident if ident in stored[table] else local_id(scope, ident)

    def names(table: str, idents: Iterable[str]) -> list[str]:
        return [name(table, i) for i in idents]

    slug = stored_slug(pack.pack.slug, existing, scope)
    actors = [a.model_copy(update={"id": name("actors", a.id)}) for a in pack.actors]
    events = [
        e.model_copy(update={"id": name("events", e.id), "actors": names("actors", e.actors)})
        for e in pack.events
    ]
    shifts = [
        s.model_copy(
            update={
                "id": name("leverage", s.id),
                "actor": name("actors", s.actor),
                "over": name("actors", s.over),
                "evidence": names("cards", s.evidence),
            }
        )
        for s in pack.leverage
    ]
    relations = [
        r.model_copy(
            update={
                "source": name("actors", r.source),
                "target": name("actors", r.target),
                "evidence": names("cards", r.evidence),
            }
        )
        for r in pack.relations
    ]
    cards = [
        c.model_copy(
            update={
                "id": name("cards", c.id),
                "actors": names("actors", c.actors),
                "events": names("events", c.events),
                "leverage": names("leverage", c.leverage),
                "pack": slug,
            }
        )
        for c in pack.cards
    ]
    for label, raw, mapped in (
        ("actor", pack.actors, actors),
        ("event", pack.events, events),
        ("leverage", pack.leverage, shifts),
        ("card", pack.cards, cards),
    ):
        _check_ids(label, [r.id for r in raw], [m.id for m in mapped], problems, source)
    return pack.model_copy(
        update={
            "pack": pack.pack.model_copy(update={"slug": slug}),
            "actors": actors,
            "events": events,
            "leverage": shifts,
            "relations": relations,
            "cards": cards,
        }
    )


def _matched_actors(actors: list[Actor], existing: Existing, scope: int) -> dict[str, str]:
    """A file's actors that are stored already under another id, matched by name or alias
    (a server's own, or a global one): file id -> stored id. An id the server sees wins."""
    matched: dict[str, str] = {}
    for actor in actors:
        if actor.id in existing.actors or local_id(scope, actor.id) in existing.actors:
            continue
        for folded in actor_names(actor):
            if folded in existing.names:
                matched[actor.id] = existing.names[folded]
                break
    return matched


def _check_ids(
    label: str, raw: list[str], mapped: list[str], problems: list[FieldProblem], source: str
) -> None:
    seen: set[str] = set()
    for i, (given, ident) in enumerate(zip(raw, mapped, strict=True)):
        where = f"{label} {i + 1} ({given})"
        if len(ident) > MAX_ID:
            prefix = ident[: len(ident) - len(given)]
            problem = f"at most {MAX_ID - len(prefix)} characters (stored as {prefix}<id>)"
            problems.append(FieldProblem(source, where, "id", problem))
        elif ident in seen:
            problems.append(FieldProblem(source, where, "id", f"the same record as {ident!r}"))
        seen.add(ident)
