"""Chart benchmark: render time (cold, warm, from cache) and PNG size of each image.

"cold" is the first render in a fresh process: it includes importing matplotlib and
loading fonts, which a bot pays once (`charts_available()` at startup pre-pays it).
"warm" renders the same inputs again with no cache; "cached" is a `ChartCache` hit.
Run: .venv/bin/python bench/bench_charts.py [--rounds N]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from briefings import charts
from briefings.briefing import Briefing
from briefings.charts import Chart, ChartCache
from briefings.models import Domain, Event, EventDate, Precision
from briefings.store import open_store

Job = tuple[str, Callable[[], Chart], Callable[[ChartCache], Chart]]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def timed(work: Callable[[], Chart]) -> tuple[float, Chart]:
    start = time.perf_counter()
    chart = work()
    return time.perf_counter() - start, chart


def many_events(count: int, seed: int = 5) -> list[Event]:
    rng = random.Random(seed)
    events = []
    for i in range(count):
        start = date(2000, 1, 1) + timedelta(days=rng.randrange(9000))
        precision = rng.choice(list(Precision))
        when = (
            EventDate(precision=precision, text="undated")
            if precision is Precision.UNDATED
            else EventDate(precision=precision, text="dated", start=start)
        )
        domains = rng.sample(list(Domain), rng.randint(0, 2))
        events.append(
            Event(
                id=f"e{i}",
                title=f"Generated event {i}",
                date=when,
                domains=domains,
                what="w",
                why="y",
            )
        )
    return events


async def jobs(core: Briefing) -> list[Job]:
    views = await core.leverage(guild_id=None)
    turkey = await core.resolve_actor("Turkey", guild_id=None)
    focused = await core.leverage(guild_id=None, actor=turkey)
    entries = await core.timeline(guild_id=None)
    relations = await core.store.relations(guild_id=None)
    actors = (await core.snapshot(guild_id=None)).actors
    generated = many_events(200)
    return [
        ("leverage", lambda: charts.render_leverage_chart(views), lambda c: c.leverage(views)),
        (
            "leverage, Turkey",
            lambda: charts.render_leverage_chart(focused, focus=turkey),
            lambda c: c.leverage(focused, focus=turkey),
        ),
        ("timeline", lambda: charts.render_timeline_chart(entries), lambda c: c.timeline(entries)),
        (
            "timeline, 200 events",
            lambda: charts.render_timeline_chart(generated),
            lambda c: c.timeline(generated),
        ),
        (
            "actor map, Turkey",
            lambda: charts.render_actor_map(turkey, relations, actors),
            lambda c: c.actor_map(turkey, relations, actors),
        ),
    ]


def measure(job: Job, rounds: int, cold: bool) -> str:
    name, render, cached = job
    first, chart = timed(render)
    warm = statistics.median(timed(render)[0] for _ in range(rounds))
    cache = ChartCache()
    cached(cache)  # the miss that fills it
    hit = statistics.median(timed(lambda: cached(cache))[0] for _ in range(rounds))
    assert cache.hits == rounds and cache.misses == 1
    label = "cold" if cold else "first"
    return (
        f"{name:22} {label} {ms(first)}  warm {ms(warm)}  cached {ms(hit)}  "
        f"png {len(chart.png) / 1024:6.1f} KiB  {chart.width}x{chart.height}"
    )


async def main(rounds: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        async with open_store(Path(tmp) / "bench.db") as store:  # seeded with the pack
            work = await jobs(Briefing(store))
    for i, job in enumerate(work):
        print(measure(job, rounds, cold=i == 0))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    asyncio.run(main(parser.parse_args().rounds))
