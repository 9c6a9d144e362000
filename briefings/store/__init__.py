"""The SQLite store: one connection policy, versioned migrations, typed queries."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from briefings.packfile import shipped_packs
from briefings.store.cards import CardStore
from briefings.store.database import Database
from briefings.store.loading import LoadReport, load_pack
from briefings.store.migrate import migrate

__all__ = ["CardStore", "LoadReport", "load_pack", "open_store"]


@asynccontextmanager
async def open_store(path: Path, *, seed: bool = True) -> AsyncIterator[CardStore]:
    """Open (creating and migrating if needed) the store; load the shipped packs."""
    db = await Database.open(path)
    try:
        await migrate(db)
        store = CardStore(db)
        if seed:
            for pack in shipped_packs():
                await load_pack(store, pack)
        yield store
    finally:
        await db.close()
