"""Paging through several pages: Previous/Next for the invoker only, stopped on timeout."""

from __future__ import annotations

import logging
from typing import Any

import discord

from bot import strings
from bot.render import Page

log = logging.getLogger(__name__)

PAGE_TIMEOUT_S = 180.0
"""Long enough to read a card; views hold memory until they time out."""


class Paginator(discord.ui.View):
    default_timeout = PAGE_TIMEOUT_S

    def __init__(
        self,
        pages: list[Page],
        *,
        owner: discord.abc.User,
        timeout: float | None = None,
        page_count: int | None = None,
    ) -> None:
        super().__init__(timeout=timeout or self.default_timeout)
        self.pages = pages
        self.page_count = len(pages) if page_count is None else page_count
        self.index = 0
        self.owner = owner
        self.message: discord.InteractionMessage | discord.WebhookMessage | None = None
        self._sync_buttons()

    async def load(self, index: int) -> Page:
        """The page at `index`; subclasses may render pages only when they are opened."""
        return self.pages[index]

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        if interaction.user.id == self.owner.id:
            return True
        owner = self.owner.display_name
        await interaction.response.send_message(
            strings.NOT_YOUR_BUTTONS.format(owner=owner), ephemeral=True
        )
        return False

    def _sync_buttons(self) -> None:
        self.previous.disabled = self.index == 0
        self.next.disabled = self.index >= self.page_count - 1

    async def show(self, interaction: discord.Interaction[Any], index: int) -> None:
        self.index = max(0, min(index, self.page_count - 1))
        self._sync_buttons()
        page = await self.load(self.index)
        await interaction.response.edit_message(content=page.content, embeds=page.embeds, view=self)

    @discord.ui.button(label="Previous", emoji="◀️", style=discord.ButtonStyle.secondary)
    async def previous(
        self, interaction: discord.Interaction[Any], _: discord.ui.Button[Any]
    ) -> None:
        await self.show(interaction, self.index - 1)

    @discord.ui.button(label="Next", emoji="▶️", style=discord.ButtonStyle.primary)
    async def next(self, interaction: discord.Interaction[Any], _: discord.ui.Button[Any]) -> None:
        await self.show(interaction, self.index + 1)

    async def on_timeout(self) -> None:
        """Grey the buttons out so nobody presses a dead control."""
        for item in self.children:
            if isinstance(item, discord.ui.Button | discord.ui.Select):
                item.disabled = True
        if self.message is not None:
            try:
                await self.message.edit(view=self)
            except discord.HTTPException as exc:  # message deleted, token expired...
                log.debug("could not disable page buttons: %s", exc)

    async def on_error(
        self, interaction: discord.Interaction[Any], error: Exception, item: discord.ui.Item[Any]
    ) -> None:
        await interaction.client.tree.on_error(interaction, error)  # type: ignore[attr-defined]
