"""Numbered, append-only SQL migrations tracked in `PRAGMA user_version`."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from importlib import resources

from briefings.errors import StoreError
from briefings.store.database import Database

_NAME = re.compile(r"^(\d{3})-[a-z0-9-]+\.sql$")


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations() -> list[Migration]:
    folder = resources.files("briefings.store") / "migrations"
    found = []
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), entry.name, entry.read_text("utf-8")))
    found.sort(key=lambda m: m.version)
    if [m.version for m in found] != list(range(1, len(found) + 1)):
        raise StoreError("migrations must be numbered 001, 002, ... without gaps")
    return found


def latest_version() -> int:
    return len(migrations())


async def schema_version(db: Database) -> int:
    row = await db.fetch_one("PRAGMA user_version")
    return int(row[0]) if row else 0


async def migrate(db: Database) -> list[str]:
    """Apply pending migrations, each atomically; return the names applied."""
    current = await schema_version(db)
    known = migrations()
    if current > len(known):
        raise StoreError(
            f"The database at {db.path} is at schema version {current}, newer than this "
            f"code understands ({len(known)}). Upgrade the bot before using this database."
        )
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
