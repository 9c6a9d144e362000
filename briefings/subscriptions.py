"""Subscriptions to card changes: what they are, when digests fall due, what gets delivered.

Pure of Discord. The store (briefings/store/subscriptions.py) persists these shapes and the
outbox; the bot's dispatcher asks `SubscriptionService.delivery` what to send for each row.
"""

from __future__ import annotations

import difflib
import functools
import re
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Literal

from briefings.errors import BriefingError
from briefings.models import Card, CardRef, Citation, Domain, Pack, Status

if TYPE_CHECKING:
    from briefings.briefing import Briefing
    from briefings.store.subscriptions import SubscriptionStore

Clock = Callable[[], datetime]
"""Returns the current instant as an aware UTC datetime; injected so tests need not sleep."""

DEFAULT_DIGEST_TIME = time(9, 0)
DEFAULT_TIMEZONE = "UTC"
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MAX_SUBSCRIPTIONS_PER_MEMBER = 25
"""Enough for anyone; also what one autocomplete list can show."""


class Schedule(StrEnum):
    INSTANT = "instant"
    DAILY = "daily"
    WEEKLY = "weekly"


class Target(StrEnum):
    DM = "dm"
    CHANNEL = "channel"


class InvalidSubscription(BriefingError):
    """A subscription request that cannot be honoured; the text says how to fix it."""


class DuplicateSubscription(InvalidSubscription):
    pass


@dataclass(frozen=True, slots=True)
class Filters:
    """What a subscription narrows to; None matches everything."""

    actor_id: str | None = None
    domain: Domain | None = None
    pack: str | None = None


@dataclass(frozen=True, slots=True)
class DigestTime:
    """When a digest is due: a local wall-clock time in an IANA zone (weekly: on a weekday)."""

    at: time
    zone: str
    weekday: int | None = None


@dataclass(frozen=True, slots=True)
class Subscription:
    id: int
    target: Target
    guild_id: int | None
    channel_id: int | None
    user_id: int | None
    created_by: int | None
    dm_channel_id: int | None
    filters: Filters
    schedule: Schedule
    digest: DigestTime | None
    next_digest_at: datetime | None
    since_change_id: int
    paused_reason: str | None
    created_at: datetime
    last_delivery_at: datetime | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.paused_reason is None


@dataclass(frozen=True, slots=True)
class NewSubscription:
    target: Target
    guild_id: int | None
    channel_id: int | None
    user_id: int | None
    created_by: int
    filters: Filters = Filters()
    schedule: Schedule = Schedule.INSTANT
    digest: DigestTime | None = None
    next_digest_at: datetime | None = None
    welcome: bool = False


OutboxKind = Literal["card", "digest", "welcome"]


@dataclass(frozen=True, slots=True)
class OutboxRow:
    """One claimed delivery, with what the dispatcher needs to address it."""

    id: int
    kind: OutboxKind
    subscription: Subscription
    attempts: int
    parts_sent: int
    card_id: str | None = None
    version: int | None = None
    change_kind: Literal["new", "update"] = "new"
    changed: list[str] = field(default_factory=list)
    change_ids: list[int] = field(default_factory=list)

    @property
    def content_key(self) -> tuple[object, ...] | None:
        """Rows with equal keys render alike (one card to a thousand channels); None: unique."""
        if self.kind == "card":
            return ("card", self.card_id, self.version, self.change_kind)
        if self.kind == "welcome":
            return ("welcome", self.subscription.filters.pack, self.subscription.guild_id)
        return None


@dataclass(frozen=True, slots=True)
class MemberData:
    """Everything stored about one member: their subscriptions and undelivered rows."""

    subscriptions: list[Subscription]
    pending: dict[int, int]
    """Undelivered outbox rows per subscription id."""


# --- what is delivered --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CardDelivery:
    card: Card
    citation: Citation
    kind: Literal["new", "update"]
    changed: list[str]


@dataclass(frozen=True, slots=True)
class DigestDelivery:
    schedule: Schedule
    entries: list[CardDelivery]


