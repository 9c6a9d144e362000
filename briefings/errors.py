"""Domain errors. Nothing from sqlite3 or pydantic leaks past the core's edge."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from briefings.models import Card, Pack, Status


class BriefingError(Exception):
    """Base of every error the core raises on purpose; its text is safe to show a user."""


class NotFound(BriefingError):
    def __init__(self, what: str, name: str, suggestions: list[str] | None = None) -> None:
        self.what = what
        self.name = name
        self.suggestions = suggestions or []
        hint = f" Did you mean: {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"No {what} matches {name!r}.{hint}")


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One thing wrong with an input, located precisely enough to fix it."""

    source: str
    """The file (or upload) the problem is in."""
    item: str
    """Which record: 'card 3 (intro)', 'actor 2 (russia)', or 'pack'."""
    field: str
    problem: str

    def __str__(self) -> str:
        return f"{self.source}: {self.item}: {self.field}: {self.problem}"


class InvalidPack(BriefingError):
    def __init__(self, problems: list[FieldProblem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        count = f"{len(problems)} problem{'' if len(problems) == 1 else 's'}"
        super().__init__(f"{count} found; nothing was written:\n{lines}")


class StoreError(BriefingError):
    """The database cannot be used: unreadable, corrupt, or newer than this code."""


class ConflictError(BriefingError):
    """A write lost a race: the record changed since it was read."""


class PermissionDenied(BriefingError):
    """The member may not make this change (e.g. the shipped briefing is owners-only)."""


class StaleCard(ConflictError):
    """The card changed since the editor read it; `current` is what it is now."""

    def __init__(self, current: Card | None) -> None:
        self.current = current
        where = f"version {current.version}" if current else "removed"
        super().__init__(f"This card changed while you were editing it (now {where}).")


class AlreadyInStatus(BriefingError):
    """A status change asked for the status the card already has."""

    def __init__(self, card_id: str, status: Status) -> None:
        self.card_id = card_id
        self.status = status
        super().__init__(f"Card {card_id!r} is already {status.value}.")


class ScopeConflict(PermissionDenied):
    """A write named records of a scope the writer may not change; nothing was written.

    The write path's last line of defence: planners never produce such a write."""

    def __init__(self, records: list[tuple[str, str]]) -> None:
        self.records = records
        """(table, id) of each refused record."""
        named = ", ".join(f"{table} {ident!r}" for table, ident in records[:5])
        more = f" and {len(records) - 5} more" if len(records) > 5 else ""
        super().__init__(f"{len(records)} record(s) belong to another server: {named}{more}.")


class StaleBriefing(ConflictError):
    """The briefing changed since the editor read it (or its slug was taken meanwhile);
    `current` is what it is now."""

    def __init__(self, current: Pack | None) -> None:
        self.current = current
        where = f"version {current.version}" if current else "gone"
        super().__init__(f"This briefing changed while you were editing it (now {where}).")
