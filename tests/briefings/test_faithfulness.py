"""The faithfulness lint: the pack's own words (names, numbers, hedges) against the article."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from briefings.faithfulness import claim_findings
from briefings.packfile import parse_pack, shipped_packs
from tests.briefings.test_cli import PACK, cli
from tests.conftest import ARTICLE

ARTICLE_TEXT = (
    "Russia has reportedly asked Turkey for help. Mere weeks ago this was hard to imagine.\n\n"
    "There are 3.9 million Syrian refugees in Turkey, said Recep Tayyip Erdogan.\n\n"
    "Ankara clearly has the upper hand over Moscow in the wake of the collapse of Assad's regime."
)
PACK_HEAD = """\
format: 2
pack:
  slug: mini
  title: Mini
  author: Someone
  publisher: Turkey
  published: 2024-12-19
  source_url: https://example.com/a
actors:
  - {id: turkey, name: Turkey, kind: state, aliases: [Türkiye, Ankara], role: Turkey.}
  - {id: erdogan, name: Recep Tayyip Erdoğan, kind: person, aliases: [Tayyip], role: Turkey.}
cards:
  - id: first
    pack: mini
    section: 1
    title: Turkey and Russia
    summary: Turkey has the upper hand.
    key_points:
"""


def findings(point: str, certainty: str = "fact") -> list[str]:
    pack = parse_pack(PACK_HEAD + f"      - {{certainty: {certainty}, text: {point!r}}}\n")
    return [str(f) for f in claim_findings(pack, ARTICLE_TEXT, source="mini.yaml")]


def test_a_faithful_point_passes_and_aliases_count() -> None:
    assert findings("Turkey holds 3.9 million Syrian refugees, says Erdoğan.") == []
    # Türkiye and Tayyip are not in the article, but are aliases of actors that are.
    assert findings("Türkiye hosts them, says Tayyip Erdoğan, in the wake of Assad's fall.") == []


def test_an_invented_figure_is_an_error() -> None:
    [found] = findings("Turkey holds 4.2 million Syrian refugees.")
    assert found == (
        "mini.yaml: card 1 (first): key_points.0: invented number '4.2': not in the article"
    )


def test_an_invented_name_is_an_error() -> None:
    [found] = findings("Turkey talks to Moldova about the refugees.")
    assert "key_points.0: invented name 'Moldova'" in found
    assert not found.endswith("(warning)")


def test_a_dropped_reportedly_is_a_warning() -> None:
    [found] = findings("Russia has asked Turkey for help with its troops.")
    assert "marked fact, but its source sentence says 'reportedly'" in found
    assert found.endswith("(warning)")
    assert findings("Russia has asked Turkey for help with its troops.", "hedged") == []
    reported = "{certainty: reported, reported_by: CNN, text: 'Russia asked Turkey for help.'}"
    pack = parse_pack(PACK_HEAD + f"      - {reported}\n")
    assert claim_findings(pack, ARTICLE_TEXT, source="mini.yaml") == []


def test_the_shipped_pack_passes_the_lint(article: str) -> None:
    assert [str(f) for f in claim_findings(shipped_packs()[0], article, source="pack")] == []


def test_the_cli_refuses_a_copy_with_an_invented_key_point(tmp_path: Path) -> None:
    if not ARTICLE.exists():
        pytest.skip("article not available: ../shared/seeds is absent in a standalone clone")
    ok = cli("validate", str(PACK), "--source", str(ARTICLE), db=tmp_path / "b.db")
    assert ok.returncode == 0, ok.stderr
    assert "names and numbers found in the source" in ok.stdout
    doctored = tmp_path / "doctored.yaml"
    shutil.copy(PACK, doctored)
    text = doctored.read_text(encoding="utf-8").replace(
        "text: In return, Türkiye obtained a buffer zone in Syria.",
        "text: In return, Türkiye obtained a buffer zone of 30 km in Syria, Lavrov says.",
        1,
    )
    assert "30 km" in text
    doctored.write_text(text, encoding="utf-8")
    bad = cli("validate", str(doctored), "--source", str(ARTICLE), db=tmp_path / "b.db")
    assert bad.returncode == 1
    assert "card 8 (the-astana-bargain): key_points.2: invented number '30'" in bad.stderr
    assert "invented name 'Lavrov'" in bad.stderr
