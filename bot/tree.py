"""The one error path: every failure of a command, autocomplete or view ends here."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from typing import Any

import discord
from discord import app_commands

from bot import installs, limits, strings
from bot.errors import UserFacingError
from bot.health import record_failure
from bot.render.admin import problem_line
from bot.render.base import plural
from briefings.errors import BriefingError, InvalidPack, NotFound

log = logging.getLogger(__name__)


class BriefingTree(app_commands.CommandTree[discord.Client]):
    """Generic over any client: the error path needs only the interaction, and so the bot
    (which installs this tree) and the tree do not import each other. Where each command
    may be used (installs and contexts) is set here as it is added: see bot/installs.py."""

    def add_command(
        self,
        command: installs.Command,
        /,
        *,
        guild: discord.abc.Snowflake | None = discord.utils.MISSING,
        guilds: Sequence[discord.abc.Snowflake] = discord.utils.MISSING,
        override: bool = False,
    ) -> None:
        installs.allowed(command)
        super().add_command(command, guild=guild, guilds=guilds, override=override)

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        installs.read_globally(interaction)  # a user install where the bot is not: global
        return True

    async def on_error(
        self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError | Exception
    ) -> None:
        cause: BaseException = (
            error.original if isinstance(error, app_commands.CommandInvokeError) else error
        )
        if isinstance(cause, app_commands.TransformerError) and cause.__cause__ is not None:
            cause = cause.__cause__  # a name that resolved to nothing: NotFound, with hints
        record_failure(interaction, cause)  # /metrics: by outcome
        if isinstance(cause, UserFacingError | BriefingError | app_commands.CheckFailure):
            await reply_privately(interaction, user_message(cause))
            return
        error_id = uuid.uuid4().hex[:8]
        command = interaction.command.qualified_name if interaction.command else "component"
        log.error(
            "unexpected error %s in %s (guild %s, user %s)",
            error_id,
            command,
            interaction.guild_id,
            interaction.user.id,
            exc_info=cause,
        )
        await reply_privately(interaction, strings.APOLOGY.format(error_id=error_id))


def user_message(error: Exception) -> str:
    if isinstance(error, NotFound):
        what = strings.WHAT_WORDS.get(error.what, error.what)
        article = "an" if what[:1].lower() in "aeiou" else "a"
        text = strings.NOT_FOUND.format(what=f"{article} {what}", name=limits.clip(error.name, 100))
        if error.suggestions:
            return f"{text} {strings.DID_YOU_MEAN.format(suggestions=', '.join(error.suggestions))}"
        return f"{text} {strings.TRY_AUTOCOMPLETE}"
    if isinstance(error, InvalidPack):
        lines = [problem_line(p) for p in error.problems[:20]]
        count = plural(len(error.problems), "problem")
        return "\n".join([strings.NOTHING_SAVED.format(problems=count), *lines])
    if isinstance(error, app_commands.CheckFailure):
        return strings.CHECK_FAILED.format(reason=str(error) or "a check failed")
    return limits.clip(str(error), limits.CONTENT)


async def reply_privately(interaction: discord.Interaction[Any], text: str) -> None:
    """Ephemeral text whether or not the interaction was already answered."""
    text = limits.clip(text, limits.CONTENT)
    try:
        if interaction.type is discord.InteractionType.autocomplete:
            return  # an autocomplete can only answer with choices; it is logged above
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True)
        else:
            await interaction.response.send_message(text, ephemeral=True)
    except discord.HTTPException:
        log.warning("could not deliver an error reply to interaction %s", interaction.id)
