"""SQLite and PostgreSQL side by side: the same answers, the same ranking, the same rows.

The PostgreSQL half needs server binaries (see tests/pg_cluster.py); without them those
tests skip with the reason. The dialect and URL tests run everywhere.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from briefings import text
from briefings.briefing import Briefing
from briefings.cli import main
from briefings.config import CoreSettings
from briefings.errors import StoreError
from briefings.models import PackFile
from briefings.store import CardStore, load_pack, open_store
from briefings.store.dialect import PostgresDialect
from briefings.store.migrate import migrations
from briefings.store.outbox import OutboxStore
from briefings.subscriptions.model import SubscribeRequest, Target
from briefings.subscriptions.service import SubscriptionService
from tests.briefings.heldout import load
from tests.briefings.sample import sample_pack_data
from tests.pg_cluster import Cluster

NOW = datetime(2025, 1, 15, 12, tzinfo=UTC)
SEARCHES = [
    '"turkey" OR "gain"',
    '"black sea"',
    '"erdogan" AND "putin"',
    '"sanctions" OR "jet" OR "su 24"',
    '"expect" OR "expects" OR "will" OR "could" OR "likely" OR "may"',
    '"kurds" OR "pkk" AND "syria"',
]


async def outputs(core: Briefing) -> dict[str, str]:
    """What members read: every held-out answer, every actor's page, the timeline."""
    found = {}
    for item in load():
        found[f"ask {item.q}"] = text.answer(await core.ask(item.q, guild_id=None))
    for actor in await core.store.actors(guild_id=None):
        profile = await core.actor_profile(actor, guild_id=None)
        found[f"actor {actor.id}"] = text.actor_profile(profile)
        timeline = await core.timeline(guild_id=None, actor=actor)
        found[f"timeline {actor.id}"] = text.timeline(timeline)
    found["timeline"] = text.timeline(await core.timeline(guild_id=None, actor=None))
    return found


async def test_ask_actor_and_timeline_read_the_same_on_both_backends(
    tmp_path: Path, pg_cluster: Cluster
) -> None:
    async with open_store(tmp_path / "s.db") as lite, open_store(pg_cluster.database()) as pg:
        on_sqlite, on_postgres = await outputs(Briefing(lite)), await outputs(Briefing(pg))
    differ = [key for key in on_sqlite if on_sqlite[key] != on_postgres[key]]
    asked = sum(key.startswith("ask ") for key in on_sqlite)
    print(f"{len(on_sqlite) - len(differ)}/{len(on_sqlite)} outputs agree ({asked} held-out asks)")
    assert differ == []
    assert asked == len(load()) > 80


async def test_search_ranks_with_the_same_bm25_scores(tmp_path: Path, pg_cluster: Cluster) -> None:
    async with open_store(tmp_path / "s.db") as lite, open_store(pg_cluster.database()) as pg:
        for query in SEARCHES:
            a = [(c.id, s) for c, s in await lite.search(query, guild_id=None, limit=8)]
            b = [(c.id, s) for c, s in await pg.search(query, guild_id=None, limit=8)]
            assert [i for i, _ in a] == [i for i, _ in b], query
            assert [s for _, s in b] == pytest.approx([s for _, s in a], rel=1e-9), query
        for table, query in [("actors", '"turkish" AND "president"'), ("events", '"idlib"')]:
            assert await lite.search_catalogue(table, query, guild_id=None) == (
                await pg.search_catalogue(table, query, guild_id=None)
            )


async def _with_a_pending_delivery(source: Path) -> int:
    async with open_store(source) as lite:
        service = SubscriptionService.open(lite.db, Briefing(lite))
        dm = SubscribeRequest(target=Target.DM, guild_id=None, channel_id=None, member_id=5)
        await service.subscribe(dm, now=NOW)
        await load_pack(lite, PackFile.model_validate(sample_pack_data(cards=3)))
        return (await OutboxStore(lite.db).counts())["pending"]


async def _pending_after_an_edit(url: str) -> tuple[int, int]:
    async with open_store(url) as pg:
        before = (await OutboxStore(pg.db).counts())["pending"]
        data = sample_pack_data(cards=3)
        data["cards"][0]["summary"] = "Changed again, on PostgreSQL."
        await load_pack(pg, PackFile.model_validate(data))  # ids go on past the copied ones
        return before, (await OutboxStore(pg.db).counts())["pending"]


def test_convert_copies_every_table_verified_and_the_copy_keeps_working(
    tmp_path: Path, pg_cluster: Cluster, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "s.db"
    pending = asyncio.run(_with_a_pending_delivery(source))
    url = pg_cluster.database(empty=True)
    assert main(["--db", str(source), "db", "convert", "--to", url]) == 0
    printed = capsys.readouterr().out
    assert "MISMATCH" not in printed and "\noutbox " in printed
    assert all(line.endswith(" ok") for line in printed.splitlines()[1:-1])
    assert asyncio.run(_pending_after_an_edit(url)) == (pending, pending + 1)  # not re-fanned
    assert main(["--db", str(source), "db", "convert", "--to", url]) == 1  # not empty now
    assert "already holds a store" in capsys.readouterr().err


async def test_every_migration_has_its_postgresql_form() -> None:
    lite, pg = migrations(), migrations("postgresql")
    assert [(m.version, m.name) for m in pg] == [(m.version, m.name) for m in lite]


def test_the_dialect_rewrites_only_what_postgresql_spells_differently() -> None:
    d = PostgresDialect({"sent_cards": ["subscription_id", "card_id"]})
    t = d.translate("SELECT ifnull(x, '?') FROM t WHERE a = ? AND b IS ? AND c <= ?1")
    assert t.sql == (
        "SELECT coalesce(x, '?') FROM t WHERE a = $1 AND b IS NOT DISTINCT FROM $2 AND c <= $1"
    )
    t = d.translate("UPDATE o SET s = 1 WHERE id NOT IN (SELECT value FROM json_each(?))")
    assert t.sql == "UPDATE o SET s = 1 WHERE id <> ALL($1)" and t.params(["[1, 2]"]) == [[1, 2]]
    t = d.translate("INSERT OR IGNORE INTO c (a) VALUES (?)")
    assert t.sql == "INSERT INTO c (a) VALUES ($1) ON CONFLICT DO NOTHING"
    t = d.translate("INSERT OR REPLACE INTO sent_cards (subscription_id, card_id, at) VALUES (?)")
    assert t.sql.endswith("ON CONFLICT (subscription_id, card_id) DO UPDATE SET at = excluded.at")
    with pytest.raises(StoreError, match="per-dialect"):
        d.translate("SELECT rowid FROM cards_fts WHERE cards_fts MATCH ?")


def test_database_url_picks_the_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert CoreSettings(_env_file=None).database == Path("data/briefings.db")  # type: ignore[call-arg]
    monkeypatch.setenv("DATABASE_URL", "postgresql://bot@db/briefings")
    assert CoreSettings(_env_file=None).database == "postgresql://bot@db/briefings"  # type: ignore[call-arg]
    monkeypatch.setenv("DATABASE_URL", "mysql://nope")
    with pytest.raises(ValueError, match="postgresql://"):
        CoreSettings(_env_file=None)  # type: ignore[call-arg]


async def test_a_sqlite_url_is_the_file_it_names(tmp_path: Path) -> None:
    async with open_store(f"sqlite:///{tmp_path}/u.db") as store:
        assert isinstance(store, CardStore) and store.path == tmp_path / "u.db"
    assert (tmp_path / "u.db").exists()
