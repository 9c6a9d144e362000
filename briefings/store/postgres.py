"""The PostgreSQL backend of `Database` (asyncpg): a small pool, SQLite's SQL translated.

Reads take any pooled connection and see what is committed. Writes keep SQLite's
semantics: one write transaction at a time in this process (an asyncio lock, like
`BEGIN IMMEDIATE` with one connection) and, across processes, one at a time per database
(a transaction-scoped advisory lock taken first), so the store's read-check-write code
(scope checks, quotas, claims) needs no retry loop. Several bot processes share one
database this way; nothing but this lock is needed for them to stay consistent.
"""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import socket
import zlib
from collections.abc import AsyncIterator, Callable, Generator, Iterable, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import asyncpg

from briefings.errors import StoreError
from briefings.store.database import Dialect, Row, StoreFull
from briefings.store.dialect import PostgresDialect, Translated

WRITER_LOCK = 0x62726965  # "brie": the advisory lock key every write transaction holds
MIGRATION_LOCK = WRITER_LOCK + 1
POOL_SIZE = 4
CHANNELS = ("briefings_catalogue", "briefings_outbox")
ANALYZE_AFTER_ROWS = 2_000
"""A write this large (a pack load) refreshes the planner's statistics at once, rather than
at autovacuum's next pass: the search plans depend on them."""
_VERSIONS = """
CREATE TABLE IF NOT EXISTS schema_version (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
)
"""
_PRIMARY_KEYS = """
SELECT tc.table_name, array_agg(kcu.column_name::text ORDER BY kcu.ordinal_position)
FROM information_schema.table_constraints tc
JOIN information_schema.key_column_usage kcu
  ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = current_schema()
GROUP BY tc.table_name
"""


def redact(url: str) -> str:
    """The URL without its password, for messages and logs."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


class PgCursor:
    def __init__(self, rows: list[Row], rowcount: int) -> None:
        self._rows = rows
        self.rowcount = rowcount

    async def fetchone(self) -> Row | None:
        return self._rows[0] if self._rows else None

    async def fetchall(self) -> Iterable[Row]:
        return list(self._rows)


class _Executed:
    """Awaitable, or usable with `async with`, as aiosqlite's `execute` result is."""

    def __init__(self, run: Any) -> None:
        self._run = run

    def __await__(self) -> Generator[Any, None, PgCursor]:
        result: PgCursor = yield from self._run.__await__()
        return result

    async def __aenter__(self) -> PgCursor:
        cursor: PgCursor = await self._run
        return cursor

    async def __aexit__(self, exc_type: object, exc: object, tb: object, /) -> None:
        return None


class PgConnection:
    """One connection inside a write transaction, with aiosqlite's execute/executemany."""

    def __init__(self, conn: Any, dialect: PostgresDialect) -> None:
        self.raw = conn
        self.dialect = dialect
        self.rows_written = 0

    def execute(self, sql: str, parameters: Iterable[Any] | None = None, /) -> _Executed:
        return _Executed(self._execute(sql, parameters or ()))

    async def _execute(self, sql: str, parameters: Iterable[Any]) -> PgCursor:
        t = self.dialect.translate(sql)
        params = t.params(parameters)
        if _returns_rows(t):
            rows = await self.raw.fetch(t.sql, *params)
            return PgCursor(rows, len(rows))
        status = await self.raw.execute(t.sql, *params)
        count = status.rsplit(" ", 1)[-1]
        return PgCursor([], int(count) if count.isdigit() else -1)

    async def executemany(self, sql: str, parameters: Iterable[Iterable[Any]], /) -> None:
        batch = list(parameters)
        if batch:
            t = self.dialect.translate(sql)
            await self.raw.executemany(t.sql, [t.params(p) for p in batch])
            self.rows_written += len(batch)


def _returns_rows(t: Translated) -> bool:
    head = t.sql.lstrip()[:6].upper()
    return head.startswith(("SELECT", "WITH", "VALUES")) or " RETURNING " in t.sql.upper()


