"""Bot benchmark through the loopback stand-in: the bot runs in its own process.

For each command: p50/p99 latency from dispatching INTERACTION_CREATE to receiving the
interaction callback, sequentially and with 50 concurrent users, with the shipped pack and
with 10,000 extra cards; beside it, in the same run, a minimal discord.py bot answering a
constant (the floor). Also: start-up to the first answered command, and resident memory.
Targets: p99 <= 1.5 x the floor's p99 and <= 20 ms; start-up <= 2 s; RSS <= 100 MB.
The stand-in checks limits but skips OpenAPI validation here: it shares the driver's
event loop, and validating large bodies there would be charged to the bot.
Run from the repository root: .venv/bin/python bench/bench_bot.py [--rounds N]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_core import generated_pack
from briefings.models import PackFile
from briefings.store import load_pack, open_store
from tests.discord_standin.server import DiscordStandIn

GUILD, CHANNEL, USERS = 111, 222, range(5000, 5050)
COMMANDS: list[tuple[str, dict[str, Any]]] = [
    ("briefing", {}),
    ("briefing", {"section": 14}),
    ("actor", {"name": "erdgoan"}),
    ("event", {"name": "Su-24"}),
    ("timeline", {}),
    ("leverage", {}),
    ("leverage", {"domain": "energy"}),
    ("ask", {"question": "How many Syrian refugees are in Turkey?"}),
]


def label(name: str, options: dict[str, Any]) -> str:
    return f"/{name} " + " ".join(f"{k}:{v}" for k, v in options.items())


def pct(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[int(len(ordered) * 0.99)] * 1000


async def latency(standin: DiscordStandIn, name: str, options: dict[str, Any], user: int) -> float:
    reply = await standin.slash(
        name, options=options, user=user, guild_id=GUILD, channel_id=CHANNEL, timeout=10
    )
    record = standin.interactions[reply.token]
    assert record.callback_latency is not None
    return record.callback_latency


async def measure(
    standin: DiscordStandIn, name: str, options: dict[str, Any], rounds: int
) -> tuple[float, list[float], list[float]]:
    """The first (uncached) call, then repeated calls alone and 50 at a time."""
    cold = await latency(standin, name, options, USERS[0])
    sequential = [await latency(standin, name, options, USERS[0]) for _ in range(rounds)]
    concurrent: list[float] = []
    for _ in range(max(1, rounds // 10)):
        concurrent += await asyncio.gather(*(latency(standin, name, options, u) for u in USERS))
    return cold, sequential, concurrent


async def start_process(
    standin: DiscordStandIn, kind: str, db: Path
) -> tuple[subprocess.Popen[bytes], float]:
    """Spawn the bot; return it and the seconds until it answered its first command."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bench._bot_process",
            "--port",
            str(standin.port),
            "--kind",
            kind,
            "--db",
            str(db),
        ],
        cwd=Path(__file__).resolve().parents[1],
    )
    probe = ("ping", {}) if kind == "floor" else ("ask", {"question": "What is TurkStream?"})
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{kind} process exited with {process.returncode}")
        try:
            await standin.slash(
                probe[0],
                options=probe[1],
                user=USERS[0],
                guild_id=GUILD,
                channel_id=CHANNEL,
                timeout=0.5,
            )
            return process, time.perf_counter() - started
        except Exception:
            await asyncio.sleep(0.02)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    process.wait(timeout=10)


async def scenario(title: str, db: Path, rounds: int, floor_p99: float) -> None:
    async with DiscordStandIn(callback_deadline=30, validate_schema=False) as standin:
        for user in USERS:
            standin.make_user(user, f"user{user}")
        standin.add_guild(GUILD, "Bench Guild", channels=[(CHANNEL, "general")])
        for user in USERS:
            standin.add_member(GUILD, user)
        process, startup = await start_process(standin, "bot", db)
        try:
            rss = psutil.Process(process.pid).memory_info().rss / 1e6
            print(
                f"\n## {title}\nstart-up to first answered command: {startup:.2f} s; "
                f"RSS after start: {rss:.0f} MB"
            )
            print(
                f"{'command':<44} {'cold':>7} {'seq p50':>8} {'seq p99':>8} {'50x p50':>8} "
                f"{'50x p99':>8}"
            )
            for name, options in COMMANDS:
                cold, seq, conc = await measure(standin, name, options, rounds)
                s50, s99 = pct(seq)
                c50, c99 = pct(conc)
                flag = " " if s99 <= min(20, 1.5 * floor_p99) else " *"
                print(
                    f"{label(name, options)[:44]:<44} {cold * 1000:7.2f} {s50:8.2f} {s99:8.2f} "
                    f"{c50:8.2f} {c99:8.2f}{flag}"
                )
            rss = psutil.Process(process.pid).memory_info().rss / 1e6
            print(f"RSS after the run: {rss:.0f} MB   (ms; * = over target)")
        finally:
            stop(process)


async def floor(rounds: int, db: Path) -> float:
    async with DiscordStandIn(callback_deadline=30, validate_schema=False) as standin:
        for user in USERS:
            standin.make_user(user, f"user{user}")
        standin.add_guild(GUILD, "Bench Guild", channels=[(CHANNEL, "general")])
        process, startup = await start_process(standin, "floor", db)
        try:
            cold, seq, conc = await measure(standin, "ping", {}, rounds)
        finally:
            stop(process)
    s50, s99 = pct(seq)
    c50, c99 = pct(conc)
    print(f"## floor: minimal discord.py bot answering a constant (start-up {startup:.2f} s)")
    print(f"{'/ping':<44} {cold * 1000:7.2f} {s50:8.2f} {s99:8.2f} {c50:8.2f} {c99:8.2f}")
    return s99


async def main(rounds: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        shipped, large = Path(tmp) / "shipped.db", Path(tmp) / "large.db"
        async with open_store(large) as store:
            await load_pack(store, PackFile.model_validate(generated_pack(10_000)))
        floor_p99 = await floor(rounds, Path(tmp) / "floor.db")
        await scenario("shipped pack", shipped, rounds, floor_p99)
        await scenario("shipped pack + 10,000 generated cards", large, rounds, floor_p99)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=200)
    asyncio.run(main(parser.parse_args().rounds))
