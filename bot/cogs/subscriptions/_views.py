"""The /mydata delete confirmation: every press gets an answer, whoever presses."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import discord

from bot import strings
from bot.types import BotInteraction
from bot.views.base import ConfirmOnce


class ConfirmForget(ConfirmOnce):
    """Delete or keep, for the member who asked only (see ConfirmOnce)."""

    def __init__(self, owner_id: int, forget: Callable[[], Awaitable[str]]) -> None:
        super().__init__(owner_id)
        self.forget = forget

    @discord.ui.button(label="Delete my data", style=discord.ButtonStyle.danger)
    async def delete(self, interaction: BotInteraction, _: discord.ui.Button[Any]) -> None:
        await interaction.response.edit_message(content=await self.forget(), view=None)

    @discord.ui.button(label="Keep it", style=discord.ButtonStyle.secondary)
    async def keep(self, interaction: BotInteraction, _: discord.ui.Button[Any]) -> None:
        await interaction.response.edit_message(content=strings.MYDATA_KEPT, view=None)
