"""No upload stalls the bot: while a 1 MB pack of each hostile shape goes through
`/card import`, the event loop is never held longer than 100 ms and another server's
`/ask` is answered within Discord's 3-second window.

This is the correctness bound the hardening issue sets (an upload once froze every server
for 18-21 s), not a performance figure; bench/bench_upload.py prints the figures. The
measured worst case is a few tens of milliseconds, so the bound has room on a loaded machine.
"""

from __future__ import annotations

import pytest

from bot import limits
from bot.client import BriefingBot
from tests.bot.support import OTHER_GUILD
from tests.bot.watchdog import import_while_asking
from tests.briefings.hostile_packs import SHAPES
from tests.discord_standin.fixtures import BOB_ID
from tests.discord_standin.server import DiscordStandIn

STALL_BOUND_S = 0.100
EXPECTED = {
    "tiny-items": "holds more than 60,000 values",
    "deep-yaml": "too deeply nested (limit 20 levels)",
    "deep-json": "too deeply nested (limit 20 levels)",
    "huge-strings": "summary",
    "many-cards": "cards; an upload may hold 500",
    "alias-bomb": "holds more than 60,000 values",
    "full-valid": "Will add (500)",
}


@pytest.mark.parametrize("shape", list(SHAPES))
async def test_no_upload_stalls_the_loop_or_another_server(
    bot: BriefingBot, standin: DiscordStandIn, shape: str
) -> None:
    raw = SHAPES[shape]()
    assert 900_000 < len(raw) <= 1_000_000 or shape == "alias-bomb"
    run = await import_while_asking(
        standin,
        raw,
        manager=BOB_ID,
        asker=2001,
        other_guild=OTHER_GUILD,
        deadline_s=limits.INTERACTION_DEADLINE_S,
    )
    assert run.worst_lag_s < STALL_BOUND_S, f"{shape}: the loop was held {run.worst_lag_s:.3f}s"
    # Another server was answered meanwhile, each time within Discord's window (measured on
    # the loop's clock, so a stalled loop cannot hide the wait).
    assert run.asks and max(run.asks) < limits.INTERACTION_DEADLINE_S
    assert EXPECTED[shape] in run.answer  # the upload was handled, not just survived
