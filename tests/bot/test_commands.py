"""Every slash command, end to end: the real bot, through the loopback Discord stand-in."""

from __future__ import annotations

from typing import Any

from bot.client import BriefingBot
from tests.discord_standin.fixtures import ALICE_ID, BOB_ID
from tests.discord_standin.server import DiscordStandIn

EPHEMERAL = 64


# Thin aliases kept for the modules that import them; the helpers live on the stand-in's
# MessageView/Reply now: reply.button(label), reply.select_menu(), reply.text.
async def test_commands_are_synced_once_with_their_options(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    names = {c["name"] for c in standin.commands[None]}
    assert {"briefing", "actor", "event", "timeline", "leverage", "ask"} <= names
    assert "Brief me on this" in names
    assert len(standin.requests_to("PUT", "/applications/{application_id}/commands")) == 1


async def test_briefing_overview_lists_sections_and_opens_them(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    reply = await standin.slash("briefing")
    overview = reply.embeds[0]
    assert "Regime Change in Syria" in overview["title"]
    assert "Dimitar Bechev" in overview["footer"]["text"]
    assert overview["url"].startswith("https://www.themoscowtimes.com/")
    assert "Carnegie Politika" in overview["footer"]["text"]
    menu = reply.select_menu()
    assert len(menu["options"]) >= 12
    opened = await standin.select(reply, menu["custom_id"], [menu["options"][13]["value"]])
    card = opened.latest().embeds[0]
    assert card["title"].startswith("14.")
    assert "TurkStream" in opened.latest().text
    standin.assert_clean()


async def test_cards_page_with_buttons_only_for_the_invoker(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    reply = await standin.slash("briefing", section=3)
    assert reply.embeds[0]["title"].startswith("3.")
    next_button = reply.button("Next")
    moved = await standin.click(reply, next_button["custom_id"])
    assert moved.latest().embeds[0]["title"].startswith("4.")
    now = reply.latest()  # the buttons carry their page: the ones shown now
    stranger = await standin.click(now, now.button("Next")["custom_id"], user=BOB_ID)
    assert stranger.ephemeral
    assert "Run the command yourself" in stranger.content
    assert reply.latest().embeds[0]["title"].startswith("4.")  # nothing moved for bob
    standin.assert_clean()


async def test_unknown_section_is_a_helpful_ephemeral_error(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    reply = await standin.slash("briefing", section=99)
    assert reply.ephemeral
    assert "no section 99" in reply.content and "Sections: 1, 2" in reply.content


async def test_actor_profile_by_alias_and_typo(bot: BriefingBot, standin: DiscordStandIn) -> None:
    reply = await standin.slash("actor", name="erdgoan")
    text = reply.text
    assert reply.embeds[0]["title"] == "Recep Tayyip Erdoğan"
    # a person acting for a state shows that state's leverage, said so
    assert "Leverage, acting for Turkey" in text and "**Gained** over Russia" in text
    events = await standin.press(reply, "Next")
    assert "events" in events.latest().embeds[0]["title"]
    await standin.press(reply.latest(), "Next")
    cards = reply.latest().text
    assert "themoscowtimes.com" in str(reply.latest().embeds[0])  # citations link to the source
    assert "§1 · Byline" in cards
    russia = await standin.slash("actor", name="the Kremlin")
    russia_text = russia.text
    assert russia.embeds[0]["title"] == "Russia"
    assert "**Gained** over Turkey" in russia_text and "**Lost** to Turkey" in russia_text
    standin.assert_clean()


async def test_actor_autocomplete_finds_aliases_and_typos(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    choices = await standin.autocomplete("actor", "name", "ankara")
    assert choices[0]["value"] == "turkey"
    typo = await standin.autocomplete("actor", "name", "erdgoan")
    assert "erdogan" in [c["value"] for c in typo]
    everything = await standin.autocomplete("actor", "name", "")
    assert len(everything) == 25


async def test_unknown_actor_suggests_alternatives(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    reply = await standin.slash("actor", name="Erd")
    assert reply.ephemeral
    assert "Did you mean" in reply.content and "Erdoğan" in reply.content
    missing = await standin.slash("actor", name="Xi Jinping")
    assert missing.ephemeral and "Xi Jinping" in missing.content


async def test_event_has_when_where_who_and_why(bot: BriefingBot, standin: DiscordStandIn) -> None:
    choices = await standin.autocomplete("event", "name", "su-24")
    assert choices
    reply = await standin.slash("event", name=choices[0]["value"])
    fields = {f["name"]: f["value"] for f in reply.embeds[0]["fields"]}
    assert fields["When"].startswith("Nov 2015")
    assert {"Where", "Who", "Why it matters", "Source"} <= fields.keys()


async def test_timeline_pages_in_date_order(bot: BriefingBot, standin: DiscordStandIn) -> None:
    reply = await standin.slash("timeline")
    text = reply.text
    assert text.index("2015") < text.index("2019")
    armenia = await standin.slash("timeline", actor="Yerevan")
    assert armenia.embeds[0]["title"] == "Timeline: Armenia"


async def test_leverage_balance_and_filters(bot: BriefingBot, standin: DiscordStandIn) -> None:
    overall = await standin.slash("leverage")
    fields = [f["name"] for f in overall.embeds[0]["fields"]]
    assert {"Syria", "Black Sea", "South Caucasus", "Energy"} <= set(fields)
    energy = await standin.slash("leverage", domain="energy")
    assert "Energy" in energy.text and "Evidence" in energy.text
    turkey = await standin.slash("leverage", actor="Türkiye")
    assert "Turkey" in turkey.embeds[0]["title"] or "Türkiye" in turkey.embeds[0]["title"]
    standin.assert_clean()


async def test_ask_answers_with_supporting_sentences_and_citation(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    reply = await standin.slash("ask", question="How many Syrian refugees are in Turkey?")
    assert not reply.ephemeral
    assert "3.9 million" in reply.embeds[0]["description"]
    assert "themoscowtimes.com" in reply.text
    assert "Q: How many Syrian refugees" in reply.embeds[0]["author"]["name"]


async def test_ask_about_something_absent_says_so(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    reply = await standin.slash("ask", question="What does China want?")
    assert reply.embeds[0]["title"] == "Not in this briefing"
    assert "China" in reply.embeds[0]["description"]


async def test_hostile_questions_get_answers_not_errors(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    for question in ['"', "NEAR(a b)", "'; DROP TABLE cards; --", "🇹🇷" * 200, "x" * 500]:
        reply = await standin.slash("ask", question=question)
        assert "went wrong" not in (reply.content or ""), question
    standin.assert_clean()


async def test_brief_me_on_this_finds_actors_in_a_message(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    message = standin.make_message(
        "Did Erdogan really outplay the Kremlin over Idlib?", author=BOB_ID
    )
    reply = await standin.message_command("Brief me on this", message)
    assert reply.ephemeral
    names = [f["name"] for f in reply.embeds[0]["fields"]]
    assert any("Erdoğan" in n for n in names) and any("Russia" in n for n in names)
    nothing = await standin.message_command(
        "Brief me on this", standin.make_message("what a lovely day", author=ALICE_ID)
    )
    assert nothing.ephemeral and "no actors or events" in nothing.text


async def test_an_unexpected_error_is_logged_and_apologised_for(
    bot: BriefingBot, standin: DiscordStandIn, caplog: Any, monkeypatch: Any
) -> None:
    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(bot.core.catalogue, "ask", broken)
    reply = await standin.slash("ask", question="anything")
    assert reply.ephemeral
    assert "went wrong" in reply.content and "error `" in reply.content
    error_id = reply.content.split("error `")[1].split("`")[0]
    logged = [r for r in caplog.records if error_id in r.getMessage()]
    assert logged and logged[0].exc_info is not None  # with the traceback
    monkeypatch.undo()
    after = await standin.slash("ask", question="What is TurkStream?")
    assert not after.ephemeral  # and the bot keeps serving


async def test_page_buttons_never_grey_out(bot: BriefingBot, standin: DiscordStandIn) -> None:
    """Restart-proof buttons hold no memory, so they need no timeout (tests/bot/test_restart.py
    presses them from a later process)."""
    reply = await standin.slash("briefing")
    assert reply.button("Next")["custom_id"].startswith("bb:n:b:0:")
    assert not reply.button("Next").get("disabled", False)


async def test_answers_follow_a_changed_card_at_once(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    from briefings.packfile import shipped_packs
    from briefings.store import load_pack

    before = await standin.slash("ask", question="Zanzibar conduit?")
    assert before.embeds[0]["title"] == "Not in this briefing"
    pack = shipped_packs()[0]
    cards = [
        c.model_copy(update={"summary": c.summary + " Zanzibar conduit test."})
        if c.id == "energy-turkstream"
        else c
        for c in pack.cards
    ]
    await load_pack(bot.core.editor.store, pack.model_copy(update={"cards": cards}))
    after = await standin.slash("ask", question="Zanzibar conduit?")
    assert "Zanzibar" in after.text
    overview_card = await standin.slash("briefing", section=14)
    assert "Zanzibar" in overview_card.embeds[0]["description"]


async def test_the_gist_pages_within_limits(bot: BriefingBot, standin: DiscordStandIn) -> None:
    reply = await standin.slash("ask", question="What is the main argument?")
    assert "Bechev" in reply.embeds[0]["description"]
    assert "Outlook" in reply.text or reply.button("Next")
    standin.assert_clean()
