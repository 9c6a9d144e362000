"""/actor, /event and /timeline: who, what and when."""

from __future__ import annotations

from discord import app_commands
from discord.ext import commands

from bot.client import BriefingBot
from bot.respond import in_time, send_pages, send_with_chart
from bot.transformers import ActorArg, BriefingArg, EventArg
from bot.types import BotInteraction
from bot.views import dynamic, sources
from bot.views.dynamic import PageState


class CatalogueCog(commands.Cog):
    def __init__(self, bot: BriefingBot) -> None:
        self.bot = bot

    @app_commands.command(name="actor")
    @app_commands.describe(name="A person, state, group or place (aliases and typos work)")
    async def actor(self, interaction: BotInteraction, name: ActorArg) -> None:
        """Who an actor is, what they gained or lost, and where they appear."""
        gid = interaction.guild_id
        shown = await in_time(interaction, sources.pages(self.bot, "a", name.id, gid))
        state = PageState("a", name.id, 0, False, interaction.user.id)
        offer = await self.bot.charts.has_map(name, guild_id=gid)
        view = dynamic.controls(state, len(shown), offer_map=offer) if state.fits() else None
        await send_pages(interaction, shown, view=view)

    @app_commands.command(name="event")
    @app_commands.describe(name="An event of the briefing (start typing to pick one)")
    async def event(self, interaction: BotInteraction, name: EventArg) -> None:
        """What happened, when, where, who was involved and why it matters."""
        gid = interaction.guild_id
        shown = await in_time(interaction, sources.pages(self.bot, "e", name.id, gid))
        state = PageState("e", name.id, 0, False, interaction.user.id)
        view = dynamic.controls(state, len(shown)) if state.fits() else None
        await send_pages(interaction, shown, view=view)

    @app_commands.command(name="timeline")
    @app_commands.describe(
        actor="Only the events this actor took part in",
        briefing="Only this briefing's events (default: every briefing, merged by date)",
    )
    async def timeline(
        self,
        interaction: BotInteraction,
        actor: ActorArg | None = None,
        briefing: BriefingArg | None = None,
    ) -> None:
        """The briefings' events in date order."""
        gid = interaction.guild_id
        arg = sources.timeline_arg(actor.id if actor else None, briefing.slug if briefing else None)
        shown = await in_time(interaction, sources.pages(self.bot, "t", arg, gid))
        state = PageState("t", arg, 0, self.bot.charts.offered, interaction.user.id)
        view = dynamic.controls(state, len(shown)) if state.fits() else None
        chart = self.bot.charts.request("timeline", actor=actor, briefing=briefing)
        await send_with_chart(interaction, shown, chart, view=view)


async def setup(bot: BriefingBot) -> None:
    await bot.add_cog(CatalogueCog(bot))
