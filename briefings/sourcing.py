"""Sources: a server's editors attach a briefing's article (a file or a URL), and it drives
the quote and anchor checks and the faithfulness lint on every save, and proposes drafts.

A source belongs to the pack and the server that attached it: only that server's editors
read it, and only through this service (members never see it whole). Extraction and
drafting are CPU work and run in worker threads, a few at a time, never on the event loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import ParamSpec, TypeVar

from briefings.changes import ChangeSet, stamp
from briefings.editing import CardEditor
from briefings.errors import FieldProblem, InvalidPack, NotFound
from briefings.faithfulness import Finding
from briefings.models import Actor, Pack, PackFile, Status, now_utc
from briefings.sources import cards as drafted
from briefings.sources import draft as drafting
from briefings.sources.checks import check
from briefings.sources.errors import SourceRefused
from briefings.sources.extract import Extracted, media_type_of
from briefings.sources.fetch import fetch
from briefings.sources.limits import MAX_SOURCE_BYTES, SHOW_LINES, FetchLimits
from briefings.sources.model import Replaced, Source, SourceKind, digest
from briefings.sources.worker import extract_off_loop
from briefings.store import sources as rows

P = ParamSpec("P")
R = TypeVar("R")

WORKERS = 2
"""Extractions and drafts at once (the machine's cores are the bot's too)."""
LINE_CHARS = 200


@dataclass(frozen=True, slots=True)
class Attached:
    source: Source
    replaced: Replaced | None
    mismatches: list[FieldProblem]
    """Quotes and anchors of the briefing's cards (seen here, not archived) that this
    source lacks: each card must match it before its next save."""


@dataclass(frozen=True, slots=True)
class DraftCards:
    """What `create_drafts` wrote: the draft cards' ids, and the names left to the editor."""

    ids: list[str]
    new_names: list[str]
    warnings: list[Finding]


@dataclass(frozen=True, slots=True)
class Overview:
    """What `/source show` says: never the text itself, beyond its first lines."""

    source: Source
    characters: int
    words: int
    sections: int
    by_headings: bool
    first_lines: tuple[str, ...]
    replaced: tuple[Replaced, ...]