@dataclass(frozen=True, slots=True)
class WelcomeDelivery:
    pack: Pack
    outline: list[CardRef]


Delivery = CardDelivery | DigestDelivery | WelcomeDelivery


def guild_scoped(delivery: Delivery) -> bool:
    """Does it carry a guild's own cards (which only that guild's members may read)?"""
    if isinstance(delivery, CardDelivery):
        return delivery.card.guild_id is not None
    if isinstance(delivery, DigestDelivery):
        return any(e.card.guild_id is not None for e in delivery.entries)
    return False


# --- digest schedules ---------------------------------------------------------------------

_TIME = re.compile(r"^\s*(\d{1,2})\s*[:.h]\s*(\d{2})\s*$")


def parse_time(text: str) -> time:
    match = _TIME.match(text)
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        raise InvalidSubscription(f"{text!r} is not a time of day: use HH:MM, e.g. 09:00 or 18:30.")
    return time(int(match[1]), int(match[2]))


@functools.cache
def _zone_names() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


def parse_zone(name: str) -> zoneinfo.ZoneInfo:
    """The IANA zone, matched case-insensitively; unknown names get suggestions."""
    by_folded = {z.casefold(): z for z in _zone_names()}
    found = by_folded.get(name.strip().casefold())
    if found is None:
        close = difflib.get_close_matches(name.strip(), _zone_names(), n=3, cutoff=0.6)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        raise InvalidSubscription(
            f"{name!r} is not an IANA time zone (like Europe/Berlin or America/New_York).{hint}"
        )
    return zoneinfo.ZoneInfo(found)


def timezone_names(current: str, *, limit: int) -> list[str]:
    """Zones for autocomplete: names starting with what was typed first, then containing it."""
    wanted = current.strip().casefold().replace(" ", "_")
    if not wanted:
        return ["UTC", "Europe/London", "Europe/Berlin", "Europe/Istanbul", "Europe/Moscow",
                "America/New_York", "America/Los_Angeles", "Asia/Tokyo"][:limit]  # fmt: skip
    names = _zone_names()
    starts = [z for z in names if z.casefold().startswith(wanted)]
    parts = [z for z in names if any(p.startswith(wanted) for p in z.casefold().split("/")[1:])]
    inside = [z for z in names if wanted in z.casefold()]
    return list(dict.fromkeys([*starts, *parts, *inside]))[:limit]


def digest_time(
    schedule: Schedule, at: str | None, zone: str | None, weekday: int | None
) -> DigestTime | None:
    """Validate a digest's time options; instant subscriptions take none."""
    if schedule is Schedule.INSTANT:
        if at or zone or weekday is not None:
            raise InvalidSubscription(
                "Time, time zone and day apply to daily or weekly digests: "
                "add `schedule: daily` (or weekly), or leave them out."
            )
        return None
    local = parse_time(at) if at else DEFAULT_DIGEST_TIME
    name = parse_zone(zone or DEFAULT_TIMEZONE).key
    day = (weekday if weekday is not None else 0) if schedule is Schedule.WEEKLY else None
    return DigestTime(at=local, zone=name, weekday=day)


def local_occurrence(day: date, at: time, zone: zoneinfo.ZoneInfo) -> datetime:
    """`at` on `day` in `zone`, as UTC.

    fold=0 decides the two odd cases deliberately: a time that does not exist (skipped when
    clocks go forward) is read with the offset from before the change, so it lands that much
    later (02:30 becomes 03:30); a time that happens twice (clocks go back) means its first
    occurrence. Either way the digest comes exactly once that day.
    """
    return datetime.combine(day, at, tzinfo=zone).replace(fold=0).astimezone(UTC)


def next_digest_at(after: datetime, schedule: Schedule, digest: DigestTime) -> datetime:
    """The first digest instant strictly after `after` (a bot that was down skips, not repeats)."""
    zone = zoneinfo.ZoneInfo(digest.zone)
    day = after.astimezone(zone).date()
    for offset in range(9):  # a week, and a day either side of a zone's date line
        candidate = day + timedelta(days=offset)
        if schedule is Schedule.WEEKLY and candidate.weekday() != digest.weekday:
            continue
        when = local_occurrence(candidate, digest.at, zone)
        if when > after:
            return when
    raise AssertionError("unreachable: every week has the weekday")


