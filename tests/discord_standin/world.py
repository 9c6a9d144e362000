"""The stand-in's Discord state: application, users, guilds, DMs, commands, messages, interactions.

This layer knows no HTTP and no waiting: ``http_server.Server`` serves it, the drivers in
``interactions`` and ``components`` act on it, and ``server.DiscordStandIn`` composes them.
"""

from __future__ import annotations

from typing import Any

from .constants import ChannelType, Permission
from .events import InteractionTimeout
from .gateway import GatewaySession
from .guilds import GuildSpec, MemberSpec
from .models import InteractionRecord, MessageView, UploadedFile
from .payloads import (
    Json,
    SnowflakeFactory,
    application_object,
    dm_channel_object,
    message_object,
    user_object,
)
from .store import MessageStore

__all__ = ["InteractionTimeout", "World"]  # InteractionTimeout: its old home, kept importable


class World:
    """Everything the fake Discord knows. Configure it before the bot connects."""

    def __init__(
        self,
        *,
        application_id: int = 900_000_000_000_000_001,
        bot_name: str = "StandInBot",
        token: str | None = None,
        shard_count: int = 1,
    ) -> None:
        self.snowflakes = SnowflakeFactory()
        self.application_id = application_id
        self.bot_user: Json = user_object(application_id, bot_name, bot=True)
        self.owner: Json = user_object(900_000_000_000_000_002, "app-owner")
        self.token = token
        """When set, REST and gateway auth must use exactly this token (else anything goes)."""
        self.shard_count = shard_count
        self.bot_permissions = Permission.ALL & ~Permission.ADMINISTRATOR
        """What ``app_permissions`` reports in interactions."""
        self.users: dict[int, Json] = {application_id: self.bot_user}
        self.guilds: dict[int, GuildSpec] = {}
        self.dm_channels: dict[int, Json] = {}
        self.commands: dict[int | None, list[Json]] = {}
        """Synced application commands by guild id (``None``: global), as Discord returns them."""
        self.cdn_base = ""
        """Where attachment URLs point (the server sets it once it has a port)."""
        self.store = MessageStore(self.snowflakes, lambda: self.cdn_base)
        self.interactions: dict[str, InteractionRecord] = {}
        """Every interaction dispatched, by token."""
        self.default_user_id: int | None = None

    # -- configuration ---------------------------------------------------------------------------

    def make_user(self, user_id: int, name: str, *, bot: bool = False) -> Json:
        """Register a user (the first non-bot user becomes the default interaction user)."""
        user = user_object(user_id, name, bot=bot)
        self.users[user_id] = user
        if self.default_user_id is None and not bot:
            self.default_user_id = user_id
        return user

    def add_guild(
        self,
        guild_id: int,
        name: str,
        *,
        channels: list[tuple[int, str]] | None = None,
        roles: list[tuple[int, str, int]] | None = None,
        owner_id: int | None = None,
    ) -> GuildSpec:
        """Add a guild the bot is in. ``channels`` are ``(id, name)`` text channels, ``roles`` are
        ``(id, name, permission_bits)``; use the returned ``GuildSpec`` for anything richer."""
        guild = GuildSpec(id=guild_id, name=name, owner_id=owner_id or int(self.owner["id"]))
        for channel_id, channel_name in channels or []:
            guild.add_channel(channel_id, channel_name)
        for role_id, role_name, permissions in roles or []:
            guild.add_role(role_id, role_name, permissions=permissions)
        guild.add_member(self.bot_user)
        self.guilds[guild_id] = guild
        return guild

    def add_member(
        self,
        guild_id: int,
        user: int | Json,
        *,
        roles: list[int] | None = None,
        nick: str | None = None,
        permissions: int | None = None,
    ) -> MemberSpec:
        """Make a user a member of a guild (``permissions`` overrides the role computation)."""
        data = self.user(user)
        return self.guilds[guild_id].add_member(
            data, roles=roles, nick=nick, permissions=permissions
        )

    # -- lookups ---------------------------------------------------------------------------------

    def user(self, user: int | Json | None) -> Json:
        """A registered user by id (or the default user for ``None``; dicts pass through)."""
        if isinstance(user, dict):
            self.users.setdefault(int(user["id"]), user)
            return user
        user_id = self.default_user_id if user is None else user
        if user_id is None:
            raise ValueError("no users configured: call make_user() first")
        if user_id not in self.users:
            raise KeyError(f"unknown user {user_id}: call make_user({user_id}, name) first")
        return self.users[user_id]

    @property
    def default_guild_id(self) -> int:
        if not self.guilds:
            raise ValueError("no guilds configured: call add_guild() first")
        return next(iter(self.guilds))

    def default_channel_id(self, guild_id: int) -> int:
        guild = self.guilds[guild_id]
        for channel_id, channel in guild.channels.items():
            if channel["type"] == ChannelType.GUILD_TEXT:
                return channel_id
        raise ValueError(f"guild {guild_id} has no text channel")

    def guild_of_channel(self, channel_id: int) -> GuildSpec | None:
        for guild in self.guilds.values():
            if channel_id in guild.channels:
                return guild
        return None

    def channel(self, channel_id: int) -> Json | None:
        guild = self.guild_of_channel(channel_id)
        if guild is not None:
            return guild.channels[channel_id]
        return self.dm_channels.get(channel_id)

    def dm_channel_for(self, user_id: int) -> Json:
        """The DM channel between the bot and a user (created on first use, like Discord)."""
        for channel in self.dm_channels.values():
            if int(channel["recipients"][0]["id"]) == user_id:
                return channel
        channel = dm_channel_object(self.snowflakes.next(), self.user(user_id))
        self.dm_channels[int(channel["id"])] = channel
        return channel

    def find_command(self, name: str, guild_id: int | None, type: int = 1) -> Json | None:
        """The synced command a client would invoke: a guild command first, then a global one."""
        scopes = ([guild_id] if guild_id is not None else []) + [None]
        for scope in scopes:
            for command in self.commands.get(scope, []):
                if command["name"] == name and int(command.get("type", 1)) == type:
                    return command
        return None

    # -- what the bot sent -----------------------------------------------------------------------

    def view_of(self, message_id: int) -> MessageView:
        stored = self.store.messages[message_id]
        return MessageView(message=stored.data, files=list(stored.files), deleted=stored.deleted)

    def channel_messages(
        self, channel_id: int, *, include_ephemeral: bool = False
    ) -> list[MessageView]:
        """Messages in a channel as users see them, oldest first: the bot's messages, interaction
        responses and users' messages (ephemeral responses only when asked)."""
        found = self.store.in_channel(channel_id, include_ephemeral=include_ephemeral)
        return [MessageView(message=m.data, files=list(m.files)) for m in found]

    def dm_messages(self, user_id: int) -> list[MessageView]:
        """Messages in the DM channel with ``user_id`` (empty if the bot never opened one)."""
        for channel_id, channel in self.dm_channels.items():
            if int(channel["recipients"][0]["id"]) == user_id:
                return self.channel_messages(channel_id)
        return []

    def followups(self, interaction_token: str) -> list[MessageView]:
        """Follow-up messages the bot sent with an interaction token, oldest first (deleted ones
        too, flagged ``deleted``)."""
        record = self.interactions.get(interaction_token)
        if record is None:
            return []
        return [self.view_of(i) for i in record.followup_ids]

    def file_bytes(self, attachment: Json) -> bytes:
        """The bytes behind an attachment object the stand-in issued."""
        return self.store.blobs[int(attachment["id"])].data

    def make_message(
        self,
        content: str = "",
        *,
        author: int | Json | None = None,
        channel_id: int | None = None,
        embeds: list[Json] | None = None,
    ) -> Json:
        """Store a message a user wrote (not dispatched) and return its documented object."""
        channel_id = channel_id or self.default_channel_id(self.default_guild_id)
        data = message_object(
            self.snowflakes.next(),
            channel_id=channel_id,
            author=self.user(author),
            content=content,
            embeds=embeds,
        )
        return self.store.add(data).data

    # -- gateway payloads (``http_server.Server`` is the gateway's host) -------------------------

    def check_token(self, token: str) -> bool:
        return self.token is None or token == self.token

    def shard_of(self, guild_id: int, shard_count: int) -> int:
        return (guild_id >> 22) % shard_count

    def ready_payload(self, session: GatewaySession, resume_url: str) -> Json:
        count = session.shard_count
        return {
            "v": 10,
            "user": {**self.bot_user, "verified": True, "mfa_enabled": False, "email": None},
            "guilds": [
                {"id": str(g), "unavailable": True}
                for g in self.guilds
                if self.shard_of(g, count) == session.shard_id
            ],
            "session_id": session.session_id,
            "resume_gateway_url": resume_url,
            "shard": [session.shard_id, count],
            "application": {"id": str(self.application_id), "flags": 0},
        }

    def guild_create_payloads(self, shard_id: int, shard_count: int) -> list[Json]:
        return [
            guild.guild_create()
            for guild in self.guilds.values()
            if self.shard_of(guild.id, shard_count) == shard_id
        ]

    def guild_members(self, guild_id: int, user_ids: list[int] | None) -> list[Json]:
        guild = self.guilds.get(guild_id)
        if guild is None:
            return []
        ids = [u for u in guild.members if user_ids is None or u in user_ids]
        return [guild.member_payload(u) for u in ids]

    def application(self) -> Json:
        return application_object(
            self.application_id, str(self.bot_user["username"]), bot=self.bot_user, owner=self.owner
        )

    # -- Resolver (for option building) ----------------------------------------------------------

    def is_known_user(self, user_id: int) -> bool:
        return user_id in self.users

    def resolved_user(self, user_id: int, guild_id: int | None) -> tuple[Json, Json | None]:
        user = self.user(user_id)
        guild = self.guilds.get(guild_id) if guild_id is not None else None
        if guild is None or user_id not in guild.members:
            return user, None
        member = guild.member_payload(user_id, with_permissions=True)
        member.pop("user", None)
        return user, member

    def resolved_channel(self, channel_id: int) -> Json:
        channel = self.channel(channel_id)
        if channel is None:
            raise KeyError(f"unknown channel {channel_id}")
        keys = ("id", "name", "type", "parent_id", "nsfw", "flags", "guild_id", "topic")
        keys += ("thread_metadata", "owner_id", "member_count", "message_count")  # threads
        return {k: channel[k] for k in keys if k in channel} | {"permissions": str(Permission.ALL)}

    def resolved_role(self, role_id: int, guild_id: int | None) -> Json:
        for guild in self.guilds.values():
            if role_id in guild.roles and guild_id in (None, guild.id):
                return guild.roles[role_id]
        raise KeyError(f"unknown role {role_id}")

    def resolved_attachment(self, channel_id: int, value: Any) -> Json:
        if isinstance(value, UploadedFile):
            upload = value
        elif isinstance(value, tuple):
            upload = UploadedFile(filename=value[0], data=value[1])
        else:
            upload = UploadedFile(filename="upload.bin", data=bytes(value))
        data, _ = self.store.upload(channel_id, upload)
        return data
