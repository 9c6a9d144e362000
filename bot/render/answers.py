"""Answers to questions, and short briefs on what a message mentions."""

from __future__ import annotations

import re

import discord

from bot import limits, strings
from bot.render.base import (
    COLOUR_WARN,
    Page,
    cite,
    described_pages,
    embed,
    field_pages,
    one_per_page,
)
from briefings.models import Actor, Event
from briefings.results import Answer, AnswerHit, Gap

FIRST_PAGE_CHARS = 700
"""The answer's first page stays short; the rest is one press away."""


def answer(result: Answer, *, several: bool = False) -> list[Page]:
    """Gap first (if any), then the answer, supporting points and one short citation per
    card; the cards' fuller sentences on the next pages. When the server sees `several`
    briefings, the answer names the briefings it comes from."""
    if result.gap and not result.lead:
        text = "\n".join(
            x for x in (f"**{result.gap}**", result.context and f"*{result.context}*") if x
        )
        return [Page(embeds=[embed(strings.ANSWER_GAP_TITLE, text, colour=COLOUR_WARN)])]
    if not result.lead:
        return [
            Page(
                embeds=[embed("No answer in this briefing", strings.NO_ANSWER, colour=COLOUR_WARN)]
            )
        ]
    first = _first_page(result, several=several)
    rest = [
        (
            f"{hit.card.title}",
            "\n".join(f"• {s}" for s in hit.sentences)
            + f"\n{cite(hit.citation)}"
            + _in(hit, several),
        )
        for hit in result.hits
    ]
    more = embed(
        strings.ANSWER_MORE_TITLE,
        "",
        url=result.hits[0].citation.source_url if result.hits else None,
    )
    pages = [Page(embeds=[first])]
    if rest:
        pages += one_per_page(field_pages(more, rest))
    return pages


_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def _visible(text: str) -> int:
    """What a member reads: a link counts by its text."""
    return len(_LINK.sub(r"\1", text))


def _short_cite(section: int, title: str, url: str) -> str:
    """One short citation per card: section and a clipped title, linked to the source."""
    return f"[§{section} {limits.clip(title, 40, mark='…')}]({url})"


def _in(hit: AnswerHit, several: bool) -> str:
    if not several:
        return ""
    return " · " + strings.IN_BRIEFING.format(title=limits.clip(hit.citation.pack_title, 60))


def _first_page(result: Answer, *, several: bool = False) -> discord.Embed:
    sources = " · ".join(
        _short_cite(h.citation.section, h.card.title, h.citation.source_url) for h in result.hits
    )
    head = [f"**{result.gap}**"] if result.gap else []
    head.append(" ".join(result.lead))
    points = [f"• {p}" for p in result.points]
    tail = [f"-# {strings.ANSWER_SOURCES} {sources}"] if sources else []
    if several and result.briefings:
        titles = " · ".join(f"*{limits.clip(t, 60, mark='…')}*" for t in result.briefings)
        tail.insert(0, f"-# {strings.ANSWER_FROM} {titles}")
    # Points that would push the page past FIRST_PAGE_CHARS move to the next page.
    room = FIRST_PAGE_CHARS - len(strings.ANSWER_TITLE) - 1
    while points and _visible("\n".join([*head, "", *points, *tail])) > room:
        points.pop()
    lines = [*head, *(["", *points] if points else []), *tail]
    url = result.hits[0].citation.source_url if result.hits else None
    page = embed(strings.ANSWER_TITLE, "\n".join(lines), url=url)
    page.set_author(name=limits.clip(f"Q: {result.question}", limits.EMBED_AUTHOR))
    return page


def briefs(actors: list[Actor], events: list[Event], source_url: str | None) -> list[Page]:
    if not actors and not events:
        return [
            Page(
                embeds=[embed("Nothing from the briefing", strings.NO_MENTIONS, colour=COLOUR_WARN)]
            )
        ]
    head = embed(
        "Brief on this message",
        f"{len(actors)} actors and {len(events)} events "
        "from the briefing are mentioned. Use `/actor` or `/event` for more.",
        url=source_url,
    )
    fields = [(f"👤 {a.name}", a.role or a.kind.value) for a in actors]
    fields += [(f"📅 {e.title} ({e.date.text})", f"{e.what} {e.why}") for e in events]
    return one_per_page(field_pages(head, fields))


def gaps_page(kept: list[Gap]) -> list[Page]:
    """/card gaps: what members asked that the briefing did not answer, most asked first."""
    if not kept:
        return [Page(embeds=[embed(strings.GAPS_TITLE, strings.GAPS_NONE)])]
    reasons = {"not-covered": "not covered", "voted-down": "voted down"}
    lines = [
        strings.GAPS_LINE.format(
            count=g.count,
            question=limits.clip(g.question, 200),
            reasons=", ".join(reasons.get(r, r) for r in sorted(g.reasons)),
            when=discord.utils.format_dt(g.last, "R"),
        )
        for g in kept
    ]
    return one_per_page(described_pages(strings.GAPS_TITLE, lines))
