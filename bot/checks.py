"""Who may do what: checked on the server for every admin subcommand.

`default_member_permissions` only hides commands, and a server can override it, so
every subcommand checks again here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

if TYPE_CHECKING:
    from bot.client import BriefingBot


def is_owner(interaction: discord.Interaction[BriefingBot]) -> bool:
    return interaction.user.id in interaction.client.settings.owner_ids


async def can_manage_cards(interaction: discord.Interaction[BriefingBot]) -> bool:
    """Owners everywhere; in a guild, Manage Server or one of the guild's editor roles."""
    if is_owner(interaction):
        return True
    if interaction.guild_id is None:
        raise app_commands.NoPrivateMessage("card commands work in a server")
    if interaction.permissions.manage_guild:
        return True
    editors = await interaction.client.core.guilds.editor_roles(interaction.guild_id)
    if editors and _role_ids(interaction.user) & set(editors):
        return True
    roles = ", ".join(f"<@&{r}>" for r in editors) or "none named yet"
    raise app_commands.CheckFailure(
        f"you need the **Manage Server** permission or an editor role ({roles}) to manage cards"
    )


def require_manage_server(interaction: discord.Interaction[BriefingBot]) -> None:
    if not (is_owner(interaction) or interaction.permissions.manage_guild):
        raise app_commands.CheckFailure("you need the **Manage Server** permission for this")


def _role_ids(user: Any) -> set[int]:
    return {role.id for role in getattr(user, "roles", [])}