# --- the service the bot calls ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SubscribeRequest:
    """A /subscribe as the member typed it: names to resolve, texts to parse."""

    target: Target
    guild_id: int | None
    channel_id: int | None
    member_id: int
    actor: str | None = None
    domain: str | None = None
    pack: str | None = None
    schedule: Schedule = Schedule.INSTANT
    at: str | None = None
    zone: str | None = None
    weekday: int | None = None
    welcome: bool = False


class SubscriptionService:
    def __init__(self, core: Briefing, store: SubscriptionStore) -> None:
        self.core = core
        self.store = store

    async def subscribe(self, request: SubscribeRequest, *, now: datetime) -> Subscription:
        filters = await self.filters(request)
        digest = digest_time(request.schedule, request.at, request.zone, request.weekday)
        new = NewSubscription(
            target=request.target,
            guild_id=request.guild_id,
            channel_id=request.channel_id,
            user_id=request.member_id if request.target is Target.DM else None,
            created_by=request.member_id,
            filters=filters,
            schedule=request.schedule,
            digest=digest,
            next_digest_at=next_digest_at(now, request.schedule, digest) if digest else None,
            welcome=request.welcome,
        )
        return await self.store.create(new, now=now)

    async def filters(self, request: SubscribeRequest) -> Filters:
        gid = request.guild_id
        actor = (
            await self.core.resolve_actor(request.actor, guild_id=gid) if request.actor else None
        )
        pack = (await self.core.pack(request.pack)).slug if request.pack else None
        try:
            domain = Domain(request.domain) if request.domain else None
        except ValueError:
            known = ", ".join(d.value for d in Domain)
            raise InvalidSubscription(
                f"Unknown domain {request.domain!r}: one of {known}."
            ) from None
        return Filters(actor_id=actor.id if actor else None, domain=domain, pack=pack)

    async def resume(self, subscription: Subscription, *, now: datetime) -> Subscription | None:
        """Active again from now: nothing missed while paused is replayed."""
        digest = subscription.digest
        due = next_digest_at(now, subscription.schedule, digest) if digest else None
        return await self.store.resume(subscription.id, next_digest_at=due)

    async def run_due_digests(self, now: datetime) -> int:
        """Write the digests that are due; return how many had something to say."""
        written = 0
        for subscription in await self.store.due_digests(now):
            assert subscription.digest is not None
            following = next_digest_at(now, subscription.schedule, subscription.digest)
            written += await self.store.write_digest(subscription, now=now, next_at=following)
        return written

    async def delivery(self, row: OutboxRow) -> Delivery | None:
        """What to send for a row; None when there is nothing left to send (cards archived)."""
        if row.kind == "welcome":
            pack = await self.core.pack(row.subscription.filters.pack)
            outline = await self.core.outline(pack.slug, guild_id=row.subscription.guild_id)
            return WelcomeDelivery(pack=pack, outline=outline)
        if row.kind == "card":
            assert row.card_id is not None and row.version is not None
            return await self._entry(row.card_id, row.version, row.change_kind, row.changed)
        return await self._digest(row)

    async def _digest(self, row: OutboxRow) -> DigestDelivery | None:
        entries = []
        for change in await self.store.digest_changes(row.change_ids):
            entry = await self._entry(change.card_id, change.version, change.kind, change.changed)
            if entry is not None:
                entries.append(entry)
        if not entries:
            return None
        return DigestDelivery(schedule=row.subscription.schedule, entries=entries)

    async def _entry(
        self, card_id: str, version: int, kind: Literal["new", "update"], changed: list[str]
    ) -> CardDelivery | None:
        card = await self.store.card_at(card_id, version)
        if card is None or await self.store.card_status(card_id) is Status.ARCHIVED:
            return None  # archived since: it is no longer part of the briefing
        return CardDelivery(
            card=card, citation=await self.core.cite(card), kind=kind, changed=changed
        )
