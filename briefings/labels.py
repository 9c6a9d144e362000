"""The briefing's vocabulary in words: one table of domain labels, periods relative to a
pack's own pivot (the event its before/after are about), so a second article has its own,
and how sure a claim is ("reported by CNN Türk", "the author expects")."""

from __future__ import annotations

from collections.abc import Iterable

from briefings.models import Certainty, Claim, Domain, Period

DOMAIN_LABELS: dict[Domain, str] = {
    Domain.SYRIA: "Syria",
    Domain.BLACK_SEA: "Black Sea",
    Domain.SOUTH_CAUCASUS: "South Caucasus",
    Domain.ENERGY: "Energy",
    Domain.DIPLOMACY: "Diplomacy with the US/West",
    Domain.ECONOMY: "Economy",
}

GENERIC_PIVOT = "the pivot"
"""Said when a pack names no pivot, or shifts of several packs with different pivots meet."""


def period_label(period: Period, pivot: str | None) -> str:
    """'before Assad's fall', 'not tied to Assad's fall', or '... the pivot' when the pack
    names none."""
    if period is Period.UNTIED:
        return f"not tied to {pivot or GENERIC_PIVOT}"
    return f"{period.value} {pivot or GENERIC_PIVOT}"


def period_heading(period: Period, pivot: str | None) -> str:
    """'Before Assad's fall', 'Not tied to Assad's fall': a chart column's heading."""
    text = period_label(period, pivot)
    return text[0].upper() + text[1:]


def certainty_label(claim: Claim, author: str | None = None) -> str:
    """How sure the article is, in words; empty for a plain fact (nothing to add).

    `author` is the pack's author ("Dimitar Bechev" reads "Bechev expects")."""
    return certainty_words(claim.certainty, claim.reported_by, author)


def certainty_words(
    certainty: Certainty, reported_by: str | None = None, author: str | None = None
) -> str:
    """See `certainty_label`; for a status without its claim (a chart's summary)."""
    who = author.split()[-1] if author else "the author"
    words = {
        Certainty.FACT: "",
        Certainty.REPORTED: f"reported by {reported_by or 'a source'}",
        Certainty.JUDGEMENT: f"{who}'s judgement",
        Certainty.FORECAST: f"{who} expects",
        Certainty.PERCEPTION: "a common perception",
        Certainty.HEDGED: "hedged in the article",
        Certainty.UNKNOWN: "certainty not stated",
    }
    return words[certainty]


def with_certainty(text: str, claim: Claim, author: str | None = None) -> str:
    """`text` followed by its certainty in brackets, when there is one to say."""
    said = certainty_label(claim, author)
    return f"{text} [{said}]" if said else text


def common_pivot(pivots: Iterable[str | None]) -> str | None:
    """The one pivot these claims share, or None when they have none or several."""
    found = set(pivots)
    return found.pop() if len(found) == 1 else None
