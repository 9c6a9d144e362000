"""Logging set-up, and the JSON format (LOG_FORMAT=json): one object per line, with the
fields of the bot's event lines (one per interaction, one per delivery) as keys.

Event lines carry ids, names of commands, outcomes, codes and timings, never what a member
typed or what a message said; and whatever a line holds, the token is blanked out.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

import discord

EVENTS = logging.getLogger("bot.events")
"""The event lines: `extra={"event": {...}}` gives their fields."""


class JsonFormatter(logging.Formatter):
    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        event = getattr(record, "event", None)
        if isinstance(event, Mapping):
            line.update(event)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        text = json.dumps(line, ensure_ascii=False, default=str)
        for secret in self.secrets:
            text = text.replace(secret, "[redacted]")
        return text


def setup_logging(level: str, log_format: str, *, token: str) -> None:
    """discord.py's handler on the root logger: its coloured text, or JSON lines."""
    numeric = logging.getLevelNamesMapping()[level]
    if log_format == "json":
        discord.utils.setup_logging(level=numeric, formatter=JsonFormatter([token]))
    else:
        discord.utils.setup_logging(level=numeric)


def event(message: str, *args: object, **fields: object) -> None:
    """One event line: `message % args` for text logs, `fields` as JSON keys."""
    EVENTS.info(message, *args, extra={"event": fields})
