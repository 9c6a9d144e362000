"""The delivery outbox: rows move pending -> sending -> delivered, failed or dropped.

Claiming is fair and folds floods. Fair: each claim takes every guild's oldest group first
(round robin by guild, DMs made outside a guild counting as one), so one server's import
cannot hold another server's single card behind it. Folded: the card rows one change set
(one import, one transaction: the same `card_changes.at`) wrote for one subscription and
one briefing are claimed together as one delivery, sent as one summary per briefing.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Literal

from briefings.store.database import Database, Row
from briefings.store.subscriptions import iso, pause_where, subscription_from
from briefings.subscriptions.model import CardChange, OutboxRow, SentCard

# Ready rows, grouped (one group: a change set for one subscription, or a single row),
# then each guild's groups numbered oldest first; turn 1 of every guild comes before turn 2.
_GROUPS = """
WITH ready AS (
    SELECT o.id, o.subscription_id AS sub, ifnull(s.guild_id, 0) AS guild,
           CASE WHEN o.kind = 'card' THEN ch.at || ' ' || ch.pack END AS change_set
    FROM outbox o JOIN subscriptions s ON s.id = o.subscription_id
    LEFT JOIN card_changes ch ON ch.id = o.change_id
    WHERE o.state = 'pending' AND (o.not_before IS NULL OR o.not_before <= ?1)
      AND s.status = 'active'
), groups AS (
    SELECT min(id) AS head, guild, json_group_array(id) AS members FROM ready
    GROUP BY sub, guild, ifnull(change_set, 'row ' || id)
), turns AS (
    SELECT head, members, row_number() OVER (PARTITION BY guild ORDER BY head) AS turn
    FROM groups
)
SELECT head, members FROM turns ORDER BY turn, head LIMIT ?2
"""
_ROWS = (
    "SELECT o.id AS o_id, o.kind AS o_kind, o.card_id AS o_card, o.version AS o_version, "
    "o.change_id AS o_change, "
    "o.change_ids AS o_changes, o.attempts AS o_attempts, o.parts_sent AS o_parts, "
    "ch.kind AS ch_kind, ch.changes AS ch_changed, s.* FROM outbox o "
    "JOIN subscriptions s ON s.id = o.subscription_id "
    "LEFT JOIN card_changes ch ON ch.id = o.change_id "
    "WHERE o.id IN (SELECT value FROM json_each(?)) ORDER BY o.id"
)
_IDS = "(SELECT value FROM json_each(?))"


class OutboxStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def release_claims(self, *, keep: frozenset[int] = frozenset()) -> int:
        """Claimed rows nobody is sending go back to the queue (`keep`: those this process
        still has in flight). They may have been sent already (at-least-once), but none is
        lost."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                f"UPDATE outbox SET state = 'pending' WHERE state = 'sending' AND id NOT IN {_IDS}",
                (json.dumps(sorted(keep)),),
            )
            return cursor.rowcount

    async def claim(self, *, limit: int, now: datetime) -> list[OutboxRow]:
        """Up to `limit` deliveries (each one row, or one change set's rows), fairly."""
        async with self.db.transaction() as conn:
            async with conn.execute(_GROUPS, (iso(now), limit)) as cursor:
                groups = {int(r[0]): json.loads(r[1]) for r in await cursor.fetchall()}
            ids = sorted(i for members in groups.values() for i in members)
            await conn.execute(
                f"UPDATE outbox SET state = 'sending', updated_at = ? WHERE id IN {_IDS}",
                (iso(now), json.dumps(ids)),
            )
        if not ids:
            return []
        rows = {r["o_id"]: r for r in await self.db.fetch_all(_ROWS, (json.dumps(ids),))}
        return [_claimed(rows, head, members) for head, members in groups.items()]

    async def parts_sent(self, row: OutboxRow, parts: int) -> None:
        async with self.db.transaction() as conn:
            await conn.execute("UPDATE outbox SET parts_sent = ? WHERE id = ?", (parts, row.id))

    async def delivered(
        self, rows: list[OutboxRow], *, now: datetime, sent: list[SentCard] | None = None
    ) -> None:
        """Mark rows delivered, many per transaction (the dispatcher's group commit), and
        remember the messages that carried single cards (`sent`: a correction edits them)."""
        ids = json.dumps([i for r in rows for i in r.ids])
        subscriptions = json.dumps(sorted({r.subscription.id for r in rows}))
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE outbox SET state = 'delivered', updated_at = ?, error = NULL "
                f"WHERE id IN {_IDS}",
                (iso(now), ids),
            )
            await conn.execute(
                f"UPDATE subscriptions SET last_delivery_at = ? WHERE id IN {_IDS}",
                (iso(now), subscriptions),
            )
            await conn.executemany(
                "INSERT OR REPLACE INTO sent_cards (subscription_id, card_id, channel_id, "
                "message_id, sent_at) SELECT ?, ?, ?, ?, ? "
                "WHERE EXISTS (SELECT 1 FROM subscriptions WHERE id = ?)",  # unsubscribed since
                [
                    (
                        c.subscription_id,
                        c.card_id,
                        c.channel_id,
                        c.message_id,
                        iso(now),
                        c.subscription_id,
                    )
                    for c in sent or []
                ],
            )

    async def sent_card(
        self, subscription_id: int, card_id: str, *, since: datetime
    ) -> SentCard | None:
        """The message that carried this card to this subscription, if sent since `since`."""
        row = await self.db.fetch_one(
            "SELECT channel_id, message_id FROM sent_cards "
            "WHERE subscription_id = ? AND card_id = ? AND sent_at >= ?",
            (subscription_id, card_id, iso(since)),
        )
        if row is None:
            return None
        return SentCard(subscription_id, card_id, row["channel_id"], row["message_id"])

    async def retry_later(
        self,
        row: OutboxRow,
        error: str,
        *,
        not_before: datetime,
        now: datetime,
        counts: bool = True,
    ) -> None:
        """Back to the queue, not before `not_before`. `counts=False` (rate limits): the
        attempt is not one of the few a failing destination gets."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE outbox SET state = 'pending', attempts = attempts + ?, not_before = ?, "
                f"error = ?, updated_at = ? WHERE id IN {_IDS}",
                (int(counts), iso(not_before), error, iso(now), json.dumps(row.ids)),
            )

    async def finish(
        self,
        row: OutboxRow,
        state: Literal["failed", "dropped"],
        error: str,
        *,
        now: datetime,
        pause: bool = False,
    ) -> None:
        """Give up on a row (failed: shown as the subscription's last error; dropped: on
        purpose); with `pause`, the subscription pauses with the error as its reason."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE outbox SET state = ?, error = ?, updated_at = ?, "
                f"attempts = attempts + ? WHERE id IN {_IDS}",
                (state, error, iso(now), int(state == "failed"), json.dumps(row.ids)),
            )
            if state == "failed":
                await conn.execute(
                    "UPDATE subscriptions SET last_error = ?, last_error_at = ? WHERE id = ?",
                    (error, iso(now), row.subscription.id),
                )
            if pause:
                await pause_where(conn, "id = ?", (row.subscription.id,), error, now)

    async def counts(self) -> dict[str, int]:
        """Outbox rows by state (for benchmarks and tests)."""
        rows = await self.db.fetch_all("SELECT state, count(*) FROM outbox GROUP BY state")
        return {str(r[0]): int(r[1]) for r in rows}

    async def backlog(self, *, now: datetime) -> tuple[int, float | None]:
        """Rows waiting to be sent (pending), and how long the oldest has waited, in
        seconds (None: nothing waits). One indexed read, for /metrics and /readyz."""
        row = await self.db.fetch_one(
            "SELECT count(*), min(created_at) FROM outbox WHERE state = 'pending'"
        )
        count, oldest = (int(row[0]), row[1]) if row else (0, None)
        if oldest is None:
            return count, None
        return count, max(0.0, (now - datetime.fromisoformat(oldest)).total_seconds())

    async def prune(self, before: datetime) -> int:
        """Forget delivered and dropped rows older than `before` (their work is done)."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM outbox WHERE state IN ('delivered', 'dropped') AND updated_at < ?",
                (iso(before),),
            )
            await conn.execute("DELETE FROM sent_cards WHERE sent_at < ?", (iso(before),))
            return cursor.rowcount


def _claimed(rows: dict[int, Row], head: int, members: list[int]) -> OutboxRow:
    first = rows[head]
    batch = [(i, _change(rows[i])) for i in sorted(members) if i != head]
    return OutboxRow(
        id=head,
        kind=first["o_kind"],
        subscription=subscription_from(first),
        attempts=first["o_attempts"],
        parts_sent=first["o_parts"],
        card_id=first["o_card"],
        version=first["o_version"],
        change_kind=first["ch_kind"] or "new",
        changed=json.loads(first["ch_changed"] or "[]"),
        change_ids=json.loads(first["o_changes"] or "[]"),
        batch=batch,
        change_id=first["o_change"],
    )


def _change(row: Row) -> CardChange:
    changed = json.loads(row["ch_changed"] or "[]")
    return CardChange(row["o_card"], row["o_version"], row["ch_kind"] or "new", changed)
