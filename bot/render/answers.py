"""Answers to questions, and short briefs on what a message mentions."""

from __future__ import annotations

from bot import limits, strings
from bot.render.base import COLOUR_WARN, Page, cite, embed, field_pages, one_per_page
from briefings.models import Actor, Event
from briefings.results import Answer


def answer(result: Answer) -> list[Page]:
    if result.not_covered:
        names = ", ".join(result.not_covered)
        text = strings.NOT_COVERED.format(
            names=names, it="it" if len(result.not_covered) == 1 else "they"
        )
        return [Page(embeds=[embed("Not in this briefing", text, colour=COLOUR_WARN)])]
    if not result.hits:
        return [
            Page(
                embeds=[embed("No answer in this briefing", strings.NO_ANSWER, colour=COLOUR_WARN)]
            )
        ]
    best = result.hits[0]
    lines = [f"*{result.caveat}*"] if result.caveat else []
    lines += [result.overview, ""] if result.overview else []
    lines += [f"• {s}" for s in best.sentences]
    head = embed(best.card.title, "\n".join(lines), url=best.citation.source_url)
    head.set_author(name=limits.clip(f"Q: {result.question}", limits.EMBED_AUTHOR))
    fields = [("Source", cite(best.citation))]
    for hit in result.hits[1:]:
        body = "\n".join(f"• {s}" for s in hit.sentences)
        fields.append((f"Also: {hit.card.title}", f"{body}\n{cite(hit.citation)}"))
    return one_per_page(field_pages(head, fields))


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
    fields = [(f"👤 {a.name}", a.role) for a in actors]
    fields += [(f"📅 {e.title} ({e.date.text})", f"{e.what} {e.why}") for e in events]
    return one_per_page(field_pages(head, fields))
