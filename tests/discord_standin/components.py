"""Acting on the bot's messages as a user: button clicks, select menus, modal submits, and
messages users post."""

from __future__ import annotations

import re
from collections.abc import Mapping

from .constants import DIRECT_MESSAGES, GUILD_MESSAGES, MESSAGE_CONTENT
from .dispatch import MESSAGE_COMPONENT, MODAL_SUBMIT, InteractionRunner
from .interactions import MessageTarget, message_of
from .models import MessageView, Reply
from .options import OptionBuilder
from .payloads import Json
from .world import World


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


class ComponentActions:
    """Clicks, picks and submits what the bot showed; posts messages as users."""

    def __init__(self, world: World, runner: InteractionRunner) -> None:
        self.world = world
        self.runner = runner

    def _message_of(self, target: MessageTarget) -> Json:
        return message_of(self.world, target)

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
        guild = self.world.guild_of_channel(channel_id)
        record = self.runner.new(
            MESSAGE_COMPONENT, data, guild_id=guild.id if guild else None, channel_id=channel_id,
            user=user, dm=guild is None, message=message,
        )  # fmt: skip
        return await self.runner.run(record, timeout=timeout, wait_deferred=wait)

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

    async def press(
        self,
        target: MessageTarget,
        label: str,
        *,
        user: int | Json | None = None,
        timeout: float = 5.0,
        wait_deferred: bool = True,
    ) -> Reply:
        """Click the button labelled ``label`` (see ``MessageView.button``)."""
        view = MessageView(message=self._message_of(target))
        custom_id = str(view.button(label)["custom_id"])
        return await self.click(
            target, custom_id, user=user, timeout=timeout, wait_deferred=wait_deferred
        )

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
            guild = self.world.guild_of_channel(channel_id)
            builder = OptionBuilder(
                self.world,
                guild_id=guild.id if guild else None,
                channel_id=channel_id,
                focused=None,
            )
            type_of = {5: 6, 6: 8, 7: 9, 8: 7}[kind]
            for value in values:
                builder.convert(type_of, int(value))
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
        resolved: Json | None = None,
    ) -> Reply:
        """Fill in and submit the modal ``custom_id`` the bot showed last (by the same user unless
        ``user`` says otherwise). The submit mirrors the modal's layout: action rows, or labels.
        ``resolved``: what the values name (file uploads: see ``modal_files``)."""
        source = next(
            (r for r in reversed(self.world.interactions.values())
             if r.callback_type == 9 and (r.callback_data or {}).get("custom_id") == custom_id),
            None,
        )  # fmt: skip
        if source is None:
            raise AssertionError(f"the bot never showed a modal {custom_id!r}")
        components = [self._submitted(c, values) for c in source.callback_data["components"]]  # type: ignore[index]
        data = {"custom_id": custom_id, "components": components}
        if resolved:
            data["resolved"] = resolved
        message = source.payload.get("message")
        if user is None:
            user = (source.payload.get("member") or {}).get("user") or source.payload.get("user")
        guild_id = source.guild_id
        record = self.runner.new(
            MODAL_SUBMIT, data, guild_id=guild_id, channel_id=source.channel_id, user=user,
            dm=guild_id is None,
            message=None if message is None else self._message_of(int(message["id"])),
        )  # fmt: skip
        return await self.runner.run(record, timeout=timeout, wait_deferred=wait_deferred)

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
        self,
        content: str,
        *,
        channel_id: int | None = None,
        user: int | Json | None = None,
        dm: bool = False,
    ) -> Json:
        """A user posts ``content`` in a channel (or, with ``dm=True``, DMs the bot).

        Like Discord: MESSAGE_CREATE reaches the bot only with the GUILD_MESSAGES (or
        DIRECT_MESSAGES) intent, and guild message content is blanked without MESSAGE_CONTENT
        unless the bot is mentioned. Returns the stored message object.
        """
        world = self.world
        author = world.user(user)
        if dm:
            channel_id = int(world.dm_channel_for(int(author["id"]))["id"])
        message = world.make_message(content, author=author, channel_id=channel_id)
        guild = world.guild_of_channel(int(message["channel_id"]))
        mentions = [int(m) for m in re.findall(r"<@!?(\d+)>", content)]
        message["mentions"] = [world.users[m] for m in mentions if m in world.users]
        event = dict(message)
        if guild is not None:
            if int(author["id"]) not in guild.members:
                guild.add_member(author)
            member = guild.member_payload(int(author["id"]))
            member.pop("user", None)
            event.update(guild_id=str(guild.id), member=member)
        session = self.runner.gateway.session_for(guild.id if guild else None)
        if not session.intents & (GUILD_MESSAGES if guild else DIRECT_MESSAGES):
            return message
        if guild and not session.intents & MESSAGE_CONTENT and world.application_id not in mentions:
            event.update(content="", embeds=[], attachments=[], components=[])
        await session.dispatch("MESSAGE_CREATE", event)
        return message
