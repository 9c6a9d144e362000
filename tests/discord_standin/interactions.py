"""Test-facing interaction helpers: build documented INTERACTION_CREATE payloads, dispatch them
over the gateway and wait for what the bot answers."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Mapping
from typing import Any

from .models import InteractionRecord, Reply
from .options import OptionBuilder
from .payloads import Json
from .world import World

APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 2, 3, 4, 5
CHAT_INPUT, USER_COMMAND, MESSAGE_COMMAND = 1, 2, 3
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024
HANDLER_TASKS = (
    "CommandTree-invoker",
    "discord-ui-view-dispatch-",
    "discord-ui-modal-dispatch-",
    "discord-ui-dynamic-item-",
)
"""Names discord.py 2.7 gives the tasks running command/view/modal callbacks."""


def _handler_tasks() -> set[asyncio.Task[Any]]:
    return {t for t in asyncio.all_tasks() if t.get_name().startswith(HANDLER_TASKS)}


class InteractionDriver(World):
    """Acts as the Discord client of a user: slash commands, autocomplete, context menus,
    button clicks, selects and modal submits. Every method returns once the bot answered."""

    # -- building and dispatching ----------------------------------------------------------------

    def _new_interaction(
        self,
        kind: int,
        data: Json,
        *,
        guild_id: int | None,
        channel_id: int | None,
        user: int | Json | None,
        dm: bool = False,
        member_permissions: int | str | None = None,
        message: Json | None = None,
        locale: str = "en-US",
    ) -> InteractionRecord:
        interaction_id = self.snowflakes.next()
        who = self.user(user)
        user_id = int(who["id"])
        payload: Json = {
            "id": str(interaction_id),
            "application_id": str(self.application_id),
            "type": kind,
            "data": data,
            "token": f"standin.{interaction_id}.{secrets.token_hex(8)}",
            "version": 1,
            "app_permissions": str(self.bot_permissions),
            "locale": locale,
            "entitlements": [],
            "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
        }
        if dm:
            channel = self.dm_channel_for(user_id)
            payload.update(channel=channel, channel_id=channel["id"], user=who, context=1)
            payload["authorizing_integration_owners"] = {"0": "0"}
        else:
            guild = self.guilds[guild_id or self.default_guild_id]
            channel_id = channel_id or self.default_channel_id(guild.id)
            if user_id not in guild.members:
                guild.add_member(who)
            member = guild.member_payload(user_id, with_permissions=True)
            if member_permissions is not None:
                member["permissions"] = str(member_permissions)
            payload.update(
                guild_id=str(guild.id),
                guild={"id": str(guild.id), "locale": "en-US", "features": []},
                guild_locale="en-US",
                channel=dict(guild.channels[channel_id]),
                channel_id=str(channel_id),
                member=member,
                context=0,
                authorizing_integration_owners={"0": str(guild.id)},
            )
        if message is not None:
            payload["message"] = message
        loop = asyncio.get_running_loop()
        record = InteractionRecord(
            id=interaction_id,
            token=payload["token"],
            type=kind,
            payload=payload,
            created_at=loop.time(),
            original_message_id=None if message is None else int(message["id"]),
        )
        self.interactions[record.token] = record
        return record

    settle_timeout = 0.25
    """After a reply, how long to let the bot's handler task finish (see ``_settle``)."""

    async def _settle(self, before: set[asyncio.Task[Any]]) -> None:
        """Let the bot finish handling the interaction it just answered.

        The stand-in sees the callback before discord.py has read the response, yet discord.py
        binds a view to the message only after reading it; a click dispatched in between would be
        discarded. So wait (capped) for the handler tasks this interaction started.
        """
        started = _handler_tasks() - before
        if started:
            await asyncio.wait(started, timeout=self.settle_timeout)

    async def _run(
        self, record: InteractionRecord, *, timeout: float, wait_deferred: bool
    ) -> Reply:
        before = _handler_tasks()
        await self.gateway.dispatch("INTERACTION_CREATE", record.payload, guild_id=record.guild_id)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        data = record.payload.get("data", {})
        what = f"the bot to answer {data.get('name') or data.get('custom_id')!r}"
        await self.wait_for(lambda: record.acknowledged, timeout=timeout, what=what)
        if wait_deferred and record.callback_type in (5, 6):
            await self.wait_for(
                lambda: record.original_edits > 0 or record.followup_ids,
                timeout=max(deadline - loop.time(), 0.01),
                what="the bot to edit its deferred response or send a follow-up",
            )
        await self._settle(before)
        return self.reply_of(record)

    def reply_of(self, record: InteractionRecord) -> Reply:
        """The current view of an interaction's outcome."""
        kind = record.callback_type
        message_id = record.original_message_id
        if kind in (5, 6) and record.original_edits == 0 and record.followup_ids:
            message_id = record.followup_ids[0]
        stored = None if message_id is None else self.store.messages.get(message_id)
        data = record.callback_data or {}
        return Reply(
            message=None if stored is None or kind in (8, 9, 1) else stored.data,
            files=[] if stored is None else list(stored.files),
            deleted=stored is not None and stored.deleted,
            interaction_id=record.id,
            token=record.token,
            callback_type=kind,
            deferred=kind in (5, 6),
            choices=list(data.get("choices") or []) if kind == 8 else [],
            modal=data if kind == 9 else None,
            _latest=lambda _reply: self.reply_of(record),
            _followups=self.followups,
        )

    async def original(self, reply: Reply) -> Reply:
        """The interaction's original response as it is now (after any later edits)."""
        return reply.latest()

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
        scope = None if dm else (guild_id or self.default_guild_id)
        command = self.find_command(name, scope, command_type)
        if dm:
            where = int(self.dm_channel_for(int(self.user(user)["id"]))["id"])
        else:
            where = channel_id or self.default_channel_id(scope or self.default_guild_id)
        builder = OptionBuilder(self, guild_id=scope, channel_id=where, focused=focused)
        data: Json = {
            "id": command["id"] if command else str(self.snowflakes.next()),
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
        record = self._new_interaction(
            kind, data, guild_id=scope, channel_id=channel_id, user=user, dm=dm,
            member_permissions=member_permissions,
        )  # fmt: skip
        return await self._run(record, timeout=timeout, wait_deferred=wait_deferred)

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
        scope = guild_id or self.default_guild_id
        target_id = int(self.user(target_user)["id"])
        target, member = self.resolved_user(target_id, scope)
        resolved: Json = {"users": {str(target_id): target}}
        if member is not None:
            resolved["members"] = {str(target_id): member}
        extra = {"target_id": str(target_id), "resolved": resolved}
        return await self._command(
            name, USER_COMMAND, {}, subcommand=None, focused=None, guild_id=scope,
            channel_id=channel_id, user=user, dm=False, member_permissions=None, resolved=None,
            timeout=timeout, wait_deferred=wait_deferred, extra=extra,
        )  # fmt: skip
