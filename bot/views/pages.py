"""Paging through several pages: Previous/Next for the invoker only, stopped on timeout."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import discord

from bot import render
from bot.render import Page
from bot.types import BotInteraction
from bot.views.base import OwnedView
from briefings.charts import Chart


class Paginator(OwnedView):
    def __init__(
        self,
        pages: list[Page],
        *,
        owner: discord.abc.User,
        timeout: float | None = None,
        page_count: int | None = None,
    ) -> None:
        super().__init__(owner=owner, timeout=timeout)
        self.pages = pages
        self.page_count = len(pages) if page_count is None else page_count
        self.index = 0
        self.chart: Chart | None = None
        """The first page's image: uploaded whenever page 1 is shown, removed on the others."""
        self._editing = asyncio.Lock()
        """Page turns and a chart arriving late edit the same message: one at a time."""
        self._sync_buttons()

    async def load(self, index: int) -> Page:
        """The page at `index`; subclasses may render pages only when they are opened."""
        return self.pages[index]

    def _sync_buttons(self) -> None:
        self.previous.disabled = self.index == 0
        self.next.disabled = self.index >= self.page_count - 1

    def edit_arguments(self, page: Page) -> dict[str, Any]:
        """What to edit the message to for `page` at the current index.

        With a chart, every edit says what the attachments are: the image rides with the
        first page only, so each page looks the same however it was reached.
        """
        arguments: dict[str, Any] = {"content": page.content, "embeds": page.embeds}
        if self.chart is not None and self.index == 0:
            arguments["embeds"] = render.with_chart(page, self.chart).embeds
            arguments["attachments"] = [render.chart_file(self.chart)]
        elif self.chart is not None:
            arguments["attachments"] = []
        return arguments

    async def show(self, interaction: BotInteraction, index: int) -> None:
        async with self._editing:
            self.index = max(0, min(index, self.page_count - 1))
            self._sync_buttons()
            page = await self.load(self.index)
            await interaction.response.edit_message(**self.edit_arguments(page), view=self)

    async def attach(
        self,
        chart: Chart,
        edit: Callable[..., Awaitable[object]],
        *,
        open_first: bool = False,
    ) -> None:
        """Give the first page its image; shown at once if the first page is open (or if
        `open_first`, because the member asked for the image), else when they come back."""
        async with self._editing:
            self.chart = chart
            if open_first:
                self.index = 0
                self._sync_buttons()
            if self.index == 0:
                await edit(**self.edit_arguments(await self.load(0)), view=self)

    @discord.ui.button(label="Previous", emoji="◀️", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: BotInteraction, _: discord.ui.Button[Any]) -> None:
        await self.show(interaction, self.index - 1)

    @discord.ui.button(label="Next", emoji="▶️", style=discord.ButtonStyle.primary)
    async def next(self, interaction: BotInteraction, _: discord.ui.Button[Any]) -> None:
        await self.show(interaction, self.index + 1)
