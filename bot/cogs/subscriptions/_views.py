"""The /mydata delete confirmation: every press gets an answer, whoever presses."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

import discord

from bot import strings
from bot.types import BotInteraction

CONFIRM_TIMEOUT_S = 120


class ConfirmForget(discord.ui.View):
    """Delete or keep, for the member who asked only. Another member is told the buttons
    are not theirs; a second press (a double click, a second client) is told it is done.
    The view stays listening until it times out, then its message says it expired."""

    def __init__(self, owner_id: int, forget: Callable[[], Awaitable[str]]) -> None:
        super().__init__(timeout=CONFIRM_TIMEOUT_S)
        self.owner_id = owner_id
        self.forget = forget
        self.done = False
        self.origin: BotInteraction | None = None
        """The command's interaction, to mark the question expired on timeout."""

    # discord.py types it for any client; ours is always BriefingBot
    async def interaction_check(self, interaction: BotInteraction) -> bool:  # type: ignore[override]
        refusal = None
        if interaction.user.id != self.owner_id:
            refusal = strings.CONFIRM_NOT_YOURS
        elif self.done:
            refusal = strings.CONFIRM_USED
        if refusal is not None:
            await interaction.response.send_message(refusal, ephemeral=True)
            return False
        self.done = True  # before any await: a second press meanwhile is refused
        return True

    @discord.ui.button(label="Delete my data", style=discord.ButtonStyle.danger)
    async def delete(self, interaction: BotInteraction, _: discord.ui.Button[Any]) -> None:
        await interaction.response.edit_message(content=await self.forget(), view=None)

    @discord.ui.button(label="Keep it", style=discord.ButtonStyle.secondary)
    async def keep(self, interaction: BotInteraction, _: discord.ui.Button[Any]) -> None:
        await interaction.response.edit_message(content=strings.MYDATA_KEPT, view=None)

    async def on_timeout(self) -> None:
        if self.origin is not None and not self.done:
            # The message may be gone, or the token expired: then nothing is left to press.
            with contextlib.suppress(discord.HTTPException):
                await self.origin.edit_original_response(content=strings.CONFIRM_EXPIRED, view=None)
