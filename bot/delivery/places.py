"""Where a delivery goes: the member's DM channel (opened once), or in a channel: the channel
(or thread) itself, a new thread per delivery, one thread per briefing, or a forum post per
briefing (tagged by domain).

A thread or post the bot opens is remembered (per briefing, or per outbox row for a thread
per delivery) before anything is sent in it, so a delivery resumed after a restart goes on
in the same thread. A remembered thread deleted since is forgotten and opened anew. The
bot's permissions are checked against its own view of the guild before it opens anything:
one it lacks pauses the subscription with the permission's name, as a lost Mention or
Manage Messages does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import discord
from discord.http import handle_message_parameters

from bot import limits, strings
from bot.delivery.pacing import Pacer
from bot.render.deliveries import Part
from briefings.labels import DOMAIN_LABELS
from briefings.subscriptions import Clock, OutboxRow, Subscription, Target, Threads

if TYPE_CHECKING:
    from bot.client import BriefingBot
    from briefings.subscriptions.service import SubscriptionService

ARCHIVE_AFTER: Literal[10080] = 10080
"""Minutes of quiet before Discord archives a thread the bot opened (a week: the longest)."""


class CannotPost(Exception):
    """The bot may not open or post in the thread it needs; `reason` says which permission."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True, slots=True)
class Opened:
    """Where a part goes, and the message a new forum post was opened with (its first page)."""

    channel_id: int
    first: discord.Message | None = None
    new: bool = False


def thread_key(row: OutboxRow, part: Part) -> str:
    """Per briefing: the pack's slug; per delivery: this outbox row."""
    return f"row:{row.id}" if row.subscription.threads is Threads.DIGEST else part.pack


def forum_tags(forum: object, words: list[str]) -> list[int]:
    """The forum's available tags whose names match these words (domains), at most 5."""
    wanted = {w.casefold() for w in words}
    tags = getattr(forum, "available_tags", None) or []
    found = [t.id for t in tags if t.name.casefold() in wanted]
    return found[: limits.FORUM_TAGS]


class Places:
    def __init__(self, bot: BriefingBot, service: SubscriptionService, clock: Clock) -> None:
        self.bot = bot
        self.service = service
        self.clock = clock

    def _permissions(self, sub: Subscription) -> discord.Permissions | None:
        """The bot's permissions in the subscription's channel, from its own view (None:
        not in view, e.g. an outage; Discord then refuses what it must)."""
        guild = self.bot.get_guild(sub.guild_id or 0)
        place = guild.get_channel_or_thread(sub.channel_id or 0) if guild else None
        if guild is None or guild.me is None or place is None:
            return None
        try:
            return place.permissions_for(guild.me)
        except discord.ClientException:
            return None

    def check(self, sub: Subscription) -> None:
        """Raise CannotPost when the bot lacks what this subscription's place needs."""
        can = self._permissions(sub)
        if can is None:
            return
        if sub.forum:
            if not (can.send_messages and can.send_messages_in_threads and can.embed_links):
                raise CannotPost(strings.PAUSED_CANNOT_CREATE_POSTS)
        elif sub.threads is not Threads.NONE:
            if not (can.create_public_threads and can.send_messages_in_threads):
                raise CannotPost(strings.PAUSED_CANNOT_CREATE_THREADS)
        elif isinstance(self.bot.get_channel(sub.channel_id or 0), discord.Thread) and not (
            can.send_messages_in_threads
        ):
            raise CannotPost(strings.PAUSED_CANNOT_POST_IN_THREADS)

    def forbidden(self, sub: Subscription) -> str | None:
        """What Missing Permissions (50013) means for this subscription's place: the
        permission to name (None: a plain channel, the general reason)."""
        if sub.forum:
            return strings.PAUSED_CANNOT_CREATE_POSTS
        if sub.threads is not Threads.NONE:
            return strings.PAUSED_CANNOT_CREATE_THREADS
        if isinstance(self.bot.get_channel(sub.channel_id or 0), discord.Thread):
            return strings.PAUSED_CANNOT_POST_IN_THREADS
        return None

    async def destination(
        self, row: OutboxRow, guild_scoped: bool, pacer: Pacer
    ) -> discord.abc.Messageable:
        """The channel (or thread) itself, or the member's DM channel (opened once)."""
        sub = row.subscription
        if sub.target is Target.CHANNEL:
            assert sub.channel_id is not None
            self.check(sub)  # a thread: Send Messages in Threads
            return self.bot.get_partial_messageable(sub.channel_id, guild_id=sub.guild_id)
        assert sub.user_id is not None
        if guild_scoped and sub.guild_id is not None:
            # A guild's own cards go only to its members. Leaving is not announced to a bot
            # without the members intent, so ask (404 Unknown Member pauses the subscription).
            await pacer.wait()
            await self.bot.http.get_member(sub.guild_id, sub.user_id)
        if sub.dm_channel_id is None:
            await pacer.wait()
            opened = await self.bot.create_dm(discord.Object(id=sub.user_id))
            await self.service.remember_dm_channel(sub.user_id, opened.id)
            return opened
        return self.bot.get_partial_messageable(sub.dm_channel_id, type=discord.ChannelType.private)

    async def known(self, row: OutboxRow, part: Part) -> int | None:
        return await self.service.thread(row.subscription, thread_key(row, part))

    async def forget(self, row: OutboxRow, part: Part) -> None:
        await self.service.forget_thread(row.subscription, thread_key(row, part))

    async def open(self, row: OutboxRow, part: Part, pacer: Pacer, first: dict[str, Any]) -> Opened:
        """The thread for this part: the one remembered, else a new one (a forum post opens
        with `first`, the keyword arguments of its first message)."""
        sub = row.subscription
        known = await self.known(row, part)
        if known is not None:
            return Opened(known)
        self.check(sub)
        assert sub.channel_id is not None
        name = limits.clip(part.title, limits.THREAD_NAME, mark="…")
        await pacer.wait()
        message = None
        if sub.forum:
            domains = await self.service.domains([card for card, _ in part.cards])
            words = [d.value for d in domains] + [DOMAIN_LABELS[d] for d in domains]
            tags = forum_tags(self.bot.get_channel(sub.channel_id), words)
            payload = {"name": name, "auto_archive_duration": ARCHIVE_AFTER, "applied_tags": tags}
            with handle_message_parameters(**first, channel_payload=payload) as params:
                data: Any = await self.bot.http.start_thread_in_forum(sub.channel_id, params=params)
            thread_id = int(data["id"])
            channel = self.bot.get_partial_messageable(thread_id, guild_id=sub.guild_id)
            message = discord.Message(
                state=self.bot._connection, channel=channel, data=data["message"]
            )
        else:
            data = await self.bot.http.start_thread_without_message(
                sub.channel_id,
                name=name,
                auto_archive_duration=ARCHIVE_AFTER,
                type=discord.ChannelType.public_thread.value,
            )
            thread_id = int(data["id"])
        key = thread_key(row, part)
        await self.service.remember_thread(sub, key, thread_id, now=self.clock())
        return Opened(thread_id, message, new=True)
