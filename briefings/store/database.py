"""The one connection policy: WAL, foreign keys, a busy timeout and explicit writes.

A single long-lived aiosqlite connection serves the process. Reads run as they come;
writes go through `transaction()`, which holds one lock and opens `BEGIN IMMEDIATE`
so a write never fails half-way on a lock upgrade.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from briefings.errors import StoreError

BUSY_TIMEOUT_MS = 5_000
PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA foreign_keys = ON",
    f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}",
    "PRAGMA synchronous = NORMAL",  # safe with WAL: a crash loses at most the last commit
    "PRAGMA cache_size = -32000",  # 32 MB: bulk imports stay in memory until commit
    "PRAGMA temp_store = MEMORY",
)


class Database:
    def __init__(self, conn: aiosqlite.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self._write_lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path) -> Database:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = await aiosqlite.connect(path, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"Cannot open the database at {path}: {exc}") from None
        conn.row_factory = sqlite3.Row
        try:
            for pragma in PRAGMAS:
                await conn.execute(pragma)
            await conn.execute("SELECT count(*) FROM sqlite_master")
        except sqlite3.DatabaseError as exc:
            await conn.close()
            raise StoreError(
                f"The database at {path} is unreadable or corrupt ({exc}). "
                "Restore it from a backup or move it aside to start afresh."
            ) from None
        return cls(conn, path)

    async def close(self) -> None:
        await self.conn.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """One explicit write transaction; rolled back whole on any error."""
        async with self._write_lock:
            await self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                await self.conn.rollback()
                raise
            else:
                await self.conn.commit()

    async def fetch_all(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        # One trip to the connection's thread (execute + fetch + close in one call):
        # each trip costs ~0.1 ms, which matters when answers take a millisecond.
        rows = await self.conn.execute_fetchall(sql, tuple(params))
        return list(rows)  # rows are sqlite3.Row (row_factory)

    async def fetch_one(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Row | None:
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None
