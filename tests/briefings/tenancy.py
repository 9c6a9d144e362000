"""Records for tenancy tests: small pack-file fragments and a dump of a store's rows."""

from __future__ import annotations

from typing import Any

from briefings.models import PackFile
from briefings.store import CardStore

PACK = "bechev-syria-russia-turkey-2024"
A, B = 111, 222
"""Two servers: A has records of its own; B's admin imports files."""


def actor(ident: str, name: str = "Spy") -> dict[str, Any]:
    return {"id": ident, "name": name, "kind": "person", "role": f"{name} works here."}


def event(ident: str, actors: list[str], title: str = "Meeting") -> dict[str, Any]:
    return {
        "id": ident,
        "title": title,
        "date": {"precision": "undated", "text": "undated"},
        "actors": actors,
        "what": "They met.",
        "why": "It mattered.",
    }


def shift(ident: str, actor: str, over: str, evidence: list[str]) -> dict[str, Any]:
    return {
        "id": ident,
        "domain": "syria",
        "actor": actor,
        "over": over,
        "direction": "gained",
        "period": "after",
        "when": "2025",
        "reasoning": "Because.",
        "evidence": evidence,
    }


def relation(source: str, target: str, evidence: list[str], note: str = "Tied") -> dict[str, Any]:
    return {"source": source, "target": target, "kind": "ally", "note": note, "evidence": evidence}


def card(ident: str, summary: str = "A secret plan.", **fields: Any) -> dict[str, Any]:
    return {
        "id": ident,
        "pack": PACK,
        "section": 50,
        "title": f"Card {ident}",
        "summary": summary,
        "status": "draft",
        **fields,
    }


async def pack_file(store: CardStore, **sections: list[dict[str, Any]]) -> PackFile:
    meta = await store.pack(PACK)
    assert meta is not None
    return PackFile.model_validate({"pack": meta.model_dump(mode="json"), **sections})


def a_records() -> dict[str, list[dict[str, Any]]]:
    """Server A's own records, as A's file names them (stored as g111-...)."""
    return {
        "actors": [actor("spy")],
        "events": [event("meet", ["spy", "turkey"])],
        "leverage": [shift("edge", "spy", "turkey", ["secret"])],
        "relations": [relation("spy", "turkey", ["secret"])],
        "cards": [card("secret", actors=["spy"], events=["meet"], leverage=["edge"])],
    }


TABLES = {
    "actors": "SELECT id, pack, guild_id, data FROM actors",
    "events": "SELECT id, pack, guild_id, sort_start, sort_end, data FROM events",
    "leverage": "SELECT id, pack, guild_id, actor, over, data FROM leverage",
    "relations": "SELECT pack, guild_id, source, target, kind, data FROM relations",
    "cards": "SELECT id, pack, guild_id, status, version, data FROM cards",
    "card_actors": "SELECT x.card_id, x.actor_id, guild_id FROM card_actors x "
    "JOIN cards ON cards.id = x.card_id",
    "card_events": "SELECT x.card_id, x.event_id, guild_id FROM card_events x "
    "JOIN cards ON cards.id = x.card_id",
    "event_actors": "SELECT x.event_id, x.actor_id, guild_id FROM event_actors x "
    "JOIN events ON events.id = x.event_id",
    "actor_roles": "SELECT actor_id, pack, guild_id, role, aliases FROM actor_roles",
    "packs": "SELECT slug, guild_id, status, version, data FROM packs",
}


async def rows_outside(
    store: CardStore, scope: int, *, shipped: bool = True
) -> dict[str, list[str]]:
    """Every row that does not belong to `scope` (without the shipped ones: `shipped`)."""
    where = "guild_id IS NOT ?" if shipped else "guild_id IS NOT NULL AND guild_id IS NOT ?"
    dump: dict[str, list[str]] = {}
    for table, sql in TABLES.items():
        rows = await store.db.fetch_all(f"SELECT * FROM ({sql}) AS r WHERE {where}", (scope,))
        dump[table] = sorted(repr(tuple(row)) for row in rows)
    return dump
