"""/actor, /event and /timeline: who, what and when."""

from __future__ import annotations

from discord import Interaction, app_commands
from discord.ext import commands

from bot import limits, render, strings
from bot.client import BriefingBot
from bot.errors import UserFacingError
from bot.respond import in_time, send_pages, send_with_chart
from bot.views.charts import ActorPages
from briefings.search import RefKind


async def _choices(
    interaction: Interaction[BriefingBot], kind: RefKind, current: str
) -> list[app_commands.Choice[str]]:
    refs = await interaction.client.core.suggest(
        kind, current, guild_id=interaction.guild_id, limit=limits.CHOICES
    )
    return [
        app_commands.Choice(
            name=limits.clip(r.display, limits.CHOICE_NAME), value=r.id[: limits.CHOICE_VALUE]
        )
        for r in refs
    ]


async def actor_choices(
    interaction: Interaction[BriefingBot], current: str
) -> list[app_commands.Choice[str]]:
    return await _choices(interaction, "actor", current)


async def event_choices(
    interaction: Interaction[BriefingBot], current: str
) -> list[app_commands.Choice[str]]:
    return await _choices(interaction, "event", current)


class CatalogueCog(commands.Cog):
    def __init__(self, bot: BriefingBot) -> None:
        self.bot = bot

    @app_commands.command(name="actor")
    @app_commands.describe(name="A person, state, group or place (aliases and typos work)")
    @app_commands.autocomplete(name=actor_choices)
    async def actor(
        self, interaction: Interaction[BriefingBot], name: app_commands.Range[str, 1, 200]
    ) -> None:
        """Who an actor is, what they gained or lost, and where they appear."""
        gid = interaction.guild_id
        pages = self.bot.pages.pages(gid, ("actor", name), lambda: self._actor(name, gid))
        shown = await in_time(interaction, pages)
        view = None
        if await self.bot.charts.has_map(name, guild_id=gid):
            chart = self.bot.charts.request("actor", actor=name)
            view = ActorPages(shown, owner=interaction.user, chart=chart)
        await send_pages(interaction, shown, view=view)

    async def _actor(self, name: str, guild_id: int | None) -> list[render.Page]:
        profile = await self.bot.core.actor_profile(name, guild_id=guild_id)
        return render.actor_profile(profile, await self.bot.core.display_names(guild_id=guild_id))

    @app_commands.command(name="event")
    @app_commands.describe(name="An event of the briefing (start typing to pick one)")
    @app_commands.autocomplete(name=event_choices)
    async def event(
        self, interaction: Interaction[BriefingBot], name: app_commands.Range[str, 1, 200]
    ) -> None:
        """What happened, when, where, who was involved and why it matters."""
        gid = interaction.guild_id
        pages = self.bot.pages.pages(gid, ("event", name), lambda: self._event(name, gid))
        await send_pages(interaction, await in_time(interaction, pages))

    async def _event(self, name: str, guild_id: int | None) -> list[render.Page]:
        return render.event_detail(await self.bot.core.event_detail(name, guild_id=guild_id))

    @app_commands.command(name="timeline")
    @app_commands.describe(actor="Only the events this actor took part in")
    @app_commands.autocomplete(actor=actor_choices)
    async def timeline(
        self,
        interaction: Interaction[BriefingBot],
        actor: app_commands.Range[str, 1, 200] | None = None,
    ) -> None:
        """The briefing's events in date order."""
        gid = interaction.guild_id
        pages = self.bot.pages.pages(gid, ("timeline", actor), lambda: self._timeline(actor, gid))
        chart = self.bot.charts.request("timeline", actor=actor)
        await send_with_chart(interaction, await in_time(interaction, pages), chart)

    async def _timeline(self, actor: str | None, guild_id: int | None) -> list[render.Page]:
        core = self.bot.core
        entries = await core.timeline(guild_id=guild_id, actor=actor)
        label = (await core.resolve_actor(actor, guild_id=guild_id)).name if actor else None
        if actor and not entries:
            raise UserFacingError(strings.NO_EVENTS.format(actor=label))
        return render.timeline(entries, actor=label)


async def setup(bot: BriefingBot) -> None:
    await bot.add_cog(CatalogueCog(bot))
