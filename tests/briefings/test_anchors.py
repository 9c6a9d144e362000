"""Section anchors: verbatim in the article, checked like quotes, and encoded as URL text
fragments; plus the CLI's quiet exit on a closed pipe and ./run's bare usage."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from briefings.anchors import anchor_problems, text_fragment
from briefings.packfile import shipped_packs
from briefings.results import Citation
from tests.briefings.test_cli import PACK, cli

REPO = Path(__file__).resolve().parents[2]


def test_every_shipped_card_has_an_anchor_found_in_its_article(article: str) -> None:
    pack = shipped_packs()[0]
    assert all(card.anchor for card in pack.cards)
    assert anchor_problems(pack, article, source="pack") == []


def test_an_anchor_missing_from_the_article_is_reported_by_validate(
    tmp_path: Path, article: str
) -> None:
    source = tmp_path / "article.txt"
    source.write_text(article.replace("Whatever scenario", "Whichever scenario"), "utf-8")
    result = cli("validate", str(PACK), "--source", str(source), db=tmp_path / "b.db")
    assert result.returncode == 1
    assert "anchor: 'Whatever scenario materializes' does not occur in the article" in result.stderr


def test_anchors_are_checked_like_quotes_with_markdown_and_curly_quotes_folded() -> None:
    pack = shipped_packs()[0]
    card = pack.cards[3].model_copy(update={"anchor": "The fate of those bases"})
    other = pack.cards[4].model_copy(update={"anchor": "Nothing like this is written"})
    mini = pack.model_copy(update={"cards": [card, other]})
    problems = anchor_problems(mini, "The [fate](#) of those bases is unclear.", source="m")
    assert [(p.item, p.field) for p in problems] == [(f"card 2 ({other.id})", "anchor")]


def test_text_fragments_encode_the_phrase_and_its_syntax_characters() -> None:
    url = "https://example.org/a#top"
    assert text_fragment(url, "Erdoğan, vis-a-vis & co") == (
        "https://example.org/a#:~:text=Erdo%C4%9Fan%2C%20vis%2Da%2Dvis%20%26%20co"
    )
    assert text_fragment(url, None) == url
    cited = Citation(
        pack="p", pack_title="P", section=1, card_id="c", card_title="T", source_url=url
    )
    assert cited.passage_url == url  # no anchor: the article itself
    own = cited.model_copy(update={"anchor": "x", "own": True})
    assert own.passage_url is None  # a server's note links to no publisher's passage


def test_the_cli_exits_quietly_when_its_reader_stops(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_PATH": str(tmp_path / "b.db")}
    # `true` reads nothing and exits at once: every write meets a closed pipe, as with `head`
    shell = f"{sys.executable} -m briefings timeline | true; echo ${{PIPESTATUS[0]}}"
    result = subprocess.run(
        ["bash", "-c", shell], capture_output=True, text=True, env=env, cwd=REPO, timeout=60
    )
    assert result.stderr == "" and result.stdout.strip() == "0"


def test_run_with_no_argument_prints_only_its_usage() -> None:
    result = subprocess.run([str(REPO / "run")], capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert result.stdout.splitlines()[1].strip().startswith("./run bot")
    assert "set -euo" not in result.stdout and result.stderr == ""
