"""Crash safety: the bot process is SIGKILLed while delivering one card to 500 channels.

The bot runs as a separate process (tests/bot/delivery_bot.py) against the stand-in running
here. After the kill it is started again on the same database: every channel must end up with
the card, and the only duplicates allowed are the messages that were in flight at the kill
(sent, but not yet confirmed in the outbox): at most the dispatcher's concurrency.
"""

from __future__ import annotations

import asyncio
import signal
import sqlite3
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

REPO = Path(__file__).resolve().parents[2]
GUILD = 111
CHANNELS = range(10_000, 10_500)
CONCURRENCY = 8
KILL_AFTER = 150
LATENCY = 0.15
"""Seconds the stand-in holds each answer, like a real API: messages are in flight for that
long, so the kill catches several of them sent but not yet confirmed."""


async def prepare(db: Path) -> None:
    """A seeded store, 500 channel subscriptions, then one new card: 500 outbox rows."""
    async with open_store(db) as store:
        subs = SubscriptionStore(store.db)
        now = datetime.now(UTC)
        for channel_id in CHANNELS:
            request = NewSubscription(Target.CHANNEL, GUILD, channel_id, None, created_by=1)
            await subs.create(request, now=now, at_most=1)
        await load_pack(store, sample_pack(slug="breaking-news", cards=1))
        assert (await OutboxStore(store.db).counts()) == {"pending": len(CHANNELS)}


def start(standin: DiscordStandIn, db: Path, log: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "tests.bot.delivery_bot", "--port", str(standin.port)]
    command += ["--db", str(db), "--concurrency", str(CONCURRENCY), "--poll", "0.05"]
    with log.open("ab") as sink:
        return subprocess.Popen(command, cwd=REPO, stdout=sink, stderr=subprocess.STDOUT)


def received(standin: DiscordStandIn) -> Counter[int]:
    return Counter({c: len(standin.channel_messages(c)) for c in CHANNELS})


def peek(db: Path, sql: str) -> list[tuple[Any, ...]]:
    """Read the database beside the running bot: read-only, without the store (whose
    single-instance guard would rightly refuse a second opener)."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return conn.execute(sql).fetchall()


async def outbox(db: Path) -> dict[str, int]:
    return dict(peek(db, "SELECT state, count(*) FROM outbox GROUP BY state"))


async def unconfirmed(db: Path, got: Counter[int]) -> int:
    """Channels that have the card while their outbox row is not marked delivered."""
    rows = peek(
        db,
        "SELECT s.channel_id FROM outbox o JOIN subscriptions s ON s.id = o.subscription_id "
        "WHERE o.state != 'delivered'",
    )
    return sum(1 for row in rows if got[row[0]] > 0)


async def finished(db: Path) -> None:
    for _ in range(400):
        counts = await outbox(db)
        if counts == {"delivered": len(CHANNELS)}:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"outbox never settled: {await outbox(db)}")


def stop(process: subprocess.Popen[Any], sig: signal.Signals) -> None:
    if process.poll() is None:
        process.send_signal(sig)
    process.wait(timeout=10)


async def test_sigkill_mid_delivery_to_500_channels_loses_nothing_and_duplicates_at_most_in_flight(
    tmp_path: Path, record_property: Any
) -> None:
    db, log = tmp_path / "crash.db", tmp_path / "bot.log"
    await prepare(db)
    async with DiscordStandIn(validate_schema=False) as standin:
        standin.add_guild(GUILD, "Crash Guild", channels=[(c, f"c{c}") for c in CHANNELS])
        standin.response_delay = LATENCY
        first = start(standin, db, log)
        try:
            await standin.wait_for(
                lambda: sum(received(standin).values()) >= KILL_AFTER,
                timeout=20,
                what=f"{KILL_AFTER} deliveries before the kill",
            )
        finally:
            stop(first, signal.SIGKILL)
        await asyncio.sleep(0.3)  # requests that reached the stand-in before the kill land
        before = received(standin)
        in_flight = await unconfirmed(db, before)
        second = start(standin, db, log)
        try:
            await standin.wait_for(
                lambda: all(received(standin).values()),
                timeout=25,
                what=f"every channel to have the card; log: {log}",
            )
            await finished(db)
        finally:
            stop(second, signal.SIGTERM)
        after = received(standin)
    duplicates = sum(count - 1 for count in after.values())
    print(
        f"\ncrash test: killed after {sum(before.values())} of {len(CHANNELS)} deliveries; "
        f"{in_flight} in flight (sent, unconfirmed) at the kill; {duplicates} duplicates; "
        f"concurrency {CONCURRENCY}"
    )
    record_property("delivered_before_kill", sum(before.values()))
    record_property("in_flight_at_kill", in_flight)
    record_property("duplicates", duplicates)
    assert min(after.values()) == 1 and len(after) == len(CHANNELS)
    assert duplicates == in_flight <= CONCURRENCY
