"""Pack files under a budget: hostile uploads are refused cheaply, field by field, with either
YAML parser (libyaml's, or the pure-Python fallback)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from briefings import packfile
from briefings.errors import InvalidPack
from briefings.packfile import MAX_DEPTH, Budget, parse_pack, parse_upload
from tests.briefings import hostile_packs
from tests.briefings.sample import sample_pack_data

SHIPPED = Path(__file__).parents[2] / "briefings/packs/bechev-syria-russia-turkey-2024.yaml"


@pytest.fixture(params=["libyaml", "python"], autouse=True)
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if request.param == "libyaml":
        if not yaml.__with_libyaml__:
            pytest.skip("libyaml is not installed")
        assert packfile._Loader is yaml.CSafeLoader  # the fast parser is the one used
    else:
        monkeypatch.setattr(packfile, "_Loader", yaml.SafeLoader)


def refused(raw: bytes, **kwargs: Any) -> list[str]:
    with pytest.raises(InvalidPack) as caught:
        parse_upload(raw, source="up.yaml", **kwargs)
    return [f"{p.item} · {p.field}: {p.problem}" for p in caught.value.problems]


def test_thousands_of_levels_of_nesting_are_one_field_problem() -> None:
    for raw in (
        hostile_packs.deep_yaml(),
        hostile_packs.deep_json(),
        ('{"pack": ' + '{"a": ' * 3000 + "1" + "}" * 3000 + "}").encode(),
    ):
        (problem,) = refused(raw)
        assert problem.startswith("file · line ")
        assert problem.endswith(f"too deeply nested (limit {MAX_DEPTH} levels)")


def test_the_depth_limit_is_exact() -> None:
    text = SHIPPED.read_text(encoding="utf-8")  # the shipped pack nests 5 levels
    assert parse_pack(text, budget=Budget(depth=5)).cards
    with pytest.raises(InvalidPack) as caught:
        parse_pack(text, budget=Budget(depth=4))
    assert caught.value.problems[0].problem == "too deeply nested (limit 4 levels)"


def test_a_megabyte_of_tiny_items_is_refused_before_it_is_built() -> None:
    (problem,) = refused(hostile_packs.tiny_items())  # not 240,000 problems, one per item
    assert "holds more than 60,000 values" in problem


def test_an_alias_bomb_counts_as_what_it_expands_to() -> None:
    (problem,) = refused(hostile_packs.alias_bomb())
    assert "holds more than 60,000 values" in problem and "aliases expanded" in problem


def test_an_alias_to_a_deep_anchor_counts_its_depth() -> None:
    deep = "[" * 15 + "]" * 15
    text = f"pack: {{}}\nx: &deep {deep}\ny: [[[[[[[[*deep]]]]]]]]\n"
    (problem,) = refused(text.encode())
    assert problem.endswith("too deeply nested (limit 20 levels)")


def test_ordinary_anchors_and_aliases_still_work() -> None:
    data = sample_pack_data()
    text = yaml.safe_dump(data, sort_keys=False).replace(
        "  key_points:\n", "  key_points: &points\n", 1
    )
    assert "&points" in text
    text = text.replace("cards:\n", "shared: &x 1\ncards:\n").replace(
        "  section: 2\n", "  section: 2\n  key_points: *points\n", 1
    )
    with pytest.raises(InvalidPack) as caught:  # 'shared' is no pack key: the alias was read
        parse_upload(text.encode(), source="up.yaml")
    assert [p.field for p in caught.value.problems] == ["shared"]


def test_the_card_count_is_checked_before_any_card_is_validated() -> None:
    data = sample_pack_data(cards=1)
    bad = {k: v for k, v in data["cards"][0].items() if k != "summary"}  # each card invalid
    data["cards"] = [{**bad, "id": f"c-{i}", "section": i} for i in range(501)]
    (problem,) = refused(json.dumps(data).encode())
    assert problem == "file · cards: has 501 cards; an upload may hold 500"
    data["cards"] = data["cards"][:500]
    assert len(refused(json.dumps(data).encode())) == 500  # at the cap, every card is checked


def test_huge_strings_are_field_problems() -> None:
    problems = refused(hostile_packs.huge_strings())
    assert problems == [
        f"card {i} (huge-{i - 1}) · summary: String should have at most 4000 characters"
        for i in (1, 2)
    ]


def test_files_on_disk_have_no_value_or_card_budget() -> None:
    data = sample_pack_data(cards=1)
    card = data["cards"][0]
    data["cards"] += [{**card, "id": f"c-{i}", "section": i} for i in range(600)]
    assert len(parse_pack(json.dumps(data)).cards) == 601


def test_the_heaviest_accepted_upload_parses() -> None:
    pack = parse_upload(hostile_packs.full_valid(), source="full.yaml")
    assert len(pack.cards) == 500 and len(pack.cards[0].tags) == 20
