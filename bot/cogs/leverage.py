"""/leverage: who gained or lost leverage over whom, where and why."""

from __future__ import annotations

from discord import app_commands
from discord.ext import commands

from bot.client import BriefingBot
from bot.respond import in_time, send_with_chart
from bot.transformers import ActorArg, BriefingArg, DomainArg
from bot.types import BotInteraction
from bot.views import dynamic, sources
from bot.views.dynamic import PageState


class LeverageCog(commands.Cog):
    def __init__(self, bot: BriefingBot) -> None:
        self.bot = bot

    @app_commands.command(name="leverage")
    @app_commands.describe(
        domain="Only this arena",
        actor="Only shifts involving this actor",
        briefing="Which briefing (default: the newest, when this server sees several)",
    )
    async def leverage(
        self,
        interaction: BotInteraction,
        domain: DomainArg | None = None,
        actor: ActorArg | None = None,
        briefing: BriefingArg | None = None,
    ) -> None:
        """Who gained or lost leverage over whom; with no options, the overall balance."""
        gid = interaction.guild_id
        # Before/after mean different pivots in different briefings: one briefing at a time.
        chosen = briefing or await self.bot.core.catalogue.default_briefing(gid)
        slug = chosen.slug if chosen else None
        arg = sources.leverage_arg(domain, actor.id if actor else None, slug)
        shown = await in_time(interaction, sources.pages(self.bot, "l", arg, gid))
        state = PageState("l", arg, 0, self.bot.charts.offered, interaction.user.id)
        view = dynamic.controls(state, len(shown)) if state.fits() else None
        chart = self.bot.charts.request("leverage", domain=domain, actor=actor, briefing=chosen)
        await send_with_chart(interaction, shown, chart, view=view)


async def setup(bot: BriefingBot) -> None:
    await bot.add_cog(LeverageCog(bot))
