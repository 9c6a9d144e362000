"""Every Discord limit the bot respects, in one place, with the helpers that keep to them.

Nothing is cut silently: `clip` marks what it shortens, and long output is split into
pages by `chunk_lines` rather than dropped.
"""

from __future__ import annotations

from collections.abc import Iterable

CONTENT = 2000
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELDS = 25
EMBED_FIELD_NAME = 256
EMBED_FIELD_VALUE = 1024
EMBED_FOOTER = 2048
EMBED_AUTHOR = 256
EMBED_TOTAL = 6000
EMBEDS_PER_MESSAGE = 10
CHOICES = 25
CHOICE_NAME = 100
CHOICE_VALUE = 100
CUSTOM_ID = 100
PUBLISHES_PER_HOUR = 10
"""Messages one announcement channel may publish (crosspost) an hour."""
COMPONENTS_PER_ROW = 5
ACTION_ROWS = 5
SELECT_OPTIONS = 25
SELECT_OPTION_LABEL = 100
SELECT_OPTION_DESCRIPTION = 100
BUTTON_LABEL = 80
COMMAND_NAME = 32
COMMAND_DESCRIPTION = 100
COMMAND_OPTIONS = 25
INTERACTION_DEADLINE_S = 3.0
DEFER_AFTER_S = 1.5
"""Answer directly when the core is quicker than this; otherwise defer, well in time."""

SCREEN_CHARS = 1500
"""One screen of a phone: the most visible characters a first page (and any list page) shows.
More goes behind Next or a menu."""

CLIP_MARK = " … (clipped)"
EMBED_BUDGET = 5500
"""What one page's embeds may use of EMBED_TOTAL: room is left for titles and footers."""


def clip(text: str, limit: int, *, mark: str = CLIP_MARK) -> str:
    """`text` if it fits, else as much as fits followed by a visible mark."""
    if len(text) <= limit:
        return text
    keep = max(0, limit - len(mark))
    cut = text[:keep]
    space = cut.rfind(" ")
    if space > keep * 0.8:
        cut = cut[:space]
    return cut.rstrip() + mark[: limit - len(cut.rstrip())]


def chunk_lines(lines: Iterable[str], limit: int) -> list[str]:
    """Join lines into as few blocks of at most `limit` characters as possible."""
    blocks: list[str] = []
    current = ""
    for line in lines:
        line = clip(line, limit)
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            blocks.append(current)
            candidate = line
        current = candidate
    if current:
        blocks.append(current)
    return blocks


ATTACHMENT_BYTES = 10 * 1024 * 1024
"""Discord's default upload limit (10 MiB); an interaction's `attachment_size_limit` may be
higher in a boosted guild, never lower."""
ATTACHMENT_DESCRIPTION = 1024
"""An attachment's description: the alt text screen readers announce."""

# --- delivery (bot/delivery.py) -----------------------------------------------------------
GLOBAL_REQUESTS_PER_S = 50
"""Discord's global rate limit per bot token (interaction responses are exempt)."""
DELIVERY_REQUESTS_PER_S = 48.0
"""Our own cap on delivery requests, under the global limit with room for everything else."""
DELIVERY_CONCURRENCY = 8
"""Messages in flight at once; also the most that can be sent twice after a crash."""
DELIVERY_POLL_S = 0.5
"""How often the dispatcher looks for due rows and digests when nobody woke it."""
DELIVERY_ATTEMPTS = 5
"""Tries for a transient failure (5xx, network) before the row is marked failed."""
DELIVERY_BACKOFF_S = 2.0
DELIVERY_BACKOFF_MAX_S = 300.0
DELIVERY_KEEP_DAYS = 30
"""Delivered rows are kept this long (for /subscriptions' last delivery), then pruned."""

# --- pack uploads (bot/cogs/cards.py; added for the hardening issue) -----------------------
IMPORT_DRY_RUNS = 5
IMPORT_WINDOW_S = 60.0
"""Each server may check at most IMPORT_DRY_RUNS pack files per IMPORT_WINDOW_S: parsing a
1 MB upload is CPU work (up to a quarter second), and anyone can create a server."""
IMPORT_PARSES_AT_ONCE = 1
"""Uploads parsed at the same time across all servers (each in a worker thread), so
uploads can never take every core from the event loop."""
PROBLEMS_SHOWN = 200
"""Problems of one upload listed (about ten pages); the rest are counted, not rendered."""

# --- sources (bot/cogs/sources.py) ------------------------------------------------------
SOURCE_ATTACHES = 5
SOURCE_WINDOW_S = 60.0
"""Each server may attach or fetch at most SOURCE_ATTACHES sources per SOURCE_WINDOW_S:
each is up to 2 MB downloaded and parsed, and anyone can create a server."""

THREAD_NAME = 100
"""A thread's or forum post's name (Discord: 1-100 characters)."""
FORUM_TAGS = 5
"""Tags one forum post may carry."""
