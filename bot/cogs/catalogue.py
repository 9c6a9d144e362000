"""/actor, /event and /timeline: who, what and when."""

from __future__ import annotations

from discord import Interaction, app_commands
from discord.ext import commands

from bot import limits, render
from bot.client import BriefingBot
from bot.errors import UserFacingError
from bot.respond import in_time, send_pages
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
        core = self.bot.core
        profile = await in_time(
            interaction, core.actor_profile(name, guild_id=interaction.guild_id)
        )
        names = await core.display_names(guild_id=interaction.guild_id)
        await send_pages(interaction, render.actor_profile(profile, names))

    @app_commands.command(name="event")
    @app_commands.describe(name="An event of the briefing (start typing to pick one)")
    @app_commands.autocomplete(name=event_choices)
    async def event(
        self, interaction: Interaction[BriefingBot], name: app_commands.Range[str, 1, 200]
    ) -> None:
        """What happened, when, where, who was involved and why it matters."""
        detail = await in_time(
            interaction, self.bot.core.event_detail(name, guild_id=interaction.guild_id)
        )
        await send_pages(interaction, render.event_detail(detail))

    @app_commands.command(name="timeline")
    @app_commands.describe(actor="Only the events this actor took part in")
    @app_commands.autocomplete(actor=actor_choices)
    async def timeline(
        self,
        interaction: Interaction[BriefingBot],
        actor: app_commands.Range[str, 1, 200] | None = None,
    ) -> None:
        """The briefing's events in date order."""
        core = self.bot.core
        entries = await in_time(
            interaction, core.timeline(guild_id=interaction.guild_id, actor=actor)
        )
        label = None
        if actor:
            label = (await core.resolve_actor(actor, guild_id=interaction.guild_id)).name
            if not entries:
                raise UserFacingError(f"No events in the briefing involve {label}.")
        await send_pages(interaction, render.timeline(entries, actor=label))


async def setup(bot: BriefingBot) -> None:
    await bot.add_cog(CatalogueCog(bot))
