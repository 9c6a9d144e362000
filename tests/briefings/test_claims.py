"""Claims that say how sure they are: status on every claim, through files, the store and
what is shown; periods only with support; dates relative to events; format versions."""

from __future__ import annotations

import pytest
import yaml

from briefings import text
from briefings.briefing import Briefing
from briefings.chronology import ordered, sort_keys
from briefings.errors import InvalidPack
from briefings.labels import certainty_label, period_label
from briefings.models import FORMAT, Certainty, KeyPoint, LeverageShift, PackFile, Period
from briefings.packfile import dump_pack, parse_pack, shipped_packs
from tests.briefings.sample import sample_pack_data


@pytest.fixture(scope="module")
def pack() -> PackFile:
    return shipped_packs()[0]


def _shift(pack: PackFile, ident: str) -> LeverageShift:
    return next(s for s in pack.leverage if s.id == ident)


def test_every_claim_of_the_shipped_pack_has_a_status(pack: PackFile) -> None:
    claims = [*pack.events, *pack.leverage, *pack.relations]
    claims += [p for c in pack.cards for p in c.key_points]
    assert all(c.certainty is not Certainty.UNKNOWN for c in claims)
    used = {c.certainty for c in claims}
    assert used == set(Certainty) - {Certainty.UNKNOWN}  # every status is exercised


def test_status_round_trips_through_a_file(pack: PackFile) -> None:
    again = parse_pack(dump_pack(pack))
    assert again == pack.model_copy(update={"format": FORMAT})
    json_again = parse_pack(dump_pack(pack, fmt="json"))
    assert json_again.cards[2].key_points == pack.cards[2].key_points
    assert yaml.safe_load(dump_pack(pack))["format"] == FORMAT


async def test_status_round_trips_through_the_store(core: Briefing, pack: PackFile) -> None:
    store = core.store
    events = {e.id: e for e in await store.events(guild_id=None)}
    assert events["cnn-turk-report"].certainty is Certainty.REPORTED
    assert events["cnn-turk-report"].reported_by == "CNN Türk"
    views = await core.leverage(guild_id=None)
    stored = {v.shift.id: v.shift for v in views}
    assert stored == {s.id: s for s in pack.leverage}
    relations = await store.relations(guild_id=None)
    assert {(r.source, r.kind, r.target, r.certainty) for r in relations} == {
        (r.source, r.kind, r.target, r.certainty) for r in pack.relations
    }
    card = await store.card("russian-troops-fall-back-to-latakia", guild_id=None)
    assert card is not None
    assert [p.certainty for p in card.key_points] == [
        Certainty.HEDGED,
        Certainty.REPORTED,
        Certainty.REPORTED,
        Certainty.HEDGED,
    ]


def test_certainty_in_words() -> None:
    def said(certainty: Certainty, by: str | None = None, author: str | None = None) -> str:
        return certainty_label(KeyPoint(text="x", certainty=certainty, reported_by=by), author)

    assert said(Certainty.REPORTED, "CNN Türk") == "reported by CNN Türk"
    assert said(Certainty.FORECAST, author="Dimitar Bechev") == "Bechev expects"
    assert said(Certainty.FORECAST) == "the author expects"
    assert said(Certainty.PERCEPTION) == "a common perception"
    assert said(Certainty.UNKNOWN) == "certainty not stated"
    assert said(Certainty.FACT) == ""  # a plain statement needs no qualifier
    assert period_label(Period.UNTIED, "Assad's fall") == "not tied to Assad's fall"


def test_a_reported_claim_names_its_source() -> None:
    with pytest.raises(ValueError, match="reported_by"):
        KeyPoint(text="x", certainty=Certainty.REPORTED)
    with pytest.raises(ValueError, match="only for"):
        KeyPoint(text="x", certainty=Certainty.FACT, reported_by="GUR")


