"""Chart commands through the loopback stand-in: the bot in its own process (bench_bot's).

For /leverage, /timeline and the actor map (/actor, then its "Actor map" button): the time
from dispatching the interaction to its callback (the text; must be < 3 s) and to the
image arriving (the edit that attaches it), the first time (drawn) and from the cache.
Then 50 members at once (cached), and 10 different timelines at once (all drawn: they
queue on the render lock while every text answer still goes out at once).
Run from the repository root: .venv/bin/python bench/bench_chart_commands.py [--rounds N]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_bot import CHANNEL, GUILD, USERS, start_process, stop
from tests.discord_standin.models import Reply
from tests.discord_standin.server import DiscordStandIn

DEADLINE_S = 3.0
IMAGE_TIMEOUT_S = 60.0
Timing = tuple[float, float]
"""Seconds from dispatch to the callback, and to the image."""

COMMANDS: list[tuple[str, dict[str, Any]]] = [
    ("leverage", {}),
    ("leverage", {"actor": "Turkey"}),
    ("leverage", {"domain": "energy"}),
    ("timeline", {}),
    ("timeline", {"actor": "Armenia"}),
]
ACTORS = ["Russia", "Armenia", "Erdogan", "Putin", "Assad", "HTS", "Iran", "Ukraine"]
"""Actors with stated ties (the map is offered only for those); Turkey's is drawn above."""
TIMELINES = ["Turkey", "Russia", "Erdogan", "Putin", "Assad", "Iran", "Ukraine", "Azerbaijan"]


def label(name: str, options: dict[str, Any]) -> str:
    return f"/{name} " + " ".join(f"{k}:{v}" for k, v in options.items())


async def image_of(standin: DiscordStandIn, reply: Reply) -> Timing:
    record = standin.interactions[reply.token]
    assert record.callback_latency is not None
    await standin.wait_for(lambda: reply.latest().files, timeout=IMAGE_TIMEOUT_S, what="a chart")
    return record.callback_latency, asyncio.get_running_loop().time() - record.created_at


async def command(standin: DiscordStandIn, name: str, options: dict[str, Any], user: int) -> Timing:
    reply = await standin.slash(
        name, options=options, user=user, guild_id=GUILD, channel_id=CHANNEL, timeout=30
    )
    return await image_of(standin, reply)


async def profile(standin: DiscordStandIn, actor: str, user: int) -> Reply:
    return await standin.slash(
        "actor", name=actor, user=user, guild_id=GUILD, channel_id=CHANNEL, timeout=30
    )


async def press(standin: DiscordStandIn, profile: Reply, user: int) -> Timing:
    """The "Actor map" press: its callback (the deferred update) and the edit with the map."""
    custom_id = next(
        c["custom_id"]
        for row in profile.components
        for c in row["components"]
        if c.get("label") == "Actor map"
    )
    pressed = await standin.click(profile, custom_id, user=user, timeout=30, wait_deferred=False)
    record = standin.interactions[pressed.token]
    assert record.callback_latency is not None
    await standin.wait_for(
        lambda: profile.latest().files, timeout=IMAGE_TIMEOUT_S, what="the actor map"
    )
    return record.callback_latency, asyncio.get_running_loop().time() - record.created_at


async def actor_map(standin: DiscordStandIn, actor: str, user: int) -> Timing:
    return await press(standin, await profile(standin, actor, user), user)


async def actor_maps(standin: DiscordStandIn, actors: list[str]) -> list[Timing]:
    """Many members press at once. The profiles are sent first and left a moment: discord.py
    listens to a message's buttons only once it has read the reply, and no person clicks
    within milliseconds of a message appearing."""
    users = USERS[: len(actors)]
    shown = await asyncio.gather(
        *(profile(standin, a, u) for a, u in zip(actors, users, strict=True))
    )
    await asyncio.sleep(1.0)
    return await asyncio.gather(*(press(standin, s, u) for s, u in zip(shown, users, strict=True)))


