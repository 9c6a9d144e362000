"""The outbox for a database: SQLite's, or PostgreSQL's with leases for several processes."""

from __future__ import annotations

from briefings.store.database import Database
from briefings.store.outbox import OutboxStore


def outbox_for(db: Database) -> OutboxStore:
    if db.dialect == "postgresql":
        from briefings.store.postgres_outbox import PgOutboxStore  # asyncpg only if used

        return PgOutboxStore(db)
    return OutboxStore(db)
