"""What editors see of a source: where it came from, its shape, and a draft's proposals.

The source's own words appear only as its first lines and the short phrases a draft
found; all of it escaped, so an article's Markdown or mentions never format a reply.
"""

from __future__ import annotations

from datetime import datetime

import discord

from bot import limits, strings
from bot.render.admin import problem_line
from bot.render.base import COLOUR_WARN, Page, described_pages, embed, one_per_page, plural
from briefings.errors import FieldProblem
from briefings.sources.draft import Draft, Proposal
from briefings.sources.errors import SourceRefused
from briefings.sourcing import Overview

SHA_SHOWN = 16
"""Hex digits of the SHA-256 shown: enough to tell two versions apart at a glance."""
NAMES_SHOWN = 6
MISMATCHES_SHOWN = 5


def safe(text: str) -> str:
    """Source text as plain words in Discord: no Markdown, no mentions."""
    return discord.utils.escape_mentions(discord.utils.escape_markdown(text))


def when(at: datetime) -> str:
    return f"<t:{int(at.timestamp())}:f>"


def refused(error: SourceRefused) -> str:
    key: str = error.reason
    if key == "address" and error.detail.get("host") == error.detail.get("address"):
        key = "address-literal"  # "10.0.0.1 is 10.0.0.1" says nothing
    elif key == "encoding" and error.detail.get("charset") == "none":
        key = "not-utf8"
    text = strings.SOURCE_REFUSED[key].format(**error.detail)
    return f"{text} {strings.SOURCE_NOTHING_STORED}"


def where(overview: Overview) -> str:
    source = overview.source
    if source.kind == "url":
        return f"<{limits.clip(source.location, 300)}>"
    return f"`{limits.clip(source.location, 100)}`"


def attached(
    overview: Overview, pack: str, replaced_before: bool, mismatches: list[FieldProblem]
) -> Page:
    text = strings.SOURCE_ATTACHED.format(
        pack=safe(limits.clip(pack, 200)),
        characters=f"{overview.characters:,}",
        sections=plural(overview.sections, "section"),
        where=where(overview),
    )
    if replaced_before and overview.replaced:
        old = overview.replaced[0]
        text += " " + strings.SOURCE_REPLACED.format(when=when(old.attached_at), by=old.attached_by)
    page = show(overview, pack)
    if mismatches:
        lines = [problem_line(p) for p in mismatches[:MISMATCHES_SHOWN]]
        more = len(mismatches) - MISMATCHES_SHOWN
        lines += [f"… and {more} more"] if more > 0 else []
        count = plural(len(mismatches), "quote or anchor", "quotes or anchors")
        warn = embed(
            strings.SOURCE_MISMATCHES.format(problems=count),
            "\n".join([strings.SOURCE_MISMATCHES_NOTE, *lines]),
            colour=COLOUR_WARN,
        )
        page.embeds.append(warn)
    return Page(embeds=page.embeds, content=limits.clip(text, limits.CONTENT))


def show(overview: Overview, pack: str) -> Page:
    source = overview.source
    item = embed(strings.SOURCE_SHOW_TITLE.format(pack=limits.clip(pack, 200)))
    if source.title:
        item.description = f"**{safe(limits.clip(source.title, 200))}**"
    item.add_field(name="From", value=where(overview), inline=False)
    item.add_field(name="Attached", value=f"{when(source.attached_at)} by <@{source.attached_by}>")
    item.add_field(
        name="Length",
        value=f"{overview.characters:,} characters · {overview.words:,} words",
    )
    how = "headings" if overview.by_headings else "paragraph groups"
    item.add_field(name="Sections", value=f"{overview.sections} ({how})")
    item.add_field(name="SHA-256", value=f"`{source.sha256[:SHA_SHOWN]}…`")
    if overview.replaced:
        item.add_field(name="Replaced", value=plural(len(overview.replaced), "earlier source"))
    lines = "\n".join(f"> {safe(line)}" for line in overview.first_lines)
    item.add_field(name=strings.SOURCE_FIRST_LINES, value=limits.clip(lines, 1000), inline=False)
    item.set_footer(text=strings.SOURCE_SHOW_FOOTER)
    return Page(embeds=[item])


def draft_pages(draft: Draft, pack: str) -> list[Page]:
    """The proposals, a few sections a page (each within one phone screen)."""
    if not draft.proposals:
        return [Page(content=strings.SOURCE_DRAFT_EMPTY)]
    how = (
        strings.SOURCE_DRAFT_BY_HEADINGS
        if draft.by_headings
        else strings.SOURCE_DRAFT_BY_PARAGRAPHS
    )
    header = strings.SOURCE_DRAFT_HEADER.format(
        sections=plural(len(draft.proposals), "section"), how=how
    )
    blocks = [f"\n{proposal_block(p)}" for p in draft.proposals]  # a blank line between
    title = strings.SOURCE_DRAFT_TITLE.format(pack=limits.clip(pack, 200))
    return one_per_page(described_pages(title, [header, *blocks]))  # the header once


def proposal_block(p: Proposal) -> str:
    """One section in a few short lines: what a card for it would start from."""
    lines = [f"**{p.section}. {safe(limits.clip(p.title, 90))}** · {p.words} words"]
    if p.anchor:
        lines.append(f"↳ “{safe(p.anchor)}”")
    names = [a.name for a in p.actors][:NAMES_SHOWN]
    news = list(p.new_names[:NAMES_SHOWN])
    if names or news:
        known = ", ".join(safe(n) for n in names) or "none known"
        lines.append(
            f"👥 {known}" + (f" · new: {', '.join(safe(n) for n in news)}" if news else "")
        )
    if p.dates:
        lines.append(
            "📅 " + " · ".join(f"{safe(d.text)} ({d.precision.value})" for d in p.dates[:5])
        )
    if p.figures:
        lines.append("🔢 " + " · ".join(safe(f) for f in p.figures[:5]))
    for quote in p.quotes[:2]:
        by = f" ({safe(quote.attribution)})" if quote.attribution else ""
        lines.append(f"💬 “{safe(limits.clip(quote.text, 120))}”{by}")
    return "\n".join(lines)


def created(count: int, pack: str, ids: list[str], new_names: list[str]) -> str:
    lines = [strings.SOURCE_DRAFT_CREATED.format(count=count, pack=safe(limits.clip(pack, 200)))]
    lines += [f"• `{card_id}`" for card_id in ids[:20]]
    if len(ids) > 20:
        lines.append(f"… and {len(ids) - 20} more")
    if new_names:
        names = ", ".join(safe(n) for n in new_names[:30])
        lines.append(strings.SOURCE_DRAFT_NEW_NAMES.format(names=names))
    return limits.clip("\n".join(lines), limits.CONTENT)
