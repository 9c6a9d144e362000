"""Answering a member's question from the cards: which cards, which of their sentences.

Reads go through the catalogue (the read service); this module holds the policy: what
counts as "not covered", when the gist is asked for, when a figure is missing.
"""

from __future__ import annotations

import re
from typing import Protocol

from briefings.models import Actor, Card, Event, Pack
from briefings.results import Answer, AnswerHit, CardRef, Citation
from briefings.search import NameIndex, analyse, best_sentences, sentences
from briefings.store import CardStore

ANSWER_CARDS = 3


class _Snapshot(Protocol):
    @property
    def index(self) -> NameIndex: ...
    @property
    def actors(self) -> dict[str, Actor]: ...
    @property
    def events(self) -> dict[str, Event]: ...


class Catalogue(Protocol):
    """What answering needs of the read service."""

    store: CardStore

    async def snapshot(self, *, guild_id: int | None) -> _Snapshot: ...
    async def cite(self, card: Card | CardRef) -> Citation: ...
    async def pack(self, slug: str | None) -> Pack: ...


async def answer_question(catalogue: Catalogue, question: str, *, guild_id: int | None) -> Answer:
    """The sentences of the best cards that answer `question`, with citations; says so
    when the question names something the briefing does not cover."""
    snapshot = await catalogue.snapshot(guild_id=guild_id)
    parsed = analyse(question, snapshot.index)
    actors = [snapshot.actors[r.id] for r in parsed.refs if r.kind == "actor"]
    events = [snapshot.events[r.id] for r in parsed.refs if r.kind == "event"]
    answer = Answer(
        question=parsed.text,
        matched_actors=actors,
        matched_events=events,
        not_covered=parsed.unknown,
    )
    if parsed.unknown:
        return answer  # no loosely related card passed off as the answer
    if _ASKS_FOR_THE_GIST.search(parsed.text):
        return await _gist(catalogue, answer, guild_id=guild_id)
    # Cards carry their actors' aliases in the index, so the canonical name is enough
    # to expand with: "Ankara" finds cards about Turkey that never say "Ankara".
    expansions = [a.name for a in actors] + [e.title for e in events]
    found: list[tuple[Card, float]] = []
    common = snapshot.index.common(parsed.terms)
    for query in parsed.fts_queries(expansions, common=common):
        found = await catalogue.store.search(query, guild_id=guild_id, limit=ANSWER_CARDS)
        if found:
            break
    names = [[a.name, *a.aliases] for a in actors] + [[e.title, *e.aliases] for e in events]
    hits = []
    for card, score in found:
        candidates = [*sentences(card.summary), *card.key_point_texts()]
        candidates += [f"“{q.text}” ({q.attribution})" for q in card.quotes]
        chosen = best_sentences(candidates, parsed, names) or candidates[:1]
        hits.append(
            AnswerHit(
                card=card, sentences=chosen, citation=await catalogue.cite(card), score=-score
            )
        )
    return answer.model_copy(update={"hits": hits, "caveat": _caveat(parsed.text, hits)})


async def _gist(catalogue: Catalogue, answer: Answer, *, guild_id: int | None) -> Answer:
    """ "Summarise the article": the pack's own description, then each section in
    one sentence."""
    pack = await catalogue.pack(None)
    cards = await catalogue.store.cards(guild_id=guild_id, pack=pack.slug)
    hits = [
        AnswerHit(
            card=c, sentences=sentences(c.summary)[:1], citation=await catalogue.cite(c), score=0.0
        )
        for c in cards
    ]
    overview = pack.description or f"{pack.title}, by {pack.author} ({pack.publisher})."
    return answer.model_copy(update={"hits": hits, "overview": overview})


_ASKS_FOR_THE_GIST = re.compile(
    r"\b(?:summari[sz]e|summary|overview|gist|tl;?dr|main (?:argument|point|idea|thesis)|"
    r"(?:article|briefing|piece) (?:about|argue)|key (?:points|takeaways)|in a nutshell)\b",
    re.IGNORECASE,
)
_ASKS_FOR_A_FIGURE = re.compile(
    r"\bhow (?:many|much|long|far|often)\b|\bwhat (?:number|share|"
    r"percentage|amount)\b",
    re.IGNORECASE,
)


def _caveat(question: str, hits: list[AnswerHit]) -> str | None:
    """A question after a number, answered by sentences without one: say so first."""
    if not hits or not _ASKS_FOR_A_FIGURE.search(question):
        return None
    if any(re.search(r"\d", sentence) for hit in hits for sentence in hit.sentences):
        return None
    return "The briefing gives no figure for that; here is what it does say."
