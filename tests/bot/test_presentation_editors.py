"""What editors read: plain errors naming the field, the form back as typed, readable
history, and their own cards labelled as the server's."""

from __future__ import annotations

from bot.client import BriefingBot
from tests.bot.support import FORM, add_card, card_command, card_id
from tests.discord_standin.fixtures import BOB_ID
from tests.discord_standin.server import DiscordStandIn


def defaults(modal: dict[str, object]) -> dict[str, str]:
    rows = modal["components"]
    assert isinstance(rows, list)
    return {c["custom_id"]: c.get("value", "") for row in rows for c in row["components"]}


async def test_a_rejected_form_says_what_to_type_and_reopens_as_typed(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    opened = await card_command(standin, "add", user=BOB_ID)
    typed = {**FORM, "section": "seventeen", "title": "T" * 201}
    rejected = await standin.submit_modal(opened.modal["custom_id"], typed, user=BOB_ID)
    assert rejected.ephemeral
    text = rejected.content
    assert "Nothing was saved. 2 problems in the form:" in text
    assert "**Section**: type a whole number, like 17 (not “seventeen”)." in text
    assert "**Title**: at most 200 characters (this one has 201)." in text
    assert "Input should" not in text and "pattern" not in text
    reopened = await standin.press(rejected, "Fix it", user=BOB_ID)
    assert reopened.modal is not None
    assert defaults(reopened.modal) == typed  # nothing they typed is lost
    fixed = await standin.submit_modal(
        reopened.modal["custom_id"], {**typed, "section": "17", "title": "T"}, user=BOB_ID
    )
    assert "Preview" in (fixed.content or "")
    standin.assert_clean()


async def test_history_shows_changed_words_and_tags_as_words(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    await add_card(standin)
    cid = await card_id(bot, FORM["title"])
    form = await card_command(standin, "edit", user=BOB_ID, card=cid)
    changed = {**FORM, "summary": FORM["summary"].replace("Ankara", "Doha"), "tags": "energy"}
    await standin.submit_modal(form.modal["custom_id"], changed, user=BOB_ID)
    log = await card_command(standin, "history", user=BOB_ID, card=cid)
    text = log.text
    assert "~~Ankara.~~ **Doha.**" in text  # the words that changed, in place
    assert "**Tags**: removed our-notes" in text and "['" not in text
    assert log.embeds[0]["title"] == f"History of “{FORM['title']}”"  # words, not the id
    assert cid in log.embeds[0]["footer"]["text"]  # the id editors type, after the words
    standin.assert_clean()


async def test_a_servers_own_card_is_its_note_not_the_publishers(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    await add_card(standin)
    card = await standin.slash("briefing", section=17)
    item = card.embeds[0]
    assert item["title"] == f"17. {FORM['title']}"
    source = {f["name"]: f["value"] for f in item["fields"]}["Source"]
    assert "this server's note" in source and "themoscowtimes" not in source
    assert "url" not in item  # no link that suggests the publisher wrote it
    assert item["footer"]["text"].startswith("This server's note")
    standin.assert_clean()
