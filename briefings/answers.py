"""Answering a member's question like a briefer: the answer first, in the cards' own
words, then a few supporting points and one citation per card; honest, first, about what
the briefing does not cover or does not give.

Reads go through the catalogue (the read service); this module holds the policy. One
engine for the CLI and the bot.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Protocol

from rapidfuzz import fuzz

from briefings.compose import (
    ABOUT_THE_ARTICLE,
    MAX_POINTS,
    Scorer,
    candidates,
    duplicate,
    forecasts,
    has_figure,
    pick,
)
from briefings.lexicon import Expander, build_expander
from briefings.models import Actor, Card, Event, Pack, Period
from briefings.questions import GENERIC, PLAIN_VERBS, Understood, gives_only, understand
from briefings.results import Answer, AnswerHit, CardRef, Citation
from briefings.search import OPENERS, NameIndex, fold, sentences, stems, tokens
from briefings.store import CardStore

ANSWER_CARDS = 3
WINDOW = 5
"""Cards the index returns for re-ranking: the answer's three and a few to spare."""
MAX_INDEX_EXPANSIONS = 6
RARE_DOCS = 3
"""A question word in at most this many cards names its own topic (Tartus, not Russia)."""
FORECAST_QUERY = '"expect" OR "expects" OR "will" OR "could" OR "likely" OR "may"'


class _Snapshot(Protocol):
    @property
    def index(self) -> NameIndex: ...
    @property
    def actors(self) -> dict[str, Actor]: ...
    @property
    def events(self) -> dict[str, Event]: ...
    @property
    def key(self) -> tuple[int, int | None]: ...

    expander: Expander | None


class Catalogue(Protocol):
    """What answering needs of the read service."""

    store: CardStore

    async def snapshot(self, *, guild_id: int | None) -> _Snapshot: ...
    async def cite(self, card: Card | CardRef) -> Citation: ...
    async def pack(self, slug: str | None, *, guild_id: int | None = None) -> Pack: ...


async def expander(catalogue: Catalogue, snapshot: _Snapshot) -> Expander:
    """The lexicon and the visible concept aliases, once per store generation and scope
    (kept on the snapshot, so it goes when the store changes)."""
    if snapshot.expander is None:
        concepts = await catalogue.store.concepts(guild_id=snapshot.key[1])
        snapshot.expander = build_expander(concepts)
    return snapshot.expander


async def answer_question(
    catalogue: Catalogue, question: str, *, guild_id: int | None, briefing: Pack | None = None
) -> Answer:
    """From every briefing the guild sees, or from `briefing` only; a question about the
    argument is answered from `briefing`, else the newest the guild sees."""
    snapshot = await catalogue.snapshot(guild_id=guild_id)
    one = briefing.slug if briefing else None
    u = understand(question, snapshot.index, await expander(catalogue, snapshot))
    actors = [snapshot.actors[r.id] for r in u.question.refs if r.kind == "actor"]
    events = [snapshot.events[r.id] for r in u.question.refs if r.kind == "event"]
    pack = briefing or await catalogue.pack(None, guild_id=guild_id)
    kind = "main-argument" if _asks_the_argument(u.text, pack) else u.kind
    if kind == "main-argument" and u.kind == kind and _beyond_thesis(u, actors, events, pack):
        kind = "what"  # "what does the piece say about NATO?" asks about NATO
    answer = Answer(
        question=u.text,
        kind=kind,
        matched_actors=actors,
        matched_events=events,
        not_covered=u.question.unknown,
        uncovered=u.uncovered,
    )
    if u.question.unknown or u.uncovered:
        return _gap(answer, actors, events)  # never a loosely related extract as the answer
    if kind == "main-argument":
        return await _main_argument(catalogue, answer, pack, guild_id=guild_id)
    names = [[a.name, *a.aliases] for a in actors] + [[e.title, *e.aliases] for e in events]
    refs = [a.id for a in actors] + [e.id for e in events]
    scorer = Scorer.of(u, snapshot.index, names, refs)
    ranked = await _ranked(catalogue, u, scorer, actors, events, guild_id=guild_id, pack=one)
    gap: str | None = None
    if kind == "outlook":
        ranked = await _forecast_cards(catalogue, u, ranked, scorer, guild_id=guild_id, pack=one)
    elif kind == "how-many":
        ranked, gap = await _figure_cards(catalogue, u, ranked, scorer, guild_id=guild_id, pack=one)
    lead_card = ranked[0] if ranked else None
    if kind == "when" and lead_card is not None:
        gap = _date_gap(u, lead_card, snapshot.events, events)
    lead, points = pick(ranked, scorer, lead_from_bottom_line=kind in ("what", "why", "outlook"))
    return await _finish(catalogue, answer, lead, points, gap, lead_card)


