"""What a server sets for itself (its editor roles) and what the bot remembers between starts."""

from __future__ import annotations

from collections.abc import Sequence

from briefings.store import CardStore
from briefings.store.guilds import editor_roles, set_editor_roles


class GuildSettings:
    def __init__(self, store: CardStore) -> None:
        self._store = store

    async def editor_roles(self, guild_id: int) -> list[int]:
        """Roles whose members may manage this server's cards (besides Manage Server)."""
        return await editor_roles(self._store, guild_id)

    async def set_editor_roles(self, guild_id: int, role_ids: Sequence[int]) -> None:
        await set_editor_roles(self._store, guild_id, role_ids)

    async def remembered(self, key: str) -> str | None:
        """A value the bot keeps between starts (the synced command tree's hash)."""
        return await self._store.get_meta(key)

    async def remember(self, key: str, value: str) -> None:
        await self._store.set_meta(key, value)
