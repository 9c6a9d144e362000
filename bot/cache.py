"""Rendered answers, remembered: a briefing changes rarely, and members ask alike.

Pages are a pure function of (command, arguments, the guild's scope, the store's
generation), so they are reused until any write moves the generation.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable

from bot.render import Page
from briefings.briefing import Briefing

CACHE_ENTRIES = 1024


class PageCache:
    def __init__(self, core: Briefing, *, size: int = CACHE_ENTRIES) -> None:
        self.core = core
        self.size = size
        self._entries: OrderedDict[Hashable, list[Page]] = OrderedDict()
        self.hits = self.misses = 0

    async def pages(
        self,
        guild_id: int | None,
        key: Hashable,
        render: Callable[[], Awaitable[list[Page]]],
    ) -> list[Page]:
        full_key = (self.core.store.generation, await self.core.scope(guild_id), key)
        cached = self._entries.get(full_key)
        if cached is not None:
            self._entries.move_to_end(full_key)
            self.hits += 1
            return cached
        self.misses += 1
        pages = await render()
        self._entries[full_key] = pages
        if len(self._entries) > self.size:
            self._entries.popitem(last=False)
        return pages
