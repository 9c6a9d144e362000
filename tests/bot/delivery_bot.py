"""A bot process for the delivery crash test and benchmark: the real BriefingBot, pointed at a
stand-in on the given port, with the delivery settings given on the command line.

The store must already exist (created, seeded and with its subscriptions) so that a restart
changes nothing in it: `open_store(seed=False)`. Not a user-facing entry point.

The store is this process's alone (the single-instance guard), so a benchmark publishes a
card by sending SIGUSR1: the bot process loads a new one-card pack into its own store. With
SIGUSR2 it loads the server's pack that `<db>.request` describes (JSON: guild, slug, cards),
all in one change set, as an import does (the fair-sharing benchmark).

    python -m tests.bot.delivery_bot --port 43121 --db /tmp/x.db [--rate 48] [--concurrency 8]

`--db` may be a postgresql:// URL (several such processes share it); `--lease` shortens the
PostgreSQL outbox's claim lease for a test that kills one of them.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal
import sys
from pathlib import Path

import tests.discord_standin  # noqa: F401 - imports discord with the audioop warning silenced
from bot.client import BriefingBot
from bot.delivery import DeliveryConfig
from bot.settings import Settings
from briefings.app import build_core
from briefings.models import PackFile
from briefings.store import CardStore, load_pack, open_store
from tests.briefings.sample import sample_pack, sample_pack_data
from tests.discord_standin.patching import patched_discord

TOKEN = "MTAxMjM0NTY3ODkwMTIzNDU2.GaBcDe.abcdefghijklmnopqrstuvwxyz012345"


async def run(args: argparse.Namespace) -> None:
    base = f"http://127.0.0.1:{args.port}"
    settings = Settings(_env_file=None, discord_token=TOKEN, database_path=args.db)  # type: ignore[call-arg]
    config = DeliveryConfig(
        rate=args.rate or None, concurrency=args.concurrency, poll_interval=args.poll
    )
    with patched_discord(f"{base}/api/v10", f"ws://127.0.0.1:{args.port}/gateway", f"{base}/cdn"):
        async with open_store(args.db, seed=False) as store:
            publishing: set[asyncio.Task[None]] = set()

            def publish() -> None:
                task = asyncio.create_task(publish_card(store, len(publishing) + 1))
                publishing.add(task)  # kept: also numbers the next pack

            def publish_requested() -> None:
                request = json.loads(Path(f"{args.db}.request").read_text())
                task = asyncio.create_task(guild_pack(store, **request))
                publishing.add(task)

            asyncio.get_running_loop().add_signal_handler(signal.SIGUSR1, publish)
            asyncio.get_running_loop().add_signal_handler(signal.SIGUSR2, publish_requested)
            async with BriefingBot(
                settings=settings, core=build_core(store), delivery=config
            ) as bot:
                await bot.start(TOKEN)


async def publish_card(store: CardStore, number: int) -> None:
    await load_pack(store, sample_pack(slug=f"bench-news-{number}", cards=1))


async def guild_pack(store: CardStore, guild: int, slug: str, cards: int, note: str = "") -> None:
    """A server's pack of `cards` cards in one change set (`note` edits every summary)."""
    data = sample_pack_data(slug=slug, cards=cards)
    for section in ("actors", "events", "leverage", "cards"):
        for record in data[section]:
            record["guild_id"] = guild
    for card in data["cards"]:
        card["summary"] += note
    await load_pack(store, PackFile.model_validate(data))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--db", required=True, help="a SQLite file or a postgresql:// URL")
    parser.add_argument("--lease", type=float, help="PostgreSQL claim lease, seconds")
    parser.add_argument("--rate", type=float, default=48.0, help="requests/s; 0: no cap")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--poll", type=float, default=0.1)
    args = parser.parse_args()
    if args.lease:
        from datetime import timedelta

        from briefings.store import postgres_outbox

        postgres_outbox.LEASE = timedelta(seconds=args.lease)
    # SIGTERM: a clean stop (the dispatcher finishes what is in flight); SIGKILL is the test.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run(args))
    sys.exit(0)


if __name__ == "__main__":
    main()
