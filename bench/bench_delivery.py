"""Delivery benchmark: one card to 1,000 channel subscriptions, the bot in its own process.

1. Through Discord's global limit (the stand-in enforces 50 requests/s with real 429s): the
   time from the card's publication to its 1,000th delivery. 1,000 requests at 50/s take
   20 s at best; target: within 1.15 x that (23 s), with no 429s provoked.
2. With no limit anywhere (the stand-in unlimited, the bot's own cap off): deliveries per
   second sustained over several rounds of 1,000 (target >= 300/s on the 2-core machine),
   and the bot's resident memory before, at its peak and after each round (it should stay flat).

The stand-in runs in this process and skips OpenAPI validation (its CPU would be charged to
the bot). Run from the repository root: .venv/bin/python bench/bench_delivery.py [--rounds N]
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from briefings.store import open_store
from briefings.store.subscriptions import SubscriptionStore
from briefings.subscriptions import NewSubscription, Target
from tests.discord_standin import DiscordStandIn, GlobalRateLimit

GUILD = 111
CHANNELS = range(20_000, 21_000)
MESSAGES = "/channels/{channel_id}/messages"
BOUND_S = len(CHANNELS) / 50
"""1,000 requests at Discord's 50 requests/s."""


@dataclass
class Memory:
    process: psutil.Process
    samples: list[float] = field(default_factory=list)

    def now(self) -> float:
        rss = self.process.memory_info().rss / 1e6
        self.samples.append(rss)
        return rss

    async def sample(self, every: float = 0.05) -> None:
        while True:
            self.now()
            await asyncio.sleep(every)


async def prepare(db: Path) -> None:
    async with open_store(db) as store:
        subs = SubscriptionStore(store.db)
        now = datetime.now(UTC)
        for channel_id in CHANNELS:
            request = NewSubscription(Target.CHANNEL, GUILD, channel_id, None, created_by=1)
            await subs.create(request, now=now, at_most=1)


def publish(process: subprocess.Popen[bytes]) -> None:
    """A new card: the bot process loads it into its own store (which is its alone: the
    single-instance guard refuses a second opener), as the /card form would."""
    process.send_signal(signal.SIGUSR1)


def start_bot(
    standin: DiscordStandIn, db: Path, rate: float, concurrency: int
) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "tests.bot.delivery_bot", "--port", str(standin.port)]
    command += ["--db", str(db), "--rate", str(rate), "--concurrency", str(concurrency)]
    return subprocess.Popen(command, cwd=REPO)


async def wait_ready(standin: DiscordStandIn, process: subprocess.Popen[bytes]) -> None:
    """Connected to the gateway, and the start-up requests (command sync) are behind it."""
    for _ in range(400):
        if process.poll() is not None:
            raise RuntimeError(f"bot exited with {process.returncode}")
        if standin.gateway.live_sessions():
            await asyncio.sleep(0.5)
            return
        await asyncio.sleep(0.05)
    raise TimeoutError("the bot did not connect")


class Progress:
    """Counts deliveries as the stand-in answers them: the new requests only, since a
    predicate that looked at all 1,000 channels after every request would eat the CPU
    the bot needs."""

    def __init__(self, standin: DiscordStandIn, target: int) -> None:
        self.standin, self.target = standin, target
        self.seen = len(standin.requests)
        self.count = 0
        self.first: float | None = None

    def __call__(self) -> bool:
        new = self.standin.requests[self.seen :]
        self.seen += len(new)
        for request in new:
            if request.route == MESSAGES and request.method == "POST" and request.status == 200:
                self.count += 1
                self.first = self.first or time.perf_counter()
        return self.count >= self.target


async def one_round(
    standin: DiscordStandIn, process: subprocess.Popen[bytes], number: int
) -> tuple[float, float]:
    """Publish; return (seconds to the last delivery, seconds from the first to the last)."""
    progress = Progress(standin, len(CHANNELS))
    started = time.perf_counter()
    publish(process)
    await standin.wait_for(progress, timeout=120, what=f"round {number}")
    done = time.perf_counter()
    assert all(len(standin.channel_messages(c)) == number for c in CHANNELS)
    return done - started, done - (progress.first or started)


async def limited(db: Path) -> None:
    async with DiscordStandIn(validate_schema=False) as standin:
        standin.add_guild(GUILD, "Bench Guild", channels=[(c, f"c{c}") for c in CHANNELS])
        standin.global_limit = GlobalRateLimit(50)
        process = start_bot(standin, db, rate=48, concurrency=8)
        try:
            await wait_ready(standin, process)
            total, _ = await one_round(standin, process, 1)
        finally:
            process.terminate()
            process.wait(timeout=10)
        limit = standin.global_limit
    verdict = "ok" if total <= 1.15 * BOUND_S else "OVER"
    print("## 1,000 channels through a 50 requests/s global limit (bot cap 48/s, 8 in flight)")
    print(
        f"publish -> 1,000th delivery: {total:.2f} s "
        f"(bound {BOUND_S:.0f} s, target <= {1.15 * BOUND_S:.1f} s: {verdict})"
    )
    print(f"429s provoked: {limit.rejected}; busiest second: {limit.busiest_second} requests")


async def unlimited(db: Path, rounds: int, concurrency: int) -> None:
    async with DiscordStandIn(validate_schema=False) as standin:
        standin.add_guild(GUILD, "Bench Guild", channels=[(c, f"c{c}") for c in CHANNELS])
        process = start_bot(standin, db, rate=0, concurrency=concurrency)
        memory = Memory(psutil.Process(process.pid))
        sampler: asyncio.Task[None] | None = None
        try:
            await wait_ready(standin, process)
            print(f"\n## no limit: rounds of 1,000 ({concurrency} in flight, no cap of our own)")
            print(f"{'round':>5} {'total s':>8} {'sustained/s':>12} {'RSS before':>11} ", end="")
            print(f"{'peak':>6} {'after':>6}")
            sampler = asyncio.create_task(memory.sample())
            for number in range(1, rounds + 1):
                before = memory.now()
                memory.samples.clear()
                total, sustained = await one_round(standin, process, number)
                after = memory.now()
                rate = len(CHANNELS) / sustained
                peak = max(memory.samples)
                print(f"{number:>5} {total:8.2f} {rate:12.0f} {before:8.0f} MB ", end="")
                print(f"{peak:6.0f} {after:6.0f}")
        finally:
            if sampler is not None:
                sampler.cancel()
            process.terminate()
            process.wait(timeout=10)


async def main(rounds: int, concurrency: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        first, second = Path(tmp) / "limited.db", Path(tmp) / "unlimited.db"
        await prepare(first)
        await prepare(second)
        await limited(first)
        await unlimited(second, rounds, concurrency)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=8)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.rounds, arguments.concurrency))
