"""The interaction type every handler takes: `interaction.client` is our bot."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

import discord

if TYPE_CHECKING:
    from bot.client import BriefingBot

BotInteraction: TypeAlias = "discord.Interaction[BriefingBot]"
