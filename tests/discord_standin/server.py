"""``DiscordStandIn``: the facade tests use. It composes three parts, each usable on its own:

- ``world`` (``world.World``): what Discord knows -- users, guilds, channels, DMs, synced
  commands, messages, interactions. No HTTP, no waiting.
- ``server`` (``http_server.Server``): the aiohttp app on 127.0.0.1 serving the world (REST,
  gateway, CDN), with request recording, faults, limit checks and the waits.
- ``commands_as_user`` and ``components_as_user`` (``interactions.CommandActions``,
  ``components.ComponentActions``): a user's client, sharing one ``dispatch.InteractionRunner``.

The facade adds no behaviour: its verbs are the parts' bound methods, its attributes read and
write the parts' (``Forward``). A new capability goes into the part it belongs to, then gets
one line here.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Generic, Self, TypeVar, overload

from .components import ComponentActions
from .dispatch import InteractionRunner
from .http_server import Server
from .interactions import CommandActions
from .world import World

T = TypeVar("T")


class Forward(Generic[T]):
    """``standin.<name>`` reads and writes ``standin.<part>.<name>``."""

    def __init__(self, part: str) -> None:
        self.part = part
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, objtype: type | None = None) -> Forward[T]: ...

    @overload
    def __get__(self, obj: object, objtype: type | None = None) -> T: ...

    def __get__(self, obj: object | None, objtype: type | None = None) -> T | Forward[T]:
        if obj is None:
            return self
        value: T = getattr(getattr(obj, self.part), self.name)
        return value

    def __set__(self, obj: object, value: T) -> None:
        setattr(getattr(obj, self.part), self.name, value)


class DiscordStandIn:
    """A loopback Discord for end-to-end tests of a discord.py bot.

    Configure guilds/users, ``await start()`` (or ``async with``), point discord.py at it with
    ``patch_discord()``, run the bot, then drive it with ``slash``/``click``/... and inspect
    ``requests``, ``unhandled``, ``limit_violations`` and ``problems``.
    """

    # -- the world's state and configuration (world.World) ---------------------------------------
    application_id: Forward[int] = Forward("world")
    bot_user: Forward[dict[str, Any]] = Forward("world")
    owner: Forward[dict[str, Any]] = Forward("world")
    token: Forward[str | None] = Forward("world")
    shard_count: Forward[int] = Forward("world")
    bot_permissions: Forward[int] = Forward("world")
    default_user_id: Forward[int | None] = Forward("world")
    snowflakes: Forward[Any] = Forward("world")
    users: Forward[dict[int, dict[str, Any]]] = Forward("world")
    guilds: Forward[dict[int, Any]] = Forward("world")
    dm_channels: Forward[dict[int, dict[str, Any]]] = Forward("world")
    commands: Forward[dict[int | None, list[dict[str, Any]]]] = Forward("world")
    store: Forward[Any] = Forward("world")
    interactions: Forward[dict[str, Any]] = Forward("world")
    # -- what the server saw, and how it answers (http_server.Server) ----------------------------
    requests: Forward[list[Any]] = Forward("server")
    unhandled: Forward[list[Any]] = Forward("server")
    limit_violations: Forward[list[Any]] = Forward("server")
    schema_violations: Forward[list[str]] = Forward("server")
    problems: Forward[list[str]] = Forward("server")
    schema: Forward[Any] = Forward("server")
    schema_skipped: Forward[str | None] = Forward("server")
    reject_over_limit: Forward[bool] = Forward("server")
    callback_deadline: Forward[float] = Forward("server")
    echo_bot_messages: Forward[bool] = Forward("server")
    rate_limit_headers: Forward[bool] = Forward("server")
    global_limit: Forward[Any] = Forward("server")
    response_delay: Forward[float] = Forward("server")
    faults: Forward[Any] = Forward("server")
    gateway: Forward[Any] = Forward("server")
    port: Forward[int] = Forward("server")
    # -- how interactions are run (dispatch.InteractionRunner) -----------------------------------
    settle_timeout: Forward[float] = Forward("runner")

    def __init__(
        self,
        *,
        application_id: int = 900_000_000_000_000_001,
        bot_name: str = "StandInBot",
        token: str | None = None,
        shard_count: int = 1,
        reject_over_limit: bool = True,
        callback_deadline: float = 3.0,
        echo_bot_messages: bool = True,
        validate_schema: bool = True,
    ) -> None:
        self.world = World(
            application_id=application_id, bot_name=bot_name, token=token, shard_count=shard_count
        )
        self.server = Server(
            self.world,
            reject_over_limit=reject_over_limit,
            callback_deadline=callback_deadline,
            echo_bot_messages=echo_bot_messages,
            validate_schema=validate_schema,
        )
        self.runner = InteractionRunner(self.world, self.server.gateway, self.server.signal)
        self.commands_as_user = CommandActions(self.world, self.runner)
        self.components_as_user = ComponentActions(self.world, self.runner)
        self._bind_verbs()

    def _bind_verbs(self) -> None:
        world, server, runner = self.world, self.server, self.runner
        commands, components = self.commands_as_user, self.components_as_user
        # configuring and reading the world
        self.make_user = world.make_user
        self.add_guild = world.add_guild
        self.add_member = world.add_member
        self.make_message = world.make_message
        self.user = world.user
        self.channel = world.channel
        self.guild_of_channel = world.guild_of_channel
        self.default_channel_id = world.default_channel_id
        self.dm_channel_for = world.dm_channel_for
        self.find_command = world.find_command
        self.channel_messages = world.channel_messages
        self.dm_messages = world.dm_messages
        self.followups = world.followups
        self.view_of = world.view_of
        self.file_bytes = world.file_bytes
        # the server: discord.py's URLs, faults, what it saw, and waiting on it
        self.patch_discord = server.patch_discord
        self.inject_fault = server.inject_fault
        self.requests_to = server.requests_to
        self.assert_clean = server.assert_clean
        self.emit_message_event = server.emit_message_event
        self.wait_for = server.signal.wait_for
        self.wait_for_request = server.wait_for_request
        # acting as a user
        self.slash = commands.slash
        self.autocomplete = commands.autocomplete
        self.user_command = commands.user_command
        self.message_command = commands.message_command
        self.click = components.click
        self.press = components.press
        self.select = components.select
        self.submit_modal = components.submit_modal
        self.send_user_message = components.send_user_message
        self.wait_handled = runner.wait_handled
        self.original = runner.original
        self.reply_of = runner.reply_of

    # -- lifecycle -------------------------------------------------------------------------------

    async def start(self) -> Self:
        await self.server.start()
        return self

    async def close(self) -> None:
        await self.server.close()

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    @property
    def default_guild_id(self) -> int:
        return self.world.default_guild_id

    @property
    def base_url(self) -> str:
        return self.server.base_url

    @property
    def api_base(self) -> str:
        return self.server.api_base

    @property
    def gateway_url(self) -> str:
        return self.server.gateway_url
