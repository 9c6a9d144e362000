"""The Bechev briefing pack says what the article says: every fact, actor, date and quote.

These tests read the shipped pack file. The ones that compare it with the article
itself need ../shared/seeds next to the repository and are skipped without it.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from briefings.faithfulness import normalise, quote_problems, source_url_problems
from briefings.models import Card, Certainty, Direction, Domain, PackFile, Period, Precision
from briefings.packfile import parse_pack, read_pack

REPO = Path(__file__).resolve().parents[2]
PACK_PATH = REPO / "briefings" / "packs" / "bechev-syria-russia-turkey-2024.yaml"
ARTICLE_PATH = REPO.parent / "shared" / "seeds" / "000_f2b099e7c5f7f55c.txt"
SOURCE_URL = (
    "https://www.themoscowtimes.com/2024/12/19/"
    "what-does-regime-change-in-syria-mean-for-russian-turkish-relations-a87391"
)
COPY_RUN = 12  # words in a row a summary may not share with the article

# Every person, organisation, place, date and number the article mentions.
REQUIRED_FACTS = [
    "Dimitar Bechev",
    "December 19, 2024",
    "Anatoly Medved",
    "brics-russia2024.ru",
    "BRICS",
    "Kazan",
    "Vladimir Putin",
    "Erdoğan",
    "CNN Türk",
    "reportedly",
    "Bashar al-Assad",
    "central desert",
    "Kurdish-populated northeast",
    "Latakia",
    "GUR",
    "Ukraine's military intelligence",
    "Khmeimim",
    "Tartus",
    "Hayat Tahrir al-Sham",
    "HTS",
    "Islamist militia",
    "Russian media",
    "terrorists",
    "armed Syrian opposition",
    "upper hand",
    "Iran",
    "Hezbollah",
    "Damascus",
    "Su-24",
    "November 2015",
    "Turkish air force",
    "economic sanctions",
    "Armenia",
    "Crimea",
    "unsinkable aircraft carrier",
    "Black Sea",
    "the West",
    "Syrian Kurds",
    "Kurdistan Workers' Party",
    "PKK",
    "EU",
    "United States",
    "buffer zone",
    "Astana process",
    "Idlib",
    "2019–2020",
    "anti-Assad forces",
    "this summer",
    "3.9 million",
    "Syrian refugees",
    "Donald Trump",
    "Syrian Democratic Forces",
    "SDF",
    "northeastern Syria",
    "Gulf countries",
    "reconstruction",
    "Ukrainian military",
    "Black Sea fleet",
    "Novorossiysk",
    "Russian lake",
    "2016",
    "NATO",
    "Azerbaijan",
    "Karabakh war",
    "Yerevan",
    "Collective Security Treaty Organization",
    "CSTO",
    "defense contracts",
    "South Caucasus",
    "strongarm",
    "Gazprom",
    "Naftogaz",
    "January 1",
    "TurkStream",
    "rest of Europe",
    "reexport",
    "mark-up",
    "gas hub",
    "fulcrum",
    "intermediary",
    "golden opportunity",
    "hubris",
    "former strongman",
    "open-ended conflict",
    "Carnegie Politika",
    "The Moscow Times",
    "do not necessarily reflect",
]

# (name as a reader might type it, actor id it must resolve to)
ALIASES = [
    ("Turkey", "turkey"),
    ("Türkiye", "turkey"),
    ("Turkiye", "turkey"),
    ("Ankara", "turkey"),
    ("Russia", "russia"),
    ("Moscow", "russia"),
    ("the Kremlin", "russia"),
    ("Kremlin", "russia"),
    ("Erdoğan", "erdogan"),
    ("Erdogan", "erdogan"),
    ("Recep Tayyip Erdogan", "erdogan"),
    ("Putin", "putin"),
    ("Vladimir Putin", "putin"),
    ("Assad", "assad"),
    ("Bashar al-Assad", "assad"),
    ("Damascus", "syria"),
    ("HTS", "hts"),
    ("Hayat Tahrir al-Sham", "hts"),
    ("SDF", "sdf"),
    ("Syrian Democratic Forces", "sdf"),
    ("PKK", "pkk"),
    ("Kurdistan Workers Party", "pkk"),
    ("Syrian Kurds", "syrian-kurds"),
    ("US", "us"),
    ("U.S.", "us"),
    ("United States", "us"),
    ("Washington", "us"),
    ("Trump", "trump"),
    ("Iran", "iran"),
    ("Hezbollah", "hezbollah"),
    ("Hizbullah", "hezbollah"),
    ("Ukraine", "ukraine"),
    ("Ukrainian military", "ukrainian-military"),
    ("GUR", "gur"),
    ("HUR", "gur"),
    ("CNN Türk", "cnn-turk"),
    ("CNN Turk", "cnn-turk"),
    ("Yerevan", "armenia"),
    ("Armenia", "armenia"),
    ("Azerbaijan", "azerbaijan"),
    ("CSTO", "csto"),
    ("NATO", "nato"),
    ("EU", "eu"),
    ("European Union", "eu"),
    ("the West", "the-west"),
    ("Gulf countries", "gulf-countries"),
    ("Gazprom", "gazprom"),
    ("Naftogaz", "naftogaz"),
    ("TurkStream", "turkstream"),
    ("Turkish Stream", "turkstream"),
    ("Astana process", "astana-process"),
    ("Black Sea fleet", "black-sea-fleet"),
    ("Russian media", "russian-media"),
    ("Dimitar Bechev", "bechev"),
    ("The Moscow Times", "moscow-times"),
    ("Carnegie Politika", "carnegie-politika"),
    ("BRICS", "brics"),
    ("Anatoly Medved", "anatoly-medved"),
    ("Syrian refugees", "syrian-refugees"),
    ("anti-Assad forces", "syrian-opposition"),
    ("Latakia", "latakia"),
    ("Khmeimim", "khmeimim"),
    ("Hmeimim", "khmeimim"),
    ("Tartus", "tartus"),
    ("Tartous", "tartus"),
    ("Novorossiysk", "novorossiysk"),
    ("Idlib", "idlib"),
    ("Crimea", "crimea"),
    ("Kazan", "kazan"),
    ("Black Sea", "black-sea"),
    ("South Caucasus", "south-caucasus"),
    ("Karabakh", "karabakh"),
    ("Europe", "europe"),
]


@pytest.fixture(scope="module")
def pack() -> PackFile:
    return read_pack(PACK_PATH)


@pytest.fixture(scope="module")
def article() -> str:
    if not ARTICLE_PATH.is_file():
        pytest.skip("article not available: ../shared/seeds is absent in a standalone clone")
    return ARTICLE_PATH.read_text("utf-8")


def card_text(card: Card) -> str:
    quotes = " ".join(q.text for q in card.quotes)
    return "\n".join([card.title, card.summary, *card.key_point_texts(), quotes])


def folded(text: str) -> str:
    return normalise(text).casefold()


def resolve(pack: PackFile, name: str) -> set[str]:
    """Ids of the actors whose name or alias is `name` (casefolded, exact)."""
    wanted = folded(name)
    return {
        actor.id
        for actor in pack.actors
        if wanted in {folded(n) for n in [actor.name, *actor.aliases]}
    }


def words(text: str) -> list[str]:
    return re.findall(r"\w+", folded(text))


def runs(tokens: list[str], size: int) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


# --- the pack as a whole ------------------------------------------------------------


def test_pack_metadata_cites_the_article(pack: PackFile) -> None:
    meta = pack.pack
    assert meta.slug == "bechev-syria-russia-turkey-2024"
    assert meta.version == 1
    assert meta.published == date(2024, 12, 19)
    assert meta.author == "Dimitar Bechev"
    assert meta.publisher == "The Moscow Times"
    assert meta.original_publisher == "Carnegie Politika"
    assert str(meta.source_url) == SOURCE_URL


def test_cards_are_the_sections_in_order(pack: PackFile) -> None:
    sections = [card.section for card in pack.cards]
    assert len(sections) >= 12
    assert sections == list(range(1, len(sections) + 1))
    assert pack.cards[0].id == "byline-and-photo"
    assert pack.cards[-1].id == "publication-note"


def test_cards_are_published_shared_and_complete(pack: PackFile) -> None:
    for card in pack.cards:
        assert card.status.value == "published", card.id
        assert card.guild_id is None and card.created_at is None, card.id
        assert 3 <= len(card.key_points) <= 6, card.id
        assert card.actors and card.tags, card.id
        sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z\"])", card.summary)
        assert 2 <= len(sentences) <= 5, (card.id, len(sentences))


@pytest.mark.parametrize("fact", REQUIRED_FACTS)
def test_every_fact_of_the_article_is_on_a_card(pack: PackFile, fact: str) -> None:
    wanted = folded(fact)
    assert any(wanted in folded(card_text(card)) for card in pack.cards), fact


def test_hedges_are_kept(pack: PackFile) -> None:
    cards = {card.id: folded(card_text(card)) for card in pack.cards}
    assert "reportedly" in cards["russia-asks-turkey-for-help"]
    assert "appear" in cards["russian-troops-fall-back-to-latakia"]
    assert "according to gur" in cards["russian-troops-fall-back-to-latakia"]
    assert "may well" in cards["bases-and-hts-rebrand"]
    assert "appears" in cards["south-caucasus-flank"]
    assert "possibly the eu" in cards["the-post-assad-landscape"]
    assert "often seen" in cards["energy-turkstream"]


# --- actors -----------------------------------------------------------------------


@pytest.mark.parametrize(("name", "actor_id"), ALIASES)
def test_actor_resolves_by_name_or_alias(pack: PackFile, name: str, actor_id: str) -> None:
    assert resolve(pack, name) == {actor_id}


def test_no_alias_points_at_two_actors(pack: PackFile) -> None:
    owners: dict[str, str] = {}
    for actor in pack.actors:
        for name in {folded(n) for n in [actor.name, *actor.aliases]}:
            assert name not in owners, f"{name!r}: {owners.get(name)} and {actor.id}"
            owners[name] = actor.id


def test_every_actor_appears_on_a_card(pack: PackFile) -> None:
    on_cards = {actor for card in pack.cards for actor in card.actors}
    assert {actor.id for actor in pack.actors} <= on_cards


# --- events and their dates -----------------------------------------------------------


@pytest.mark.parametrize(
    ("event_id", "precision", "start", "end", "text"),
    [
        ("su-24-shootdown", Precision.MONTH, date(2015, 11, 1), date(2015, 11, 30), "2015"),
        ("idlib-offensive", Precision.RANGE, date(2019, 1, 1), date(2020, 12, 31), "2019"),
        (
            "putin-urges-assad-to-engage-erdogan",
            Precision.SEASON,
            date(2024, 6, 1),
            date(2024, 8, 31),
            "this summer",
        ),
        (
            "gazprom-naftogaz-contract-expiry",
            Precision.DAY,
            date(2025, 1, 1),
            date(2025, 1, 1),
            "January 1",
        ),
        (
            "erdogan-russian-lake-remark",
            Precision.YEAR,
            date(2016, 1, 1),
            date(2016, 12, 31),
            "2016",
        ),
        # The photo predates the article: the year ends, for this date, at publication.
        ("brics-summit-kazan-2024", Precision.YEAR, date(2024, 1, 1), date(2024, 12, 19), "2024"),
    ],
)
def test_event_dates_are_as_precise_as_the_article(
    pack: PackFile, event_id: str, precision: Precision, start: date, end: date, text: str
) -> None:
    event = next(e for e in pack.events if e.id == event_id)
    assert event.date.precision is precision
    assert (event.date.start, event.date.end) == (start, end)
    assert text in event.date.text


def test_the_january_first_year_is_marked_as_inferred(pack: PackFile) -> None:
    event = next(e for e in pack.events if e.id == "gazprom-naftogaz-contract-expiry")
    assert "2025" in event.date.text and "inferred" in event.date.text


@pytest.mark.parametrize(
    "event_id",
    [
        "russia-intervenes-in-syria",
        "karabakh-war",
        "astana-bargain",
        "black-sea-fleet-driven-to-novorossiysk",
    ],
)
def test_events_the_article_does_not_date_stay_undated(pack: PackFile, event_id: str) -> None:
    event = next(e for e in pack.events if e.id == event_id)
    assert event.date.precision is Precision.UNDATED


def test_assads_fall_is_an_approximate_range_ending_at_publication(pack: PackFile) -> None:
    """ "Mere weeks ago": no exact day (no 8 December), a range marked approximate."""
    fall = next(e for e in pack.events if e.id == "assad-regime-collapse")
    assert fall.date.approximate and fall.date.end == pack.pack.published
    assert fall.date.start is not None and (pack.pack.published - fall.date.start).days <= 60
    assert "weeks" in fall.date.text


def test_every_event_is_on_a_card(pack: PackFile) -> None:
    on_cards = {event for card in pack.cards for event in card.events}
    assert {event.id for event in pack.events} <= on_cards


# --- leverage and relations --------------------------------------------------------


B, A, U = Period.BEFORE, Period.AFTER, Period.UNTIED


@pytest.mark.parametrize(
    ("domain", "expected"),
    [
        (Domain.SYRIA, {B, A}),
        # The article does not tie the fleet's move, the Armenian crisis or the energy
        # change to Assad's fall ("down on other flanks too"; January 1): untied.
        (Domain.BLACK_SEA, {B, U}),
        (Domain.SOUTH_CAUCASUS, {B, U}),
        (Domain.ENERGY, {U}),
        (Domain.DIPLOMACY, {B, A}),
        (Domain.ECONOMY, {B}),
    ],
)
def test_leverage_periods_are_only_those_the_article_ties(
    pack: PackFile, domain: Domain, expected: set[Period]
) -> None:
    assert {shift.period for shift in pack.leverage if shift.domain is domain} == expected


@pytest.mark.parametrize(
    ("domain", "actor", "over", "direction", "period"),
    [
        (Domain.SYRIA, "russia", "turkey", Direction.GAINED, Period.BEFORE),
        (Domain.ECONOMY, "russia", "turkey", Direction.GAINED, Period.BEFORE),
        (Domain.SYRIA, "turkey", "russia", Direction.GAINED, Period.AFTER),
        (Domain.SYRIA, "russia", "turkey", Direction.LOST, Period.AFTER),
        (Domain.BLACK_SEA, "turkey", "russia", Direction.GAINED, Period.UNTIED),
        (Domain.ENERGY, "turkey", "russia", Direction.GAINED, Period.UNTIED),
    ],
)
def test_key_leverage_shifts(
    pack: PackFile, domain: Domain, actor: str, over: str, direction: Direction, period: Period
) -> None:
    assert any(
        (s.domain, s.actor, s.over, s.direction, s.period)
        == (domain, actor, over, direction, period)
        for s in pack.leverage
    )


@pytest.mark.parametrize(
    ("source", "kind", "target"),
    [
        ("russia", "ally", "assad"),
        ("us", "sponsors", "sdf"),
        ("us", "partner", "syrian-kurds"),
        ("syrian-kurds", "partner", "pkk"),
        ("armenia", "adversary", "turkey"),
        ("armenia", "part-of", "csto"),
        ("turkey", "depends-on", "russia"),
        ("turkey", "partner", "hts"),
        ("hts", "adversary", "assad"),
        ("erdogan", "intermediary", "the-west"),
    ],
)
def test_relations_the_article_states(pack: PackFile, source: str, kind: str, target: str) -> None:
    assert any((r.source, r.kind.value, r.target) == (source, kind, target) for r in pack.relations)


# --- faithfulness to the article -----------------------------------------------------


def test_quotes_occur_verbatim_in_the_article(pack: PackFile, article: str) -> None:
    assert quote_problems(pack, article, source=str(PACK_PATH)) == []
    assert sum(len(card.quotes) for card in pack.cards) >= 5


def test_source_url_is_the_articles_original_url(pack: PackFile, article: str) -> None:
    assert source_url_problems(pack, article, source=str(PACK_PATH)) == []


def test_summaries_do_not_copy_the_article(pack: PackFile, article: str) -> None:
    """Our words, not Bechev's: no 12-word run shared with the article outside quote marks."""
    article_runs = runs(words(article), COPY_RUN)
    texts = [(card.id, t) for card in pack.cards for t in [card.summary, *card.key_point_texts()]]
    texts += [(event.id, t) for event in pack.events for t in [event.what, event.why]]
    texts += [(shift.id, shift.reasoning) for shift in pack.leverage]
    for ident, text in texts:
        for outside_quotes in normalise(text).split('"')[::2]:
            copied = runs(words(outside_quotes), COPY_RUN) & article_runs
            assert not copied, (ident, " ".join(sorted(copied)[0]))


