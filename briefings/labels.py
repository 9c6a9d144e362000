"""The briefing's vocabulary in words: one table of domain labels, and periods relative to a
pack's own pivot (the event its before/after are about), so a second article has its own."""

from __future__ import annotations

from collections.abc import Iterable

from briefings.models import Domain, Period

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
    """'before Assad's fall', or 'before the pivot' when the pack names none."""
    return f"{period.value} {pivot or GENERIC_PIVOT}"


def common_pivot(pivots: Iterable[str | None]) -> str | None:
    """The one pivot these claims share, or None when they have none or several."""
    found = set(pivots)
    return found.pop() if len(found) == 1 else None
