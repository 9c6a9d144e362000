"""/briefing: the briefings a server sees, one briefing's overview, and its cards."""

from __future__ import annotations

from discord import Interaction, app_commands
from discord.ext import commands

from bot import limits, render
from bot.client import BriefingBot
from bot.errors import UserFacingError
from bot.respond import send_pages
from bot.transformers import BriefingArg, briefing_named
from bot.types import BotInteraction
from bot.views import dynamic, sources
from bot.views.briefings import BriefingPicker
from bot.views.dynamic import PageState
from briefings.errors import NotFound
from briefings.models import Pack
from briefings.results import CardRef


class BriefingCog(commands.Cog):
    def __init__(self, bot: BriefingBot) -> None:
        self.bot = bot

    @app_commands.command(name="briefing")
    @app_commands.describe(
        briefing="Which briefing (default: the list, or the only one)",
        section="Open this section's card directly",
    )
    async def briefing(
        self,
        interaction: Interaction[BriefingBot],
        briefing: BriefingArg | None = None,
        section: app_commands.Range[int, 0, 10_000] | None = None,
    ) -> None:
        """The briefings this server sees; a briefing's overview, or one section's card."""
        catalogue = self.bot.core.catalogue
        if briefing is None:
            seen = await catalogue.briefings(interaction.guild_id)
            if len(seen) > 1 and section is None:
                await self._list(interaction, seen)
                return
            briefing = seen[0] if seen else await catalogue.pack(None)
        await self._open(interaction, briefing, section)

    async def _list(self, interaction: BotInteraction, seen: list[Pack]) -> None:
        catalogue, gid = self.bot.core.catalogue, interaction.guild_id
        sections = {p.slug: len(await catalogue.outline(p.slug, guild_id=gid)) for p in seen}
        pages = render.briefing_list(seen, sections)
        view = BriefingPicker(pages, seen, owner=interaction.user, opener=self._picked)
        await send_pages(interaction, pages, view=view)

    async def _picked(self, interaction: BotInteraction, slug: str) -> None:
        chosen = await self.bot.core.catalogue.pack(slug, guild_id=interaction.guild_id)
        await self._open(interaction, chosen, None)

    async def _open(self, interaction: BotInteraction, chosen: Pack, section: int | None) -> None:
        gid = interaction.guild_id
        refs = await self.bot.core.catalogue.outline(chosen.slug, guild_id=gid)
        index = 0 if section is None else _position(refs, section)
        page, count = await sources.briefing_page(self.bot, chosen.slug, index, gid)
        state = PageState("b", chosen.slug, index, False, interaction.user.id)
        menu = await dynamic.section_options(self.bot, chosen.slug, gid)
        view = dynamic.controls(state, count, menu=menu) if state.fits() else None
        await send_pages(interaction, [page], view=view)

    @briefing.autocomplete("section")
    async def section_names(
        self, interaction: Interaction[BriefingBot], current: str
    ) -> list[app_commands.Choice[int]]:
        named = interaction.namespace.briefing
        try:
            if named:
                pack = await briefing_named(interaction, str(named))
            else:
                pack = await self.bot.core.catalogue.pack(None, guild_id=interaction.guild_id)
        except NotFound:  # a briefing typed by hand that matches none: nothing to offer
            return []
        cards = await self.bot.core.catalogue.outline(pack.slug, guild_id=interaction.guild_id)
        wanted = current.casefold()
        matches = [c for c in cards if wanted in f"{c.section} {c.title}".casefold()]
        return [
            app_commands.Choice(
                name=limits.clip(f"{c.section}. {c.title}", limits.CHOICE_NAME), value=c.section
            )
            for c in matches[: limits.CHOICES]
        ]


def _position(cards: list[CardRef], section: int) -> int:
    for i, card in enumerate(cards, 1):
        if card.section == section:
            return i
    sections = ", ".join(str(c.section) for c in cards)
    raise UserFacingError(f"There is no section {section}. Sections: {sections}.")


async def setup(bot: BriefingBot) -> None:
    await bot.add_cog(BriefingCog(bot))
