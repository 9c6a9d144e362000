"""Compatibility re-exports for `bot/` while its imports move (remove afterwards).

ChangeSet: briefings.changes; StaleCard: briefings.errors; history and Revision:
CardStore.history / briefings.store.revisions; editor roles: briefings.store.guilds.
"""

from __future__ import annotations

from briefings.changes import ChangeSet
from briefings.errors import StaleCard
from briefings.store.cards import CardStore
from briefings.store.guilds import editor_roles, set_editor_roles
from briefings.store.revisions import Revision

__all__ = ["ChangeSet", "Revision", "StaleCard", "editor_roles", "history", "set_editor_roles"]


async def history(store: CardStore, card_id: str, *, limit: int = 50) -> list[Revision]:
    return await store.history(card_id, limit=limit)
