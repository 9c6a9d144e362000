"""pytest fixtures and the ``run_bot`` helper for end-to-end bot tests against the stand-in.

Register it as a plugin in the top-level conftest, then import only ``run_bot``::

    # tests/conftest.py
    pytest_plugins = ["tests.discord_standin.fixtures"]

``standin`` is a started server with guild 111 "Test Guild", text channel 222 "general", a
"Moderator" role 333, users alice (1001, the default interaction user) and bob (1002, moderator),
with discord.py patched to talk to it for the duration of the test.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TypeVar

import discord
import pytest
from discord import app_commands

from .constants import Permission
from .server import DiscordStandIn

GUILD_ID = 111
CHANNEL_ID = 222
MOD_ROLE_ID = 333
ALICE_ID = 1001
BOB_ID = 1002

ClientT = TypeVar("ClientT", bound=discord.Client)


@pytest.fixture
async def standin() -> AsyncIterator[DiscordStandIn]:
    """A started stand-in with one guild, one text channel, two users; discord.py patched."""
    async with DiscordStandIn() as started:
        started.make_user(ALICE_ID, "alice")
        started.make_user(BOB_ID, "bob")
        started.add_guild(
            GUILD_ID,
            "Test Guild",
            channels=[(CHANNEL_ID, "general")],
            roles=[
                (MOD_ROLE_ID, "Moderator", Permission.MANAGE_GUILD | Permission.MANAGE_MESSAGES)
            ],
        )
        started.add_member(GUILD_ID, ALICE_ID)
        started.add_member(GUILD_ID, BOB_ID, roles=[MOD_ROLE_ID])
        with started.patch_discord():
            yield started


async def _wait_ready(bot: discord.Client, task: asyncio.Task[None], timeout: float) -> None:
    ready = asyncio.create_task(bot.wait_until_ready())
    try:
        done, _ = await asyncio.wait(
            {ready, task}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
        )
    finally:
        ready.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await ready
    if task in done:
        task.result()  # re-raises why the bot stopped
        raise RuntimeError("the bot stopped before it became ready")
    if not done:
        raise TimeoutError(f"the bot was not ready after {timeout}s")


async def _sync_commands(
    tree: app_commands.CommandTree[discord.Client], standin: DiscordStandIn
) -> None:
    await tree.sync()
    for guild_id in standin.guilds:
        guild = discord.Object(guild_id)
        if tree.get_commands(guild=guild):
            await tree.sync(guild=guild)


async def _identify_now(shard_id: int | None, *, initial: bool = False) -> None:
    return None


@asynccontextmanager
async def run_bot(
    bot: ClientT,
    standin: DiscordStandIn,
    token: str = "x.y.z",
    *,
    sync: bool = True,
    ready_timeout: float = 5.0,
    guild_ready_timeout: float | None = 0.05,
    fast_identify: bool = True,
) -> AsyncIterator[ClientT]:
    """Start ``bot`` against the stand-in, wait for ``on_ready``, yield it, then stop it cleanly.

    ``sync`` syncs ``bot.tree`` (global, then each configured guild that has guild commands) so
    the stand-in knows the option schemas. ``guild_ready_timeout`` overrides discord.py's 2 s wait
    after the last GUILD_CREATE (it sets ``bot._connection.guild_ready_timeout``, an internal
    listed in ``compat``; pass None to keep the value given to the constructor).
    ``fast_identify`` skips the 5 s sleep discord.py's default ``before_identify_hook`` does
    before every IDENTIFY but the first (extra shards of an AutoShardedClient, re-identify after
    INVALID_SESSION); a bot overriding the hook keeps its own.
    """
    if guild_ready_timeout is not None:
        bot._connection.guild_ready_timeout = guild_ready_timeout
    if fast_identify and type(bot).before_identify_hook is discord.Client.before_identify_hook:
        bot.before_identify_hook = _identify_now  # type: ignore[method-assign]
    with standin.patch_discord():
        async with bot:
            task = asyncio.create_task(bot.start(token), name="standin-bot")
            try:
                await _wait_ready(bot, task, ready_timeout)
                tree = getattr(bot, "tree", None)
                if sync and isinstance(tree, app_commands.CommandTree):
                    await _sync_commands(tree, standin)
                yield bot
            finally:
                await bot.close()
                try:
                    await asyncio.wait_for(task, timeout=5.0)
                except (TimeoutError, asyncio.CancelledError):
                    task.cancel()
                except Exception:  # a bot failure was already reported by the test
                    pass
