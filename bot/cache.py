"""Rendered answers, remembered: a briefing changes rarely, and members ask alike.

Pages are a pure function of (command, arguments, the guild's snapshot key), so they are
reused until any write moves the store to a new generation.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable

from cachetools import LRUCache

from bot.render import Page
from briefings.briefing import Briefing

CACHE_ENTRIES = 1024


class PageCache:
    def __init__(self, catalogue: Briefing, *, size: int = CACHE_ENTRIES) -> None:
        self.catalogue = catalogue
        self._entries: LRUCache[Hashable, list[Page]] = LRUCache(size)
        self.hits = self.misses = 0

    async def pages(
        self,
        guild_id: int | None,
        key: Hashable,
        render: Callable[[], Awaitable[list[Page]]],
    ) -> list[Page]:
        full_key = (await self.catalogue.cache_key(guild_id), key)
        cached = self._entries.get(full_key)
        if cached is not None:
            self.hits += 1
            return cached
        self.misses += 1
        pages = await render()
        self._entries[full_key] = pages
        return pages
