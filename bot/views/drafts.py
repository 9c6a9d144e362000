"""The draft's pages with Previous/Next, and Create/Cancel: decided once, by its editor."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import discord

from bot import strings
from bot.checks import can_manage_cards
from bot.render import Page
from bot.types import BotInteraction
from bot.views.base import OwnedView

Create = Callable[[BotInteraction], Awaitable[str]]


class DraftView(OwnedView):
    """Only the editor who asked, while they may still manage cards; one decision."""

    def __init__(
        self, owner: discord.abc.User, pages: list[Page], *, count: int, on_create: Create
    ) -> None:
        super().__init__(owner=owner)
        self.pages, self.at, self.on_create = pages, 0, on_create
        self.chosen: str | None = None
        if len(pages) > 1:
            self._button("◀", discord.ButtonStyle.secondary, self._previous)
            self._button("▶", discord.ButtonStyle.secondary, self._next)
        label = strings.SOURCE_DRAFT_CREATE.format(count=count)
        self._button(label, discord.ButtonStyle.success, self._create)
        self._button("Cancel", discord.ButtonStyle.danger, self._cancel)

    def _button(
        self, label: str, style: discord.ButtonStyle, callback: Callable[[BotInteraction], Any]
    ) -> None:
        button = discord.ui.Button[DraftView](label=label, style=style)
        button.callback = callback  # type: ignore[method-assign, assignment]
        self.add_item(button)

    async def allowed(self, interaction: BotInteraction) -> bool:
        return await can_manage_cards(interaction)  # rights may be gone since the draft

    async def _previous(self, interaction: BotInteraction) -> None:
        await self._turn(interaction, -1)

    async def _next(self, interaction: BotInteraction) -> None:
        await self._turn(interaction, 1)

    async def _turn(self, interaction: BotInteraction, step: int) -> None:
        self.at = (self.at + step) % len(self.pages)
        page = self.pages[self.at]
        await interaction.response.edit_message(content=page.content, embeds=page.embeds, view=self)

    async def _create(self, interaction: BotInteraction) -> None:
        if await self._decided(interaction, "create"):
            return
        try:
            text = await self.on_create(interaction)
        except Exception:
            self.chosen = None  # nothing was created: the editor may try again
            raise
        await interaction.response.edit_message(content=text, embeds=[], view=None)
        self.message = None

    async def _cancel(self, interaction: BotInteraction) -> None:
        if await self._decided(interaction, "cancel"):
            return
        text = strings.SOURCE_DRAFT_CANCELLED
        await interaction.response.edit_message(content=text, embeds=[], view=None)
        self.message = None

    async def _decided(self, interaction: BotInteraction, choice: str) -> bool:
        """True (and the editor told so) if a decision was already made."""
        if self.chosen is not None:
            done = strings.ALREADY_CHOSEN.format(choice=self.chosen)
            await interaction.response.send_message(done, ephemeral=True)
            return True
        self.chosen = choice  # before any await: one press wins
        return False
