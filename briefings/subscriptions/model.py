"""Subscriptions' shapes: what a subscription is, what the outbox holds, what is delivered.

Pure data, no I/O: the store (briefings/store/) persists these, the service decides with them.
Errors carry data (counts, names, suggestions); the bot words them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from enum import StrEnum
from typing import Literal

from briefings.errors import BriefingError
from briefings.models import Card, Domain, Pack
from briefings.results import CardRef, Citation

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


class Corrections(StrEnum):
    """How a correction of a card already sent reaches the subscriber."""

    EDIT = "edit"
    """The message sent (instant, within SENT_CARDS_EDITABLE) is edited, marked updated."""
    NEW = "new"
    """A new message, as for any update."""


SENT_CARDS_EDITABLE = timedelta(days=7)
"""How old a delivered card's message may be and still be edited by a correction."""


class Target(StrEnum):
    DM = "dm"
    CHANNEL = "channel"


class Threads(StrEnum):
    """Where in a channel a subscription posts."""

    NONE = "none"
    """In the channel (or the thread) itself."""
    DIGEST = "digest"
    """A new thread for each delivery (each digest)."""
    BRIEFING = "briefing"
    """One thread per briefing: that briefing's deliveries go on in it."""


class Follows(StrEnum):
    """What a subscription follows."""

    CARDS = "cards"
    """Every new and updated card (a new briefing arrives as one message)."""
    BRIEFINGS = "briefings"
    """New briefings only: one message each, when a briefing is first published."""


# --- errors: data, not prose --------------------------------------------------------------


class InvalidSubscription(BriefingError):
    """A subscription request that cannot be honoured."""


class InvalidTime(InvalidSubscription):
    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__(f"{text!r} is not a time of day: use HH:MM, e.g. 09:00 or 18:30.")


class UnknownZone(InvalidSubscription):
    def __init__(self, name: str, suggestions: list[str]) -> None:
        self.name, self.suggestions = name, suggestions
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"{name!r} is not an IANA time zone (like Europe/Berlin).{hint}")


class UnknownDomain(InvalidSubscription):
    def __init__(self, name: str) -> None:
        self.name = name
        self.known = [d.value for d in Domain]
        super().__init__(f"Unknown domain {name!r}: one of {', '.join(self.known)}.")


class DigestOptionsForInstant(InvalidSubscription):
    """Time, zone or day given for an instant subscription (they apply to digests only)."""

    def __init__(self) -> None:
        super().__init__("Time, time zone and day apply to daily or weekly digests only.")


class PingNeedsChannel(InvalidSubscription):
    """A role to ping for a DM subscription (only a channel has roles to ping)."""

    def __init__(self) -> None:
        super().__init__("A role ping applies to channel subscriptions only.")


class PublishNeedsChannel(InvalidSubscription):
    """Publishing asked for a DM subscription (only announcement channels publish)."""

    def __init__(self) -> None:
        super().__init__("Publishing applies to announcement channel subscriptions only.")


class ThreadsNeedChannel(InvalidSubscription):
    """Threads asked for a DM subscription, or inside a thread (threads hold no threads)."""

    def __init__(self) -> None:
        super().__init__("New threads apply to text, announcement and forum channels only.")


class DuplicateSubscription(InvalidSubscription):
    def __init__(self) -> None:
        super().__init__("That subscription already exists.")


class QuotaReached(InvalidSubscription):
    def __init__(self, count: int, limit: int) -> None:
        self.count, self.limit = count, limit
        super().__init__(f"{count} subscriptions already, the most there can be ({limit}).")


# --- subscriptions ------------------------------------------------------------------------


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
    ping_role_id: int | None = None
    """A channel subscription's role to ping with each delivery (opt-in); None: no ping."""
    corrections: Corrections = Corrections.EDIT
    publish: bool = False
    """An announcement channel's deliveries are published to the servers following it."""
    threads: Threads = Threads.NONE
    forum: bool = False
    """The channel is a forum: each thread is a post there (tagged by domain)."""
    follows: Follows = Follows.CARDS

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
    ping_role_id: int | None = None
    corrections: Corrections = Corrections.EDIT
    publish: bool = False
    threads: Threads = Threads.NONE
    forum: bool = False
    follows: Follows = Follows.CARDS


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
    ping_role_id: int | None = None
    corrections: Corrections = Corrections.EDIT
    publish: bool = False
    threads: Threads = Threads.NONE
    forum: bool = False
    follows: Follows = Follows.CARDS