class SourceService:
    def __init__(self, editor: CardEditor, *, fetch_limits: FetchLimits | None = None) -> None:
        self.editor = editor
        self.store = editor.store
        self.fetch_limits = fetch_limits or FetchLimits()
        self._workers = asyncio.Semaphore(WORKERS)

    def configure(self, *, allow_loopback: bool) -> None:
        """Tests only: let fetches reach this machine (the bot's SOURCE_ALLOW_LOOPBACK)."""
        self.fetch_limits = replace(self.fetch_limits, allow_loopback=allow_loopback)

    # --- attaching --------------------------------------------------------------------

    async def attach_file(
        self, pack: str, raw: bytes, filename: str, *, guild_id: int, member_id: int
    ) -> Attached:
        """A text, Markdown or HTML file as the pack's source here (replacing any)."""
        await self._pack(pack, guild_id=guild_id)
        media_type = media_type_of(filename)
        if len(raw) > MAX_SOURCE_BYTES:
            raise SourceRefused("too-large", limit=MAX_SOURCE_BYTES)
        extracted = await self._extract(raw, media_type, None)
        return await self._keep(pack, "file", filename[:200], extracted, guild_id, member_id)

    async def attach_url(self, pack: str, url: str, *, guild_id: int, member_id: int) -> Attached:
        """The page at `url`, fetched within the limits, as the pack's source here."""
        await self._pack(pack, guild_id=guild_id)
        page = await fetch(url, self.fetch_limits)
        extracted = await self._extract(page.raw, page.media_type, page.charset)
        return await self._keep(pack, "url", page.url, extracted, guild_id, member_id)

    async def _extract(self, raw: bytes, media_type: str, charset: str | None) -> Extracted:
        async with self._workers:
            return await extract_off_loop(raw, media_type, charset)

    async def _keep(
        self,
        pack: str,
        kind: SourceKind,
        location: str,
        extracted: Extracted,
        guild_id: int,
        member_id: int,
    ) -> Attached:
        source = Source(
            pack=pack,
            guild_id=guild_id,
            kind=kind,
            location=location,
            media_type=extracted.media_type,
            title=extracted.title,
            text=extracted.text,
            sha256=digest(extracted.text),
            attached_at=now_utc(),
            attached_by=member_id,
        )
        replaced = await rows.attach(self.store.db, source)
        return Attached(source, replaced, await self._mismatches(source))

    async def _mismatches(self, source: Source) -> list[FieldProblem]:
        meta = await self.store.pack(source.pack)
        live = [Status.DRAFT, Status.PUBLISHED]
        cards = await self.store.cards(guild_id=source.guild_id, pack=source.pack, statuses=live)
        if meta is None or not cards:
            return []
        pack = PackFile(pack=meta, cards=cards)
        problems, _ = await self._in_worker(check, pack, source.text, source=source.location)
        return problems

    # --- reading (editors) --------------------------------------------------------------

    async def source(self, pack: str, *, guild_id: int) -> Source | None:
        return await rows.get(self.store.db, pack, guild_id=guild_id)

    async def overview(self, pack: str, *, guild_id: int) -> Overview:
        source = await self._required(pack, guild_id=guild_id)
        _, sections = await self._in_worker(drafting.split, source.text)
        lines = [line.strip() for line in source.text.split("\n") if line.strip()]
        return Overview(
            source=source,
            characters=len(source.text),
            words=len(source.text.split()),
            sections=len(sections),
            by_headings=any(s.heading for s in sections),
            first_lines=tuple(_clip(line) for line in lines[:SHOW_LINES]),
            replaced=tuple(await rows.history(self.store.db, pack, guild_id=guild_id)),
        )

    async def draft(self, pack: str, *, guild_id: int) -> drafting.Draft:
        """One card proposal per section of the source, against the catalogue seen here."""
        source = await self._required(pack, guild_id=guild_id)
        index = await self.editor.core.name_index(guild_id=guild_id)
        return await self._in_worker(drafting.draft, source.text, index, title=source.title)

    async def _in_worker(self, work: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        async with self._workers:
            return await asyncio.to_thread(work, *args, **kwargs)

    async def create_drafts(
        self, pack: str, draft: drafting.Draft, *, guild_id: int, member_id: int
    ) -> DraftCards:
        """The draft's proposals as this server's draft cards, after the pack's last section,
        written in one change through the editor (checked against the source like any)."""
        await self._pack(pack, guild_id=guild_id)
        seen = await self.store.cards(guild_id=guild_id, pack=pack, statuses=list(Status))
        last = max((c.section for c in seen), default=0)
        base = [drafted.slug_of(p.title) for p in draft.proposals]
        taken: set[str] = set()
        for slug in base:
            taken |= await self.store.card_ids_starting(f"g{guild_id}-{slug}"[:72])
        cards = drafted.draft_cards(
            draft, pack=pack, guild_id=guild_id, first_section=last + 1, taken=taken
        )
        at = now_utc()
        changes = ChangeSet(
            pack=pack, cards=[(None, stamp(c, by=member_id, at=at, version=1)) for c in cards]
        )
        changes.tally["cards"].added.extend(c.id for c in cards)
        warnings = await self.editor.save(
            changes, guild_id=guild_id, action="add", member_id=member_id
        )
        return DraftCards([c.id for c in cards], drafted.new_names(draft), warnings)

    # --- the checks on every save -------------------------------------------------------

    async def on_save(self, changes: ChangeSet, *, guild_id: int) -> list[Finding]:
        cards = [after for _, after in changes.cards if after.status is not Status.ARCHIVED]
        source = await self.source(changes.pack, guild_id=guild_id) if cards else None
        meta = await self.store.pack(changes.pack) if source else None
        if source is None or meta is None:
            return []
        named = {a for card in cards for a in card.actors}
        actors = await self._actors(named, guild_id=guild_id, new=changes.actors)
        pack = PackFile(pack=meta, actors=actors, events=changes.events, cards=cards)
        only = {c.id for c in cards} | {a.id for a in changes.actors}
        only |= {e.id for e in changes.events}
        where = f"source {source.location}"
        problems, warnings = await self._in_worker(
            check, pack, source.text, source=where, only=only
        )
        if problems:
            raise InvalidPack(problems)
        return warnings

    async def on_import(
        self, pack: PackFile, *, briefing: str, guild_id: int, source: str
    ) -> list[Finding]:
        attached = await self.source(briefing, guild_id=guild_id)
        if attached is None:
            return []
        problems, warnings = await self._in_worker(check, pack, attached.text, source=source)
        if problems:
            raise InvalidPack(problems)
        return warnings

    async def _actors(self, ids: set[str], *, guild_id: int, new: list[Actor]) -> list[Actor]:
        """The named actors (new ones and the catalogue's): their aliases count as names."""
        snapshot = await self.editor.core.snapshot(guild_id=guild_id)
        fresh = {a.id: a for a in new}
        return [
            *fresh.values(),
            *(snapshot.actors[i] for i in ids - set(fresh) if i in snapshot.actors),
        ]

    # --- helpers ------------------------------------------------------------------------

    async def _pack(self, slug: str, *, guild_id: int) -> Pack:
        """A briefing this server's editors may work on: a global one, or its own (drafts
        included); another server's is not found, as if it did not exist."""
        pack = await self.store.pack(slug)
        if pack is None or pack.guild_id not in (None, guild_id):
            raise NotFound("briefing", slug)
        return pack

    async def _required(self, pack: str, *, guild_id: int) -> Source:
        source = await self.source(pack, guild_id=guild_id)
        if source is None:
            raise NotFound("source for briefing", pack)
        return source


def _clip(line: str) -> str:
    return line if len(line) <= LINE_CHARS else line[: LINE_CHARS - 1].rstrip() + "…"
