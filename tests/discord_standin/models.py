"""Typed records the stand-in keeps and hands to tests: requests, uploads, messages, replies."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .payloads import Json

BUTTON, STRING_SELECT = 2, 3
NESTED = ("component", "accessory")
"""Keys holding one nested component (a label's input, a section's accessory)."""


@dataclass(frozen=True, slots=True)
class UploadedFile:
    """A file the bot uploaded (multipart ``files[n]`` part)."""

    filename: str
    data: bytes
    content_type: str | None = None
    attachment_id: int | None = None


@dataclass(slots=True)
class RecordedRequest:
    """One HTTP request the bot made to the stand-in."""

    method: str
    path: str
    """Path below ``/api/v10``, e.g. ``/channels/222/messages``."""
    route: str | None
    """The matched route template, e.g. ``/channels/{channel_id}/messages`` (None if unhandled)."""
    query: dict[str, str]
    json: Any = None
    """The JSON body, or the decoded ``payload_json`` part of a multipart body."""
    files: list[UploadedFile] = field(default_factory=list)
    status: int | None = None


@dataclass(frozen=True, slots=True)
class LimitViolation:
    """A payload field over one of Discord's documented limits."""

    path: str
    """Where in the payload, e.g. ``embeds[0].fields[3].value``."""
    limit: int
    actual: int
    rule: str
    """Human-readable rule, e.g. ``embed field value <= 1024 characters``."""
    request: str = ""
    """``METHOD /path`` of the request that carried the payload (set by the server)."""


@dataclass(slots=True)
class StoredMessage:
    """A message the stand-in holds: its current documented object, files and edit history."""

    data: Json
    files: list[UploadedFile] = field(default_factory=list)
    history: list[Json] = field(default_factory=list)
    deleted: bool = False
    interaction_token: str | None = None

    @property
    def id(self) -> int:
        return int(self.data["id"])

    @property
    def channel_id(self) -> int:
        return int(self.data["channel_id"])

    @property
    def ephemeral(self) -> bool:
        return bool(int(self.data.get("flags", 0)) & 64)


@dataclass(kw_only=True)
class MessageView:
    """A snapshot of one message as a user would see it."""

    message: Json | None = None
    files: list[UploadedFile] = field(default_factory=list)
    deleted: bool = False
    """The bot deleted the message (``message`` is its last state)."""

    @property
    def message_id(self) -> int | None:
        return None if self.message is None else int(self.message["id"])

    @property
    def channel_id(self) -> int | None:
        return None if self.message is None else int(self.message["channel_id"])

    @property
    def content(self) -> str:
        return "" if self.message is None else str(self.message.get("content") or "")

    @property
    def embeds(self) -> list[Json]:
        return [] if self.message is None else list(self.message.get("embeds") or [])

    @property
    def components(self) -> list[Json]:
        return [] if self.message is None else list(self.message.get("components") or [])

    @property
    def attachments(self) -> list[Json]:
        return [] if self.message is None else list(self.message.get("attachments") or [])

    @property
    def flags(self) -> int:
        return 0 if self.message is None else int(self.message.get("flags") or 0)

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & 64)

    @property
    def edited(self) -> bool:
        return self.message is not None and self.message.get("edited_timestamp") is not None

    def walk(self) -> list[Json]:
        """Every component of the message, depth first (rows, their items, nested ones)."""
        found: list[Json] = []

        def visit(items: list[Json]) -> None:
            for item in items:
                found.append(item)
                visit(list(item.get("components") or []))
                visit([item[k] for k in NESTED if isinstance(item.get(k), dict)])

        visit(self.components)
        return found

    def custom_ids(self) -> list[str]:
        """Every ``custom_id`` in the message's components, depth first."""
        return [str(c["custom_id"]) for c in self.walk() if "custom_id" in c]

    def button(self, label: str) -> Json:
        """The first button labelled ``label`` (fails the test, listing the labels, if none)."""
        for component in self.walk():
            if component.get("type") == BUTTON and component.get("label") == label:
                return component
        labels = [c.get("label") for c in self.walk() if c.get("type") == BUTTON]
        raise AssertionError(f"no button {label!r}; the buttons are {labels}")

    def select_menu(self) -> Json:
        """The first string select menu (fails the test if there is none)."""
        for component in self.walk():
            if component.get("type") == STRING_SELECT:
                return component
        raise AssertionError(f"no select menu in {self.components}")

    @property
    def text(self) -> str:
        """Everything a user reads, one part a line: the content, then each embed's title,
        description, fields (``name value``), footer and author."""
        parts = [self.content]
        for embed in self.embeds:
            parts += [embed.get("title", ""), embed.get("description", "")]
            parts += [f"{f['name']} {f['value']}" for f in embed.get("fields", [])]
            parts.append(embed.get("footer", {}).get("text", ""))
            parts.append(embed.get("author", {}).get("name", ""))
        return "\n".join(parts)


@dataclass(kw_only=True)
class Reply(MessageView):
    """What the bot answered to one interaction.

    ``callback_type`` is the interaction callback type (4 message, 5 deferred message, 6 deferred
    update, 7 update message, 8 autocomplete result, 9 modal). For deferred responses the message
    fields hold what the bot delivered afterwards (the edited original or the first follow-up) and
    ``deferred`` is True.
    """

    interaction_id: int
    token: str
    callback_type: int | None
    deferred: bool = False
    choices: list[Json] = field(default_factory=list)
    modal: Json | None = None
    _latest: Callable[[Reply], Reply] | None = field(default=None, repr=False, compare=False)
    _followups: Callable[[str], list[MessageView]] | None = field(
        default=None, repr=False, compare=False
    )

    def latest(self) -> Reply:
        """The interaction's original message as it is now (after later edits)."""
        if self._latest is None:
            return self
        return self._latest(self)

    @property
    def followups(self) -> list[MessageView]:
        """Follow-up messages sent with this interaction's token, oldest first."""
        return [] if self._followups is None else self._followups(self.token)


@dataclass(slots=True)
class InteractionRecord:
    """Server-side state of one interaction the stand-in dispatched."""

    id: int
    token: str
    type: int
    payload: Json
    created_at: float
    callback_type: int | None = None
    callback_data: Json | None = None
    callback_latency: float | None = None
    """Seconds from building the INTERACTION_CREATE to receiving the callback (benchmarks)."""
    original_message_id: int | None = None
    """The message ``@original`` refers to (for component interactions: the clicked message)."""
    original_edits: int = 0
    followup_ids: list[int] = field(default_factory=list)
    handlers: set[asyncio.Task[Any]] = field(default_factory=set)
    """The bot's tasks that were handling this interaction when it was acknowledged (see
    ``compat.HANDLER_TASKS``): done once the bot has finished with it."""

    @property
    def acknowledged(self) -> bool:
        return self.callback_type is not None

    @property
    def guild_id(self) -> int | None:
        value = self.payload.get("guild_id")
        return None if value is None else int(value)

    @property
    def channel_id(self) -> int:
        return int(self.payload["channel_id"])
