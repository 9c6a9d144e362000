"""How long /ask's first page is: median, p90 and max visible characters over a fixed list
of questions of every kind on the shipped pack (target: the usual first page <= ~700).

Visible characters: the embed's title, description and fields as a member reads them
(a link counts by its text). Run: `.venv/bin/python bench/bench_answers.py [--show]`.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import tempfile
from pathlib import Path

import discord

from bot.render import answer as render_answer
from briefings.app import open_core

QUESTIONS: list[tuple[str, str]] = [
    ("main-argument", "What does regime change in Syria mean for Russian-Turkish relations?"),
    ("main-argument", "Give me the gist"),
    ("main-argument", "What is the main argument of the article?"),
    ("main-argument", "What does Bechev argue?"),
    ("outlook", "What happens next?"),
    ("outlook", "What does the article predict for Erdoğan?"),
    ("outlook", "What comes next for Russia and Turkey?"),
    ("why", "Why does Ankara have the upper hand now?"),
    ("why", "Why did Erdoğan accept Assad's survival?"),
    ("why", "Why must Erdogan talk to Trump?"),
    ("why", "How did Putin pressure Erdoğan?"),
    ("who", "Who toppled Assad?"),
    ("who", "Who reported that Russia asked Turkey for help?"),
    ("who", "Who wrote the article?"),
    ("when", "When does the Gazprom Naftogaz transit contract expire?"),
    ("when", "On what day did Turkey shoot down the Su-24?"),
    ("when", "When did Erdoğan warn of a Russian lake?"),
    ("how-many", "How many Syrian refugees are in Turkey?"),
    ("how-many", "How many Russian troops are in Syria?"),
    ("comparison", "How did Russia's leverage compare before and after Assad's fall?"),
    ("definition", "What is the Astana process?"),
    ("definition", "What is TurkStream?"),
    ("paraphrase", "Did Russia put an embargo on Turkey?"),
    ("paraphrase", "What about the asylum seekers?"),
    ("paraphrase", "Who overthrew Assad?"),
    ("paraphrase", "Is Erdoğan a go-between for Putin and the West?"),
    ("opener", "Apart from Syria, where has Russia lost ground?"),
    ("uncovered", "What about Iran's drone deliveries?"),
    ("uncovered", "What does China think?"),
    ("uncovered", "What was Turkey's inflation rate?"),
    ("uncovered", "Did Turkey sell drones to Ukraine?"),
]
LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def visible(embed: discord.Embed) -> int:
    parts = [embed.title or "", embed.description or ""]
    parts += [f"{f.name} {f.value}" for f in embed.fields]
    return len(LINK.sub(r"\1", "\n".join(parts)))


async def main(show: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        async with open_core(Path(tmp) / "bench.db") as core:
            lengths: list[int] = []
            for kind, question in QUESTIONS:
                result = await core.catalogue.ask(question, guild_id=None)
                first = render_answer(result)[0].embeds[0]
                lengths.append(visible(first))
                opening = (result.gap or (result.lead[0] if result.lead else ""))[:90]
                if show:
                    print(f"{lengths[-1]:4d}  {kind:13} {question}\n      -> {opening}")
    ordered = sorted(lengths)
    p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]
    print(
        f"first page, visible characters over {len(ordered)} questions: "
        f"median {statistics.median(ordered):.0f}, p90 {p90}, max {ordered[-1]}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--show", action="store_true", help="print each question's length")
    asyncio.run(main(parser.parse_args().show))
