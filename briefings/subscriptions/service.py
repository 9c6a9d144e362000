"""The subscription service: the one door the bot uses for subscriptions and deliveries.

It holds the rules (who may manage a subscription, the quota, digest folding, what a row
delivers) and leaves every query to the stores: `SubscriptionStore` (subscriptions, member
data, digests) and `OutboxStore` (the delivery queue's states, used by the dispatcher).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from briefings.models import Domain, Status
from briefings.store.database import Database
from briefings.store.outbox import OutboxStore
from briefings.store.outboxes import outbox_for
from briefings.store.subscriptions import SubscriptionStore
from briefings.subscriptions.model import (
    MAX_SUBSCRIPTIONS_PER_MEMBER,
    SENT_CARDS_EDITABLE,
    BatchDelivery,
    BriefingDelivery,
    CardChange,
    CardDelivery,
    ChangeKind,
    Corrections,
    Delivery,
    DigestChange,
    DigestDelivery,
    Filters,
    MemberData,
    NewSubscription,
    OutboxRow,
    PingNeedsChannel,
    PublishNeedsChannel,
    SentCard,
    SubscribeRequest,
    Subscription,
    Target,
    Threads,
    ThreadsNeedChannel,
    UnknownDomain,
    WelcomeDelivery,
)
from briefings.subscriptions.schedule import digest_time, next_digest_at

if TYPE_CHECKING:
    from briefings.briefing import Briefing


class SubscriptionService:
    def __init__(self, core: Briefing, store: SubscriptionStore, outbox: OutboxStore) -> None:
        self.core = core
        self.store = store
        self.outbox = outbox

    @classmethod
    def open(cls, db: Database, core: Briefing) -> SubscriptionService:
        """The one way to build it: both stores on the process's database."""
        return cls(core, SubscriptionStore(db), outbox_for(db))

    def watch(self, listener: Callable[[], None]) -> None:
        """Call `listener` after every write to the catalogue (a publish is sent at once)."""
        self.core.store.on_write.append(listener)

    def unwatch(self, listener: Callable[[], None]) -> None:
        self.core.store.on_write.remove(listener)

    # --- subscribing ----------------------------------------------------------------

    async def subscribe(self, request: SubscribeRequest, *, now: datetime) -> Subscription:
        if request.ping_role_id is not None and request.target is not Target.CHANNEL:
            raise PingNeedsChannel()
        if request.publish and request.target is not Target.CHANNEL:
            raise PublishNeedsChannel()
        if request.threads is not Threads.NONE and request.target is not Target.CHANNEL:
            raise ThreadsNeedChannel()
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
            ping_role_id=request.ping_role_id,
            corrections=request.corrections,
            publish=request.publish,
            threads=request.threads,
            forum=request.forum and request.threads is not Threads.NONE,
            follows=request.follows,
        )
        # The quota: a member's DMs, or one channel, hold at most this many.
        return await self.store.create(new, now=now, at_most=MAX_SUBSCRIPTIONS_PER_MEMBER)

    async def filters(self, request: SubscribeRequest) -> Filters:
        gid = request.guild_id
        actor = (
            await self.core.resolve_actor(request.actor, guild_id=gid) if request.actor else None
        )
        pack = (await self.core.pack(request.pack)).slug if request.pack else None
        try:
            domain = Domain(request.domain) if request.domain else None
        except ValueError:
            raise UnknownDomain(request.domain or "") from None
        return Filters(actor_id=actor.id if actor else None, domain=domain, pack=pack)

    # --- finding and managing -------------------------------------------------------

    async def get(self, subscription_id: int) -> Subscription | None:
        return await self.store.get(subscription_id)

    async def visible(
        self, member_id: int, *, guild_id: int | None, with_guild_channels: bool
    ) -> list[Subscription]:
        """The member's own and, for a channel manager, every channel one of the guild."""
        return await self.store.for_member(
            member_id, guild_id=guild_id, with_guild_channels=with_guild_channels
        )

    async def manageable(
        self,
        subscription_id: int,
        member_id: int,
        *,
        guild_id: int | None,
        manages: Callable[[int], bool],
    ) -> Subscription | None:
        """The subscription, if this member may change it: their own DMs, channel ones they
        set up, or channel ones in this guild whose channel they manage (`manages(channel)`,
        which only the adapter can tell)."""
        sub = await self.store.get(subscription_id)
        if sub is None:
            return None
        if sub.target is Target.DM:
            return sub if sub.user_id == member_id else None
        if sub.created_by == member_id:
            return sub
        here = sub.guild_id is not None and sub.guild_id == guild_id
        return sub if here and manages(sub.channel_id or 0) else None

    async def unsubscribe(self, subscription: Subscription) -> bool:
        return await self.store.delete(subscription.id)

    async def pause(self, subscription: Subscription, reason: str, *, now: datetime) -> bool:
        return await self.store.pause(subscription.id, reason, now=now)

    async def pause_guild_channels(self, guild_id: int, reason: str, *, now: datetime) -> int:
        return await self.store.pause_guild_channels(guild_id, reason, now=now)

    async def resume(self, subscription: Subscription, *, now: datetime) -> Subscription | None:
        """Active again from now: nothing missed while paused is replayed."""
        digest = subscription.digest
        due = next_digest_at(now, subscription.schedule, digest) if digest else None
        return await self.store.resume(subscription.id, next_digest_at=due)

    async def member_data(self, member_id: int) -> MemberData:
        return await self.store.member_data(member_id)

    async def forget_member(self, member_id: int) -> tuple[int, int]:
        """(DM subscriptions deleted, channel subscriptions anonymised)."""
        return await self.store.forget_member(member_id)

    async def remember_dm_channel(self, user_id: int, channel_id: int) -> None:
        await self.store.cache_dm_channel(user_id, channel_id)

    # --- digests and deliveries -----------------------------------------------------

    async def run_due_digests(self, now: datetime) -> int:
        """Write the digests that are due; return how many had something to say. Several
        processes on one database: only the one leading digests writes them."""
        if not await self.store.db.leads("digests"):
            return 0
        written = 0
        for subscription in await self.store.due_digests(now):
            assert subscription.digest is not None
            following = next_digest_at(now, subscription.schedule, subscription.digest)
            written += await self.store.write_digest(subscription, now=now, next_at=following)
        return written

    async def backlog(self, *, now: datetime) -> tuple[int, float | None]:
        """Pending deliveries and the oldest one's wait in seconds (None: none waits)."""
        return await self.outbox.backlog(now=now)

    async def editable_message(self, row: OutboxRow, *, now: datetime) -> SentCard | None:
        """The message an update of a card may edit in place: the one that carried that card
        to this subscription within SENT_CARDS_EDITABLE, unless it chose new messages.
        Digests and import summaries are never edited (they are not single cards)."""
        card_id, sub = row.single_card, row.subscription
        if (
            card_id is None
            or row.change_kind != "update"
            or sub.corrections is not Corrections.EDIT
        ):
            return None
        return await self.outbox.sent_card(sub.id, card_id, since=now - SENT_CARDS_EDITABLE)

    async def delivery(self, row: OutboxRow) -> Delivery | None:
        """What to send for a row; None when there is nothing left to send (cards archived)."""
        if row.kind == "welcome":
            slug = row.subscription.filters.pack
            # the store's record: a server's own briefing too (the catalogue's pack() knows
            # the briefings of its current snapshot only)
            found = await self.core.store.pack(slug) if slug else None
            pack = found or await self.core.pack(slug)
            outline = await self.core.outline(pack.slug, guild_id=row.subscription.guild_id)
            return WelcomeDelivery(pack=pack, outline=outline)
        if row.kind == "card":
            entries = [e for c in row.changes if (e := await self._entry(c)) is not None]
            if entries and await self._publishes_briefing(row):
                published = await self.core.store.pack(entries[0].card.pack)
                if published is not None:
                    return BriefingDelivery(pack=published, entries=entries)
            if len(row.changes) > 1 and len(entries) > 1:
                return BatchDelivery(entries)
            return entries[0] if entries else None
        return await self._digest(row)

    async def _publishes_briefing(self, row: OutboxRow) -> bool:
        """Rows of a briefing's first publication (one change set, one pack) are one
        message about the briefing, not one per card."""
        if row.change_id is None or any(c.kind != "new" for c in row.changes):
            return False
        return await self.store.first_publication(row.change_id)

    async def domains(self, card_ids: list[str]) -> list[Domain]:
        return await self.store.domains(card_ids)

    async def thread(self, subscription: Subscription, key: str) -> int | None:
        """The thread a subscription opened for a briefing (its slug) or a delivery."""
        return await self.store.thread(subscription.id, key)

    async def remember_thread(
        self, subscription: Subscription, key: str, thread_id: int, *, now: datetime
    ) -> None:
        await self.store.remember_thread(subscription.id, key, thread_id, now=now)

    async def forget_thread(self, subscription: Subscription, key: str) -> None:
        await self.store.forget_thread(subscription.id, key)

    async def _digest(self, row: OutboxRow) -> DigestDelivery | None:
        entries = []
        for change in fold(await self.store.changes(row.change_ids)):
            entry = await self._entry(change)
            if entry is not None:
                entries.append(entry)
        if not entries:
            return None
        return DigestDelivery(schedule=row.subscription.schedule, entries=entries)

    async def _entry(self, change: CardChange | DigestChange) -> CardDelivery | None:
        card = await self.store.card_at(change.card_id, change.version)
        if card is None or await self.store.card_status(change.card_id) is Status.ARCHIVED:
            return None  # archived since: it is no longer part of the briefing
        cite = await self.core.cite(card)
        return CardDelivery(card=card, citation=cite, kind=change.kind, changed=change.changed)


def fold(changes: list[CardChange]) -> list[DigestChange]:
    """A digest shows each card once, at its latest version: new if it was new at any
    point since the last digest, with every field that changed."""
    folded: dict[str, DigestChange] = {}
    for change in changes:
        before = folded.get(change.card_id)
        changed = change.changed
        if before is not None:
            changed = list(dict.fromkeys([*before.changed, *changed]))
        was_new = (before is not None and before.kind == "new") or change.kind == "new"
        kind: ChangeKind = "new" if was_new else "update"
        folded[change.card_id] = DigestChange(change.card_id, change.version, kind, changed)
    return list(folded.values())
