"""The SQLite store on real files: migrations, loading, scope, integrity."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import yaml

from briefings.errors import InvalidPack, StoreError
from briefings.models import PackFile, Status
from briefings.packfile import dump_pack, parse_pack, shipped_packs
from briefings.store import CardStore, load_pack, open_store
from briefings.store.database import SqliteDatabase
from briefings.store.migrate import latest_version, migrate, migrations, schema_version
from tests.briefings.sample import sample_pack, sample_pack_data

pytestmark = pytest.mark.both_backends  # the store suite runs on SQLite and PostgreSQL


async def test_new_store_is_migrated_and_seeded_with_the_shipped_packs(store: CardStore) -> None:
    assert await schema_version(store.db) == latest_version()
    shipped = shipped_packs()
    assert [p.slug for p in await store.packs()] == sorted(p.pack.slug for p in shipped)
    for pack in shipped:
        cards = await store.cards(guild_id=None, pack=pack.pack.slug)
        assert [c.id for c in cards] == [c.id for c in sorted(pack.cards, key=lambda c: c.section)]


@pytest.mark.sqlite_only
async def test_connection_policy_is_wal_with_foreign_keys(store: CardStore) -> None:
    assert (await store.db.fetch_one("PRAGMA journal_mode"))[0] == "wal"
    assert (await store.db.fetch_one("PRAGMA foreign_keys"))[0] == 1
    assert (await store.db.fetch_one("PRAGMA busy_timeout"))[0] >= 1000


async def test_reopening_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "b.db"
    async with open_store(path) as store:
        first = [(c.id, c.version, c.updated_at) for c in await store.cards(guild_id=None)]
    async with open_store(path) as store:
        again = [(c.id, c.version, c.updated_at) for c in await store.cards(guild_id=None)]
        assert await schema_version(store.db) == latest_version()
    assert first == again


async def test_loading_the_same_pack_twice_is_a_no_op(store: CardStore) -> None:
    first = await load_pack(store, sample_pack())
    second = await load_pack(store, sample_pack())
    assert first.added == ["sample-pack-card-1", "sample-pack-card-2"]
    assert second.added == second.updated == []
    assert len(await store.cards(guild_id=None, pack="sample-pack")) == 2


async def test_an_edited_pack_file_updates_cards_with_new_versions(store: CardStore) -> None:
    await load_pack(store, sample_pack(cards=3))
    data = sample_pack_data(cards=2)
    data["cards"][0]["summary"] = "Northland lowered the tolls."
    report = await load_pack(store, PackFile.model_validate(data))
    assert report.updated == ["sample-pack-card-1"]
    assert report.unchanged == ["sample-pack-card-2"]
    assert report.archived == ["sample-pack-card-3"]
    card = await store.card("sample-pack-card-1", guild_id=None)
    assert card is not None and card.version == 2 and "lowered" in card.summary
    gone = await store.card("sample-pack-card-3", guild_id=None)
    assert gone is not None and gone.status is Status.ARCHIVED  # archived, never deleted
    assert (await store.pack("sample-pack")).version == 2  # type: ignore[union-attr]
    hits = await store.search('"lowered"', guild_id=None)
    assert [c.id for c, _ in hits] == ["sample-pack-card-1"]


async def test_guild_cards_are_seen_only_in_their_guild(store: CardStore) -> None:
    data = sample_pack_data(slug="guild-pack")
    for section in ("actors", "events", "leverage", "cards"):
        for record in data[section]:
            record["guild_id"] = 42
    await load_pack(store, PackFile.model_validate(data))
    assert await store.card("guild-pack-card-1", guild_id=42) is not None
    assert await store.card("guild-pack-card-1", guild_id=7) is None
    assert [c.id for c, _ in await store.search('"tolls"', guild_id=7)] == []
    assert len(await store.search('"tolls"', guild_id=42)) == 2


def test_an_invalid_pack_lists_every_problem_by_card_and_field() -> None:
    data = sample_pack_data()
    data["cards"][0]["status"] = "live"
    data["cards"][1]["actors"] = ["nobody"]
    data["pack"]["source_url"] = "not a url"
    with pytest.raises(InvalidPack) as caught:
        parse_pack(yaml.safe_dump(data), source="upload.yaml")
    where = {(p.item, p.field) for p in caught.value.problems}
    assert ("card 1 (sample-pack-card-1)", "status") in where
    assert ("pack", "source_url") in where
    # reference problems are reported once the shapes are valid
    data["cards"][0]["status"] = "published"
    data["pack"]["source_url"] = "https://example.org"
    with pytest.raises(InvalidPack) as caught:
        parse_pack(yaml.safe_dump(data), source="upload.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "upload.yaml: card 2 (sample-pack-card-2): actors.0: unknown actor 'nobody'"
    ]


@pytest.mark.sqlite_only
async def test_a_failure_midway_through_a_load_writes_nothing(store: CardStore) -> None:
    before = await store.db.fetch_all("SELECT id, version FROM cards ORDER BY id")
    data = sample_pack_data(cards=3)
    pack = PackFile.model_validate(data)  # a valid pack...
    # ...but the database refuses the third card (a trigger stands in for a crash)
    await store.db.conn.execute(
        "CREATE TEMP TRIGGER boom BEFORE INSERT ON cards WHEN NEW.id = 'sample-pack-card-3' "
        "BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"
    )
    with pytest.raises(sqlite3.DatabaseError):
        await load_pack(store, pack)
    assert await store.db.fetch_all("SELECT id, version FROM cards ORDER BY id") == before
    assert await store.pack("sample-pack") is None


async def test_a_corrupt_file_gets_a_clear_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "broken.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match=r"broken\.db"):
        async with open_store(path):
            pass


async def test_a_database_newer_than_the_code_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    async with open_store(path):
        pass
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {latest_version() + 1}")
    with pytest.raises(StoreError, match="newer than this code"):
        async with open_store(path):
            pass


@pytest.mark.sqlite_only
async def test_backup_is_a_usable_copy(store: CardStore, tmp_path: Path) -> None:
    await store.backup(tmp_path / "copy.db")
    async with open_store(tmp_path / "copy.db", seed=False) as copy:
        assert len(await copy.cards(guild_id=None)) == len(await store.cards(guild_id=None))


async def test_export_imports_back_unchanged(store: CardStore) -> None:
    for pack in await store.packs():
        exported = await store.export_pack(pack.slug)
        assert exported is not None
        report = await load_pack(store, parse_pack(dump_pack(exported)))
        assert not report.changed


async def test_renaming_an_actor_refreshes_the_search_rows_of_unchanged_cards(
    store: CardStore,
) -> None:
    await load_pack(store, sample_pack())
    data = sample_pack_data()
    data["actors"][0] |= {"name": "Kingdom of Bergen", "aliases": []}
    report = await load_pack(store, PackFile.model_validate(data))
    assert report.unchanged == ["sample-pack-card-1", "sample-pack-card-2"]
    hits = await store.search('"bergen"', guild_id=None)
    assert sorted(c.id for c, _ in hits) == ["sample-pack-card-1", "sample-pack-card-2"]
    assert await store.search('"nordstadt"', guild_id=None) == []  # the alias is gone


async def test_migration_004_keeps_the_relations_and_keys_them_by_scope(tmp_path: Path) -> None:
    db = await SqliteDatabase.open(tmp_path / "v3.db")
    try:
        for step in migrations()[:3]:
            await db.conn.executescript(
                f"BEGIN;\n{step.sql}\nPRAGMA user_version = {step.version};\nCOMMIT;"
            )
        await db.conn.executescript(
            "INSERT INTO packs VALUES ('p', 1, 'h', 'now', '{}');"
            "INSERT INTO actors VALUES ('a', 'p', NULL, '{}'), ('b', 'p', NULL, '{}');"
            "INSERT INTO relations VALUES ('p', NULL, 'b', 'a', 'ally', '{\"n\": 1}');"
            "INSERT INTO relations VALUES ('p', 7, 'a', 'b', 'rival', '{\"n\": 2}');"
        )
        query = "SELECT pack, guild_id, source, target, kind, data FROM relations ORDER BY rowid"
        before = [tuple(r) for r in await db.fetch_all(query)]
        assert (await migrate(db))[:1] == ["004-scoped-relations.sql"]
        assert [tuple(r) for r in await db.fetch_all(query)] == before
        same_triple = "INSERT INTO relations VALUES ('p', ?, 'b', 'a', 'ally', '{}')"
        await db.conn.execute(same_triple, (7,))  # a server's own tie beside the shipped one
        with pytest.raises(sqlite3.IntegrityError):
            await db.conn.execute(same_triple, (None,))
    finally:
        await db.close()