MINI_PACK = """
pack:
  slug: mini
  title: Mini
  author: A
  publisher: P
  published: 2024-12-19
  source_url: https://example.com/a
cards:
  - id: first
    pack: mini
    section: 1
    title: First
    summary: One. Two.
    quotes:
      - {text: "an \\"unsinkable aircraft carrier\\" across the sea", attribution: A}
      - {text: "an unsinkable aircraft carrier in the sea", attribution: A}
"""
MINI_ARTICLE = (
    "Crimea, [described](#) by Putin as\n an **“unsinkable aircraft carrier”** across the sea.\n"
    "Original url:\n\n<https://example.com/a>\n"
)


def test_a_doctored_quote_is_reported() -> None:
    mini = parse_pack(MINI_PACK)
    problems = quote_problems(mini, MINI_ARTICLE, source="mini.yaml")
    assert [(p.item, p.field) for p in problems] == [("card 1 (first)", "quotes.1.text")]


def test_a_changed_source_url_is_reported() -> None:
    mini = parse_pack(MINI_PACK)
    assert source_url_problems(mini, MINI_ARTICLE, source="mini.yaml") == []
    moved = MINI_ARTICLE.replace("example.com/a", "example.com/b")
    assert len(source_url_problems(mini, moved, source="mini.yaml")) == 1
    assert source_url_problems(mini, "no url line here", source="mini.yaml") == []


