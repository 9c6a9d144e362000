"""Threads and forum channels, as Discord documents them.

- Threads (types 10 announcement, 11 public, 12 private) live in a parent channel; the
  stand-in keeps them with the guild's channels (so messages, edits and look-ups work as for
  any channel) and lists the active ones under GUILD_CREATE's ``threads``.
- ``POST /channels/{id}/threads`` in a text or announcement channel opens a thread without
  a message (Create Public Threads on the parent); in a forum (type 15) it opens a post with
  its first message (Send Messages, "Create Posts", on the forum) and ``applied_tags`` taken
  from the forum's ``available_tags`` (at most 5). The answer is the thread object (a forum
  post's with its ``message``), and THREAD_CREATE goes to the gateway.
- Sending in a thread needs Send Messages in Threads on its parent; an archived thread is
  unarchived by the message, unless it is locked (``50083``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from .constants import ChannelType, Permission
from .crossposts import permissions_in
from .guilds import GuildSpec
from .payloads import Json, iso_now
from .responses import UPLOADS, DiscordError, json_object, json_response

if TYPE_CHECKING:
    from .http_server import Server
    from .world import World

THREAD_TYPES = (10, 11, 12)
CREATE_PUBLIC_THREADS = 1 << 35
SEND_MESSAGES_IN_THREADS = 1 << 38
MAX_APPLIED_TAGS = 5
ARCHIVE_MINUTES = (60, 1440, 4320, 10080)


def thread_object(
    thread_id: int,
    name: str,
    *,
    guild_id: int,
    parent_id: int,
    owner_id: int,
    type: int = 11,
    archived: bool = False,
    locked: bool = False,
    applied_tags: list[int] | None = None,
    auto_archive_duration: int = 1440,
) -> Json:
    """A documented thread channel object (ThreadResponse)."""
    return {
        "id": str(thread_id),
        "type": type,
        "guild_id": str(guild_id),
        "parent_id": str(parent_id),
        "owner_id": str(owner_id),
        "name": name,
        "last_message_id": None,
        "flags": 0,
        "rate_limit_per_user": 0,
        "message_count": 0,
        "member_count": 1,
        "total_message_sent": 0,
        "applied_tags": [str(t) for t in applied_tags or []],
        "thread_metadata": {
            "archived": archived,
            "archive_timestamp": iso_now(),
            "auto_archive_duration": auto_archive_duration,
            "locked": locked,
            "create_timestamp": iso_now(),
        },
    }


def add_thread(
    guild: GuildSpec,
    thread_id: int,
    name: str,
    *,
    parent_id: int,
    type: int = ChannelType.PUBLIC_THREAD,
    archived: bool = False,
    locked: bool = False,
    owner_id: int | None = None,
) -> Json:
    """A thread in one of the guild's channels (configure before the bot connects)."""
    thread = thread_object(
        thread_id,
        name,
        guild_id=guild.id,
        parent_id=parent_id,
        owner_id=owner_id or guild.owner_id,
        type=type,
        archived=archived,
        locked=locked,
    )
    return add_thread_object(guild, thread)


def add_forum(
    guild: GuildSpec, channel_id: int, name: str, *, tags: list[tuple[int, str]] | None = None
) -> Json:
    """A forum channel with these ``(id, name)`` tags available."""
    forum = guild.add_channel(channel_id, name, type=ChannelType.GUILD_FORUM)
    forum["available_tags"] = [
        {"id": str(tag_id), "name": tag, "moderated": False, "emoji_id": None, "emoji_name": None}
        for tag_id, tag in tags or []
    ]
    return forum


def is_thread(channel: Json | None) -> bool:
    return channel is not None and int(channel.get("type", -1)) in THREAD_TYPES


def threads_of(world: World, parent_id: int) -> list[Json]:
    """The threads (or forum posts) of a channel, oldest first (for tests)."""
    guild = world.guild_of_channel(parent_id)
    if guild is None:
        return []
    return [
        c for c in guild.channels.values() if is_thread(c) and c.get("parent_id") == str(parent_id)
    ]


