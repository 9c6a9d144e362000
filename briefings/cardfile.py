"""One card as a pack file: the "edit as file" round trip for what a form is too small for.

The file holds the card and every record it names (its events and leverage shifts, the
ties it is evidence for, the actors those name) and the server's concept aliases its text
uses, so dates and their precision, certainty, aliases and ties can be edited in one place.
It imports back through the ordinary import (dry run, validation, confirm), so an edit of
it is checked exactly like any other file; unchanged records stay unchanged. Pure.
"""

from __future__ import annotations

from briefings.models import Concept, PackFile
from briefings.search import fold


def one_card(pack: PackFile, card_id: str, *, concepts: list[Concept]) -> PackFile | None:
    """`card_id` out of `pack` (the server's export with the shipped records) with what
    it names; None when the pack has no such card (archived cards are not exported)."""
    card = next((c for c in pack.cards if c.id == card_id), None)
    if card is None:
        return None
    shift_ids = set(card.leverage) | {s.id for s in pack.leverage if card.id in s.evidence}
    events = [e for e in pack.events if e.id in set(card.events)]
    shifts = [s for s in pack.leverage if s.id in shift_ids]
    relations = [r for r in pack.relations if card.id in r.evidence]
    named = set(card.actors)
    for event in events:
        named.update(event.actors)
    for shift in shifts:
        named.update((shift.actor, shift.over))
    for relation in relations:
        named.update((relation.source, relation.target))
    text = fold(
        " ".join([card.title, card.summary, card.bottom_line or "", *card.key_point_texts()])
    )
    return PackFile(
        format=pack.format,
        pack=pack.pack,
        actors=[a for a in pack.actors if a.id in named],
        events=events,
        leverage=shifts,
        relations=relations,
        cards=[card],
        concepts=[c for c in concepts if any(fold(t) in text for t in c.terms)],
    )
