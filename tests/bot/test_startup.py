"""Start-up: settings, syncing only when needed, sharding (the command tree's shape is in
test_command_tree.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import discord
import pytest

from bot.client import BriefingBot
from bot.settings import Settings
from briefings.app import build_core
from briefings.store import open_store
from tests.bot.support import TOKEN, make_settings
from tests.discord_standin.fixtures import GUILD_ID, run_bot
from tests.discord_standin.server import DiscordStandIn

REPO = Path(__file__).resolve().parents[2]


def start_bot_process(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    settings = {name.upper() for name in Settings.model_fields}
    clean = {k: v for k, v in os.environ.items() if k not in settings}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-m", "bot"],
        capture_output=True,
        text=True,
        env=clean,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(("token", "problem"), [(None, "missing"), ("not-a-token", "malformed")])
def test_a_missing_or_malformed_token_exits_2_with_help(
    tmp_path: Path, token: str | None, problem: str
) -> None:
    env = {"DATABASE_PATH": str(tmp_path / "b.db")}
    if token is not None:
        env["DISCORD_TOKEN"] = token
    result = start_bot_process({**env, "PYTHONPATH": str(REPO)}, tmp_path)
    assert result.returncode == 2
    assert f"DISCORD_TOKEN is {problem}" in result.stderr
    assert "Developer Portal" in result.stderr and ".env" in result.stderr
    assert "./run cli ask" in result.stderr  # points at the offline CLI, as it is run
    if token:
        assert token not in result.stderr  # never echoed


def test_env_example_documents_every_setting() -> None:
    documented = {
        line.split("=", 1)[0]
        for line in (REPO / ".env.example").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    }
    assert documented == {name.upper() for name in Settings.model_fields}


def test_the_token_is_never_in_the_settings_repr(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    assert TOKEN not in repr(settings) and TOKEN not in str(settings.model_dump())


async def test_global_commands_are_synced_only_when_the_tree_changes(
    standin: DiscordStandIn, tmp_path: Path
) -> None:
    route = "/applications/{application_id}/commands"
    async with open_store(tmp_path / "b.db") as store:
        first = BriefingBot(settings=make_settings(tmp_path), core=build_core(store))
        async with run_bot(first, standin, token=TOKEN, sync=False):
            pass
        assert len(standin.requests_to("PUT", route)) == 1
        again = BriefingBot(settings=make_settings(tmp_path), core=build_core(store))
        async with run_bot(again, standin, token=TOKEN, sync=False):
            pass
        assert len(standin.requests_to("PUT", route)) == 1  # unchanged: no second sync
        forced = BriefingBot(
            settings=make_settings(tmp_path), core=build_core(store), force_sync=True
        )
        async with run_bot(forced, standin, token=TOKEN, sync=False):
            pass
        assert len(standin.requests_to("PUT", route)) == 2
        await store.set_meta("command_tree_hash", "an older tree")
        changed = BriefingBot(settings=make_settings(tmp_path), core=build_core(store))
        async with run_bot(changed, standin, token=TOKEN, sync=False):
            pass
        assert len(standin.requests_to("PUT", route)) == 3


async def test_a_dev_guild_gets_its_commands_at_every_start(
    standin: DiscordStandIn, tmp_path: Path
) -> None:
    async with open_store(tmp_path / "b.db") as store:
        for _ in range(2):
            bot = BriefingBot(
                settings=make_settings(tmp_path, dev_guild_id=GUILD_ID), core=build_core(store)
            )
            async with run_bot(bot, standin, token=TOKEN, sync=False):
                pass
    guild_route = "/applications/{application_id}/guilds/{guild_id}/commands"
    assert len(standin.requests_to("PUT", guild_route)) == 2
    assert standin.requests_to("PUT", "/applications/{application_id}/commands") == []
    assert {c["name"] for c in standin.commands[GUILD_ID]} >= {"ask", "briefing"}


async def test_the_bot_runs_sharded(standin: DiscordStandIn, tmp_path: Path) -> None:
    async with open_store(tmp_path / "b.db") as store:
        bot = BriefingBot(settings=make_settings(tmp_path, shard_count=2), core=build_core(store))
        async with run_bot(bot, standin, token=TOKEN, sync=False):
            assert isinstance(bot, discord.AutoShardedClient)
            assert sorted(bot.shards) == [0, 1]
            reply = await standin.slash("ask", question="What is TurkStream?")
            assert "TurkStream" in reply.embeds[0]["description"]


def test_intents_are_minimal_and_unprivileged() -> None:
    from bot.client import minimal_intents

    intents = minimal_intents()
    assert intents.guilds
    assert not (intents.members or intents.presences or intents.message_content)
