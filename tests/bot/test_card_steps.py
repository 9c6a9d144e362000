"""/card in steps, end to end: the key points & quotes form (labels, a status select),
line-level errors, the steps of an edit, and rights at every press and submit."""

from __future__ import annotations

from typing import Any

from bot.client import BriefingBot
from briefings.models import Certainty, Status
from tests.bot.support import DAVE, EDITOR_ROLE, FORM, card_command, card_id
from tests.briefings.source_article import MARKDOWN
from tests.discord_standin.fixtures import ALICE_ID, BOB_ID, GUILD_ID
from tests.discord_standin.server import DiscordStandIn

SHIPPED = "bechev-syria-russia-turkey-2024"
POINTS = {
    "bottom_line": "Qatar, not Moscow, now brokers the grain route.",
    "key_points": (
        "Qatar brokers the corridor with Ankara\n"
        "- Moscow loses its say [judgement]\n"
        "Ships are already moving [reported by Reuters]"
    ),
    "quotes": '"a corridor of our own" — a Qatari diplomat',
    "certainty": ["fact"],
}


async def preview_of_new_card(standin: DiscordStandIn, *, user: int = BOB_ID) -> Any:
    opened = await card_command(standin, "add", user=user)
    return await standin.submit_modal(opened.modal["custom_id"], FORM, user=user)


async def stored_titles(bot: BriefingBot) -> set[str]:
    cards = await bot.core.editor.store.cards(guild_id=GUILD_ID, statuses=list(Status))
    return {c.title for c in cards}


def modal_inputs(modal: dict[str, Any]) -> dict[str, Any]:
    """Each input of a modal by custom id, whether in an action row or a label."""
    found: dict[str, Any] = {}
    for top in modal["components"]:
        for item in [
            *top.get("components", []),
            *([top["component"]] if "component" in top else []),
        ]:
            found[item["custom_id"]] = item
    return found


