"""Sending pages within Discord's 3-second window."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import Any, TypeVar

import discord

from bot import limits, render
from bot.charts import ChartRequest
from bot.render import Page
from bot.types import BotInteraction
from bot.views import dynamic
from bot.views.base import OwnedView
from bot.views.pages import Paginator

T = TypeVar("T")
V = TypeVar("V", bound=discord.ui.View)
log = logging.getLogger(__name__)


async def in_time(interaction: BotInteraction, work: Awaitable[T], *, ephemeral: bool = False) -> T:
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
    interaction: BotInteraction,
    pages: list[Page],
    *,
    ephemeral: bool = False,
    view: V | None = None,
) -> V | Paginator | None:
    """The first page, with Previous/Next when there are more (or the given view).

    Returns the view the message carries, if any."""
    first = pages[0]
    shown: V | Paginator | None = view
    if shown is None and len(pages) > 1:
        shown = Paginator(pages, owner=interaction.user)
    kwargs: dict[str, Any] = {
        "content": first.content,
        "embeds": first.embeds,
        "ephemeral": ephemeral,
    }
    if shown is not None:
        kwargs["view"] = shown
    if interaction.response.is_done():
        message = await interaction.followup.send(wait=True, **kwargs)
        if isinstance(shown, OwnedView):
            shown.message = message
        return shown
    response = await interaction.response.send_message(**kwargs)
    if isinstance(shown, OwnedView) and isinstance(response.resource, discord.InteractionMessage):
        shown.message = response.resource
    return shown


async def send_with_chart(
    interaction: BotInteraction,
    pages: list[Page],
    chart: ChartRequest,
    *,
    view: discord.ui.View | None = None,
) -> None:
    """The text at once; then the chart, edited into the first page's embed once drawn.

    The text takes milliseconds and a chart 0.2-0.7 s to draw cold: answering with the text
    keeps far inside the 3-second window and lets the member read while the image is drawn.
    The chart's queries start only once the text is out, so they never delay it. Without a
    chart (`Charts.draw` logged why) the text answer simply stays as it is.
    """
    view = await send_pages(interaction, pages, view=view)  # restart-proof views stay as sent
    drawn = await chart.draw(interaction)
    if drawn is None:
        return
    try:
        async with chart.uploading:
            if interaction.client.is_closed():
                return
            if isinstance(view, Paginator):
                await view.attach(drawn, interaction.edit_original_response)
            elif view is not None:  # restart-proof buttons: they say which page is open
                await dynamic.attach_late(interaction, pages[0], drawn)
            else:
                first = render.with_chart(pages[0], drawn)
                await interaction.edit_original_response(
                    embeds=first.embeds, attachments=[render.chart_file(drawn)]
                )
    except Exception:  # the answer is out already; a missing image is not worth an apology
        log.warning("could not attach the chart to interaction %s", interaction.id, exc_info=True)
