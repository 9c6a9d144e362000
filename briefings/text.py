"""Plain-text rendering for the terminal (the bot has its own renderer for embeds)."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from briefings.labels import DOMAIN_LABELS, certainty_label, period_label, with_certainty
from briefings.models import Card, Event, LeverageShift
from briefings.results import (
    ActorProfile,
    Answer,
    Citation,
    EventDetail,
    LeverageView,
    TimelineEntry,
    author_of,
)

WIDTH = 88


def _wrap(body: str, indent: str = "  ") -> str:
    hanging = " " * len(indent)
    return textwrap.fill(body, WIDTH, initial_indent=indent, subsequent_indent=hanging)


def citation(c: Citation) -> str:
    return f"[{c.pack_title}, section {c.section}: {c.card_title} ({c.card_id})] {c.source_url}"


def _citations(cites: Iterable[Citation]) -> str:
    return "\n".join(f"  - {citation(c)}" for c in cites) or "  (none)"


def answer(a: Answer) -> str:
    """Gap first, then the answer, the supporting points and one citation per card."""
    if a.gap and not a.lead:
        return "\n".join(x for x in (a.gap, a.context) if x)
    if not a.lead:
        return "The briefing has nothing on that. Try naming an actor, an event or a place."
    parts = [a.gap] if a.gap else []
    parts.append(_wrap(" ".join(a.lead)))
    if a.points:
        parts.append("\n".join(_wrap(p, "  • ") for p in a.points))
    if a.hits:
        parts.append("Sources:\n" + _citations(h.citation for h in a.hits))
    return "\n\n".join(parts)


def shift_line(
    s: LeverageShift, names: dict[str, str], pivot: str | None, author: str | None = None
) -> str:
    verb = {
        "gained": "gained leverage over",
        "lost": "lost leverage over",
        "held": "held its leverage over",
    }[s.direction.value]
    sure = certainty_label(s, author)
    return (
        f"{names.get(s.actor, s.actor)} {verb} {names.get(s.over, s.over)} "
        f"({DOMAIN_LABELS[s.domain]}, {period_label(s.period, pivot)}; {s.when})"
        + (f" [{sure}]" if sure else "")
    )


def _shift(s: LeverageShift, names: dict[str, str], p: ActorProfile) -> str:
    line = shift_line(s, names, p.pivots.get(s.id)) + " — " + s.reasoning
    if len(p.roles) > 1 and s.id in p.shift_briefings:  # several briefings: say whose
        line += f" ({p.shift_briefings[s.id]})"
    return _wrap(line)


def actor_profile(p: ActorProfile) -> str:
    a = p.actor
    names = {a.id: a.name}
    out = [f"{a.name} ({a.kind.value})"]
    if len(p.roles) > 1:  # what each briefing says the actor is, newest first
        out += [_wrap(f"{r.role} ({r.pack_title})") for r in p.roles if r.role]
    else:
        out.append(_wrap(a.role or ""))
    if a.aliases:
        out.append(_wrap("Also: " + ", ".join(a.aliases)))
    out.append("Leverage gained or held:")
    out += [_shift(s, names, p) for s in p.gained] or ["  (none)"]
    out.append("Leverage lost:")
    out += [_shift(s, names, p) for s in p.lost] or ["  (none)"]
    out.append("Events:")
    out += [f"  {e.date.text}: {e.title}" for e in p.events] or ["  (none)"]
    out.append("Cards:")
    out.append(_citations(p.citations))
    return "\n".join(out)


def event_detail(d: EventDetail) -> str:
    e = d.event
    return "\n".join(
        [
            e.title,
            f"  When: {e.date.text}",
            f"  Where: {', '.join(e.places) or 'not stated'}",
            f"  Who: {', '.join(a.name for a in d.actors) or 'not stated'}",
            "What happened:",
            _wrap(with_certainty(e.what, e)),
            "Why it matters:",
            _wrap(e.why),
            "Cards:",
            _citations(d.citations),
        ]
    )


def timeline(entries: list[TimelineEntry]) -> str:
    if not entries:
        return "No events."
    return "\n".join(_timeline_line(t.event) for t in entries)


def _timeline_line(e: Event) -> str:
    """The date in a fixed column, wrapped under itself when long, then the title."""
    when = e.date.text + (" (approximate)" if e.date.approximate else "")
    dates = textwrap.wrap(when, 28) or [""]
    first = f"{dates[0]:<28} {with_certainty(e.title, e)}"
    return "\n".join([first, *(f"  {d}" for d in dates[1:])])


def leverage(views: list[LeverageView]) -> str:
    if not views:
        return "No leverage shifts match."
    out = []
    for v in views:
        names = {v.actor.id: v.actor.name, v.over.id: v.over.name}
        out.append(shift_line(v.shift, names, v.pivot, author_of(v.evidence)))
        out.append(_wrap(v.shift.reasoning))
        out += [f"    evidence: {citation(c)}" for c in v.evidence]
    return "\n".join(out)


def card(c: Card, cite: Citation) -> str:
    out = [f"{c.title}  [{c.status.value}, v{c.version}]", _wrap(c.summary)]
    out += [_wrap(with_certainty(p.text, p, cite.author), "  • ") for p in c.key_points]
    out += [_wrap(f"“{q.text}” — {q.attribution}", "  > ") for q in c.quotes]
    out.append("Source: " + citation(cite))
    return "\n".join(out)


def card_list(cards: list[Card]) -> str:
    if not cards:
        return "No cards."
    return "\n".join(f"{c.pack}  {c.section:>3}  {c.id:<40} {c.title}" for c in cards)