def _beyond_thesis(u: Understood, actors: list[Actor], events: list[Event], pack: Pack) -> bool:
    """Whether an argument question asks about more than the article's own subjects:
    "what is the author saying about Moscow and Ankara?" still asks for the argument."""
    thesis = " ".join(["", *tokens(f"{pack.bottom_line or ''} {pack.description or ''}"), ""])
    named = [[a.name, *a.aliases] for a in actors] + [[e.title, *e.aliases] for e in events]
    if any(not any(f" {' '.join(tokens(n))} " in thesis for n in names) for names in named):
        return True
    return bool(events) or _topical(u)


def _topical(u: Understood) -> bool:
    """Whether the question names a topic of its own, beyond asking for the argument."""
    return any(w not in GENERIC and w not in PLAIN_VERBS and w not in OPENERS for w in u.words)


def _asks_the_argument(question: str, pack: Pack) -> bool:
    """The article's own title question, or "what does <the author> argue?"."""
    words = " ".join(tokens(question))
    if fuzz.token_set_ratio(words, " ".join(tokens(pack.title))) >= 90:
        return True
    asked = _AUTHOR_VIEW.match(words)
    author = set(tokens(pack.author)) | {"the author", "he", "the writer"}
    return bool(asked and (asked.group(1) in author or asked.group(1) in tokens(pack.author)))


_AUTHOR_VIEW = re.compile(
    r"^(?:what|so what) (?:does|did|do) (.+?) (?:argue|conclude|claim|think|say|contend|"
    r"believe|want to say)(?: (?:here|overall|in the end|in the article))?$"
)


def _gap(answer: Answer, actors: list[Actor], events: list[Event]) -> Answer:
    """What is missing, named first; then one labelled line on what was named."""
    missing = list({fold(m): m for m in [*answer.not_covered, *answer.uncovered]}.values())
    missing = [m for m in missing if not any(fold(m) in fold(o) and m != o for o in missing)]
    gap = f"The briefing doesn't cover {_join(missing)}."
    context = None
    if actors and actors[0].role:
        context = f"What it does say about {actors[0].name}: {sentences(actors[0].role)[0]}"
    elif events:
        context = f"What it does say about {events[0].title}: {sentences(events[0].what)[0]}"
    return answer.model_copy(update={"gap": gap, "context": context})


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


async def _main_argument(
    catalogue: Catalogue, answer: Answer, pack: Pack, *, guild_id: int | None
) -> Answer:
    """The pack's bottom line, then the cards that carry the argument: those whose own
    bottom lines share most with it (never the byline)."""
    cards = await catalogue.store.cards(guild_id=guild_id, pack=pack.slug)
    thesis = pack.bottom_line or pack.description or pack.title
    core = stems(thesis)

    def weight(card: Card) -> float:
        own = stems(card.bottom_line or card.summary)
        return len(core & own) / (len(own) ** 0.5 or 1)

    lead = sentences(thesis)[:2]
    points: list[tuple[Card, str]] = []
    arguing = [c for c in cards if c.bottom_line and not ABOUT_THE_ARTICLE & set(c.tags)]
    for card in sorted(arguing, key=weight, reverse=True):
        line = card.bottom_line or ""
        if len(points) == MAX_POINTS or weight(card) <= 0:
            break
        if not duplicate(line, [*lead, *(p for _, p in points)]):
            points.append((card, line))
    top = points[0][0] if points else None
    return await _finish(catalogue, answer, lead, points, None, top)


async def _ranked(
    catalogue: Catalogue,
    u: Understood,
    scorer: Scorer,
    actors: list[Actor],
    events: list[Event],
    *,
    guild_id: int | None,
    pack: str | None = None,
) -> list[Card]:
    """Cards from the index (own words, names and expansions), re-ranked with the
    expansions counted below the member's own words."""
    index = (await catalogue.snapshot(guild_id=guild_id)).index
    names = [a.name for a in actors] + [e.title for e in events]
    # Words that only say what kind of answer is wanted rank nothing and cost the index.
    specific = [t for t in u.question.terms if t not in GENERIC] or u.question.terms
    expansions = names + _index_expansions(u, specific, index)
    words = {w for phrase in [*specific, *expansions] for w in tokens(phrase)}
    common = index.common(words)
    common |= {p for p in expansions if all(w in common for w in tokens(p))}
    found: list[tuple[Card, float]] = []
    question = dataclasses.replace(u.question, terms=specific)
    for query in question.fts_queries(expansions, common=common):
        found = await catalogue.store.search(query, guild_id=guild_id, limit=WINDOW, pack=pack)
        if found:
            break
    order = {card.id: i for i, (card, _) in enumerate(found)}
    cards = [card for card, _ in found]
    about = await _about(catalogue, cards, events, index, guild_id=guild_id)
    cards.sort(key=lambda c: (-scorer.card(c, about.get(c.id, frozenset())), order[c.id]))
    return cards[:ANSWER_CARDS]


