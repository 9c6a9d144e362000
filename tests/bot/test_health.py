"""/livez, /readyz and /metrics: the real bot through the stand-in, read over real HTTP on
127.0.0.1 with aiohttp's client."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import sqlite3
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.client import BriefingBot
from bot.delivery import DeliveryConfig
from bot.health import HealthServer, PortUnavailable
from bot.health.logs import JsonFormatter
from bot.settings import Settings
from briefings.app import build_core
from briefings.briefing import Briefing
from briefings.packfile import shipped_packs
from briefings.store import CardStore, load_pack
from briefings.subscriptions import SubscribeRequest, Target
from briefings.subscriptions.service import SubscriptionService
from tests.bot.support import TOKEN, card_command, make_settings
from tests.bot.test_subscriptions import publish, settle
from tests.discord_standin import Fault
from tests.discord_standin.fixtures import ALICE_ID, CHANNEL_ID, GUILD_ID, run_bot
from tests.discord_standin.server import DiscordStandIn

TURKSTREAM = "energy-turkstream"
REFUSED = 226
"""A channel where the bot lacks Send Messages (the stand-in answers 50013)."""


async def get(port: int, path: str) -> tuple[int, str]:
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"http://127.0.0.1:{port}{path}") as response,
    ):
        return response.status, await response.text()


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def value(text: str, name: str, **labels: str) -> float | None:
    return samples(text).get((name, frozenset(labels.items())))


async def until(check: Callable[[], Any], what: str, timeout: float = 10.0) -> None:
    """Wait for something the bot does after answering (no timed assertion: a bound)."""
    try:
        async with asyncio.timeout(timeout):
            while True:  # the bot's state is read over HTTP: nothing to wait on but a poll
                if await check():
                    return
                await asyncio.sleep(0.02)
    except TimeoutError:
        raise AssertionError(f"not seen within {timeout}s: {what}") from None


def port_of(bot: BriefingBot) -> int:
    assert bot.health.server is not None
    return bot.health.server.port


@pytest.fixture
async def served(
    standin: DiscordStandIn, bot_store: CardStore, tmp_path: Path
) -> AsyncIterator[BriefingBot]:
    client = BriefingBot(
        settings=make_settings(tmp_path, health_port=0), core=build_core(bot_store)
    )
    async with run_bot(client, standin, token=TOKEN, sync=False) as running:
        yield running


async def test_the_server_is_off_unless_a_port_is_set_and_local_by_default(
    bot: BriefingBot, served: BriefingBot
) -> None:
    assert bot.health.server is None  # HEALTH_PORT unset: nothing listens
    settings = Settings.model_fields
    assert settings["health_host"].default == "127.0.0.1"
    assert settings["health_port"].default is None
    assert served.health.server is not None
    runner = served.health.server._runner
    assert {address[0] for address in runner.addresses} == {"127.0.0.1"}
    status, body = await get(port_of(served), "/livez")
    assert status == 200 and '"live": true' in body


async def test_a_port_in_use_is_named_not_a_traceback(
    standin: DiscordStandIn, bot_store: CardStore, tmp_path: Path, served: BriefingBot
) -> None:
    taken = port_of(served)
    client = BriefingBot(
        settings=make_settings(tmp_path, health_port=taken), core=build_core(bot_store)
    )
    with pytest.raises(PortUnavailable, match=f"127.0.0.1:{taken}.*HEALTH_PORT"):
        async with run_bot(client, standin, token=TOKEN, sync=False):
            pass


async def test_commands_are_counted_by_outcome_with_their_latency(
    served: BriefingBot, standin: DiscordStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    overview = await standin.slash("briefing")
    menu = overview.select_menu()
    await standin.select(overview, menu["custom_id"], [menu["options"][2]["value"]])
    await standin.slash("briefing", section=3)
    await standin.slash("actor", name="Xi Jinping")  # unknown: the member's mistake
    await card_command(standin, "add", user=ALICE_ID)  # no Manage Server: refused

    async def broken(*args: object, **kwargs: object) -> bool:
        raise RuntimeError("a bug")

    monkeypatch.setattr(served.charts, "has_map", broken)
    apology = await standin.slash("actor", name="Erdoğan")
    assert "something went wrong" in apology.content
    port = port_of(served)
    expected = {
        ("briefing", "command", "ok"): 2,
        ("component", "component", "ok"): 1,  # the section picked from the menu
        ("actor", "command", "user_error"): 1,
        ("actor", "command", "unexpected_error"): 1,
        ("card add", "command", "refused"): 1,
    }

    async def counted() -> bool:
        text = (await get(port, "/metrics"))[1]
        return all(
            value(text, "briefing_interactions_total", command=c, kind=k, outcome=o) == n
            for (c, k, o), n in expected.items()
        )

    await until(counted, "the interactions counted")
    text = (await get(port, "/metrics"))[1]
    histogram = "briefing_interaction_first_response_seconds"
    assert value(text, f"{histogram}_count", command="briefing", kind="command") == 2
    assert value(text, f"{histogram}_count", command="actor", kind="command") == 2
    answered_in = value(text, f"{histogram}_bucket", command="briefing", kind="command", le="+Inf")
    assert answered_in == 2
    labels = {"command": "briefing", "kind": "command", "outcome": "unexpected_error"}
    assert value(text, "briefing_interactions_total", **labels) is None
    assert TOKEN not in text and "Xi Jinping" not in text  # no token, nothing typed


async def test_an_autocomplete_is_counted_as_such(
    served: BriefingBot, standin: DiscordStandIn
) -> None:
    assert await standin.autocomplete("event", "name", "su-24")
    port = port_of(served)

    async def counted() -> bool:
        text = (await get(port, "/metrics"))[1]
        labels = {"command": "event", "kind": "autocomplete"}
        return value(text, "briefing_interactions_total", outcome="ok", **labels) == 1

    await until(counted, "the autocomplete counted")


async def test_readyz_waits_for_discord(
    standin: DiscordStandIn, bot_store: CardStore, tmp_path: Path
) -> None:
    client = BriefingBot(settings=make_settings(tmp_path), core=build_core(bot_store))
    server = HealthServer(client, client.health.metrics, host="127.0.0.1", port=0)
    async with client:  # the process runs, the bot has not connected
        await server.start()
        try:
            assert (await get(server.port, "/livez"))[0] == 200
            status, body = await get(server.port, "/readyz")
            assert status == 503
            assert "not connected to Discord" in body and "delivery not started" in body
        finally:
            await server.stop()


async def test_readyz_is_503_while_delivery_restarts_and_backlog_is_measured(
    standin: DiscordStandIn, bot_store: CardStore, tmp_path: Path
) -> None:
    standin.guilds[GUILD_ID].add_channel(REFUSED, "refused")
    service = SubscriptionService.open(bot_store.db, Briefing(bot_store))
    for channel in (CHANNEL_ID, REFUSED):
        request = SubscribeRequest(Target.CHANNEL, GUILD_ID, channel, ALICE_ID)
        await service.subscribe(request, now=DeliveryConfig().clock())
    pack = shipped_packs()[0]
    edited = [
        c.model_copy(update={"summary": f"{c.summary} Again."}) if c.id == TURKSTREAM else c
        for c in pack.cards
    ]
    await load_pack(bot_store, pack.model_copy(update={"cards": edited}))  # two rows pending
    standin.inject_fault("POST", f"/channels/{REFUSED}/messages", Fault.forbidden(50013))
    await bot_store.db.conn.execute("PRAGMA query_only = ON")  # every write fails
    config = DeliveryConfig(poll_interval=0.05, restart_backoff=0.05, restart_backoff_max=0.2)
    client = BriefingBot(
        settings=make_settings(tmp_path, dev_guild_id=GUILD_ID, health_port=0),  # type: ignore[arg-type]
        core=build_core(bot_store),
        delivery=config,
    )
    async with run_bot(client, standin, token=TOKEN, sync=False) as bot:
        port = port_of(bot)
        cog = bot.get_cog("Subscriptions")
        async with asyncio.timeout(10):
            await cog.dispatcher.supervisor.restarted.wait()  # type: ignore[union-attr]
        status, body = await get(port, "/readyz")
        assert status == 503 and '"ready": false' in body
        assert "delivery" in body and "readonly" not in body  # states, not error texts
        text = (await get(port, "/metrics"))[1]
        pending = (await service.outbox.counts())["pending"]
        assert pending == 2 and value(text, "briefing_outbox_pending") == pending
        oldest = value(text, "briefing_outbox_oldest_pending_seconds")
        assert oldest is not None and oldest >= 0
        assert value(text, "briefing_task_restarts", task="delivery") >= 1  # type: ignore[operator]

        await bot_store.db.conn.execute("PRAGMA query_only = OFF")  # writable again

        async def ready() -> bool:
            return (await get(port, "/readyz"))[0] == 200

        await until(ready, "ready again")
        await standin.wait_for(
            lambda: len(standin.channel_messages(CHANNEL_ID)) == 1, timeout=10, what="the card"
        )

        async def delivered() -> bool:
            text = (await get(port, "/metrics"))[1]
            return (
                value(text, "briefing_deliveries_total", result="delivered", code="") == 1
                and value(text, "briefing_deliveries_total", result="paused", code="50013") == 1
                and value(text, "briefing_outbox_pending") == 0
            )

        await until(delivered, "the deliveries counted")
        text = (await get(port, "/metrics"))[1]
        assert value(text, "briefing_task_state", task="delivery", briefing_task_state="running")
        assert value(text, "briefing_outbox_oldest_pending_seconds") == 0
        assert [s for s in samples(text) if s[0] == "briefing_gateway_latency_seconds"]


async def test_json_logs_have_one_line_per_interaction_and_delivery_without_content(
    served: BriefingBot, standin: DiscordStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    await standin.slash("subscribe")  # alice's DMs
    assert await standin.autocomplete("event", "name", "su-24")
    await publish(served, edit=(TURKSTREAM,))  # the summary gains " Zanzibar."
    await settle(served)
    assert "Zanzibar" in standin.dm_messages(ALICE_ID)[-1].embeds[0]["description"]
    formatter = JsonFormatter([TOKEN])
    lines = [formatter.format(record) for record in caplog.records]
    events = [json.loads(line) for line in lines]
    interactions = [e for e in events if e.get("event") == "interaction"]
    assert sorted((e["command"], e["kind"], e["outcome"]) for e in interactions) == [
        ("event", "autocomplete", "ok"),
        ("subscribe", "command", "ok"),
    ]
    assert interactions[0]["first_response_ms"] >= 0
    [delivery] = [e for e in events if e.get("event") == "delivery"]
    assert (delivery["result"], delivery["target"], delivery["code"]) == ("delivered", "dm", None)
    assert not any("Zanzibar" in line or TOKEN in line for line in lines)
    leaked = logging.LogRecord("x", logging.ERROR, __file__, 1, "token %s", (TOKEN,), None)
    assert json.loads(formatter.format(leaked))["message"] == "token [redacted]"


async def test_readyz_waits_until_delivery_has_reached_the_store(
    standin: DiscordStandIn, bot_store: CardStore, tmp_path: Path
) -> None:
    """Running is not enough: a loop blocked on its first write (another connection holds the
    write lock) is not serving yet, though its task runs. (The bot's one connection waits
    with it, so the store check times out too.)"""
    holder = sqlite3.connect(tmp_path / "bot.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # the dispatcher's first write waits
    client = BriefingBot(
        settings=make_settings(tmp_path, dev_guild_id=GUILD_ID, health_port=0),  # type: ignore[arg-type]
        core=build_core(bot_store),
    )
    try:
        async with run_bot(client, standin, token=TOKEN, sync=False) as bot:
            port = port_of(bot)
            status, body = await get(port, "/readyz")
            # starting; or, past the 5 s busy timeout on a slow machine, restarting
            assert status == 503 and re.search(r"delivery (re)?starting", body), body
            holder.rollback()

            async def ready() -> bool:
                return (await get(port, "/readyz"))[0] == 200

            await until(ready, "ready once the lock is gone")
    finally:
        holder.close()
