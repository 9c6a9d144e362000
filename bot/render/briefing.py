"""The pack overview and the cards themselves."""

from __future__ import annotations

import discord

from bot import limits
from bot.render.base import Page, add_field, cite, embed
from briefings.labels import certainty_label
from briefings.models import Card, KeyPoint, Pack
from briefings.results import CardRef, Citation


def pack_overview(pack: Pack, cards: list[CardRef]) -> Page:
    published = pack.published.strftime("%-d %B %Y")
    origin = f" (first published in {pack.original_publisher})" if pack.original_publisher else ""
    header = (
        f"By **{pack.author}** · {pack.publisher}{origin} · {published}\n"
        f"[Read the original article]({pack.source_url})"
    )
    if pack.description:
        header += f"\n\n{pack.description}"
    lines = [f"**{c.section}.** {c.title} — {_first_sentence(c.summary or '')}" for c in cards]
    body = limits.chunk_lines(lines, limits.EMBED_DESCRIPTION - len(header) - 60)
    description = f"{header}\n\n{body[0] if body else 'No cards yet.'}"
    if len(body) > 1:
        shown = body[0].count("\n") + 1
        description += f"\n*…{len(cards) - shown} more sections: open them below.*"
    overview = embed(pack.title, description, url=str(pack.source_url))
    overview.set_footer(text=f"{len(cards)} sections · pick one below, or page through them")
    return Page(embeds=[overview])


def card_page(card: Card, citation: Citation, *, position: int, total: int) -> Page:
    card_embed = embed(f"{card.section}. {card.title}", card.summary, url=citation.source_url)
    if card.key_points:
        points = "\n".join(f"• {key_point(p)}" for p in card.key_points)
        add_field(card_embed, "Key points", points)
    for quote in card.quotes:
        add_field(card_embed, "Quote", f"> “{quote.text}”\n— {quote.attribution}")
    if card.tags:
        add_field(card_embed, "Tags", " ".join(f"`{t}`" for t in card.tags), inline=True)
    add_field(card_embed, "Source", cite(citation), inline=True)
    card_embed.set_footer(text=f"{citation.pack_title} · card {position}/{total} · v{card.version}")
    if card.updated_at is not None:
        card_embed.timestamp = card.updated_at  # shown in each reader's own time zone
    if limits.CLIP_MARK in _all_text(card_embed):
        card_embed.set_author(name="Some text was shortened to fit Discord")
    return Page(embeds=[card_embed])


def _first_sentence(text: str, limit: int = 160) -> str:
    end = text.find(". ")
    first = text if end < 0 else text[: end + 1]
    return limits.clip(first, limit, mark="…")  # a teaser; the card itself is one click away


def _all_text(item: discord.Embed) -> str:
    parts = [item.description or ""] + [f.value or "" for f in item.fields]
    return "\n".join(parts)


def key_point(point: KeyPoint) -> str:
    """A key point with how sure the article is of it, in words ("reported by GUR")."""
    said = certainty_label(point)
    return f"{point.text} *({said})*" if said else point.text
