"""Pack uploads a hostile server admin could send: each about 1 MB (the upload limit).

Shared by the packfile tests, the bot's event-loop watchdog and bench/bench_upload.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from briefings.packfile import MAX_IMPORT_BYTES

HEAD = (
    "pack:\n  slug: bechev-syria-russia-turkey-2024\n  title: T\n  author: A\n"
    "  publisher: P\n  published: 2024-12-19\n  source_url: https://example.org/a\n"
)
SIZE = MAX_IMPORT_BYTES - 1_000
"""A little under the limit, so the file is accepted for parsing."""


def tiny_items() -> bytes:
    """One list of ~240,000 one-letter items: cheap to send, costly to build and validate."""
    return _fill(HEAD + "cards:\n", "- a\n")


def deep_yaml() -> bytes:
    """~330,000 levels of nested flow sequences."""
    depth = (SIZE - len(HEAD) - 20) // 2
    return (HEAD + "cards: " + "[" * depth + "]" * depth + "\n").encode()


def deep_json() -> bytes:
    """The same nesting in JSON, which json.loads would recurse through."""
    depth = (SIZE - 200) // 2
    head = json.dumps({"pack": {"slug": "x"}})[:-1]
    return (head + ', "cards": ' + "[" * depth + "]" * depth + "}").encode()


def huge_strings() -> bytes:
    """Two cards whose summaries are half a megabyte each."""
    text = "x" * (SIZE // 2 - 400)
    cards = "".join(
        f"- id: huge-{i}\n  pack: bechev-syria-russia-turkey-2024\n  section: {i}\n"
        f"  title: Huge {i}\n  summary: {text}\n"
        for i in range(2)
    )
    return (HEAD + "cards:\n" + cards).encode()


def many_cards() -> bytes:
    """Valid cards of ~1.6 KB, as many as fit in 1 MB: over 600, past the 500-card cap
    but within the value budget, so the card count is what refuses them."""
    card = (
        "- id: many-{i}\n  pack: bechev-syria-russia-turkey-2024\n  section: {i}\n"
        "  title: Card {i}\n  summary: Card {i}. " + "A long summary. " * 95 + "\n"
    )
    out, i = [HEAD, "cards:\n"], 0
    size = sum(map(len, out))
    while size + len(card) + 10 < SIZE:
        piece = card.format(i=i)
        out.append(piece)
        size += len(piece)
        i += 1
    return "".join(out).encode()


def full_valid() -> bytes:
    """The heaviest upload that is accepted: 500 valid cards of ~1.9 KB, all new."""
    words = ("Ankara", "Moscow", "pipeline", "leverage", "corridor", "talks", "grain")
    summary = " ".join(words[i % len(words)] for i in range(220))
    tags = ", ".join(f"t{i}" for i in range(20))
    cards = "".join(
        f"- id: full-{i}\n  pack: bechev-syria-russia-turkey-2024\n  section: {i}\n"
        f"  title: Full card {i}\n  summary: {summary} {i}.\n"
        f"  key_points: [First point {i}., Second point {i}., Third point {i}.]\n"
        f"  tags: [{tags}]\n"
        for i in range(500)
    )
    return (HEAD + "cards:\n" + cards).encode()


def alias_bomb() -> bytes:
    """A billion laughs: nine levels of ten aliases each (10**9 values once expanded)."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 10):
        refs = ",".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return (HEAD + "\n".join(lines) + "\ncards: *a9\n").encode()


SHAPES: dict[str, Callable[[], bytes]] = {
    "tiny-items": tiny_items,
    "deep-yaml": deep_yaml,
    "deep-json": deep_json,
    "huge-strings": huge_strings,
    "many-cards": many_cards,
    "alias-bomb": alias_bomb,
    "full-valid": full_valid,
}


def _fill(head: str, item: str) -> bytes:
    return (head + item * ((SIZE - len(head)) // len(item))).encode()
