"""Full-text search on PostgreSQL, ranked as SQLite's FTS5 `bm25()` ranks.

The store's queries are FTS5 queries of quoted phrases joined by AND/OR (`search.py` builds
them so user text cannot inject operators). Here each phrase becomes
`phraseto_tsquery` over the same normalised text the search rows were indexed with
(migration 001: unaccent, letters-and-digits runs, no stopwords, the English stemmer),
the GIN index finds the matches, and BM25 is computed over them exactly as FTS5 does
(k1 = 1.2, b = 0.75, IDF over the whole index, per-field weights, document length in
tokens), so both backends put the same cards first. Field weights ride on the tsvector's
weight classes (A-D): fields of equal weight share a class.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from briefings.errors import StoreError
from briefings.models import Card
from briefings.store.database import Database
from briefings.store.postgres import PgDatabase

K1, B = 1.2, 0.75
CANDIDATES = 200
"""At most this many matches are scored (the best by ts_rank first): every match on any
realistic guild's briefing; on huge stores the order past the first few hundred is ts_rank's."""
STATS_TTL_S = 30.0
"""The index's statistics (rows, tokens, phrase hits) are kept between this process's writes
for this long at most; another process's writes reach the ranking within that time."""
CARD_CLASSES = {"A": 4.0, "B": 2.0, "C": 1.5, "D": 1.0}
"""cards_fts (migration 005): title and bottom line A, key points B, names C, body D; the
weights of CARD_FIELD_WEIGHTS in cards.py."""
CATALOGUE_CLASSES = {"A": 5.0, "B": 2.0, "C": 1.0}
"""actors_fts/events_fts (migration 001): title A, names B, body C; bm25(.., 5, 1, 2)."""

_PHRASE = re.compile(r'"((?:[^"]|"")*)"|\b(AND|OR)\b')
_LEXEME = re.compile(r"'((?:[^']|'')*)'(?::([0-9A-D,]+))?")


@dataclass(frozen=True, slots=True)
class Query:
    phrases: list[str]
    groups: list[list[int]]
    """OR of ANDs, by phrase index (FTS5: AND binds tighter than OR)."""

    def tsquery(self, first: int = 1) -> str:
        """The tsquery expression; phrase i is parameter $(first + i)."""
        ors = [" && ".join(f"fts_query(${first + i})" for i in group) for group in self.groups]
        return " || ".join(f"({o})" for o in ors)


def parse(fts_query: str) -> Query:
    phrases: list[str] = []
    groups: list[list[int]] = [[]]
    for match in _PHRASE.finditer(fts_query):
        if match[2] == "OR":
            groups.append([])
        elif match[1] is not None:
            groups[-1].append(len(phrases))
            phrases.append(match[1].replace('""', '"'))
    if not phrases or any(not g for g in groups):
        raise StoreError(f"search failed: not a query of quoted phrases: {fts_query[:80]}")
    return Query(phrases, groups)


def positions(vector: str) -> dict[str, dict[int, str]]:
    """A tsvector's text: lexeme -> {position: weight class}."""
    found: dict[str, dict[int, str]] = {}
    for lexeme, spots in _LEXEME.findall(vector):
        entry = found.setdefault(lexeme.replace("''", "'"), {})
        for spot in spots.split(",") if spots else ():
            number = spot.rstrip("ABCD")
            entry[int(number)] = spot[len(number) :] or "D"
    return found


def sequence(vector: str) -> list[str]:
    """A phrase's lexemes in order (from its own tsvector)."""
    at = [(p, lex) for lex, spots in positions(vector).items() for p in spots]
    return [lex for _, lex in sorted(at)]


def frequency(
    doc: dict[str, dict[int, str]], phrase: list[str], classes: dict[str, float]
) -> float:
    """FTS5's weighted phrase frequency: each instance counts its field's weight."""
    if not phrase:
        return 0.0
    total = 0.0
    for start, weight in doc.get(phrase[0], {}).items():
        if all(start + j in doc.get(lex, {}) for j, lex in enumerate(phrase[1:], 1)):
            total += classes.get(weight, 1.0)
    return total


@dataclass(frozen=True, slots=True)
class Stats:
    rows: int
    avgdl: float
    idf: list[float]
    phrases: list[list[str]]


@dataclass(slots=True)
class _Cached:
    commits: int
    at: float
    rows: int
    tokens: int
    phrases: dict[str, tuple[int, list[str]]] = field(default_factory=dict)
    """phrase -> (rows it occurs in, its lexemes in order)."""


_CACHE: dict[tuple[int, str], _Cached] = {}


