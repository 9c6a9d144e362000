"""The real bot, on a real store, connected to the loopback Discord stand-in."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.client import BriefingBot
from briefings.app import build_core
from briefings.store import CardStore, open_store
from tests.bot.support import DAVE, EDITOR_ROLE, OTHER_CHANNEL, OTHER_GUILD, TOKEN, make_settings
from tests.discord_standin.fixtures import GUILD_ID, run_bot
from tests.discord_standin.server import DiscordStandIn


@pytest.fixture
async def bot_store(tmp_path: Path) -> AsyncIterator[CardStore]:
    async with open_store(tmp_path / "bot.db") as store:
        yield store


@pytest.fixture
async def bot(
    standin: DiscordStandIn,
    bot_store: CardStore,
    tmp_path: Path,
) -> AsyncIterator[BriefingBot]:
    standin.make_user(2001, "carol")
    standin.make_user(DAVE, "dave")
    standin.guilds[GUILD_ID].add_role(EDITOR_ROLE, "Editors")
    standin.add_member(GUILD_ID, DAVE, roles=[EDITOR_ROLE])
    standin.add_guild(OTHER_GUILD, "Other Guild", channels=[(OTHER_CHANNEL, "elsewhere")])
    standin.add_member(OTHER_GUILD, 2001)
    client = BriefingBot(settings=make_settings(tmp_path), core=build_core(bot_store))
    async with run_bot(client, standin, token=TOKEN, sync=False) as running:
        yield running
    # Whatever a test asserted, every message the bot sent kept to Discord's limits.
    assert standin.limit_violations == [], standin.limit_violations
