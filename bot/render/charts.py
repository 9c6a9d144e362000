"""A chart on a page: the image belongs to the first embed, the alt text to the attachment."""

from __future__ import annotations

import io

import discord

from bot import limits
from bot.render.base import Page
from briefings.charts import Chart


def with_chart(page: Page, chart: Chart) -> Page:
    """`page` with `chart` as its first embed's image.

    The embed is copied: pages are cached and shared, and a cached page that pointed at an
    attachment it does not carry would show a broken image.
    """
    if not page.embeds:
        return page  # the attachment then shows on its own, below the text
    first = page.embeds[0].copy()
    first.set_image(url=f"attachment://{chart.filename}")
    return Page(embeds=[first, *page.embeds[1:]], content=page.content)


def chart_file(chart: Chart) -> discord.File:
    """A fresh upload of `chart` (a File is consumed by the request that sends it)."""
    return discord.File(
        io.BytesIO(chart.png),
        filename=chart.filename,
        description=limits.clip(chart.alt_text, limits.ATTACHMENT_DESCRIPTION, mark="…"),
    )