@dataclass(frozen=True, slots=True)
class MemberData:
    """Everything stored about one member: their subscriptions and undelivered rows."""

    subscriptions: list[Subscription]
    pending: dict[int, int]
    """Undelivered outbox rows per subscription id."""


# --- the outbox ---------------------------------------------------------------------------

OutboxKind = Literal["card", "digest", "welcome"]
ChangeKind = Literal["new", "update"]


@dataclass(frozen=True, slots=True)
class CardChange:
    """One card change an outbox row carries: which version, new or updated, what changed."""

    card_id: str
    version: int
    kind: ChangeKind = "new"
    changed: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class OutboxRow:
    """One claimed delivery, with what the dispatcher needs to address it.

    A card row may carry the other card rows of the same change set for the same
    subscription (`batch`): an import of many cards is one message, not one per card."""

    id: int
    kind: OutboxKind
    subscription: Subscription
    attempts: int
    parts_sent: int
    card_id: str | None = None
    version: int | None = None
    change_kind: ChangeKind = "new"
    changed: list[str] = field(default_factory=list)
    change_ids: list[int] = field(default_factory=list)
    batch: list[tuple[int, CardChange]] = field(default_factory=list)
    """(row id, change) of the rows claimed with this one, the head excluded."""
    change_id: int | None = None
    """A card row's card_changes id (which change set, hence which publication)."""

    @property
    def ids(self) -> list[int]:
        """Every outbox row this delivery settles."""
        return [self.id, *(row_id for row_id, _ in self.batch)]

    @property
    def changes(self) -> list[CardChange]:
        """A card row's changes, the head first."""
        if self.card_id is None or self.version is None:
            return []
        head = CardChange(self.card_id, self.version, self.change_kind, self.changed)
        return [head, *(change for _, change in self.batch)]

    @property
    def single_card(self) -> str | None:
        """The card id of a delivery of one card (not a digest, batch or welcome)."""
        return self.card_id if self.kind == "card" and not self.batch else None

    @property
    def content_key(self) -> tuple[object, ...] | None:
        """Rows with equal keys render alike (one card to a thousand channels); None: unique."""
        if self.kind == "card":
            return ("card", *((c.card_id, c.version, c.kind) for c in self.changes))
        if self.kind == "welcome":
            return ("welcome", self.subscription.filters.pack, self.subscription.guild_id)
        return None


@dataclass(frozen=True, slots=True)
class SentCard:
    """The message that carried a card to a subscription (a correction may edit it)."""

    subscription_id: int
    card_id: str
    channel_id: int
    message_id: int


@dataclass(frozen=True, slots=True)
class DigestChange:
    """One card's changes within a digest, folded: new if it was new at any point."""

    card_id: str
    version: int
    kind: ChangeKind
    changed: list[str]


# --- what is delivered --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CardDelivery:
    card: Card
    citation: Citation
    kind: ChangeKind
    changed: list[str]


@dataclass(frozen=True, slots=True)
class DigestDelivery:
    schedule: Schedule
    entries: list[CardDelivery]


@dataclass(frozen=True, slots=True)
class BatchDelivery:
    """Many cards published at once (an import): one summary instead of a flood."""

    entries: list[CardDelivery]


@dataclass(frozen=True, slots=True)
class WelcomeDelivery:
    pack: Pack
    outline: list[CardRef]


@dataclass(frozen=True, slots=True)
class BriefingDelivery:
    """A briefing's first publication: one message (its head and sections), not one per
    card. `entries`: the cards published with it that the subscription follows."""

    pack: Pack
    entries: list[CardDelivery]


Delivery = CardDelivery | DigestDelivery | BatchDelivery | WelcomeDelivery | BriefingDelivery


def delivery_packs(delivery: Delivery) -> list[str]:
    """The briefings a delivery is about, in order (a thread per briefing follows them)."""
    if isinstance(delivery, WelcomeDelivery | BriefingDelivery):
        return [delivery.pack.slug]
    if isinstance(delivery, CardDelivery):
        return [delivery.card.pack]
    return list(dict.fromkeys(e.card.pack for e in delivery.entries))


def guild_scoped(delivery: Delivery) -> bool:
    """Does it carry a guild's own cards (which only that guild's members may read)?"""
    if isinstance(delivery, CardDelivery):
        return delivery.card.guild_id is not None
    if isinstance(delivery, DigestDelivery | BatchDelivery | BriefingDelivery):
        return any(e.card.guild_id is not None for e in delivery.entries)
    return False
