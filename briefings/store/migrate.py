"""Numbered, append-only SQL migrations, version-tracked on both backends.

SQLite: `migrations/NNN-name.sql`, the version in `PRAGMA user_version`. PostgreSQL:
`migrations/postgresql/NNN-name.sql`, the same numbers and names, each the PostgreSQL form
of its SQLite twin, the versions in a `schema_version` table. A SQLite migration without
its PostgreSQL form stops a PostgreSQL store from opening (and the tests from passing).
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from importlib import resources

from briefings.errors import StoreError
from briefings.store.database import Database, Dialect, SqliteDatabase

_NAME = re.compile(r"^(\d{3})-[a-z0-9-]+\.sql$")


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations(dialect: Dialect = "sqlite") -> list[Migration]:
    folder = resources.files("briefings.store") / "migrations"
    if dialect == "postgresql":
        folder = folder / "postgresql"
    found = []
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), entry.name, entry.read_text("utf-8")))
    found.sort(key=lambda m: m.version)
    if [m.version for m in found] != list(range(1, len(found) + 1)):
        raise StoreError("migrations must be numbered 001, 002, ... without gaps")
    if dialect == "postgresql":
        missing = [m.name for m in migrations()[len(found) :]]
        if missing:
            raise StoreError(f"no PostgreSQL form of migration {', '.join(missing)}")
    return found


def latest_version() -> int:
    return len(migrations())


async def schema_version(db: Database) -> int:
    if isinstance(db, SqliteDatabase):
        row = await db.fetch_one("PRAGMA user_version")
        return int(row[0]) if row else 0
    table = await db.fetch_one("SELECT to_regclass('schema_version') IS NOT NULL")
    if table is None or not table[0]:
        return 0
    row = await db.fetch_one("SELECT coalesce(max(version), 0) FROM schema_version")
    return int(row[0]) if row else 0


async def migrate(db: Database) -> list[str]:
    """Apply pending migrations, each atomically; return the names applied."""
    if isinstance(db, SqliteDatabase):
        return await _migrate_sqlite(db)
    from briefings.store.postgres import PgDatabase  # asyncpg only when it is used

    assert isinstance(db, PgDatabase)
    known = migrations("postgresql")
    steps = [(m.version, m.name, m.sql) for m in known]
    return await db.apply_migrations(steps, lambda current: check_version(db, current, known))


def check_version(db: Database, current: int, known: list[Migration]) -> None:
    if current > len(known):
        raise StoreError(
            f"The database at {db.path} is at schema version {current}, newer than this "
            f"code understands ({len(known)}). Upgrade the bot before using this database."
        )


async def _migrate_sqlite(db: SqliteDatabase) -> list[str]:
    current = await schema_version(db)
    known = migrations()
    check_version(db, current, known)
    applied = []
    for migration in known[current:]:
        # executescript commits first, so the transaction is part of the script itself.
        script = (
            f"BEGIN IMMEDIATE;\n{migration.sql}\n"
            f"PRAGMA user_version = {migration.version};\nCOMMIT;"
        )
        try:
            await db.conn.executescript(script)
        except sqlite3.Error as exc:
            if db.conn.in_transaction:
                await db.conn.rollback()
            raise StoreError(f"Migration {migration.name} failed: {exc}") from None
        applied.append(migration.name)
    return applied
