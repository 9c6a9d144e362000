"""The store's database: one protocol, two backends (SQLite here, PostgreSQL in
`postgres.py`), and SQLite's connection policy: WAL, foreign keys, a busy timeout and
explicit writes.

The store modules see only `Database` (reads: fetch_all, fetch_one; writes: transaction(),
which yields a `Connection`) and write their SQL once, in SQLite's dialect; the
PostgreSQL backend translates it (`dialect.py`) and supplies the functions it relies on.

On SQLite, a single long-lived aiosqlite connection serves the process. Reads run as they come;
writes go through `transaction()`, which holds one lock and opens `BEGIN IMMEDIATE`
so a write never fails half-way on a lock upgrade.

One process at a time: opening takes an exclusive lock on `<database>.lock` (flock), held
until close, so a second bot (or CLI) on the same file is refused at once instead of
re-queueing the first one's deliveries. The kernel drops the lock when a process dies,
even by SIGKILL, so a crash never leaves it stale.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Generator, Iterable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any, Literal, Protocol

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


class DatabaseInUse(StoreError):
    """Another process has the database open (the single-instance guard)."""

    def __init__(self, path: Path, holder: str) -> None:
        self.path, self.holder = path, holder
        super().__init__(
            f"The database at {path} is in use by another process ({holder}). "
            "Stop it first: one bot or CLI at a time per database."
        )


class StoreFull(StoreError):
    """A write found the disk (or the database's size limit) full; nothing was written."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.reason = "disk full"
        super().__init__(
            f"The disk holding the database at {path} is full; nothing was written. "
            "Free some space and try again."
        )


Dialect = Literal["sqlite", "postgresql"]


class Row(Protocol):
    """A result row: by column name or position, iterable, `dict(row)`-able
    (sqlite3.Row and asyncpg.Record both are)."""

    def __getitem__(self, key: int | str, /) -> Any: ...
    def __iter__(self) -> Iterator[Any]: ...
    def __len__(self) -> int: ...
    def keys(self) -> Any: ...


class Cursor(Protocol):
    @property
    def rowcount(self) -> int: ...
    async def fetchone(self) -> Row | None: ...
    async def fetchall(self) -> Iterable[Row]: ...


class Executed(Protocol):
    """What `Connection.execute` returns: awaited for its cursor, or `async with`-ed."""

    def __await__(self) -> Generator[Any, None, Cursor]: ...
    async def __aenter__(self) -> Cursor: ...
    async def __aexit__(self, exc_type: Any, exc: Any, tb: Any, /) -> Any: ...


class Connection(Protocol):
    """The connection a write transaction yields (an aiosqlite.Connection, or the
    PostgreSQL backend's translating adapter)."""

    def execute(self, sql: str, parameters: Iterable[Any] | None = ..., /) -> Executed: ...
    def executemany(
        self, sql: str, parameters: Iterable[Iterable[Any]], /
    ) -> Awaitable[object]: ...


class Database(Protocol):
    dialect: Dialect
    path: Path
    """SQLite: the database file. PostgreSQL: a stand-in naming the server (for messages)."""
    location: str
    """Where it is, for people: the file, or the URL without its password."""

    async def fetch_all(self, sql: str, params: Iterable[Any] = ()) -> list[Row]: ...
    async def fetch_one(self, sql: str, params: Iterable[Any] = ()) -> Row | None: ...
    def transaction(self) -> AbstractAsyncContextManager[Connection]:
        """One write transaction at a time; rolled back whole on any error."""
        ...

    async def backup(self, destination: Path) -> None: ...
    async def leads(self, schedule: str) -> bool:
        """Whether this process runs `schedule` (digests, pruning): exactly one per database."""
        ...

    async def close(self) -> None: ...


class SqliteDatabase:
    dialect: Dialect = "sqlite"

    def __init__(self, conn: aiosqlite.Connection, path: Path, guard: int | None = None) -> None:
        self.conn = conn
        self.path = path
        self.location = str(path)
        self._guard = guard
        self._write_lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path) -> SqliteDatabase:
        guard = _take_guard(path)
        try:
            conn = await aiosqlite.connect(path, isolation_level=None)
        except sqlite3.Error as exc:
            _drop_guard(guard)
            raise StoreError(f"Cannot open the database at {path}: {exc}") from None
        conn.row_factory = sqlite3.Row
        try:
            for pragma in PRAGMAS:
                await conn.execute(pragma)
            await conn.execute("SELECT count(*) FROM sqlite_master")
        except sqlite3.DatabaseError as exc:
            await conn.close()
            _drop_guard(guard)
            raise StoreError(
                f"The database at {path} is unreadable or corrupt ({exc}). "
                "Restore it from a backup or move it aside to start afresh."
            ) from None
        return cls(conn, path, guard)

    async def close(self) -> None:
        try:
            await self.conn.close()
        finally:
            _drop_guard(self._guard)
            self._guard = None

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """One explicit write transaction; rolled back whole on any error."""
        async with self._write_lock:
            try:
                await self.conn.execute("BEGIN IMMEDIATE")
                try:
                    yield self.conn
                except BaseException:
                    if self.conn.in_transaction:
                        await self.conn.rollback()
                    raise
                else:
                    await self.conn.commit()
            except sqlite3.OperationalError as exc:
                if _is_full(exc):
                    if self.conn.in_transaction:
                        await self.conn.rollback()
                    raise StoreFull(self.path) from exc
                raise

    async def leads(self, schedule: str) -> bool:
        return True  # the only process on this file (the flock guard)

    async def backup(self, destination: Path) -> None:
        """A consistent copy through SQLite's online backup, safe while the bot runs."""
        destination.parent.mkdir(parents=True, exist_ok=True)
        target = sqlite3.connect(destination)
        try:
            await self.conn.backup(target)
        finally:
            target.close()

    async def fetch_all(self, sql: str, params: Iterable[Any] = ()) -> list[Row]:
        # One trip to the connection's thread (execute + fetch + close in one call):
        # each trip costs ~0.1 ms, which matters when answers take a millisecond.
        rows = await self.conn.execute_fetchall(sql, tuple(params))
        return list(rows)  # rows are sqlite3.Row (row_factory)

    async def fetch_one(self, sql: str, params: Iterable[Any] = ()) -> Row | None:
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None


def _is_full(error: sqlite3.OperationalError) -> bool:
    return getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


def _take_guard(path: Path) -> int:
    """The exclusive lock for this database's life in this process; refused at once if
    another process holds it. Writes our pid into the lock file to name the holder."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_path(path), os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise StoreError(
            f"Cannot create the database at {path}: {exc.strerror or exc} "
            f"({exc.filename or path.parent}). Check DATABASE_PATH."
        ) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(fd, 32, 0).decode(errors="replace").strip()
        os.close(fd)
        raise DatabaseInUse(path, f"pid {holder}" if holder else "pid unknown") from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, str(os.getpid()).encode(), 0)
    return fd


def _drop_guard(fd: int | None) -> None:
    if fd is not None:
        with contextlib.suppress(OSError):
            os.close(fd)  # closing the last descriptor releases the flock
