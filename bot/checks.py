"""Who may do what: checked on the server for every admin subcommand, button and form.

`default_member_permissions` only hides commands, and a server can override it, so
every subcommand checks again here; buttons and forms check again when pressed or
submitted, since rights can be taken away while a preview or a form is open.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import discord
from discord import app_commands

if TYPE_CHECKING:
    from bot.client import BriefingBot

T = TypeVar("T")


def is_owner(interaction: discord.Interaction[BriefingBot]) -> bool:
    return interaction.user.id in interaction.client.settings.owner_ids


async def can_manage_cards(interaction: discord.Interaction[BriefingBot]) -> bool:
    """In a guild only (owners too: a DM must be refused before any form opens); there,
    owners, Manage Server, or one of the guild's editor roles."""
    if interaction.guild_id is None:
        raise app_commands.NoPrivateMessage("card commands work in a server")
    if is_owner(interaction) or interaction.permissions.manage_guild:
        return True
    editors = await interaction.client.core.guilds.editor_roles(interaction.guild_id)
    if editors and _role_ids(interaction.user) & set(editors):
        return True
    roles = ", ".join(f"<@&{r}>" for r in editors) or "none named yet"
    raise app_commands.CheckFailure(
        f"you need the **Manage Server** permission or an editor role ({roles}) to manage cards"
    )


def manages_cards() -> Callable[[T], T]:
    """For autocomplete callbacks: members who may not manage cards get no choices."""
    return app_commands.check(can_manage_cards)


def require_manage_server(interaction: discord.Interaction[BriefingBot]) -> None:
    if not (is_owner(interaction) or interaction.permissions.manage_guild):
        raise app_commands.CheckFailure("you need the **Manage Server** permission for this")


def _role_ids(user: Any) -> set[int]:
    return {role.id for role in getattr(user, "roles", [])}
