"""Publishing (crossposting) in announcement channels, as Discord documents it: the author
needs Send Messages for its own messages and Manage Messages for others' (the bot is checked
for Manage Messages either way, as the issue asks: a server gives it to a publishing bot), at
most 10 publishes per channel an hour. A channel's overwrite for the bot, when the test
gives one, is read like Discord reads it (allow and deny bits for that member)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from .constants import Permission
from .guilds import GuildSpec
from .payloads import Json

if TYPE_CHECKING:
    from .world import World

CROSSPOSTED = 1 << 0
"""Message flag: published to the channels following this one."""
PER_HOUR = 10


def permissions_in(guild: GuildSpec, channel: Json, user_id: int) -> int:
    """Guild permissions, then the channel's overwrite for this member (if any)."""
    value = guild.permissions_of(user_id)
    for overwrite in channel.get("permission_overwrites", []):
        if int(overwrite["id"]) == user_id and int(overwrite["type"]) == 1:
            value = (value & ~int(overwrite["deny"])) | int(overwrite["allow"])
    return value


def may_publish(guild: GuildSpec, channel: Json, user_id: int, message: Json) -> bool:
    return bool(permissions_in(guild, channel, user_id) & Permission.MANAGE_MESSAGES)


def take(world: World, channel_id: int) -> bool:
    """One publish of this channel's hourly budget; False when it is spent."""
    now = time.monotonic()
    log: dict[int, list[float]] = world.__dict__.setdefault("crossposts", {})
    recent = [t for t in log.get(channel_id, []) if now - t < 3600]
    if len(recent) >= PER_HOUR:
        log[channel_id] = recent
        return False
    log[channel_id] = [*recent, now]
    return True


def overwrite_for(user_id: int, *, allow: int = 0, deny: int = 0) -> Json:
    """A member overwrite, as a channel's ``permission_overwrites`` lists it."""
    return {"id": str(user_id), "type": 1, "allow": str(allow), "deny": str(deny)}
