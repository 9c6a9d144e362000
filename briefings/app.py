"""The core's one front door: every service, built in one place.

The bot, the CLI and the tests open a `Core` and reach the store only through its
services, so how a piece is built (and what it shares) is read here, once.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from briefings.briefing import Briefing
from briefings.desk import BriefingDesk
from briefings.editing import CardEditor
from briefings.gaps import GapLog
from briefings.guilds import GuildSettings
from briefings.sourcing import SourceService
from briefings.store import CardStore, open_store
from briefings.subscriptions.service import SubscriptionService


@dataclass(frozen=True, slots=True)
class Core:
    catalogue: Briefing
    """Reads: briefings, cards, actors, events, leverage, answers."""
    editor: CardEditor
    """Writes to cards: the form, status changes, imports and exports."""
    desk: BriefingDesk
    """Writes to whole briefings: create, edit, publish (with its cards), make global."""
    subscriptions: SubscriptionService
    """Who gets which cards, where and when; the outbox."""
    guilds: GuildSettings
    """What each server sets for itself."""
    gaps: GapLog
    """Questions the briefing could not answer, kept for each server's editors."""
    sources: SourceService
    """Each briefing's article, per server: checks on every save, and drafts."""
    _store: CardStore

    @property
    def database(self) -> Path:
        return self._store.path


def build_core(store: CardStore) -> Core:
    catalogue = Briefing(store)
    editor = CardEditor(catalogue)
    sources = SourceService(editor)
    editor.source_checks = sources
    return Core(
        catalogue=catalogue,
        editor=editor,
        desk=BriefingDesk(store),
        subscriptions=SubscriptionService.open(store.db, catalogue),
        guilds=GuildSettings(store),
        gaps=GapLog(store),
        sources=sources,
        _store=store,
    )


@asynccontextmanager
async def open_core(location: Path | str, *, seed: bool = True) -> AsyncIterator[Core]:
    """Open (creating, migrating and, with `seed`, loading the shipped packs) the store at
    `location` (a SQLite file, or a DATABASE_URL), and the services over it."""
    async with open_store(location, seed=seed) as store:
        yield build_core(store)
