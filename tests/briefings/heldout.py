"""The held-out question file and how an answer is judged against it (shared by the test
and bench/bench_answers.py --heldout)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from briefings.results import Answer
from briefings.search import fold, sentences
from briefings.text import answer as render

FILE = Path(__file__).with_name("heldout_questions.yaml")
GAP = re.compile(r"doesn't cover|gives only|gives no|has nothing on")


@dataclass(frozen=True, slots=True)
class Heldout:
    kind: str
    q: str
    expect: list[str] = field(default_factory=list)
    gap: bool = False


def load() -> list[Heldout]:
    return [Heldout(**row) for row in yaml.safe_load(FILE.read_text(encoding="utf-8"))]


def failures(item: Heldout, answer: Answer) -> list[str]:
    """What the answer lacks: the expected markers, or the gap said first."""
    text = fold(render(answer))
    missing = [e for e in item.expect if not any(fold(a) in text for a in e.split("|"))]
    first = sentences(render(answer))[0] if render(answer) else ""
    if item.gap and not GAP.search(fold(first)):
        missing.append("gap first")
    if not item.gap and GAP.search(fold(first)) and "doesn't cover" in fold(first):
        missing.append("no false gap")
    return missing
