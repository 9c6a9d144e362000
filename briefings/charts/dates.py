"""Dates at the precision the article gives them: the days a date can mean, and a short label."""

from __future__ import annotations

from datetime import date, timedelta

from briefings.models import EventDate, Precision

SPAN_DAYS = {Precision.MONTH: 30, Precision.YEAR: 365, Precision.RANGE: 365, Precision.SEASON: 91}
"""Used when a date has a start but no end: a season lasts about three months."""

SEASONS = {month: "winter" for month in (12, 1, 2)} | {
    month: season
    for season, months in (("spring", (3, 4, 5)), ("summer", (6, 7, 8)), ("autumn", (9, 10, 11)))
    for month in months
}


def span(when: EventDate) -> tuple[date, date]:
    """The first and last day a dated event can mean."""
    assert when.start is not None
    default = timedelta(days=SPAN_DAYS.get(when.precision, 0))
    return when.start, when.end or when.start + default


def short_date(when: EventDate) -> str:
    """The date at its own precision, short enough for a label ("Nov 2015", "summer 2024")."""
    start, end = span(when)
    if when.precision is Precision.DAY:
        return f"{start.day} {start:%b %Y}"
    if when.precision is Precision.MONTH:
        return f"{start:%b %Y}"
    if when.precision is Precision.SEASON:
        return f"{SEASONS[start.month]} {start.year}"
    if start.year == end.year:
        return str(start.year) if when.precision is Precision.YEAR else f"{start:%b}–{end:%b %Y}"
    return f"{start.year}–{end.year}"
