"""A source as the store keeps it, and what `/source show` may say of it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

SourceKind = Literal["file", "url"]


@dataclass(frozen=True, slots=True)
class Source:
    """A briefing's article, attached by one server's editor: for that server's checks and
    drafts only (never shown whole to members)."""

    pack: str
    guild_id: int
    kind: SourceKind
    location: str
    """The file's name, or the URL it was fetched from (after redirects)."""
    media_type: str
    title: str | None
    text: str
    sha256: str
    attached_at: datetime
    attached_by: int


@dataclass(frozen=True, slots=True)
class Replaced:
    """A source that another replaced: where it came from and its hash (not its text)."""

    kind: SourceKind
    location: str
    sha256: str
    attached_at: datetime
    attached_by: int
    replaced_at: datetime
    replaced_by: int


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
