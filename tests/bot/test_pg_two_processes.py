"""Two bot processes on one PostgreSQL against the stand-in: a card published to many channel
subscriptions reaches every channel exactly once; then one process is SIGKILLed mid fan-out
and the other finishes: nothing is lost, and the only duplicates are the killed process's
in-flight messages (at most its concurrency), retaken when their lease ran out."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from briefings.store import load_pack, open_store
from briefings.store.outbox import OutboxStore
from briefings.store.subscriptions import SubscriptionStore
from briefings.subscriptions import NewSubscription, Target
from tests.briefings.sample import sample_pack
from tests.discord_standin.server import DiscordStandIn
from tests.pg_cluster import Cluster

REPO = Path(__file__).resolve().parents[2]
GUILD = 111
CHANNELS = range(20_000, 20_300)
CONCURRENCY = 8
LEASE_S = 3.0


async def prepare(url: str, slug: str) -> None:
    async with open_store(url) as store:
        if not await OutboxStore(store.db).counts():
            subs = SubscriptionStore(store.db)
            now = datetime.now(UTC)
            for channel_id in CHANNELS:
                request = NewSubscription(Target.CHANNEL, GUILD, channel_id, None, created_by=1)
                await subs.create(request, now=now, at_most=1)
        await load_pack(store, sample_pack(slug=slug, cards=1))


async def claimers(url: str) -> int:
    """How many processes claimed rows (the PostgreSQL outbox names the claimer)."""
    async with open_store(url, seed=False) as store:
        row = await store.db.fetch_one("SELECT count(DISTINCT claimed_by) FROM outbox")
        return int(row[0]) if row else 0


async def states(url: str) -> dict[str, int]:
    async with open_store(url, seed=False) as store:
        return await OutboxStore(store.db).counts()


def start(standin: DiscordStandIn, url: str, log: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "tests.bot.delivery_bot", "--port", str(standin.port)]
    command += ["--db", url, "--concurrency", str(CONCURRENCY), "--poll", "0.05"]
    command += ["--rate", "0", "--lease", str(LEASE_S)]
    with log.open("ab") as sink:
        return subprocess.Popen(command, cwd=REPO, stdout=sink, stderr=subprocess.STDOUT)


def stop(process: subprocess.Popen[Any], sig: signal.Signals) -> None:
    if process.poll() is None:
        process.send_signal(sig)
    process.wait(timeout=10)


def received(standin: DiscordStandIn) -> Counter[int]:
    return Counter({c: len(standin.channel_messages(c)) for c in CHANNELS})


async def settled(url: str, delivered: int) -> None:
    for _ in range(400):
        if await states(url) == {"delivered": delivered}:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"outbox never settled: {await states(url)}")


async def test_two_processes_deliver_once_and_one_killed_mid_fan_out_loses_nothing(
    tmp_path: Path, pg_cluster: Cluster
) -> None:
    url, log = pg_cluster.database(), tmp_path / "bots.log"
    async with DiscordStandIn(validate_schema=False) as standin:
        standin.add_guild(GUILD, "Two Processes", channels=[(c, f"c{c}") for c in CHANNELS])
        standin.response_delay = 0.05
        bots = [start(standin, url, log), start(standin, url, log)]
        try:
            await asyncio.sleep(1.0)  # both connected and polling (not required: both poll)
            await prepare(url, "first-news")
            await standin.wait_for(
                lambda: all(received(standin).values()), timeout=30, what=f"all; log {log}"
            )
            await settled(url, len(CHANNELS))
            once = received(standin)
            assert set(once.values()) == {1}  # exactly once, across both processes
            assert await claimers(url) == 2  # and both took part

            await prepare(url, "second-news")  # a second card: kill one process mid fan-out
            await standin.wait_for(
                lambda: sum(received(standin).values()) >= len(CHANNELS) + 60,
                timeout=30,
                what="some of the second card's deliveries",
            )
            stop(bots[0], signal.SIGKILL)
            await standin.wait_for(
                lambda: all(v >= 2 for v in received(standin).values()),
                timeout=30,
                what=f"every channel to get the second card; log {log}",
            )
            await settled(url, 2 * len(CHANNELS))
        finally:
            for bot in bots:
                stop(bot, signal.SIGTERM)
        after = received(standin)
    duplicates = sum(count - 2 for count in after.values())
    print(f"\ntwo processes: {duplicates} duplicates after the kill (concurrency {CONCURRENCY})")
    assert min(after.values()) == 2 and duplicates <= CONCURRENCY
