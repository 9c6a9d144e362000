"""What a failed send means: pause the subscription, retry later, or give up on the message."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal

import aiohttp
import discord

from bot import limits, strings

TRANSIENT = (aiohttp.ClientError, OSError)  # network trouble; TimeoutError is an OSError

Action = Literal["pause", "retry", "rate_limited", "refuse"]


@dataclass(frozen=True, slots=True)
class Verdict:
    action: Action
    reason: str
    retry_after: float | None = None
    """Seconds Discord asked us to wait (429), when it said."""


def triage(error: BaseException) -> Verdict:
    """Rate limits wait and never count as failures (the message is fine, we were early);
    server and network errors retry a few times; destination errors pause; any other 4xx
    means this message is refused, and sending it again won't help."""
    if isinstance(error, discord.RateLimited):
        return Verdict("rate_limited", describe(error), error.retry_after)
    if isinstance(error, discord.HTTPException):
        if error.status == 429:
            return Verdict("rate_limited", describe(error), retry_after(error))
        reason = pause_reason(error)
        if reason is not None:
            return Verdict("pause", reason)
        return Verdict("retry" if error.status >= 500 else "refuse", describe(error))
    if isinstance(error, TRANSIENT):
        return Verdict("retry", describe(error))
    raise TypeError(f"not a delivery error: {error!r}")


def pause_reason(error: discord.HTTPException) -> str | None:
    """Errors that retrying cannot fix and that concern the destination: pause, say why."""
    reason = strings.PAUSE_REASONS.get(error.code)
    return f"{reason} [{error.code}]" if reason else None


def retry_after(error: discord.HTTPException) -> float | None:
    """Discord's wait, from the Retry-After header or the JSON body's retry_after."""
    header = getattr(error.response, "headers", {}).get("Retry-After")
    for found in (header, _body_retry_after(error.text)):
        if isinstance(found, str | int | float):
            try:
                if float(found) >= 0:
                    return float(found)
            except ValueError:
                continue
    return None


def _body_retry_after(text: str) -> object:
    try:
        body = json.loads(text) if text.startswith("{") else None
    except ValueError:
        return None
    return body.get("retry_after") if isinstance(body, dict) else None


def describe(error: BaseException) -> str:
    if isinstance(error, discord.HTTPException):
        return limits.clip(
            f"{error.status} {error.text or error.response.reason} [{error.code}]", 300
        )
    return limits.clip(f"{type(error).__name__}: {error}", 300)
