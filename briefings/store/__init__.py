"""The store: one connection policy per backend, versioned migrations, typed queries."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from briefings.errors import StaleBriefing, StaleCard, StoreError
from briefings.packfile import shipped_packs
from briefings.store.cards import CardStore
from briefings.store.database import Database, SqliteDatabase
from briefings.store.loading import LoadReport, load_pack
from briefings.store.migrate import migrate

__all__ = ["CardStore", "LoadReport", "is_postgres", "load_pack", "open_database", "open_store"]

Location = Path | str
"""A SQLite file (a path, or `sqlite:///path`) or a PostgreSQL URL (`postgresql://…`)."""


def is_postgres(location: Location) -> bool:
    return isinstance(location, str) and location.startswith(("postgresql://", "postgres://"))


def sqlite_path(location: Location) -> Path:
    if isinstance(location, Path):
        return location
    if location.startswith("sqlite:///"):
        return Path(location.removeprefix("sqlite:///") or ".")
    if "://" in location:
        raise StoreError(
            f"DATABASE_URL {location.split('://')[0]}://… is not understood: use "
            "sqlite:///path/to/file.db, a path, or postgresql://user@host/database"
        )
    return Path(location)


async def open_database(location: Location) -> Database:
    """The database at `location`, opened but not migrated."""
    if is_postgres(location):
        assert isinstance(location, str)
        try:
            from briefings.store.postgres import PgDatabase
        except ImportError:
            raise StoreError(
                "DATABASE_URL names PostgreSQL, but asyncpg is not installed: "
                "pip install 'briefing-bot[postgres]'"
            ) from None
        return await PgDatabase.open(location)
    return await SqliteDatabase.open(sqlite_path(location))


async def _listen(db: Database, store: CardStore) -> None:
    """PostgreSQL: another process's catalogue writes make this one's snapshots stale (a
    new generation), and its outbox rows wake this one's delivery (the on_write listeners)."""
    if db.dialect != "postgresql":
        return
    from briefings.store.postgres import PgDatabase

    def heard(channel: str) -> None:
        if channel == "briefings_catalogue":
            store.written()
        else:
            for listener in store.on_write:
                listener()

    assert isinstance(db, PgDatabase)
    await db.listen(heard)


@asynccontextmanager
async def open_store(location: Location, *, seed: bool = True) -> AsyncIterator[CardStore]:
    """Open (creating and migrating if needed) the store; load the shipped packs."""
    db = await open_database(location)
    try:
        await migrate(db)
        store = CardStore(db)
        await _listen(db, store)
        if seed:
            for pack in shipped_packs():
                try:
                    await load_pack(store, pack)
                except (StaleCard, StaleBriefing):  # PostgreSQL: another process seeded it now
                    await load_pack(store, pack)
        yield store
    finally:
        await db.close()
