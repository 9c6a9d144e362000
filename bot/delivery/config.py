"""The dispatcher's settings, given to the bot by its composition root (tests pass their own)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from bot import limits
from briefings.models import now_utc
from briefings.subscriptions import Clock

PRUNE_EVERY_S = 3600.0
RESTART_BACKOFF_S = 1.0
RESTART_BACKOFF_MAX_S = 60.0


@dataclass(slots=True)
class DeliveryConfig:
    clock: Clock = now_utc
    concurrency: int = limits.DELIVERY_CONCURRENCY
    rate: float | None = limits.DELIVERY_REQUESTS_PER_S
    """Requests per second at most (None: no cap of our own, for measuring throughput)."""
    poll_interval: float = limits.DELIVERY_POLL_S
    max_attempts: int = limits.DELIVERY_ATTEMPTS
    backoff: float = limits.DELIVERY_BACKOFF_S
    backoff_max: float = limits.DELIVERY_BACKOFF_MAX_S
    keep: timedelta = field(default_factory=lambda: timedelta(days=limits.DELIVERY_KEEP_DAYS))
    prune_every: float = PRUNE_EVERY_S
    restart_backoff: float = RESTART_BACKOFF_S
    """A background task that failed is restarted after this, doubling up to the max."""
    restart_backoff_max: float = RESTART_BACKOFF_MAX_S
