"""A draft from a source: sections by headings or paragraph groups, and what each proposes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from briefings.briefing import Briefing
from briefings.faithfulness import normalise
from briefings.models import Precision
from briefings.search import NameIndex
from briefings.sources.draft import Draft, draft, split
from briefings.sources.finds import QuoteFound
from tests.briefings.source_article import MARKDOWN, TITLE
from tests.conftest import ARTICLE

SEEDS = [ARTICLE, Path("/work/shared/seeds") / ARTICLE.name]
"""The shipped pack's article: next to the repository, or in the shared seeds; never copied
into the repository."""


@pytest.fixture
def seed_article() -> str:
    for path in SEEDS:
        if path.exists():
            return path.read_text(encoding="utf-8")
    pytest.skip(f"the shipped article is not here ({ARTICLE.name} in none of {SEEDS})")


async def shipped_index(core: Briefing) -> NameIndex:
    return await core.name_index(guild_id=None)


async def test_a_source_with_headings_has_one_proposal_per_heading(core: Briefing) -> None:
    got = draft(MARKDOWN, await shipped_index(core))
    assert got.title == TITLE and got.by_headings
    assert [(p.section, p.title) for p in got.proposals] == [
        (1, "The corridor"),
        (2, "The gas bargain"),
    ]


async def test_each_proposal_carries_what_the_section_gives_verbatim(core: Briefing) -> None:
    corridor, gas = draft(MARKDOWN, await shipped_index(core)).proposals
    assert corridor.anchor == "Ankara reopened the grain corridor on 3 March"
    matched = {(a.id, a.matched) for a in corridor.actors}
    assert {("turkey", "ankara"), ("russia", "the kremlin")} <= matched  # by their aliases
    assert "Olena Marchenko" in corridor.new_names and "Odesa" in corridor.new_names
    assert "Ankara" not in corridor.new_names  # the catalogue knows it, as Turkey's alias
    assert [(d.text, d.precision, d.start) for d in corridor.dates] == [
        ("3 March 2025", Precision.DAY, date(2025, 3, 3)),
        ("2026", Precision.YEAR, date(2026, 1, 1)),
    ]
    assert corridor.figures[:2] == ("2.4 million tonnes", "15%")
    assert corridor.quotes == (QuoteFound("The sea is open for business", "Olena Marchenko"),)
    assert {a.id for a in gas.actors} >= {"erdogan", "turkey", "russia"}
    assert [(d.text, d.precision) for d in gas.dates] == [
        ("January 2024", Precision.MONTH),
        ("2016", Precision.YEAR),
    ]
    assert gas.quotes == (QuoteFound("We pay what is fair", "Erdoğan"),)
    assert "40% of" not in gas.figures and "40%" in gas.figures


def assert_verbatim(got: Draft, text: str) -> None:
    article = normalise(text)
    for proposal in got.proposals:
        assert proposal.anchor is not None and normalise(proposal.anchor) in article
        for quote in proposal.quotes:
            assert normalise(quote.text) in article


async def test_every_anchor_and_quote_proposed_is_in_the_source(core: Briefing) -> None:
    assert_verbatim(draft(MARKDOWN, await shipped_index(core)), MARKDOWN)


def test_without_headings_paragraphs_are_grouped_and_front_matter_dropped() -> None:
    paragraph = "The envoy crossed the border at dawn and met the council. " * 6  # 66 words
    tail = "The council said nothing more that week about the border. " * 3  # 30 words
    text = "By A. Writer\n\nMay 2025\n\n" + "\n\n".join([paragraph] * 6 + [tail])
    title, sections = split(text)
    assert title is None
    assert [s.words for s in sections] == [198, 228]  # a short last group joins the one before
    proposals = draft(text, NameIndex()).proposals
    assert proposals[0].title == "The envoy crossed the border at dawn and…"
    assert proposals[0].anchor == "The envoy crossed the border at dawn and"


def test_a_draft_never_writes_summaries_it_only_proposes() -> None:
    proposal = draft(MARKDOWN, NameIndex()).proposals[0]
    assert not hasattr(proposal, "summary") and not hasattr(proposal, "key_points")


async def test_the_shipped_article_drafts_into_sections_with_verbatim_anchors(
    core: Briefing, seed_article: str
) -> None:
    article = seed_article
    got = draft(article, await shipped_index(core))
    assert got.title is not None and got.title.startswith("What Does Regime Change in Syria")
    assert 4 <= len(got.proposals) <= 8
    assert_verbatim(got, article)
    assert got.proposals[0].anchor == "Russia has reportedly asked Turkey for assistance in"
    named = {a.id for p in got.proposals for a in p.actors}
    assert {"turkey", "russia", "erdogan", "putin", "assad", "hts"} <= named
    found = {d.text for p in got.proposals for d in p.dates}
    assert "November 2015" in found
