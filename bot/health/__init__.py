"""Health and metrics: counters kept by the bot as it works, and the local server that
shows them (/livez, /readyz, /metrics) when HEALTH_PORT is set."""

from __future__ import annotations

from typing import Any

import discord

from bot.health.metrics import Metrics, record_failure
from bot.health.server import HealthServer, PortUnavailable, Watched

__all__ = ["Health", "HealthServer", "Metrics", "PortUnavailable", "record_failure"]


class Health:
    def __init__(self, *, host: str, port: int | None) -> None:
        self.metrics = Metrics()
        self.host = host
        self.port = port
        self.server: HealthServer | None = None

    async def start(self, bot: Watched) -> None:
        """Count interactions from now on; serve the endpoints if a port is set."""
        bot.add_listener(self._received, "on_interaction")
        bot.add_listener(self._completed, "on_app_command_completion")
        if self.port is None:
            return
        server = HealthServer(bot, self.metrics, host=self.host, port=self.port)
        await server.start()
        self.server = server

    async def stop(self) -> None:
        if self.server is not None:
            await self.server.stop()
            self.server = None

    async def _received(self, interaction: discord.Interaction[Any]) -> None:
        self.metrics.received(interaction)

    async def _completed(self, interaction: discord.Interaction[Any], command: object) -> None:
        self.metrics.completed(interaction)
