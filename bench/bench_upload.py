"""Hostile pack uploads: how long parsing and validating each 1 MB shape takes, and what
`/card import` of it does to the bot (the longest the event loop was held, the import's
duration, and another server's `/ask` latency meanwhile).

The bot runs in this process against the loopback stand-in (they share one event loop, as
in the bot tests). Target: no stall over 100 ms, every `/ask` answered within 3 s.
Run from the repository root: .venv/bin/python bench/bench_upload.py [--rounds N]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.client import BriefingBot
from briefings.app import open_core
from briefings.errors import InvalidPack
from briefings.packfile import parse_upload
from tests.bot.support import OTHER_GUILD, TOKEN, make_settings
from tests.bot.watchdog import LoopWatchdog, UploadRun, import_while_asking
from tests.briefings.hostile_packs import SHAPES
from tests.discord_standin.constants import Permission
from tests.discord_standin.fixtures import ALICE_ID, BOB_ID, CHANNEL_ID, GUILD_ID, run_bot
from tests.discord_standin.server import DiscordStandIn

ASKER = 2001


def parse_times(rounds: int) -> None:
    print(f"{'shape':13} {'bytes':>9} {'parse+validate':>15}  outcome")
    for name, make in SHAPES.items():
        raw = make()
        best, outcome = float("inf"), "accepted"
        for _ in range(rounds):
            started = time.perf_counter()
            try:
                parse_upload(raw, source=name)
            except InvalidPack as invalid:
                outcome = invalid.problems[0].problem[:60]
            best = min(best, time.perf_counter() - started)
        print(f"{name:13} {len(raw):>9,} {best * 1000:>12.1f} ms  {outcome}")


async def through_the_bot(rounds: int) -> None:
    print(f"\n{'shape':13} {'max loop lag':>13} {'import':>9} {'asks':>5} {'worst /ask':>11}")
    for name, make in SHAPES.items():
        raw = make()
        lags, imports, asks = [], [], []
        for _ in range(rounds):  # a fresh bot each round: the per-server import budget
            run = await one_upload(raw)
            lags.append(run.worst_lag_s)
            imports.append(run.import_s)
            asks += run.asks
        print(
            f"{name:13} {max(lags) * 1000:>10.1f} ms {min(imports) * 1000:>6.0f} ms "
            f"{len(asks):>5} {max(asks) * 1000:>8.1f} ms"
        )
    confirms = [await one_upload(SHAPES["full-valid"](), confirm=True) for _ in range(rounds)]
    worst = max(c.worst_lag_s for c in confirms) * 1000
    took = min(c.import_s for c in confirms) * 1000
    print(f"{'(confirm 500)':13} {worst:>10.1f} ms {took:>6.0f} ms   pressing Import: the write")


async def one_upload(raw: bytes, *, confirm: bool = False) -> UploadRun:
    with tempfile.TemporaryDirectory() as folder:
        async with DiscordStandIn() as standin:
            standin.make_user(ALICE_ID, "alice")
            standin.make_user(BOB_ID, "bob")
            standin.make_user(ASKER, "carol")
            standin.add_guild(
                GUILD_ID, "Test", channels=[(CHANNEL_ID, "general")],
                roles=[(333, "Moderator", Permission.MANAGE_GUILD)],
            )  # fmt: skip
            standin.add_member(GUILD_ID, BOB_ID, roles=[333])
            standin.add_guild(OTHER_GUILD, "Other", channels=[(555, "elsewhere")])
            standin.add_member(OTHER_GUILD, ASKER)
            with standin.patch_discord():
                async with open_core(Path(folder) / "bot.db") as core:
                    settings = make_settings(Path(folder))
                    client = BriefingBot(settings=settings, core=core)
                    async with run_bot(client, standin, token=TOKEN, sync=False):
                        run = await import_while_asking(
                            standin, raw, manager=BOB_ID, asker=ASKER,
                            other_guild=OTHER_GUILD, deadline_s=3.0,
                        )  # fmt: skip
                        return await press_import(standin, run) if confirm else run


async def press_import(standin: DiscordStandIn, dry_run: UploadRun) -> UploadRun:
    """Press Import on the dry run just shown, with the watchdog running."""
    assert dry_run.reply is not None, dry_run.answer
    loop = asyncio.get_running_loop()
    async with LoopWatchdog() as watchdog:
        started = loop.time()
        import_id = dry_run.reply.button("Import")["custom_id"]
        pressed = await standin.click(dry_run.reply, import_id, user=BOB_ID, timeout=30)
        took = loop.time() - started
    return UploadRun(watchdog.worst, took, [], pressed.latest().content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    parse_times(args.rounds)
    asyncio.run(through_the_bot(args.rounds))


if __name__ == "__main__":
    main()