class PgDatabase:
    dialect: Dialect = "postgresql"

    def __init__(self, pool: Any, url: str, name: str) -> None:
        self.pool = pool
        self.url = url
        self.name = name
        """This process's name on the server (application_name): its claims and wake-ups."""
        self._session: Any = None
        """A connection of its own: LISTEN, and the schedules' advisory locks it holds."""
        self._heard: Callable[[str], None] | None = None
        self._led: set[str] = set()
        self._session_lock = asyncio.Lock()  # one query at a time on that connection
        self._reconnecting: asyncio.Task[None] | None = None
        self.location = redact(url)
        self.path = Path(self.location)
        self.sql = PostgresDialect({})
        self._write_lock = asyncio.Lock()
        self.commits = 0
        """Write transactions committed by this process (search statistics are cached
        between them)."""
        self._in_transaction: ContextVar[Any] = ContextVar("in_transaction", default=None)
        """The transaction's connection, for reads in the task that writes: as on SQLite's
        one connection, code reading inside a write sees what it wrote."""

    @classmethod
    async def open(cls, url: str) -> PgDatabase:
        name = f"briefings {socket.gethostname()[:30]} {os.getpid()} {secrets.token_hex(3)}"
        try:
            pool = await asyncpg.create_pool(
                url,
                min_size=1,
                max_size=POOL_SIZE,
                server_settings={"application_name": name},
            )
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
            raise StoreError(f"Cannot open the database at {redact(url)}: {exc}") from None
        return cls(pool, url, name)

    # --- several processes on one database ---------------------------------------------

    async def listen(self, heard: Callable[[str], None]) -> None:
        """Call `heard(channel)` when another process commits catalogue changes
        ('briefings_catalogue') or outbox rows ('briefings_outbox')."""
        self._heard = heard
        await self._connect_session()

    async def _connect_session(self) -> None:
        self._session = conn = await asyncpg.connect(
            self.url, server_settings={"application_name": f"{self.name} listener"}
        )
        for channel in CHANNELS:
            await conn.add_listener(channel, self._notified)
        conn.add_termination_listener(self._lost)

    def _notified(self, conn: Any, pid: int, channel: str, payload: str) -> None:
        if payload != self.name and self._heard is not None:
            self._heard(channel)

    def _lost(self, conn: Any) -> None:
        """The session dropped: schedules it led are free for others; reconnect, then say
        everything may have changed (notifications sent meanwhile were lost)."""
        self._session = None
        self._led.clear()
        if self._heard is not None:
            self._reconnecting = asyncio.get_running_loop().create_task(self._reconnect())

    async def _reconnect(self) -> None:
        while self._session is None and self._heard is not None:
            try:
                await self._connect_session()
            except (OSError, asyncpg.PostgresError):
                await asyncio.sleep(1.0)
        for channel in CHANNELS:
            if self._heard is not None:
                self._heard(channel)

    async def leads(self, schedule: str) -> bool:
        """Whether this process runs `schedule` (digests, pruning): exactly one process per
        database does, holding a session advisory lock; when it stops or dies, its
        connection closes and the next process to ask takes it over."""
        async with self._session_lock:
            if schedule in self._led:
                return True
            if self._session is None:
                await self._connect_session()
            key = zlib.crc32(f"briefings schedule {schedule}".encode())
            if await self._session.fetchval("SELECT pg_try_advisory_lock($1)", key):
                self._led.add(schedule)
            return schedule in self._led

    async def apply_migrations(
        self, known: Sequence[tuple[int, str, str]], check: Callable[[int], None]
    ) -> list[str]:
        """Apply those of `known` (version, name, sql) past the recorded version, each in
        its own transaction. Processes starting together: one migrates, the others wait
        and then find it done."""
        applied = []
        async with self.pool.acquire() as conn:
            await conn.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK)
            try:
                await conn.execute(_VERSIONS)
                current = await conn.fetchval(
                    "SELECT coalesce(max(version), 0) FROM schema_version"
                )
                check(int(current))
                for version, name, sql in known[int(current) :]:
                    try:
                        async with conn.transaction():
                            await conn.execute(sql)
                            await conn.execute(
                                "INSERT INTO schema_version (version, name) VALUES ($1, $2)",
                                version,
                                name,
                            )
                    except asyncpg.PostgresError as exc:
                        raise StoreError(f"Migration {name} failed: {exc}") from None
                    applied.append(name)
            finally:
                await conn.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK)
        await self.refresh_keys()
        return applied

    async def refresh_keys(self) -> None:
        """Read the tables' primary keys (for `INSERT OR REPLACE`); after migrating."""
        rows = await self.pool.fetch(_PRIMARY_KEYS)
        self.sql = PostgresDialect({r[0]: list(r[1]) for r in rows})

    async def close(self) -> None:
        self._heard = None
        try:
            if self._session is not None:
                session, self._session = self._session, None
                await session.close()
        finally:
            await self.pool.close()

    async def fetch_all(self, sql: str, params: Iterable[Any] = ()) -> list[Row]:
        t = self.sql.translate(sql)
        conn = self._in_transaction.get() or self.pool
        rows: list[Row] = await conn.fetch(t.sql, *t.params(params))
        return rows

    async def fetch_one(self, sql: str, params: Iterable[Any] = ()) -> Row | None:
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    async def fetch_raw(self, sql: str, *params: Any) -> list[Row]:
        """PostgreSQL's own SQL, untranslated (search, conversion, leases)."""
        rows: list[Row] = await self.pool.fetch(sql, *params)
        return rows

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[PgConnection]:
        async with self._write_lock, self.pool.acquire() as conn:
            wrapped = PgConnection(conn, self.sql)
            try:
                async with conn.transaction():
                    await conn.execute("SELECT pg_advisory_xact_lock($1)", WRITER_LOCK)
                    token = self._in_transaction.set(conn)
                    try:
                        yield wrapped
                    finally:
                        self._in_transaction.reset(token)
            except asyncpg.DiskFullError as exc:
                raise StoreFull(self.path) from exc
            finally:
                self.commits += 1
            if wrapped.rows_written >= ANALYZE_AFTER_ROWS:
                await conn.execute("ANALYZE")

    @asynccontextmanager
    async def session(self) -> AsyncIterator[Any]:
        """One pooled connection for PostgreSQL-only work (migrations, copies)."""
        async with self.pool.acquire() as conn:
            yield conn

    async def backup(self, destination: Path) -> None:
        raise StoreError(
            f"db backup copies SQLite files; for PostgreSQL ({redact(self.url)}) use pg_dump"
        )