def check_send(world: World, channel_id: int) -> Json | None:
    """Before a message goes into a thread: the permission, the archive and the lock.
    Returns the thread object to update (unarchived) when it was archived, else None."""
    channel = world.channel(channel_id)
    if not is_thread(channel):
        return None
    assert channel is not None
    guild = world.guild_of_channel(channel_id)
    parent = world.channel(int(channel["parent_id"])) or {}
    assert guild is not None
    if not permissions_in(guild, parent, world.application_id) & SEND_MESSAGES_IN_THREADS:
        raise DiscordError(403, 50013, "Missing Permissions")
    meta = channel["thread_metadata"]
    if meta["archived"] and meta["locked"]:
        raise DiscordError(400, 50083, "Thread is archived")
    channel["message_count"] = int(channel["message_count"]) + 1
    channel["total_message_sent"] = int(channel["total_message_sent"]) + 1
    if meta["archived"]:
        meta["archived"] = False
        return channel
    return None


def register(router: web.UrlDispatcher, server: Server) -> None:
    router.add_route("POST", "/api/v10/channels/{channel_id}/threads", ThreadRoutes(server).create)


class ThreadRoutes:
    def __init__(self, server: Server) -> None:
        self.s = server
        self.w = server.world

    async def create(self, request: web.Request) -> web.Response:
        channel_id = int(request.match_info["channel_id"])
        parent, guild = self.w.channel(channel_id), self.w.guild_of_channel(channel_id)
        if parent is None or guild is None:
            raise DiscordError(404, 10003, "Unknown Channel")
        body = json_object(request)
        name = str(body.get("name") or "")
        if not 1 <= len(name) <= 100:
            raise DiscordError(400, 50035, "Invalid Form Body", {"name": "1 to 100 characters"})
        allowed = permissions_in(guild, parent, self.w.application_id)
        kind = int(parent["type"])
        if kind == ChannelType.GUILD_FORUM:
            return await self._post(request, guild, parent, body, allowed)
        if kind not in (ChannelType.GUILD_TEXT, ChannelType.GUILD_ANNOUNCEMENT):
            raise DiscordError(400, 50024, "Cannot execute action on this channel type")
        if not allowed & CREATE_PUBLIC_THREADS:
            raise DiscordError(403, 50013, "Missing Permissions")
        thread = self._open(guild, parent, name, body, int(body.get("type") or 12), [])
        await self._announce(guild, thread)
        return json_response(thread, 201)

    async def _post(
        self, request: web.Request, guild: GuildSpec, forum: Json, body: Json, allowed: int
    ) -> web.Response:
        if not allowed & Permission.SEND_MESSAGES:  # "Create Posts" in a forum
            raise DiscordError(403, 50013, "Missing Permissions")
        message = body.get("message")
        if not isinstance(message, dict):
            raise DiscordError(400, 50035, "Invalid Form Body", {"message": "required"})
        tags = [int(t) for t in body.get("applied_tags") or []]
        known = {int(t["id"]) for t in forum.get("available_tags", [])}
        if len(tags) > MAX_APPLIED_TAGS or not set(tags) <= known:
            raise DiscordError(400, 50035, "Invalid Form Body", {"applied_tags": "unknown tag"})
        thread = self._open(guild, forum, str(body["name"]), body, 11, tags)
        self.s.check_message(request, message, create=True, body=body)
        stored = self.w.store.create(
            channel_id=int(thread["id"]),
            author=self.w.bot_user,
            payload=message,
            uploads=request[UPLOADS],
        )
        thread["message_count"] = thread["total_message_sent"] = 1
        await self._announce(guild, thread)
        return json_response({**thread, "message": stored.data}, 201)

    async def _announce(self, guild: GuildSpec, thread: Json) -> None:
        """THREAD_CREATE to the session that has the guild (none connected: nothing)."""
        try:
            await self.s.gateway.dispatch(
                "THREAD_CREATE", {**thread, "newly_created": True}, guild_id=guild.id
            )
        except RuntimeError:
            return

    def _open(
        self, guild: GuildSpec, parent: Json, name: str, body: Json, kind: int, tags: list[int]
    ) -> Json:
        minutes = int(body.get("auto_archive_duration") or 1440)
        if minutes not in ARCHIVE_MINUTES:
            raise DiscordError(400, 50035, "Invalid Form Body", {"auto_archive_duration": "bad"})
        return add_thread_object(
            guild,
            thread_object(
                self.w.snowflakes.next(),
                name,
                guild_id=guild.id,
                parent_id=int(parent["id"]),
                owner_id=self.w.application_id,
                type=kind,
                applied_tags=tags,
                auto_archive_duration=minutes,
            ),
        )


def add_thread_object(guild: GuildSpec, thread: Json) -> Json:
    """Kept with the guild's channels (GUILD_CREATE lists threads apart: see guilds.py)."""
    guild.channels[int(thread["id"])] = thread
    return thread
