"""/leverage: who gained or lost leverage over whom, where and why."""

from __future__ import annotations

from discord import Interaction, app_commands
from discord.ext import commands

from bot import render, strings
from bot.client import BriefingBot
from bot.cogs.catalogue import actor_choices
from bot.errors import UserFacingError
from bot.render.base import DOMAIN_LABELS
from bot.respond import in_time, send_with_chart
from briefings.models import Domain

DOMAIN_CHOICES = [
    app_commands.Choice(name=label, value=d.value) for d, label in DOMAIN_LABELS.items()
]


class LeverageCog(commands.Cog):
    def __init__(self, bot: BriefingBot) -> None:
        self.bot = bot

    @app_commands.command(name="leverage")
    @app_commands.describe(domain="Only this arena", actor="Only shifts involving this actor")
    @app_commands.choices(domain=DOMAIN_CHOICES)
    @app_commands.autocomplete(actor=actor_choices)
    async def leverage(
        self,
        interaction: Interaction[BriefingBot],
        domain: app_commands.Choice[str] | None = None,
        actor: app_commands.Range[str, 1, 200] | None = None,
    ) -> None:
        """Who gained or lost leverage over whom; with no options, the overall balance."""
        chosen = Domain(domain.value) if domain else None
        gid = interaction.guild_id
        key = ("leverage", chosen, actor)
        pages = self.bot.pages.pages(gid, key, lambda: self._leverage(chosen, actor, gid))
        chart = self.bot.charts.request("leverage", domain=chosen, actor=actor)
        await send_with_chart(interaction, await in_time(interaction, pages), chart)

    async def _leverage(
        self, domain: Domain | None, actor: str | None, guild_id: int | None
    ) -> list[render.Page]:
        core = self.bot.core
        views = await core.leverage(guild_id=guild_id, domain=domain, actor=actor)
        if not views:
            raise UserFacingError(strings.NO_SHIFTS)
        if domain is None and actor is None:
            return render.balance(views)
        label = (await core.resolve_actor(actor, guild_id=guild_id)).name if actor else None
        return render.leverage(views, domain=domain, actor=label)


async def setup(bot: BriefingBot) -> None:
    await bot.add_cog(LeverageCog(bot))
