"""A small made-up pack for store tests, independent of the shipped article."""

from __future__ import annotations

from typing import Any

from briefings.models import PackFile


def sample_pack_data(*, slug: str = "sample-pack", cards: int = 2) -> dict[str, Any]:
    return {
        "pack": {
            "slug": slug,
            "title": "A Sample Briefing",
            "author": "A. Writer",
            "publisher": "Example Press",
            "published": "2024-01-02",
            "source_url": "https://example.org/sample",
        },
        "actors": [
            {
                "id": f"{slug}-north",
                "name": "Northland",
                "kind": "state",
                "aliases": ["Nordstadt", "the North"],
                "role": "Holds the pass.",
            },
            {
                "id": f"{slug}-south",
                "name": "Southland",
                "kind": "state",
                "aliases": ["Sudstadt"],
                "role": "Wants the pass.",
            },
        ],
        "events": [
            {
                "id": f"{slug}-treaty",
                "title": "Pass treaty",
                "date": {
                    "precision": "year",
                    "text": "2021",
                    "start": "2021-01-01",
                    "end": "2021-12-31",
                },
                "actors": [f"{slug}-north", f"{slug}-south"],
                "what": "A treaty on tolls.",
                "why": "It set the tolls.",
            },
        ],
        "leverage": [
            {
                "id": f"{slug}-tolls",
                "domain": "economy",
                "actor": f"{slug}-north",
                "over": f"{slug}-south",
                "direction": "gained",
                "period": "before",
                "when": "2021",
                "reasoning": "Tolls.",
                "evidence": [f"{slug}-card-1"],
            },
        ],
        "cards": [
            {
                "id": f"{slug}-card-{i}",
                "pack": slug,
                "section": i,
                "title": f"Part {i}",
                "summary": f"Northland charges tolls on the mountain pass, part {i}.",
                "key_points": [f"Tolls rose in part {i}."],
                "actors": [f"{slug}-north"],
                "events": [f"{slug}-treaty"],
            }
            for i in range(1, cards + 1)
        ],
    }


def sample_pack(**kwargs: Any) -> PackFile:
    return PackFile.model_validate(sample_pack_data(**kwargs))
