"""Fair sharing of the delivery budget across servers, the bot in its own process.

Through Discord's global limit (the stand-in enforces 50 requests/s; the bot caps itself at
48/s, 8 in flight), server A floods the outbox and server B, half a second later, publishes
one card to its one channel. Printed: how long B's card took from its publication to its
delivery (target: a few seconds, however big A's backlog), and how long A's flood took.

1. Bulk import: A imports 500 cards in one change set to 100 channel subscriptions, once as
   a new briefing (one message per channel) and once as an update of all 500 (one summary
   per channel, several messages each).
2. Fan-out: one card to A's 1,000 channels (publication to 1,000th delivery: at 50/s, 20 s at
   best; target <= 23 s), B's card half a second after it.

Run from the repository root: .venv/bin/python bench/bench_delivery_fair.py
"""

from __future__ import annotations

import asyncio
import json
import signal
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.bench_delivery import start_bot, wait_ready
from briefings.store import open_store
from briefings.store.subscriptions import SubscriptionStore
from briefings.subscriptions import NewSubscription, Target
from tests.bot.delivery_bot import guild_pack
from tests.discord_standin import DiscordStandIn, GlobalRateLimit

A, B = 111, 222
B_CHANNEL = 30_000
MESSAGES = "/channels/{channel_id}/messages"
BOUND_S = 1000 / 50


async def prepare(db: Path, channels: range, *, bulk_pack: bool) -> None:
    async with open_store(db) as store:
        if bulk_pack:  # the pack A's import will update (its first load goes to nobody)
            await guild_pack(store, A, "a-bulk", 500)
        subs = SubscriptionStore(store.db)
        now = datetime.now(UTC)
        for guild, channel in [*((A, c) for c in channels), (B, B_CHANNEL)]:
            request = NewSubscription(Target.CHANNEL, guild, channel, None, created_by=1)
            await subs.create(request, now=now, at_most=1)


def request(db: Path, process: object, **pack: object) -> None:
    """Ask the bot process to load this server pack (see tests/bot/delivery_bot.py)."""
    Path(f"{db}.request").write_text(json.dumps(pack))
    process.send_signal(signal.SIGUSR2)  # type: ignore[attr-defined]


class Deliveries:
    """Times of the stand-in's answered message posts, per channel, as they happen."""

    def __init__(self, standin: DiscordStandIn) -> None:
        self.standin, self.seen = standin, len(standin.requests)
        self.times: dict[int, list[float]] = {}

    def update(self) -> None:
        new = self.standin.requests[self.seen :]
        self.seen += len(new)
        now = time.perf_counter()
        for r in new:
            if r.route == MESSAGES and r.method == "POST" and r.status == 200:
                self.times.setdefault(int(r.path.split("/")[2]), []).append(now)

    def count(self, channels: range) -> int:
        return sum(1 for c in channels if c in self.times)


async def scenario(name: str, channels: range, flood: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "fair.db"
        await prepare(db, channels, bulk_pack=flood == "update")
        async with DiscordStandIn(validate_schema=False) as standin:
            standin.add_guild(A, "Bulk", channels=[(c, f"a{c}") for c in channels])
            standin.add_guild(B, "Small", channels=[(B_CHANNEL, "news")])
            standin.global_limit = GlobalRateLimit(50)
            process = start_bot(standin, db, rate=48, concurrency=8)
            try:
                await wait_ready(standin, process)
                seen = Deliveries(standin)
                b_published = float("inf")

                def done() -> bool:  # B's own card (in a fan-out B gets the global card too)
                    seen.update()  # on every request: each is timed as it is answered
                    b_own = any(t > b_published for t in seen.times.get(B_CHANNEL, []))
                    return b_own and seen.count(channels) == len(channels)

                waiting = asyncio.create_task(standin.wait_for(done, timeout=180, what=name))
                started = time.perf_counter()
                if flood == "fan-out":
                    process.send_signal(signal.SIGUSR1)  # one global card to every channel
                else:
                    note = " Revised." if flood == "update" else ""
                    request(db, process, guild=A, slug="a-bulk", cards=500, note=note)
                await asyncio.sleep(0.5)
                b_published = time.perf_counter()
                request(db, process, guild=B, slug="b-news", cards=1)
                await waiting
                a_last = max(max(t) for c, t in seen.times.items() if c != B_CHANNEL)
                a_posts = sum(len(t) for c, t in seen.times.items() if c != B_CHANNEL)
                b_delay = min(t for t in seen.times[B_CHANNEL] if t > b_published) - b_published
            finally:
                process.terminate()
                process.wait(timeout=10)
            limit = standin.global_limit
    print(f"## {name}")
    print(f"server B's single card: delivered {b_delay:.2f} s after its publication")
    print(f"server A: {a_posts} messages to {len(channels)} channels in {a_last - started:.2f} s")
    if flood == "fan-out":
        total = a_last - started
        verdict = "ok" if total <= 1.15 * BOUND_S else "OVER"
        print(f"  1,000th delivery {total:.2f} s (bound 20 s, target <= 23 s: {verdict})")
    print(f"  429s provoked: {limit.rejected}; busiest second: {limit.busiest_second} requests\n")


async def main() -> None:
    await scenario(
        "bulk import, a new briefing of 500 cards to 100 channels", range(20_000, 20_100), "new"
    )
    await scenario(
        "bulk import, 500 cards updated, to 100 channels", range(20_000, 20_100), "update"
    )
    await scenario("fan-out: one card to 1,000 channels", range(20_000, 21_000), "fan-out")


if __name__ == "__main__":
    asyncio.run(main())
