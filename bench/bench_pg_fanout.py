"""Fan-out on PostgreSQL: one card to 1,000 channel subscriptions, with ONE and with TWO bot
processes on one database, through one stand-in that enforces Discord's global 50 requests/s
(real 429s) across both processes, as Discord does for one bot token.

1,000 requests at 50/s take 20 s at best; target: publish -> 1,000th delivery within
1.15 x that (23 s). With N processes the token's budget is split by each process's
DELIVERY_REQUESTS_PER_S setting (one: 48, the default; two: 25 each, 50 in all). Printed per
run: processes, channels, seconds from publication to the last delivery, deliveries/s,
duplicates (messages beyond one per channel), 429s, and each process's share of the rows.

PostgreSQL is a throwaway local cluster (tests/pg_cluster.py); everything is on 127.0.0.1.
The card is published from this process (a PostgreSQL store has no single-opener guard).
Run from the repository root: .venv/bin/python bench/bench_pg_fanout.py [--two-rate 25]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.bench_delivery import Progress
from briefings.store import load_pack, open_store
from briefings.store.outbox import OutboxStore
from briefings.store.subscriptions import SubscriptionStore
from briefings.subscriptions import NewSubscription, Target
from tests.briefings.sample import sample_pack
from tests.discord_standin import DiscordStandIn, GlobalRateLimit
from tests.pg_cluster import running_cluster, unavailable_reason

GUILD = 111
CHANNELS = range(20_000, 21_000)
BOUND_S = len(CHANNELS) / 50
"""1,000 requests at Discord's 50 requests/s."""
TARGET_S = 1.15 * BOUND_S
CONCURRENCY = 8


async def prepare(url: str) -> None:
    """Migrate and seed the database, then the 1,000 channel subscriptions."""
    async with open_store(url) as store:
        subs = SubscriptionStore(store.db)
        now = datetime.now(UTC)
        for channel_id in CHANNELS:
            request = NewSubscription(Target.CHANNEL, GUILD, channel_id, None, created_by=1)
            await subs.create(request, now=now, at_most=1)


async def publish(url: str) -> None:
    async with open_store(url, seed=False) as store:
        await load_pack(store, sample_pack(slug="fan-out-news", cards=1))


async def outbox(url: str) -> tuple[dict[str, int], list[int]]:
    """The outbox's states, and how many rows each claimer took (the PostgreSQL outbox
    names the process that claimed a row)."""
    async with open_store(url, seed=False) as store:
        states = await OutboxStore(store.db).counts()
        rows = await store.db.fetch_all(
            "SELECT count(*) FROM outbox GROUP BY claimed_by ORDER BY count(*) DESC"
        )
    return states, [int(row[0]) for row in rows]


def start_bot(standin: DiscordStandIn, url: str, rate: float) -> subprocess.Popen[bytes]:
    """A bot process whose delivery cap is its DELIVERY_REQUESTS_PER_S (set in its
    environment; delivery_bot passes it on as --rate, as BriefingBot does from Settings)."""
    command = [sys.executable, "-m", "tests.bot.delivery_bot", "--port", str(standin.port)]
    command += ["--db", url, "--rate", str(rate), "--concurrency", str(CONCURRENCY)]
    env = {**os.environ, "DELIVERY_REQUESTS_PER_S": str(rate)}
    return subprocess.Popen(command, cwd=REPO, env=env)


async def wait_ready(standin: DiscordStandIn, bots: list[subprocess.Popen[bytes]]) -> None:
    """Every process connected to the gateway, their start-up requests behind them."""
    for _ in range(600):
        if any(bot.poll() is not None for bot in bots):
            raise RuntimeError("a bot process exited before connecting")
        if len(standin.gateway.live_sessions()) >= len(bots):
            await asyncio.sleep(1.0)
            return
        await asyncio.sleep(0.05)
    raise TimeoutError("the bot processes did not all connect")


async def settled(url: str) -> tuple[dict[str, int], list[int]]:
    for _ in range(100):
        states, shares = await outbox(url)
        if states == {"delivered": len(CHANNELS)}:
            break
        await asyncio.sleep(0.1)
    return states, shares


async def fan_out(url: str, processes: int, rate: float) -> bool:
    async with DiscordStandIn(validate_schema=False) as standin:
        standin.add_guild(GUILD, "Bench Guild", channels=[(c, f"c{c}") for c in CHANNELS])
        standin.global_limit = GlobalRateLimit(50)  # one stand-in: one budget for all
        bots = [start_bot(standin, url, rate) for _ in range(processes)]
        try:
            await wait_ready(standin, bots)
            progress = Progress(standin, len(CHANNELS))
            started = time.perf_counter()
            await publish(url)
            await standin.wait_for(progress, timeout=120, what=f"{processes} process(es)")
            took = time.perf_counter() - started
            states, shares = await settled(url)
            await asyncio.sleep(0.5)  # anything sent twice has had time to arrive
        finally:
            for bot in bots:
                bot.terminate()
            for bot in bots:
                bot.wait(timeout=10)
        got = [len(standin.channel_messages(c)) for c in CHANNELS]
        limit = standin.global_limit
    duplicates, missing = sum(max(0, n - 1) for n in got), got.count(0)
    ok = took <= TARGET_S and not missing
    print(f"\n## {processes} process(es), DELIVERY_REQUESTS_PER_S={rate:g} each", end="")
    print(f" ({processes * rate:g}/s in all; {CONCURRENCY} in flight each)")
    print(f"processes: {processes}   channels: {len(CHANNELS)}")
    print(f"publish -> last delivery: {took:.2f} s   deliveries/s: {len(CHANNELS) / took:.1f}")
    print(f"duplicates: {duplicates}   missing: {missing}   outbox: {states}")
    print(f"rows per process: {shares}   429s provoked: {limit.rejected}", end="")
    print(f"   busiest second: {limit.busiest_second} requests")
    verdict = "yes" if ok else "NO"
    print(f"within 1.15 x the {BOUND_S:.0f} s bound (<= {TARGET_S:.1f} s): {verdict}")
    return ok


async def main(one_rate: float, two_rate: float) -> int:
    reason = unavailable_reason()
    if reason:
        print(f"PostgreSQL: skipped ({reason})")
        return 0
    print(f"Fan-out of {len(CHANNELS):,} channel deliveries on one PostgreSQL, through one")
    print("stand-in enforcing Discord's global 50 requests/s across every process.")
    print("With two processes the 50/s budget is split by DELIVERY_REQUESTS_PER_S (each process")
    print(f"gets {two_rate:g}); with one it is {one_rate:g} (the default).")
    results = []
    with running_cluster() as cluster:
        for processes, rate in ((1, one_rate), (2, two_rate)):
            url = cluster.database()
            await prepare(url)
            results.append(await fan_out(url, processes, rate))
    return 0 if all(results) else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--one-rate", type=float, default=48.0, help="one process's cap")
    parser.add_argument("--two-rate", type=float, default=25.0, help="each of two's cap")
    arguments = parser.parse_args()
    sys.exit(asyncio.run(main(arguments.one_rate, arguments.two_rate)))
