"""Building blocks for rendering: pages, embeds that keep to Discord's limits, citations."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import discord

from bot import limits
from briefings.labels import DOMAIN_LABELS as DOMAIN_LABELS
from briefings.models import Direction, LeverageShift
from briefings.results import Citation

COLOUR = discord.Colour(0x2B6CB0)
COLOUR_WARN = discord.Colour(0xB7791F)
COLOUR_GAIN = discord.Colour(0x2F855A)

ARROWS = {Direction.GAINED: "⬆️", Direction.LOST: "⬇️", Direction.HELD: "⏺️"}


@dataclass(slots=True)
class Page:
    """One message's worth of output."""

    embeds: list[discord.Embed] = field(default_factory=list)
    content: str | None = None


def embed(
    title: str, description: str = "", *, url: str | None = None, colour: discord.Colour = COLOUR
) -> discord.Embed:
    return discord.Embed(
        title=limits.clip(title, limits.EMBED_TITLE),
        description=limits.clip(description, limits.EMBED_DESCRIPTION) or None,
        url=url or None,
        colour=colour,
    )


def add_field(target: discord.Embed, name: str, value: str, *, inline: bool = False) -> bool:
    """Add a field if the embed has room; False when the caller must start a new page."""
    name = limits.clip(name, limits.EMBED_FIELD_NAME)
    value = limits.clip(value or "—", limits.EMBED_FIELD_VALUE)
    if len(target.fields) >= limits.EMBED_FIELDS:
        return False
    if len(target) + len(name) + len(value) > limits.EMBED_BUDGET:
        return False
    target.add_field(name=name, value=value, inline=inline)
    return True


def field_pages(first: discord.Embed, fields: Iterable[tuple[str, str]]) -> list[discord.Embed]:
    """Put fields on `first`, continuing on new embeds (same title, "continued") when full."""
    pages = [first]
    for name, value in fields:
        if not add_field(pages[-1], name, value):
            more = embed(f"{first.title} (continued)", url=first.url)
            add_field(more, name, value)
            pages.append(more)
    return pages


def described_pages(
    title: str, lines: Sequence[str], *, url: str | None = None, header: str = ""
) -> list[discord.Embed]:
    """A long list as several embeds, each description within limits."""
    room = limits.EMBED_DESCRIPTION - len(header) - 2
    blocks = limits.chunk_lines(lines, room) or [""]
    return [
        embed(title if i == 0 else f"{title} (continued)", f"{header}\n\n{b}".strip(), url=url)
        for i, b in enumerate(blocks)
    ]


def one_per_page(embeds: Iterable[discord.Embed]) -> list[Page]:
    items = list(embeds)
    total = len(items)
    for i, item in enumerate(items, 1):
        if total > 1:
            footer = item.footer.text
            page = f"Page {i}/{total}"
            item.set_footer(
                text=limits.clip(f"{footer} · {page}" if footer else page, limits.EMBED_FOOTER)
            )
    return [Page(embeds=[e]) for e in items]


def cite(c: Citation) -> str:
    """A citation that links to the source: pack, section and card."""
    label = f"§{c.section} {c.card_title}"
    return f"[{limits.clip(label, 90)}]({c.source_url}) · `{c.card_id}`"


def cite_all(citations: Iterable[Citation], *, limit: int = limits.EMBED_FIELD_VALUE) -> str:
    lines = [f"• {cite(c)}" for c in citations]
    text = "\n".join(lines)
    if len(text) <= limit:
        return text or "—"
    kept: list[str] = []
    for line in lines:
        if len("\n".join([*kept, line])) > limit - 40:
            break
        kept.append(line)
    return "\n".join([*kept, f"… and {len(lines) - len(kept)} more cards"])


def shift_sentence(shift: LeverageShift, names: dict[str, str]) -> str:
    actor, over = names.get(shift.actor, shift.actor), names.get(shift.over, shift.over)
    verb = {
        Direction.GAINED: "gained leverage over",
        Direction.LOST: "lost leverage over",
        Direction.HELD: "held its leverage over",
    }[shift.direction]
    return f"{ARROWS[shift.direction]} **{actor}** {verb} **{over}**"
