"""/ask and the "Brief me on this" message menu: answers in the briefing's own words."""

from __future__ import annotations

import discord
from discord import Interaction, app_commands
from discord.ext import commands

from bot import render, strings
from bot.client import BriefingBot
from bot.errors import UserFacingError
from bot.respond import in_time, send_pages


class AskCog(commands.Cog):
    def __init__(self, bot: BriefingBot) -> None:
        self.bot = bot
        self.brief_menu = app_commands.ContextMenu(name="Brief me on this", callback=self.brief_me)
        bot.tree.add_command(self.brief_menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.brief_menu.name, type=self.brief_menu.type)

    @app_commands.command(name="ask")
    @app_commands.describe(question="Anything about the briefing: actors, events, leverage")
    async def ask(
        self, interaction: Interaction[BriefingBot], question: app_commands.Range[str, 1, 500]
    ) -> None:
        """Ask the briefing a question; get the sentences that answer it, with sources."""
        if not question.strip():
            raise UserFacingError(strings.EMPTY_QUESTION)
        gid = interaction.guild_id
        pages = self.bot.pages.pages(gid, ("ask", question), lambda: self._answer(question, gid))
        await send_pages(interaction, await in_time(interaction, pages))

    async def _answer(self, question: str, guild_id: int | None) -> list[render.Page]:
        return render.answer(await self.bot.core.catalogue.ask(question, guild_id=guild_id))

    async def brief_me(
        self, interaction: Interaction[BriefingBot], message: discord.Message
    ) -> None:
        """Short briefs on the actors and events a message mentions (only you see them)."""
        text = "\n".join(
            [message.content, *(f"{e.title or ''} {e.description or ''}" for e in message.embeds)]
        )
        actors, events = await in_time(
            interaction,
            self.bot.core.catalogue.mentions(text, guild_id=interaction.guild_id),
            ephemeral=True,
        )
        pack = await self.bot.core.catalogue.pack(None) if (actors or events) else None
        source = str(pack.source_url) if pack else None
        await send_pages(interaction, render.briefs(actors, events, source), ephemeral=True)


async def setup(bot: BriefingBot) -> None:
    await bot.add_cog(AskCog(bot))
