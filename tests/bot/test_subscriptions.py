"""Subscriptions end to end: the real bot and dispatcher, through the loopback stand-in."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.client import BriefingBot
from bot.delivery import DeliveryConfig, Dispatcher
from briefings.app import build_core
from briefings.models import PackFile
from briefings.packfile import shipped_packs
from briefings.store import CardStore, load_pack
from briefings.subscriptions import MAX_SUBSCRIPTIONS_PER_MEMBER, NewSubscription, Target
from tests.bot.support import OTHER_CHANNEL, OTHER_GUILD, TOKEN, make_settings
from tests.briefings.sample import sample_pack_data
from tests.discord_standin import Fault, GlobalRateLimit, Permission
from tests.discord_standin.constants import ChannelType
from tests.discord_standin.crossposts import CROSSPOSTED, overwrite_for
from tests.discord_standin.fixtures import ALICE_ID, BOB_ID, CHANNEL_ID, GUILD_ID, run_bot
from tests.discord_standin.server import DiscordStandIn

MANAGER, MANAGER_ROLE = 3001, 3333
CAROL = 2001
NEWS, FEED, QUIET = 223, 224, 225
NEWSROOM, BULLETIN = 226, 227  # announcement channels: the bot may publish in the first
TURKSTREAM, CAUCASUS = "energy-turkstream", "south-caucasus-flank"
MESSAGES = "/channels/{channel_id}/messages"


class FakeClock:
    """Real time that can be moved forward: retries still fall due, digests on demand."""

    def __init__(self, start: datetime) -> None:
        self.start, self.t0, self.offset = start, time.monotonic(), timedelta()

    def __call__(self) -> datetime:
        return self.start + timedelta(seconds=time.monotonic() - self.t0) + self.offset

    def set(self, when: datetime) -> None:
        self.offset += when - self()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2025, 1, 15, 12, 0, tzinfo=UTC))


@pytest.fixture
async def bot(
    standin: DiscordStandIn, bot_store: CardStore, tmp_path: Path, clock: FakeClock
) -> AsyncIterator[BriefingBot]:
    """The bot with a channel manager, more channels, a second guild, and fast delivery."""
    guild = standin.guilds[GUILD_ID]
    guild.add_role(MANAGER_ROLE, "Channel Manager", permissions=Permission.MANAGE_CHANNELS)
    for channel_id, name in ((NEWS, "news"), (FEED, "feed"), (QUIET, "quiet")):
        guild.add_channel(channel_id, name)
    announcements = ChannelType.GUILD_ANNOUNCEMENT
    newsroom = guild.add_channel(NEWSROOM, "newsroom", type=announcements)
    manage = Permission.MANAGE_MESSAGES
    newsroom["permission_overwrites"] = [overwrite_for(standin.application_id, allow=manage)]
    guild.add_channel(BULLETIN, "bulletin", type=announcements)
    standin.make_user(MANAGER, "mallory")
    standin.add_member(GUILD_ID, MANAGER, roles=[MANAGER_ROLE])
    standin.make_user(CAROL, "carol")
    other = standin.add_guild(OTHER_GUILD, "Other Guild", channels=[(OTHER_CHANNEL, "elsewhere")])
    other.add_role(MANAGER_ROLE + 1, "Manager", permissions=Permission.MANAGE_CHANNELS)
    standin.add_member(OTHER_GUILD, CAROL, roles=[MANAGER_ROLE + 1])
    config = DeliveryConfig(
        clock=clock, poll_interval=0.05, backoff=0.05, backoff_max=0.2, max_attempts=3
    )
    client = BriefingBot(
        settings=make_settings(tmp_path), core=build_core(bot_store), delivery=config
    )
    async with run_bot(client, standin, token=TOKEN, sync=False) as running:
        yield running


def dispatcher(bot: BriefingBot) -> Dispatcher:
    cog: Any = bot.get_cog("Subscriptions")
    return cog.dispatcher  # type: ignore[no-any-return]


async def settle(bot: BriefingBot) -> None:
    """Until the dispatcher has nothing pending or in flight."""
    async with asyncio.timeout(10):
        await dispatcher(bot).drain()


async def publish(bot: BriefingBot, *, edit: tuple[str, ...] = (), add: str | None = None) -> None:
    """Load the shipped pack with cards' summaries edited and/or a card added, then wake."""
    pack = shipped_packs()[0]
    cards = [
        c.model_copy(update={"summary": f"{c.summary} Zanzibar."}) if c.id in edit else c
        for c in pack.cards
    ]
    if add:
        cards.append(pack.cards[-1].model_copy(update={"id": add, "section": 99}))
    await load_pack(bot.core.editor.store, pack.model_copy(update={"cards": cards}))
    dispatcher(bot).wake()


