"""Several processes on one PostgreSQL, at the store: two stores opened on one database (each
its own pool, listener and name, as two processes have) share the outbox by leases, one of
them leads each schedule, and each hears the other's writes."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from briefings.briefing import Briefing
from briefings.store import CardStore, load_pack, open_store
from briefings.store.migrate import migrations
from briefings.store.postgres_outbox import LEASE, PgOutboxStore
from briefings.store.subscriptions import SubscriptionStore
from briefings.subscriptions import NewSubscription, Target
from briefings.subscriptions.service import SubscriptionService
from tests.briefings.sample import sample_pack
from tests.pg_cluster import Cluster

NOW = datetime(2025, 1, 15, 12, tzinfo=UTC)
GUILD = 111
CHANNELS = 120


async def subscribe_channels(store: CardStore) -> None:
    subs = SubscriptionStore(store.db)
    for channel_id in range(1000, 1000 + CHANNELS):
        request = NewSubscription(Target.CHANNEL, GUILD, channel_id, None, created_by=1)
        await subs.create(request, now=NOW, at_most=1)


def outbox_of(store: CardStore) -> PgOutboxStore:
    outbox = SubscriptionService.open(store.db, Briefing(store)).outbox
    assert isinstance(outbox, PgOutboxStore)
    return outbox


async def claim_all(outbox: PgOutboxStore, taken: list[int]) -> None:
    while rows := await outbox.claim(limit=8, now=NOW):
        taken += [i for row in rows for i in row.ids]
        await asyncio.sleep(0)  # let the other "process" claim in between


async def test_two_processes_claim_every_row_once_and_a_dead_ones_claims_are_retaken(
    pg_cluster: Cluster,
) -> None:
    url = pg_cluster.database()
    async with open_store(url) as a, open_store(url) as b:
        await subscribe_channels(a)
        await load_pack(a, sample_pack(slug="breaking", cards=1))
        first, second = outbox_of(a), outbox_of(b)
        by_a = [i for row in await first.claim(limit=8, now=NOW) for i in row.ids]
        by_b = [i for row in await second.claim(limit=8, now=NOW) for i in row.ids]
        await asyncio.gather(claim_all(first, by_a), claim_all(second, by_b))  # at once
        assert not set(by_a) & set(by_b)
        assert len(by_a) + len(by_b) == CHANNELS
        # b restarts: it releases its own claims only, never a's (a is still sending them)
        assert await second.release_claims() == len(by_b)
        again = await second.claim(limit=500, now=NOW)
        assert sorted(i for r in again for i in r.ids) == sorted(by_b)
        # a dies with its claims unsettled: they come back once its lease has run out
        assert await second.claim(limit=500, now=NOW + LEASE - timedelta(seconds=1)) == []
        retaken = await second.claim(limit=500, now=NOW + LEASE + timedelta(seconds=1))
        assert set(by_a) <= {i for r in retaken for i in r.ids}


async def test_one_process_leads_each_schedule_and_another_takes_over(
    pg_cluster: Cluster,
) -> None:
    url = pg_cluster.database()
    async with open_store(url) as b:
        async with open_store(url) as a:
            assert await a.db.leads("digests") and await a.db.leads("digests")
            assert not await b.db.leads("digests")
            assert await b.db.leads("pruning") and not await a.db.leads("pruning")
        assert await b.db.leads("digests")  # a stopped: its session and locks are gone


async def test_a_write_in_one_process_reaches_the_other(pg_cluster: Cluster) -> None:
    url = pg_cluster.database()
    async with open_store(url) as a, open_store(url) as b:
        woken = asyncio.Event()
        b.on_write.append(woken.set)
        generation = b.generation
        await load_pack(a, sample_pack(slug="news", cards=1))
        await asyncio.wait_for(woken.wait(), timeout=10)
        assert b.generation > generation  # b's snapshots are rebuilt: it sees the new card
        assert "news-card-1" in {c.id for c in await Briefing(b).store.cards(guild_id=None)}


async def test_two_processes_starting_together_migrate_and_seed_once(pg_cluster: Cluster) -> None:
    url = pg_cluster.database(empty=True)

    async def start() -> int:
        async with open_store(url) as store:
            return len(await store.cards(guild_id=None))

    first, second = await asyncio.gather(start(), start())
    assert first == second > 0
    async with open_store(url) as store:
        row = await store.db.fetch_one("SELECT count(*) FROM schema_version")
        assert row is not None and row[0] == len(migrations("postgresql"))