def p(samples: list[float], q: float) -> float:
    """The q-quantile of `samples` seconds, in milliseconds."""
    ordered = sorted(samples)
    return ordered[min(int(len(ordered) * q), len(ordered) - 1)] * 1000


def row(what: str, first: Timing, cached: list[Timing]) -> str:
    callbacks, images = [c for c, _ in cached], [i for _, i in cached]
    late = "  LATE" if max(first[0], *callbacks) >= DEADLINE_S else ""
    return (
        f"{what:<34} {first[0] * 1000:8.1f} {first[1] * 1000:8.1f}   "
        f"{p(callbacks, 0.5):7.1f} {p(callbacks, 0.99):7.1f}   "
        f"{p(images, 0.5):7.1f} {p(images, 0.99):7.1f}{late}"
    )


def group(what: str, timings: list[Timing]) -> str:
    """Timings of interactions sent together: the spread is the queue."""
    columns = []
    for samples in ([c for c, _ in timings], [i for _, i in timings]):
        columns.append(f"{p(samples, 0.5):7.1f} {p(samples, 0.99):7.1f} {max(samples) * 1000:7.1f}")
    late = "  LATE" if max(c for c, _ in timings) >= DEADLINE_S else ""
    return f"{what:<34} {columns[0]}   {columns[1]}{late}"


async def main(rounds: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        async with DiscordStandIn(callback_deadline=30, validate_schema=False) as standin:
            for user in USERS:
                standin.make_user(user, f"user{user}")
            standin.add_guild(GUILD, "Bench Guild", channels=[(CHANNEL, "general")])
            for user in USERS:
                standin.add_member(GUILD, user)
            process, startup = await start_process(standin, "bot", Path(tmp) / "bench.db")
            try:
                await run(standin, rounds, startup)
                assert not standin.problems, standin.problems
            finally:
                stop(process)


async def run(standin: DiscordStandIn, rounds: int, startup: float) -> None:
    print(f"bot answered its first command {startup:.2f} s after start (matplotlib loads after)")
    print(f"{'':<34} {'first (drawn)':>17}   {'cached callback':>15}   {'cached image':>15}")
    print(
        f"{'(ms from dispatch)':<34} {'callback':>8} {'image':>8}   "
        f"{'p50':>7} {'p99':>7}   {'p50':>7} {'p99':>7}"
    )
    user = USERS[0]
    for name, options in COMMANDS:
        first = await command(standin, name, options, user)
        cached = [await command(standin, name, options, user) for _ in range(rounds)]
        print(row(label(name, options), first, cached))
    first = await actor_map(standin, "Turkey", user)
    cached = [await actor_map(standin, "Turkey", user) for _ in range(rounds)]
    print(row("Actor map button (Turkey)", first, cached))

    print(f"\n{'at once (ms from dispatch)':<34} {'callback':>23}   {'image':>23}")
    print(f"{'':<34} " + f"{'p50':>7} {'p99':>7} {'max':>7}   " * 2)
    for name, options in COMMANDS[:1] + COMMANDS[3:4]:
        together = await asyncio.gather(*(command(standin, name, options, u) for u in USERS))
        print(group(label(name, options) + "x50, cached", together))
    print(group("Actor map x50, cached", await actor_maps(standin, ["Turkey"] * len(USERS))))
    drawn = await asyncio.gather(
        *(
            command(standin, "timeline", {"actor": a}, u)
            for a, u in zip(TIMELINES, USERS, strict=False)
        )
    )
    print(group(f"/timeline, {len(drawn)} actors, all drawn", drawn))
    maps = await actor_maps(standin, ACTORS)
    print(group(f"Actor map, {len(maps)} actors, all drawn", maps))
    print(
        "\nslowest callback overall: "
        f"{max(r.callback_latency or 0 for r in standin.interactions.values()) * 1000:.1f} ms "
        f"(deadline {DEADLINE_S * 1000:.0f} ms)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    asyncio.run(main(parser.parse_args().rounds))
