"""Per-server settings kept in the store."""

from __future__ import annotations

import json
from collections.abc import Sequence

from briefings.store.cards import CardStore


async def editor_roles(store: CardStore, guild_id: int) -> list[int]:
    row = await store.db.fetch_one(
        "SELECT editor_role_ids FROM guild_settings WHERE guild_id = ?", (guild_id,)
    )
    return [int(r) for r in json.loads(row[0])] if row else []


async def set_editor_roles(store: CardStore, guild_id: int, role_ids: Sequence[int]) -> None:
    async with store.db.transaction() as conn:
        await conn.execute(
            "INSERT INTO guild_settings (guild_id, editor_role_ids) VALUES (?, ?) "
            "ON CONFLICT (guild_id) DO UPDATE SET editor_role_ids = excluded.editor_role_ids",
            (guild_id, json.dumps(sorted(set(role_ids)))),
        )
