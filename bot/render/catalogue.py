"""Actors, events, the timeline and leverage shifts as embeds."""

from __future__ import annotations

from collections import defaultdict

import discord

from bot import limits, strings
from bot.render.base import (
    COLOUR_GAIN,
    DOMAIN_LABELS,
    KIND_EMOJI,
    KIND_LABELS,
    Page,
    add_field,
    cite,
    cite_all,
    date_label,
    described_pages,
    embed,
    field_pages,
    one_per_page,
    plural,
    shift_sentence,
)
from briefings.labels import GENERIC_PIVOT, certainty_label, common_pivot, period_label
from briefings.models import (
    Direction,
    Domain,
    Event,
    EventDate,
    LeverageShift,
    Period,
    Relation,
)
from briefings.results import ActorProfile, EventDetail, LeverageView, TimelineEntry, author_of

TIMELINE_PER_PAGE = 12
"""Events per timeline page: a phone screen with the strip image above them."""


def _shift_block(
    shifts: list[LeverageShift], names: dict[str, str], pivots: dict[str, str | None]
) -> str:
    return "\n".join(
        f"{shift_sentence(s, names)} in {DOMAIN_LABELS[s.domain]} "
        f"({_claim_when(s, pivots.get(s.id))}): {s.reasoning}"
        for s in shifts
    )


def _claim_when(shift: LeverageShift, pivot: str | None, author: str | None = None) -> str:
    """'after Assad's fall', 'not tied to Assad's fall; Bechev expects'."""
    sure = certainty_label(shift, author)
    return period_label(shift.period, pivot) + (f"; {sure}" if sure else "")


def actor_profile(
    profile: ActorProfile, names: dict[str, str], *, several: bool = False
) -> list[Page]:
    """One screen first (who, and their leverage in a few lines), then events, then cards.
    When the server sees `several` briefings, what each says of the actor, newest first."""
    actor = profile.actor
    head = embed(actor.name, _actor_intro(profile, several=several))
    if several:
        _by_briefing(head, profile, names)
    summary = leverage_summary(profile, names)
    if summary:
        name = "Leverage"
        if profile.acting_for is not None:
            name = strings.ACTING_FOR.format(state=profile.acting_for.name)
        add_field(head, name, "\n".join(summary))
    counts = strings.ACTOR_MORE.format(
        events=plural(len(profile.events), "event"), cards=plural(len(profile.citations), "card")
    )
    add_field(head, "In the briefings" if several else "In the briefing", counts)
    pivot = common_pivot(profile.pivots.values())
    if summary and pivot:
        head.set_footer(text=strings.PERIOD_NOTE.format(pivot=pivot))
    pages = [head]
    if profile.events:
        pages += described_pages(f"{actor.name}: events", _dated_lines(profile.events))
    if profile.citations:
        pages += described_pages(
            f"{actor.name}: cards", [f"• {cite(c)}" for c in profile.citations]
        )
    return one_per_page(pages)


def _actor_intro(profile: ActorProfile, *, several: bool = False) -> str:
    """Kind and names; the role too, unless each briefing's role is listed below it."""
    actor = profile.actor
    facts = [f"{KIND_EMOJI[actor.kind]} *{KIND_LABELS[actor.kind]}*"]
    if actor.aliases:
        facts.append("also " + ", ".join(actor.aliases[:4]))
    roles_below = several and any(r.role for r in profile.roles)
    role = limits.clip(actor.role, 500, mark="…") if actor.role and not roles_below else ""
    return f"{role}\n{' · '.join(facts)}".lstrip("\n")