def test_normalise_folds_typography_and_markdown() -> None:
    assert (
        normalise("  [Russian lake](#) — **“bold”**\n*Times.*  ") == 'Russian lake - "bold" Times.'
    )


# --- the faithfulness audit's findings stay fixed ------------------------------------


def test_the_audit_findings_stay_fixed(pack: PackFile) -> None:
    """The High and Medium findings of ../shared/reviews/faithfulness-audit.md."""
    shifts = {s.id: s for s in pack.leverage}
    assert "diplomacy-after-us-over-turkey" not in shifts  # I-27: a claim never made
    assert shifts["energy-after-turkey-gains"].certainty is Certainty.FORECAST  # I-26
    assert shifts["energy-before-russia-holds"].certainty is Certainty.PERCEPTION  # I-19
    assert shifts["syria-after-hts-over-russia-bases"].certainty is Certainty.HEDGED  # I-22
    assert shifts["south-caucasus-after-turkey-gains"].certainty is Certainty.HEDGED  # I-24
    for ident in ("black-sea-after-turkey-gains", "south-caucasus-after-russia-loses-armenia"):
        assert shifts[ident].period is Period.UNTIED  # I-23, I-25
    ties = {(r.source, r.kind.value, r.target): r for r in pack.relations}
    assert ties[("turkey", "depends-on", "russia")].certainty is Certainty.PERCEPTION  # I-36
    assert ties[("turkey", "depends-on", "russia")].period is Period.UNTIED
    assert ties[("armenia", "adversary", "turkey")].period is Period.UNTIED  # I-33
    assert ties[("russia", "ally", "armenia")].period is Period.UNTIED  # I-34
    assert ties[("turkey", "partner", "hts")].period is Period.UNTIED  # I-29
    # OM-11: the tie the article does state, on the map of either.
    assert ties[("russia", "partner", "turkey")].certainty is Certainty.FACT
    assert "also down on other fronts" in (pack.pack.description or "")  # I-01
    titles = {c.id: c.title for c in pack.cards}
    assert "appear" in titles["russian-troops-fall-back-to-latakia"]  # I-40
    assert "much of Russia's leverage" in titles["the-post-assad-landscape"]  # I-45
    actors = {a.id: a for a in pack.actors}
    assert "may even remind" in actors["assad"].role  # I-02
    assert "Kurdish" not in actors["syrian-kurds"].aliases  # I-07: not the SDF's adjective
