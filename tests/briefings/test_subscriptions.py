"""Subscriptions and the outbox on a real SQLite file: fan-out, filters, scope, digests."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest

from briefings.briefing import Briefing
from briefings.errors import NotFound
from briefings.models import Card, PackFile
from briefings.packfile import shipped_packs
from briefings.store import CardStore, load_pack, revisions
from briefings.store.outbox import OutboxStore
from briefings.store.subscriptions import SubscriptionStore
from briefings.subscriptions import (
    SENT_CARDS_EDITABLE,
    CardDelivery,
    Corrections,
    DigestDelivery,
    DigestTime,
    DuplicateSubscription,
    InvalidSubscription,
    PingNeedsChannel,
    Schedule,
    SentCard,
    SubscribeRequest,
    Target,
    WelcomeDelivery,
    digest_time,
    next_digest_at,
    parse_time,
    parse_zone,
    timezone_names,
)
from briefings.subscriptions.service import SubscriptionService
from tests.briefings.sample import sample_pack_data
from tests.pg_cluster import INTEGRITY_ERRORS

pytestmark = pytest.mark.both_backends  # the store suite runs on SQLite and PostgreSQL

GUILD, OTHER_GUILD = 111, 444
ALICE, BOB = 1001, 1002
NOW = datetime(2025, 1, 15, 12, 0, tzinfo=UTC)
TURKSTREAM = "energy-turkstream"
CAUCASUS = "south-caucasus-flank"


@pytest.fixture
def service(store: CardStore) -> SubscriptionService:
    return SubscriptionService.open(store.db, Briefing(store))


@pytest.fixture
def subs(service: SubscriptionService) -> SubscriptionStore:
    return service.store


@pytest.fixture
def outbox(service: SubscriptionService) -> OutboxStore:
    return service.outbox


def dm(member: int = ALICE, guild: int | None = GUILD, **options: Any) -> SubscribeRequest:
    return SubscribeRequest(Target.DM, guild, None, member, **options)


def channel(channel_id: int, guild: int = GUILD, **options: Any) -> SubscribeRequest:
    return SubscribeRequest(Target.CHANNEL, guild, channel_id, BOB, **options)


async def edit(store: CardStore, *card_ids: str, note: str = "Edited.") -> None:
    """Publish a new version of the shipped pack with these cards' summaries changed."""
    pack = shipped_packs()[0]
    cards = [
        c.model_copy(update={"summary": f"{c.summary} {note}"}) if c.id in card_ids else c
        for c in pack.cards
    ]
    await load_pack(store, pack.model_copy(update={"cards": cards}))


async def guild_pack(store: CardStore, guild_id: int, slug: str = "guild-pack") -> None:
    data = sample_pack_data(slug=slug, cards=1)
    for section in ("actors", "events", "leverage", "cards"):
        for record in data[section]:
            record["guild_id"] = guild_id
    await load_pack(store, PackFile.model_validate(data))


async def rows(store: CardStore) -> list[tuple[int, str, str | None, int | None, str]]:
    found = await store.db.fetch_all(
        "SELECT subscription_id, kind, card_id, version, state FROM outbox ORDER BY id"
    )
    return [tuple(r) for r in found]  # type: ignore[misc]


# --- instant fan-out ----------------------------------------------------------------------


async def test_an_edit_reaches_an_instant_subscriber_once_as_an_update(
    store: CardStore,
    service: SubscriptionService,
    subs: SubscriptionStore,
    outbox: OutboxStore,
) -> None:
    mine = await service.subscribe(dm(), now=NOW)
    await edit(store, TURKSTREAM)
    await edit(store, TURKSTREAM)  # the same file again: no change, no delivery
    assert await rows(store) == [(mine.id, "card", TURKSTREAM, 2, "pending")]
    [row] = await outbox.claim(limit=10, now=NOW)
    assert (row.change_kind, row.changed) == ("update", ["summary"])
    delivery = await service.delivery(row)
    assert isinstance(delivery, CardDelivery)
    assert delivery.card.version == 2 and delivery.card.summary.endswith("Edited.")
    assert delivery.citation.card_id == TURKSTREAM


