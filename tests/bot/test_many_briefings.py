"""Many briefings end to end through the stand-in: an editor imports a second article's
pack through Discord; that server's members see both briefings and get answers from it,
each answer naming its briefing; another server sees neither it nor any change to what
the shipped briefing says of a shared actor (issue 13, items 1, 5, 6)."""

from __future__ import annotations

from typing import Any

import yaml

from bot import limits
from bot.client import BriefingBot
from tests.bot.support import OTHER_CHANNEL, OTHER_GUILD, card_command
from tests.bot.test_presentation import visible
from tests.briefings.test_many_briefings import strait_pack
from tests.discord_standin.fixtures import ALICE_ID, BOB_ID, GUILD_ID
from tests.discord_standin.server import DiscordStandIn

SHIPPED_TITLE = "What Does Regime Change in Syria Mean for Russian-Turkish Relations?"
STRAIT = f"g{GUILD_ID}-strait-2031"
QUESTION = "Who closed the strait to Russian warships?"


async def import_strait(standin: DiscordStandIn) -> Any:
    upload = ("strait.yaml", yaml.safe_dump(strait_pack(), allow_unicode=True).encode())
    plan = await card_command(standin, "import", user=BOB_ID, file=upload)
    assert "New briefing of this server" in plan.text and "The Strait Closes" in plan.text
    done = await standin.press(plan, "Import", user=BOB_ID)
    assert "1 added" in done.latest().content
    return done


async def elsewhere(standin: DiscordStandIn, command: str, /, **options: Any) -> Any:
    return await standin.slash(
        command, options=options, guild_id=OTHER_GUILD, channel_id=OTHER_CHANNEL
    )


async def test_an_imported_briefing_is_listed_and_opened_in_its_server_only(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    other_before = (await elsewhere(standin, "briefing")).embeds[0]
    await import_strait(standin)
    listed = await standin.slash("briefing", user=ALICE_ID)
    assert listed.embeds[0]["title"] == "Briefings"
    text = listed.embeds[0]["description"]
    assert text.index("The Strait Closes") < text.index(SHIPPED_TITLE)  # newest first
    menu = listed.select_menu()
    assert [o["value"] for o in menu["options"]] == [STRAIT, "bechev-syria-russia-turkey-2024"]
    opened = await standin.select(listed, menu["custom_id"], [STRAIT], user=ALICE_ID)
    assert opened.latest().embeds[0]["title"] == "The Strait Closes"
    direct = await standin.slash("briefing", briefing="The Strait", user=ALICE_ID)
    assert direct.embeds[0]["title"] == "The Strait Closes"
    # Another server: the shipped overview, exactly as before; the new briefing is unknown.
    assert (await elsewhere(standin, "briefing")).embeds[0] == other_before
    choices = await standin.autocomplete(
        "briefing", "briefing", "strait", guild_id=OTHER_GUILD, channel_id=OTHER_CHANNEL
    )
    assert choices == []
    refused = await elsewhere(standin, "briefing", briefing=STRAIT)
    assert "The Strait Closes" not in refused.text


async def test_answers_come_from_every_briefing_and_name_theirs(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    await import_strait(standin)
    answer = await standin.slash("ask", question=QUESTION, user=ALICE_ID)
    first = answer.embeds[0]["description"]
    assert "From: *The Strait Closes*" in first
    narrowed = await standin.slash(
        "ask", question=QUESTION, briefing="bechev-syria-russia-turkey-2024", user=ALICE_ID
    )
    assert "The Strait Closes" not in narrowed.text
    other = await elsewhere(standin, "ask", question=QUESTION)
    assert "Strait Closes" not in other.text and "From:" not in other.text


async def test_another_servers_actor_page_is_unchanged_by_a_second_briefing(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    before = await elsewhere(standin, "actor", name="Erdoğan")
    await import_strait(standin)
    assert (await elsewhere(standin, "actor", name="Erdoğan")).embeds == before.embeds
    mine = await standin.slash("actor", name="Erdoğan", user=ALICE_ID)
    assert len(visible(mine)) <= limits.SCREEN_CHARS  # still one phone screen
    fields = {f["name"]: f["value"] for f in mine.embeds[0]["fields"]}
    roles = fields["In each briefing"]
    assert roles.index("The Strait Closes") < roles.index(SHIPPED_TITLE[:20])
    assert "The leader who closed the strait. *(The Strait Closes)*" in roles
    assert "closed the strait" not in mine.embeds[0]["description"]  # said once, cited


async def test_leverage_defaults_to_the_newest_briefing_and_timeline_merges(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    await import_strait(standin)
    newest = await standin.slash("leverage", user=ALICE_ID)
    assert "From the newest briefing, *The Strait Closes*" in newest.text
    shipped = await standin.slash(
        "leverage", briefing="bechev-syria-russia-turkey-2024", user=ALICE_ID
    )
    assert "From *What Does Regime Change" in shipped.text
    merged = await standin.slash("timeline", actor="Erdoğan", user=ALICE_ID)
    assert "Turkey closes the strait" in merged.text and "in *The Strait Closes*" in merged.text
    only = await standin.slash("timeline", briefing=STRAIT, user=ALICE_ID)
    assert "Turkey closes the strait" in only.text
    assert "Su-24" not in only.text
    other = await elsewhere(standin, "leverage")
    assert "From the newest" not in other.text


async def test_charts_follow_the_briefing_an_answer_is_narrowed_to(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    """/leverage narrowed to one briefing (the default once a server sees several) and
    /timeline of one briefing still carry their chart, drawn from that briefing alone."""
    from tests.bot.test_charts_e2e import assert_chart, with_image

    await import_strait(standin)
    newest = await with_image(standin, await standin.slash("leverage", user=ALICE_ID))
    strait_chart = assert_chart(newest, "leverage.png").data
    shipped = await standin.slash(
        "leverage", briefing="bechev-syria-russia-turkey-2024", user=ALICE_ID
    )
    shipped_chart = assert_chart(await with_image(standin, shipped), "leverage.png").data
    assert strait_chart != shipped_chart  # each drawn from its own briefing's shifts
    only = await with_image(standin, await standin.slash("timeline", briefing=STRAIT))
    assert_chart(only, "timeline.png")
    assert "The Strait Closes" in (only.attachments[0].get("description") or "")
    standin.assert_clean()
