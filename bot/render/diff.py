"""What changed between two versions of a card, in words: a word-level diff per field."""

from __future__ import annotations

import difflib
from typing import Any

from bot import limits
from briefings.models import Card

CONTEXT_WORDS = 4
"""Unchanged words kept on each side of a change, so it can be read in place."""
FIELD_LABELS = {
    "key_points": "Key points",
    "bottom_line": "Bottom line",
    "leverage": "Leverage shifts",
}


def card_diff(before: Card | None, after: Card) -> list[str]:
    if before is None:
        return [f"Created as {after.status.value}: “{limits.clip(after.title, 80, mark='…')}”"]
    old, new = before.content(), after.content()
    lines = []
    for name in after.changed_fields(before):
        label = FIELD_LABELS.get(name, name.replace("_", " ").capitalize())
        lines.append(f"**{label}**: {field_diff(old.get(name), new.get(name))}")
    return lines or ["No field changed."]


def field_diff(old: Any, new: Any) -> str:
    """Lists as what was added and removed; text as its changed words, ~~old~~ **new**."""
    if isinstance(old, list) or isinstance(new, list):
        return _list_diff(list(old or []), list(new or []))
    if (
        not isinstance(old, str)
        or not isinstance(new, str)
        or " " not in f"{old.strip()}{new.strip()}"
    ):
        return f"{_plain(old)} → {_plain(new)}"
    return limits.clip(word_diff(old, str(new)), 700, mark=" …")


def word_diff(old: str, new: str) -> str:
    a, b = old.split(), new.split()
    out: list[str] = []
    opcodes = difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
    for i, (tag, a0, a1, b0, b1) in enumerate(opcodes):
        if tag == "equal":
            words = a[a0:a1]
            first, last = i == 0, i == len(opcodes) - 1
            if len(words) > CONTEXT_WORDS * 2 or ((first or last) and len(words) > CONTEXT_WORDS):
                head = [] if first else words[:CONTEXT_WORDS]
                tail = [] if last else words[-CONTEXT_WORDS:]
                words = [*head, "…", *tail]
            out += words
            continue
        if a1 > a0:
            out.append(f"~~{' '.join(a[a0:a1])}~~")
        if b1 > b0:
            out.append(f"**{' '.join(b[b0:b1])}**")
    return " ".join(out)


def _list_diff(old: list[Any], new: list[Any]) -> str:
    added = [_plain(x) for x in new if x not in old]
    removed = [_plain(x) for x in old if x not in new]
    parts = []
    if added:
        parts.append("added " + ", ".join(added))
    if removed:
        parts.append("removed " + ", ".join(removed))
    return limits.clip("; ".join(parts) or "reordered", 700, mark=" …")


def _plain(value: Any) -> str:
    if value is None or value == "":
        return "nothing"
    if isinstance(value, dict):
        return f"“{value.get('text', value)}”"
    return limits.clip(str(value), 120, mark="…")
