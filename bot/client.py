"""The bot: holds the core, loads one cog per area, syncs commands only when needed."""

from __future__ import annotations

import asyncio
import gc
import hashlib
import json
import logging

import discord
from discord.ext import commands

from bot.cache import PageCache
from bot.charts import Charts
from bot.delivery.config import DeliveryConfig
from bot.expired import answer_orphans
from bot.health import Health
from bot.settings import Settings
from bot.tree import BriefingTree
from briefings.app import Core

log = logging.getLogger(__name__)

COGS = (
    "bot.cogs.briefing",
    "bot.cogs.catalogue",
    "bot.cogs.leverage",
    "bot.cogs.ask",
    "bot.cogs.cards",
    "bot.cogs.subscriptions",
    "bot.cogs.briefing_admin",
    "bot.cogs.sources",
)
SYNC_HASH_KEY = "command_tree_hash"


def minimal_intents() -> discord.Intents:
    """Guilds only: slash commands carry everything else. Nothing privileged."""
    intents = discord.Intents.none()
    intents.guilds = True
    return intents


class BriefingBot(commands.AutoShardedBot):
    def __init__(
        self,
        *,
        settings: Settings,
        core: Core,
        force_sync: bool = False,
        delivery: DeliveryConfig | None = None,
        **options: object,
    ) -> None:
        health = Health(host=settings.health_host, port=settings.health_port)
        if settings.shard_ids:  # this process runs these shards only (SHARD_IDS)
            options.setdefault("shard_ids", settings.shard_ids)
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=minimal_intents(),
            tree_cls=BriefingTree,
            owner_ids=set(settings.owner_ids) or None,
            shard_count=settings.shard_count,
            allowed_mentions=discord.AllowedMentions.none(),
            help_command=None,
            http_trace=health.metrics.trace,  # sees each interaction's first response go out
            # discord.py's options are typed per keyword; we pass them through
            **options,  # type: ignore[arg-type]
        )
        self.settings = settings
        self.health = health
        self.core = core
        self.pages = PageCache(core.catalogue)
        self.charts = Charts(core.catalogue)
        self.delivery_config = delivery or DeliveryConfig(rate=settings.delivery_requests_per_s)
        self.force_sync = force_sync
        self._warm_index: asyncio.Task[object] | None = None

    async def setup_hook(self) -> None:
        await self.health.start(self)
        # The name index builds in a worker thread while the bot loads, syncs and connects;
        # the first command that needs it waits for this same build.
        self._warm_index = asyncio.create_task(self.core.catalogue.snapshot(guild_id=None))
        for cog in COGS:
            await self.load_extension(cog)
        # Pages, menus and the actor map answer from their custom ids, in any process: the
        # extension's setup calls add_dynamic_items (by name: that module imports this one).
        await self.load_extension("bot.views.dynamic")
        # A form or button whose view is gone still gets an answer, not "interaction failed".
        self.add_listener(answer_orphans, "on_interaction")
        await self.sync_commands()
        # What start-up built lives as long as the bot: keep it out of the collector's scans,
        # which otherwise pause every command for a full-heap pass now and then.
        gc.freeze()
        # matplotlib (~50 MB) loads in a worker thread on the first chart, not at start:
        # a bot whose members never ask for one never pays for it.

    async def close(self) -> None:
        await self.health.stop()
        await self.charts.close()
        if self._warm_index is not None and not self._warm_index.done():
            self._warm_index.cancel()
        await super().close()

    def command_tree_hash(self) -> str:
        payload = [c.to_dict(self.tree) for c in self.tree.get_commands()]
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()

    async def sync_commands(self) -> None:
        """Dev guild: sync at every start (instant). Global: only when the tree changed."""
        if self.settings.dev_guild_id:
            guild = discord.Object(id=self.settings.dev_guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("synced %d commands to dev guild %s", len(synced), guild.id)
            return
        digest = self.command_tree_hash()
        if not self.force_sync and await self.core.guilds.remembered(SYNC_HASH_KEY) == digest:
            log.info("command tree unchanged since the last sync; not syncing")
            return
        synced = await self.tree.sync()
        await self.core.guilds.remember(SYNC_HASH_KEY, digest)
        log.info("synced %d global commands", len(synced))
