"""Everything the stand-in assumes about discord.py beyond its public API, in one place.

The stand-in drives the unmodified client, but three things it relies on are discord.py
internals that a minor release may change: the names of the tasks that run interaction
handlers (to know when the bot is done with an interaction), ``ConnectionState``'s
``guild_ready_timeout`` (set by ``fixtures.run_bot``) and the three base URLs ``patching``
replaces. They were checked against ``CHECKED_DISCORD_PY``; ``pyproject.toml`` pins that minor
version and ``tests/bot/test_standin.py`` fails when another one is installed, so an upgrade
is a conscious step: re-check these names, then bump both.
"""

from __future__ import annotations

import asyncio
from typing import Any

import discord

CHECKED_DISCORD_PY = "2.7"
"""The discord.py minor version (``major.minor``) the stand-in was last checked against
(2.7.1)."""

HANDLER_TASKS = (
    "CommandTree-invoker",  # app_commands/tree.py: slash commands, context menus, autocomplete
    "discord-ui-view-dispatch-",  # ui/view.py: button and select callbacks
    "discord-ui-modal-dispatch-",  # ui/modal.py: modal submits
    "discord-ui-dynamic-item-",  # ui/view.py: dynamic items
)
"""Prefixes of the names discord.py gives the tasks that run interaction callbacks."""


def installed_minor() -> str:
    """``major.minor`` of the installed discord.py."""
    return ".".join(discord.__version__.split(".")[:2])


def handler_tasks() -> set[asyncio.Task[Any]]:
    """The running tasks that are handling an interaction in the bot."""
    return {t for t in asyncio.all_tasks() if t.get_name().startswith(HANDLER_TASKS)}