async def test_the_cli_text_says_how_sure_each_claim_is(core: Briefing) -> None:
    card = await core.store.card("russian-troops-fall-back-to-latakia", guild_id=None)
    assert card is not None
    shown = text.card(card, await core.cite(card))
    assert "[reported by GUR]" in shown and "[hedged in the article]" in shown
    energy = text.leverage(await core.leverage(guild_id=None))
    assert "not tied to Assad's fall" in energy
    assert "[Bechev expects]" in energy and "[a common perception]" in energy
    event = await core.resolve_event("CNN Türk report", guild_id=None)
    detail = text.event_detail(await core.event_detail(event, guild_id=None))
    assert "[reported by CNN Türk]" in detail


# --- older files ----------------------------------------------------------------


def test_a_format_1_file_loads_with_claims_unknown() -> None:
    data = sample_pack_data()
    assert "format" not in data
    old = parse_pack(yaml.safe_dump(data))
    assert old.format == 1
    assert all(p.certainty is Certainty.UNKNOWN for c in old.cards for p in c.key_points)
    assert all(s.certainty is Certainty.UNKNOWN for s in old.leverage)
    upgraded = yaml.safe_load(dump_pack(old))
    assert upgraded["format"] == FORMAT
    assert upgraded["cards"][0]["key_points"][0]["certainty"] == "unknown"


def test_unknown_is_shown_as_such(pack: PackFile) -> None:
    shift = _shift(pack, "syria-after-russia-lost").model_copy(
        update={"certainty": Certainty.UNKNOWN}
    )
    assert "[certainty not stated]" in text.shift_line(shift, {}, "Assad's fall")


def test_a_newer_format_is_refused_with_what_to_do() -> None:
    data = {**sample_pack_data(), "format": FORMAT + 1}
    with pytest.raises(InvalidPack, match="newer than this bot reads"):
        parse_pack(yaml.safe_dump(data))


# --- dates relative to events ---------------------------------------------------


async def test_the_timeline_follows_the_relative_dates(core: Briefing) -> None:
    order = [e.event.id for e in await core.timeline(guild_id=None)]

    def at(ident: str) -> int:
        return order.index(ident)

    fall = at("assad-regime-collapse")
    assert at("putin-urges-assad-to-engage-erdogan") < fall  # "this summer"
    assert fall < at("gazprom-naftogaz-contract-expiry")  # January 1
    after = ["cnn-turk-report", "russian-troops-regroup-latakia", "russian-media-rebrand-hts"]
    assert all(fall < at(i) < at("gazprom-naftogaz-contract-expiry") for i in after)
    assert [at(i) for i in after] == sorted(at(i) for i in after)  # in the article's order
    # Placed only against another event: right after it, not among the unplaceable.
    assert at("su-24-shootdown") < at("russian-sanctions-on-turkey") < at("idlib-offensive")
    assert at("russian-sanctions-on-turkey") < at("crimea-militarisation") < at("idlib-offensive")
    # Truly unplaceable ones last, in the article's order.
    pack = shipped_packs()[0]
    loose = [e.id for e in pack.events if e.date.start is None and e.date.relative_to is None]
    assert order[-len(loose) :] == loose


def test_sort_keys_order_as_the_store_does(pack: PackFile) -> None:
    keys = sort_keys(pack.events)
    assert keys["cnn-turk-report"][1].startswith(keys["assad-regime-collapse"][1] + "+")
    assert keys["russia-intervenes-in-syria"][0] is None
    assert ordered(pack.events)[0].id == "su-24-shootdown"


def test_a_date_relative_to_an_unknown_event_or_a_circle_is_refused() -> None:
    data = sample_pack_data()
    data["format"] = FORMAT
    first = data["events"][0]
    first["date"] = {"precision": "undated", "text": "after the other", "after": "nowhere"}
    with pytest.raises(InvalidPack, match="unknown event 'nowhere'"):
        parse_pack(yaml.safe_dump(data))
    second = {**first, "id": "second", "date": {**first["date"], "after": first["id"]}}
    first["date"] = {**first["date"], "after": "second"}
    data["events"].append(second)
    with pytest.raises(InvalidPack, match="circle"):
        parse_pack(yaml.safe_dump(data))
