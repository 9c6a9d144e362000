"""Building documented INTERACTION_CREATE payloads, dispatching them over the gateway, and
waiting for the bot's answer: what every driver (``interactions``, ``components``) shares."""

from __future__ import annotations

import asyncio
import secrets

from .compat import handler_tasks
from .events import Signal
from .gateway import Gateway
from .models import InteractionRecord, Reply
from .payloads import Json
from .world import World

APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 2, 3, 4, 5
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024


class InteractionRunner:
    """Creates interactions in the world, sends them to the bot and builds ``Reply``s."""

    settle_timeout = 0.25
    """After a reply, how long to let the bot's handler task finish (see ``_settle``)."""

    def __init__(self, world: World, gateway: Gateway, signal: Signal) -> None:
        self.world = world
        self.gateway = gateway
        self.signal = signal

    def new(
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
        """A new interaction of ``kind`` by ``user``, in a guild channel or a DM."""
        world = self.world
        interaction_id = world.snowflakes.next()
        who = world.user(user)
        payload: Json = {
            "id": str(interaction_id),
            "application_id": str(world.application_id),
            "type": kind,
            "data": data,
            "token": f"standin.{interaction_id}.{secrets.token_hex(8)}",
            "version": 1,
            "app_permissions": str(world.bot_permissions),
            "locale": locale,
            "entitlements": [],
            "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
        }
        if dm:
            payload.update(self._in_dm(who))
        else:
            payload.update(self._in_guild(who, guild_id, channel_id, member_permissions))
        if message is not None:
            payload["message"] = message
        record = InteractionRecord(
            id=interaction_id,
            token=payload["token"],
            type=kind,
            payload=payload,
            created_at=asyncio.get_running_loop().time(),
            original_message_id=None if message is None else int(message["id"]),
        )
        world.interactions[record.token] = record
        return record

    def _in_dm(self, who: Json) -> Json:
        channel = self.world.dm_channel_for(int(who["id"]))
        return {
            "channel": channel,
            "channel_id": channel["id"],
            "user": who,
            "context": 1,
            "authorizing_integration_owners": {"0": "0"},
        }

    def _in_guild(
        self,
        who: Json,
        guild_id: int | None,
        channel_id: int | None,
        member_permissions: int | str | None,
    ) -> Json:
        guild = self.world.guilds[guild_id or self.world.default_guild_id]
        channel_id = channel_id or self.world.default_channel_id(guild.id)
        user_id = int(who["id"])
        if user_id not in guild.members:
            guild.add_member(who)
        member = guild.member_payload(user_id, with_permissions=True)
        if member_permissions is not None:
            member["permissions"] = str(member_permissions)
        return {
            "guild_id": str(guild.id),
            "guild": {"id": str(guild.id), "locale": "en-US", "features": []},
            "guild_locale": "en-US",
            "channel": dict(guild.channels[channel_id]),
            "channel_id": str(channel_id),
            "member": member,
            "context": 0,
            "authorizing_integration_owners": {"0": str(guild.id)},
        }

    async def run(self, record: InteractionRecord, *, timeout: float, wait_deferred: bool) -> Reply:
        """Dispatch ``record`` and return once the bot answered it (for a deferral, once it
        edited the response or sent a follow-up, when ``wait_deferred``)."""
        before = handler_tasks()
        await self.gateway.dispatch("INTERACTION_CREATE", record.payload, guild_id=record.guild_id)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        data = record.payload.get("data", {})
        what = f"the bot to answer {data.get('name') or data.get('custom_id')!r}"
        await self.signal.wait_for(lambda: record.acknowledged, timeout=timeout, what=what)
        record.handlers = handler_tasks() - before
        if wait_deferred and record.callback_type in (5, 6):
            await self.signal.wait_for(
                lambda: record.original_edits > 0 or record.followup_ids,
                timeout=max(deadline - loop.time(), 0.01),
                what="the bot to edit its deferred response or send a follow-up",
            )
        await self._settle(record)
        return self.reply_of(record)

    async def _settle(self, record: InteractionRecord) -> None:
        """Let the bot finish handling the interaction it just answered.

        The stand-in sees the callback before discord.py has read the response, yet discord.py
        binds a view to the message only after reading it; a click dispatched in between would be
        discarded. So wait (capped) for the handler tasks this interaction started.
        """
        if record.handlers:
            await asyncio.wait(record.handlers, timeout=self.settle_timeout)

    async def wait_handled(self, reply: Reply, *, timeout: float = 10.0) -> None:
        """Wait until the bot has finished handling the interaction behind ``reply``: its
        command or component callback has returned (after any work it did past the answer,
        such as drawing a chart and editing it in, or logging why it could not)."""
        pending = {t for t in self.world.interactions[reply.token].handlers if not t.done()}
        if not pending:
            return
        _, still = await asyncio.wait(pending, timeout=timeout)
        if still:
            raise self.signal.timed_out(f"the bot to finish handling {reply.token}", timeout)

    def reply_of(self, record: InteractionRecord) -> Reply:
        """The current view of an interaction's outcome."""
        kind = record.callback_type
        message_id = record.original_message_id
        if kind in (5, 6) and record.original_edits == 0 and record.followup_ids:
            message_id = record.followup_ids[0]
        stored = None if message_id is None else self.world.store.messages.get(message_id)
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
            _followups=self.world.followups,
        )

    async def original(self, reply: Reply) -> Reply:
        """The interaction's original response as it is now (after any later edits)."""
        return reply.latest()
