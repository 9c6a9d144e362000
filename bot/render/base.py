"""Building blocks for rendering: pages, embeds that keep to Discord's limits, citations."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import discord

from bot import limits, strings
from briefings.charts.dates import short_date
from briefings.labels import DOMAIN_LABELS as DOMAIN_LABELS
from briefings.models import ActorKind, Direction, EventDate, LeverageShift, Precision
from briefings.results import Citation

COLOUR = discord.Colour(0x2B6CB0)
COLOUR_WARN = discord.Colour(0xB7791F)
COLOUR_GAIN = discord.Colour(0x2F855A)

ARROWS = {Direction.GAINED: "⬆️", Direction.LOST: "⬇️", Direction.HELD: "⏺️"}

KIND_EMOJI: dict[ActorKind, str] = {
    ActorKind.STATE: "🏛️",
    ActorKind.PERSON: "👤",
    ActorKind.ORGANISATION: "🏢",
    ActorKind.ARMED_GROUP: "⚔️",
    ActorKind.COMPANY: "🏭",
    ActorKind.MEDIA: "📰",
    ActorKind.PLACE: "📍",
    ActorKind.ALLIANCE: "🤝",
    ActorKind.PROCESS: "🕊️",
    ActorKind.GROUP: "👥",
    ActorKind.INFRASTRUCTURE: "🛢️",
    ActorKind.OTHER: "🔹",
}
"""One emoji per kind of actor, wherever an actor is named with one."""
KIND_LABELS: dict[ActorKind, str] = {
    ActorKind.STATE: "State",
    ActorKind.PERSON: "Person",
    ActorKind.ORGANISATION: "Organisation",
    ActorKind.ARMED_GROUP: "Armed group",
    ActorKind.COMPANY: "Company",
    ActorKind.MEDIA: "Media",
    ActorKind.PLACE: "Place",
    ActorKind.ALLIANCE: "Alliance",
    ActorKind.PROCESS: "Diplomatic process",
    ActorKind.GROUP: "Group",
    ActorKind.INFRASTRUCTURE: "Infrastructure",
    ActorKind.OTHER: "Other",
}


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
    title: str,
    lines: Sequence[str],
    *,
    url: str | None = None,
    header: str = "",
    per_page: int | None = None,
    screen: bool = True,
) -> list[discord.Embed]:
    """A long list as several embeds, each description within limits (and within
    SCREEN_CHARS, so each page reads on one phone screen; editors' long lists of problems
    or imports may pass `screen=False` and page less)."""
    room = limits.EMBED_DESCRIPTION - len(header) - 2
    seen = (limits.SCREEN_CHARS if screen else limits.EMBED_DESCRIPTION) - visible(header) - 2
    blocks: list[str] = []
    step = per_page or len(lines) or 1
    for start in range(0, len(lines), step):
        blocks += screen_chunks(lines[start : start + step], room, seen)
    blocks = blocks or [""]
    return [
        embed(title if i == 0 else f"{title} (continued)", f"{header}\n\n{b}".strip(), url=url)
        for i, b in enumerate(blocks)
    ]


def screen_chunks(lines: Sequence[str], room: int, seen: int) -> list[str]:
    """Lines joined into blocks of at most `room` characters and `seen` visible ones (link
    targets count toward Discord's limit, not toward what a member reads)."""
    blocks: list[list[str]] = [[]]
    size = shown = 0
    for line in lines:
        line = limits.clip(line, room)
        if blocks[-1] and (size + len(line) + 1 > room or shown + visible(line) + 1 > seen):
            blocks.append([])
            size = shown = 0
        blocks[-1].append(line)
        size, shown = size + len(line) + 1, shown + visible(line) + 1
    return ["\n".join(b) for b in blocks if b]


def visible(text: str) -> int:
    return len(_LINK.sub(r"\1", text))


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


def section_label(c: Citation) -> str:
    """The section in words: "§5 · The balance flips: Ankara has the upper hand"."""
    return f"§{c.section} · {limits.clip(c.card_title, 70, mark='…')}"


def cite(c: Citation) -> str:
    """A citation members read: the section in words, linked to the passage in the article
    (a URL text fragment). A server's own card is its editors' note: named so, unlinked."""
    label = section_label(c)
    if c.own:
        return f"{label} ({strings.SERVER_NOTE})"
    url = c.passage_url
    return f"[{label}]({url})" if url else label


def cite_for_editor(c: Citation) -> str:
    """The same, with the card id editors type into `/card` commands, after the words."""
    return f"{cite(c)} · `{c.card_id}`"


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


def date_label(when: EventDate) -> tuple[str, str | None]:
    """A date as it reads in a list ("1 Jan 2025 (inferred)", "after Assad's fall") and,
    when the article's wording says more, that wording for a footnote line."""
    text = when.text.strip()
    base = text.split(" (")[0].strip()
    if when.precision is Precision.UNDATED or when.start is None:
        vague = any(w in base.casefold() for w in ("not dated", "no date")) or not base
        short = "undated" if vague else base.split(", ")[0]
    else:
        short = short_date(when) + (" (inferred)" if "inferred" in text.casefold() else "")
        short += " (approx.)" if when.approximate and "approx" not in short else ""
    rest = text[len(base) :].strip(" ()") if text.startswith(base) else text
    only_vague = short == base and (not rest or any(w in rest for w in _VAGUE))
    said_more = ("(" in text or len(text) > len(short) + 12) and not only_vague
    return short, (text if said_more and text.casefold() != short.casefold() else None)


_VAGUE = ("no date given", "no exact date given", "not dated in the article")
"""What an approximate date's own wording adds when it only says the article gives none."""


def visible_length(page: Page) -> int:
    """What a member reads of a page: content, titles, descriptions, fields, footers, with
    Markdown link targets left out (Discord shows only their words)."""
    parts = [page.content or ""]
    for item in page.embeds:
        parts += [item.title or "", item.description or "", item.footer.text or ""]
        parts += [f"{f.name}\n{f.value}" for f in item.fields]
        parts.append(item.author.name or "")
    return visible("\n".join(parts))


_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 card', '3 cards', '0 events'."""
    return f"{count:,} {word if count == 1 else (many or word + 's')}"
