"""Where each command may be used: the read commands also for members who installed the
app to their account (in DMs, group DMs and servers without the bot); everything else
stays with a server's install.

One place for it: the tree applies `allowed` to every command as a cog adds it, so no cog
says it itself. A user-installed command in a server the bot is not in reads the global
briefings only: `read_globally` drops the interaction's guild scope before any command,
autocomplete or transformer reads it (the read cogs take `interaction.guild_id` as their
scope, and that server's own briefings are for the members the bot serves there).
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

READ_COMMANDS = frozenset({"ask", "briefing", "actor", "event", "timeline", "leverage"})
"""Answer from the briefings, change nothing: fine wherever a member carries the app."""
DM_COMMANDS = frozenset({"subscribe", "subscriptions", "unsubscribe", "subscription", "mydata"})
"""Also in a DM with the bot (DM subscriptions, a member's data), but only where the bot
itself is installed: a channel subscription needs the bot in the server."""

EVERYWHERE = app_commands.AppInstallationType(guild=True, user=True)
SERVER_INSTALL = app_commands.AppInstallationType(guild=True, user=False)
ANY_CONTEXT = app_commands.AppCommandContext(guild=True, dm_channel=True, private_channel=True)
SERVER_AND_BOT_DM = app_commands.AppCommandContext(
    guild=True, dm_channel=True, private_channel=False
)
SERVER_ONLY = app_commands.AppCommandContext(guild=True, dm_channel=False, private_channel=False)

Command = app_commands.Command[Any, ..., Any] | app_commands.Group | app_commands.ContextMenu


def allowed(command: Command) -> None:
    """Set a top-level command's installs and contexts by the lists above."""
    chat = not isinstance(command, app_commands.ContextMenu)
    if chat and command.name in READ_COMMANDS:
        command.allowed_installs, command.allowed_contexts = EVERYWHERE, ANY_CONTEXT
    elif chat and command.name in DM_COMMANDS and not getattr(command, "guild_only", False):
        command.allowed_installs, command.allowed_contexts = SERVER_INSTALL, SERVER_AND_BOT_DM
    else:  # admin commands, context menus: a server's, in its channels
        command.allowed_installs, command.allowed_contexts = SERVER_INSTALL, SERVER_ONLY


def read_globally(interaction: discord.Interaction[Any]) -> None:
    """No guild scope for a command the bot is not installed for in this server (a user
    install there): the global briefings only."""
    gid = interaction.guild_id
    if gid is None or interaction.is_guild_integration():
        return
    if interaction.client.get_guild(gid) is not None:
        return  # the bot is there (an older payload without the owners): its scope holds
    interaction.guild_id = None
