"""The outbox's claims: an import is one delivery per subscription, and guilds take turns."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from briefings.briefing import Briefing
from briefings.models import PackFile
from briefings.store import CardStore, load_pack
from briefings.subscriptions import (
    BatchDelivery,
    BriefingDelivery,
    CardDelivery,
    SubscribeRequest,
    Target,
)
from briefings.subscriptions.service import SubscriptionService
from tests.briefings.sample import sample_pack_data

pytestmark = pytest.mark.both_backends  # the store suite runs on SQLite and PostgreSQL

GUILD_A, GUILD_B = 111, 222
NOW = datetime(2025, 1, 15, 12, 0, tzinfo=UTC)


@pytest.fixture
def service(store: CardStore) -> SubscriptionService:
    return SubscriptionService.open(store.db, Briefing(store))


async def guild_import(
    store: CardStore, guild_id: int, cards: int, slug: str, *, note: str = ""
) -> None:
    data = sample_pack_data(slug=slug, cards=cards)
    for card in data["cards"]:
        card["summary"] += note
    for section in ("actors", "events", "leverage", "cards"):
        for record in data[section]:
            record["guild_id"] = guild_id
    await load_pack(store, PackFile.model_validate(data))


def channel(guild_id: int, channel_id: int) -> SubscribeRequest:
    return SubscribeRequest(Target.CHANNEL, guild_id, channel_id, 1)


async def test_an_import_of_many_cards_is_one_delivery_per_subscription(
    store: CardStore, service: SubscriptionService
) -> None:
    await service.subscribe(channel(GUILD_B, 20), now=NOW)
    await guild_import(store, GUILD_B, cards=12, slug="b-import")
    [row] = await service.outbox.claim(limit=8, now=NOW)
    assert len(row.ids) == 12
    delivery = await service.delivery(row)  # a new briefing: one message about it
    assert isinstance(delivery, BriefingDelivery) and len(delivery.entries) == 12
    await service.outbox.delivered([row], now=NOW)
    assert await service.outbox.counts() == {"delivered": 12}
    await guild_import(store, GUILD_B, cards=12, slug="b-import", note=" Revised.")
    [edits] = await service.outbox.claim(limit=8, now=NOW)  # updates of many: a summary
    batch = await service.delivery(edits)
    assert isinstance(batch, BatchDelivery) and len(batch.entries) == 12
    await service.outbox.delivered([edits], now=NOW)
    await guild_import(store, GUILD_B, cards=13, slug="b-import", note=" Revised.")
    [single] = await service.outbox.claim(limit=8, now=NOW)  # one card more: as before
    assert isinstance(await service.delivery(single), CardDelivery)


async def test_one_guilds_import_does_not_hold_back_anothers_card(
    store: CardStore, service: SubscriptionService
) -> None:
    for channel_id in range(20, 30):  # server B: ten channels, then an import
        await service.subscribe(channel(GUILD_B, channel_id), now=NOW)
    await service.subscribe(channel(GUILD_A, 10), now=NOW)
    await guild_import(store, GUILD_B, cards=3, slug="b-import")
    await guild_import(store, GUILD_A, cards=1, slug="a-news")  # queued after B's 30 rows
    first = await service.outbox.claim(limit=2, now=NOW)
    assert {r.subscription.guild_id for r in first} == {GUILD_A, GUILD_B}


async def test_a_rate_limited_retry_does_not_count_as_an_attempt(
    store: CardStore, service: SubscriptionService
) -> None:
    await service.subscribe(channel(GUILD_A, 10), now=NOW)
    await guild_import(store, GUILD_A, cards=1, slug="a-news")
    [row] = await service.outbox.claim(limit=1, now=NOW)
    await service.outbox.retry_later(row, "429", not_before=NOW, now=NOW, counts=False)
    [again] = await service.outbox.claim(limit=1, now=NOW)
    assert again.attempts == 0
