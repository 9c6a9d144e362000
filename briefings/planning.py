"""Parts of a write plan beyond cards: the briefing's header, and its actors.

An actor is one record across briefings (id, name, kind, aliases); its role, and any
names a briefing uses for them beyond the record's, belong to that briefing
(`ActorRole`, stored in `actor_roles`). So importing or editing one briefing never
changes what another says about an actor. Pure: no I/O.

A server never changes a record outside its scope: when its file describes a global
actor (or one matched by name), the names it adds are kept as that briefing's aliases,
seen only by that server, and the kind the catalogue has wins.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from briefings.errors import FieldProblem
from briefings.models import Actor, Pack, PackFile, Status
from briefings.namespaces import ActorRole, Existing, RoleKey, Writer, actor_names
from briefings.search import fold

OWNERS_ONLY = "belongs to the shipped briefing; only the bot's owners can change it"
OTHER_SCOPE = "this id belongs to a record of another scope; give it a new id"


@dataclass(slots=True)
class ActorWrites:
    """The actor records and role rows one write makes, and how each actor fares."""

    actors: list[Actor] = field(default_factory=list)
    roles: list[ActorRole] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def role_scope(pack_scope: int | None, actor_scope: int | None) -> int | None:
    """Whose a role row is: a server's briefing's; in a global briefing, the actor's
    (a server's own actor named on the shipped briefing stays that server's)."""
    return pack_scope if pack_scope is not None else actor_scope


def plan_actors(
    file: PackFile,
    existing: Existing,
    writer: Writer,
    pack_scope: int | None,
    problems: list[FieldProblem],
    source: str,
) -> ActorWrites:
    """The file's actors: new records, changed ones (in the writer's scope only), and
    what this briefing says of each (`pack_scope`: whose briefing it is)."""
    out = ActorWrites()
    pack = file.pack.slug
    for i, actor in enumerate(file.actors):
        item = f"actor {i + 1} ({actor.id})"
        before = existing.actors.get(actor.id)
        scope = _actor_scope(actor, before, writer)
        identity = actor.model_copy(update={"guild_id": scope, "role": None})
        extra: tuple[str, ...] = ()
        changed = False
        if before is None:
            out.actors.append(identity)
            out.added.append(actor.id)
        elif before.guild_id != scope:
            problems.append(FieldProblem(source, item, "id", OTHER_SCOPE))
            continue
        elif identity.identity() != before.identity():
            if writer.scope is None or before.guild_id == writer.scope:
                out.actors.append(identity)
                changed = True
            else:  # a record outside the writer's scope: its new names are the briefing's
                known = set(actor_names(before))
                extra = tuple(n for n in (actor.name, *actor.aliases) if fold(n) not in known)
        written = len(out.roles)
        problem = _plan_role(actor, extra, existing, writer, out, pack, pack_scope, scope)
        if problem:
            problems.append(FieldProblem(source, item, "role", problem))
        elif before is not None:
            changed = changed or len(out.roles) > written
            (out.updated if changed else out.unchanged).append(actor.id)
    return out


def _plan_role(
    actor: Actor,
    extra: tuple[str, ...],
    existing: Existing,
    writer: Writer,
    out: ActorWrites,
    pack: str,
    pack_scope: int | None,
    scope: int | None,
) -> str | None:
    key: RoleKey = (actor.id, pack)
    stored = existing.roles.get(key)
    if actor.role is None and not extra and stored is None:
        return None
    row_scope = role_scope(pack_scope, scope)
    aliases = tuple(dict.fromkeys((*(stored.aliases if stored else ()), *extra)))
    row = ActorRole(actor.id, pack, row_scope, actor.role, aliases)
    if stored == row:
        return None
    if stored is not None and stored.guild_id != row_scope:
        return OTHER_SCOPE
    if not writer.may_write(row_scope):
        return OWNERS_ONLY
    out.roles.append(row)
    return None


def _actor_scope(actor: Actor, before: Actor | None, writer: Writer) -> int | None:
    if writer.scope is None:
        return actor.guild_id
    return before.guild_id if before is not None else writer.scope


def plan_briefing(
    header: Pack,
    existing: Existing,
    writer: Writer,
    *,
    by: int | None,
    at: datetime,
) -> tuple[Pack, Pack | None, bool]:
    """The briefing's row as this write leaves it, the row to write (None: unchanged),
    and whether the write creates it. A server's file with a new slug makes a new
    briefing of that server; one naming its own briefing may change its header; one
    naming a global briefing leaves it as it is (owners may change it)."""
    before = existing.packs.get(header.slug)
    scope = header.guild_id if writer.scope is None else writer.scope
    if before is not None:
        scope = before.guild_id if writer.scope is not None else scope
    after = header.model_copy(update={"guild_id": scope})
    if before is None:
        after = after.model_copy(
            update={
                "version": max(header.version, 1) if writer.scope is None else 1,
                "created_at": at,
                "created_by": by,
                "published_at": at if after.status is Status.PUBLISHED else None,
            }
        )
        return after, after, True
    after = after.model_copy(
        update={
            "version": before.version,
            "created_at": before.created_at,
            "created_by": before.created_by,
            "published_at": before.published_at
            or (at if after.status is Status.PUBLISHED else None),
        }
    )
    if after.content() == before.content():
        return before, None, False
    if not writer.may_write(before.guild_id):
        # A server adds its own cards to a global briefing; its header is not the
        # server's to change, so the file's is not written (files name it by slug).
        return before, None, False
    after = after.model_copy(update={"version": before.version + 1})
    return after, after, False
