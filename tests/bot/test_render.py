"""The renderer keeps to Discord's limits on any input, and never drops text silently."""

from __future__ import annotations

from datetime import date

import discord
from hypothesis import given
from hypothesis import strategies as st

from bot import limits, render
from bot.render.base import Page, visible_length
from briefings.models import (
    Actor,
    ActorKind,
    Card,
    Direction,
    Domain,
    Event,
    EventDate,
    LeverageShift,
    Period,
    Precision,
    Quote,
)
from briefings.results import ActorProfile, Citation, LeverageView, TimelineEntry

CITE = Citation(
    pack="p",
    pack_title="P" * 200,
    section=1,
    card_id="c",
    card_title="T" * 250,
    source_url="https://example.org/a",
)
LONG = "word " * 799 + "end"  # 4,000 characters


def assert_within_limits(pages: list[Page]) -> None:
    assert pages
    for page in pages:
        assert len(page.embeds) <= limits.EMBEDS_PER_MESSAGE
        assert sum(len(e) for e in page.embeds) <= limits.EMBED_TOTAL
        assert page.content is None or len(page.content) <= limits.CONTENT
        for embed in page.embeds:
            assert len(embed.title or "") <= limits.EMBED_TITLE
            assert len(embed.description or "") <= limits.EMBED_DESCRIPTION
            assert len(embed.fields) <= limits.EMBED_FIELDS
            for field in embed.fields:
                assert len(field.name or "") <= limits.EMBED_FIELD_NAME
                assert len(field.value or "") <= limits.EMBED_FIELD_VALUE
            assert len(embed.footer.text or "") <= limits.EMBED_FOOTER


def all_text(pages: list[Page]) -> str:
    out = []
    for page in pages:
        for e in page.embeds:
            out += [e.title or "", e.description or ""]
            out += [f"{f.name} {f.value}" for f in e.fields]
    return "\n".join(out)


def event(i: int) -> Event:
    return Event(
        id=f"e-{i}",
        title=f"Event number {i} " + "x" * 150,
        date=EventDate(
            precision=Precision.YEAR, text=str(1900 + i % 100), start=date(1900 + i % 100, 1, 1)
        ),
        what=LONG,
        why=LONG,
    )


def test_a_huge_card_is_clipped_visibly() -> None:
    card = Card(
        id="c",
        pack="p",
        section=1,
        title="T" * 200,
        summary=LONG,
        key_points=["k" * 500] * 25,
        quotes=[Quote(text="short", attribution="A")] * 10,
    )
    pages = [render.card_page(card, CITE, position=1, total=1)]
    assert_within_limits(pages)
    embed = pages[0].embeds[0]
    assert limits.CLIP_MARK.strip() in all_text(pages)
    assert embed.author.name == "Some text was shortened to fit Discord"


def test_a_long_timeline_pages_and_keeps_every_event() -> None:
    entries = [TimelineEntry(event=event(i), citations=[CITE]) for i in range(500)]
    pages = render.timeline(entries, actor=None)
    assert len(pages) > 1
    assert_within_limits(pages)
    text = all_text(pages)
    assert all(f"Event number {i} " in text for i in range(500))
    assert pages[-1].embeds[0].footer.text == f"Page {len(pages)}/{len(pages)}"


def test_a_busy_actor_profile_pages_without_losing_shifts() -> None:
    actor = Actor(
        id="a",
        name="A" * 200,
        kind=ActorKind.STATE,
        role=LONG,
        aliases=[f"alias {i}" for i in range(50)],
    )
    shifts = [
        LeverageShift(
            id=f"s-{i}",
            domain=Domain.SYRIA,
            actor="a",
            over="b",
            direction=Direction.GAINED,
            period=Period.AFTER,
            when="now",
            reasoning=f"reason {i} " + "r" * 300,
            evidence=["c"],
        )
        for i in range(60)
    ]
    profile = ActorProfile(
        actor=actor,
        events=[event(i) for i in range(200)],
        gained=shifts,
        lost=[],
        citations=[CITE] * 100,
    )
    pages = render.actor_profile(profile, {"a": "A", "b": "B"})
    assert len(pages) > 1
    assert_within_limits(pages)
    assert visible_length(pages[0]) <= limits.SCREEN_CHARS  # one screen, however busy
    assert "⬆️ **Gained** over B: Syria (after)" in all_text(pages[:1])  # 60 shifts, one line
    text = all_text(pages)
    assert all(f"Event number {i} " in text for i in range(200))  # every event, later on
    assert text.count("§1 · ") == 100  # every card, later on


def test_leverage_views_fit() -> None:
    a = Actor(id="a", name="A", kind=ActorKind.STATE, role="r")
    b = Actor(id="b", name="B", kind=ActorKind.STATE, role="r")
    views = [
        LeverageView(
            shift=LeverageShift(
                id=f"s{i}",
                domain=list(Domain)[i % 6],
                actor="a",
                over="b",
                direction=list(Direction)[i % 3],
                period=list(Period)[i % 2],
                when="w",
                reasoning=LONG,
                evidence=["c"],
            ),
            actor=a,
            over=b,
            evidence=[CITE] * 30,
        )
        for i in range(40)
    ]
    assert_within_limits(render.leverage(views, domain=None, actor="A"))
    assert_within_limits(render.balance(views))


@given(text=st.text(max_size=3000), limit=st.integers(min_value=20, max_value=2000))
def test_clip_fits_and_marks_what_it_cut(text: str, limit: int) -> None:
    clipped = limits.clip(text, limit)
    assert len(clipped) <= limit
    if len(text) > limit:
        assert clipped.endswith(limits.CLIP_MARK.strip())
    else:
        assert clipped == text


@given(lines=st.lists(st.text(min_size=1, max_size=300), max_size=60))
def test_chunk_lines_keeps_every_line_within_the_limit(lines: list[str]) -> None:
    blocks = limits.chunk_lines(lines, 500)
    assert all(len(b) <= 500 for b in blocks)
    assert "\n".join(blocks) == "\n".join(lines)


def test_embed_length_counts_like_discord() -> None:
    embed = discord.Embed(title="abc", description="de")
    embed.add_field(name="f", value="gh")
    assert len(embed) == 8
