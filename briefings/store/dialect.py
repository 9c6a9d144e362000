"""SQLite's SQL, as the store modules write it, translated for PostgreSQL.

The store keeps one copy of each statement. What PostgreSQL spells differently is rewritten
here, outside string literals; what it lacks as a function (json_extract, json_each,
group_concat, json_group_array) the first PostgreSQL migration defines under SQLite's names.
Rewritten:

- placeholders: `?` and `?NNN` -> `$n`;
- `x IN (SELECT value FROM json_each(?))` -> `x = ANY($n)`, the JSON list parameter passed as
  an array (so integer ids compare as integers: SQLite compares loosely, PostgreSQL does not);
  `NOT IN` -> `<> ALL($n)`;
- `ifnull(` -> `coalesce(`; `char(n)` -> `chr(n)`; `IS ?` -> `IS NOT DISTINCT FROM $n`;
- `INSERT OR IGNORE` -> `ON CONFLICT DO NOTHING`; `INSERT OR REPLACE` -> an upsert on the
  table's primary key (read from the catalogue when the store opens).

What cannot be translated (full-text MATCH, PRAGMA, triggers) has per-dialect code instead.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from briefings.errors import StoreError

_LITERAL = re.compile(r"'(?:[^']|'')*'")
_JSON_IN = (
    r"(?P<neg>NOT\s+)?IN\s*\(\s*SELECT\s+value\s+FROM\s+json_each\(\s*\?(?P<jn>\d*)\s*\)\s*\)"
)
_TOKEN = re.compile(
    rf"{_JSON_IN}|(?P<is>\bIS\s+(?P<isnot>NOT\s+)?)\?(?P<isn>\d*)|\?(?P<n>\d*)",
    re.IGNORECASE,
)
_IFNULL = re.compile(r"\bifnull\s*\(", re.IGNORECASE)
_CHAR = re.compile(r"\bchar\s*\(", re.IGNORECASE)
_OR_IGNORE = re.compile(r"^\s*INSERT\s+OR\s+IGNORE\s+INTO\b", re.IGNORECASE)
_OR_REPLACE = re.compile(
    r"^\s*INSERT\s+OR\s+REPLACE\s+INTO\s+(?P<table>\w+)\s*\((?P<cols>[^)]*)\)", re.IGNORECASE
)
_UNSUPPORTED = re.compile(r"^\s*PRAGMA\b|\bMATCH\b|\bbm25\s*\(", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Translated:
    sql: str
    as_array: frozenset[int]
    """Positions (0-based) of parameters given as a JSON list and sent as an array."""

    def params(self, values: Iterable[Any]) -> list[Any]:
        given = list(values)
        for i in self.as_array:
            if isinstance(given[i], str):
                given[i] = json.loads(given[i])
        return given


class PostgresDialect:
    """Translates statements, memoised: the store runs the same few hundred over and over."""

    def __init__(self, primary_keys: Mapping[str, Sequence[str]]) -> None:
        self.primary_keys = {t: tuple(k) for t, k in primary_keys.items()}
        self.translate: Callable[[str], Translated] = lru_cache(maxsize=1024)(self._translate)

    def _translate(self, sql: str) -> Translated:
        if _UNSUPPORTED.search(_strip_literals(sql)):
            raise StoreError(f"not portable to PostgreSQL (needs per-dialect SQL): {sql[:80]}")
        tail = ""
        if _OR_IGNORE.match(sql):
            sql = _OR_IGNORE.sub("INSERT INTO", sql, count=1)
            tail = " ON CONFLICT DO NOTHING"
        elif match := _OR_REPLACE.match(sql):
            tail = self._upsert(match["table"], match["cols"])
            sql = re.sub(r"OR\s+REPLACE\s+", "", sql, count=1, flags=re.IGNORECASE)
        out: list[str] = []
        as_array: set[int] = set()
        counter = _Counter()
        pos = 0
        for literal in _LITERAL.finditer(sql):
            out.append(_rewrite(sql[pos : literal.start()], counter, as_array))
            out.append(literal.group())
            pos = literal.end()
        out.append(_rewrite(sql[pos:], counter, as_array))
        text = "".join(out).rstrip().rstrip(";")
        return Translated(text + tail, frozenset(as_array))

    def _upsert(self, table: str, cols: str) -> str:
        key = self.primary_keys.get(table)
        if not key:
            raise StoreError(f"INSERT OR REPLACE into {table}: no primary key known")
        names = [c.strip() for c in cols.split(",")]
        sets = ", ".join(f"{c} = excluded.{c}" for c in names if c not in key)
        return f" ON CONFLICT ({', '.join(key)}) DO " + (
            f"UPDATE SET {sets}" if sets else "NOTHING"
        )


class _Counter:
    def __init__(self) -> None:
        self.next = 0

    def take(self, explicit: str) -> int:
        """The 1-based number of a placeholder: `?N` as given, `?` the one after the last."""
        number = int(explicit) if explicit else self.next + 1
        self.next = max(self.next, number)
        return number


def _rewrite(code: str, counter: _Counter, as_array: set[int]) -> str:
    code = _CHAR.sub("chr(", _IFNULL.sub("coalesce(", code))

    def one(match: re.Match[str]) -> str:
        if match["jn"] is not None:
            number = counter.take(match["jn"])
            as_array.add(number - 1)
            return f"<> ALL(${number})" if match["neg"] else f"= ANY(${number})"
        if match["is"] is not None:
            number = counter.take(match["isn"])
            distinct = "DISTINCT" if match["isnot"] else "NOT DISTINCT"
            return f"IS {distinct} FROM ${number}"
        return f"${counter.take(match['n'])}"

    return _TOKEN.sub(one, code)


def _strip_literals(sql: str) -> str:
    return _LITERAL.sub("''", sql)
