"""Sending pages within Discord's 3-second window."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any, TypeVar

import discord

from bot import limits
from bot.render import Page
from bot.views.pages import Paginator

T = TypeVar("T")


async def in_time(
    interaction: discord.Interaction[Any], work: Awaitable[T], *, ephemeral: bool = False
) -> T:
    """Await the core; defer first if it is not done in DEFER_AFTER_S.

    Most answers take milliseconds, and answering directly saves a round trip; a slow
    disk or a huge store still gets a "thinking..." in time instead of a failed command.
    """
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=limits.DEFER_AFTER_S)
    if not done and not interaction.response.is_done():
        await interaction.response.defer(ephemeral=ephemeral, thinking=True)
    return await task


async def send_pages(
    interaction: discord.Interaction[Any],
    pages: list[Page],
    *,
    ephemeral: bool = False,
    view: Paginator | None = None,
) -> None:
    """The first page, with Previous/Next when there are more (or the given view)."""
    first = pages[0]
    if view is None and len(pages) > 1:
        view = Paginator(pages, owner=interaction.user)
    kwargs: dict[str, Any] = {
        "content": first.content,
        "embeds": first.embeds,
        "ephemeral": ephemeral,
    }
    if view is not None:
        kwargs["view"] = view
    if interaction.response.is_done():
        message = await interaction.followup.send(wait=True, **kwargs)
        if view is not None:
            view.message = message
        return
    response = await interaction.response.send_message(**kwargs)
    if view is not None and isinstance(response.resource, discord.InteractionMessage):
        view.message = response.resource
