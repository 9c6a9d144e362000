"""/livez, /readyz and /metrics on a local port (HEALTH_HOST:HEALTH_PORT).

/livez answers 200 while the process and its event loop run (the answer itself is the
proof). /readyz answers 200 once the bot is connected and ready, the store answers a read
and every supervised delivery task is running; otherwise 503 with the reasons, in JSON.
Nothing served names a member, a channel or a message, and the token is nowhere near.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine, Mapping
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

import discord
from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from bot.health.metrics import Metrics
from briefings.app import Core

log = logging.getLogger(__name__)

STORE_TIMEOUT_S = 2.0


class PortUnavailable(Exception):
    """HEALTH_HOST:HEALTH_PORT cannot be bound (in use, or not an address of this host)."""


@runtime_checkable
class Tasks(Protocol):
    """The dispatcher, as far as health goes (bot.delivery imports the bot; not us)."""

    def health(self) -> Mapping[str, Mapping[str, object]]: ...


class Watched(Protocol):
    """The bot, as far as health goes."""

    core: Core

    def is_ready(self) -> bool: ...

    @property
    def latencies(self) -> list[tuple[int, float]]: ...

    def get_cog(self, name: str, /) -> object: ...

    def add_listener(
        self, func: Callable[..., Coroutine[Any, Any, Any]], /, name: str = ...
    ) -> None: ...


class HealthServer:
    def __init__(self, bot: Watched, metrics: Metrics, *, host: str, port: int) -> None:
        self.bot = bot
        self.metrics = metrics
        self.host = host
        self.port = port
        app = web.Application()
        app.router.add_get("/livez", self.livez)
        app.router.add_get("/readyz", self.readyz)
        app.router.add_get("/metrics", self.scrape)
        self._runner = web.AppRunner(app, access_log=None)

    async def start(self) -> None:
        await self._runner.setup()
        try:
            await web.TCPSite(self._runner, self.host, self.port).start()
        except OSError as error:
            await self._runner.cleanup()
            raise PortUnavailable(
                f"cannot serve health on {self.host}:{self.port} ({error.strerror or error}); "
                "free the port or set HEALTH_PORT to another"
            ) from None
        host, self.port = self._runner.addresses[0][:2]  # the bound port, when 0 was asked
        log.info("health and metrics on http://%s:%d", host, self.port)

    async def stop(self) -> None:
        await self._runner.cleanup()

    # --- the endpoints --------------------------------------------------------------

    async def livez(self, request: web.Request) -> web.Response:
        return web.json_response({"live": True})

    async def readyz(self, request: web.Request) -> web.Response:
        reasons = await self.not_ready()
        return web.json_response(
            {"ready": not reasons, "reasons": reasons}, status=503 if reasons else 200
        )

    async def scrape(self, request: web.Request) -> web.Response:
        await self.refresh()
        return web.Response(
            body=generate_latest(self.metrics.registry),
            headers={"Content-Type": CONTENT_TYPE_LATEST},
        )

    # --- what they look at ----------------------------------------------------------

    async def not_ready(self) -> list[str]:
        reasons = [] if self.bot.is_ready() else ["not connected to Discord yet"]
        try:
            async with asyncio.timeout(STORE_TIMEOUT_S):
                await self.bot.core.subscriptions.backlog(now=now())
        except Exception as error:  # locked, gone, timed out: all mean "not ready"
            reasons.append(f"the store does not answer ({type(error).__name__})")
        tasks = self.tasks()
        if tasks is None:
            return [*reasons, "delivery not started"]
        for name, health in tasks.health().items():
            if health.get("state") != "running":
                reasons.append(f"{name} {health.get('state')} ({health.get('restarts')} restarts)")
            elif not health.get("ready", True):
                reasons.append(f"{name} starting")
        return reasons

    def tasks(self) -> Tasks | None:
        dispatcher = getattr(self.bot.get_cog("Subscriptions"), "dispatcher", None)
        return dispatcher if isinstance(dispatcher, Tasks) else None

    async def refresh(self) -> None:
        """The gauges that are read at scrape time rather than counted as things happen."""
        m = self.metrics
        try:
            count, oldest = await self.bot.core.subscriptions.backlog(now=now())
        except Exception:
            log.warning("outbox backlog unavailable for /metrics", exc_info=True)
        else:
            m.backlog.set(count)
            m.oldest.set(oldest or 0.0)
        m.gateway.clear()
        for shard, latency in self.bot.latencies:
            if latency == latency and latency != float("inf"):  # NaN/inf before a heartbeat
                m.gateway.labels(str(shard)).set(latency)
        tasks = self.tasks()
        for name, health in (tasks.health() if tasks else {}).items():
            m.tasks.labels(name).state(str(health.get("state")))
            restarts = health.get("restarts")
            m.restarts.labels(name).set(restarts if isinstance(restarts, int) else 0)


def now() -> datetime:
    return discord.utils.utcnow()
