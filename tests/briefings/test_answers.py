"""/ask's engine per question kind, on the shipped pack and on a small made-up one: the
answer first, gaps said first, paraphrases found, no near-duplicates."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from rapidfuzz import fuzz

from briefings.briefing import Briefing
from briefings.compose import DUPLICATE, is_forecast
from briefings.models import Concept, PackFile
from briefings.packfile import dump_pack, parse_pack
from briefings.questions import kind_of
from briefings.results import Answer
from briefings.search import fold, sentences
from briefings.store import CardStore, load_pack, open_store
from tests.briefings.second_pack import second_pack


@pytest.fixture
async def valley(tmp_path: Path) -> AsyncIterator[Briefing]:
    async with open_store(tmp_path / "valley.db", seed=False) as store:
        await load_pack(store, second_pack())
        yield Briefing(store)


def said(answer: Answer) -> str:
    return fold(" ".join([answer.gap or "", *answer.lead, *answer.points]))


def cited(answer: Answer) -> list[str]:
    return [h.card.id for h in answer.hits]


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Give me the gist", "main-argument"),
        ("What is the main argument?", "main-argument"),
        ("What happens next?", "outlook"),
        ("What does the author predict?", "outlook"),
        ("Why did Northland ask for help?", "why"),
        ("How did Turkey respond?", "why"),
        ("Who opened the dam?", "who"),
        ("When did the dam open?", "when"),
        ("How many refugees are there?", "how-many"),
        ("How much water does it hold?", "how-many"),
        ("What's the price of gas?", "how-many"),
        ("When will the contract expire?", "when"),
        ("What are the odds of a war?", "outlook"),
        ("What's the takeaway?", "main-argument"),
        ("Compare Russia and Turkey", "comparison"),
        ("What is the Valley Council?", "definition"),
        ("What did Putin say about Crimea?", "what"),
    ],
)
def test_question_kinds(question: str, kind: str) -> None:
    assert kind_of(question) == kind


# --- the shipped pack ---------------------------------------------------------------


async def test_the_article_title_question_gets_the_bottom_line_not_the_byline(
    core: Briefing,
) -> None:
    pack = await core.pack(None)
    answer = await core.ask(pack.title, guild_id=None)
    assert pack.bottom_line and answer.lead[0] == sentences(pack.bottom_line)[0]
    assert "byline-and-photo" not in cited(answer) and answer.points


async def test_outlook_is_answered_from_the_forecasting_card(core: Briefing) -> None:
    answer = await core.ask("What comes next for Russia and Turkey?", guild_id=None)
    assert cited(answer)[0] == "outlook-black-sea-and-mediation"
    assert is_forecast(answer.lead[0])


async def test_why_finds_the_reason(core: Briefing) -> None:
    answer = await core.ask("Why did Erdoğan accept Assad's survival?", guild_id=None)
    assert cited(answer)[0] == "the-astana-bargain"
    assert "vulnerable" in said(answer)


async def test_a_day_the_article_does_not_give_is_named_with_what_it_gives(
    core: Briefing,
) -> None:
    answer = await core.ask("On what day did Turkey shoot down the Su-24?", guild_id=None)
    assert answer.gap == "The article gives only the month: November 2015."
    assert answer.covered


async def test_figures_are_found_and_missing_ones_flagged(core: Briefing) -> None:
    given = await core.ask("How many Syrian refugees are in Turkey?", guild_id=None)
    assert "3.9 million" in given.lead[0] and given.gap is None
    lacking = await core.ask("How many Russian troops are in Syria?", guild_id=None)
    assert lacking.gap and "no figure" in lacking.gap and lacking.lead


@pytest.mark.parametrize(
    ("question", "card"),
    [
        ("Did Russia put an embargo on Turkey?", "putin-piles-on-pressure"),
        ("What about the asylum seekers?", "a-stable-equilibrium"),
        ("Who overthrew Assad?", "bases-and-hts-rebrand"),
        ("Who is the middleman between Putin and the West?", "outlook-black-sea-and-mediation"),
        ("What is the Astana process?", "the-astana-bargain"),
        ("Where did Russia's Black Sea fleet go?", "black-sea-flank"),
    ],
)
async def test_paraphrases_find_their_card(core: Briefing, question: str, card: str) -> None:
    answer = await core.ask(question, guild_id=None)
    assert answer.covered and cited(answer)[0] == card, (question, said(answer))


async def test_an_uncovered_topic_is_named_first_even_with_a_covered_actor(
    core: Briefing,
) -> None:
    answer = await core.ask("What about Iran's drone deliveries?", guild_id=None)
    assert answer.gap == "The briefing doesn't cover Iran's drone deliveries."
    assert answer.context and answer.context.startswith("What it does say about Iran:")
    assert not answer.hits and not answer.covered


@pytest.mark.parametrize(
    "question",
    [
        "Apart from Syria, where has Russia lost ground?",
        "Aside from sanctions, how did Putin pressure Erdoğan?",
        "Why did Erdoğan tolerate Assad?",
    ],
)
async def test_openers_and_plain_verbs_are_no_gaps(core: Briefing, question: str) -> None:
    answer = await core.ask(question, guild_id=None)
    assert answer.covered and answer.gap is None, (answer.gap, answer.not_covered)


async def test_an_unrelated_word_finds_nothing(core: Briefing) -> None:
    answer = await core.ask("What does it say about volcanoes?", guild_id=None)
    assert answer.gap == "The briefing doesn't cover volcanoes." and not answer.hits


QUESTIONS = [
    "Give me the gist",
    "What happens next?",
    "Why does Ankara have the upper hand now?",
    "Who toppled Assad?",
    "Did Russia impose an embargo on Turkey?",
    "What happened to Russia's bases at Khmeimim and Tartus?",
    "How did Russia's leverage over Turkey compare before and after Assad's fall?",
    "When does the Gazprom Naftogaz transit contract expire?",
]


@pytest.mark.parametrize("question", QUESTIONS)
async def test_answers_are_short_and_never_repeat_themselves(core: Briefing, question: str) -> None:
    answer = await core.ask(question, guild_id=None)
    assert 1 <= len(answer.lead) <= 3 and len(answer.points) <= 3
    assert len(" ".join(answer.lead)) <= 450
    for a, b in itertools.combinations([*answer.lead, *answer.points], 2):
        assert fuzz.token_set_ratio(a, b) < DUPLICATE, (a, b)
    cards = cited(answer)
    assert len(cards) == len(set(cards)) <= 4  # one citation per card used


# --- a second, made-up pack -----------------------------------------------------------


async def test_second_pack_main_argument(valley: Briefing) -> None:
    answer = await valley.ask("What is the main argument?", guild_id=None)
    assert answer.lead[0].startswith("Southland's new dam gives it the upper hand")
    assert "byline" not in cited(answer)


async def test_second_pack_outlook_why_who_definition(valley: Briefing) -> None:
    outlook = await valley.ask("What happens next between Northland and Southland?", guild_id=None)
    assert cited(outlook)[0] == "outlook"
    why = await valley.ask("Why did Northland ask for help?", guild_id=None)
    assert cited(why)[0] == "the-drought" and "harvest" in said(why)
    who = await valley.ask("Who opened the Kestrel dam?", guild_id=None)
    assert "southland" in fold(who.lead[0])
    definition = await valley.ask("What is the Valley Council?", guild_id=None)
    assert "valley council" in said(definition)


async def test_second_pack_figures_and_dates(valley: Briefing) -> None:
    much = await valley.ask("How much water does the dam hold?", guild_id=None)
    assert "4 billion" in much.lead[0] and much.gap is None
    day = await valley.ask("On what exact day did the dam open?", guild_id=None)
    assert day.gap == "The article gives only the month: March 2029."
    lacking = await valley.ask("How many farmers are there in Northland?", guild_id=None)
    assert lacking.gap and "no figure" in lacking.gap


async def test_second_pack_concepts_and_lexicon(valley: Briefing) -> None:
    concept = await valley.ask("Did Northland impose import duties?", guild_id=None)
    assert cited(concept)[0] == "tariffs"  # the pack's own concept alias
    lexicon = await valley.ask("Was there an embargo on textiles?", guild_id=None)
    assert cited(lexicon)[0] == "tariffs"  # the general lexicon: embargo ~ sanctions
    unrelated = await valley.ask("Did Northland sell submarines?", guild_id=None)
    assert unrelated.gap == "The briefing doesn't cover submarines." and not unrelated.hits
    assert unrelated.context and "Northland" in unrelated.context


async def test_second_pack_argument_wording_and_compound_gaps(valley: Briefing) -> None:
    for question in (
        "Sum up the piece in one sentence",
        "What's the takeaway?",
        "In short, what is the author saying about Northland and Southland?",
    ):
        answer = await valley.ask(question, guild_id=None)
        assert answer.lead[0].startswith("Southland's new dam gives it the upper hand"), question
    wheat = await valley.ask("What about Northland's wheat harvest?", guild_id=None)
    assert wheat.gap == "The briefing doesn't cover Northland's wheat harvest." and not wheat.hits
    about = await valley.ask("What is the author saying about the Valley Council?", guild_id=None)
    assert "valley council" in said(about)  # a subject beyond the argument's own


async def test_short_name_typos_and_model_numbers(core: Briefing) -> None:
    typo = await core.ask("Who is Asad?", guild_id=None)
    assert typo.gap is None and "assad" in said(typo)
    pilot = await core.ask("What was the name of the Su-24 pilot?", guild_id=None)
    assert pilot.gap == "The briefing doesn't cover Su-24 pilot." and not pilot.hits
    undated = await core.ask("When did Armenia freeze its CSTO membership?", guild_id=None)
    assert undated.gap == "The article gives no date for it." and undated.lead
    verb = await core.ask("Did Turkish jets destroy a Russian bomber?", guild_id=None)
    assert verb.gap is None and "shot down" in said(verb)  # a paraphrase, not a topic


# --- concept aliases in the pack format -------------------------------------------------


async def test_concepts_round_trip_through_export_and_import(tmp_path: Path) -> None:
    async with open_store(tmp_path / "a.db", seed=False) as store:
        await load_pack(store, second_pack())
        exported = await store.export_pack(second_pack().pack.slug)
        assert exported is not None
        assert [c.id for c in exported.concepts] == ["tariffs", "water-sharing"]
        text = dump_pack(exported)
    again = parse_pack(text, source="export.yaml")
    assert again.concepts == second_pack().concepts
    async with open_store(tmp_path / "b.db", seed=False) as other:
        await load_pack(other, again)
        assert await other.concepts(guild_id=None) == await _concepts(tmp_path / "a.db")


async def _concepts(path: Path) -> list[Concept]:
    async with open_store(path, seed=False) as store:
        return await store.concepts(guild_id=None)


async def test_a_pack_load_replaces_its_concepts(store: CardStore) -> None:
    shipped = await store.concepts(guild_id=None)
    assert {"sanctions", "refugees", "mediation"} <= {c.id for c in shipped}
    pack = second_pack()
    await load_pack(store, pack.model_copy(update={"concepts": pack.concepts[:1]}))
    await load_pack(store, pack.model_copy(update={"concepts": pack.concepts[1:]}))
    ours = [
        c.id for c in await store.concepts(guild_id=None) if c.id in {"tariffs", "water-sharing"}
    ]
    assert ours == ["water-sharing"]


def test_concept_terms_are_checked() -> None:
    with pytest.raises(ValueError, match="listed twice"):
        Concept(id="x", terms=["embargo", "Embargo"])
    data = second_pack().model_dump(mode="json")
    data["concepts"].append({"id": "tariffs", "terms": ["levies"]})
    problems = PackFile.model_validate(data).reference_problems()
    assert (("concepts", 2, "id"), "duplicate id 'tariffs'") in problems


async def test_who_benefits_is_asked_in_the_words_of_gain_and_advantage(core: Briefing) -> None:
    # "benefits" appears on no card: the field lexicon reads it as gain, advantage, upper hand.
    answer = await core.ask("Who benefits from the collapse of the Assad regime?", guild_id=None)
    assert "upper hand" in said(answer)
    assert cited(answer)[0] == "ankara-has-the-upper-hand"


async def test_a_question_naming_an_actor_and_the_pivot_leads_with_a_card_about_both(
    core: Briefing,
) -> None:
    # "gain" is on the South Caucasus card, which is about Turkey but not Assad's fall; the
    # balance-flip card is about both: evidence of a shift placed after the pack's pivot.
    answer = await core.ask("What does Turkey gain from Assad's fall?", guild_id=None)
    assert cited(answer)[0] == "ankara-has-the-upper-hand"
    assert "upper hand" in said(answer).split(".")[0]
