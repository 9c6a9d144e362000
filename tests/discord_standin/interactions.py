"""Acting as a user's Discord client on application commands: slash commands, autocomplete,
user and message context menus. Every method returns once the bot answered."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .dispatch import APPLICATION_COMMAND, AUTOCOMPLETE, InteractionRunner
from .models import MessageView, Reply
from .options import OptionBuilder
from .payloads import Json
from .world import World

CHAT_INPUT, USER_COMMAND, MESSAGE_COMMAND = 1, 2, 3

MessageTarget = Reply | MessageView | Json | int
"""A message to act on: a ``Reply``/``MessageView``, a message object, or a message id."""


def message_of(world: World, target: MessageTarget) -> Json:
    """The stored message object ``target`` names (a message dict unknown to the world is
    stored first, as a user's message)."""
    if isinstance(target, MessageView):
        if target.message_id is None:
            raise ValueError("that reply has no message")
        target = target.message_id
    if isinstance(target, int):
        stored = world.store.get(target)
        if stored is None:
            raise KeyError(f"unknown or deleted message {target}")
        return stored.data
    stored = world.store.get(int(target["id"])) if "id" in target else None
    if stored is not None:
        return stored.data
    return world.make_message(str(target.get("content", "")), embeds=target.get("embeds"))


class CommandActions:
    """Invokes the commands the bot synced, as a user would."""

    def __init__(self, world: World, runner: InteractionRunner) -> None:
        self.world = world
        self.runner = runner

    # -- application commands --------------------------------------------------------------------

    async def slash(
        self,
        name: str,
        /,
        *,
        options: Mapping[str, Any] | None = None,
        subcommand: str | None = None,
        guild_id: int | None = None,
        channel_id: int | None = None,
        user: int | Json | None = None,
        dm: bool = False,
        member_permissions: int | str | None = None,
        resolved: Json | None = None,
        timeout: float = 5.0,
        wait_deferred: bool = True,
        **option_values: Any,
    ) -> Reply:
        """Invoke ``/name [subcommand] option:value...`` as ``user`` and return the bot's reply.

        Options come from keyword arguments and/or ``options`` (use ``options`` for option names
        that collide with this method's parameters, e.g. ``options={"user": 1002}``).
        ``subcommand`` is ``"sub"`` or ``"group sub"``. For a deferred answer (callback type 5)
        waits for the edit or follow-up and returns it with ``deferred=True``.
        """
        values = {**(options or {}), **option_values}
        return await self._command(
            name, CHAT_INPUT, values, subcommand=subcommand, focused=None, guild_id=guild_id,
            channel_id=channel_id, user=user, dm=dm, member_permissions=member_permissions,
            resolved=resolved, timeout=timeout, wait_deferred=wait_deferred,
        )  # fmt: skip

    async def autocomplete(
        self,
        name: str,
        /,
        focused: str,
        value: Any,
        *,
        options: Mapping[str, Any] | None = None,
        subcommand: str | None = None,
        guild_id: int | None = None,
        channel_id: int | None = None,
        user: int | Json | None = None,
        dm: bool = False,
        timeout: float = 5.0,
    ) -> list[Json]:
        """Type ``value`` into option ``focused`` of ``/name``; return the offered choices."""
        values = {**(options or {}), focused: value}
        reply = await self._command(
            name, CHAT_INPUT, values, subcommand=subcommand, focused=focused, guild_id=guild_id,
            channel_id=channel_id, user=user, dm=dm, member_permissions=None, resolved=None,
            timeout=timeout, wait_deferred=False, kind=AUTOCOMPLETE,
        )  # fmt: skip
        if reply.callback_type != 8:
            raise AssertionError(f"autocomplete answered with callback type {reply.callback_type}")
        return reply.choices

    async def _command(
        self,
        name: str,
        command_type: int,
        values: Mapping[str, Any],
        *,
        subcommand: str | None,
        focused: str | None,
        guild_id: int | None,
        channel_id: int | None,
        user: int | Json | None,
        dm: bool,
        member_permissions: int | str | None,
        resolved: Json | None,
        timeout: float,
        wait_deferred: bool,
        kind: int = APPLICATION_COMMAND,
        extra: Json | None = None,
    ) -> Reply:
        world = self.world
        scope = None if dm else (guild_id or world.default_guild_id)
        command = world.find_command(name, scope, command_type)
        if dm:
            where = int(world.dm_channel_for(int(world.user(user)["id"]))["id"])
        else:
            where = channel_id or world.default_channel_id(scope or world.default_guild_id)
        builder = OptionBuilder(world, guild_id=scope, channel_id=where, focused=focused)
        data: Json = {
            "id": command["id"] if command else str(world.snowflakes.next()),
            "name": name,
            "type": command_type,
        }
        if command_type == CHAT_INPUT:
            data["options"] = builder.build(command, subcommand, values)
        if command and command.get("guild_id"):
            data["guild_id"] = command["guild_id"]
        data.update(extra or {})
        merged = {**builder.resolved}
        for key, entries in (resolved or {}).items():
            merged.setdefault(key, {}).update(entries)
        for key, entries in (extra or {}).get("resolved", {}).items():
            merged.setdefault(key, {}).update(entries)
        if merged:
            data["resolved"] = merged
        record = self.runner.new(
            kind, data, guild_id=scope, channel_id=channel_id, user=user, dm=dm,
            member_permissions=member_permissions,
        )  # fmt: skip
        return await self.runner.run(record, timeout=timeout, wait_deferred=wait_deferred)

    async def user_command(
        self,
        name: str,
        target_user: int | Json,
        *,
        user: int | Json | None = None,
        guild_id: int | None = None,
        channel_id: int | None = None,
        timeout: float = 5.0,
        wait_deferred: bool = True,
    ) -> Reply:
        """Run user context-menu command ``name`` on ``target_user``."""
        scope = guild_id or self.world.default_guild_id
        target_id = int(self.world.user(target_user)["id"])
        target, member = self.world.resolved_user(target_id, scope)
        resolved: Json = {"users": {str(target_id): target}}
        if member is not None:
            resolved["members"] = {str(target_id): member}
        extra = {"target_id": str(target_id), "resolved": resolved}
        return await self._command(
            name, USER_COMMAND, {}, subcommand=None, focused=None, guild_id=scope,
            channel_id=channel_id, user=user, dm=False, member_permissions=None, resolved=None,
            timeout=timeout, wait_deferred=wait_deferred, extra=extra,
        )  # fmt: skip

    async def message_command(
        self,
        name: str,
        target_message: MessageTarget,
        *,
        user: int | Json | None = None,
        guild_id: int | None = None,
        timeout: float = 5.0,
        wait_deferred: bool = True,
    ) -> Reply:
        """Run message context-menu command ``name`` on a message (``make_message`` builds one)."""
        target = message_of(self.world, target_message)
        channel_id = int(target["channel_id"])
        guild = self.world.guild_of_channel(channel_id)
        extra = {"target_id": target["id"], "resolved": {"messages": {target["id"]: target}}}
        return await self._command(
            name, MESSAGE_COMMAND, {}, subcommand=None, focused=None,
            guild_id=guild.id if guild else guild_id, channel_id=channel_id, user=user,
            dm=guild is None, member_permissions=None, resolved=None, timeout=timeout,
            wait_deferred=wait_deferred, extra=extra,
        )  # fmt: skip
