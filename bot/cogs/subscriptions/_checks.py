"""Discord-side checks for subscriptions: which channel, who manages it, can the bot post.

Nothing in an interaction's resolved channel is trusted for rights: its guild id is filled
in by discord.py from the interaction, and its permissions are whatever the payload says.
So the channel is looked up in the bot's own view of this guild (cache, else the API) and
the member's Manage Channels is computed here from roles and overwrites.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from bot import strings
from bot.delivery.mentions import may_mention
from bot.errors import UserFacingError
from bot.types import BotInteraction
from briefings.subscriptions import Threads

AnyChannel = app_commands.AppCommandChannel | app_commands.AppCommandThread
GuildPlace = discord.abc.GuildChannel | discord.Thread


class DeliveryChannel(app_commands.Transformer):
    """A text or announcement channel, or a thread, kept as Discord resolved it (checked
    against the bot's own view of the guild by `check_channel`)."""

    @property
    def type(self) -> discord.AppCommandOptionType:
        return discord.AppCommandOptionType.channel

    @property
    def channel_types(self) -> list[discord.ChannelType]:
        kinds = discord.ChannelType
        return [
            kinds.text,
            kinds.news,
            kinds.public_thread,
            kinds.private_thread,
            kinds.news_thread,
            kinds.forum,
        ]

    # discord.py types it for any client; ours is always BriefingBot
    async def transform(self, interaction: BotInteraction, value: Any) -> AnyChannel:  # type: ignore[override]
        # discord.py resolves the channel; this transformer only narrows the type
        return value  # type: ignore[no-any-return]


def manages(interaction: BotInteraction, channel_id: int) -> bool:
    """Manage Channels in that channel, computed here from roles and overwrites (the
    command's default permissions only hide it, and a server may change them)."""
    member, guild = interaction.user, interaction.guild
    if guild is None or not isinstance(member, discord.Member):
        return False
    cached = guild.get_channel_or_thread(channel_id)
    if cached is None:  # deleted: fall back on what Discord says for the current channel
        return interaction.permissions.manage_channels
    return cached.permissions_for(member).manage_channels


async def check_channel(interaction: BotInteraction, channel: AnyChannel) -> GuildPlace:
    """The channel must be one of this guild's, the member must manage it (Discord's
    figure and ours must both say so: a stale cache can then only refuse, never grant),
    and the bot must be able to post there."""
    guild, member = interaction.guild, interaction.user
    if guild is None or not isinstance(member, discord.Member):
        raise UserFacingError(strings.CHANNEL_IN_GUILD_ONLY)
    place = await _in_guild(interaction.client, guild, channel.id)
    if place is None:
        raise UserFacingError(strings.CHANNEL_NOT_HERE.format(channel=f"<#{channel.id}>"))
    try:
        allowed = place.permissions_for(member).manage_channels
    except discord.ClientException:  # a thread whose parent the bot cannot see
        allowed = False
    if not (channel.permissions.manage_channels and allowed):
        raise UserFacingError(strings.NEED_MANAGE_CHANNELS.format(channel=channel.mention))
    require_bot_can_post(guild, channel.id, place)
    return place


def check_ping_role(
    guild: discord.Guild, channel: AnyChannel | None, place: GuildPlace | None, role: discord.Role
) -> None:
    """A role to ping must be this guild's, not @everyone, and one the bot may mention in
    that channel (mentionable, or the bot has Mention All Roles there)."""
    if channel is None or place is None:
        raise UserFacingError(strings.PING_NEEDS_CHANNEL)
    known = guild.get_role(role.id)
    if known is None or known.is_default():
        raise UserFacingError(strings.PING_NOT_EVERYONE)
    if not may_mention(known, place):
        raise UserFacingError(
            strings.CANNOT_PING_ROLE.format(role=known.mention, channel=channel.mention)
        )


def check_publish(
    guild: discord.Guild, channel: AnyChannel | None, place: GuildPlace | None
) -> None:
    """Publishing needs an announcement channel and Manage Messages there for the bot."""
    if channel is None or place is None:
        raise UserFacingError(strings.PUBLISH_NEEDS_ANNOUNCEMENT.format(channel="your DMs"))
    if not (isinstance(place, discord.TextChannel) and place.is_news()):
        raise UserFacingError(strings.PUBLISH_NEEDS_ANNOUNCEMENT.format(channel=channel.mention))
    me = guild.me
    if me is None or not place.permissions_for(me).manage_messages:
        raise UserFacingError(strings.CANNOT_PUBLISH.format(channel=channel.mention))


def check_threads(
    guild: discord.Guild, channel: AnyChannel, place: GuildPlace, threads: Threads
) -> Threads:
    """Where in the channel the subscription posts, and the bot's permissions for it: a
    forum takes a post per briefing (unless per delivery is asked), a thread holds no
    threads, and opening threads or posts needs Create Public Threads or Create Posts, with
    Send Messages in Threads. Returns the threads mode to keep."""
    forum = isinstance(place, discord.ForumChannel)
    if isinstance(place, discord.Thread) and threads is not Threads.NONE:
        raise UserFacingError(strings.THREADS_IN_A_THREAD.format(channel=channel.mention))
    if not forum and threads is not Threads.NONE and not isinstance(place, discord.TextChannel):
        raise UserFacingError(strings.THREADS_NEED_CHANNEL.format(channel=channel.mention))
    me = guild.me
    try:
        can = place.permissions_for(me) if me is not None else None
    except discord.ClientException:  # a thread whose parent the bot cannot see
        can = None
    if forum:
        if can is not None and not (
            can.view_channel
            and can.send_messages  # "Create Posts" in a forum
            and can.send_messages_in_threads
            and can.embed_links
        ):
            raise UserFacingError(strings.CANNOT_CREATE_POSTS.format(channel=channel.mention))
        return threads if threads is not Threads.NONE else Threads.BRIEFING
    opens = threads is not Threads.NONE and can is not None
    if opens and not (can and can.create_public_threads and can.send_messages_in_threads):
        raise UserFacingError(strings.CANNOT_CREATE_THREADS.format(channel=channel.mention))
    if isinstance(place, discord.Thread) and can is not None and not can.send_messages_in_threads:
        raise UserFacingError(strings.CANNOT_POST_IN_THREAD.format(channel=channel.mention))
    return threads


async def _in_guild(
    client: discord.Client, guild: discord.Guild, channel_id: int
) -> GuildPlace | None:
    """The channel as the bot sees it, if it belongs to `guild`; else None."""
    place = guild.get_channel_or_thread(channel_id)
    if place is not None:
        return place
    try:
        fetched = await client.fetch_channel(channel_id)
    except (discord.NotFound, discord.Forbidden, discord.InvalidData):
        return None
    if not isinstance(fetched, discord.abc.GuildChannel | discord.Thread):
        return None
    return fetched if fetched.guild.id == guild.id else None


def require_bot_can_post(
    guild: discord.Guild, channel_id: int, place: GuildPlace | None = None
) -> None:
    """Refuse now what would fail at the first delivery (when the channel is known)."""
    cached, me = place or guild.get_channel_or_thread(channel_id), guild.me
    if cached is None or me is None or not hasattr(cached, "permissions_for"):
        return
    if isinstance(cached, discord.ForumChannel):
        return  # posts there need their own permissions: see check_threads
    try:
        can = cached.permissions_for(me)
    except discord.ClientException:
        return
    in_thread = isinstance(cached, discord.Thread)
    sends = can.send_messages_in_threads if in_thread else can.send_messages
    if not (can.view_channel and sends and can.embed_links):
        raise UserFacingError(strings.BOT_CANNOT_POST.format(channel=f"<#{channel_id}>"))
