"""/actor, /event and /timeline: who, what and when."""

from __future__ import annotations

from discord import app_commands
from discord.ext import commands

from bot import render, strings
from bot.client import BriefingBot
from bot.errors import UserFacingError
from bot.respond import in_time, send_pages, send_with_chart
from bot.transformers import ActorArg, EventArg
from bot.types import BotInteraction
from bot.views.charts import ActorPages
from briefings.models import Actor, Event


class CatalogueCog(commands.Cog):
    def __init__(self, bot: BriefingBot) -> None:
        self.bot = bot
        self.catalogue = bot.core.catalogue

    @app_commands.command(name="actor")
    @app_commands.describe(name="A person, state, group or place (aliases and typos work)")
    async def actor(self, interaction: BotInteraction, name: ActorArg) -> None:
        """Who an actor is, what they gained or lost, and where they appear."""
        gid = interaction.guild_id
        pages = self.bot.pages.pages(gid, ("actor", name.id), lambda: self._actor(name, gid))
        shown = await in_time(interaction, pages)
        view = None
        if await self.bot.charts.has_map(name, guild_id=gid):
            chart = self.bot.charts.request("actor", actor=name)
            view = ActorPages(shown, owner=interaction.user, chart=chart)
        await send_pages(interaction, shown, view=view)

    async def _actor(self, actor: Actor, guild_id: int | None) -> list[render.Page]:
        profile = await self.catalogue.actor_profile(actor, guild_id=guild_id)
        return render.actor_profile(profile, await self.catalogue.display_names(guild_id=guild_id))

    @app_commands.command(name="event")
    @app_commands.describe(name="An event of the briefing (start typing to pick one)")
    async def event(self, interaction: BotInteraction, name: EventArg) -> None:
        """What happened, when, where, who was involved and why it matters."""
        gid = interaction.guild_id
        pages = self.bot.pages.pages(gid, ("event", name.id), lambda: self._event(name, gid))
        await send_pages(interaction, await in_time(interaction, pages))

    async def _event(self, event: Event, guild_id: int | None) -> list[render.Page]:
        return render.event_detail(await self.catalogue.event_detail(event, guild_id=guild_id))

    @app_commands.command(name="timeline")
    @app_commands.describe(actor="Only the events this actor took part in")
    async def timeline(self, interaction: BotInteraction, actor: ActorArg | None = None) -> None:
        """The briefing's events in date order."""
        gid = interaction.guild_id
        key = ("timeline", actor.id if actor else None)
        pages = self.bot.pages.pages(gid, key, lambda: self._timeline(actor, gid))
        chart = self.bot.charts.request("timeline", actor=actor)
        await send_with_chart(interaction, await in_time(interaction, pages), chart)

    async def _timeline(self, actor: Actor | None, guild_id: int | None) -> list[render.Page]:
        entries = await self.catalogue.timeline(guild_id=guild_id, actor=actor)
        if actor and not entries:
            raise UserFacingError(strings.NO_EVENTS.format(actor=actor.name))
        return render.timeline(entries, actor=actor.name if actor else None)


async def setup(bot: BriefingBot) -> None:
    await bot.add_cog(CatalogueCog(bot))
