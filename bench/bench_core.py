"""Core benchmark: a store with 10,000 generated cards plus the shipped pack.

Prints p50/p99 of actor resolution and of `ask` (questions of every kind, each asked for the
first time, then repeated), the import rate and the database size.
Targets (2-core machine): ask p99 <= 2 ms, resolution p99 <= 0.5 ms, import >= 5,000 cards/s.
Run: ./run bench   (or .venv/bin/python bench/bench_core.py [--cards N])
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from briefings.briefing import Briefing
from briefings.errors import NotFound
from briefings.models import PackFile
from briefings.store import load_pack, open_store

WORDS = (
    "pipeline corridor tariff harbour garrison ceasefire referendum coalition sanctions "
    "drone frigate treaty summit mediator refinery border militia envoy airfield convoy "
    "grain shipment quota reserve alliance insurgency embargo monitor enclave truce"
).split()

QUESTIONS = [
    "Who reported that Russia asked Turkey for help?",
    "What did Putin call Crimea?",
    "Why must Erdogan talk to Trump?",
    "What did Yerevan do about the CSTO?",
    "What is the Astana process?",
    "Who toppled Assad?",
    "What did the Ukrainian military do?",
    "Is Ankara dependent on Russian energy?",
    "What happened in Idlib in 2019?",
    "What does GUR say about the airlift?",
    "What did Iran and Hezbollah do in Syria?",
    "Where was the article first published?",
    "How many Syrian refugees are in Turkey?",
    "What happened to Russia's bases at Khmeimim and Tartus?",
    "Why does Ankara have the upper hand now?",
    "When does the Gazprom Naftogaz transit contract expire?",
    "What did erdgoan say about a Russian lake?",
    "What does China think?",
    'NEAR(turkey russia) OR "*"',
    "treaty convoy harbour sanctions",
    # every kind /ask tells apart (issue 10): argument, outlook, why, figures, dates,
    # paraphrases, comparisons, definitions, uncovered topics and specifics
    "What does regime change in Syria mean for Russian-Turkish relations?",
    "Give me the gist",
    "What happens next?",
    "What does the article predict for Erdoğan?",
    "Why did Erdoğan accept Assad's survival?",
    "On what day did Turkey shoot down the Su-24?",
    "How many Russian troops are in Syria?",
    "Did Russia put an embargo on Turkey?",
    "What about the asylum seekers?",
    "Who overthrew Assad?",
    "How did Russia's leverage compare before and after Assad's fall?",
    "What about Iran's drone deliveries?",
    "Apart from Syria, where has Russia lost ground?",
    "What was Turkey's inflation rate?",
    "Is Erdoğan a go-between for Putin and the West?",
    "What does the briefing say about volcanoes?",
]
NAMES = [
    "Erdogan",
    "erdgoan",
    "the Kremlin",
    "Türkiye",
    "turky",
    "novorosisk",
    "HTS",
    "Gazprom",
    "Hayat Tahrir al-Sham",
    "Xi Jinping",
    *("Putin Moscow Ankara Yerevan Hmeimim Tartous Naftogaz Washington Hizbullah EU".split()),
    *["Angela Merkel", "Syrian Democratic Forces", "Kurds", "the West", "Gulf"],
]


def generated_pack(cards: int, seed: int = 7) -> dict[str, Any]:
    """Cards of twelve-word sentences over ~3,000 made-up words plus a few domain words,
    so terms are spread across cards as in real text (each domain word is in most cards,
    which keeps the benchmark pessimistic for those queries)."""
    rng = random.Random(seed)
    syllables = ["ka", "lo", "mir", "tan", "vel", "os", "ur", "bre", "dun", "shi", "zor", "ep"]
    vocabulary = WORDS + list({"".join(rng.choices(syllables, k=3)) for _ in range(3000)})
    actors = [
        {
            "id": f"gen-actor-{i}",
            "name": f"Actor {i} {rng.choice(WORDS).title()}",
            "kind": "organisation",
            "aliases": [f"A{i}"],
            "role": "A generated actor.",
        }
        for i in range(200)
    ]

    def sentence(source: random.Random = rng) -> str:
        return " ".join(source.choice(vocabulary) for _ in range(12)).capitalize() + "."

    # Bottom lines from their own stream: the rest of the pack stays as before they existed.
    lines = random.Random(seed + 1)

    return {
        "pack": {
            "slug": "generated",
            "title": "Generated load pack",
            "author": "Bench",
            "publisher": "Bench",
            "published": "2024-01-01",
            "source_url": "https://example.org/generated",
        },
        "actors": actors,
        "cards": [
            {
                "id": f"gen-card-{i}",
                "pack": "generated",
                "section": i % 10_000,
                "title": f"Generated card {i}",
                "bottom_line": sentence(lines),
                "summary": " ".join(sentence() for _ in range(4)),
                "key_points": [sentence() for _ in range(3)],
                "actors": [f"gen-actor-{rng.randrange(200)}" for _ in range(2)],
            }
            for i in range(cards)
        ],
    }


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p50 = statistics.median(ordered)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"p50 {p50 * 1000:.3f} ms  p99 {p99 * 1000:.3f} ms  (n={len(ordered)})"


async def timed(samples: list[float], work: Any) -> None:
    start = time.perf_counter()
    with contextlib.suppress(NotFound):  # a miss ("Xi Jinping") is a result too
        await work
    samples.append(time.perf_counter() - start)


async def main(card_count: int, rounds: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        async with open_store(path) as store:
            data = generated_pack(card_count)
            start = time.perf_counter()
            pack = PackFile.model_validate(data)
            validated = time.perf_counter()
            report = await load_pack(store, pack)
            written = time.perf_counter()
            assert len(report.added) == card_count
            print(
                f"import: {card_count} cards validated in {validated - start:.2f} s, "
                f"written in {written - validated:.2f} s -> "
                f"{card_count / (written - start):,.0f} cards/s end to end"
            )

            core = Briefing(store)
            await core.name_index(guild_id=None)  # built once per store generation
            # So is what answering keeps per generation (concept aliases, the cards' words).
            await core.ask("warm up the answer engine", guild_id=None)
            # As the bot does after start-up (bot/client.py): what start-up built is kept
            # out of the collector's full-heap passes, which otherwise pause now and then.
            gc.collect()
            gc.freeze()
            for label, names, questions in (
                ("first time", NAMES, QUESTIONS),
                ("repeated", NAMES * rounds, QUESTIONS * rounds),
            ):
                resolve: list[float] = []
                ask: list[float] = []
                for name in names:
                    await timed(resolve, core.resolve_actor(name, guild_id=None))
                for question in questions:
                    await timed(ask, core.ask(question, guild_id=None))
                print(f"actor resolution, {label}: {percentiles(resolve)}")
                print(f"ask, {label}:              {percentiles(ask)}")
        size = path.stat().st_size + sum(
            p.stat().st_size for p in path.parent.glob("bench.db-*") if p.exists()
        )
        print(
            f"database size with {card_count:,} generated cards + shipped pack: {size / 1e6:.1f} MB"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=100)
    args = parser.parse_args()
    asyncio.run(main(args.cards, args.rounds))
