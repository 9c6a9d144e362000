"""Browsing a pack: the overview, then its cards, by section menu or Previous/Next."""

from __future__ import annotations

from typing import Any

import discord

from bot import limits
from bot.render import Page
from bot.views.pages import Paginator
from briefings.models import Card


class SectionSelect(discord.ui.Select["PackBrowser"]):
    def __init__(self, cards: list[Card]) -> None:
        shown = cards[: limits.SELECT_OPTIONS]
        options = [
            discord.SelectOption(
                label=limits.clip(f"{c.section}. {c.title}", limits.SELECT_OPTION_LABEL),
                value=str(i + 1),
            )
            for i, c in enumerate(shown)
        ]
        more = len(cards) - len(shown)
        placeholder = "Open a section…" + (
            f" (first {len(shown)}; page for {more} more)" if more else ""
        )
        super().__init__(placeholder=limits.clip(placeholder, 150), options=options, row=1)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        assert self.view is not None
        await self.view.show(interaction, int(self.values[0]))


class PackBrowser(Paginator):
    """Page 0 is the overview; page N is the card of the N-th section."""

    def __init__(
        self, pages: list[Page], cards: list[Card], *, owner: discord.abc.User, start: int = 0
    ) -> None:
        super().__init__(pages, owner=owner)
        if cards:
            self.add_item(SectionSelect(cards))
        self.index = start
        self._sync_buttons()
