"""/ask and the "Brief me on this" message menu: answers in the briefing's own words."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import discord
from discord import Interaction, app_commands
from discord.ext import commands

from bot import render, strings
from bot.client import BriefingBot
from bot.errors import UserFacingError
from bot.respond import in_time, send_pages
from bot.transformers import BriefingArg
from bot.views.votes import AnswerPaginator, VoteButton, VotesView
from briefings.results import Answer


class AskCog(commands.Cog):
    def __init__(self, bot: BriefingBot) -> None:
        self.bot = bot
        self.brief_menu = app_commands.ContextMenu(name="Brief me on this", callback=self.brief_me)
        bot.tree.add_command(self.brief_menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.brief_menu.name, type=self.brief_menu.type)

    @app_commands.command(name="ask")
    @app_commands.describe(
        question="Anything about the briefing: actors, events, leverage",
        briefing="Only this briefing (default: every briefing this server sees)",
    )
    async def ask(
        self,
        interaction: Interaction[BriefingBot],
        question: app_commands.Range[str, 1, 500],
        briefing: BriefingArg | None = None,
    ) -> None:
        """Ask the briefing a question: the answer first, then points and sources."""
        if not question.strip():
            raise UserFacingError(strings.EMPTY_QUESTION)
        gid = interaction.guild_id
        catalogue = self.bot.core.catalogue
        answer = await in_time(
            interaction, catalogue.ask(question, guild_id=gid, briefing=briefing)
        )
        if not answer.covered and answer.gap:
            # Kept for this server's editors (question, server, time; never the member).
            await self.bot.core.gaps.record(answer.question, guild_id=gid, reason="not-covered")
        several = len(await catalogue.briefings(gid)) > 1
        key = ("ask", question, briefing.slug if briefing else "")
        pages = await self.bot.pages.pages(gid, key, self._render(answer, several=several))
        if not answer.lead:  # nothing answered, and already kept: no votes to ask for
            await send_pages(interaction, pages)
            return
        owner = interaction.user
        view: AnswerPaginator | VotesView = (
            AnswerPaginator(pages, owner=owner) if len(pages) > 1 else VotesView(owner=owner)
        )
        await send_pages(interaction, pages, view=view)

    @staticmethod
    def _render(answer: Answer, *, several: bool) -> Callable[[], Awaitable[list[render.Page]]]:
        async def pages() -> list[render.Page]:
            return render.answer(answer, several=several)

        return pages

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
        catalogue, gid = self.bot.core.catalogue, interaction.guild_id
        pack = await catalogue.pack(None, guild_id=gid) if (actors or events) else None
        source = str(pack.source_url) if pack else None
        await send_pages(interaction, render.briefs(actors, events, source), ephemeral=True)


async def setup(bot: BriefingBot) -> None:
    bot.add_dynamic_items(VoteButton)  # votes on answers sent before a restart still count
    await bot.add_cog(AskCog(bot))
