"""Actors, events, the timeline and leverage shifts as embeds."""

from __future__ import annotations

from collections import defaultdict

from bot import limits
from bot.render.base import (
    COLOUR_GAIN,
    DOMAIN_LABELS,
    Page,
    cite_all,
    described_pages,
    embed,
    field_pages,
    one_per_page,
    shift_sentence,
)
from briefings.labels import GENERIC_PIVOT, certainty_label, common_pivot, period_label
from briefings.models import Domain, LeverageShift, Period
from briefings.results import ActorProfile, EventDetail, LeverageView, TimelineEntry


def _shift_block(
    shifts: list[LeverageShift], names: dict[str, str], pivots: dict[str, str | None]
) -> str:
    return "\n".join(
        f"{shift_sentence(s, names)} in {DOMAIN_LABELS[s.domain]} "
        f"({_claim_when(s, pivots.get(s.id))}): {s.reasoning}"
        for s in shifts
    )


def _claim_when(shift: LeverageShift, pivot: str | None) -> str:
    """'after Assad's fall', 'not tied to Assad's fall; the author expects'."""
    sure = certainty_label(shift)
    return period_label(shift.period, pivot) + (f"; {sure}" if sure else "")


def actor_profile(profile: ActorProfile, names: dict[str, str]) -> list[Page]:
    actor = profile.actor
    url = profile.citations[0].source_url if profile.citations else None
    head = embed(actor.name, actor.role, url=url)
    fields: list[tuple[str, str]] = [("Kind", actor.kind.value.replace("-", " "))]
    if actor.aliases:
        fields.append(("Also known as", ", ".join(actor.aliases)))
    for title, shifts in (
        ("Leverage gained or held", profile.gained),
        ("Leverage lost", profile.lost),
    ):
        fields += _split_field(
            title, _shift_block(shifts, names, profile.pivots).split("\n") if shifts else []
        )
    events = [f"**{e.date.text}**: {e.title}" for e in profile.events]
    fields += _split_field("Events", events)
    fields.append(("Cards", cite_all(profile.citations)))
    return one_per_page(field_pages(head, fields))


def event_detail(detail: EventDetail) -> list[Page]:
    event = detail.event
    url = detail.citations[0].source_url if detail.citations else None
    head = embed(event.title, event.what, url=url)
    fields = [
        ("When", event.date.text),
        ("Where", ", ".join(event.places) or "not stated"),
        ("Who", ", ".join(a.name for a in detail.actors) or "not stated"),
        *([("How sure", certainty_label(event))] if certainty_label(event) else []),
        ("Why it matters", event.why),
        ("Cards", cite_all(detail.citations)),
    ]
    return one_per_page(field_pages(head, [(n, v) for n, v in fields]))


def timeline(entries: list[TimelineEntry], *, actor: str | None) -> list[Page]:
    title = f"Timeline: {actor}" if actor else "Timeline"
    lines = []
    for entry in entries:
        source = (
            f" · [§{entry.citations[0].section}]({entry.citations[0].source_url})"
            if (entry.citations)
            else ""
        )
        when = entry.event.date.text + (" (approximate)" if entry.event.date.approximate else "")
        sure = certainty_label(entry.event)
        said = f" *({sure})*" if sure else ""
        lines.append(f"**{when}** — {entry.event.title}{said}{source}")
    header = (
        f"{len(entries)} events, in date order; those the article dates only relative to "
        "another come right after it, and those it does not place at all come last."
    )
    return one_per_page(described_pages(title, lines, header=header))


def leverage(views: list[LeverageView], *, domain: Domain | None, actor: str | None) -> list[Page]:
    scope = " · ".join(filter(None, [DOMAIN_LABELS[domain] if domain else None, actor]))
    head = embed(f"Leverage: {scope}" if scope else "Leverage", colour=COLOUR_GAIN)
    fields = []
    for view in views:
        names = {view.actor.id: view.actor.name, view.over.id: view.over.name}
        name = f"{DOMAIN_LABELS[view.shift.domain]} · {_claim_when(view.shift, view.pivot)}"
        value = (
            f"{shift_sentence(view.shift, names)} ({view.shift.when})\n"
            f"{view.shift.reasoning}\nEvidence: {cite_all(view.evidence)}"
        )
        fields += _split_field(name, value.split("\n"))
    return one_per_page(field_pages(head, fields))


def balance(views: list[LeverageView]) -> list[Page]:
    """The overall picture: per domain, who rose and who fell, before and after."""
    pivot = common_pivot(v.pivot for v in views) or GENERIC_PIVOT
    head = embed(
        "Leverage balance across domains",
        (
            "Who gained (⬆️), lost (⬇️) or held (⏺️) leverage over whom, before and after "
            f"{pivot} (or not tied to it). Use `/leverage domain:` for the reasoning and evidence."
        ),
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
                sure = certainty_label(v.shift)
                lines.append(
                    f"*{period_label(period, pivot) if period is Period.UNTIED else period.value}*"
                    f": {shift_sentence(v.shift, names)}" + (f" ({sure})" if sure else "")
                )
        fields += _split_field(DOMAIN_LABELS[domain], lines)
    return one_per_page(field_pages(head, fields))


def _split_field(name: str, lines: list[str]) -> list[tuple[str, str]]:
    """A field whose value would overflow becomes several fields, none cut."""
    if not lines:
        return [(name, "none")]
    blocks = limits.chunk_lines(lines, limits.EMBED_FIELD_VALUE)
    return [(name if i == 0 else f"{name} (cont.)", b) for i, b in enumerate(blocks)]