async def _stats(db: PgDatabase, table: str, query: Query) -> Stats:
    key, now = (id(db), table), time.monotonic()
    cached = _CACHE.get(key)
    if cached is None or cached.commits != db.commits or now - cached.at > STATS_TTL_S:
        row = (
            await db.fetch_raw(
                f"SELECT count(*), coalesce(sum(ntokens), 0) FROM {table}_fts",
            )
        )[0]
        cached = _CACHE[key] = _Cached(db.commits, now, int(row[0]), int(row[1]))
    new = [p for p in dict.fromkeys(query.phrases) if p not in cached.phrases]
    if new:
        # One subquery per phrase, each its own parameter: planned on its value (the GIN
        # index for a rare word), where a correlated subquery would scan.
        counts = ", ".join(
            f"(SELECT count(*) FROM {table}_fts WHERE document @@ fts_query(${i + 1})), "
            f"fts_doc(${i + 1})::text"
            for i in range(len(new))
        )
        found = (await db.fetch_raw(f"SELECT {counts}", *new))[0]
        for i, phrase in enumerate(new):
            cached.phrases[phrase] = (int(found[2 * i]), sequence(found[2 * i + 1]))
    rows = cached.rows
    idf = []
    for phrase in query.phrases:
        hits = cached.phrases[phrase][0]
        value = math.log((rows - hits + 0.5) / (hits + 0.5))
        idf.append(value if value > 0 else 1e-6)
    lexemes = [cached.phrases[p][1] for p in query.phrases]
    return Stats(rows, cached.tokens / rows if rows else 1.0, idf, lexemes)


def score(
    stats: Stats,
    groups: list[list[int]],
    doc: dict[str, dict[int, str]],
    ntokens: int,
    classes: dict[str, float],
) -> float:
    """bm25() as FTS5 returns it: negative, lower is better. As in FTS5, a phrase counts
    only where its AND group matches the row."""
    norm = K1 * (1 - B + B * ntokens / stats.avgdl)
    freqs = [frequency(doc, phrase, classes) for phrase in stats.phrases]
    for group in groups:
        if not all(freqs[i] for i in group):
            for i in group:
                freqs[i] = 0.0
    total = 0.0
    for idf, freq in zip(stats.idf, freqs, strict=True):
        total += idf * (freq * (K1 + 1.0)) / (freq + norm)
    return -total


async def _ranked(
    db: PgDatabase,
    table: str,
    fts_query: str,
    *,
    where: str,
    guild_id: int | None,
    limit: int,
    classes: dict[str, float],
    pack: str | None = None,
) -> list[tuple[str, float]]:
    """(id, score) of the best `limit` visible matches.

    All matches are scored when there are at most CANDIDATES (one query, no ranking in
    the database); past that, the CANDIDATES best by ts_rank. Only the query's lexemes are
    read back from each match's tsvector."""
    query = parse(fts_query)
    stats = await _stats(db, table, query)
    n = len(query.phrases)
    tsq = query.tsquery()
    lexemes = sorted({lex for phrase in stats.phrases for lex in phrase})
    matches = (
        f"SELECT r.id, f.rowid, f.ntokens, f.document FROM {table}_fts f "
        f"JOIN {table} r ON r.rowid = f.rowid WHERE f.document @@ ({tsq}) AND {where} "
        f"AND (r.guild_id IS NULL OR r.guild_id = ${n + 1})"
        + ("" if pack is None else f" AND r.pack = ${n + 3}")  # one briefing's cards only
    )
    picked = (
        f"SELECT m.id, m.rowid, m.ntokens, u.lexeme, u.positions, u.weights FROM m, "
        f"unnest(m.document) AS u WHERE u.lexeme = ANY(${n + 2})"
    )
    params = (*query.phrases, guild_id, lexemes, *(() if pack is None else (pack,)))
    rows = await db.fetch_raw(f"WITH m AS ({matches} LIMIT {CANDIDATES + 1}) {picked}", *params)
    if len({r[1] for r in rows}) > CANDIDATES:
        ranked = f"{matches} ORDER BY ts_rank(f.document, ({tsq})) DESC, f.rowid"
        rows = await db.fetch_raw(f"WITH m AS ({ranked} LIMIT {CANDIDATES}) {picked}", *params)
    docs: dict[int, tuple[str, int, dict[str, dict[int, str]]]] = {}
    for ident, rowid, ntokens, lexeme, spots, weights in rows:
        doc = docs.setdefault(rowid, (ident, ntokens, {}))[2]
        doc[lexeme] = dict(zip(spots, weights, strict=True))
    scored = sorted(
        (score(stats, query.groups, doc, ntokens, classes), rowid, ident)
        for rowid, (ident, ntokens, doc) in docs.items()
    )
    return [(found, value) for value, _, found in scored[:limit]]


async def cards(
    db: Database, fts_query: str, *, guild_id: int | None, limit: int, pack: str | None = None
) -> list[tuple[Card, float]]:
    assert isinstance(db, PgDatabase)
    found = await _ranked(
        db,
        "cards",
        fts_query,
        where="r.status = 'published'",
        guild_id=guild_id,
        limit=limit,
        classes=CARD_CLASSES,
        pack=pack,
    )
    rows = await db.fetch_raw(
        "SELECT id, data FROM cards WHERE id = ANY($1)", [i for i, _ in found]
    )
    data = {str(r[0]): str(r[1]) for r in rows}
    return [(Card.model_validate_json(data[ident]), value) for ident, value in found]


async def catalogue(
    db: Database, table: str, fts_query: str, *, guild_id: int | None, limit: int
) -> list[str]:
    assert isinstance(db, PgDatabase)
    found = await _ranked(
        db,
        table,
        fts_query,
        where="TRUE",
        guild_id=guild_id,
        limit=limit,
        classes=CATALOGUE_CLASSES,
    )
    return [str(ident) for ident, _ in found]


__all__: Sequence[str] = ["cards", "catalogue", "parse", "score"]
