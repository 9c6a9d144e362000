"""What a member typed, resolved once at the edge: the core and the renderers get records.

Each transformer autocompletes its option and turns the submitted text into the record
(by id, name, alias, typo or description); a name that resolves to nothing ends in the
tree's error path with "did you mean ...".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot import limits
from briefings.errors import NotFound
from briefings.labels import DOMAIN_LABELS
from briefings.models import Actor, Domain, Event, Pack
from briefings.search import RefKind, fold

if TYPE_CHECKING:
    from bot.client import BriefingBot  # noqa: F401 - named in strings below
    from bot.types import BotInteraction

NAME_LENGTH = 200
"""The longest name a member may type; longer text is no name of ours."""


async def name_choices(
    interaction: BotInteraction, kind: RefKind, current: str
) -> list[app_commands.Choice[str]]:
    refs = await interaction.client.core.catalogue.suggest(
        kind, current, guild_id=interaction.guild_id, limit=limits.CHOICES
    )
    return [
        app_commands.Choice(
            name=limits.clip(r.display, limits.CHOICE_NAME), value=r.id[: limits.CHOICE_VALUE]
        )
        for r in refs
    ]


async def actor_choices(
    interaction: BotInteraction, current: str
) -> list[app_commands.Choice[str]]:
    """For options that keep the typed name (a subscription's filter stores it as given)."""
    return await name_choices(interaction, "actor", current)


DOMAIN_CHOICES = [
    app_commands.Choice(name=label, value=d.value) for d, label in DOMAIN_LABELS.items()
]


class _NameTransformer(app_commands.Transformer["BriefingBot"]):
    kind: RefKind

    @property
    def type(self) -> discord.AppCommandOptionType:
        return discord.AppCommandOptionType.string

    @property
    def min_value(self) -> int:
        return 1

    @property
    def max_value(self) -> int:
        return NAME_LENGTH

    async def autocomplete(  # type: ignore[override]  # narrower than Transformer's union
        self, interaction: BotInteraction, value: str, /
    ) -> list[app_commands.Choice[str]]:
        return await name_choices(interaction, self.kind, value)


class ActorTransformer(_NameTransformer):
    kind: RefKind = "actor"

    async def transform(self, interaction: BotInteraction, value: str, /) -> Actor:
        catalogue = interaction.client.core.catalogue
        return await catalogue.resolve_actor(value, guild_id=interaction.guild_id)


class EventTransformer(_NameTransformer):
    kind: RefKind = "event"

    async def transform(self, interaction: BotInteraction, value: str, /) -> Event:
        catalogue = interaction.client.core.catalogue
        return await catalogue.resolve_event(value, guild_id=interaction.guild_id)


class DomainTransformer(app_commands.Transformer["BriefingBot"]):
    """A leverage arena, offered as a fixed list of its labels."""

    @property
    def type(self) -> discord.AppCommandOptionType:
        return discord.AppCommandOptionType.string

    @property
    def choices(self) -> list[app_commands.Choice[str | int | float]]:
        return [
            app_commands.Choice(name=label, value=d.value) for d, label in DOMAIN_LABELS.items()
        ]

    async def transform(self, interaction: BotInteraction, value: str, /) -> Domain:
        return Domain(value)


class BriefingTransformer(app_commands.Transformer["BriefingBot"]):
    """A briefing the server sees, offered by title (newest first), resolved by its slug
    or by its title (or a part of it only one briefing's title has)."""

    @property
    def type(self) -> discord.AppCommandOptionType:
        return discord.AppCommandOptionType.string

    @property
    def max_value(self) -> int:
        return NAME_LENGTH

    async def autocomplete(  # type: ignore[override]  # narrower than Transformer's union
        self, interaction: BotInteraction, value: str, /
    ) -> list[app_commands.Choice[str]]:
        seen = await interaction.client.core.catalogue.briefings(interaction.guild_id)
        wanted = fold(value.strip())
        return [
            app_commands.Choice(
                name=limits.clip(f"{p.title} ({p.published:%Y})", limits.CHOICE_NAME),
                value=p.slug[: limits.CHOICE_VALUE],
            )
            for p in seen
            if wanted in fold(f"{p.slug} {p.title} {p.author}")
        ][: limits.CHOICES]

    async def transform(self, interaction: BotInteraction, value: str, /) -> Pack:
        return await briefing_named(interaction, value)


async def briefing_named(interaction: BotInteraction, value: str) -> Pack:
    seen = await interaction.client.core.catalogue.briefings(interaction.guild_id)
    wanted = fold(value.strip())
    for pack in seen:
        if wanted in (pack.slug, fold(pack.title)):
            return pack
    partial = [p for p in seen if wanted and wanted in fold(p.title)]
    if len(partial) == 1:
        return partial[0]
    raise NotFound("briefing", value, [p.title for p in (partial or seen)][:3])


BriefingArg = app_commands.Transform[Pack, BriefingTransformer]
ActorArg = app_commands.Transform[Actor, ActorTransformer]
EventArg = app_commands.Transform[Event, EventTransformer]
DomainArg = app_commands.Transform[Domain, DomainTransformer]