def leverage_summary(profile: ActorProfile, names: dict[str, str]) -> list[str]:
    """Gained / lost / held, from the subject's side, one line per counterpart:
    "⬆️ **Gained** over Russia: Syria, Black Sea (after)"."""
    me = profile.subject.id
    gained_ids = {s.id for s in profile.gained}
    groups: dict[tuple[str, str], list[LeverageShift]] = defaultdict(list)
    for shift in [*profile.gained, *profile.lost]:
        other = shift.over if shift.actor == me else shift.actor
        if shift.direction is Direction.HELD:
            bucket = "held" if shift.actor == me else "held_by"
        else:
            bucket = "gained" if shift.id in gained_ids else "lost"
        groups[(bucket, other)].append(shift)
    lines = []
    for bucket in ("gained", "lost", "held", "held_by"):
        for (kind, other), shifts in groups.items():
            if kind == bucket:
                who = names.get(other, other)
                lines.append(
                    f"{strings.LEVERAGE_BUCKETS[bucket].format(other=who)}: {_arenas(shifts)}"
                )
    return lines


def _arenas(shifts: list[LeverageShift]) -> str:
    """ "Syria, Black Sea (after)", or per arena when the periods differ."""
    periods: dict[str, list[str]] = defaultdict(list)
    for shift in shifts:
        kept = periods[DOMAIN_LABELS[shift.domain]]
        if shift.period.value not in kept:
            kept.append(shift.period.value)
    if len({tuple(p) for p in periods.values()}) == 1:
        return f"{', '.join(periods)} ({', '.join(next(iter(periods.values())))})"
    return ", ".join(f"{domain} ({', '.join(p)})" for domain, p in periods.items())


def _dated(when: EventDate, line: str) -> str:
    """ "**Nov 2015** · line", with the article's fuller wording of the date on a small
    line below when it says more than the short date."""
    short, note = date_label(when)
    return f"**{short}** · {line}" + (f"\n-# {note}" if note else "")


def _dated_lines(events: list[Event]) -> list[str]:
    return [_dated(e.date, e.title) for e in sorted(events, key=lambda e: e.date.sort_key)]


def event_detail(detail: EventDetail) -> list[Page]:
    event = detail.event
    sure = certainty_label(event, author_of(detail.citations))
    url = detail.citations[0].passage_url if detail.citations else None
    short, note = date_label(event.date)
    head = embed(f"📅 {event.title}", limits.clip(event.what, 700, mark="…"), url=url)
    fields = [
        ("When", f"{short}\n-# {note}" if note else short),
        ("Where", ", ".join(event.places) or "not stated"),
        ("Who", ", ".join(a.name for a in detail.actors) or "not stated"),
        *([("How sure", sure)] if sure else []),
        ("Why it matters", limits.clip(event.why, 500, mark="…")),
        ("Source", cite_all(detail.citations[:3], limit=400)),
    ]
    for name, value in fields:
        add_field(head, name, value, inline=name in ("When", "Where"))
    return one_per_page([head])


def timeline(
    entries: list[TimelineEntry],
    *,
    actor: str | None,
    several: bool = False,
    note: str | None = None,
) -> list[Page]:
    """Events in date order; with `several` briefings, each names its own."""
    title = f"Timeline: {actor}" if actor else "Timeline"
    lines: list[str] = []
    for entry in entries:
        source = ""
        if entry.citations:
            first = entry.citations[0]
            link = first.passage_url
            source = f" · [§{first.section}]({link})" if link else f" · §{first.section}"
        sure = certainty_label(entry.event, author_of(entry.citations))
        said = f" *({sure})*" if sure else ""
        if several and entry.briefing:
            source += " · " + strings.IN_BRIEFING.format(title=limits.clip(entry.briefing, 40))
        lines.append(_dated(entry.event.date, f"{entry.event.title}{said}{source}"))
    header = strings.TIMELINE_HEADER.format(events=plural(len(entries), "event"))
    if note:
        header = f"{note}\n{header}"
    return one_per_page(described_pages(title, lines, header=header, per_page=TIMELINE_PER_PAGE))


