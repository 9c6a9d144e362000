"""What members read says how sure each claim is, and which shifts the article does not tie
to the pivot: the shipped pack's claims through the bot's renderers."""

from __future__ import annotations

from bot import render
from briefings.models import PackFile
from briefings.packfile import shipped_packs
from briefings.results import EventDetail, LeverageView, TimelineEntry
from tests.bot.test_render import CITE, all_text, assert_within_limits

PACK: PackFile = shipped_packs()[0]
ACTORS = {a.id: a for a in PACK.actors}


def views(*ids: str) -> list[LeverageView]:
    shifts = [s for s in PACK.leverage if not ids or s.id in ids]
    return [
        LeverageView(
            shift=s, actor=ACTORS[s.actor], over=ACTORS[s.over], evidence=[], pivot=PACK.pack.pivot
        )
        for s in shifts
    ]


def test_key_points_say_who_reports_them_and_what_is_hedged() -> None:
    card = next(c for c in PACK.cards if c.id == "russian-troops-fall-back-to-latakia")
    pages = [render.card_page(card, CITE, position=3, total=16)]
    assert_within_limits(pages)
    text = all_text(pages)
    assert "*(reported by GUR)*" in text and "*(hedged in the article)*" in text


def test_leverage_pages_say_the_period_and_how_sure() -> None:
    text = all_text(render.leverage(views("energy-after-turkey-gains"), domain=None, actor=None))
    assert "not tied to Assad's fall; the author expects" in text
    balance = all_text(render.balance(views()))
    assert "*not tied to Assad's fall*: " in balance
    assert "(a common perception)" in balance and "(hedged in the article)" in balance


def test_an_event_says_who_reported_it_and_approximate_dates() -> None:
    cnn = next(e for e in PACK.events if e.id == "cnn-turk-report")
    detail = all_text(render.event_detail(EventDetail(event=cnn, actors=[], citations=[CITE])))
    assert "How sure reported by CNN Türk" in detail
    line = all_text(render.timeline([TimelineEntry(event=cnn, citations=[CITE])], actor=None))
    assert "(approx.)** · CNN Türk reports" in line and "*(reported by CNN Türk)*" in line
