"""The outbox on PostgreSQL, for several processes on one database.

Claims are leases: a claim locks its rows `FOR UPDATE SKIP LOCKED` (two processes claiming at
once never take the same row, nor wait for each other), marks them 'sending' with this
process's name and a lease, and commits before anything is sent. A process that dies leaves
its claims to run out; any process then claims them again (at-least-once: at most the dead
process's in-flight rows are sent twice). Grouping and fairness are the SQLite outbox's
(`outbox.py`), and so is everything after the claim.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from briefings.store import outbox
from briefings.store.database import Database
from briefings.store.outbox import _ROWS, OutboxStore, _claimed
from briefings.store.postgres import PgDatabase
from briefings.store.subscriptions import iso
from briefings.subscriptions.model import OutboxRow

LEASE = timedelta(minutes=5)
"""How long a claim holds without being settled; longer than any one delivery takes."""
_PENDING = "o.state = 'pending' AND (o.not_before IS NULL OR o.not_before <= ?1)"
_CLAIMABLE = (
    f"(({_PENDING}) OR (o.state = 'sending' AND (o.lease_until IS NULL OR o.lease_until < ?1)))"
)
if _PENDING not in outbox._GROUPS:  # the SQLite claim changed: this must follow it
    raise ImportError("postgres_outbox: outbox._GROUPS no longer selects pending rows as before")
_GROUPS = outbox._GROUPS.replace(_PENDING, _CLAIMABLE)
"""The SQLite outbox's grouping and fairness, with expired claims claimable too."""
_LOCK = (
    "SELECT o.id FROM outbox o WHERE o.id = ANY($2) AND "
    f"{_CLAIMABLE.replace('?1', '$1')} FOR UPDATE SKIP LOCKED"
)


class PgOutboxStore(OutboxStore):
    def __init__(self, db: Database) -> None:
        assert isinstance(db, PgDatabase)
        super().__init__(db)
        self.pg = db

    async def claim(self, *, limit: int, now: datetime) -> list[OutboxRow]:
        """Up to `limit` deliveries, fairly; groups another process holds part of are left
        to it (their rows are locked, or already claimed)."""
        async with self.pg.session() as conn, conn.transaction():
            # A little more than asked: some groups may be taken by another process meanwhile.
            grouping = self.pg.sql.translate(_GROUPS)
            found = await conn.fetch(grouping.sql, iso(now), limit * 2)
            groups = [(int(r[0]), [int(i) for i in json.loads(r[1])]) for r in found]
            wanted = sorted(i for _, members in groups for i in members)
            locked = {int(r[0]) for r in await conn.fetch(_LOCK, iso(now), wanted)}
            taken = [(h, m) for h, m in groups if set(m) <= locked][:limit]
            ids = sorted(i for _, members in taken for i in members)
            await conn.execute(
                "UPDATE outbox SET state = 'sending', updated_at = $1, claimed_by = $2, "
                "lease_until = $3 WHERE id = ANY($4)",
                iso(now),
                self.pg.name,
                iso(now + LEASE),
                ids,
            )
        if not ids:
            return []
        rows = {r["o_id"]: r for r in await self.db.fetch_all(_ROWS, (json.dumps(ids),))}
        return [_claimed(rows, head, members) for head, members in taken]

    async def release_claims(self, *, keep: frozenset[int] = frozenset()) -> int:
        """This process's claims it is not sending (and claims nobody names) go back to the
        queue; other processes' claims are theirs until their lease runs out."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE outbox SET state = 'pending', claimed_by = NULL, lease_until = NULL "
                "WHERE state = 'sending' AND (claimed_by = ? OR claimed_by IS NULL) "
                "AND id NOT IN (SELECT value FROM json_each(?))",
                (self.pg.name, json.dumps(sorted(keep))),
            )
            return cursor.rowcount

    async def prune(self, before: datetime) -> int:
        """Only the process that leads pruning prunes (once per database, not per process)."""
        if not await self.pg.leads("pruning"):
            return 0
        return await super().prune(before)