async def test_a_duplicate_outbox_row_or_subscription_cannot_exist(
    store: CardStore, service: SubscriptionService
) -> None:
    mine = await service.subscribe(dm(), now=NOW)
    with pytest.raises(DuplicateSubscription):
        await service.subscribe(dm(), now=NOW)
    await edit(store, TURKSTREAM)
    with pytest.raises(INTEGRITY_ERRORS):
        async with store.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO outbox (subscription_id, kind, card_id, version, created_at) "
                "VALUES (?, 'card', ?, 2, 'now')",
                (mine.id, TURKSTREAM),
            )
    assert len(await rows(store)) == 1


async def test_a_role_ping_is_kept_for_a_channel_and_refused_for_dms(
    store: CardStore, service: SubscriptionService, subs: SubscriptionStore, outbox: OutboxStore
) -> None:
    pinging = await service.subscribe(channel(7, ping_role_id=555), now=NOW)
    assert (await subs.get(pinging.id)) == pinging and pinging.ping_role_id == 555
    quiet = await service.subscribe(channel(8), now=NOW)
    assert quiet.ping_role_id is None
    with pytest.raises(PingNeedsChannel):
        await service.subscribe(dm(ping_role_id=555), now=NOW)
    with pytest.raises(INTEGRITY_ERRORS):  # the table keeps the rule too
        async with store.db.transaction() as conn:
            await conn.execute(
                "UPDATE subscriptions SET target = 'dm', user_id = 1, "
                "channel_id = NULL WHERE id = ?",
                (pinging.id,),
            )
    await edit(store, TURKSTREAM)
    claimed = await outbox.claim(limit=10, now=NOW)
    assert {r.subscription.id: r.subscription.ping_role_id for r in claimed} == {
        pinging.id: 555,
        quiet.id: None,
    }


async def test_filters_narrow_by_actor_domain_and_pack(
    store: CardStore, service: SubscriptionService
) -> None:
    wanted = [
        await service.subscribe(dm(ALICE), now=NOW),
        await service.subscribe(dm(ALICE, actor="Gazprom"), now=NOW),
        await service.subscribe(dm(ALICE, domain="energy"), now=NOW),
        await service.subscribe(channel(10, pack="bechev-syria-russia-turkey-2024"), now=NOW),
    ]
    await service.subscribe(dm(ALICE, domain="south-caucasus"), now=NOW)
    await service.subscribe(channel(11, actor="Armenia"), now=NOW)
    await guild_pack(store, GUILD, slug="other-pack")  # a pack filter elsewhere...
    before = len(await rows(store))
    await service.subscribe(channel(12, pack="other-pack"), now=NOW)
    await edit(store, TURKSTREAM)
    fanned = {r[0] for r in (await rows(store))[before:]}
    assert fanned == {s.id for s in wanted}


async def test_unknown_filters_are_refused_with_help(service: SubscriptionService) -> None:
    with pytest.raises(InvalidSubscription, match="Unknown domain"):
        await service.subscribe(dm(domain="space"), now=NOW)
    with pytest.raises(NotFound, match="Xi Jinping"):
        await service.subscribe(dm(actor="Xi Jinping"), now=NOW)
    assert (await service.subscribe(dm(actor="erdgoan"), now=NOW)).filters.actor_id == "erdogan"


async def test_a_guild_card_never_reaches_another_guilds_subscribers(
    store: CardStore, service: SubscriptionService
) -> None:
    here_dm = await service.subscribe(dm(ALICE, GUILD), now=NOW)
    here_channel = await service.subscribe(channel(10, GUILD), now=NOW)
    there = await service.subscribe(channel(20, OTHER_GUILD), now=NOW)
    in_dms = await service.subscribe(dm(BOB, None), now=NOW)
    await guild_pack(store, GUILD)
    assert {r[0] for r in await rows(store)} == {here_dm.id, here_channel.id}
    await edit(store, TURKSTREAM)  # a global card goes everywhere
    global_rows = [r for r in await rows(store) if r[2] == TURKSTREAM]
    assert {r[0] for r in global_rows} == {here_dm.id, here_channel.id, there.id, in_dms.id}


