"""`briefings db convert --to postgresql://…`: a SQLite store copied into PostgreSQL.

The target is migrated to the source's schema version and must hold nothing yet. Every
table is copied (search rows too, so nothing is re-derived) in foreign-key order, in one
transaction with the fan-out trigger off (the outbox is copied as it is, never re-fanned),
identity counters moved past the copied ids, then each table is verified: the same row
count and the same checksum (SHA-256 over its rows, canonically written, in a fixed order)
read back from both sides. Anything short of that rolls the whole copy back.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from briefings.errors import StoreError
from briefings.store.database import SqliteDatabase
from briefings.store.migrate import migrate, schema_version
from briefings.store.postgres import PgDatabase

_SKIP = ("sqlite_%", "%_fts_%")  # SQLite's own tables and FTS5's shadow tables
_COLUMNS = """
SELECT table_name::text, array_agg(column_name::text ORDER BY ordinal_position)
FROM information_schema.columns
WHERE table_schema = current_schema() AND is_generated = 'NEVER'
GROUP BY table_name
"""
_IDENTITIES = """
SELECT table_name::text, column_name::text FROM information_schema.columns
WHERE table_schema = current_schema() AND is_identity = 'YES'
"""


@dataclass(frozen=True, slots=True)
class TableCopy:
    table: str
    source_rows: int
    target_rows: int
    source_sum: str
    target_sum: str

    @property
    def ok(self) -> bool:
        return self.source_rows == self.target_rows and self.source_sum == self.target_sum


def checksum(rows: Iterable[Sequence[Any]]) -> str:
    """Order-free: rows are written canonically, sorted, then hashed."""
    lines = sorted("\x1f".join(_canonical(v) for v in row) for row in rows)
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line.encode("utf-8", "surrogatepass") + b"\x1e")
    return digest.hexdigest()[:16]


def _canonical(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


async def tables_in_order(source: SqliteDatabase) -> list[str]:
    """The source's tables, each after those it references (foreign keys)."""
    skip = " AND ".join(f"name NOT LIKE '{p}'" for p in _SKIP)
    names = [
        str(r[0])
        for r in await source.fetch_all(
            f"SELECT name FROM sqlite_master WHERE type = 'table' AND {skip} ORDER BY rowid"
        )
    ]
    needs = {
        name: {str(r["table"]) for r in await source.fetch_all(f"PRAGMA foreign_key_list({name})")}
        for name in names
    }
    ordered: list[str] = []
    while len(ordered) < len(names):
        ready = [n for n in names if n not in ordered and needs[n] <= {*ordered, n}]
        if not ready:
            raise StoreError(f"foreign keys form a cycle among {sorted(set(names) - set(ordered))}")
        ordered += ready
    return ordered


async def convert(source: SqliteDatabase, target: PgDatabase) -> list[TableCopy]:
    """Copy every table of `source` into the empty, migrated `target`; verified."""
    version = await schema_version(source)
    await migrate(target)
    if await schema_version(target) != version:
        raise StoreError(
            f"{target.path} is at schema {await schema_version(target)}, the source at "
            f"{version}: migrate the source first (briefings db migrate)"
        )
    occupied = await target.fetch_raw("SELECT 1 FROM packs UNION ALL SELECT 1 FROM cards LIMIT 1")
    if occupied:
        raise StoreError(f"{target.path} already holds a store; convert only into an empty one")
    columns = {r[0]: list(r[1]) for r in await target.fetch_raw(_COLUMNS)}
    order = await tables_in_order(source)
    missing = [t for t in order if t not in columns]
    if missing:
        raise StoreError(f"PostgreSQL has no table for {', '.join(missing)}")
    copies: list[TableCopy] = []
    async with target.session() as conn, conn.transaction():
        await conn.execute("ALTER TABLE card_changes DISABLE TRIGGER card_changes_fan_out")
        for table in order:
            names = await _shared_columns(source, table, columns[table])
            rows = await source.fetch_all(f"SELECT {', '.join(names)} FROM {table}")
            records = [tuple(r) for r in rows]
            if records:
                await conn.copy_records_to_table(table, records=records, columns=names)
            back = await conn.fetch(f"SELECT {', '.join(names)} FROM {table}")
            copies.append(
                TableCopy(
                    table, len(records), len(back), checksum(records), checksum(map(tuple, back))
                )
            )
        await conn.execute("ALTER TABLE card_changes ENABLE TRIGGER card_changes_fan_out")
        for table, column in await conn.fetch(_IDENTITIES):
            await conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                f"coalesce(max({column}), 0) + 1, false) FROM {table}"
            )
        bad = [c.table for c in copies if not c.ok]
        if bad:
            raise StoreError(f"copy not verified for {', '.join(bad)}; nothing was written")
    return copies


async def _shared_columns(source: SqliteDatabase, table: str, target: list[str]) -> list[str]:
    """The target's written columns, as the source has them (`rowid`: SQLite's own)."""
    info = await source.fetch_all(f"PRAGMA table_xinfo({table})")
    have = {str(r["name"]) for r in info if r["hidden"] in (0, 2, 3)}  # 1: FTS5's own
    names = [c for c in target if c in have or c == "rowid"]
    extra = have - set(target) - {"rowid"}
    if extra:
        raise StoreError(f"{table}: PostgreSQL lacks the columns {', '.join(sorted(extra))}")
    return names
