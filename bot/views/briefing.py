"""Browsing a pack: the overview, then its cards, by section menu or Previous/Next."""

from __future__ import annotations

import discord

from bot import limits, render
from bot.cache import PageCache
from bot.errors import UserFacingError
from bot.render import Page
from bot.types import BotInteraction
from bot.views.pages import Paginator
from briefings.results import CardRef


class SectionSelect(discord.ui.Select["PackBrowser"]):
    def __init__(self, cards: list[CardRef]) -> None:
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

    # discord.py types it for any client; ours is always BriefingBot
    async def callback(self, interaction: BotInteraction) -> None:  # type: ignore[override]
        assert self.view is not None
        await self.view.show(interaction, int(self.values[0]))


class PackBrowser(Paginator):
    """Page 0 is the overview; page N is the card of the N-th section, rendered on opening."""

    def __init__(
        self,
        overview: Page,
        cards: list[CardRef],
        *,
        cache: PageCache,
        guild_id: int | None,
        owner: discord.abc.User,
    ) -> None:
        super().__init__([overview], owner=owner, page_count=len(cards) + 1)
        self.cards = cards
        self.cache = cache
        self.guild_id = guild_id
        if cards:
            self.add_item(SectionSelect(cards))

    async def load(self, index: int) -> Page:
        if index == 0:
            return self.pages[0]
        ref, total = self.cards[index - 1], len(self.cards)

        async def card_page() -> list[Page]:
            core = self.cache.catalogue
            card = await core.card(ref.id, guild_id=self.guild_id)
            if card is None:  # archived since the overview was sent
                raise UserFacingError(f"The card {ref.title!r} is no longer available.")
            return [render.card_page(card, await core.cite(card), position=index, total=total)]

        pages = await self.cache.pages(self.guild_id, ("card", ref.id, index, total), card_page)
        return pages[0]

    async def open_at(self, index: int) -> Page:
        """Start on a given page (a section asked for in the command)."""
        self.index = index
        self._sync_buttons()
        return await self.load(index)