async def test_subscriptions_start_from_now(
    store: CardStore, service: SubscriptionService, subs: SubscriptionStore
) -> None:
    await edit(store, TURKSTREAM)
    await service.subscribe(dm(), now=NOW)
    digest = await service.subscribe(dm(schedule=Schedule.DAILY), now=NOW)
    assert await rows(store) == []
    assert await service.run_due_digests(NOW + timedelta(days=2)) == 0
    assert await rows(store) == []
    assert (await subs.get(digest.id)) is not None


async def test_a_failed_change_transaction_leaves_no_outbox_rows(
    store: CardStore, service: SubscriptionService, monkeypatch: pytest.MonkeyPatch
) -> None:
    await service.subscribe(dm(), now=NOW)
    changes_before = await store.db.fetch_one("SELECT count(*) FROM card_changes")
    original = revisions.record

    async def record_then_fail(*args: Any, **kwargs: Any) -> None:
        await original(*args, **kwargs)
        inside = await store.db.fetch_one("SELECT count(*) FROM outbox")
        assert inside is not None and inside[0] == 1  # the trigger wrote it, uncommitted
        raise RuntimeError("disk full")

    monkeypatch.setattr(revisions, "record", record_then_fail)
    with pytest.raises(RuntimeError, match="disk full"):
        await edit(store, TURKSTREAM)
    assert await rows(store) == []
    assert await store.db.fetch_one("SELECT count(*) FROM card_changes") == changes_before


async def test_welcome_row_and_its_overview(
    store: CardStore,
    service: SubscriptionService,
    subs: SubscriptionStore,
    outbox: OutboxStore,
) -> None:
    await service.subscribe(dm(welcome=True), now=NOW)
    [row] = await outbox.claim(limit=5, now=NOW)
    delivery = await service.delivery(row)
    assert isinstance(delivery, WelcomeDelivery)
    assert len(delivery.outline) == 16 and delivery.pack.author == "Dimitar Bechev"


# --- the outbox's states ------------------------------------------------------------------


async def test_claims_are_released_after_a_crash_and_delivered_rows_stay_done(
    store: CardStore,
    service: SubscriptionService,
    subs: SubscriptionStore,
    outbox: OutboxStore,
) -> None:
    for channel_id in range(10, 13):
        await service.subscribe(channel(channel_id), now=NOW)
    await edit(store, TURKSTREAM)
    claimed = await outbox.claim(limit=2, now=NOW)
    assert len(claimed) == 2 and len(await outbox.claim(limit=5, now=NOW)) == 1
    await outbox.delivered([claimed[0]], now=NOW)
    assert await outbox.release_claims() == 2  # the process died with these unconfirmed
    again = await outbox.claim(limit=5, now=NOW)
    assert claimed[0].id not in {r.id for r in again} and len(again) == 2
    assert (await subs.get(claimed[0].subscription.id)).last_delivery_at == NOW  # type: ignore[union-attr]


async def test_retries_wait_for_their_time_and_failures_are_recorded(
    store: CardStore,
    service: SubscriptionService,
    subs: SubscriptionStore,
    outbox: OutboxStore,
) -> None:
    mine = await service.subscribe(dm(), now=NOW)
    await edit(store, TURKSTREAM)
    [row] = await outbox.claim(limit=1, now=NOW)
    later = NOW + timedelta(seconds=30)
    await outbox.retry_later(row, "503 Service Unavailable", not_before=later, now=NOW)
    assert await outbox.claim(limit=1, now=NOW) == []
    [again] = await outbox.claim(limit=1, now=later)
    assert again.attempts == 1
    await outbox.finish(again, "failed", "gave up after 5 attempts: 503", now=later)
    found = await subs.get(mine.id)
    assert found is not None and found.active
    assert found.last_error == "gave up after 5 attempts: 503" and found.last_error_at == later


