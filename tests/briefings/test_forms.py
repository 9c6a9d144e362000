"""The forms' text read as records: key points with their status, quotes with their
speaker, each problem at its line, and what is written back reads the same."""

from __future__ import annotations

from datetime import date

import pytest

from briefings.editing import CardDraft
from briefings.errors import InvalidPack
from briefings.forms import (
    common_certainty,
    read_briefing,
    read_key_points,
    read_quotes,
    write_key_points,
    write_quotes,
)
from briefings.models import Certainty, KeyPoint, Quote


def test_key_points_take_the_default_unless_a_line_names_its_status() -> None:
    text = (
        "• Turkey gains\n\n2. Russia may leave [forecast]\n"
        "Bases close [Reported by GUR]\nX [judgment]"
    )
    points, problems = read_key_points(text, default=Certainty.FACT)
    assert problems == []
    assert [(p.text, p.certainty, p.reported_by) for p in points] == [
        ("Turkey gains", Certainty.FACT, None),
        ("Russia may leave", Certainty.FORECAST, None),
        ("Bases close", Certainty.REPORTED, "GUR"),
        ("X", Certainty.JUDGEMENT, None),
    ]


def test_each_bad_line_is_named_by_its_number() -> None:
    _, problems = read_key_points("fine\nbad [sure]\nwho [reported]\n[fact]")
    assert [p.problem.split(":")[0] for p in problems] == ["line 2", "line 3", "line 4"]
    assert "[sure] is not a status" in problems[0].problem
    assert "[reported by CNN Türk]" in problems[1].problem
    assert {p.field for p in problems} == {"key_points"}


def test_more_than_25_key_points_are_refused() -> None:
    _, problems = read_key_points("\n".join(f"point {i}" for i in range(26)))
    assert problems and "at most 25 key points" in problems[-1].problem


@pytest.mark.parametrize(
    "line",
    ['"the upper hand" — Bechev', "“the upper hand” – Bechev", "«the upper hand» - Bechev"],
)
def test_quotes_read_with_any_quotation_marks_and_dash(line: str) -> None:
    quotes, problems = read_quotes(line)
    assert problems == [] and quotes == [Quote(text="the upper hand", attribution="Bechev")]


def test_a_quote_without_marks_or_speaker_or_too_long_is_named() -> None:
    long = '"' + " ".join(["word"] * 26) + '" — X'
    _, problems = read_quotes(f'no marks — X\n"no speaker"\n{long}')
    assert [p.problem.split(":")[0] for p in problems] == ["line 1", "line 2", "line 3"]
    assert "25 words at most" in problems[2].problem


def test_what_is_written_back_reads_as_the_same_records() -> None:
    points = [
        KeyPoint(text="Turkey gains", certainty=Certainty.JUDGEMENT),
        KeyPoint(text="Russia loses", certainty=Certainty.JUDGEMENT),
        KeyPoint(text="Bases close", certainty=Certainty.REPORTED, reported_by="GUR"),
        KeyPoint(text="It may end", certainty=Certainty.HEDGED),
    ]
    default = common_certainty(points)
    assert default is Certainty.JUDGEMENT
    text = write_key_points(points, default=default)
    assert text.splitlines()[0] == "Turkey gains"  # the common status needs no marker
    assert read_key_points(text, default=default) == (points, [])
    quotes = [Quote(text='the "upper" hand', attribution="Dimitar Bechev")]
    assert read_quotes(write_quotes(quotes)) == (quotes, [])


def test_a_draft_gets_the_points_form_and_keeps_the_rest() -> None:
    draft = CardDraft.from_form(
        pack="p", title="T", section="3", summary="S.", actors="Turkey", tags="energy"
    )
    more = draft.with_points(
        bottom_line="  B.  ", key_points="one\ntwo [hedged]", quotes="", default=Certainty.FACT
    )
    assert (more.title, more.summary, more.bottom_line) == ("T", "S.", "B.")
    again = CardDraft.from_form(
        pack="p", title="T2", section="3", summary="S.", actors="", tags="", base=more
    )
    assert again.title == "T2" and [p.text for p in again.key_points] == ["one", "two"]
    with pytest.raises(InvalidPack) as bad:
        more.with_points(bottom_line="", key_points="x [nope]", quotes="q", default=Certainty.FACT)
    assert {p.field for p in bad.value.problems} == {"key_points", "quotes"}


@pytest.mark.parametrize("typed", ["2024-12-19", "19 December 2024", "Dec 19, 2024", "19.12.2024"])
def test_a_publication_date_reads_the_usual_ways(typed: str) -> None:
    raw, problems = read_briefing({"published": typed, "pivot": "  "})
    assert problems == [] and raw == {"published": date(2024, 12, 19), "pivot": None}


def test_a_bad_date_names_its_field_and_what_was_typed() -> None:
    raw, problems = read_briefing({"published": "soon", "title": " T "})
    assert raw == {"title": "T"}
    assert [(p.field, p.problem) for p in problems] == [
        ("published", "type a date like 2024-12-19 or 19 December 2024 (not “soon”).")
    ]
