"""Draft cards from a draft's proposals: what the source gives, and nothing it does not.

Each card is a draft of the server's own, with the section's title, its anchor, the
catalogue actors the section names and the quotes it attributes. Its summary, key points
and bottom line stay empty: the editor writes them, and a draft cannot be published
without them. Names the catalogue lacks are returned for the editor, never created.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from briefings.models import Card, Quote, Status
from briefings.namespaces import local_id
from briefings.search import fold
from briefings.sources.draft import Draft, Proposal

ID_ROOM = 72
"""Characters of a card id before a "-2" suffix (ids are at most 80)."""


def draft_cards(
    draft: Draft, *, pack: str, guild_id: int, first_section: int, taken: Iterable[str]
) -> list[Card]:
    """One draft card per proposal, numbered from `first_section`, with ids not in `taken`."""
    used = set(taken)
    cards = []
    for offset, proposal in enumerate(draft.proposals):
        card_id = _free(local_id(guild_id, slug_of(proposal.title))[:ID_ROOM].rstrip("-"), used)
        used.add(card_id)
        cards.append(_card(proposal, card_id, pack, guild_id, first_section + offset))
    return cards


def new_names(draft: Draft) -> list[str]:
    """The names the proposals found that the catalogue lacks, each once."""
    return list(dict.fromkeys(n for p in draft.proposals for n in p.new_names))


def _card(proposal: Proposal, card_id: str, pack: str, guild_id: int, section: int) -> Card:
    quotes = [
        Quote(text=q.text, attribution=q.attribution) for q in proposal.quotes if q.attribution
    ]
    return Card(
        id=card_id,
        pack=pack,
        section=section,
        title=proposal.title[:200],
        anchor=proposal.anchor,
        summary="",
        actors=[a.id for a in proposal.actors],
        quotes=quotes,
        status=Status.DRAFT,
        guild_id=guild_id,
    )


def slug_of(title: str) -> str:
    """A card id's words from its title, as the card form makes them."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(title)).strip("-")
    return slug[:60].strip("-") or "card"


def _free(base: str, used: set[str]) -> str:
    candidate, n = base, 1
    while candidate in used:
        n += 1
        candidate = f"{base}-{n}"
    return candidate