async def test_a_new_card_gets_key_points_and_quotes_before_it_is_published(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    preview = await preview_of_new_card(standin)
    form = await standin.press(preview, "Edit key points & quotes", user=BOB_ID)
    assert form.modal is not None
    kinds = [c["type"] for c in form.modal["components"]]
    assert kinds == [10, 18, 18, 18, 18]  # help text, then four labelled inputs
    assert "[reported by CNN Türk]" in form.modal["components"][0]["content"]
    shown = await standin.submit_modal(form.modal["custom_id"], POINTS, user=BOB_ID)
    text = shown.latest().text
    assert "Qatar, not Moscow" in text and "Moscow loses its say" in text
    assert "reported by Reuters" in text and "a Qatari diplomat" in text
    assert shown.latest().button("Publish")  # still the same preview, still undecided
    assert FORM["title"] not in await stored_titles(bot)  # a preview stores nothing
    done = await standin.press(shown.latest(), "Publish", user=BOB_ID)
    assert "Published" in done.latest().content
    card = await bot.core.editor.store.card(await card_id(bot, FORM["title"]), guild_id=GUILD_ID)
    assert card is not None and card.bottom_line == POINTS["bottom_line"]
    statuses = [(p.certainty, p.reported_by) for p in card.key_points]
    assert statuses == [
        (Certainty.FACT, None),
        (Certainty.JUDGEMENT, None),
        (Certainty.REPORTED, "Reuters"),
    ]
    assert [(q.text, q.attribution) for q in card.quotes] == [
        ("a corridor of our own", "a Qatari diplomat")
    ]
    answer = await standin.slash("ask", question="Who brokers the grain route now?")
    assert "Qatar" in answer.text
    standin.assert_clean()


async def test_bad_lines_are_named_and_the_form_reopens_as_typed(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    preview = await preview_of_new_card(standin)
    form = await standin.press(preview, "Edit key points & quotes", user=BOB_ID)
    typed = {
        **POINTS,
        "key_points": "Fine line\nA doubtful one [sure]\nAnother [reported]",
        "quotes": "no quotation marks here — somebody",
    }
    rejected = await standin.submit_modal(form.modal["custom_id"], typed, user=BOB_ID)
    text = rejected.content
    assert rejected.ephemeral and "Nothing was saved. 3 problems" in text
    assert "**Key points**: line 2: [sure] is not a status" in text
    assert "**Key points**: line 3: say who reports it" in text
    assert "**Quotes**: line 1: put the words in quotation marks" in text
    again = await standin.press(rejected, "Fix it", user=BOB_ID)
    inputs = modal_inputs(again.modal)
    assert inputs["key_points"]["value"] == typed["key_points"]  # nothing typed is lost
    assert [o["value"] for o in inputs["certainty"]["options"] if o.get("default")] == ["fact"]
    assert FORM["title"] not in await stored_titles(bot)


async def test_an_edit_saves_at_each_step_and_a_stale_step_overwrites_nothing(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    preview = await preview_of_new_card(standin)
    form = await standin.press(preview, "Edit key points & quotes", user=BOB_ID)
    await standin.submit_modal(form.modal["custom_id"], POINTS, user=BOB_ID)
    await standin.press(preview.latest(), "Publish", user=BOB_ID)
    cid = await card_id(bot, FORM["title"])
    opened = await card_command(standin, "edit", user=BOB_ID, card=cid)
    saved = await standin.submit_modal(opened.modal["custom_id"], FORM, user=BOB_ID)
    assert "Saved (version 2)" in saved.content
    points = await standin.press(saved, "Edit key points & quotes", user=BOB_ID)
    inputs = modal_inputs(points.modal)
    assert inputs["key_points"]["value"].splitlines() == [
        "Qatar brokers the corridor with Ankara",
        "Moscow loses its say [judgement]",
        "Ships are already moving [reported by Reuters]",
    ]  # prefilled as typed: plain lines are the default status
    changed = {**POINTS, "key_points": "Qatar brokers the corridor [forecast]"}
    again = await standin.submit_modal(points.modal["custom_id"], changed, user=BOB_ID)
    assert "Saved (version 3)" in again.latest().content
    card = await bot.core.editor.store.card(cid, guild_id=GUILD_ID)
    assert card is not None and card.summary == FORM["summary"]  # the text form's fields kept
    assert [p.certainty for p in card.key_points] == [Certainty.FORECAST]
    # another editor archives it meanwhile: the next step is refused, nothing overwritten
    late = await standin.press(again.latest(), "Edit key points & quotes", user=BOB_ID)
    await card_command(standin, "remove", user=BOB_ID, card=cid)
    stale = await standin.submit_modal(late.modal["custom_id"], POINTS, user=BOB_ID)
    assert "changed while you were editing" in stale.content
    kept = await bot.core.editor.store.card(cid, guild_id=GUILD_ID)
    assert kept is not None and [p.certainty for p in kept.key_points] == [Certainty.FORECAST]
    log = await card_command(standin, "history", user=BOB_ID, card=cid)
    assert "**Key points**" in log.text


async def test_others_and_members_who_lost_their_rights_are_refused_at_each_step(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    await card_command(standin, "editors", user=BOB_ID, action="add", role=EDITOR_ROLE)
    preview = await preview_of_new_card(standin, user=DAVE)
    stranger = await standin.press(preview, "Edit key points & quotes", user=ALICE_ID)
    assert stranger.ephemeral and stranger.modal is None and "belong to" in stranger.content
    form = await standin.press(preview, "Edit key points & quotes", user=DAVE)
    await card_command(standin, "editors", user=BOB_ID, action="remove", role=EDITOR_ROLE)
    refused = await standin.submit_modal(form.modal["custom_id"], POINTS, user=DAVE)
    assert refused.ephemeral and "editor role" in refused.content
    pressed = await standin.press(preview, "Publish", user=DAVE)
    assert pressed.ephemeral and "editor role" in pressed.content
    assert FORM["title"] not in await stored_titles(bot)


async def test_with_a_source_attached_a_quote_it_lacks_is_refused_at_publish(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    attached = await standin.slash(
        "source",
        subcommand="attach",
        options={"briefing": SHIPPED, "file": ("a.md", MARKDOWN.encode())},
        user=BOB_ID,
    )
    assert "Source attached" in attached.text
    preview = await preview_of_new_card(standin)
    form = await standin.press(preview, "Edit key points & quotes", user=BOB_ID)
    invented = {**POINTS, "quotes": '"The sea is closed" — Olena Marchenko'}
    shown = await standin.submit_modal(form.modal["custom_id"], invented, user=BOB_ID)
    refused = await standin.press(shown.latest(), "Publish", user=BOB_ID)
    assert refused.ephemeral and "Nothing was saved" in refused.content
    assert "'The sea is closed' does not occur in the article" in refused.content
    assert FORM["title"] not in await stored_titles(bot)
    again = await standin.press(shown.latest(), "Edit key points & quotes", user=BOB_ID)
    said = {**POINTS, "quotes": '"The sea is open for business" — Olena Marchenko'}
    fixed = await standin.submit_modal(again.modal["custom_id"], said, user=BOB_ID)
    done = await standin.press(fixed.latest(), "Publish", user=BOB_ID)
    assert "Published" in done.latest().content
