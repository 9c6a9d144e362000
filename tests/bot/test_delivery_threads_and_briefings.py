"""Deliveries in threads and forum posts, and new briefings as one message each, end to end
through the stand-in."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.client import BriefingBot
from bot.delivery import DeliveryConfig
from briefings.app import build_core
from briefings.changes import ChangeSet
from briefings.desk import BriefingDraft
from briefings.models import Card, PackFile, Status
from briefings.store import CardStore, load_pack
from tests.bot.support import OTHER_CHANNEL, OTHER_GUILD, TOKEN, make_settings
from tests.bot.test_subscriptions import FakeClock, dispatcher, publish, settle, subscribe
from tests.briefings.sample import sample_pack_data
from tests.discord_standin import Permission
from tests.discord_standin.crossposts import overwrite_for
from tests.discord_standin.fixtures import ALICE_ID, BOB_ID, GUILD_ID, run_bot
from tests.discord_standin.server import DiscordStandIn
from tests.discord_standin.threads import (
    CREATE_PUBLIC_THREADS,
    SEND_MESSAGES_IN_THREADS,
    add_forum,
    add_thread,
    threads_of,
)

MANAGER, MANAGER_ROLE = 3001, 3333
TEXT, CLOSED, FORUM, SHUT_FORUM = 301, 302, 303, 304
THREAD, OLD_THREAD = 311, 312
ENERGY_TAG, SYRIA_TAG, SPORT_TAG = 901, 902, 903
TURKSTREAM, CAUCASUS = "energy-turkstream", "south-caucasus-flank"
PACK_TITLE = "What Does Regime Change in Syria Mean for Russian-Turkish Relations?"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2025, 1, 15, 12, 0, tzinfo=UTC))


@pytest.fixture
async def bot(
    standin: DiscordStandIn, bot_store: CardStore, tmp_path: Path, clock: FakeClock
) -> AsyncIterator[BriefingBot]:
    """A text channel the bot may open threads in, one it may not, a thread, an archived
    thread, a forum with tags and a forum the bot may not post in."""
    guild = standin.guilds[GUILD_ID]
    guild.add_role(MANAGER_ROLE, "Channel Manager", permissions=Permission.MANAGE_CHANNELS)
    standin.make_user(MANAGER, "mallory")
    standin.add_member(GUILD_ID, MANAGER, roles=[MANAGER_ROLE])
    me = standin.application_id
    text = guild.add_channel(TEXT, "briefings")
    text["permission_overwrites"] = [overwrite_for(me, allow=CREATE_PUBLIC_THREADS)]
    guild.add_channel(CLOSED, "closed")  # no Create Public Threads for the bot
    add_thread(guild, THREAD, "briefing-talk", parent_id=TEXT)
    add_thread(guild, OLD_THREAD, "last-year", parent_id=CLOSED, archived=True)
    add_forum(guild, FORUM, "reading", tags=[(ENERGY_TAG, "Energy"), (SYRIA_TAG, "syria")])
    guild.channels[FORUM]["available_tags"].append(
        {"id": str(SPORT_TAG), "name": "Sport", "moderated": False, "emoji_id": None,
         "emoji_name": None}
    )  # fmt: skip
    standin.add_guild(OTHER_GUILD, "Other Guild", channels=[(OTHER_CHANNEL, "elsewhere")])
    shut = add_forum(guild, SHUT_FORUM, "closed-forum")
    shut["permission_overwrites"] = [overwrite_for(me, deny=Permission.SEND_MESSAGES)]
    config = DeliveryConfig(
        clock=clock, poll_interval=0.05, backoff=0.05, backoff_max=0.2, max_attempts=3
    )
    client = BriefingBot(
        settings=make_settings(tmp_path), core=build_core(bot_store), delivery=config
    )
    async with run_bot(client, standin, token=TOKEN, sync=False) as running:
        yield running


async def status(standin: DiscordStandIn) -> str:
    listed = await standin.slash("subscriptions", user=MANAGER)
    return "\n".join(f["value"] for e in listed.embeds for f in e.get("fields", []))


async def test_a_subscription_in_a_thread_posts_there_and_wakes_it_when_archived(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    await subscribe(standin, user=MANAGER, channel=THREAD)
    await subscribe(standin, user=MANAGER, channel=OLD_THREAD)
    await publish(bot, edit=(TURKSTREAM,))
    await settle(bot)
    [here] = standin.channel_messages(THREAD)
    assert here.embeds[0]["title"].startswith("14. Energy") and here.button("Open card")
    assert standin.channel_messages(TEXT) == []  # the thread, not its channel
    assert len(standin.channel_messages(OLD_THREAD)) == 1  # archived: the message wakes it
    assert standin.channel(OLD_THREAD)["thread_metadata"]["archived"] is False
    standin.assert_clean()


async def test_a_locked_thread_or_lost_permission_pauses_with_the_reason(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    await subscribe(standin, user=MANAGER, channel=THREAD)
    await subscribe(standin, user=MANAGER, channel=OLD_THREAD)
    meta = standin.channel(OLD_THREAD)["thread_metadata"]
    meta["archived"] = meta["locked"] = True  # a moderator closed it since
    text = standin.channel(TEXT)
    text["permission_overwrites"] = [
        overwrite_for(standin.application_id, deny=SEND_MESSAGES_IN_THREADS)
    ]
    await publish(bot, edit=(TURKSTREAM,))
    await settle(bot)
    assert standin.channel_messages(THREAD) == standin.channel_messages(OLD_THREAD) == []
    listed = await status(standin)
    assert "archived and locked" in listed
    assert "Send Messages in Threads" in listed


async def test_one_thread_per_briefing_in_a_text_channel(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    reply = await subscribe(standin, user=MANAGER, channel=TEXT, threads="briefing")
    assert "in one thread per briefing" in reply.content
    await publish(bot, edit=(TURKSTREAM,))
    await settle(bot)
    await publish(bot, edit=(CAUCASUS,))
    await settle(bot)
    [thread] = threads_of(standin.world, TEXT)[1:]  # after the configured one
    assert thread["name"] == PACK_TITLE and thread["type"] == 11
    titles = [m.embeds[0]["title"][:7] for m in standin.channel_messages(int(thread["id"]))]
    assert titles == ["14. Ene", "2 cards"]  # the briefing's deliveries, in its one thread
    assert standin.channel_messages(TEXT) == []
    standin.assert_clean()


async def test_a_new_thread_for_each_digest(
    bot: BriefingBot, standin: DiscordStandIn, clock: FakeClock
) -> None:
    await subscribe(standin, user=MANAGER, channel=TEXT, schedule="daily", threads="digest")
    for day, card in ((16, TURKSTREAM), (17, CAUCASUS)):
        await publish(bot, edit=(card,))
        clock.set(datetime(2025, 1, day, 9, 0, 1, tzinfo=UTC))
        await settle(bot)
    opened = threads_of(standin.world, TEXT)[1:]
    names = [t["name"] for t in opened]  # the second day also restores the first card
    assert names == [f"Today's briefing digest: {n} new or updated" for n in ("1 card", "2 cards")]
    for thread in opened:
        [digest] = standin.channel_messages(int(thread["id"]))
        assert digest.select_menu()["placeholder"] == "Open a card…"
    standin.assert_clean()


async def test_a_forum_gets_one_post_per_briefing_tagged_by_domain(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    reply = await subscribe(standin, user=MANAGER, channel=FORUM)
    assert "as one forum post per briefing" in reply.content
    await publish(bot, edit=(TURKSTREAM,))
    await settle(bot)
    await publish(bot, edit=(CAUCASUS,))
    await settle(bot)
    [post] = threads_of(standin.world, FORUM)
    assert post["name"] == PACK_TITLE
    assert post["applied_tags"] == [str(ENERGY_TAG)]  # the energy card opened it; no Sport
    first, second = standin.channel_messages(int(post["id"]))
    assert first.embeds[0]["title"].startswith("14.") and first.button("Open card")
    assert second.embeds[0]["title"].startswith("2 cards new or updated")  # 13 and 14 again
    standin.assert_clean()


async def test_missing_thread_and_post_permissions_are_refused_by_name(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    closed = await standin.slash("subscribe", channel=CLOSED, threads="briefing", user=MANAGER)
    assert closed.ephemeral and "Create Public Threads" in closed.content
    forum = await standin.slash("subscribe", channel=SHUT_FORUM, user=MANAGER)
    assert forum.ephemeral and "Create Posts" in forum.content
    nested = await standin.slash("subscribe", channel=THREAD, threads="digest", user=MANAGER)
    assert nested.ephemeral and "is a thread already" in nested.content
    dm = await standin.slash("subscribe", threads="digest", user=MANAGER)
    assert dm.ephemeral and "New threads are for channel subscriptions" in dm.content
    assert (await status(standin)) == ""


async def test_permission_lost_later_pauses_with_its_name(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    await subscribe(standin, user=MANAGER, channel=TEXT, threads="briefing")
    await subscribe(standin, user=MANAGER, channel=FORUM)
    standin.channel(TEXT)["permission_overwrites"] = []  # Discord's view; the bot's is stale
    forum = standin.channel(FORUM)
    forum["permission_overwrites"] = [
        overwrite_for(standin.application_id, deny=Permission.SEND_MESSAGES)
    ]
    await publish(bot, edit=(TURKSTREAM,))
    await settle(bot)
    assert threads_of(standin.world, FORUM) == [] and len(threads_of(standin.world, TEXT)) == 1
    listed = await status(standin)
    assert "open threads in the channel (give me Create Public Threads" in listed
    assert "create posts in the forum (give me Create Posts" in listed


# --- new briefings ------------------------------------------------------------------------


async def new_briefing(bot: BriefingBot, slug: str, cards: int) -> None:
    """A server's new briefing, loaded whole in one change set (as an import publishes it)."""
    data = sample_pack_data(slug=slug, cards=cards)
    data["pack"]["bottom_line"] = "The pass decides who trades."
    for section in ("actors", "events", "leverage", "cards"):
        for record in data[section]:
            record["guild_id"] = GUILD_ID
    for card in data["cards"]:
        card["leverage"] = [f"{slug}-tolls"]  # economy
    await load_pack(bot.core.editor.store, PackFile.model_validate(data))
    dispatcher(bot).wake()
    await settle(bot)


