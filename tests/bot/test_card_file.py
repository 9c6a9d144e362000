"""One card as a file, end to end: export it with what it names, edit what no form holds
(an event's date precision, a shift's certainty), import it back through the dry run."""

from __future__ import annotations

from typing import Any

import yaml

from bot.client import BriefingBot
from tests.bot.support import DAVE, EDITOR_ROLE, FORM, add_card, card_command, card_id
from tests.discord_standin.fixtures import ALICE_ID, BOB_ID, CHANNEL_ID, GUILD_ID
from tests.discord_standin.modal_files import uploaded
from tests.discord_standin.server import DiscordStandIn

EVENT = {
    "id": "grain-deal-signed",
    "title": "Qatar and Türkiye sign the grain corridor deal",
    "date": {"precision": "day", "text": "3 March 2025", "start": "2025-03-03"},
    "actors": ["turkey"],
    "certainty": "fact",
    "what": "The two sign the deal in Doha.",
    "why": "It opens a route Moscow does not control.",
}


def shift(card: str) -> dict[str, Any]:
    return {
        "id": "qatar-corridor-gain",
        "domain": "economy",
        "actor": "turkey",
        "over": "russia",
        "direction": "gained",
        "period": "after",
        "when": "March 2025",
        "certainty": "judgement",
        "reasoning": "The corridor gives Ankara a route Moscow does not control.",
        "evidence": [card],
    }


async def server_card_with_records(bot: BriefingBot, standin: DiscordStandIn) -> str:
    """A published server card with its own event and leverage shift, imported."""
    await add_card(standin)
    cid = await card_id(bot, FORM["title"])
    exported = await card_command(standin, "export", user=BOB_ID)
    data = yaml.safe_load(exported.files[0].data)
    data["events"] = [EVENT]
    data["leverage"] = [shift(cid)]
    data["cards"][0] |= {"events": [EVENT["id"]], "leverage": ["qatar-corridor-gain"]}
    plan = await card_command(
        standin, "import", user=BOB_ID, file=("pack.yaml", yaml.safe_dump(data).encode())
    )
    await standin.press(plan, "Import", user=BOB_ID)
    return cid


async def one_card_file(standin: DiscordStandIn, cid: str) -> dict[str, Any]:
    reply = await card_command(standin, "export", user=BOB_ID, card=cid)
    (upload,) = reply.files
    assert reply.ephemeral and upload.filename == f"{cid}.yaml"
    assert "/card import" in reply.content
    data: dict[str, Any] = yaml.safe_load(upload.data)
    return data