async def subscribe(standin: DiscordStandIn, *, user: int = ALICE_ID, **options: Any) -> Any:
    reply = await standin.slash("subscribe", options=options, user=user)
    assert reply.ephemeral, reply.content
    return reply


# --- commands -----------------------------------------------------------------------------


async def test_subscribe_by_dm_list_and_unsubscribe(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    reply = await subscribe(standin)
    assert "Subscribed your DMs to new and updated cards, as they are published." in reply.content
    listed = await standin.slash("subscriptions")
    assert listed.ephemeral and "your DMs" in listed.embeds[0]["fields"][0]["value"]
    choices = await standin.autocomplete("unsubscribe", "subscription", "")
    assert len(choices) == 1 and "DM · instant · all cards" in choices[0]["name"]
    gone = await standin.slash("unsubscribe", subscription=choices[0]["value"])
    assert gone.ephemeral and "Unsubscribed" in gone.content
    empty = await standin.slash("subscriptions")
    assert "No subscriptions yet" in empty.embeds[0]["description"]
    standin.assert_clean()


async def test_a_channel_needs_a_member_with_manage_channels(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    refused = await standin.slash("subscribe", channel=CHANNEL_ID, user=ALICE_ID)
    assert refused.ephemeral and "Manage Channels" in refused.content
    moderator = await standin.slash("subscribe", channel=CHANNEL_ID, user=BOB_ID)
    assert "Manage Channels" in moderator.content  # Manage Server is not enough
    accepted = await subscribe(standin, user=MANAGER, channel=CHANNEL_ID, domain="energy")
    assert f"Subscribed <#{CHANNEL_ID}> to new and updated cards on Energy" in accepted.content
    assert (
        "Subscription"
        in (await standin.slash("subscriptions", user=MANAGER)).embeds[0]["fields"][0]["name"]
    )
    assert not (await standin.slash("subscriptions", user=ALICE_ID)).embeds[0].get("fields")
    # alice cannot remove it, even knowing its number
    sub_id = (await standin.autocomplete("unsubscribe", "subscription", "", user=MANAGER))[0][
        "value"
    ]
    denied = await standin.slash("unsubscribe", subscription=sub_id, user=ALICE_ID)
    assert "no subscription" in denied.content
    removed = await standin.slash("unsubscribe", subscription=sub_id, user=MANAGER)
    assert "Unsubscribed" in removed.content
    standin.assert_clean()


async def test_subscribing_from_a_dm_with_the_bot(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    reply = await standin.slash("subscribe", dm=True, schedule="weekly", timezone="Asia/Tokyo")
    assert "weekly on Mondays at 09:00 Asia/Tokyo" in reply.content
    listed = await standin.slash("subscriptions", dm=True)
    assert "Next digest" in listed.embeds[0]["fields"][0]["value"]


async def test_options_are_checked_with_helpful_errors(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    zone = await standin.slash("subscribe", schedule="daily", timezone="Europe/Berln")
    assert zone.ephemeral and "Did you mean: Europe/Berlin" in zone.content
    at = await standin.slash("subscribe", schedule="daily", time="25:00")
    assert "HH:MM" in at.content
    instant = await standin.slash("subscribe", time="09:00")
    assert "daily or weekly" in instant.content
    actor = await standin.slash("subscribe", actor="Xi Jinping")
    assert "Xi Jinping" in actor.content
    zones = await standin.autocomplete("subscribe", "timezone", "berlin")
    assert zones[0]["value"] == "Europe/Berlin"
    twice = [await standin.slash("subscribe", actor="Gazprom") for _ in range(2)]
    assert "already exists" in twice[1].content


# --- delivery -----------------------------------------------------------------------------


async def test_a_change_reaches_exactly_the_matching_subscribers_once(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    turkstream = next(c for c in shipped_packs()[0].cards if c.id == TURKSTREAM)
    assert "armenia" not in turkstream.actors
    await subscribe(standin, user=ALICE_ID)
    await subscribe(standin, user=BOB_ID, actor="Armenia")
    await subscribe(standin, user=MANAGER, channel=CHANNEL_ID, domain="energy")
    await subscribe(standin, user=MANAGER, channel=NEWS, domain="south-caucasus")
    await publish(bot, edit=(TURKSTREAM,))
    await settle(bot)
    [update] = standin.dm_messages(ALICE_ID)
    assert update.embeds[0]["author"]["name"].startswith("✏️ Updated in What Does Regime")
    assert update.embeds[0]["author"]["name"].endswith(": summary changed")
    assert update.embeds[0]["title"].startswith("14.")
    assert len(standin.channel_messages(CHANNEL_ID)) == 1
    assert standin.dm_messages(BOB_ID) == [] and standin.channel_messages(NEWS) == []
    sent = standin.requests_to("POST", MESSAGES)
    assert all(r.json["allowed_mentions"] == {"parse": []} for r in sent)
    assert "Zanzibar" in standin.channel_messages(CHANNEL_ID)[0].embeds[0]["description"]
    await publish(bot, edit=(TURKSTREAM,))  # the same again: no change, nothing more
    await settle(bot)
    assert len(standin.dm_messages(ALICE_ID)) == 1
    standin.assert_clean()


async def test_a_new_card_is_delivered_as_new(bot: BriefingBot, standin: DiscordStandIn) -> None:
    await subscribe(standin, welcome=True)
    await publish(bot, add="late-news")
    await settle(bot)
    welcome, card = standin.dm_messages(ALICE_ID)
    assert welcome.content.startswith("👋") and "Regime Change" in welcome.embeds[0]["title"]
    assert card.embeds[0]["author"]["name"].startswith("🆕 New card")
    assert card.embeds[0]["title"].startswith("99.")


async def test_a_daily_digest_arrives_at_nine_in_berlin(
    bot: BriefingBot, standin: DiscordStandIn, clock: FakeClock
) -> None:
    reply = await subscribe(standin, schedule="daily", time="09:00", timezone="Europe/Berlin")
    nine_berlin = datetime(2025, 1, 16, 8, 0, tzinfo=UTC)  # 09:00 CET
    assert f"<t:{int(nine_berlin.timestamp())}:F>" in reply.content
    assert f"<t:{int(nine_berlin.timestamp())}:R>" in reply.content
    await publish(bot, edit=(TURKSTREAM, CAUCASUS))
    clock.set(nine_berlin - timedelta(seconds=30))
    await settle(bot)
    assert standin.dm_messages(ALICE_ID) == []
    clock.set(nine_berlin + timedelta(seconds=1))
    await settle(bot)
    [digest] = standin.dm_messages(ALICE_ID)
    assert digest.embeds[0]["title"] == "Your daily digest: 2 cards new or updated"
    assert digest.embeds[1]["title"].startswith("📘 ")  # briefing by briefing
    assert [e["title"][:3] for e in digest.embeds[2:]] == ["13.", "14."]
    menu = digest.select_menu()  # each card openable here, restart-proof
    assert [o["label"][:3] for o in menu["options"]] == ["13.", "14."]
    opened = await standin.select(digest, menu["custom_id"], [menu["options"][1]["value"]])
    assert opened.ephemeral and opened.embeds[0]["title"] == digest.embeds[3]["title"]
    assert (
        digest.content
        == "-# From your subscription in **Test Guild** · `/subscriptions` lists them all"
    )
    assert all(e["url"].startswith("http") for e in digest.embeds[2:])  # each card linked
    clock.set(nine_berlin + timedelta(days=1, seconds=1))  # nothing changed since: no digest
    await settle(bot)
    assert len(standin.dm_messages(ALICE_ID)) == 1
    standin.assert_clean()


async def test_a_channel_digest_reads_as_a_channels_not_yours(
    bot: BriefingBot, standin: DiscordStandIn, clock: FakeClock
) -> None:
    await subscribe(standin, user=MANAGER, channel=NEWS, schedule="daily")
    await publish(bot, edit=(TURKSTREAM, CAUCASUS))
    clock.set(datetime(2025, 1, 16, 9, 0, 1, tzinfo=UTC))
    await settle(bot)
    [digest] = standin.channel_messages(NEWS)
    assert digest.embeds[0]["title"] == "Today's briefing digest: 2 cards new or updated"
    assert "Your" not in digest.embeds[0]["title"] and digest.content == ""


async def test_a_long_digest_is_split_within_discords_limits(
    bot: BriefingBot, standin: DiscordStandIn, clock: FakeClock
) -> None:
    await subscribe(standin, schedule="weekly", day=2)  # Wednesdays, 09:00 UTC
    everything = tuple(c.id for c in shipped_packs()[0].cards)
    await publish(bot, edit=everything)
    clock.set(datetime(2025, 1, 22, 9, 0, 1, tzinfo=UTC))
    await settle(bot)
    parts = standin.dm_messages(ALICE_ID)
    assert len(parts) >= 2 and sum(len(p.embeds) for p in parts) == 18  # head, briefing, 16
    assert all(len(p.embeds) <= 10 for p in parts)
    standin.assert_clean()  # every part within the 6000-character total


# --- failures -----------------------------------------------------------------------------


async def test_forbidden_and_unknown_destinations_pause_without_retries(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    for channel_id in (CHANNEL_ID, NEWS, FEED):
        await subscribe(standin, user=MANAGER, channel=channel_id)
    await subscribe(standin, user=ALICE_ID)
    standin.inject_fault("POST", f"/channels/{CHANNEL_ID}/messages", Fault.forbidden(50013))
    standin.inject_fault(
        "POST", f"/channels/{NEWS}/messages", Fault.forbidden(50001, "Missing Access")
    )
    standin.inject_fault("POST", f"/channels/{FEED}/messages", Fault.not_found(10003))
    standin.inject_fault(
        "POST", "/users/@me/channels", Fault.error(400, 50007, "Cannot send messages to this user")
    )
    await publish(bot, edit=(TURKSTREAM,))
    await settle(bot)
    for channel_id in (CHANNEL_ID, NEWS, FEED):
        assert len(standin.requests_to("POST", f"/channels/{channel_id}/messages")) == 1
    listed = await standin.slash("subscriptions", user=MANAGER)
    statuses = "\n".join(f["value"] for f in listed.embeds[0]["fields"])
    for code in ("50013", "50001", "10003"):
        assert f"[{code}]" in statuses
    assert statuses.count("⏸️ paused") == 3
    mine = await standin.slash("subscriptions", user=ALICE_ID)
    assert "I can't DM this member" in mine.embeds[0]["fields"][0]["value"]
    resumed = await standin.slash("subscription", subcommand="resume", subscription=1, user=MANAGER)
    assert "Resumed" in resumed.content
    await publish(bot, edit=(TURKSTREAM, CAUCASUS))
    await settle(bot)
    [after] = standin.channel_messages(CHANNEL_ID)  # resumed from now: only the new change
    assert after.embeds[0]["title"].startswith("13.")


async def test_server_errors_are_retried_then_delivered_or_recorded(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    await subscribe(standin, user=MANAGER, channel=CHANNEL_ID)
    await subscribe(standin, user=MANAGER, channel=NEWS)
    standin.inject_fault(
        "POST", f"/channels/{CHANNEL_ID}/messages", Fault.server_error(503), times=2
    )
    standin.inject_fault("POST", f"/channels/{NEWS}/messages", Fault.server_error(503), times=9)
    await publish(bot, edit=(TURKSTREAM,))
    await settle(bot)
    assert len(standin.requests_to("POST", f"/channels/{CHANNEL_ID}/messages")) == 3
    assert len(standin.channel_messages(CHANNEL_ID)) == 1
    assert len(standin.requests_to("POST", f"/channels/{NEWS}/messages")) == 3  # max_attempts
    assert standin.channel_messages(NEWS) == []
    listed = await standin.slash("subscriptions", user=MANAGER)
    news = listed.embeds[0]["fields"][1]["value"]
    assert "✅ active" in news and "gave up after 3 attempts: 503" in news


async def test_the_bot_leaving_a_guild_pauses_its_channel_subscriptions(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    there = await standin.slash(
        "subscribe",
        channel=OTHER_CHANNEL,
        user=CAROL,
        guild_id=OTHER_GUILD,
        channel_id=OTHER_CHANNEL,
    )
    assert "Subscribed" in there.content
    await subscribe(standin, user=CAROL)  # by DM: kept
    await standin.gateway.dispatch("GUILD_DELETE", {"id": str(OTHER_GUILD)}, guild_id=OTHER_GUILD)

    async def paused() -> list[bool]:
        return [
            s.active
            for s in await bot.core.subscriptions.visible(
                CAROL, guild_id=None, with_guild_channels=False
            )
        ]

    for _ in range(250):  # GUILD_DELETE is handled as the gateway delivers it
        if await paused() == [False, True]:
            return
        await asyncio.sleep(0.02)
    pytest.fail(f"channel subscription not paused: {await paused()}")


async def test_a_member_who_left_gets_no_more_of_that_guilds_own_cards(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    await subscribe(standin)
    del standin.guilds[GUILD_ID].members[ALICE_ID]  # left; the bot is not told
    data = sample_pack_data(slug="guild-pack", cards=1)
    for section in ("actors", "events", "leverage", "cards"):
        for record in data[section]:
            record["guild_id"] = GUILD_ID
    await load_pack(bot.core.editor.store, PackFile.model_validate(data))
    dispatcher(bot).wake()
    await settle(bot)
    assert standin.dm_messages(ALICE_ID) == []
    [sub] = await bot.core.subscriptions.visible(ALICE_ID, guild_id=None, with_guild_channels=False)
    assert sub.paused_reason is not None and "[10007]" in sub.paused_reason


def test_the_standins_global_limit_answers_like_discord() -> None:
    now = [100.0]
    limit = GlobalRateLimit(3, clock=lambda: now[0])
    assert [limit.take("/channels/1/messages") for _ in range(3)] == [None] * 3
    assert limit.take("/interactions/1/t/callback") is None  # exempt, as on Discord
    refused = limit.take("/channels/2/messages")
    assert refused is not None and refused.status == 429 and refused.body is not None
    assert refused.body["global"] is True and refused.headers["X-RateLimit-Global"] == "true"
    assert refused.headers["Retry-After"] == "1.000" and "Via" in refused.headers
    now[0] += 1.0
    assert limit.take("/channels/2/messages") is None
    assert (limit.accepted, limit.rejected, limit.busiest_second) == (4, 1, 4)


async def test_global_429s_are_honoured_and_nothing_is_sent_twice(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    channels = range(7000, 7012)
    for channel_id in channels:
        standin.guilds[GUILD_ID].add_channel(channel_id, f"c{channel_id}")
    store = bot.core.subscriptions.store
    for channel_id in channels:  # straight into the store: the bot's cache predates them
        await store.create(
            channel_request(channel_id), now=datetime.now(UTC), at_most=MAX_SUBSCRIPTIONS_PER_MEMBER
        )
    dispatcher(bot).pacer.interval = 0.0  # no cap of our own: Discord's 429s must pace us
    standin.global_limit = GlobalRateLimit(5)
    await publish(bot, edit=(TURKSTREAM,))
    await settle(bot)
    assert standin.global_limit.rejected > 0
    assert all(len(standin.channel_messages(c)) == 1 for c in channels)


def channel_request(channel_id: int) -> NewSubscription:
    return NewSubscription(Target.CHANNEL, GUILD_ID, channel_id, None, MANAGER)


# --- privacy ------------------------------------------------------------------------------


async def test_a_member_sees_and_deletes_their_data(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    await subscribe(standin)
    await subscribe(standin, schedule="weekly", domain="energy")
    shown = await standin.slash("mydata", subcommand="show")
    assert shown.ephemeral and len(shown.embeds[0]["fields"]) == 2
    assert "What I store about you" in shown.embeds[0]["description"]
    asked = await standin.slash("mydata", subcommand="delete")
    assert "your 2 subscriptions by DM" in asked.content
    delete = next(
        b for row in asked.components for b in row["components"] if "Delete" in b["label"]
    )
    done = await standin.click(asked, delete["custom_id"])
    assert "2 subscriptions by DM deleted" in done.latest().content
    after = await standin.slash("mydata", subcommand="show")
    assert "I store nothing about you" in after.embeds[0]["description"]
    standin.assert_clean()


# --- hardening ----------------------------------------------------------------------------


async def test_rate_limits_delay_a_delivery_but_never_lose_it(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    """discord.py gives up after 5 429s in a row with a 429 error; three such rounds are more
    than max_attempts (3) allows a failing destination, yet the card arrives."""
    await subscribe(standin, user=MANAGER, channel=CHANNEL_ID)
    route = f"/channels/{CHANNEL_ID}/messages"
    standin.inject_fault("POST", route, Fault.rate_limited(0.01), times=15)
    await publish(bot, edit=(TURKSTREAM,))
    await settle(bot)
    assert len(standin.requests_to("POST", route)) == 16
    assert len(standin.channel_messages(CHANNEL_ID)) == 1
    listed = await standin.slash("subscriptions", user=MANAGER)
    assert "gave up" not in listed.embeds[0]["fields"][0]["value"]


async def test_an_import_reaches_an_instant_subscriber_as_one_message(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    await subscribe(standin, user=MANAGER, channel=CHANNEL_ID)
    everything = tuple(c.id for c in shipped_packs()[0].cards)
    await publish(bot, edit=everything)
    await settle(bot)
    [summary] = standin.channel_messages(CHANNEL_ID)
    assert summary.embeds[0]["title"].startswith(f"{len(everything)} cards new or updated in ")
    assert "**14.**" in summary.embeds[0]["description"]
    standin.assert_clean()


async def test_a_forged_channel_from_another_server_is_refused(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    """The payload names a channel of another server (resolved with every permission);
    the bot checks the channel against its own view of this server."""
    channel = standin.world.resolved_channel(OTHER_CHANNEL) | {"guild_id": str(GUILD_ID)}
    forged = {"channels": {str(OTHER_CHANNEL): channel}}
    refused = await standin.slash("subscribe", channel=OTHER_CHANNEL, user=MANAGER, resolved=forged)
    assert refused.ephemeral and "not a channel of this server" in refused.content
    assert (
        await bot.core.subscriptions.visible(MANAGER, guild_id=None, with_guild_channels=False)
        == []
    )


async def test_every_press_on_the_delete_confirmation_gets_an_answer(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    await subscribe(standin)
    asked = await standin.slash("mydata", subcommand="delete")
    delete = next(
        b for row in asked.components for b in row["components"] if "Delete" in b["label"]
    )
    stranger = await standin.click(asked, delete["custom_id"], user=BOB_ID)
    assert stranger.ephemeral and "for the member who asked" in stranger.content
    assert (
        len(
            await bot.core.subscriptions.visible(ALICE_ID, guild_id=None, with_guild_channels=False)
        )
        == 1
    )
    first, second = await asyncio.gather(  # a double click: both presses reach the bot
        standin.click(asked, delete["custom_id"]), standin.click(asked, delete["custom_id"])
    )
    answers = sorted([first.latest().content, second.content])
    assert any("Already done" in a for a in answers)
    assert any("1 subscription by DM deleted" in a for a in answers)


# --- role pings ---------------------------------------------------------------------------

PINGED, OTHER_ROLE, SHY_ROLE = 4441, 4442, 4443
HOSTILE = " @everyone @here <@&{other}> <@{alice}> <@&{pinged}>"


async def publish_text(bot: BriefingBot, card: str, text: str) -> None:
    pack = shipped_packs()[0]
    cards = [
        c.model_copy(update={"summary": c.summary + text}) if c.id == card else c
        for c in pack.cards
    ]
    await load_pack(bot.core.editor.store, pack.model_copy(update={"cards": cards}))
    dispatcher(bot).wake()


async def role_event(
    bot: BriefingBot, standin: DiscordStandIn, kind: str, role_id: int, name: str, **how: Any
) -> None:
    """Add or change a role in the stand-in and tell the bot, as Discord does (gateway)."""
    role = standin.guilds[GUILD_ID].add_role(role_id, name, **how)
    seen = asyncio.ensure_future(bot.wait_for(f"guild_role_{kind.lower()}"))
    await standin.gateway.dispatch(
        f"GUILD_ROLE_{kind}", {"guild_id": str(GUILD_ID), "role": role}, guild_id=GUILD_ID
    )
    async with asyncio.timeout(5):
        await seen


async def test_a_role_ping_reaches_that_role_and_no_one_else(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    await role_event(bot, standin, "CREATE", PINGED, "Briefing readers", mentionable=True)
    await role_event(bot, standin, "CREATE", OTHER_ROLE, "Everyone else", mentionable=True)
    await role_event(bot, standin, "CREATE", SHY_ROLE, "Shy", mentionable=False)
    refused = await standin.slash("subscribe", ping_role=PINGED, user=MANAGER)
    assert "A role ping is for channel subscriptions" in refused.content
    shy = await standin.slash("subscribe", channel=NEWS, ping_role=SHY_ROLE, user=MANAGER)
    assert f"I can't mention <@&{SHY_ROLE}> in <#{NEWS}>" in shy.content
    everyone = await standin.slash("subscribe", channel=NEWS, ping_role=GUILD_ID, user=MANAGER)
    assert "I don't ping @everyone" in everyone.content
    accepted = await subscribe(standin, user=MANAGER, channel=CHANNEL_ID, ping_role=PINGED)
    assert f"Each delivery pings <@&{PINGED}>, and no one else." in accepted.content
    await subscribe(standin, user=MANAGER, channel=FEED)  # no ping
    hostile = HOSTILE.format(other=OTHER_ROLE, alice=ALICE_ID, pinged=PINGED)
    await publish_text(bot, TURKSTREAM, hostile)
    await settle(bot)
    [pinged] = standin.channel_messages(CHANNEL_ID)
    assert pinged.content == f"<@&{PINGED}>"
    assert hostile.strip() in pinged.embeds[0]["description"]
    data = pinged.message
    assert data is not None
    assert (data["mention_roles"], data["mention_everyone"], data["mentions"]) == (
        [str(PINGED)],
        False,
        [],
    )
    [sent] = standin.requests_to("POST", f"/channels/{CHANNEL_ID}/messages")
    assert sent.json["allowed_mentions"] == {"parse": [], "roles": [PINGED]}
    [quiet] = standin.requests_to("POST", f"/channels/{FEED}/messages")
    assert quiet.json["allowed_mentions"] == {"parse": []}
    listed = await standin.slash("subscriptions", user=MANAGER)
    assert f"Pings: <@&{PINGED}>" in listed.embeds[0]["fields"][0]["value"]


async def test_a_role_that_can_no_longer_be_pinged_pauses_with_the_reason(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    await role_event(bot, standin, "CREATE", PINGED, "Briefing readers", mentionable=True)
    await subscribe(standin, user=MANAGER, channel=CHANNEL_ID, ping_role=PINGED)
    await role_event(bot, standin, "UPDATE", PINGED, "Briefing readers", mentionable=False)
    await publish(bot, edit=(TURKSTREAM,))
    await settle(bot)
    assert standin.channel_messages(CHANNEL_ID) == []
    listed = await standin.slash("subscriptions", user=MANAGER)
    assert (
        "⏸️ paused: I may no longer mention the role it pings"
        in (listed.embeds[0]["fields"][0]["value"])
    )


# --- buttons under a delivery --------------------------------------------------------------


async def test_a_delivery_opens_its_card_privately_where_it_may_be_read(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    await subscribe(standin)  # alice, by DM, made in the test guild
    await subscribe(standin, user=MANAGER, channel=NEWS)
    await publish(bot, edit=(TURKSTREAM,))
    await settle(bot)
    [in_dm] = standin.dm_messages(ALICE_ID)
    [in_channel] = standin.channel_messages(NEWS)
    assert in_dm.button("Unsubscribe") and in_channel.button("Open card")
    with pytest.raises(AssertionError, match="no button"):
        in_channel.button("Unsubscribe")  # a channel's members did not subscribe it
    for message in (in_dm, in_channel):
        opened = await standin.press(message, "Open card", user=ALICE_ID)
        assert opened.ephemeral and opened.embeds[0]["title"] == message.embeds[0]["title"]
        assert "Key points" in [f["name"] for f in opened.embeds[0]["fields"]]
    data = sample_pack_data(slug="guild-pack", cards=1)
    for section in ("actors", "events", "leverage", "cards"):
        for record in data[section]:
            record["guild_id"] = GUILD_ID
    await load_pack(bot.core.editor.store, PackFile.model_validate(data))
    dispatcher(bot).wake()
    await settle(bot)
    own = standin.dm_messages(ALICE_ID)[-1]  # a new briefing: one message, a menu of cards
    menu = own.select_menu()
    [option] = menu["options"]
    opened = await standin.select(own, menu["custom_id"], [option["value"]], user=ALICE_ID)
    assert opened.ephemeral and opened.embeds[0]["title"] == option["label"]
    del standin.guilds[GUILD_ID].members[ALICE_ID]  # left: that server's card stays there
    refused = await standin.select(own, menu["custom_id"], [option["value"]], user=ALICE_ID)
    assert refused.ephemeral and "can't be opened here" in refused.content
    assert not refused.embeds


async def test_unsubscribe_under_a_dm_asks_once_then_stops_it(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    await subscribe(standin)
    await publish(bot, edit=(TURKSTREAM,))
    await settle(bot)
    [delivered] = standin.dm_messages(ALICE_ID)
    asked = await standin.press(delivered, "Unsubscribe", user=ALICE_ID)
    assert asked.ephemeral and "Stop subscription **1**?" in asked.content
    assert (await bot.core.subscriptions.get(1)) is not None  # nothing happens before yes
    kept = await standin.press(asked, "Keep it", user=ALICE_ID)
    assert "Kept" in kept.content and (await bot.core.subscriptions.get(1)) is not None
    again = await standin.press(delivered, "Unsubscribe", user=ALICE_ID)
    done = await standin.press(again, "Unsubscribe", user=ALICE_ID)
    assert "Unsubscribed: subscription **1**" in done.content
    assert (await bot.core.subscriptions.get(1)) is None
    gone = await standin.press(delivered, "Unsubscribe", user=ALICE_ID)
    assert gone.ephemeral and "no subscription **1**" in gone.content


# --- corrections --------------------------------------------------------------------------


async def test_a_correction_edits_the_card_sent_within_a_week(
    bot: BriefingBot, standin: DiscordStandIn, clock: FakeClock
) -> None:
    await subscribe(standin, user=MANAGER, channel=NEWS)  # corrections: edit (the default)
    await subscribe(standin, user=MANAGER, channel=FEED, corrections="new")
    await subscribe(standin)  # alice, by DM
    await publish_text(bot, TURKSTREAM, " First.")
    await settle(bot)
    [sent] = standin.channel_messages(NEWS)
    [in_dm] = standin.dm_messages(ALICE_ID)
    await publish_text(bot, TURKSTREAM, " Second.")
    await settle(bot)
    [edited] = standin.channel_messages(NEWS)
    assert edited.message_id == sent.message_id and edited.message is not None
    assert edited.message["edited_timestamp"] is not None
    text = edited.embeds[0]["description"]
    assert "Second." in text and "First." not in text
    assert edited.embeds[0]["author"]["name"].startswith("✏️ Updated in")
    assert "summary changed" in edited.embeds[0]["author"]["name"]
    assert edited.button("Open card")
    path = f"/channels/{NEWS}/messages/{sent.message_id}"
    assert len(standin.requests_to("PATCH", path)) == 1
    assert len(standin.requests_to("POST", f"/channels/{NEWS}/messages")) == 1
    [dm_edited] = standin.dm_messages(ALICE_ID)  # a DM too, keeping its context line
    assert dm_edited.message_id == in_dm.message_id and dm_edited.content == in_dm.content
    assert "Second." in dm_edited.embeds[0]["description"]
    assert len(standin.channel_messages(FEED)) == 2  # chose a new message for each
    clock.set(clock() + timedelta(days=8))  # older than a week: a new message
    await publish_text(bot, TURKSTREAM, " Third.")
    await settle(bot)
    assert len(standin.channel_messages(NEWS)) == 2
    assert "Third." in standin.channel_messages(NEWS)[-1].embeds[0]["description"]


# --- announcement channels ----------------------------------------------------------------


async def test_announcement_deliveries_are_published_within_the_hourly_limit(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    text = await standin.slash("subscribe", channel=CHANNEL_ID, publish=True, user=MANAGER)
    assert "`publish` is for announcement channels" in text.content
    bulletin = await standin.slash("subscribe", channel=BULLETIN, publish=True, user=MANAGER)
    assert f"I can't publish in <#{BULLETIN}>" in bulletin.content
    await subscribe(standin, user=MANAGER, channel=NEWSROOM, publish=True, corrections="new")
    for n in range(11):
        await publish_text(bot, TURKSTREAM, f" Round {n}.")
        await settle(bot)
    sent = standin.channel_messages(NEWSROOM)
    assert len(sent) == 11
    published = [m for m in sent if m.message and m.message["flags"] & CROSSPOSTED]
    assert len(published) == 10  # Discord's limit: 10 an hour a channel
    crossposts = standin.requests_to(
        "POST", "/channels/{channel_id}/messages/{message_id}/crosspost"
    )
    assert len(crossposts) == 10 and all(r.status == 200 for r in crossposts)


async def test_publishing_without_manage_messages_pauses_with_the_reason(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    await subscribe(standin, user=MANAGER, channel=NEWSROOM, publish=True)
    standin.guilds[GUILD_ID].channels[NEWSROOM]["permission_overwrites"] = []  # taken away
    await publish(bot, edit=(TURKSTREAM,))
    await settle(bot)
    [posted] = standin.channel_messages(NEWSROOM)  # posted, but not published
    assert posted.message is not None and not posted.message["flags"] & CROSSPOSTED
    listed = await standin.slash("subscriptions", user=MANAGER)
    value = listed.embeds[0]["fields"][0]["value"]
    assert "⏸️ paused: I may no longer publish in the announcement channel" in value


async def test_no_mutual_guilds_pauses_a_dm_subscription_like_closed_dms(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    await subscribe(standin)
    standin.inject_fault("POST", "/users/@me/channels", Fault.error(400, 50278, "No mutual guilds"))
    await publish(bot, edit=(TURKSTREAM,))
    await settle(bot)
    assert len(standin.requests_to("POST", "/users/@me/channels")) == 1  # no retries
    mine = await standin.slash("subscriptions", user=ALICE_ID)
    value = mine.embeds[0]["fields"][0]["value"]
    assert "⏸️ paused: I can't DM this member: we share no server any more [50278]" in value
