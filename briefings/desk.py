"""The briefing desk: editors start, edit and publish whole briefings; owners make one
global. Cards are edited with `CardEditor`; this is the level above them.

A server's briefing is its own (`g<guild>-<slug>`): seen by its members once published,
by its editors while a draft, never by another server. Every change goes through the one
write path (`CardStore.apply`), so scope and stale-version checks happen in its
transaction, and publishing a briefing with its draft cards is one change set: one
transaction, one batch for subscribers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from pydantic import HttpUrl, ValidationError

from briefings.changes import ChangeSet, stamp
from briefings.errors import (
    AlreadyInStatus,
    BriefingError,
    FieldProblem,
    InvalidPack,
    NotFound,
    PermissionDenied,
    StaleBriefing,
)
from briefings.forms import plain_problem, slugify
from briefings.models import Model, Pack, ShortText, Status, Text, now_utc
from briefings.namespaces import local_id
from briefings.store import CardStore

__all__ = [
    "BRIEFING_FORM",
    "AlreadyGlobal",
    "BriefingDesk",
    "BriefingDraft",
    "PublishReport",
    "StaleBriefing",
]

BRIEFING_FORM = "briefing form"
"""The source of a form's problems; their `field` is the form field's name ("published")."""
NEEDS_SUMMARY = "write a summary first: a published card needs one"
OWNERS_ONLY = "is a global briefing; only the bot's owners can change it"
SLUG_ROOM = 55
"""Characters of the title kept in a slug (the server prefix and a counter fit after)."""


class BriefingDraft(Model):
    """What an editor typed into the briefing form: the article it summarises."""

    title: ShortText
    author: ShortText
    publisher: ShortText
    original_publisher: ShortText | None = None
    published: date
    """The article's publication date."""
    source_url: HttpUrl
    bottom_line: Text | None = None
    """The article's main argument in one or two sentences, in our words."""
    pivot: ShortText | None = None
    """The event the briefing's before/after periods are relative to, if any."""
    description: Text | None = None

    @classmethod
    def from_form(cls, **fields: str | None) -> BriefingDraft:
        """Parse the form's text fields (blank optional ones are left out); every problem
        is reported by field."""
        raw: dict[str, Any] = {
            name: value.strip() for name, value in fields.items() if value and value.strip()
        }
        try:
            return cls.model_validate(raw)
        except ValidationError as exc:
            raise InvalidPack(
                [
                    FieldProblem(BRIEFING_FORM, "briefing", str(e["loc"][0]), plain_problem(e))
                    for e in exc.errors()
                ]
            ) from None

    def header(self) -> dict[str, Any]:
        """The fields a briefing's row takes from the form."""
        return self.model_dump()


@dataclass(frozen=True, slots=True)
class PublishReport:
    """A briefing published: its row as stored, and the draft cards published with it."""

    briefing: Pack
    cards: list[str] = field(default_factory=list)
    """Ids of the cards this publish published, in section order."""


