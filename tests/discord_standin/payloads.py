"""Builders for Discord's documented API objects: users, members, roles, channels, guilds, messages.

Every builder returns a plain ``dict`` in the shape the Discord API v10 documentation gives for the
object, so the unmodified discord.py client parses it exactly as it would parse Discord's answer.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from .constants import ChannelType

Json = dict[str, Any]

DISCORD_EPOCH_MS = 1_420_070_400_000


class SnowflakeFactory:
    """Strictly increasing snowflakes whose timestamp part is the current time."""

    def __init__(self) -> None:
        self._last = 0

    def next(self) -> int:
        candidate = ((int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22) | (1 << 17)
        self._last = max(candidate, self._last + 1)
        return self._last


def iso_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


def user_object(
    user_id: int, username: str, *, bot: bool = False, global_name: str | None = None
) -> Json:
    """A documented User object."""
    return {
        "id": str(user_id),
        "username": username,
        "discriminator": "0",
        "global_name": global_name,
        "avatar": None,
        "bot": bot,
        "system": False,
        "banner": None,
        "accent_color": None,
        "public_flags": 0,
        "flags": 0,
        "avatar_decoration_data": None,
    }


def role_object(
    role_id: int, name: str, *, permissions: int | str = 0, position: int = 0, managed: bool = False
) -> Json:
    """A documented Role object."""
    return {
        "id": str(role_id),
        "name": name,
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
        "hoist": False,
        "icon": None,
        "unicode_emoji": None,
        "position": position,
        "permissions": str(permissions),
        "managed": managed,
        "mentionable": False,
        "flags": 0,
    }


def member_object(user: Json, *, roles: list[int], nick: str | None = None, joined_at: str) -> Json:
    """A documented Guild Member object (without ``permissions``, which only interactions carry)."""
    return {
        "user": user,
        "nick": nick,
        "avatar": None,
        "banner": None,
        "roles": [str(r) for r in roles],
        "joined_at": joined_at,
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "flags": 0,
        "pending": False,
        "communication_disabled_until": None,
    }


def guild_channel_object(
    channel_id: int,
    name: str,
    *,
    guild_id: int,
    type: int = ChannelType.GUILD_TEXT,
    position: int = 0,
    parent_id: int | None = None,
    topic: str | None = None,
) -> Json:
    """A documented guild Channel object for text, voice, category, announcement or forum."""
    channel: Json = {
        "id": str(channel_id),
        "type": type,
        "guild_id": str(guild_id),
        "name": name,
        "position": position,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None if parent_id is None else str(parent_id),
        "flags": 0,
    }
    if type in (ChannelType.GUILD_TEXT, ChannelType.GUILD_ANNOUNCEMENT, ChannelType.GUILD_FORUM):
        channel.update(topic=topic, last_message_id=None, rate_limit_per_user=0)
    if type == ChannelType.GUILD_VOICE:
        channel.update(bitrate=64000, user_limit=0, rtc_region=None, last_message_id=None)
    if type == ChannelType.GUILD_FORUM:
        channel.update(available_tags=[], default_reaction_emoji=None, default_sort_order=None)
        channel.update(default_forum_layout=0)
    return channel


def dm_channel_object(channel_id: int, recipient: Json) -> Json:
    """A documented DM Channel object."""
    return {
        "id": str(channel_id),
        "type": ChannelType.DM,
        "last_message_id": None,
        "recipients": [recipient],
        "flags": 0,
    }


def guild_object(
    guild_id: int,
    name: str,
    *,
    owner_id: int,
    roles: list[Json],
    application_id: int | None = None,
) -> Json:
    """A documented Guild object (the REST shape; GUILD_CREATE adds the gateway-only fields)."""
    return {
        "id": str(guild_id),
        "name": name,
        "icon": None,
        "splash": None,
        "discovery_splash": None,
        "owner_id": str(owner_id),
        "afk_channel_id": None,
        "afk_timeout": 300,
        "widget_enabled": False,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "roles": roles,
        "emojis": [],
        "features": [],
        "mfa_level": 0,
        "application_id": None if application_id is None else str(application_id),
        "system_channel_id": None,
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "max_members": 500000,
        "vanity_url_code": None,
        "description": None,
        "banner": None,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": "en-US",
        "public_updates_channel_id": None,
        "max_video_channel_users": 25,
        "max_stage_video_channel_users": 50,
        "nsfw_level": 0,
        "stickers": [],
        "premium_progress_bar_enabled": False,
        "safety_alerts_channel_id": None,
    }


def guild_create_event(
    guild: Json, *, channels: list[Json], members: list[Json], joined_at: str
) -> Json:
    """The GUILD_CREATE dispatch payload: a guild plus the documented gateway-only extra fields."""
    return {
        **guild,
        "joined_at": joined_at,
        "large": False,
        "unavailable": False,
        "member_count": len(members),
        "voice_states": [],
        "members": members,
        "channels": channels,
        "threads": [],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
    }


def application_object(application_id: int, name: str, *, bot: Json, owner: Json) -> Json:
    """A documented Application object, as ``GET /oauth2/applications/@me`` returns it."""
    return {
        "id": str(application_id),
        "name": name,
        "icon": None,
        "description": "",
        "rpc_origins": [],
        "bot_public": True,
        "bot_require_code_grant": False,
        "bot": bot,
        "owner": owner,
        "verify_key": "0" * 64,
        "team": None,
        "flags": 0,
        "approximate_guild_count": 1,
        "approximate_user_install_count": 0,
        "redirect_uris": [],
        "interactions_endpoint_url": None,
        "tags": [],
        "integration_types_config": {"0": {}, "1": {}},
    }


def message_object(
    message_id: int,
    *,
    channel_id: int,
    author: Json,
    content: str = "",
    embeds: list[Json] | None = None,
    components: list[Json] | None = None,
    attachments: list[Json] | None = None,
    flags: int = 0,
    type: int = 0,
    tts: bool = False,
) -> Json:
    """A documented Message object (the REST shape, without ``guild_id``/``member``)."""
    return {
        "id": str(message_id),
        "channel_id": str(channel_id),
        "author": author,
        "content": content,
        "timestamp": iso_now(),
        "edited_timestamp": None,
        "tts": tts,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": attachments or [],
        "embeds": embeds or [],
        "reactions": [],
        "pinned": False,
        "type": type,
        "flags": flags,
        "components": components or [],
    }


def attachment_object(
    attachment_id: int,
    filename: str,
    *,
    size: int,
    url: str,
    content_type: str | None,
    description: str | None = None,
    ephemeral: bool = False,
) -> Json:
    """A documented Attachment object."""
    data: Json = {
        "id": str(attachment_id),
        "filename": filename,
        "size": size,
        "url": url,
        "proxy_url": url,
        "content_type": content_type,
        "ephemeral": ephemeral,
    }
    if description is not None:
        data["description"] = description
    return data
