"""Print each held-out question's answer and verdict (`-v`: all of them).

Run: `.venv/bin/python -m tests.briefings.run_heldout [-v]`.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from collections import Counter
from pathlib import Path

from briefings.app import open_core
from briefings.text import answer as render
from tests.briefings.heldout import failures, load


async def main(verbose: bool) -> None:
    items = load()
    ok: Counter[str] = Counter()
    total: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        async with open_core(Path(tmp) / "h.db") as core:
            for item in items:
                answer = await core.catalogue.ask(item.q, guild_id=None)
                missing = failures(item, answer)
                total[item.kind] += 1
                ok[item.kind] += not missing
                if missing or verbose:
                    print(f"{'FAIL' if missing else 'ok  '} [{item.kind}] {item.q}  {missing}")
                    print("    " + render(answer)[:600].replace("\n", "\n    "))
    print(f"passed {sum(ok.values())}/{sum(total.values())}")
    for kind in total:
        print(f"  {kind}: {ok[kind]}/{total[kind]}")


if __name__ == "__main__":
    asyncio.run(main("-v" in sys.argv))