class BriefingDesk:
    def __init__(self, store: CardStore) -> None:
        self.store = store

    # --- reading ----------------------------------------------------------------------

    async def briefings(self, guild_id: int | None, *, editors: bool = False) -> list[Pack]:
        """The briefings a server sees, newest article first: global ones and its own,
        published; with `editors`, its own drafts too."""
        return await self.store.briefings(guild_id=guild_id, drafts=editors)

    async def briefing(self, slug: str, *, guild_id: int | None, editors: bool = False) -> Pack:
        """One briefing the server sees (NotFound otherwise, another server's included)."""
        found = await self.store.pack(slug)
        if found is None or found.guild_id not in (None, guild_id):
            raise NotFound("briefing", slug)
        if found.status is not Status.PUBLISHED and not (editors and found.guild_id is not None):
            raise NotFound("briefing", slug)
        return found

    # --- writing ----------------------------------------------------------------------

    async def create_briefing(
        self, draft: BriefingDraft, *, guild_id: int, member: int, now: datetime | None = None
    ) -> Pack:
        """A new draft briefing of this server, its slug made from the title (namespaced
        and unique)."""
        at = now or now_utc()
        slug = await self._free_slug(
            local_id(guild_id, slugify(draft.title, room=SLUG_ROOM, fallback="briefing"))
        )
        briefing = Pack(
            slug=slug,
            **draft.header(),
            guild_id=guild_id,
            status=Status.DRAFT,
            created_at=at,
            created_by=member,
        )
        changes = ChangeSet(pack=slug, pack_meta=briefing, new_pack=True)
        await self.store.apply(changes, scope=guild_id, action="add", member_id=member, at=at)
        return briefing

    async def update_briefing(
        self,
        slug: str,
        draft: BriefingDraft,
        *,
        guild_id: int,
        member: int,
        expected_version: int,
        is_owner: bool = False,
    ) -> Pack:
        """The briefing's header as the form says; StaleBriefing (nothing written) if it
        changed since the editor read version `expected_version`."""
        before = await self._editable(slug, guild_id=guild_id, is_owner=is_owner)
        if before.version != expected_version:
            raise StaleBriefing(before)
        after = before.model_copy(update={**draft.header(), "version": before.version + 1})
        if after.content() == before.content():
            return before
        changes = ChangeSet(pack=slug, pack_meta=after, pack_seen=before.version, owner=is_owner)
        await self.store.apply(
            changes, scope=guild_id, owner=is_owner, action="edit", member_id=member, at=now_utc()
        )
        return after

    async def publish_briefing(
        self, slug: str, *, guild_id: int, member: int, is_owner: bool = False
    ) -> PublishReport:
        """Publish the briefing and all its draft cards in one write (one change set, one
        batch for subscribers), its `published_at` set in the same transaction. InvalidPack
        (nothing written) names every draft card with an empty summary."""
        before = await self._editable(slug, guild_id=guild_id, is_owner=is_owner)
        drafts = [
            c
            for c in await self.store.cards(guild_id=guild_id, pack=slug, statuses=[Status.DRAFT])
            if c.guild_id == before.guild_id
        ]
        if before.status is Status.PUBLISHED and not drafts:
            raise AlreadyInStatus(slug, Status.PUBLISHED)
        empty = [
            FieldProblem(BRIEFING_FORM, f"card {c.section} ({c.id})", "summary", NEEDS_SUMMARY)
            for c in drafts
            if not c.summary
        ]
        if empty:
            raise InvalidPack(empty)
        at = now_utc()
        after = before.model_copy(
            update={
                "status": Status.PUBLISHED,
                "published_at": before.published_at or at,
                "version": before.version + 1,
            }
        )
        changes = ChangeSet(pack=slug, pack_meta=after, pack_seen=before.version, owner=is_owner)
        for card in drafts:
            published = card.model_copy(update={"status": Status.PUBLISHED})
            changes.cards.append(
                (card, stamp(published, by=member, at=at, version=card.version + 1, created=card))
            )
            changes.tally["cards"].updated.append(card.id)
        await self.store.apply(
            changes, scope=guild_id, owner=is_owner, action="publish", member_id=member, at=at
        )
        return PublishReport(after, [c.id for c in drafts])

    async def make_global(self, slug: str, *, owner: int) -> Pack:
        """Every server sees the briefing from now on, with its cards and records.
        For the bot's owners only: the caller has checked that `owner` is one."""
        before = await self.store.pack(slug)
        if before is None:
            raise NotFound("briefing", slug)
        if before.guild_id is None:
            raise AlreadyGlobal(slug)
        return await self.store.make_global(slug, by=owner, at=now_utc())

    # --- helpers ----------------------------------------------------------------------

    async def _editable(self, slug: str, *, guild_id: int, is_owner: bool) -> Pack:
        found = await self.store.pack(slug)
        if found is None or found.guild_id not in (None, guild_id):
            raise NotFound("briefing", slug)
        if found.guild_id is None and not is_owner:
            raise PermissionDenied(f"“{found.title}” {OWNERS_ONLY}.")
        return found

    async def _free_slug(self, base: str) -> str:
        taken = {p.slug for p in await self.store.packs()}
        candidate, n = base, 1
        while candidate in taken:
            n += 1
            candidate = f"{base}-{n}"
        return candidate


class AlreadyGlobal(BriefingError):
    """make_global on a briefing every server sees already."""

    def __init__(self, slug: str) -> None:
        self.slug = slug
        super().__init__(f"Briefing {slug!r} is already global.")
