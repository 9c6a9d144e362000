"""/briefing: the pack overview and its cards."""

from __future__ import annotations

from discord import Interaction, app_commands
from discord.ext import commands

from bot import limits
from bot.client import BriefingBot
from bot.errors import UserFacingError
from bot.respond import send_pages
from bot.views import dynamic, sources
from bot.views.dynamic import PageState
from briefings.errors import NotFound
from briefings.results import CardRef


class BriefingCog(commands.Cog):
    def __init__(self, bot: BriefingBot) -> None:
        self.bot = bot

    @app_commands.command(name="briefing")
    @app_commands.describe(
        pack="Which briefing (default: the first)", section="Open this section's card directly"
    )
    async def briefing(
        self,
        interaction: Interaction[BriefingBot],
        pack: str | None = None,
        section: app_commands.Range[int, 0, 10_000] | None = None,
    ) -> None:
        """The briefing's overview, or one section's card."""
        gid = interaction.guild_id
        chosen = await self.bot.core.catalogue.pack(pack)
        refs = await self.bot.core.catalogue.outline(chosen.slug, guild_id=gid)
        index = 0 if section is None else _position(refs, section)
        page, count = await sources.briefing_page(self.bot, chosen.slug, index, gid)
        state = PageState("b", chosen.slug, index, False, interaction.user.id)
        menu = await dynamic.section_options(self.bot, chosen.slug, gid)
        view = dynamic.controls(state, count, menu=menu) if state.fits() else None
        await send_pages(interaction, [page], view=view)

    @briefing.autocomplete("pack")
    async def pack_names(
        self, interaction: Interaction[BriefingBot], current: str
    ) -> list[app_commands.Choice[str]]:
        packs = await self.bot.core.catalogue.packs()
        matches = [
            p for p in packs.values() if current.casefold() in f"{p.slug} {p.title}".casefold()
        ]
        return [
            app_commands.Choice(name=limits.clip(p.title, limits.CHOICE_NAME), value=p.slug)
            for p in matches[: limits.CHOICES]
        ]

    @briefing.autocomplete("section")
    async def section_names(
        self, interaction: Interaction[BriefingBot], current: str
    ) -> list[app_commands.Choice[int]]:
        try:
            pack = await self.bot.core.catalogue.pack(interaction.namespace.pack or None)
        except NotFound:  # a pack name typed by hand that matches none: nothing to offer
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
