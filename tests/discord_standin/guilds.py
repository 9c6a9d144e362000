"""Configured guilds: channels, roles, members, their permissions, and the GUILD_CREATE payload."""

from __future__ import annotations

from dataclasses import dataclass, field

from .constants import DEFAULT_EVERYONE_PERMISSIONS, ChannelType, Permission
from .payloads import (
    Json,
    guild_channel_object,
    guild_create_event,
    guild_object,
    iso_now,
    member_object,
    role_object,
)


@dataclass(slots=True)
class MemberSpec:
    """A guild member: a user, role ids, optional nick and an optional permission override."""

    user: Json
    roles: list[int] = field(default_factory=list)
    nick: str | None = None
    permissions: int | None = None
    """When set, interactions report exactly these permissions instead of computing them."""
    joined_at: str = field(default_factory=iso_now)

    @property
    def user_id(self) -> int:
        return int(self.user["id"])


@dataclass(slots=True)
class GuildSpec:
    """A guild the stand-in serves; edit it before the bot connects (GUILD_CREATE is sent once)."""

    id: int
    name: str
    owner_id: int
    channels: dict[int, Json] = field(default_factory=dict)
    roles: dict[int, Json] = field(default_factory=dict)
    members: dict[int, MemberSpec] = field(default_factory=dict)
    joined_at: str = field(default_factory=iso_now)

    def __post_init__(self) -> None:
        if self.id not in self.roles:
            self.add_role(self.id, "@everyone", permissions=DEFAULT_EVERYONE_PERMISSIONS)

    @property
    def everyone_role(self) -> Json:
        return self.roles[self.id]

    def add_channel(
        self,
        channel_id: int,
        name: str,
        *,
        type: int = ChannelType.GUILD_TEXT,
        parent_id: int | None = None,
        topic: str | None = None,
    ) -> Json:
        """Add a channel (text by default; see ``payloads.ChannelType``) and return its object."""
        channel = guild_channel_object(
            channel_id,
            name,
            guild_id=self.id,
            type=type,
            position=len(self.channels),
            parent_id=parent_id,
            topic=topic,
        )
        self.channels[channel_id] = channel
        return channel

    def add_role(
        self,
        role_id: int,
        name: str,
        *,
        permissions: int = 0,
        managed: bool = False,
        mentionable: bool = False,
    ) -> Json:
        """Add a role with a permission bit set (see ``payloads.Permission``)."""
        role = role_object(
            role_id, name, permissions=permissions, position=len(self.roles), managed=managed
        )
        role["mentionable"] = mentionable
        self.roles[role_id] = role
        return role

    def add_member(
        self,
        user: Json,
        *,
        roles: list[int] | None = None,
        nick: str | None = None,
        permissions: int | None = None,
    ) -> MemberSpec:
        member = MemberSpec(user=user, roles=list(roles or []), nick=nick, permissions=permissions)
        self.members[member.user_id] = member
        return member

    def permissions_of(self, user_id: int) -> int:
        """Guild-level permissions: owner/administrator get all, else @everyone | member roles."""
        member = self.members.get(user_id)
        if member is not None and member.permissions is not None:
            return member.permissions
        if user_id == self.owner_id:
            return Permission.ALL
        value = int(self.everyone_role["permissions"])
        for role_id in member.roles if member else []:
            value |= int(self.roles[role_id]["permissions"]) if role_id in self.roles else 0
        return Permission.ALL if value & Permission.ADMINISTRATOR else value

    def member_payload(self, user_id: int, *, with_permissions: bool = False) -> Json:
        """The documented member object; interactions add the ``permissions`` string."""
        member = self.members[user_id]
        data = member_object(
            member.user, roles=member.roles, nick=member.nick, joined_at=member.joined_at
        )
        if with_permissions:
            data["permissions"] = str(self.permissions_of(user_id))
        return data

    def guild_payload(self, *, application_id: int | None = None) -> Json:
        return guild_object(
            self.id,
            self.name,
            owner_id=self.owner_id,
            roles=list(self.roles.values()),
            application_id=application_id,
        )

    def guild_create(self) -> Json:
        # threads (types 10-12, see threads.py) are listed apart, the archived ones not at all
        listed = list(self.channels.values())
        channels = [c for c in listed if c["type"] not in (10, 11, 12)]
        threads = [c for c in listed if c not in channels and not c["thread_metadata"]["archived"]]
        event = guild_create_event(
            self.guild_payload(),
            channels=[{k: v for k, v in c.items() if k != "guild_id"} for c in channels],
            members=[self.member_payload(uid) for uid in self.members],
            joined_at=self.joined_at,
        )
        event["threads"] = threads
        return event
