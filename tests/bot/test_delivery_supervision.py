"""Background tasks are supervised: a database read-only at start (or locked past the busy
timeout) stops delivery only until it is writable again; no restart of the bot is needed."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.client import BriefingBot
from bot.delivery import DeliveryConfig
from briefings.app import build_core
from briefings.briefing import Briefing
from briefings.packfile import shipped_packs
from briefings.store import CardStore, load_pack
from briefings.subscriptions import SubscribeRequest, Target
from briefings.subscriptions.service import SubscriptionService
from tests.bot.support import TOKEN, make_settings
from tests.discord_standin.fixtures import ALICE_ID, CHANNEL_ID, GUILD_ID, run_bot
from tests.discord_standin.server import DiscordStandIn

TURKSTREAM = "energy-turkstream"


async def test_a_database_read_only_at_start_delays_delivery_until_writable(
    standin: DiscordStandIn, bot_store: CardStore, tmp_path: Path
) -> None:
    service = SubscriptionService.open(bot_store.db, Briefing(bot_store))
    request = SubscribeRequest(Target.CHANNEL, GUILD_ID, CHANNEL_ID, ALICE_ID)
    await service.subscribe(request, now=DeliveryConfig().clock())
    pack = shipped_packs()[0]
    edited = [
        c.model_copy(update={"summary": f"{c.summary} Again."}) if c.id == TURKSTREAM else c
        for c in pack.cards
    ]
    await load_pack(bot_store, pack.model_copy(update={"cards": edited}))  # one row pending
    # Every write now fails. A dev guild: the start-up command sync writes nothing.
    await bot_store.db.conn.execute("PRAGMA query_only = ON")
    config = DeliveryConfig(poll_interval=0.05, restart_backoff=0.05, restart_backoff_max=0.2)
    client = BriefingBot(
        settings=make_settings(tmp_path, dev_guild_id=GUILD_ID),  # type: ignore[arg-type]
        core=build_core(bot_store),
        delivery=config,
    )
    async with run_bot(client, standin, token=TOKEN, sync=False) as bot:
        cog = bot.get_cog("Subscriptions")
        dispatcher = cog.dispatcher  # type: ignore[union-attr]
        async with asyncio.timeout(10):
            await dispatcher.supervisor.restarted.wait()
        health = dispatcher.health()["delivery"]
        # Restarting, or already trying again after the backoff: either way, supervised.
        assert health["state"] in {"restarting", "running"} and health["restarts"] >= 1
        assert "readonly" in str(health["last_error"])
        assert standin.channel_messages(CHANNEL_ID) == []
        await bot_store.db.conn.execute("PRAGMA query_only = OFF")  # writable again
        await standin.wait_for(
            lambda: len(standin.channel_messages(CHANNEL_ID)) == 1, timeout=10, what="the card"
        )
        assert dispatcher.health()["delivery"]["state"] == "running"
        assert {name for name in dispatcher.health()} == {"delivery", "digests", "pruning"}