async def _about(
    catalogue: Catalogue,
    cards: list[Card],
    events: list[Event],
    index: NameIndex,
    *,
    guild_id: int | None,
) -> dict[str, frozenset[str]]:
    """The named events each card is about beyond its words: those it links, and its
    briefing's pivot when the card is evidence of a shift placed before or after it
    (the balance-flip card is about Assad's fall without saying "Assad's fall")."""
    named = {e.id for e in events}
    about = {c.id: frozenset(named.intersection(c.events)) for c in cards}
    for slug in {c.pack for c in cards if c.leverage}:
        pack = await catalogue.pack(slug, guild_id=guild_id)
        pivot = {r.id for r in index.lookup(pack.pivot or "") if r.kind == "event"} & named
        if not pivot:
            continue
        shifts = await catalogue.store.leverage(guild_id=guild_id, pack=slug)
        tied = {c for s in shifts if s.period is not Period.UNTIED for c in s.evidence}
        for card in cards:
            if card.id in tied:
                about[card.id] |= pivot
    return about


def _index_expansions(u: Understood, specific: list[str], index: NameIndex) -> list[str]:
    """The expansions worth asking the index for: only when some word of the member's is
    in no card (a paraphrase), and only those some card uses. The re-ranking weighs them
    all either way; each term the index reads costs time."""
    if all(index.doc_freq.get(w) for w in specific):
        return []
    used = [e.phrase for e in u.expansions if all(w in index.doc_freq for w in e.phrase.split())]
    return used[:MAX_INDEX_EXPANSIONS]


async def _forecast_cards(
    catalogue: Catalogue,
    u: Understood,
    ranked: list[Card],
    scorer: Scorer,
    *,
    guild_id: int | None,
    pack: str | None = None,
) -> list[Card]:
    """Outlook questions are answered from the cards that make forecasts."""
    more = await catalogue.store.search(FORECAST_QUERY, guild_id=guild_id, limit=WINDOW, pack=pack)
    index = (await catalogue.snapshot(guild_id=guild_id)).index
    pool = {c.id: c for c in [*ranked, *(c for c, _ in more)]}
    with_forecasts = [c for c in pool.values() if forecasts(c)]
    # A card the question itself found ("what might happen to Tartus?") before any card
    # that merely forecasts more.
    rare = {
        t for t in u.question.terms if t not in GENERIC and index.doc_freq.get(t, 0) <= RARE_DOCS
    }
    found = {c.id for c in ranked if rare & set(tokens(" ".join(candidates(c))))}
    with_forecasts.sort(key=lambda c: (c.id not in found, -(scorer.card(c) + len(forecasts(c)))))
    return with_forecasts[:ANSWER_CARDS] or ranked


async def _figure_cards(
    catalogue: Catalogue,
    u: Understood,
    ranked: list[Card],
    scorer: Scorer,
    *,
    guild_id: int | None,
    pack: str | None = None,
) -> tuple[list[Card], str | None]:
    """A figure question finds the figure wherever it is before saying none is given."""
    if any(has_figure(s) and scorer.relevant(s) for c in ranked for s in candidates(c)):
        return ranked, None
    words = [w for w in u.words if len(w) > 3] + [" ".join(tokens(n[0])) for n in scorer.names]
    query = " OR ".join(f'"{w}"' for w in dict.fromkeys(words))
    wider = (
        await catalogue.store.search(query, guild_id=guild_id, limit=20, pack=pack) if query else []
    )
    with_figure = [
        c for c, _ in wider if any(has_figure(s) and scorer.relevant(s) for s in candidates(c))
    ]
    if with_figure:
        with_figure.sort(key=lambda c: -scorer.card(c))
        return with_figure[:ANSWER_CARDS], None
    return ranked, "The briefing gives no figure for that; here is what it does say."


def _date_gap(u: Understood, card: Card, known: dict[str, Event], named: list[Event]) -> str | None:
    """A day asked for and only a month (or less) given: say what the article gives."""
    events = named or [known[e] for e in card.events if e in known]
    if not events:
        return None
    wanted = stems(" ".join(u.words))
    best = max(events, key=lambda e: len(stems(f"{e.title} {e.what}") & wanted))
    if best.date.precision.value == "undated" and (named or stems(best.title) & wanted):
        return gives_only("undated", best.date.text)  # any "when", not only a day asked for
    return gives_only(best.date.precision.value, best.date.text) if u.wants_day else None


async def _finish(
    catalogue: Catalogue,
    answer: Answer,
    lead: list[str],
    points: list[tuple[Card, str]],
    gap: str | None,
    lead_card: Card | None,
) -> Answer:
    if not lead:
        return answer
    used: dict[str, tuple[Card, list[str]]] = {}
    if lead_card is not None:
        used[lead_card.id] = (lead_card, [s for s in lead if s in candidates(lead_card)])
    for card, sentence in points:
        used.setdefault(card.id, (card, []))[1].append(sentence)
    hits = [
        AnswerHit(card=card, sentences=said, citation=await catalogue.cite(card), score=0.0)
        for card, said in used.values()
    ]
    return answer.model_copy(
        update={
            "gap": gap,
            "caveat": gap,
            "lead": lead,
            "points": [s for _, s in points],
            "hits": hits,
        }
    )
