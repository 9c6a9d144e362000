"""Resolution and answers over the shipped pack, as a member would ask."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefings.briefing import Briefing
from briefings.errors import NotFound
from briefings.models import Domain, Period
from briefings.search import fold, sentences


def test_fold_removes_case_and_diacritics() -> None:
    assert fold("Erdoğan") == "erdogan"
    assert fold("TÜRKİYE") == fold("Türkiye") == "turkiye"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Turkey", "turkey"),
        ("Türkiye", "turkey"),
        ("turkiye", "turkey"),
        ("Ankara", "turkey"),
        ("turky", "turkey"),
        ("the Kremlin", "russia"),
        ("Moscow", "russia"),
        ("Erdogan", "erdogan"),
        ("erdgoan", "erdogan"),
        ("ERDOĞAN", "erdogan"),
        ("Putin", "putin"),
        ("novorosisk", "novorossiysk"),
        ("Hayat Tahrir al-Sham", "hts"),
        ("Kurdistan Workers' Party", "pkk"),
        ("Khmeimim", "khmeimim"),
    ],
)
async def test_actor_names_aliases_and_typos_resolve(
    core: Briefing, typed: str, expected: str
) -> None:
    assert (await core.resolve_actor(typed, guild_id=None)).id == expected


async def test_an_unknown_actor_is_not_found_with_suggestions(core: Briefing) -> None:
    with pytest.raises(NotFound) as caught:
        await core.resolve_actor("Xi Jinping", guild_id=None)
    assert "Xi Jinping" in str(caught.value)
    with pytest.raises(NotFound) as near:
        await core.resolve_actor("Erd", guild_id=None)
    assert any("Erdo" in s for s in near.value.suggestions)


async def test_autocomplete_offers_at_most_25_and_finds_aliases(core: Briefing) -> None:
    assert len(await core.suggest("actor", "", guild_id=None, limit=25)) == 25
    names = [r.display for r in await core.suggest("actor", "ankara", guild_id=None, limit=25)]
    assert names[0] in ("Turkey", "Türkiye")
    typo = [r.id for r in await core.suggest("actor", "erdgoan", guild_id=None, limit=25)]
    assert "erdogan" in typo


@pytest.mark.parametrize(
    ("question", "card_words"),
    [
        ("How many Syrian refugees are in Turkey?", "3.9 million"),
        ("When does Gazprom's transit contract with Naftogaz expire?", "January 1"),
        ("What did Russia do after Turkey shot down the Su-24 jet?", "sanctions"),
        ("Where did Russia's Black Sea fleet go?", "Novorossiysk"),
        ("Who reported that Russia asked Ankara for help withdrawing troops?", "CNN Türk"),
        ("What happened in Idlib?", "Idlib"),
        ("Why did Armenia freeze its participation in the CSTO?", "CSTO"),
    ],
)
async def test_questions_get_the_sentences_that_answer_them(
    core: Briefing, question: str, card_words: str
) -> None:
    answer = await core.ask(question, guild_id=None)
    assert answer.covered
    supporting = " ".join(answer.hits[0].sentences)
    assert fold(card_words) in fold(supporting), supporting
    citation = answer.hits[0].citation
    assert citation.source_url.startswith("https://www.themoscowtimes.com/")
    assert citation.section >= 1


@pytest.mark.parametrize(
    "question",
    [
        "What does China think about all this?",
        "What did Angela Merkel say?",
        "What happened in 2018?",
        "What is Israel's position?",
    ],
)
async def test_questions_about_what_the_briefing_lacks_say_so(
    core: Briefing, question: str
) -> None:
    answer = await core.ask(question, guild_id=None)
    assert not answer.covered
    assert answer.not_covered, "the missing name should be named back to the user"
    assert answer.hits == []


HOSTILE = [
    "",
    " ",
    '"',
    '""',
    "NEAR(turkey russia)",
    "turkey*",
    "* OR *",
    "AND",
    "OR OR OR",
    "'; DROP TABLE cards; --",
    "title:russia",
    "^russia",
    "russia -turkey",
    "(((",
    "🇹🇷🇷🇺 🤝",
    "\x00",
    "a" * 10_000,
    "Erdoğan " * 2000,
]


@pytest.mark.parametrize("text", HOSTILE)
async def test_hostile_text_never_raises(core: Briefing, text: str) -> None:
    await core.ask(text, guild_id=None)
    await core.suggest("actor", text, guild_id=None)
    await core.mentions(text, guild_id=None)
    with pytest.raises(NotFound):
        await core.resolve_event(text + "zzqx", guild_id=None)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=300))
async def test_any_text_is_safe_in_search(core: Briefing, text: str) -> None:
    answer = await core.ask(text, guild_id=None)
    assert len(answer.hits) <= 3


async def test_timeline_is_in_date_order_with_undated_events_last(core: Briefing) -> None:
    entries = await core.timeline(guild_id=None)
    dated = [e.event.date.start for e in entries if e.event.date.start]
    assert dated == sorted(dated)
    # Events the article neither dates nor places against another come after the rest.
    kinds = [e.event.date.start is None and e.event.date.relative_to is None for e in entries]
    assert kinds == sorted(kinds)
    su24 = next(e for e in entries if "Su-24" in e.event.title)
    assert su24.event.date.text.startswith("November 2015")
    assert su24.citations


async def test_timeline_for_one_actor_only_has_their_events(core: Briefing) -> None:
    armenia = await core.resolve_actor("Armenia", guild_id=None)
    entries = await core.timeline(guild_id=None, actor=armenia)
    assert entries
    assert all("armenia" in e.event.actors for e in entries)


async def test_leverage_by_domain_and_actor(core: Briefing) -> None:
    energy = await core.leverage(guild_id=None, domain=Domain.ENERGY)
    assert energy and all(v.shift.domain is Domain.ENERGY for v in energy)
    assert all(v.evidence for v in energy)
    kremlin = await core.resolve_actor("the Kremlin", guild_id=None)
    russia = await core.leverage(guild_id=None, actor=kremlin)
    assert {Period.BEFORE, Period.AFTER} <= {v.shift.period for v in russia}


async def test_actor_profile_shows_gains_losses_events_and_cards(core: Briefing) -> None:
    moscow = await core.resolve_actor("Moscow", guild_id=None)
    russia = await core.actor_profile(moscow, guild_id=None)
    assert russia.actor.id == "russia"
    assert russia.gained and russia.lost  # squeezed Turkey before, lost Syria after
    assert russia.events and russia.citations
    assert {c.card_id for c in russia.citations} >= {"putin-piles-on-pressure"}


async def test_event_detail_has_when_where_who_and_card(core: Briefing) -> None:
    idlib = await core.resolve_event("Idlib", guild_id=None)
    detail = await core.event_detail(idlib, guild_id=None)
    assert detail.event.date.text.startswith("2019")
    assert detail.actors and detail.citations


async def test_mentions_in_free_text(core: Briefing) -> None:
    actors, _ = await core.mentions("Heard Erdogan met the Kremlin folks in Kazan?", guild_id=None)
    assert {"erdogan", "russia", "kazan"} <= {a.id for a in actors}
    assert await core.mentions("lovely weather today", guild_id=None) == ([], [])


async def test_a_figure_the_briefing_lacks_is_flagged(core: Briefing) -> None:
    lacking = await core.ask("How many Russian troops are in Syria?", guild_id=None)
    assert lacking.hits and lacking.caveat and "no figure" in lacking.caveat
    given = await core.ask("How many Syrian refugees are in Turkey?", guild_id=None)
    assert given.caveat is None


async def test_unknown_names_are_reported_whole(core: Briefing) -> None:
    answer = await core.ask("What did Joe Biden say about Nord Stream?", guild_id=None)
    assert answer.not_covered == ["Joe Biden", "Nord Stream"]


@pytest.mark.parametrize(
    ("typed", "title_words"),
    [
        ("Assad's fall", "collapses"),
        ("January 1", "transit contract"),
        ("the airlift", "airlifting"),
        ("Russian lake", "Russian lake"),
    ],
)
async def test_events_resolve_by_alias_date_or_description(
    core: Briefing, typed: str, title_words: str
) -> None:
    event = await core.resolve_event(typed, guild_id=None)
    assert title_words in event.title


async def test_asking_for_the_gist_leads_with_the_bottom_line_not_the_byline(
    core: Briefing,
) -> None:
    answer = await core.ask("Summarise the article for me", guild_id=None)
    pack = await core.pack(None)
    assert pack.bottom_line and answer.lead[0] == sentences(pack.bottom_line)[0]
    assert answer.hits and all(h.card.id != "byline-and-photo" for h in answer.hits)
    assert 1 <= len(answer.points) <= 3