def leverage(
    views: list[LeverageView],
    *,
    domain: Domain | None,
    actor: str | None,
    note: str | None = None,
) -> list[Page]:
    scope = " · ".join(filter(None, [DOMAIN_LABELS[domain] if domain else None, actor]))
    head = embed(f"Leverage: {scope}" if scope else "Leverage", note or "", colour=COLOUR_GAIN)
    fields = []
    for view in views:
        names = {view.actor.id: view.actor.name, view.over.id: view.over.name}
        when = _claim_when(view.shift, view.pivot, author_of(view.evidence))
        name = f"{DOMAIN_LABELS[view.shift.domain]} · {when}"
        value = (
            f"{shift_sentence(view.shift, names)} ({view.shift.when})\n"
            f"{view.shift.reasoning}\nEvidence: {cite_all(view.evidence)}"
        )
        fields += _split_field(name, value.split("\n"))
    return one_per_page(field_pages(head, fields))


def balance(views: list[LeverageView], *, note: str | None = None) -> list[Page]:
    """The overall picture: per domain, who rose and who fell, before and after."""
    pivot = common_pivot(v.pivot for v in views) or GENERIC_PIVOT
    intro = (
        "Who gained (⬆️), lost (⬇️) or held (⏺️) leverage over whom, before and after "
        f"{pivot} (or not tied to it). Use `/leverage domain:` for the reasoning and evidence."
    )
    head = embed(
        "Leverage balance across domains",
        f"{note}\n{intro}" if note else intro,
        colour=COLOUR_GAIN,
    )
    by_domain: dict[Domain, list[LeverageView]] = defaultdict(list)
    for view in views:
        by_domain[view.shift.domain].append(view)
    fields = []
    for domain, items in by_domain.items():
        lines = []
        for period in Period:
            for v in (i for i in items if i.shift.period is period):
                names = {v.actor.id: v.actor.name, v.over.id: v.over.name}
                sure = certainty_label(v.shift, author_of(v.evidence))
                lines.append(
                    f"*{period_label(period, pivot) if period is Period.UNTIED else period.value}*"
                    f": {shift_sentence(v.shift, names)}" + (f" ({sure})" if sure else "")
                )
        fields += _split_field(DOMAIN_LABELS[domain], lines)
    return one_per_page(field_pages(head, fields))


def _by_briefing(head: discord.Embed, profile: ActorProfile, names: dict[str, str]) -> None:
    """Each briefing's role for the actor, and the ties each states, cited to it."""
    roles = [
        strings.ROLE_IN.format(role=limits.clip(r.role, 180, mark="…"), title=r.pack_title)
        for r in profile.roles
        if r.role
    ]
    if roles:
        add_field(head, strings.ROLES_TITLE, limits.clip("\n".join(roles), 1000, mark="…"))
    by_briefing: dict[str, list[str]] = {}  # one line per briefing, newest first
    order = {r.pack_title: i for i, r in enumerate(profile.roles)}
    for tie in sorted(profile.ties, key=lambda t: order.get(t.pack_title, len(order))):
        by_briefing.setdefault(tie.pack_title, []).append(
            _tie(tie.relation, profile.actor.id, names)
        )
    ties = [
        strings.TIES_IN.format(title=limits.clip(title, 48, mark="…"), ties=", ".join(said))
        for title, said in by_briefing.items()
    ]
    if ties:
        add_field(head, strings.TIES_TITLE, limits.clip("\n".join(ties), 1000, mark="…"))


def _tie(relation: Relation, actor_id: str, names: dict[str, str]) -> str:
    """'part of Turkey' for a tie read from the actor's side ('Turkey: part of', from the other)."""
    kind = relation.kind.value.replace("-", " ")
    if relation.source == actor_id:
        return f"{kind} {names.get(relation.target, relation.target)}"
    return f"{names.get(relation.source, relation.source)}: {kind}"


def _split_field(name: str, lines: list[str]) -> list[tuple[str, str]]:
    """A field whose value would overflow becomes several fields, none cut."""
    if not lines:
        return [(name, "none")]
    blocks = limits.chunk_lines(lines, limits.EMBED_FIELD_VALUE)
    return [(name if i == 0 else f"{name} (cont.)", b) for i, b in enumerate(blocks)]
