"""Digest schedules: pure time arithmetic (parsing, zones, the next digest instant)."""

from __future__ import annotations

import difflib
import functools
import re
import zoneinfo
from datetime import UTC, date, datetime, time, timedelta

from briefings.subscriptions.model import (
    DEFAULT_DIGEST_TIME,
    DEFAULT_TIMEZONE,
    DigestOptionsForInstant,
    DigestTime,
    InvalidTime,
    Schedule,
    UnknownZone,
)

_TIME = re.compile(r"^\s*(\d{1,2})\s*[:.h]\s*(\d{2})\s*$")
POPULAR_ZONES = ("UTC", "Europe/London", "Europe/Berlin", "Europe/Istanbul", "Europe/Moscow",
                 "America/New_York", "America/Los_Angeles", "Asia/Tokyo")  # fmt: skip


def parse_time(text: str) -> time:
    match = _TIME.match(text)
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        raise InvalidTime(text)
    return time(int(match[1]), int(match[2]))


@functools.cache
def _zone_names() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


def parse_zone(name: str) -> zoneinfo.ZoneInfo:
    """The IANA zone, matched case-insensitively; unknown names get suggestions."""
    by_folded = {z.casefold(): z for z in _zone_names()}
    found = by_folded.get(name.strip().casefold())
    if found is None:
        close = difflib.get_close_matches(name.strip(), _zone_names(), n=3, cutoff=0.6)
        raise UnknownZone(name, close)
    return zoneinfo.ZoneInfo(found)


def timezone_names(current: str, *, limit: int) -> list[str]:
    """Zones for autocomplete: names starting with what was typed first, then containing it."""
    wanted = current.strip().casefold().replace(" ", "_")
    if not wanted:
        return list(POPULAR_ZONES[:limit])
    names = _zone_names()
    starts = [z for z in names if z.casefold().startswith(wanted)]
    parts = [z for z in names if any(p.startswith(wanted) for p in z.casefold().split("/")[1:])]
    inside = [z for z in names if wanted in z.casefold()]
    return list(dict.fromkeys([*starts, *parts, *inside]))[:limit]


def digest_time(
    schedule: Schedule, at: str | None, zone: str | None, weekday: int | None
) -> DigestTime | None:
    """Validate a digest's time options; instant subscriptions take none."""
    if schedule is Schedule.INSTANT:
        if at or zone or weekday is not None:
            raise DigestOptionsForInstant()
        return None
    local = parse_time(at) if at else DEFAULT_DIGEST_TIME
    name = parse_zone(zone or DEFAULT_TIMEZONE).key
    day = (weekday if weekday is not None else 0) if schedule is Schedule.WEEKLY else None
    return DigestTime(at=local, zone=name, weekday=day)


def local_occurrence(day: date, at: time, zone: zoneinfo.ZoneInfo) -> datetime:
    """`at` on `day` in `zone`, as UTC.

    fold=0 decides the two odd cases deliberately: a time that does not exist (skipped when
    clocks go forward) is read with the offset from before the change, so it lands that much
    later (02:30 becomes 03:30); a time that happens twice (clocks go back) means its first
    occurrence. Either way the digest comes exactly once that day.
    """
    return datetime.combine(day, at, tzinfo=zone).replace(fold=0).astimezone(UTC)


def next_digest_at(after: datetime, schedule: Schedule, digest: DigestTime) -> datetime:
    """The first digest instant strictly after `after` (a bot that was down skips, not repeats)."""
    zone = zoneinfo.ZoneInfo(digest.zone)
    day = after.astimezone(zone).date()
    for offset in range(9):  # a week, and a day either side of a zone's date line
        candidate = day + timedelta(days=offset)
        if schedule is Schedule.WEEKLY and candidate.weekday() != digest.weekday:
            continue
        when = local_occurrence(candidate, digest.at, zone)
        if when > after:
            return when
    raise AssertionError("unreachable: every week has the weekday")
