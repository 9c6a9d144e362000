"""The /briefing list: pages of the briefings a server sees, and a menu to open one."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import discord

from bot import limits, strings
from bot.render import Page
from bot.types import BotInteraction
from bot.views.pages import Paginator
from briefings.models import Pack

Opener = Callable[[BotInteraction, str], Awaitable[None]]
"""Opens one briefing (by slug) in answer to the menu."""


class BriefingPicker(Paginator):
    """Previous/Next through the list (when it has several pages) and a menu of the
    newest briefings; picking one opens its overview (rights are checked again there)."""

    def __init__(
        self, pages: list[Page], packs: list[Pack], *, owner: discord.abc.User, opener: Opener
    ) -> None:
        super().__init__(pages, owner=owner)
        if self.page_count <= 1:
            self.remove_item(self.previous)
            self.remove_item(self.next)
        self.add_item(_Menu(packs, opener))


class _Menu(discord.ui.Select[BriefingPicker]):
    def __init__(self, packs: list[Pack], opener: Opener) -> None:
        super().__init__(
            placeholder=strings.OPEN_BRIEFING,
            options=[_option(p) for p in packs[: limits.SELECT_OPTIONS]],
            row=1,
        )
        self.opener = opener

    async def callback(self, interaction: BotInteraction) -> None:  # type: ignore[override]
        await self.opener(interaction, self.values[0])


def _option(pack: Pack) -> discord.SelectOption:
    return discord.SelectOption(
        label=limits.clip(pack.title, limits.SELECT_OPTION_LABEL),
        value=pack.slug,
        description=limits.clip(
            f"{pack.author} · {pack.published:%-d %b %Y}", limits.SELECT_OPTION_DESCRIPTION
        ),
    )
