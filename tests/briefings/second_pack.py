"""A small made-up briefing, unlike the shipped article, so answer tests are not tuned to it."""

from __future__ import annotations

from typing import Any

from briefings.models import PackFile

SLUG = "lower-valley-2030"


def _card(section: int, ident: str, **fields: Any) -> dict[str, Any]:
    return {"id": ident, "pack": SLUG, "section": section, **fields}


def second_pack() -> PackFile:
    return PackFile.model_validate(
        {
            "pack": {
                "slug": SLUG,
                "title": "Who Controls the Lower Valley?",
                "author": "Ana Tester",
                "publisher": "Example Review",
                "published": "2030-02-01",
                "source_url": "https://example.org/lower-valley",
                "bottom_line": (
                    "Southland's new dam gives it the upper hand over Northland on water. "
                    "The author expects talks about sharing the river rather than a war."
                ),
            },
            "actors": [
                {
                    "id": "northland",
                    "name": "Northland",
                    "kind": "state",
                    "role": "The downstream country whose farms depend on the river.",
                },
                {
                    "id": "southland",
                    "name": "Southland",
                    "kind": "state",
                    "role": "The upstream country that built the Kestrel dam.",
                },
                {
                    "id": "valley-council",
                    "name": "Valley Council",
                    "kind": "organisation",
                    "role": "A regional body that settles disputes over the river.",
                },
            ],
            "events": [
                {
                    "id": "dam-opening",
                    "title": "Southland opens the Kestrel dam",
                    "date": {
                        "precision": "month",
                        "text": "March 2029",
                        "start": "2029-03-01",
                        "end": "2029-03-31",
                    },
                    "actors": ["southland"],
                    "what": "The dam opened.",
                    "why": "It holds the river back.",
                },
            ],
            "cards": [
                _card(
                    1,
                    "byline",
                    title="Byline",
                    tags=["byline"],
                    bottom_line="An analysis by Ana Tester about Northland and Southland.",
                    summary="Ana Tester wrote this analysis of Northland and Southland.",
                    actors=["northland", "southland"],
                ),
                _card(
                    2,
                    "the-dam",
                    title="The dam changes the balance",
                    bottom_line="Southland's dam gives it leverage over Northland's water.",
                    summary="Southland opened the Kestrel dam in March 2029. The dam holds "
                    "back 4 billion cubic metres of water. Northland's farmers depend on "
                    "the river.",
                    key_points=[
                        "The Kestrel dam holds back 4 billion cubic metres of water.",
                        "Southland opened the dam in March 2029.",
                    ],
                    actors=["southland", "northland"],
                    events=["dam-opening"],
                ),
                _card(
                    3,
                    "the-drought",
                    title="A dry year",
                    bottom_line="A drought hurt Northland's harvest, so it asked the Valley "
                    "Council for help.",
                    summary="A drought in 2028 ruined Northland's harvest. Because the "
                    "harvest failed, Northland asked the Valley Council for help.",
                    key_points=["Northland's grain exports fell after the drought."],
                    actors=["northland", "valley-council"],
                ),
                _card(
                    4,
                    "tariffs",
                    title="Northland hits back",
                    bottom_line="Northland answered the dam with tariffs and sanctions on "
                    "Southland's textiles.",
                    summary="Northland imposed tariffs and sanctions on Southland's "
                    "textiles in response to the dam.",
                    actors=["northland", "southland"],
                ),
                _card(
                    5,
                    "outlook",
                    title="What comes next",
                    bottom_line="The author expects the two sides to negotiate how to share "
                    "the river.",
                    summary="The author expects Northland and Southland to negotiate a "
                    "deal on sharing the water. A war over the river is unlikely, she "
                    "thinks.",
                    key_points=["Talks could start at the Valley Council next year."],
                    actors=["northland", "southland", "valley-council"],
                ),
            ],
            "concepts": [
                {"id": "tariffs", "terms": ["tariffs", "import duties", "customs duties"]},
                {"id": "water-sharing", "terms": ["sharing the water", "allocation", "quota"]},
            ],
        }
    )
