"""`ask` on PostgreSQL beside SQLite: the same store (10,000 generated cards plus the shipped
pack, bench_core's generator), the same questions (bench_core's and the held-out ones), each
asked once (first time: nothing cached), p50/p99 per backend; and the pack import rate.

PostgreSQL runs as a throwaway local cluster (tests/pg_cluster.py; fsync off, one machine), so
the figures are the store's and the driver's cost, not a network's.
Run: .venv/bin/python bench/bench_pg.py [--cards N]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from bench_core import QUESTIONS, generated_pack, percentiles, timed

from briefings.briefing import Briefing
from briefings.models import PackFile
from briefings.store import load_pack, open_store
from tests.briefings.heldout import load
from tests.pg_cluster import running_cluster, unavailable_reason


async def measure(location: Path | str, label: str, pack: PackFile) -> None:
    async with open_store(location) as store:
        start = time.perf_counter()
        await load_pack(store, pack)
        took = time.perf_counter() - start
        core = Briefing(store)
        await core.name_index(guild_id=None)
        await core.ask("warm up the answer engine", guild_id=None)
        gc.collect()
        gc.freeze()
        asks: list[float] = []
        for question in [*QUESTIONS, *(item.q for item in load())]:
            await timed(asks, core.ask(question, guild_id=None))
        gc.unfreeze()
        print(
            f"{label:<10} import {len(pack.cards) / took:>7,.0f} cards/s   ask, first time: ",
            end="",
        )
        print(percentiles(asks))


async def main(cards: int) -> None:
    pack = PackFile.model_validate(generated_pack(cards))
    with tempfile.TemporaryDirectory() as tmp:
        await measure(Path(tmp) / "bench.db", "SQLite", pack)
    reason = unavailable_reason()
    if reason:
        print(f"PostgreSQL: skipped ({reason})")
        return
    with running_cluster() as cluster:
        await measure(cluster.database(), "PostgreSQL", pack)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--cards", type=int, default=10_000)
    asyncio.run(main(parser.parse_args().cards))
