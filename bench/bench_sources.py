"""What a source costs: importing trafilatura and dateparser (time, RSS), extracting an
article page, drafting an article (cold, then warm), in a fresh process each.

Run: `.venv/bin/python bench/bench_sources.py` (the shipped article is used when
../shared/seeds holds it; the tests' small article otherwise).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEEDS = [REPO.parent / "shared" / "seeds", Path("/work/shared/seeds")]

PROBE = """
import resource, sys, time
sys.path.insert(0, {repo!r})
def rss(): return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
start, t = rss(), time.perf_counter()
{body}
print(f"{{time.perf_counter() - t:.3f}} s, +{{rss() - start:.0f}} MB")
"""

CASES = {
    "import trafilatura": "import trafilatura",
    "import dateparser.date": "import dateparser.date",
    "extract the test article's HTML (cold: imports included)": (
        "from briefings.sources.extract import extract\n"
        "from tests.briefings.source_article import HTML\n"
        "extract(HTML.encode(), 'text/html')"
    ),
    "a 2 MB menu-heavy page in a thread (warm): worst event-loop lag": (
        "import asyncio\n"
        "from briefings.sources.extract import extract\n"
        "from tests.bot.watchdog import LoopWatchdog\n"
        "from tests.briefings.source_article import heavy_page\n"
        "raw = heavy_page(links=22_000); extract(raw, 'text/html')\n"
        "async def run():\n"
        "    async with LoopWatchdog() as dog:\n"
        "        await asyncio.to_thread(extract, raw, 'text/html')\n"
        "    return dog.worst\n"
        "t = time.perf_counter(); start = rss()\n"
        "worst = asyncio.run(run()); print(f'lag {{worst * 1000:.0f}} ms,', end=' ')"
    ),
    "the same page in the worker process (warm), as the bot does it": (
        "import asyncio\n"
        "from briefings.sources.worker import extract_off_loop\n"
        "from tests.bot.watchdog import LoopWatchdog\n"
        "from tests.briefings.source_article import heavy_page\n"
        "raw = heavy_page(links=22_000)\n"
        "async def run():\n"
        "    await extract_off_loop(raw, 'text/html', None)\n"
        "    async with LoopWatchdog() as dog:\n"
        "        t = time.perf_counter()\n"
        "        await extract_off_loop(raw, 'text/html', None)\n"
        "    return dog.worst, time.perf_counter() - t\n"
        "start = rss()\n"
        "worst, took = asyncio.run(run()); print(f'lag {{worst * 1000:.0f}} ms,', end=' ')\n"
        "t = time.perf_counter() - took"
    ),
    "draft {name} (cold: dateparser's first parse included)": (
        "from briefings.sources.draft import draft\n"
        "from briefings.search import NameIndex\n"
        "draft(open({path!r}).read(), NameIndex())"
    ),
    "draft {name} (warm: a second time)": (
        "from briefings.sources.draft import draft\n"
        "from briefings.search import NameIndex\n"
        "text = open({path!r}).read(); draft(text, NameIndex())\n"
        "t = time.perf_counter(); start = rss()\n"
        "draft(text, NameIndex())"
    ),
}


def article() -> tuple[str, str]:
    for folder in SEEDS:
        found = sorted(folder.glob("000_*.txt")) if folder.exists() else []
        if found:
            return "the shipped article", str(found[0])
    from tests.briefings.source_article import MARKDOWN

    path = Path("/tmp/bench_source_article.md")
    path.write_text(MARKDOWN, encoding="utf-8")
    return "the tests' article", str(path)


def main() -> None:
    sys.path.insert(0, str(REPO))
    name, path = article()
    for label, body in CASES.items():
        code = PROBE.format(repo=str(REPO), body=body.format(path=path))
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
        )
        print(f"{label.format(name=name)}: {out.stdout.strip()}")


if __name__ == "__main__":
    main()
