"""REST handlers: login, gateway discovery, application info, command sync, guilds, channels,
channel messages, DMs and the fake CDN."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from . import crossposts, threads
from .constants import ChannelType
from .limits import check_command_limits
from .mentions import resolve
from .payloads import Json
from .responses import UPLOADS, DiscordError, json_list, json_object, json_response

if TYPE_CHECKING:
    from .http_server import Server

API = "/api/v10"


def register(router: web.UrlDispatcher, server: Server) -> None:
    routes = RestRoutes(server)
    app_cmds = API + "/applications/{application_id}"
    reaction = "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me"
    table = [
        ("GET", "/users/@me", routes.me),
        ("GET", "/users/{user_id}", routes.get_user),
        ("POST", "/users/@me/channels", routes.open_dm),
        ("GET", "/gateway", routes.gateway),
        ("GET", "/gateway/bot", routes.gateway_bot),
        ("GET", "/oauth2/applications/@me", routes.application),
        ("GET", "/applications/@me", routes.application),
        ("GET", "/guilds/{guild_id}", routes.get_guild),
        ("GET", "/guilds/{guild_id}/channels", routes.guild_channels),
        ("GET", "/guilds/{guild_id}/roles", routes.guild_roles),
        ("GET", "/guilds/{guild_id}/members/{user_id}", routes.guild_member),
        ("GET", "/channels/{channel_id}", routes.get_channel),
        ("GET", "/channels/{channel_id}/messages", routes.history),
        ("POST", "/channels/{channel_id}/messages", routes.send),
        ("GET", "/channels/{channel_id}/messages/{message_id}", routes.get_message),
        ("PATCH", "/channels/{channel_id}/messages/{message_id}", routes.edit_message),
        ("DELETE", "/channels/{channel_id}/messages/{message_id}", routes.delete_message),
        ("POST", "/channels/{channel_id}/messages/{message_id}/crosspost", routes.crosspost),
        ("POST", "/channels/{channel_id}/typing", routes.no_content),
        ("PUT", reaction, routes.react),
        ("DELETE", reaction, routes.unreact),
    ]  # fmt: skip
    for method, path, handler in table:
        router.add_route(method, API + path, handler)
    for scope in ("", "/guilds/{guild_id}"):
        router.add_route("GET", f"{app_cmds}{scope}/commands", routes.list_commands)
        router.add_route("PUT", f"{app_cmds}{scope}/commands", routes.put_commands)
        router.add_route("POST", f"{app_cmds}{scope}/commands", routes.upsert_command)
        router.add_route("GET", f"{app_cmds}{scope}/commands/{{command_id}}", routes.get_command)
        router.add_route(
            "PATCH", f"{app_cmds}{scope}/commands/{{command_id}}", routes.patch_command
        )
        router.add_route(
            "DELETE", f"{app_cmds}{scope}/commands/{{command_id}}", routes.delete_command
        )
    router.add_get("/cdn/attachments/{channel_id}/{attachment_id}/{filename}", routes.cdn)


def _id(request: web.Request, key: str) -> int:
    try:
        return int(request.match_info[key])
    except ValueError:
        raise DiscordError(400, 50035, "Invalid Form Body", {key: "not a snowflake"}) from None


class RestRoutes:
    def __init__(self, server: Server) -> None:
        self.s = server
        self.w = server.world

    def _json(self, data: object, status: int = 200) -> web.Response:
        return json_response(data, status)

    def _error(self, status: int, code: int, message: str) -> Exception:
        return DiscordError(status, code, message)

    async def no_content(self, request: web.Request) -> web.Response:
        return web.Response(status=204)

    # -- users, gateway, application -------------------------------------------------------------

    async def me(self, request: web.Request) -> web.Response:
        auth = request.headers.get("Authorization", "")
        if self.w.token is not None and auth != f"Bot {self.w.token}":
            raise self._error(401, 0, "401: Unauthorized")
        return self._json(self.w.bot_user)

    async def get_user(self, request: web.Request) -> web.Response:
        user = self.w.users.get(_id(request, "user_id"))
        if user is None:
            raise self._error(404, 10013, "Unknown User")
        return self._json(user)

    async def open_dm(self, request: web.Request) -> web.Response:
        recipient = int(json_object(request)["recipient_id"])
        if recipient not in self.w.users:
            raise self._error(400, 50007, "Cannot send messages to this user")
        return self._json(self.w.dm_channel_for(recipient))

    async def gateway(self, request: web.Request) -> web.Response:
        return self._json({"url": self.s.gateway_url})

    async def gateway_bot(self, request: web.Request) -> web.Response:
        limit = {"total": 1000, "remaining": 999, "reset_after": 14_400_000, "max_concurrency": 1}
        body = {
            "url": self.s.gateway_url,
            "shards": self.w.shard_count,
            "session_start_limit": limit,
        }
        return self._json(body)

    async def application(self, request: web.Request) -> web.Response:
        return self._json(self.w.application())

    # -- application commands --------------------------------------------------------------------

    def _scope(self, request: web.Request) -> int | None:
        if _id(request, "application_id") != self.w.application_id:
            raise self._error(403, 50001, "Missing Access")
        return _id(request, "guild_id") if "guild_id" in request.match_info else None

    def _command(self, body: Json, scope: int | None, previous: list[Json]) -> Json:
        kind = int(body.get("type") or 1)
        same = [c for c in previous if c["name"] == body["name"] and c["type"] == kind]
        command: Json = {
            "id": same[0]["id"] if same else str(self.w.snowflakes.next()),
            "application_id": str(self.w.application_id),
            "version": str(self.w.snowflakes.next()),
            "type": kind,
            "name": body["name"],
            "name_localizations": body.get("name_localizations"),
            "description": body.get("description", ""),
            "description_localizations": body.get("description_localizations"),
            "default_member_permissions": body.get("default_member_permissions"),
            "nsfw": bool(body.get("nsfw", False)),
            "contexts": body.get("contexts"),
            "integration_types": body.get("integration_types", [0]),
        }
        if body.get("options"):
            command["options"] = body["options"]
        if scope is not None:
            command["guild_id"] = str(scope)
        return command

    def _check_commands(self, request: web.Request, commands: list[Json]) -> None:
        self.s.check_limits(request, check_command_limits(commands))

    async def list_commands(self, request: web.Request) -> web.Response:
        return self._json(self.w.commands.get(self._scope(request), []))

    async def put_commands(self, request: web.Request) -> web.Response:
        scope = self._scope(request)
        body = json_list(request)
        self._check_commands(request, body)
        previous = self.w.commands.get(scope, [])
        self.w.commands[scope] = [self._command(c, scope, previous) for c in body]
        return self._json(self.w.commands[scope])

    async def upsert_command(self, request: web.Request) -> web.Response:
        scope = self._scope(request)
        existing = self.w.commands.setdefault(scope, [])
        command = self._command(json_object(request), scope, existing)
        existing[:] = [c for c in existing if c["id"] != command["id"]] + [command]
        self._check_commands(request, existing)
        return self._json(command, 201)

    def _find(self, request: web.Request) -> tuple[list[Json], Json]:
        commands = self.w.commands.get(self._scope(request), [])
        for command in commands:
            if command["id"] == request.match_info["command_id"]:
                return commands, command
        raise self._error(404, 10063, "Unknown application command")

    async def get_command(self, request: web.Request) -> web.Response:
        return self._json(self._find(request)[1])

    async def patch_command(self, request: web.Request) -> web.Response:
        _, command = self._find(request)
        command.update(json_object(request))
        return self._json(command)

    async def delete_command(self, request: web.Request) -> web.Response:
        commands, command = self._find(request)
        commands.remove(command)
        return web.Response(status=204)

    # -- guilds ----------------------------------------------------------------------------------

    async def get_guild(self, request: web.Request) -> web.Response:
        guild = self.w.guilds.get(_id(request, "guild_id"))
        if guild is None:
            raise self._error(404, 10004, "Unknown Guild")
        return self._json(guild.guild_payload(application_id=None))

    async def guild_channels(self, request: web.Request) -> web.Response:
        guild = self.w.guilds.get(_id(request, "guild_id"))
        if guild is None:
            raise self._error(404, 10004, "Unknown Guild")
        return self._json(list(guild.channels.values()))

    async def guild_roles(self, request: web.Request) -> web.Response:
        guild = self.w.guilds.get(_id(request, "guild_id"))
        if guild is None:
            raise self._error(404, 10004, "Unknown Guild")
        return self._json(list(guild.roles.values()))

    async def guild_member(self, request: web.Request) -> web.Response:
        guild = self.w.guilds.get(_id(request, "guild_id"))
        user_id = _id(request, "user_id")
        if guild is None:
            raise self._error(404, 10004, "Unknown Guild")
        if user_id not in guild.members:
            raise self._error(404, 10007, "Unknown Member")
        return self._json(guild.member_payload(user_id))

    # -- channels and messages -------------------------------------------------------------------

    def _channel_id(self, request: web.Request) -> int:
        channel_id = _id(request, "channel_id")
        if self.w.channel(channel_id) is None:
            raise self._error(404, 10003, "Unknown Channel")
        return channel_id

    def _message(self, request: web.Request) -> int:
        channel_id = self._channel_id(request)
        stored = self.w.store.get(_id(request, "message_id"))
        if stored is None or stored.channel_id != channel_id or stored.ephemeral:
            raise self._error(404, 10008, "Unknown Message")
        return stored.id

    async def get_channel(self, request: web.Request) -> web.Response:
        return self._json(self.w.channel(self._channel_id(request)))

    async def history(self, request: web.Request) -> web.Response:
        channel_id = self._channel_id(request)
        limit = int(request.query.get("limit", 50))
        found = [m.data for m in reversed(self.w.store.in_channel(channel_id))]
        return self._json(found[:limit])

    async def send(self, request: web.Request) -> web.Response:
        channel_id = self._channel_id(request)
        payload = json_object(request)
        self.s.check_message(request, payload, create=True)
        if (unarchived := threads.check_send(self.w, channel_id)) is not None:
            await self.s.gateway.dispatch("THREAD_UPDATE", unarchived)
        stored = self.w.store.create(
            channel_id=channel_id,
            author=self.w.bot_user,
            payload=payload,
            uploads=request[UPLOADS],
        )
        stored.data.update(self._mentions(channel_id, payload))
        await self.s.emit_message_event("MESSAGE_CREATE", stored.data)
        return self._json(stored.data)

    def _mentions(self, channel_id: int, payload: Json) -> Json:
        """Who this message pings (see ``mentions``): what the tests read as pinged."""
        allowed = payload.get("allowed_mentions")
        return resolve(
            str(payload.get("content") or ""),
            allowed if isinstance(allowed, dict) else None,
            guild=self.w.guild_of_channel(channel_id),
            author_id=self.w.application_id,
            users=self.w.users,
        )

    async def get_message(self, request: web.Request) -> web.Response:
        return self._json(self.w.store.messages[self._message(request)].data)

    async def edit_message(self, request: web.Request) -> web.Response:
        message_id = self._message(request)
        stored = self.w.store.messages[message_id]
        if int(stored.data["author"]["id"]) != self.w.application_id:
            raise self._error(403, 50005, "Cannot edit a message authored by another user")
        payload = json_object(request)
        self.s.check_message(request, payload, create=False)
        stored = self.w.store.edit(message_id, payload, request[UPLOADS])
        if "content" in payload:  # Discord re-reads the mentions of edited content
            stored.data.update(self._mentions(stored.channel_id, payload))
        await self.s.emit_message_event("MESSAGE_UPDATE", stored.data)
        return self._json(stored.data)

    async def crosspost(self, request: web.Request) -> web.Response:
        """Publish a message of an announcement channel (see ``crossposts``)."""
        channel_id = self._channel_id(request)
        stored = self.w.store.messages[self._message(request)]
        guild = self.w.guild_of_channel(channel_id)
        channel = self.w.channel(channel_id) or {}
        if guild is None or channel.get("type") != ChannelType.GUILD_ANNOUNCEMENT:
            raise self._error(400, 50024, "Cannot execute action on this channel type")
        if not crossposts.may_publish(guild, channel, self.w.application_id, stored.data):
            raise self._error(403, 50013, "Missing Permissions")
        if stored.data.get("flags", 0) & crossposts.CROSSPOSTED:
            raise self._error(400, 40033, "This message has already been crossposted.")
        if not crossposts.take(self.w, channel_id):
            raise DiscordError(429, 20022, "This message cannot be published: rate limited")
        stored.data["flags"] = int(stored.data.get("flags", 0)) | crossposts.CROSSPOSTED
        await self.s.emit_message_event("MESSAGE_UPDATE", stored.data)
        return self._json(stored.data)

    async def delete_message(self, request: web.Request) -> web.Response:
        stored = self.w.store.delete(self._message(request))
        if stored is not None:
            await self.s.emit_message_event("MESSAGE_DELETE", stored.data)
        return web.Response(status=204)

    async def react(self, request: web.Request) -> web.Response:
        stored = self.w.store.messages[self._message(request)]
        emoji = request.match_info["emoji"]
        reactions = stored.data.setdefault("reactions", [])
        if not any(r["emoji"]["name"] == emoji for r in reactions):
            reactions.append(
                {
                    "count": 1,
                    "count_details": {"burst": 0, "normal": 1},
                    "me": True,
                    "me_burst": False,
                    "burst_colors": [],
                    "emoji": {"id": None, "name": emoji},
                }
            )
        return web.Response(status=204)

    async def unreact(self, request: web.Request) -> web.Response:
        stored = self.w.store.messages[self._message(request)]
        emoji = request.match_info["emoji"]
        stored.data["reactions"] = [
            r for r in stored.data["reactions"] if r["emoji"]["name"] != emoji
        ]
        return web.Response(status=204)

    async def cdn(self, request: web.Request) -> web.Response:
        blob = self.w.store.blobs.get(_id(request, "attachment_id"))
        if blob is None:
            raise web.HTTPNotFound()
        return web.Response(
            body=blob.data, content_type=blob.content_type or "application/octet-stream"
        )
