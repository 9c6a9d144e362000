"""Subscriptions: every query about them and about a member's data, returning typed results.

The instant fan-out is not here: a trigger on card_changes (migration 003) writes outbox
rows inside the transaction of the change. This module creates and edits subscriptions and
writes digests; the outbox's states are `briefings/store/outbox.py`. It imports only the
subscriptions' model, never the service.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, time
from typing import Any

from briefings.models import Card, Domain, Status
from briefings.store.database import Connection, Database, Row
from briefings.subscriptions.model import (
    CardChange,
    Corrections,
    DigestTime,
    DuplicateSubscription,
    Filters,
    Follows,
    MemberData,
    NewSubscription,
    QuotaReached,
    Schedule,
    Subscription,
    Target,
    Threads,
)

UNDELIVERED = "('pending', 'sending')"


class SubscriptionStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # --- subscriptions --------------------------------------------------------------

    async def create(self, new: NewSubscription, *, now: datetime, at_most: int) -> Subscription:
        """A subscription from now on: only changes after the latest one reach it. Refused
        (QuotaReached) when its DMs or channel already hold `at_most`."""
        digest = new.digest
        async with self.db.transaction() as conn:
            await _check_room(conn, new, at_most)
            cursor = await conn.execute(
                "INSERT INTO subscriptions (target, guild_id, channel_id, user_id, created_by, "
                "actor_id, domain, pack, schedule, local_time, timezone, weekday, next_digest_at, "
                "since_change_id, created_at, ping_role_id, corrections, publish, threads, forum, "
                "follows) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                "(SELECT ifnull(max(id), 0) FROM card_changes), ?, ?, ?, ?, ?, ?, ?) "
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
                    iso(new.next_digest_at),
                    iso(now),
                    new.ping_role_id,
                    new.corrections.value,
                    int(new.publish),
                    new.threads.value,
                    int(new.forum),
                    new.follows.value,
                ),
            )
            created = await cursor.fetchone()
            if created is None:
                raise DuplicateSubscription()
            if new.welcome:
                await conn.execute(
                    "INSERT INTO outbox (subscription_id, kind, created_at) "
                    "VALUES (?, 'welcome', ?)",
                    (created[0], iso(now)),
                )
        found = await self.get(int(created[0]))
        assert found is not None
        return found

    async def get(self, subscription_id: int) -> Subscription | None:
        row = await self.db.fetch_one(
            "SELECT * FROM subscriptions WHERE id = ?", (subscription_id,)
        )
        return subscription_from(row) if row else None

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
        return [subscription_from(r) for r in rows]

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
            return await pause_where(conn, "id = ?", (subscription_id,), reason, now) > 0

    async def pause_guild_channels(self, guild_id: int, reason: str, *, now: datetime) -> int:
        async with self.db.transaction() as conn:
            where = "guild_id = ? AND target = 'channel' AND status = 'active'"
            return await pause_where(conn, where, (guild_id,), reason, now)

    async def resume(
        self, subscription_id: int, *, next_digest_at: datetime | None
    ) -> Subscription | None:
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE subscriptions SET status = 'active', paused_reason = NULL, "
                "next_digest_at = ?, since_change_id = (SELECT ifnull(max(id), 0) FROM "
                "card_changes) WHERE id = ?",
                (iso(next_digest_at), subscription_id),
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
            (iso(now),),
        )
        return [subscription_from(r) for r in rows]

    async def write_digest(
        self, subscription: Subscription, *, now: datetime, next_at: datetime
    ) -> bool:
        """In one transaction: collect the matching changes since the last digest, write one
        outbox row if there are any, and move the schedule on. True when a row was written."""
        async with self.db.transaction() as conn:
            until, matched = await _row(
                conn,
                "SELECT ifnull(max(id), 0), (SELECT json_group_array(change_id) FROM "
                "subscription_wants WHERE subscription_id = ? AND change_id > ?) "
                "FROM card_changes",
                (subscription.id, subscription.since_change_id),
            )
            changes = json.loads(matched)
            if changes:
                await conn.execute(
                    "INSERT OR IGNORE INTO outbox (subscription_id, kind, change_ids, "
                    "until_change_id, created_at) VALUES (?, 'digest', ?, ?, ?)",
                    (subscription.id, json.dumps(changes), until, iso(now)),
                )
            await conn.execute(
                "UPDATE subscriptions SET since_change_id = ?, next_digest_at = ? WHERE id = ?",
                (until, iso(next_at), subscription.id),
            )
        return bool(changes)

    async def changes(self, change_ids: list[int]) -> list[CardChange]:
        """These card changes, oldest first, as recorded."""
        rows = await self.db.fetch_all(
            "SELECT card_id, version, kind, changes FROM card_changes "
            "WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id",
            (json.dumps(change_ids),),
        )
        return [
            CardChange(r["card_id"], r["version"], r["kind"], json.loads(r["changes"]))
            for r in rows
        ]

    async def card_at(self, card_id: str, version: int) -> Card | None:
        """The card exactly as it was at that version (what the change published)."""
        row = await self.db.fetch_one(
            "SELECT after FROM card_revisions WHERE card_id = ? AND version = ? "
            "ORDER BY id DESC LIMIT 1",
            (card_id, version),
        )
        return Card.model_validate_json(row["after"]) if row else None

    async def first_publication(self, change_id: int) -> bool:
        """Is this change part of the change set that first published cards of its pack
        (the briefing's publication: a load, an import or a briefing published whole)?"""
        row = await self.db.fetch_one(
            "SELECT ch.kind = 'new' AND NOT EXISTS (SELECT 1 FROM card_changes e "
            "WHERE e.pack = ch.pack AND e.at < ch.at) FROM card_changes ch WHERE ch.id = ?",
            (change_id,),
        )
        return bool(row and row[0])

    async def domains(self, card_ids: list[str]) -> list[Domain]:
        """The arenas these cards' leverage shifts move in (a forum post's tags match them)."""
        rows = await self.db.fetch_all(
            "SELECT DISTINCT l.domain FROM cards c, json_each(c.data, '$.leverage') j "
            "JOIN leverage l ON l.id = j.value "
            "WHERE c.id IN (SELECT value FROM json_each(?)) ORDER BY l.domain",
            (json.dumps(card_ids),),
        )
        return [Domain(r[0]) for r in rows]

    async def thread(self, subscription_id: int, key: str) -> int | None:
        """The thread (or forum post) this subscription opened for `key`, if any."""
        row = await self.db.fetch_one(
            "SELECT thread_id FROM delivery_threads WHERE subscription_id = ? AND key = ?",
            (subscription_id, key),
        )
        return int(row[0]) if row else None

    async def remember_thread(
        self, subscription_id: int, key: str, thread_id: int, *, now: datetime
    ) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT OR REPLACE INTO delivery_threads (subscription_id, key, thread_id, "
                "created_at) SELECT ?, ?, ?, ? WHERE EXISTS "
                "(SELECT 1 FROM subscriptions WHERE id = ?)",
                (subscription_id, key, thread_id, iso(now), subscription_id),
            )

    async def forget_thread(self, subscription_id: int, key: str) -> None:
        """A thread deleted since: the next delivery opens a new one."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "DELETE FROM delivery_threads WHERE subscription_id = ? AND key = ?",
                (subscription_id, key),
            )

    async def card_status(self, card_id: str) -> Status | None:
        row = await self.db.fetch_one("SELECT status FROM cards WHERE id = ?", (card_id,))
        return Status(row["status"]) if row else None


async def _check_room(conn: Connection, new: NewSubscription, at_most: int) -> None:
    where = "user_id = ? AND target = 'dm'" if new.target is Target.DM else "channel_id = ?"
    key = new.user_id if new.target is Target.DM else new.channel_id
    (count,) = await _row(conn, f"SELECT count(*) FROM subscriptions WHERE {where}", (key,))
    if count >= at_most:
        raise QuotaReached(count, at_most)


async def _row(conn: Connection, sql: str, params: tuple[Any, ...]) -> Row:
    """The one row an aggregate query always returns."""
    async with conn.execute(sql, params) as cursor:
        row = await cursor.fetchone()
    assert row is not None
    return row


async def pause_where(
    conn: Connection, where: str, params: tuple[Any, ...], reason: str, now: datetime
) -> int:
    cursor = await conn.execute(
        f"UPDATE subscriptions SET status = 'paused', paused_reason = ? WHERE {where} RETURNING id",
        (reason, *params),
    )
    ids = [int(r[0]) for r in await cursor.fetchall()]
    await conn.execute(
        "UPDATE outbox SET state = 'dropped', error = 'subscription paused', updated_at = ? "
        f"WHERE state IN {UNDELIVERED} AND subscription_id IN (SELECT value FROM json_each(?))",
        (iso(now), json.dumps(ids)),
    )
    return len(ids)


def iso(when: datetime | None) -> str | None:
    """One format for every stored instant, so they also compare correctly as text."""
    return when.astimezone(UTC).isoformat(timespec="microseconds") if when else None


def _utc(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text).astimezone(UTC) if text else None


def subscription_from(row: Row) -> Subscription:
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
        ping_role_id=row["ping_role_id"],
        corrections=Corrections(row["corrections"]),
        publish=bool(row["publish"]),
        threads=Threads(row["threads"]),
        forum=bool(row["forum"]),
        follows=Follows(row["follows"]),
    )
