"""/leverage: who gained or lost leverage over whom, where and why."""

from __future__ import annotations

from discord import app_commands
from discord.ext import commands

from bot import render, strings
from bot.client import BriefingBot
from bot.errors import UserFacingError
from bot.respond import in_time, send_with_chart
from bot.transformers import ActorArg, DomainArg
from bot.types import BotInteraction
from briefings.models import Actor, Domain


class LeverageCog(commands.Cog):
    def __init__(self, bot: BriefingBot) -> None:
        self.bot = bot
        self.catalogue = bot.core.catalogue

    @app_commands.command(name="leverage")
    @app_commands.describe(domain="Only this arena", actor="Only shifts involving this actor")
    async def leverage(
        self,
        interaction: BotInteraction,
        domain: DomainArg | None = None,
        actor: ActorArg | None = None,
    ) -> None:
        """Who gained or lost leverage over whom; with no options, the overall balance."""
        gid = interaction.guild_id
        key = ("leverage", domain, actor.id if actor else None)
        pages = self.bot.pages.pages(gid, key, lambda: self._leverage(domain, actor, gid))
        chart = self.bot.charts.request("leverage", domain=domain, actor=actor)
        await send_with_chart(interaction, await in_time(interaction, pages), chart)

    async def _leverage(
        self, domain: Domain | None, actor: Actor | None, guild_id: int | None
    ) -> list[render.Page]:
        views = await self.catalogue.leverage(guild_id=guild_id, domain=domain, actor=actor)
        if not views:
            raise UserFacingError(strings.NO_SHIFTS)
        if domain is None and actor is None:
            return render.balance(views)
        return render.leverage(views, domain=domain, actor=actor.name if actor else None)


async def setup(bot: BriefingBot) -> None:
    await bot.add_cog(LeverageCog(bot))
