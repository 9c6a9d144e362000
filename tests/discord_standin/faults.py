"""Fault injection: make the next N requests matching a route fail the way Discord fails."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any

from .payloads import Json

VIA_HEADER = "1.1 google"
"""discord.py treats a 429 without ``Via`` as a Cloudflare ban, so every 429 carries it."""


@dataclass(frozen=True, slots=True)
class Fault:
    """An error answer: status, Discord JSON error body and extra headers.

    Build one with the class methods (``rate_limited``, ``server_error``, ``forbidden``,
    ``not_found``) or directly for anything else.
    """

    status: int
    body: Json | None = None
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def rate_limited(
        cls, retry_after: float = 0.05, *, is_global: bool = False, scope: str = "user"
    ) -> Fault:
        """A documented 429: JSON ``retry_after``/``global`` plus ``Retry-After``,
        ``X-RateLimit-*`` and ``Via`` headers."""
        reset = time.time() + retry_after
        headers = {
            "Retry-After": f"{retry_after:.3f}",
            "X-RateLimit-Limit": "5",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": f"{reset:.3f}",
            "X-RateLimit-Reset-After": f"{retry_after:.3f}",
            "X-RateLimit-Bucket": "standin-fault",
            "X-RateLimit-Scope": "global" if is_global else scope,
            "Via": VIA_HEADER,
        }
        if is_global:
            headers["X-RateLimit-Global"] = "true"
        body = {
            "message": "You are being rate limited.",
            "retry_after": retry_after,
            "global": is_global,
            "code": 0,
        }
        return cls(status=429, body=body, headers=headers)

    @classmethod
    def server_error(cls, status: int = 500) -> Fault:
        """A 5xx (discord.py retries 500/502/504/524 after 1 + 2*tries seconds)."""
        return cls(status=status, body={"message": "500: Internal Server Error", "code": 0})

    @classmethod
    def forbidden(cls, code: int = 50013, message: str = "Missing Permissions") -> Fault:
        """A 403, by default ``50013 Missing Permissions`` (``50001`` is Missing Access)."""
        return cls(status=403, body={"message": message, "code": code})

    @classmethod
    def not_found(cls, code: int = 10003, message: str = "Unknown Channel") -> Fault:
        """A 404, by default ``10003 Unknown Channel`` (10008: message, 10062: interaction)."""
        return cls(status=404, body={"message": message, "code": code})

    @classmethod
    def error(cls, status: int, code: int, message: str, errors: Json | None = None) -> Fault:
        """Any Discord JSON error, e.g. ``Fault.error(400, 50035, "Invalid Form Body", {...})``."""
        body: Json = {"message": message, "code": code}
        if errors is not None:
            body["errors"] = errors
        return cls(status=status, body=body)


def route_pattern(path: str) -> re.Pattern[str]:
    """``/channels/{channel_id}/messages`` -> a regex matching any id in the placeholders.

    Literal paths (``/channels/222/messages``) match only themselves; ``*`` matches one segment.
    """
    parts = re.split(r"(\{[^}/]+\}|\*)", path.rstrip("/") or "/")
    regex = "".join("[^/]+" if p.startswith("{") or p == "*" else re.escape(p) for p in parts)
    return re.compile(f"^{regex}/?$")


@dataclass(slots=True)
class InjectedFault:
    """A registered fault; ``hits`` counts how many requests it answered."""

    method: str
    pattern: re.Pattern[str]
    fault: Fault
    remaining: int
    hits: int = 0

    def matches(self, method: str, path: str) -> bool:
        method_ok = self.method in ("*", method.upper())
        return self.remaining > 0 and method_ok and bool(self.pattern.match(path))


class FaultInjector:
    """Holds injected faults; the server asks it before handling each API request."""

    def __init__(self) -> None:
        self.faults: list[InjectedFault] = []

    def add(
        self, method: str, path: str | re.Pattern[str], fault: Fault, times: int
    ) -> InjectedFault:
        pattern = path if isinstance(path, re.Pattern) else route_pattern(path)
        injected = InjectedFault(
            method=method.upper(), pattern=pattern, fault=fault, remaining=times
        )
        self.faults.append(injected)
        return injected

    def take(self, method: str, path: str) -> Fault | None:
        for injected in self.faults:
            if injected.matches(method, path):
                injected.remaining -= 1
                injected.hits += 1
                return injected.fault
        return None

    def clear(self) -> None:
        self.faults.clear()


def fault_body(fault: Fault) -> Any:
    return fault.body if fault.body is not None else {"message": "error", "code": 0}
