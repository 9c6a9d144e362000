"""An actor's profile with an "Actor map" button: the map is drawn only when asked for."""

from __future__ import annotations

from typing import Any

import discord

from bot import strings
from bot.charts import ChartRequest
from bot.render import Page
from bot.types import BotInteraction
from bot.views.pages import Paginator


class ActorPages(Paginator):
    """Profile pages (Previous/Next only when there are several) and the map button.

    The map is an image of the first page's embed, like the charts of /leverage and
    /timeline; pressing the button opens the first page to show it.
    """

    def __init__(self, pages: list[Page], *, owner: discord.abc.User, chart: ChartRequest) -> None:
        super().__init__(pages, owner=owner)
        self.chart_request = chart
        if self.page_count == 1:
            self.remove_item(self.previous)
            self.remove_item(self.next)

    @discord.ui.button(label=strings.ACTOR_MAP, emoji="🗺️", style=discord.ButtonStyle.secondary)
    async def actor_map(self, interaction: BotInteraction, button: discord.ui.Button[Any]) -> None:
        # Drawing takes up to a second cold: acknowledge now (the button shows it is working).
        await interaction.response.defer()
        chart = await self.chart_request.draw(interaction)
        if chart is None:  # why is logged; the profile stays as it was
            await interaction.followup.send(strings.ACTOR_MAP_UNAVAILABLE, ephemeral=True)
            return
        button.disabled = True  # the map is on the first page from now on
        async with self.chart_request.uploading:
            await self.attach(chart, interaction.edit_original_response, open_first=True)
