"""Test-facing interaction helpers: build documented INTERACTION_CREATE payloads, dispatch them
over the gateway and wait for what the bot answers."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Mapping
from typing import Any

from .models import InteractionRecord, MessageView, Reply
from .options import OptionBuilder
from .payloads import Json, iso_now, message_object
from .world import World

APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 2, 3, 4, 5
CHAT_INPUT, USER_COMMAND, MESSAGE_COMMAND = 1, 2, 3
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024
MessageTarget = Reply | MessageView | Json | int


def _find_component(components: list[Json], custom_id: str) -> Json | None:
    for item in components:
        if item.get("custom_id") == custom_id:
            return item
        nested = list(item.get("components") or [])
        nested += [item[k] for k in ("component", "accessory") if isinstance(item.get(k), dict)]
        found = _find_component(nested, custom_id)
        if found is not None:
            return found
    return None


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

    async def _run(self, record: InteractionRecord, *, timeout: float, wait_deferred: bool) -> Reply:
        await self.gateway.dispatch("INTERACTION_CREATE", record.payload, guild_id=record.guild_id)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        what = f"a response to interaction {record.payload.get('data', {}).get('name', '')!r}"
        await self.wait_for(lambda: record.acknowledged, timeout=timeout, what=what)
        if wait_deferred and record.callback_type in (5, 6):
            await self.wait_for(
                lambda: record.original_edits > 0 or record.followup_ids,
                timeout=max(deadline - loop.time(), 0.01),
                what="the bot to edit its deferred response or send a follow-up",
            )
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
        """Invoke ``/name [subcommand] option:value...`` and return the bot's reply.

        Options come from ``options`` and/or keyword arguments. ``subcommand`` is ``"sub"`` or
        ``"group sub"``. For a deferred answer, waits for the edit/follow-up (``deferred=True``).
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
        target = self._message_of(target_message)
        channel_id = int(target["channel_id"])
        guild = self.guild_of_channel(channel_id)
        extra = {"target_id": target["id"], "resolved": {"messages": {target["id"]: target}}}
        return await self._command(
            name, MESSAGE_COMMAND, {}, subcommand=None, focused=None,
            guild_id=guild.id if guild else guild_id, channel_id=channel_id, user=user,
            dm=guild is None, member_permissions=None, resolved=None, timeout=timeout,
            wait_deferred=wait_deferred, extra=extra,
        )  # fmt: skip

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

    # -- components and modals -------------------------------------------------------------------

    def _message_of(self, target: MessageTarget) -> Json:
        if isinstance(target, MessageView):
            if target.message_id is None:
                raise ValueError("that reply has no message")
            target = target.message_id
        if isinstance(target, int):
            stored = self.store.get(target)
            if stored is None:
                raise KeyError(f"unknown or deleted message {target}")
            return stored.data
        stored = self.store.get(int(target["id"])) if "id" in target else None
        if stored is not None:
            return stored.data
        return self.make_message(str(target.get("content", "")), embeds=target.get("embeds"))

    def _component_interaction(
        self, target: MessageTarget, custom_id: str, user: int | Json | None, kinds: tuple[int, ...]
    ) -> tuple[Json, Json]:
        message = self._message_of(target)
        component = _find_component(list(message.get("components") or []), custom_id)
        if component is None:
            found = MessageView(message=message).custom_ids()
            raise AssertionError(f"no component {custom_id!r} on message; it has {found}")
        if component.get("type") not in kinds:
            raise AssertionError(f"component {custom_id!r} has type {component.get('type')}")
        if component.get("disabled"):
            raise AssertionError(f"component {custom_id!r} is disabled; a user cannot use it")
        return message, component

    async def _component(
        self, message: Json, data: Json, user: int | Json | None, timeout: float, wait: bool
    ) -> Reply:
        channel_id = int(message["channel_id"])
        guild = self.guild_of_channel(channel_id)
        record = self._new_interaction(
            MESSAGE_COMPONENT, data, guild_id=guild.id if guild else None, channel_id=channel_id,
            user=user, dm=guild is None, message=message,
        )  # fmt: skip
        return await self._run(record, timeout=timeout, wait_deferred=wait)

    async def click(
        self,
        target: MessageTarget,
        custom_id: str,
        *,
        user: int | Json | None = None,
        timeout: float = 5.0,
        wait_deferred: bool = True,
    ) -> Reply:
        """Click the button ``custom_id`` on a message (a ``Reply``, view, message dict or id)."""
        message, component = self._component_interaction(target, custom_id, user, (2,))
        data = {"custom_id": custom_id, "component_type": 2, "id": component.get("id")}
        return await self._component(message, data, user, timeout, wait_deferred)

    async def select(
        self,
        target: MessageTarget,
        custom_id: str,
        values: list[str],
        *,
        user: int | Json | None = None,
        timeout: float = 5.0,
        wait_deferred: bool = True,
    ) -> Reply:
        """Pick ``values`` in the select menu ``custom_id`` (string, user, role, channel...)."""
        message, component = self._component_interaction(target, custom_id, user, (3, 5, 6, 7, 8))
        kind = int(component["type"])
        low, high = component.get("min_values", 1), component.get("max_values", 1)
        if not low <= len(values) <= high:
            raise AssertionError(f"select {custom_id!r} takes {low}..{high} values")
        data: Json = {"custom_id": custom_id, "component_type": kind, "values": list(values)}
        if kind == 3:
            offered = [o["value"] for o in component.get("options") or []]
            if not set(values) <= set(offered):
                raise AssertionError(f"select {custom_id!r} offers {offered}, not {values}")
        else:
            channel_id = int(message["channel_id"])
            guild = self.guild_of_channel(channel_id)
            builder = OptionBuilder(self, guild_id=guild and guild.id, channel_id=channel_id, focused=None)
            type_of = {5: 6, 6: 8, 7: 9, 8: 7}[kind]
            for value in values:
                builder._convert(type_of, int(value))
            data["resolved"] = builder.resolved
        return await self._component(message, data, user, timeout, wait_deferred)

    async def submit_modal(
        self,
        custom_id: str,
        values: Mapping[str, str | list[str]],
        *,
        user: int | Json | None = None,
        timeout: float = 5.0,
        wait_deferred: bool = True,
    ) -> Reply:
        """Fill in and submit the modal ``custom_id`` the bot showed last (by the same user unless
        ``user`` says otherwise). The submit mirrors the modal's layout: action rows, or labels."""
        source = next(
            (r for r in reversed(self.interactions.values())
             if r.callback_type == 9 and (r.callback_data or {}).get("custom_id") == custom_id),
            None,
        )  # fmt: skip
        if source is None:
            raise AssertionError(f"the bot never showed a modal {custom_id!r}")
        components = [self._submitted(c, values) for c in source.callback_data["components"]]  # type: ignore[index]
        data = {"custom_id": custom_id, "components": components}
        message = source.payload.get("message")
        if user is None:
            user = (source.payload.get("member") or {}).get("user") or source.payload.get("user")
        guild_id = source.guild_id
        record = self._new_interaction(
            MODAL_SUBMIT, data, guild_id=guild_id, channel_id=source.channel_id, user=user,
            dm=guild_id is None,
            message=None if message is None else self._message_of(int(message["id"])),
        )  # fmt: skip
        return await self._run(record, timeout=timeout, wait_deferred=wait_deferred)

    def _submitted(self, component: Json, values: Mapping[str, str | list[str]]) -> Json:
        kind = component.get("type")
        out: Json = {"type": kind}
        if "id" in component:
            out["id"] = component["id"]
        if kind == 1:
            out["components"] = [self._submitted(c, values) for c in component["components"]]
        elif kind == 18:
            out["component"] = self._submitted(component["component"], values)
        elif kind == 4:
            custom_id = component["custom_id"]
            if component.get("required", True) and not values.get(custom_id):
                raise AssertionError(f"text input {custom_id!r} is required")
            out.update(custom_id=custom_id, value=str(values.get(custom_id, "")))
        elif "custom_id" in component:
            chosen = values.get(component["custom_id"], [])
            out.update(custom_id=component["custom_id"], values=list(chosen))
        return out

    # -- user messages ---------------------------------------------------------------------------

    async def send_user_message(
        self, content: str, *, channel_id: int | None = None, user: int | Json | None = None
    ) -> Json:
        """A user posts a message: MESSAGE_CREATE goes to the bot (content blanked without the
        MESSAGE_CONTENT intent unless the bot is mentioned, as Discord does)."""
        message = self.make_message(content, author=user, channel_id=channel_id)
        channel_id = int(message["channel_id"])
        guild = self.guild_of_channel(channel_id)
        event = dict(message)
        if guild is not None:
            author_id = int(message["author"]["id"])
            if author_id not in guild.members:
                guild.add_member(message["author"])
            member = guild.member_payload(author_id)
            member.pop("user", None)
            event.update(guild_id=str(guild.id), member=member)
        session = self.gateway.session_for(guild.id if guild else None)
        mentioned = f"<@{self.application_id}>" in content
        if not session.intents & (1 << 15) and guild is not None and not mentioned:
            event.update(content="", embeds=[], attachments=[], components=[])
        await session.dispatch("MESSAGE_CREATE", event | {"timestamp": iso_now()})
        return message