async def test_one_card_round_trips_through_a_file(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    cid = await server_card_with_records(bot, standin)
    data = await one_card_file(standin, cid)
    assert [c["id"] for c in data["cards"]] == [cid]
    assert [e["title"] for e in data["events"]] == [EVENT["title"]]
    assert len(data["leverage"]) == 1
    assert {a["name"] for a in data["actors"]} >= {"Turkey", "Russia", "Qatar"}
    untouched = await card_command(
        standin, "import", user=BOB_ID, file=("card.yaml", yaml.safe_dump(data).encode())
    )
    assert "Nothing to import" in untouched.text  # the file is the card as stored
    data["events"][0]["date"] = {
        "precision": "month",
        "text": "March 2025",
        "start": "2025-03-01",
        "end": "2025-03-31",
    }
    data["leverage"][0] |= {"certainty": "reported", "reported_by": "Reuters"}
    plan = await card_command(
        standin, "import", user=BOB_ID, file=("card.yaml", yaml.safe_dump(data).encode())
    )
    assert "Dry run" in plan.text and "1 events, 1 leverage shifts to write" in plan.text
    assert "Events: updates `g111-grain-deal-signed`" in plan.text
    done = await standin.press(plan, "Import", user=BOB_ID)
    assert "Imported" in done.latest().content
    event = await standin.slash("event", name=EVENT["title"])
    assert "When Mar 2025" in event.text  # drawn from the precision, not the day
    events = await bot.core.editor.store.db.fetch_all(
        "SELECT data FROM events WHERE id = 'g111-grain-deal-signed'"
    )
    assert '"precision":"month"' in events[0]["data"]
    stored = await bot.core.editor.store.leverage(guild_id=GUILD_ID)
    mine = next(s for s in stored if s.id.endswith("qatar-corridor-gain"))
    assert (mine.certainty.value, mine.reported_by) == ("reported", "Reuters")


async def test_a_bad_edit_of_the_file_names_each_field_and_writes_nothing(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    cid = await server_card_with_records(bot, standin)
    data = await one_card_file(standin, cid)
    data["events"][0]["date"]["precision"] = "fortnight"
    data["leverage"][0]["certainty"] = "reported"  # with no one named as reporting it
    before = await bot.core.editor.store.db.fetch_all("SELECT id, data FROM events ORDER BY id")
    reply = await card_command(
        standin, "import", user=BOB_ID, file=("card.yaml", yaml.safe_dump(data).encode())
    )
    text = reply.text
    assert "Nothing was written" in text
    assert "event 1 (g111-grain-deal-signed)" in text and "date.precision" in text
    assert "leverage 1 (g111-qatar-corridor-gain)" in text and "reported_by" in text
    after = await bot.core.editor.store.db.fetch_all("SELECT id, data FROM events ORDER BY id")
    assert after == before


async def test_the_saved_preview_hands_the_card_over_as_a_file(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    cid = await server_card_with_records(bot, standin)
    opened = await card_command(standin, "edit", user=BOB_ID, card=cid)
    saved = await standin.submit_modal(opened.modal["custom_id"], FORM, user=BOB_ID)
    as_file = await standin.press(saved, "Edit as file", user=BOB_ID)
    (upload,) = as_file.files
    assert as_file.ephemeral and upload.filename == f"{cid}.yaml"
    assert b"grain-deal-signed" in upload.data


async def test_the_edited_file_is_attached_in_a_form_and_goes_through_the_dry_run(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    cid = await server_card_with_records(bot, standin)
    data = await one_card_file(standin, cid)
    data["leverage"][0]["certainty"] = "forecast"
    opened = await card_command(standin, "edit", user=BOB_ID, card=cid)
    saved = await standin.submit_modal(opened.modal["custom_id"], FORM, user=BOB_ID)
    form = await standin.press(saved, "Replace from file", user=BOB_ID)
    assert form.modal is not None
    upload = form.modal["components"][1]["component"]
    assert upload["type"] == 19 and upload["custom_id"] == "file"  # Discord's file upload
    ids, resolved = uploaded(
        standin, [("card.yaml", yaml.safe_dump(data).encode())], channel_id=CHANNEL_ID
    )
    plan = await standin.submit_modal(
        form.modal["custom_id"], {"file": ids}, user=BOB_ID, resolved=resolved
    )
    assert "Leverage shifts: updates `g111-qatar-corridor-gain`" in plan.text
    stored = await bot.core.editor.store.leverage(guild_id=GUILD_ID)
    assert next(s for s in stored if s.id == "g111-qatar-corridor-gain").certainty.value == (
        "judgement"
    )  # a dry run: nothing yet
    await standin.press(plan, "Import", user=BOB_ID)
    stored = await bot.core.editor.store.leverage(guild_id=GUILD_ID)
    assert next(s for s in stored if s.id == "g111-qatar-corridor-gain").certainty.value == (
        "forecast"
    )


async def test_concept_aliases_added_in_the_file_reach_the_servers_answers(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    cid = await server_card_with_records(bot, standin)
    data = await one_card_file(standin, cid)
    assert data["concepts"] == []  # none yet: the place to add them
    before = await standin.slash("ask", question="Who runs the wheat lane?")
    assert "Qatar" not in before.text
    data["concepts"] = [{"id": "grain-route", "terms": ["grain corridor", "wheat lane"]}]
    plan = await card_command(
        standin, "import", user=BOB_ID, file=("card.yaml", yaml.safe_dump(data).encode())
    )
    await standin.press(plan, "Import", user=BOB_ID)
    after = await standin.slash("ask", question="Who runs the wheat lane?")
    assert "Qatar" in after.text
    again = await one_card_file(standin, cid)
    assert [c["id"] for c in again["concepts"]] == ["grain-route"]  # exported with its card


async def test_a_file_attached_after_the_rights_were_taken_away_is_refused(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    cid = await server_card_with_records(bot, standin)
    await card_command(standin, "editors", user=BOB_ID, action="add", role=EDITOR_ROLE)
    data = await one_card_file(standin, cid)
    data["leverage"][0]["certainty"] = "forecast"
    opened = await card_command(standin, "edit", user=DAVE, card=cid)
    saved = await standin.submit_modal(opened.modal["custom_id"], FORM, user=DAVE)
    stranger = await standin.press(saved, "Replace from file", user=ALICE_ID)
    assert stranger.ephemeral and stranger.modal is None
    form = await standin.press(saved, "Replace from file", user=DAVE)
    await card_command(standin, "editors", user=BOB_ID, action="remove", role=EDITOR_ROLE)
    ids, resolved = uploaded(
        standin, [("card.yaml", yaml.safe_dump(data).encode())], channel_id=CHANNEL_ID
    )
    refused = await standin.submit_modal(
        form.modal["custom_id"], {"file": ids}, user=DAVE, resolved=resolved
    )
    assert refused.ephemeral and "editor role" in refused.content
    stored = await bot.core.editor.store.leverage(guild_id=GUILD_ID)
    assert next(s for s in stored if s.id == "g111-qatar-corridor-gain").certainty.value == (
        "judgement"
    )
