"""A bot process for bench_bot.py: the real BriefingBot (or a constant-answer floor bot),
pointed at the loopback stand-in on the given port. Not a user-facing entry point."""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import signal
import sys
from pathlib import Path

import discord
from discord import app_commands
from discord.ext import commands

from tests.discord_standin.patching import patched_discord

TOKEN = "MTAxMjM0NTY3ODkwMTIzNDU2.GaBcDe.abcdefghijklmnopqrstuvwxyz012345"


class FloorBot(commands.Bot):
    """The floor: discord.py answering a constant, nothing else."""

    def __init__(self) -> None:
        super().__init__(command_prefix=commands.when_mentioned, intents=discord.Intents.none())

    async def setup_hook(self) -> None:
        @app_commands.command(name="ping")
        async def ping(interaction: discord.Interaction) -> None:
            """Answer a constant."""
            await interaction.response.send_message(embed=discord.Embed(title="pong"))

        self.tree.add_command(ping)
        await self.tree.sync()


async def run(port: int, kind: str, db: Path) -> None:
    base = f"http://127.0.0.1:{port}"
    with patched_discord(f"{base}/api/v10", f"ws://127.0.0.1:{port}/gateway", f"{base}/cdn"):
        await start(kind, db)


async def start(kind: str, db: Path) -> None:
    if kind == "floor":
        async with FloorBot() as floor:
            await floor.start(TOKEN)
        return
    from bot.client import BriefingBot
    from bot.settings import Settings
    from briefings.app import open_core

    settings = Settings(_env_file=None, discord_token=TOKEN, database_path=db)  # type: ignore[call-arg]
    async with open_core(db) as core, BriefingBot(settings=settings, core=core) as bot:
        await bot.start(TOKEN)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--kind", choices=["bot", "floor"], default="bot")
    parser.add_argument("--db", type=Path, default=Path("bench.db"))
    args = parser.parse_args()
    profile_to = os.environ.get("BENCH_PROFILE")  # a cProfile dump of the bot, on SIGTERM
    profiler = cProfile.Profile() if profile_to else None
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    if profiler:
        profiler.enable()
    try:
        asyncio.run(run(args.port, args.kind, args.db))
    except KeyboardInterrupt:
        pass
    finally:
        if profiler and profile_to:
            profiler.disable()
            profiler.dump_stats(profile_to)
    sys.exit(0)
