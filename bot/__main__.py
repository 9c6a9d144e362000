"""`python -m bot`: settings -> logging -> core -> bot (the composition root)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

import aiohttp
import discord

from bot.client import BriefingBot
from bot.health import PortUnavailable
from bot.health.logs import setup_logging
from bot.settings import Settings, load_settings_or_exit
from briefings.app import open_core
from briefings.errors import StoreError

log = logging.getLogger(__name__)

# A bot with no voice: discord.py's start-up warnings about PyNaCl and davey are noise.
discord.VoiceClient.warn_nacl = False
discord.VoiceClient.warn_dave = False


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="briefing-bot", description="Run the briefing bot.")
    parser.add_argument(
        "--sync", action="store_true", help="force a global command sync at start (owner action)"
    )
    return parser.parse_args()


async def main(settings: Settings, *, force_sync: bool) -> None:
    setup_logging(
        settings.log_level, settings.log_format, token=settings.discord_token.get_secret_value()
    )
    async with open_core(settings.database) as core:
        log.info("store ready at %s", core.database)
        async with BriefingBot(settings=settings, core=core, force_sync=force_sync) as bot:
            await bot.start(settings.discord_token.get_secret_value())


def run() -> None:
    args = parse_args()
    settings = load_settings_or_exit()
    try:
        asyncio.run(main(settings, force_sync=args.sync))
    except StoreError as exc:  # unusable database (in use, unreadable, bad path): exit 2
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    except PortUnavailable as exc:
        raise SystemExit(f"error: {exc}") from None
    except discord.LoginFailure:
        raise SystemExit(
            "error: Discord refused the token (DISCORD_TOKEN). Reset it in the "
            "Developer Portal and update your .env."
        ) from None
    except aiohttp.ClientError as exc:
        raise SystemExit(f"error: cannot reach Discord ({exc}). Check the network.") from None
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    run()
