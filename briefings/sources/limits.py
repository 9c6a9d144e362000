"""Every limit on a source, in one place: what an upload or a fetch may be."""

from __future__ import annotations

from dataclasses import dataclass

MAX_SOURCE_BYTES = 2 * 1024 * 1024
"""An article's HTML is rarely over 500 KB; 2 MB leaves room and bounds memory."""
MAX_SOURCE_CHARS = 200_000
"""Extracted text: a long essay is 60,000 characters; a book is not a source."""
MIN_SOURCE_CHARS = 200
"""Less than a paragraph is not an article (an empty page, a cookie wall)."""

EXTRACT_TIMEOUT_S = 20.0
"""Reducing an HTML page to its text: a 2 MB page full of menus takes ~3 s."""

FETCH_TIMEOUT_S = 15.0
"""Total time for a fetch, every redirect included."""
CONNECT_TIMEOUT_S = 5.0
MAX_REDIRECTS = 5
FETCH_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain", "text/markdown"})
"""Content types a fetched page may have."""
MAX_URL_CHARS = 2_000

FILE_SUFFIXES = {
    ".txt": "text/plain",
    ".text": "text/plain",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".html": "text/html",
    ".htm": "text/html",
    ".xhtml": "application/xhtml+xml",
}
"""Attachments by file name (Discord's content type is the uploader's word, not checked)."""

SHOW_LINES = 3
"""First lines `/source show` gives editors (never the whole text)."""


@dataclass(frozen=True, slots=True)
class FetchLimits:
    """What one fetch may take; tests shorten the time."""

    max_bytes: int = MAX_SOURCE_BYTES
    timeout_s: float = FETCH_TIMEOUT_S
    connect_timeout_s: float = CONNECT_TIMEOUT_S
    max_redirects: int = MAX_REDIRECTS
    allow_loopback: bool = False
    """Tests only: 127.0.0.0/8 and ::1 may be fetched (every other private range never)."""
