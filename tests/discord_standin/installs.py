"""User installs: a member who added the app to their account runs its commands where the
bot itself is not (Discord's "user-installable apps").

Such an interaction says who authorised it (``authorizing_integration_owners``: ``"1"`` the
user's id for a user install, ``"0"`` the guild's id for a server install, ``"0": "0"`` in
a DM with a server-installed bot) and where it runs (``context``: 0 a server, 1 the DM with
the bot, 2 another private channel: a group DM or a DM between users). In a server the bot
is not in, the payload has ``guild_id`` and the member but no ``guild`` object. Like the
client, the stand-in only offers a command where its synced ``integration_types`` and
``contexts`` allow it, else the test fails (``NotOffered``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .dispatch import APPLICATION_COMMAND, MESSAGE_COMPONENT
from .models import Reply
from .options import OptionBuilder
from .payloads import Json, iso_now

if TYPE_CHECKING:
    from .server import DiscordStandIn

GUILD_INSTALL, USER_INSTALL = 0, 1
GUILD, BOT_DM, PRIVATE_CHANNEL = 0, 1, 2
CHAT_INPUT = 1
GROUP_DM = 3


class NotOffered(AssertionError):
    """Discord would not offer this command here (its installs or contexts exclude it)."""


def offered(command: Json, install: int, context: int) -> bool:
    """Discord's defaults: a server install only; every context the install allows."""
    installs = command.get("integration_types") or [GUILD_INSTALL]
    contexts = command.get("contexts")
    return install in installs and (contexts is None or context in contexts)


async def user_installed_slash(
    standin: DiscordStandIn,
    name: str,
    /,
    *,
    user: int,
    context: int,
    guild_id: int | None = None,
    channel_id: int | None = None,
    options: Mapping[str, Any] | None = None,
    timeout: float = 5.0,
) -> Reply:
    """``/name`` by ``user`` through their own install: in the DM with the bot (context 1),
    a group DM (2), or channel ``channel_id`` of guild ``guild_id``, which the bot is not in
    (0). Option values are plain (strings, numbers, booleans)."""
    world = standin.world
    command = world.find_command(name, None, CHAT_INPUT)
    if command is None or not offered(command, USER_INSTALL, context):
        raise NotOffered(f"/{name} is not offered to a user install in context {context}")
    who = world.user(user)
    where = channel_id or world.snowflakes.next()
    data: Json = {"id": command["id"], "name": name, "type": CHAT_INPUT}
    data["options"] = OptionBuilder(world, guild_id=None, channel_id=where, focused=None).build(
        command, None, dict(options or {})
    )
    record = standin.runner.new(
        APPLICATION_COMMAND, data, guild_id=None, channel_id=None, user=user, dm=True
    )
    payload = record.payload
    for key in ("channel", "channel_id", "user", "guild_id", "guild", "member"):
        payload.pop(key, None)
    payload["context"] = context
    payload["authorizing_integration_owners"] = {"1": str(who["id"])}
    payload["app_permissions"] = str(1 << 11 | 1 << 14 | 1 << 15)  # what a user app may do
    if context == GUILD:
        assert guild_id is not None and guild_id not in world.guilds, "a guild without the bot"
        payload.update(_in_foreign_guild(who, guild_id, where))
    elif context == BOT_DM:
        channel = world.dm_channel_for(int(who["id"]))
        payload.update(channel=channel, channel_id=channel["id"], user=who)
    else:
        channel = {"id": str(where), "type": GROUP_DM, "recipients": [who], "name": None,
                   "owner_id": str(who["id"]), "icon": None, "last_message_id": None,
                   "flags": 0}  # fmt: skip
        payload.update(channel=channel, channel_id=str(where), user=who)
    return await standin.runner.run(record, timeout=timeout, wait_deferred=True)


async def user_installed_press(
    standin: DiscordStandIn,
    reply: Reply,
    label: str,
    /,
    *,
    user: int,
    guild_id: int,
    timeout: float = 5.0,
) -> Reply:
    """Press the button ``label`` under ``reply``, a user-installed command's answer in
    guild ``guild_id`` (which the bot is not in): the press comes as Discord sends it there,
    with the foreign guild and the member's own install as the authorizing owner."""
    message = reply.latest().message
    assert message is not None, "the reply has no message to press on"
    button = reply.latest().button(label)
    data: Json = {"custom_id": button["custom_id"], "component_type": 2, "id": button.get("id")}
    record = standin.runner.new(
        MESSAGE_COMPONENT, data, guild_id=None, channel_id=None, user=user, dm=True,
        message=message,
    )  # fmt: skip
    payload = record.payload
    for key in ("channel", "channel_id", "user", "guild_id", "guild", "member"):
        payload.pop(key, None)
    who = standin.world.user(user)
    payload["context"] = GUILD
    payload["authorizing_integration_owners"] = {"1": str(who["id"])}
    payload["app_permissions"] = str(1 << 11 | 1 << 14 | 1 << 15)
    payload.update(_in_foreign_guild(who, guild_id, int(message["channel_id"])))
    return await standin.runner.run(record, timeout=timeout, wait_deferred=True)


def _in_foreign_guild(who: Json, guild_id: int, channel_id: int) -> Json:
    channel = {
        "id": str(channel_id), "type": 0, "guild_id": str(guild_id), "name": "general",
        "position": 0, "permission_overwrites": [], "nsfw": False, "parent_id": None,
        "flags": 0, "topic": None, "last_message_id": None, "rate_limit_per_user": 0,
    }  # fmt: skip
    member = {
        "user": who, "roles": [], "joined_at": iso_now(), "deaf": False, "mute": False,
        "flags": 0, "pending": False, "nick": None, "avatar": None, "premium_since": None,
        "communication_disabled_until": None, "permissions": str(1 << 11 | 1 << 10),
    }  # fmt: skip
    return {
        "guild_id": str(guild_id),
        "guild_locale": "en-US",
        "channel": channel,
        "channel_id": str(channel_id),
        "member": member,
    }
