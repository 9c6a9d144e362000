"""The pack overview and the cards themselves."""

from __future__ import annotations

import discord

from bot import limits, strings
from bot.render.base import Page, add_field, cite, embed, plural
from briefings.labels import certainty_label
from briefings.models import Card, KeyPoint, Pack
from briefings.results import CardRef, Citation


def pack_overview(pack: Pack, cards: list[CardRef]) -> Page:
    """The bottom line first, then one short line per section; who wrote it in the footer."""
    point = pack.bottom_line or pack.description or ""
    header = f"**{strings.BOTTOM_LINE}** {limits.clip(point, 420, mark='…')}\n" if point else ""
    lines = [f"**{c.section}.** {short_title(c.title)}" for c in cards]
    room = limits.SCREEN_CHARS - len(header) - 250  # title, footer and the "more" line
    shown: list[str] = []
    for line in lines:
        if len("\n".join([*shown, line])) > room:
            break
        shown.append(line)
    body = "\n".join(shown) or strings.NO_CARDS
    if len(shown) < len(lines):
        body += "\n" + strings.MORE_SECTIONS.format(count=len(lines) - len(shown))
    overview = embed(pack.title, f"{header}\n{body}".strip(), url=str(pack.source_url))
    origin = f" (first in {pack.original_publisher})" if pack.original_publisher else ""
    byline = f"By {pack.author} · {pack.publisher}{origin} · {pack.published:%-d %b %Y}"
    sections = strings.OVERVIEW_FOOTER.format(sections=plural(len(cards), "section"))
    overview.set_footer(text=f"{byline} · {sections}")
    return Page(embeds=[overview])


LIST_PAGE = 8
"""Briefings per page of the list: each takes two lines."""


def briefing_list(packs: list[Pack], sections: dict[str, int]) -> list[Page]:
    """The briefings a server sees, newest first, a few a page: title, byline, size."""
    if not packs:
        return [Page(embeds=[embed(strings.BRIEFINGS_TITLE, strings.NO_BRIEFINGS)])]
    lines = [
        strings.BRIEFINGS_LINE.format(
            title=limits.clip(p.title, 120, mark="…"),
            author=p.author,
            publisher=p.publisher,
            date=f"{p.published:%-d %b %Y}",
            sections=plural(sections.get(p.slug, 0), "section"),
        )
        for p in packs
    ]
    count = plural(len(packs), "briefing")
    pages = []
    for start in range(0, len(lines), LIST_PAGE):
        page = embed(strings.BRIEFINGS_TITLE, "\n\n".join(lines[start : start + LIST_PAGE]))
        page.set_footer(text=strings.BRIEFINGS_FOOTER.format(count=count))
        pages.append(Page(embeds=[page]))
    return pages


def card_page(card: Card, citation: Citation, *, position: int, total: int) -> Page:
    card_embed = embed(f"{card.section}. {card.title}", card.summary, url=citation.passage_url)
    if card.key_points:
        points = "\n".join(f"• {key_point(p, citation.author)}" for p in card.key_points)
        add_field(card_embed, "Key points", points)
    for quote in card.quotes:
        add_field(card_embed, "Quote", f"> “{quote.text}”\n— {quote.attribution}")
    if card.tags:
        add_field(card_embed, "Tags", tag_words(card.tags), inline=True)
    add_field(card_embed, "Source", cite(citation), inline=True)
    origin = strings.SERVER_NOTE.capitalize() if citation.own else citation.pack_title
    footer = f"{limits.clip(origin, 80, mark='…')} · section {position} of {total}"
    card_embed.set_footer(text=f"{footer} · version {card.version}")
    if card.updated_at is not None:
        card_embed.timestamp = card.updated_at  # shown in each reader's own time zone
    if limits.CLIP_MARK in _all_text(card_embed):
        card_embed.set_author(name="Some text was shortened to fit Discord")
    return Page(embeds=[card_embed])


def _all_text(item: discord.Embed) -> str:
    parts = [item.description or ""] + [f.value or "" for f in item.fields]
    return "\n".join(parts)


def key_point(point: KeyPoint, author: str | None = None) -> str:
    """A key point with how sure the article is of it, in words ("reported by GUR",
    "Bechev expects")."""
    said = certainty_label(point, author)
    return f"{point.text} *({said})*" if said else point.text


def tag_words(tags: list[str]) -> str:
    """Tags as words ("black sea · energy"), not as the slugs they are stored as."""
    return " · ".join(t.replace("-", " ") for t in tags)


def short_title(title: str, limit: int = 48) -> str:
    """A section's title for a one-line list: its head when it has one ("The balance
    flips: Ankara has the upper hand" -> "The balance flips"), else clipped."""
    head = title.split(": ", 1)[0].strip(' "“”')
    return head if len(head) >= 5 and head != title else limits.clip(title, limit, mark="…")