async def test_pause_drops_what_was_pending_and_resume_starts_from_now(
    store: CardStore, service: SubscriptionService, subs: SubscriptionStore
) -> None:
    mine = await service.subscribe(dm(), now=NOW)
    await edit(store, TURKSTREAM)
    assert await subs.pause(mine.id, "paused by its owner", now=NOW)
    assert [r[4] for r in await rows(store)] == ["dropped"]
    await edit(store, TURKSTREAM, CAUCASUS)  # while paused: nothing queued
    assert len(await rows(store)) == 1
    paused = await subs.get(mine.id)
    assert paused is not None and paused.paused_reason == "paused by its owner"
    resumed = await service.resume(paused, now=NOW)
    assert resumed is not None and resumed.active
    await edit(store, TURKSTREAM, CAUCASUS, note="Again.")
    after = [r[2:] for r in await rows(store)][1:]
    assert after == [(CAUCASUS, 3, "pending"), (TURKSTREAM, 3, "pending")]


async def test_a_paused_subscriptions_rows_are_not_claimed(
    store: CardStore,
    service: SubscriptionService,
    subs: SubscriptionStore,
    outbox: OutboxStore,
) -> None:
    mine = await service.subscribe(channel(10), now=NOW)
    await edit(store, TURKSTREAM)
    [row] = await outbox.claim(limit=1, now=NOW)
    await outbox.finish(row, "failed", "Missing Permissions (50013)", now=NOW, pause=True)
    paused = await subs.get(mine.id)
    assert paused is not None and paused.paused_reason == "Missing Permissions (50013)"
    assert await subs.pause_guild_channels(GUILD, "bot removed", now=NOW) == 0  # already paused


async def test_the_bot_leaving_a_guild_pauses_its_channel_subscriptions_only(
    service: SubscriptionService, subs: SubscriptionStore
) -> None:
    here = await service.subscribe(channel(10), now=NOW)
    mine = await service.subscribe(dm(), now=NOW)
    there = await service.subscribe(channel(20, OTHER_GUILD), now=NOW)
    assert await subs.pause_guild_channels(GUILD, "bot removed", now=NOW) == 1
    found = [await subs.get(s.id) for s in (here, mine, there)]
    assert [s.active for s in found if s] == [False, True, True]


# --- privacy ------------------------------------------------------------------------------


async def test_a_member_can_see_and_delete_everything_stored_about_them(
    store: CardStore, service: SubscriptionService, subs: SubscriptionStore
) -> None:
    mine = await service.subscribe(dm(ALICE), now=NOW)
    digest = await service.subscribe(dm(ALICE, domain="energy", schedule=Schedule.WEEKLY), now=NOW)
    their_channel = await service.subscribe(
        SubscribeRequest(Target.CHANNEL, GUILD, 10, ALICE), now=NOW
    )
    others = await service.subscribe(dm(BOB), now=NOW)
    await edit(store, TURKSTREAM)
    data = await subs.member_data(ALICE)
    assert {s.id for s in data.subscriptions} == {mine.id, digest.id, their_channel.id}
    assert data.pending == {mine.id: 1, their_channel.id: 1}
    assert await subs.forget_member(ALICE) == (2, 1)
    after = await subs.member_data(ALICE)
    assert after.subscriptions == [] and after.pending == {}
    kept = await subs.get(their_channel.id)
    assert kept is not None and kept.created_by is None  # the channel keeps its feed
    assert {r[0] for r in await rows(store)} == {their_channel.id, others.id}


# --- digests ------------------------------------------------------------------------------


