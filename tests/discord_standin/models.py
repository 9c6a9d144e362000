"""Typed records the stand-in keeps and hands to tests: requests, uploads, messages, replies."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .payloads import Json


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

    def custom_ids(self) -> list[str]:
        """Every ``custom_id`` in the message's components, depth first."""
        found: list[str] = []

        def walk(items: list[Json]) -> None:
            for item in items:
                if "custom_id" in item:
                    found.append(str(item["custom_id"]))
                walk(list(item.get("components") or []))
                if isinstance(item.get("component"), dict):
                    walk([item["component"]])
                if isinstance(item.get("accessory"), dict):
                    walk([item["accessory"]])

        walk(self.components)
        return found


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
