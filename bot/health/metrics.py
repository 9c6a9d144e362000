"""What the bot counts for /metrics, in one registry per bot (several bots in one test
process, each with its own counts).

Interactions are followed from receipt (`on_interaction`) to their first response, which
discord.py sends through its HTTP session: an aiohttp trace sees the callback request go out,
and only the interaction id is read from its URL (the token in that URL is never kept).
Each interaction is counted once, with the first outcome known: a command's completion or
its error; a component, form or autocomplete's error or, failing that, its first answer.
Labels are command names, outcomes, Discord error codes and task names: never content.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, Literal

import aiohttp
import discord
from cachetools import TTLCache
from discord import app_commands
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client import Enum as EnumMetric

from bot.errors import UserFacingError
from bot.health.logs import event
from briefings.errors import BriefingError
from briefings.subscriptions import OutboxRow

log = logging.getLogger(__name__)

Outcome = Literal["ok", "user_error", "unexpected_error", "refused"]
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0)
"""Seconds; 3 s is Discord's deadline for the first response."""
TASK_STATES = ["running", "restarting", "stopped"]
_CALLBACK = re.compile(r"/interactions/(\d+)/[^/]+/callback$")
_KINDS = {
    discord.InteractionType.application_command: "command",
    discord.InteractionType.autocomplete: "autocomplete",
    discord.InteractionType.component: "component",
    discord.InteractionType.modal_submit: "modal",
}


@dataclass(slots=True)
class _Open:
    command: str
    kind: str
    guild_id: int | None
    started: float
    seconds: float | None = None
    """Until the first response, None."""
    outcome: Outcome | None = None


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.interactions = Counter(
            "briefing_interactions",
            "Interactions by command, kind and outcome.",
            ["command", "kind", "outcome"],
            registry=r,
        )
        self.latency = Histogram(
            "briefing_interaction_first_response_seconds",
            "From receiving an interaction to its first response.",
            ["command", "kind"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.deliveries = Counter(
            "briefing_deliveries",
            "Outbox deliveries by result and Discord error code ('' when not an HTTP error).",
            ["result", "code"],
            registry=r,
        )
        self.backlog = Gauge(
            "briefing_outbox_pending", "Outbox rows waiting to be sent.", registry=r
        )
        self.oldest = Gauge(
            "briefing_outbox_oldest_pending_seconds",
            "How long the oldest pending outbox row has waited (0 when none waits).",
            registry=r,
        )
        self.gateway = Gauge(
            "briefing_gateway_latency_seconds",
            "Heartbeat latency per shard.",
            ["shard"],
            registry=r,
        )
        self.tasks = EnumMetric(
            "briefing_task_state",
            "State of each supervised background task.",
            ["task"],
            states=TASK_STATES,
            registry=r,
        )
        self.restarts = Gauge(
            "briefing_task_restarts", "Restarts of each supervised task.", ["task"], registry=r
        )
        self._open: TTLCache[int, _Open] = TTLCache(maxsize=10_000, ttl=900)
        self.trace = aiohttp.TraceConfig()
        self.trace.on_request_end.append(self._on_request_end)

    # --- interactions ---------------------------------------------------------------

    def received(self, interaction: discord.Interaction[Any]) -> None:
        kind = _KINDS.get(interaction.type)
        if kind is None:
            return  # pings and the like: nothing a member asked for
        self._open[interaction.id] = _Open(
            command_of(interaction), kind, interaction.guild_id, time.monotonic()
        )

    def completed(self, interaction: discord.Interaction[Any]) -> None:
        self._count(interaction.id, "ok")

    def failed(self, interaction: discord.Interaction[Any], cause: BaseException) -> None:
        self._count(interaction.id, outcome_of(cause))

    def responded(self, interaction_id: int) -> None:
        entry = self._open.get(interaction_id)
        if entry is None or entry.seconds is not None:
            return
        entry.seconds = time.monotonic() - entry.started
        self.latency.labels(entry.command, entry.kind).observe(entry.seconds)
        if entry.kind != "command" and entry.outcome is None:
            self._count(interaction_id, "ok")  # no completion event for these: answered is ok
        else:
            self._settle(interaction_id, entry)

    def _count(self, interaction_id: int, outcome: Outcome) -> None:
        entry = self._open.get(interaction_id)
        if entry is None or entry.outcome is not None:
            return
        entry.outcome = outcome
        self.interactions.labels(entry.command, entry.kind, outcome).inc()
        self._settle(interaction_id, entry)

    def _settle(self, interaction_id: int, entry: _Open) -> None:
        """Counted and answered: its one event line, and forgotten."""
        if entry.outcome is None or entry.seconds is None:
            return
        self._open.pop(interaction_id, None)
        ms = round(entry.seconds * 1000, 1)
        event(
            "interaction %s %s: %s, first response in %.1f ms",
            entry.kind,
            entry.command,
            entry.outcome,
            ms,
            event="interaction",
            interaction_id=interaction_id,
            guild_id=entry.guild_id,
            command=entry.command,
            kind=entry.kind,
            outcome=entry.outcome,
            first_response_ms=ms,
        )

    async def _on_request_end(
        self,
        session: aiohttp.ClientSession,
        context: SimpleNamespace,
        params: aiohttp.TraceRequestEndParams,
    ) -> None:
        if params.response.status >= 300:
            return  # refused (expired, already answered): not a response the member saw
        found = _CALLBACK.search(params.url.path)
        if found:
            self.responded(int(found.group(1)))

    # --- deliveries -----------------------------------------------------------------

    def delivery(self, result: str, row: OutboxRow, error: BaseException | None = None) -> None:
        code = str(error.code) if isinstance(error, discord.HTTPException) else ""
        self.deliveries.labels(result, code).inc()
        sub = row.subscription
        event(
            "delivery of outbox row %s (subscription %s): %s%s",
            row.id,
            sub.id,
            result,
            f" [{code}]" if code else "",
            event="delivery",
            outbox_id=row.id,
            rows=len(row.ids),
            subscription_id=sub.id,
            target=sub.target.value,
            guild_id=sub.guild_id,
            result=result,
            code=code or None,
            attempts=row.attempts,
        )


def command_of(interaction: discord.Interaction[Any]) -> str:
    """The command's full name; components and forms, which have none, by their kind."""
    command = interaction.command
    if command is not None:
        return command.qualified_name
    return _KINDS.get(interaction.type, "other")


def outcome_of(cause: BaseException) -> Outcome:
    """The tree's classes of error: refused (a check), the member's mistake, or a bug."""
    if isinstance(cause, app_commands.CheckFailure):
        return "refused"
    if isinstance(cause, UserFacingError | BriefingError | app_commands.TransformerError):
        return "user_error"
    return "unexpected_error"


def record_failure(interaction: discord.Interaction[Any], cause: BaseException) -> None:
    """For the tree's error path, which knows only a generic client."""
    metrics = getattr(getattr(interaction.client, "health", None), "metrics", None)
    if isinstance(metrics, Metrics):
        metrics.failed(interaction, cause)