def berlin(hour: int = 9, weekday: int | None = None) -> DigestTime:
    return DigestTime(at=time(hour, 0), zone="Europe/Berlin", weekday=weekday)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def test_nine_in_berlin_is_eight_utc_in_winter_and_seven_in_summer() -> None:
    assert next_digest_at(utc(2025, 1, 15, 6), Schedule.DAILY, berlin()) == utc(2025, 1, 15, 8)
    assert next_digest_at(utc(2025, 7, 15, 6), Schedule.DAILY, berlin()) == utc(2025, 7, 15, 7)
    # Saturday's digest, then Sunday's across the change to summer time
    saturday = utc(2025, 3, 29, 8)
    assert next_digest_at(saturday, Schedule.DAILY, berlin()) == utc(2025, 3, 30, 7)
    assert next_digest_at(utc(2025, 10, 25, 7), Schedule.DAILY, berlin()) == utc(2025, 10, 26, 8)


def test_a_skipped_local_time_moves_forward_and_a_repeated_one_happens_once() -> None:
    half_two = DigestTime(at=time(2, 30), zone="Europe/Berlin")
    # 30 March 2025: clocks jump 02:00 -> 03:00; 02:30 does not exist: 03:30 CEST = 01:30Z
    spring = next_digest_at(utc(2025, 3, 29, 12), Schedule.DAILY, half_two)
    assert spring == utc(2025, 3, 30, 1, 30)
    assert next_digest_at(spring, Schedule.DAILY, half_two) == utc(2025, 3, 31, 0, 30)
    # 26 October 2025: 02:30 happens twice; the first (CEST, 00:30Z) and only that one
    autumn = next_digest_at(utc(2025, 10, 25, 12), Schedule.DAILY, half_two)
    assert autumn == utc(2025, 10, 26, 0, 30)
    assert next_digest_at(autumn, Schedule.DAILY, half_two) == utc(2025, 10, 27, 1, 30)


def test_weekly_digests_fall_on_their_weekday_in_local_time() -> None:
    monday_nine = berlin(weekday=0)
    # Wednesday 15 January 2025 -> Monday 20 January, 09:00 CET
    assert next_digest_at(NOW, Schedule.WEEKLY, monday_nine) == utc(2025, 1, 20, 8)
    tokyo = DigestTime(at=time(7, 0), zone="Asia/Tokyo", weekday=0)
    # Sunday 22:00Z is already Monday 07:00 in Tokyo
    assert next_digest_at(utc(2025, 1, 19, 21), Schedule.WEEKLY, tokyo) == utc(2025, 1, 19, 22)


def test_times_and_zones_are_parsed_or_refused_clearly() -> None:
    assert parse_time("9:05") == time(9, 5) and parse_time("21.30") == time(21, 30)
    for bad in ("25:00", "9", "noon", "12:60"):
        with pytest.raises(InvalidSubscription, match="HH:MM"):
            parse_time(bad)
    assert parse_zone("europe/berlin").key == "Europe/Berlin"
    with pytest.raises(InvalidSubscription, match="Did you mean: Europe/Berlin"):
        parse_zone("Europe/Berln")
    assert timezone_names("berlin", limit=25)[0] == "Europe/Berlin"
    assert timezone_names("new y", limit=25)[0] == "America/New_York"
    assert len(timezone_names("a", limit=25)) == 25
    with pytest.raises(InvalidSubscription, match="daily or weekly"):
        digest_time(Schedule.INSTANT, "09:00", None, None)
    assert digest_time(Schedule.WEEKLY, None, None, None) == DigestTime(time(9), "UTC", 0)


