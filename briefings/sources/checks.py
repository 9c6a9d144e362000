"""The checks a source drives on every save and import: quotes and anchors verbatim in it
(errors: nothing is written), and the faithfulness lint (warnings: shown, not refused).

Pure: the caller passes the pack (or the cards of one write) and the source's text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol

from briefings.anchors import anchor_problems
from briefings.changes import ChangeSet
from briefings.errors import FieldProblem
from briefings.faithfulness import Finding, claim_findings, quote_problems
from briefings.models import PackFile, Status

_ITEM_ID = re.compile(r"\(([^()]*)\)$")


class SourceChecks(Protocol):
    """What the card editor asks before it writes (`briefings.sourcing.SourceService`).
    Both raise InvalidPack when a quote or an anchor is not in the source, and return the
    lint's warnings; with no source attached, they return nothing."""

    async def on_save(self, changes: ChangeSet, *, guild_id: int) -> list[Finding]: ...

    async def on_import(
        self, pack: PackFile, *, briefing: str, guild_id: int, source: str
    ) -> list[Finding]:
        """`briefing`: the stored slug the file imports into (`g<guild>-…` for a server's)."""
        ...


def check(
    pack: PackFile, text: str, *, source: str, only: Iterable[str] | None = None
) -> tuple[list[FieldProblem], list[Finding]]:
    """(problems, warnings) of `pack` against the source `text`. Archived cards are not
    checked (archiving a card must stay possible). With `only`, warnings are kept for
    those records' ids alone (the rest of the pack is there for its aliases)."""
    live = pack.model_copy(
        update={"cards": [c for c in pack.cards if c.status is not Status.ARCHIVED]}
    )
    problems = quote_problems(live, text, source=source)
    problems += anchor_problems(live, text, source=source)
    warnings = [Finding(f.problem, error=False) for f in claim_findings(live, text, source=source)]
    if only is not None:
        wanted = set(only)
        warnings = [w for w in warnings if _record_id(w.problem.item) in wanted]
    return problems, warnings


def _record_id(item: str) -> str:
    found = _ITEM_ID.search(item)
    return found.group(1) if found else item