async def test_a_new_briefing_is_one_message_with_its_sections(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    reply = await subscribe(standin, follow="briefings")
    assert "Subscribed your DMs to new briefings" in reply.content
    await subscribe(standin, user=MANAGER, channel=TEXT)  # every card: the briefing too
    await publish(bot, edit=(TURKSTREAM,))  # an update of a briefing already out
    await settle(bot)
    assert standin.dm_messages(ALICE_ID) == []
    assert len(standin.channel_messages(TEXT)) == 1
    await new_briefing(bot, "pass-report", cards=3)
    [announced] = standin.dm_messages(ALICE_ID)
    [_, in_channel] = standin.channel_messages(TEXT)  # one message, not three
    for message in (announced, in_channel):
        item = message.embeds[0]
        assert item["author"]["name"] == "🆕 New briefing" and item["title"] == "A Sample Briefing"
        assert "The pass decides who trades." in item["description"]
        fields = {f["name"]: f["value"] for f in item["fields"]}
        assert item["description"].startswith("*By A. Writer · Example Press · 2 Jan 2024*")
        assert [f"**{n}.** Part {n}" in fields["Sections (3)"] for n in (1, 2, 3)] == [True] * 3
        assert len(message.select_menu()["options"]) == 3
    menu = in_channel.select_menu()
    opened = await standin.select(in_channel, menu["custom_id"], [menu["options"][0]["value"]])
    assert opened.ephemeral and opened.embeds[0]["title"] == menu["options"][0]["label"]
    standin.assert_clean()


async def test_following_briefings_narrows_by_domain_and_never_floods(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    await subscribe(standin, follow="briefings", domain="economy")  # the sample's arena
    await subscribe(standin, user=MANAGER, channel=TEXT, follow="briefings", domain="energy")
    await new_briefing(bot, "pass-report", cards=30)  # a bulk import: thirty cards at once
    [announced] = standin.dm_messages(ALICE_ID)
    assert [f["name"] for f in announced.embeds[0]["fields"]] == ["Sections (30)"]
    assert standin.channel_messages(TEXT) == []  # no energy in it
    await new_briefing(bot, "pass-report", cards=31)  # one more card later: not a new briefing
    assert len(standin.dm_messages(ALICE_ID)) == 1
    standin.assert_clean()


async def test_a_briefing_published_whole_from_the_desk_is_one_message_for_its_server(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    await subscribe(standin, follow="briefings")  # alice, by DM, from this server
    await subscribe(standin, user=MANAGER, channel=TEXT)  # every card
    elsewhere = await standin.slash(
        "subscribe", options={"follow": "briefings"}, user=BOB_ID, guild_id=OTHER_GUILD
    )
    assert elsewhere.ephemeral and "new briefings" in elsewhere.content
    desk, editor = bot.core.desk, bot.core.editor
    form = BriefingDraft.from_form(
        title="Who Holds the Strait?", author="Ana Tester", publisher="Example Review",
        published="2031-05-02", source_url="https://example.org/strait",
        bottom_line="Whoever holds the strait holds the trade.",
    )  # fmt: skip
    made = await desk.create_briefing(form, guild_id=GUILD_ID, member=MANAGER)
    for section, name in enumerate(("strait", "ports", "tolls"), start=1):
        card = Card(
            id=f"g{GUILD_ID}-{name}", pack=made.slug, section=section, title=name.title(),
            summary=f"The {name} matter.", status=Status.DRAFT, guild_id=GUILD_ID,
        )  # fmt: skip
        changes = ChangeSet(pack=made.slug, cards=[(None, card)])
        await editor.save(changes, guild_id=GUILD_ID, action="add", member_id=MANAGER)
    dispatcher(bot).wake()
    await settle(bot)
    assert standin.dm_messages(ALICE_ID) == standin.channel_messages(TEXT) == []  # drafts
    await desk.publish_briefing(made.slug, guild_id=GUILD_ID, member=MANAGER)
    dispatcher(bot).wake()
    await settle(bot)
    [announced] = standin.dm_messages(ALICE_ID)
    [in_channel] = standin.channel_messages(TEXT)
    for message in (announced, in_channel):
        item = message.embeds[0]
        assert item["title"] == "Who Holds the Strait?" and "holds the trade" in item["description"]
        assert [f["name"] for f in item["fields"]] == ["Sections (3)"]
    assert standin.dm_messages(BOB_ID) == []  # another server's subscriber: not theirs
    standin.assert_clean()


async def test_another_servers_briefing_is_neither_offered_nor_followed(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    form = BriefingDraft.from_form(
        title="Their Own Strait", author="B", publisher="P", published="2031-05-02",
        source_url="https://example.org/theirs",
    )  # fmt: skip
    theirs = await bot.core.desk.create_briefing(form, guild_id=OTHER_GUILD, member=BOB_ID)
    await bot.core.desk.publish_briefing(theirs.slug, guild_id=OTHER_GUILD, member=BOB_ID)
    offered = await standin.autocomplete("subscribe", "pack", "")
    assert offered and all(c["value"] != theirs.slug for c in offered)
    there = await standin.autocomplete("subscribe", "pack", "", guild_id=OTHER_GUILD, user=BOB_ID)
    assert theirs.slug in [c["value"] for c in there]
    refused = await standin.slash("subscribe", pack=theirs.slug)
    assert refused.ephemeral and "Subscribed" not in refused.content
    assert "Their Own Strait" not in refused.content