async def test_a_digest_collects_matching_changes_once_then_moves_on(
    store: CardStore,
    service: SubscriptionService,
    subs: SubscriptionStore,
    outbox: OutboxStore,
) -> None:
    request = dm(domain="energy", schedule=Schedule.DAILY, at="09:00", zone="Europe/Berlin")
    mine = await service.subscribe(request, now=NOW)
    assert mine.next_digest_at == utc(2025, 1, 16, 8)
    await edit(store, TURKSTREAM, CAUCASUS)  # only TurkStream is about energy
    await edit(store, TURKSTREAM, CAUCASUS, note="Twice.")
    assert await service.run_due_digests(utc(2025, 1, 16, 7, 59)) == 0  # not yet due
    assert await service.run_due_digests(utc(2025, 1, 16, 8, 0, 5)) == 1
    assert await service.run_due_digests(utc(2025, 1, 16, 8, 0, 6)) == 0  # once
    moved = await subs.get(mine.id)
    assert moved is not None and moved.next_digest_at == utc(2025, 1, 17, 8)
    [row] = await outbox.claim(limit=5, now=NOW)
    delivery = await service.delivery(row)
    assert isinstance(delivery, DigestDelivery)
    [entry] = delivery.entries
    assert (entry.card.id, entry.card.version, entry.kind) == (TURKSTREAM, 3, "update")
    assert entry.card.summary.endswith("Twice.")
    assert await service.run_due_digests(utc(2025, 1, 17, 9)) == 0  # nothing new: no digest
    assert (await subs.get(mine.id)).next_digest_at == utc(2025, 1, 18, 8)  # type: ignore[union-attr]


async def test_a_digest_marks_new_cards_as_new_and_skips_archived_ones(
    store: CardStore,
    service: SubscriptionService,
    subs: SubscriptionStore,
    outbox: OutboxStore,
) -> None:
    await service.subscribe(dm(schedule=Schedule.DAILY), now=NOW)
    pack = shipped_packs()[0]
    extra = pack.cards[-1].model_copy(update={"id": "late-addition", "section": 17})
    await load_pack(store, pack.model_copy(update={"cards": [*pack.cards, extra]}))
    edited = [
        c.model_copy(update={"summary": "Changed."}) if c.id == TURKSTREAM else c
        for c in pack.cards
        if c.id != "publication-note"
    ]
    await load_pack(store, pack.model_copy(update={"cards": [*edited, extra]}))  # archives one
    assert await service.run_due_digests(utc(2025, 1, 16, 9, 1)) == 1
    [row] = await outbox.claim(limit=5, now=NOW)
    delivery = await service.delivery(row)
    assert isinstance(delivery, DigestDelivery)
    assert [(e.card.id, e.kind) for e in delivery.entries] == [
        ("late-addition", "new"),
        (TURKSTREAM, "update"),
    ]
    assert isinstance(delivery.entries[0].card, Card)


async def test_a_sent_card_is_remembered_for_a_week_and_goes_with_its_subscription(
    store: CardStore, service: SubscriptionService, outbox: OutboxStore
) -> None:
    mine = await service.subscribe(channel(7), now=NOW)
    other = await service.subscribe(channel(8, corrections=Corrections.NEW), now=NOW)
    assert (mine.corrections, other.corrections) == (Corrections.EDIT, Corrections.NEW)
    await edit(store, TURKSTREAM)
    rows = await outbox.claim(limit=10, now=NOW)
    sent = [SentCard(r.subscription.id, TURKSTREAM, 7, 900 + r.id) for r in rows]
    await outbox.delivered(rows, now=NOW, sent=sent)
    found = await outbox.sent_card(mine.id, TURKSTREAM, since=NOW - SENT_CARDS_EDITABLE)
    assert found is not None and found.channel_id == 7
    later = NOW + SENT_CARDS_EDITABLE + timedelta(seconds=1)
    assert await outbox.sent_card(mine.id, TURKSTREAM, since=later - SENT_CARDS_EDITABLE) is None
    await service.unsubscribe(mine)  # privacy: nothing of it is kept
    assert await outbox.sent_card(mine.id, TURKSTREAM, since=NOW - timedelta(days=1)) is None
    assert await outbox.sent_card(other.id, TURKSTREAM, since=NOW - timedelta(days=1))
    await outbox.prune(NOW + timedelta(days=31))
    assert await outbox.sent_card(other.id, TURKSTREAM, since=NOW - timedelta(days=1)) is None
