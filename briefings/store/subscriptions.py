"""Subscriptions and the delivery outbox: every query, returning typed results.

The instant fan-out is not here: a trigger on card_changes (migration 003) writes outbox
rows inside the transaction of the change. This module creates and edits subscriptions,
writes digests, and moves outbox rows through pending -> sending -> delivered/failed/dropped.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Any, Literal

import aiosqlite

from briefings.models import Card, Domain, Status
from briefings.store.database import Database
from briefings.subscriptions import (
    MAX_SUBSCRIPTIONS_PER_MEMBER,
    DigestTime,
    DuplicateSubscription,
    Filters,
    InvalidSubscription,
    MemberData,
    NewSubscription,
    OutboxRow,
    Schedule,
    Subscription,
    Target,
)

UNDELIVERED = "('pending', 'sending')"


@dataclass(frozen=True, slots=True)
class DigestChange:
    """One card's changes within a digest, folded: new if it was new at any point."""

    card_id: str
    version: int
    kind: Literal["new", "update"]
    changed: list[str]


class SubscriptionStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # --- subscriptions --------------------------------------------------------------

    async def create(self, new: NewSubscription, *, now: datetime) -> Subscription:
        """A subscription from now on: only changes after the latest one reach it."""
        digest = new.digest
        async with self.db.transaction() as conn:
            await _check_room(conn, new)
            cursor = await conn.execute(
                "INSERT INTO subscriptions (target, guild_id, channel_id, user_id, created_by, "
                "actor_id, domain, pack, schedule, local_time, timezone, weekday, next_digest_at, "
                "since_change_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                "(SELECT ifnull(max(id), 0) FROM card_changes), ?) "
                "ON CONFLICT DO NOTHING RETURNING id",
                (
                    new.target.value,
                    new.guild_id,
                    new.channel_id,
                    new.user_id,
                    new.created_by,
                    new.filters.actor_id,
                    new.filters.domain.value if new.filters.domain else None,
                    new.filters.pack,
                    new.schedule.value,
                    digest.at.strftime("%H:%M") if digest else None,
                    digest.zone if digest else None,
                    digest.weekday if digest else None,
                    _iso(new.next_digest_at),
                    _iso(now),
                ),
            )
            created = await cursor.fetchone()
            if created is None:
                raise DuplicateSubscription("That subscription already exists: see /subscriptions.")
            if new.welcome:
                await conn.execute(
                    "INSERT INTO outbox (subscription_id, kind, created_at) "
                    "VALUES (?, 'welcome', ?)",
                    (created[0], _iso(now)),
                )
        found = await self.get(int(created[0]))
        assert found is not None
        return found

    async def get(self, subscription_id: int) -> Subscription | None:
        row = await self.db.fetch_one(
            "SELECT * FROM subscriptions WHERE id = ?", (subscription_id,)
        )
        return _subscription(row) if row else None

    async def for_member(
        self, member_id: int, *, guild_id: int | None, with_guild_channels: bool
    ) -> list[Subscription]:
        """The member's own (by DM, or channels they set up) and, for channel managers, every
        channel subscription of the guild."""
        rows = await self.db.fetch_all(
            "SELECT * FROM subscriptions WHERE user_id = ? OR created_by = ? "
            "OR (? AND target = 'channel' AND guild_id = ?) ORDER BY id",
            (member_id, member_id, with_guild_channels, guild_id),
        )
        return [_subscription(r) for r in rows]

    async def delete(self, subscription_id: int) -> bool:
        """Gone with its undelivered and delivered rows (the outbox cascades)."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM subscriptions WHERE id = ?", (subscription_id,)
            )
            return cursor.rowcount > 0

    async def pause(self, subscription_id: int, reason: str, *, now: datetime) -> bool:
        """Paused with a reason; what it had not yet delivered is dropped, not kept for later."""
        async with self.db.transaction() as conn:
            return await _pause(conn, "id = ?", (subscription_id,), reason, now) > 0

    async def pause_guild_channels(self, guild_id: int, reason: str, *, now: datetime) -> int:
        async with self.db.transaction() as conn:
            where = "guild_id = ? AND target = 'channel' AND status = 'active'"
            return await _pause(conn, where, (guild_id,), reason, now)

    async def resume(
        self, subscription_id: int, *, next_digest_at: datetime | None
    ) -> Subscription | None:
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE subscriptions SET status = 'active', paused_reason = NULL, "
                "next_digest_at = ?, since_change_id = (SELECT ifnull(max(id), 0) FROM "
                "card_changes) WHERE id = ?",
                (_iso(next_digest_at), subscription_id),
            )
        return await self.get(subscription_id)

    async def cache_dm_channel(self, user_id: int, channel_id: int) -> None:
        """Remember a member's DM channel for all their subscriptions: opened once per member."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE subscriptions SET dm_channel_id = ? WHERE user_id = ? AND target = 'dm'",
                (channel_id, user_id),
            )

    # --- a member's data ------------------------------------------------------------

    async def member_data(self, member_id: int) -> MemberData:
        subscriptions = await self.for_member(member_id, guild_id=None, with_guild_channels=False)
        rows = await self.db.fetch_all(
            "SELECT o.subscription_id, count(*) FROM outbox o JOIN subscriptions s "
            f"ON s.id = o.subscription_id WHERE o.state IN {UNDELIVERED} "
            "AND (s.user_id = ? OR s.created_by = ?) GROUP BY o.subscription_id",
            (member_id, member_id),
        )
        return MemberData(subscriptions, {int(r[0]): int(r[1]) for r in rows})

    async def forget_member(self, member_id: int) -> tuple[int, int]:
        """Delete their DM subscriptions (and all their rows); channel subscriptions they set
        up stay with the channel, without their id. Returns (deleted, anonymised)."""
        async with self.db.transaction() as conn:
            deleted = await conn.execute(
                "DELETE FROM subscriptions WHERE user_id = ? AND target = 'dm'", (member_id,)
            )
            anonymised = await conn.execute(
                "UPDATE subscriptions SET created_by = NULL WHERE created_by = ?", (member_id,)
            )
            return deleted.rowcount, anonymised.rowcount

    # --- digests --------------------------------------------------------------------

    async def due_digests(self, now: datetime) -> list[Subscription]:
        rows = await self.db.fetch_all(
            "SELECT * FROM subscriptions WHERE next_digest_at <= ? AND status = 'active' "
            "ORDER BY next_digest_at",
            (_iso(now),),
        )
        return [_subscription(r) for r in rows]

    async def write_digest(
        self, subscription: Subscription, *, now: datetime, next_at: datetime
    ) -> bool:
        """In one transaction: collect the matching changes since the last digest, write one
        outbox row if there are any, and move the schedule on. True when a row was written."""
        async with self.db.transaction() as conn:
            until, matched = await _row(
                conn,
                "SELECT ifnull(max(id), 0), (SELECT json_group_array(change_id) FROM "
                "subscription_matches WHERE subscription_id = ? AND change_id > ?) "
                "FROM card_changes",
                (subscription.id, subscription.since_change_id),
            )
            changes = json.loads(matched)
            if changes:
                await conn.execute(
                    "INSERT OR IGNORE INTO outbox (subscription_id, kind, change_ids, "
                    "until_change_id, created_at) VALUES (?, 'digest', ?, ?, ?)",
                    (subscription.id, json.dumps(changes), until, _iso(now)),
                )
            await conn.execute(
                "UPDATE subscriptions SET since_change_id = ?, next_digest_at = ? WHERE id = ?",
                (until, _iso(next_at), subscription.id),
            )
        return bool(changes)

    async def digest_changes(self, change_ids: list[int]) -> list[DigestChange]:
        rows = await self.db.fetch_all(
            "SELECT card_id, version, kind, changes FROM card_changes "
            "WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id",
            (json.dumps(change_ids),),
        )
        folded: dict[str, DigestChange] = {}
        for row in rows:
            before = folded.get(row["card_id"])
            changed = json.loads(row["changes"])
            if before is not None:
                changed = list(dict.fromkeys([*before.changed, *changed]))
            was_new = (before is not None and before.kind == "new") or row["kind"] == "new"
            kind: Literal["new", "update"] = "new" if was_new else "update"
            folded[row["card_id"]] = DigestChange(row["card_id"], row["version"], kind, changed)
        return list(folded.values())

    async def card_at(self, card_id: str, version: int) -> Card | None:
        """The card exactly as it was at that version (what the change published)."""
        row = await self.db.fetch_one(
            "SELECT after FROM card_revisions WHERE card_id = ? AND version = ? "
            "ORDER BY id DESC LIMIT 1",
            (card_id, version),
        )
        return Card.model_validate_json(row["after"]) if row else None

    async def card_status(self, card_id: str) -> Status | None:
        row = await self.db.fetch_one("SELECT status FROM cards WHERE id = ?", (card_id,))
        return Status(row["status"]) if row else None

    # --- the outbox -----------------------------------------------------------------

    async def release_claims(self) -> int:
        """Rows a previous process claimed but never confirmed go back to the queue: they
        may have been sent already (at-least-once), but none is lost."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE outbox SET state = 'pending' WHERE state = 'sending'"
            )
            return cursor.rowcount

    async def claim(self, *, limit: int, now: datetime) -> list[OutboxRow]:
        async with (
            self.db.transaction() as conn,
            conn.execute(
                "UPDATE outbox SET state = 'sending', updated_at = ?1 WHERE id IN ("
                "SELECT o.id FROM outbox o JOIN subscriptions s ON s.id = o.subscription_id "
                "WHERE o.state = 'pending' AND (o.not_before IS NULL OR o.not_before <= ?1) "
                "AND s.status = 'active' ORDER BY o.id LIMIT ?2) RETURNING id",
                (_iso(now), limit),
            ) as cursor,
        ):
            ids = sorted(int(r[0]) for r in await cursor.fetchall())
        if not ids:
            return []
        rows = await self.db.fetch_all(
            "SELECT o.id AS o_id, o.kind AS o_kind, o.card_id AS o_card, o.version AS o_version, "
            "o.change_ids AS o_changes, o.attempts AS o_attempts, o.parts_sent AS o_parts, "
            "ch.kind AS ch_kind, ch.changes AS ch_changed, s.* FROM outbox o "
            "JOIN subscriptions s ON s.id = o.subscription_id "
            "LEFT JOIN card_changes ch ON ch.id = o.change_id "
            "WHERE o.id IN (SELECT value FROM json_each(?)) ORDER BY o.id",
            (json.dumps(ids),),
        )
        return [_outbox_row(r) for r in rows]

    async def parts_sent(self, row_id: int, parts: int) -> None:
        async with self.db.transaction() as conn:
            await conn.execute("UPDATE outbox SET parts_sent = ? WHERE id = ?", (parts, row_id))

    async def delivered(self, rows: list[OutboxRow], *, now: datetime) -> None:
        """Mark rows delivered, many per transaction (the dispatcher's group commit)."""
        ids = json.dumps([r.id for r in rows])
        subscriptions = json.dumps(sorted({r.subscription.id for r in rows}))
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE outbox SET state = 'delivered', updated_at = ?, error = NULL "
                "WHERE id IN (SELECT value FROM json_each(?))",
                (_iso(now), ids),
            )
            await conn.execute(
                "UPDATE subscriptions SET last_delivery_at = ? "
                "WHERE id IN (SELECT value FROM json_each(?))",
                (_iso(now), subscriptions),
            )

    async def retry_later(
        self, row: OutboxRow, error: str, *, not_before: datetime, now: datetime
    ) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE outbox SET state = 'pending', attempts = attempts + 1, not_before = ?, "
                "error = ?, updated_at = ? WHERE id = ?",
                (_iso(not_before), error, _iso(now), row.id),
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
                "attempts = attempts + ? WHERE id = ?",
                (state, error, _iso(now), int(state == "failed"), row.id),
            )
            if state == "failed":
                await conn.execute(
                    "UPDATE subscriptions SET last_error = ?, last_error_at = ? WHERE id = ?",
                    (error, _iso(now), row.subscription.id),
                )
            if pause:
                await _pause(conn, "id = ?", (row.subscription.id,), error, now)

    async def counts(self) -> dict[str, int]:
        """Outbox rows by state (for benchmarks and tests)."""
        rows = await self.db.fetch_all("SELECT state, count(*) FROM outbox GROUP BY state")
        return {str(r[0]): int(r[1]) for r in rows}

    async def has_pending(self) -> bool:
        return bool(await self.db.fetch_one("SELECT 1 FROM outbox WHERE state = 'pending' LIMIT 1"))

    async def prune(self, before: datetime) -> int:
        """Forget delivered and dropped rows older than `before` (their work is done)."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM outbox WHERE state IN ('delivered', 'dropped') AND updated_at < ?",
                (_iso(before),),
            )
            return cursor.rowcount


async def _check_room(conn: aiosqlite.Connection, new: NewSubscription) -> None:
    """A member (or a channel) holds at most MAX_SUBSCRIPTIONS_PER_MEMBER subscriptions."""
    where = "user_id = ? AND target = 'dm'" if new.target is Target.DM else "channel_id = ?"
    key = new.user_id if new.target is Target.DM else new.channel_id
    (count,) = await _row(conn, f"SELECT count(*) FROM subscriptions WHERE {where}", (key,))
    if count >= MAX_SUBSCRIPTIONS_PER_MEMBER:
        raise InvalidSubscription(
            f"That's {count} subscriptions already, the most there can be: "
            "remove one with /unsubscribe first."
        )


async def _row(conn: aiosqlite.Connection, sql: str, params: tuple[Any, ...]) -> sqlite3.Row:
    """The one row an aggregate query always returns."""
    async with conn.execute(sql, params) as cursor:
        row = await cursor.fetchone()
    assert row is not None
    return row


async def _pause(
    conn: aiosqlite.Connection, where: str, params: tuple[Any, ...], reason: str, now: datetime
) -> int:
    cursor = await conn.execute(
        f"UPDATE subscriptions SET status = 'paused', paused_reason = ? WHERE {where} RETURNING id",
        (reason, *params),
    )
    ids = [int(r[0]) for r in await cursor.fetchall()]
    await conn.execute(
        "UPDATE outbox SET state = 'dropped', error = 'subscription paused', updated_at = ? "
        f"WHERE state IN {UNDELIVERED} AND subscription_id IN (SELECT value FROM json_each(?))",
        (_iso(now), json.dumps(ids)),
    )
    return len(ids)


def _iso(when: datetime | None) -> str | None:
    """One format for every stored instant, so they also compare correctly as text."""
    return when.astimezone(UTC).isoformat(timespec="microseconds") if when else None


def _utc(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text).astimezone(UTC) if text else None


def _subscription(row: sqlite3.Row) -> Subscription:
    digest = None
    if row["local_time"]:
        at = time.fromisoformat(row["local_time"])
        digest = DigestTime(at=at, zone=row["timezone"], weekday=row["weekday"])
    created = _utc(row["created_at"])
    assert created is not None
    return Subscription(
        id=row["id"],
        target=Target(row["target"]),
        guild_id=row["guild_id"],
        channel_id=row["channel_id"],
        user_id=row["user_id"],
        created_by=row["created_by"],
        dm_channel_id=row["dm_channel_id"],
        filters=Filters(
            actor_id=row["actor_id"],
            domain=Domain(row["domain"]) if row["domain"] else None,
            pack=row["pack"],
        ),
        schedule=Schedule(row["schedule"]),
        digest=digest,
        next_digest_at=_utc(row["next_digest_at"]),
        since_change_id=row["since_change_id"],
        paused_reason=row["paused_reason"] if row["status"] == "paused" else None,
        created_at=created,
        last_delivery_at=_utc(row["last_delivery_at"]),
        last_error=row["last_error"],
        last_error_at=_utc(row["last_error_at"]),
    )


def _outbox_row(row: sqlite3.Row) -> OutboxRow:
    return OutboxRow(
        id=row["o_id"],
        kind=row["o_kind"],
        subscription=_subscription(row),
        attempts=row["o_attempts"],
        parts_sent=row["o_parts"],
        card_id=row["o_card"],
        version=row["o_version"],
        change_kind=row["ch_kind"] or "new",
        changed=json.loads(row["ch_changed"] or "[]"),
        change_ids=json.loads(row["o_changes"] or "[]"),
    )
