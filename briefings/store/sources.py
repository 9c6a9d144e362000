"""Sources in the store: one per pack and server, replaced whole; history of replaced ones.

Every query is scoped by the server: no function here reads a source without its guild id.
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

from briefings.sources.model import Replaced, Source, SourceKind
from briefings.store.database import Database, Row

_COLUMNS = (
    "pack, guild_id, kind, location, media_type, title, text, sha256, attached_at, attached_by"
)


async def attach(db: Database, source: Source) -> Replaced | None:
    """Store `source` for its pack and server, replacing (and recording) any before it."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "SELECT kind, location, sha256, attached_at, attached_by FROM sources "
            "WHERE pack = ? AND guild_id = ?",
            (source.pack, source.guild_id),
        )
        old = await cursor.fetchone()
        replaced = None
        if old is not None:
            replaced = Replaced(
                kind=cast(SourceKind, old[0]),
                location=str(old[1]),
                sha256=str(old[2]),
                attached_at=datetime.fromisoformat(str(old[3])),
                attached_by=int(old[4]),
                replaced_at=source.attached_at,
                replaced_by=source.attached_by,
            )
            await conn.execute(
                "INSERT INTO source_history (pack, guild_id, kind, location, sha256, "
                "attached_at, attached_by, replaced_at, replaced_by) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    source.pack,
                    source.guild_id,
                    *old,
                    source.attached_at.isoformat(),
                    source.attached_by,
                ),
            )
        await conn.execute(
            f"INSERT OR REPLACE INTO sources ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                source.pack,
                source.guild_id,
                source.kind,
                source.location,
                source.media_type,
                source.title,
                source.text,
                source.sha256,
                source.attached_at.isoformat(),
                source.attached_by,
            ),
        )
    return replaced


async def get(db: Database, pack: str, *, guild_id: int) -> Source | None:
    row = await db.fetch_one(
        f"SELECT {_COLUMNS} FROM sources WHERE pack = ? AND guild_id = ?", (pack, guild_id)
    )
    return _source(row) if row is not None else None


async def history(db: Database, pack: str, *, guild_id: int, limit: int = 20) -> list[Replaced]:
    """The sources this one replaced, newest first."""
    rows = await db.fetch_all(
        "SELECT kind, location, sha256, attached_at, attached_by, replaced_at, replaced_by "
        "FROM source_history WHERE pack = ? AND guild_id = ? ORDER BY id DESC LIMIT ?",
        (pack, guild_id, limit),
    )
    return [
        Replaced(
            kind=cast(SourceKind, r[0]),
            location=str(r[1]),
            sha256=str(r[2]),
            attached_at=datetime.fromisoformat(str(r[3])),
            attached_by=int(r[4]),
            replaced_at=datetime.fromisoformat(str(r[5])),
            replaced_by=int(r[6]),
        )
        for r in rows
    ]


def _source(row: Row) -> Source:
    return Source(
        pack=str(row["pack"]),
        guild_id=int(row["guild_id"]),
        kind=cast(SourceKind, row["kind"]),
        location=str(row["location"]),
        media_type=str(row["media_type"]),
        title=row["title"],
        text=str(row["text"]),
        sha256=str(row["sha256"]),
        attached_at=datetime.fromisoformat(str(row["attached_at"])),
        attached_by=int(row["attached_by"]),
    )
