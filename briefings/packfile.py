"""Reading and writing pack files (YAML or JSON), with every problem reported at once.

Parsing is CPU work on untrusted input, so it is bounded before it is done: the parser's
events are counted (values, nesting, what aliases expand to) before a single Python object
is built, and an upload's card count is checked before validation. Callers on an event
loop run `parse_upload` in a worker thread.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from briefings.errors import FieldProblem, InvalidPack
from briefings.models import FORMAT, KnownIds, PackFile

MAX_IMPORT_BYTES = 1_000_000
MAX_IMPORT_CARDS = 500
"""Limits for uploads (a Discord attachment); files on disk are trusted to be larger."""
MAX_DEPTH = 20
"""Levels of nesting a pack file may use (a pack needs 5); deeper input is refused before
it is built, so no parser or validator ever recurses that far."""
MAX_UPLOAD_VALUES = 60_000
"""Keys, items and texts an upload may hold, aliases expanded: 500 cards of ~100 values
each (the shipped pack uses ~28 per card), while a 1 MB list of tiny items would be 250,000."""
_SECTIONS = ("pack", "actors", "events", "leverage", "relations", "cards")
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser when it is installed (about 10x faster), else the pure-Python one."""


@dataclass(frozen=True, slots=True)
class Budget:
    """How much one file may make the parser do; None means unbounded."""

    depth: int = MAX_DEPTH
    values: int | None = None
    cards: int | None = None


FILE_BUDGET = Budget()
UPLOAD_BUDGET = Budget(values=MAX_UPLOAD_VALUES, cards=MAX_IMPORT_CARDS)


def parse_pack(
    text: str,
    *,
    source: str = "<input>",
    known: KnownIds | None = None,
    budget: Budget = FILE_BUDGET,
) -> PackFile:
    """Parse and validate one pack; raise InvalidPack listing every problem."""
    data = _load_data(text, source, budget)
    try:
        pack = PackFile.model_validate(data)
    except ValidationError as exc:
        raise InvalidPack(
            [_problem(source, data, tuple(e["loc"]), e["msg"]) for e in exc.errors()]
        ) from None
    problems = [_problem(source, data, loc, msg) for loc, msg in pack.reference_problems(known)]
    if problems:
        raise InvalidPack(problems)
    return pack


def read_pack(path: Path) -> PackFile:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InvalidPack(
            [FieldProblem(str(path), "file", "-", exc.strerror or str(exc))]
        ) from None
    return parse_pack(decode_upload(raw, source=str(path)), source=str(path))


def parse_upload(raw: bytes, *, source: str, known: KnownIds | None = None) -> PackFile:
    """An uploaded pack: at most 1 MB of UTF-8, 60,000 values and 500 cards, validated
    whole. CPU-bound (up to a few seconds for hostile input): run it in a worker thread."""
    text = decode_upload(raw, source=source)
    return parse_pack(text, source=source, known=known, budget=UPLOAD_BUDGET)


def decode_upload(raw: bytes, *, source: str) -> str:
    if len(raw) > MAX_IMPORT_BYTES:
        raise InvalidPack(
            [FieldProblem(source, "file", "-", f"is {len(raw):,} bytes; the limit is 1 MB")]
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        problem = f"is not UTF-8 text (bad byte at offset {exc.start})"
        raise InvalidPack([FieldProblem(source, "file", "-", problem)]) from None


def dump_pack(pack: PackFile, *, fmt: str = "yaml") -> str:
    # Written in the current format: an older file comes out upgraded.
    data = {"format": FORMAT, **pack.model_dump(mode="json", exclude_none=True, exclude={"format"})}
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def shipped_packs() -> list[PackFile]:
    """The packs that ship inside the package, in file-name order."""
    folder = resources.files("briefings") / "packs"
    return [
        parse_pack(entry.read_text("utf-8"), source=f"briefings/packs/{entry.name}")
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith((".yaml", ".yml", ".json"))
    ]


def _load_data(text: str, source: str, budget: Budget) -> Any:
    try:
        _check_budget(text, source, budget)
        data = yaml.load(text, Loader=_Loader)  # YAML is a superset of JSON: one parser for both
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        if "maximum nesting depth" in problem:  # libyaml's own guard, hit while reading ahead
            problem = _too_deep(budget)
        else:
            problem = f"not valid YAML/JSON: {problem}"
        raise InvalidPack([FieldProblem(source, "file", _where(mark), problem)]) from None
    if not isinstance(data, dict):
        raise InvalidPack(
            [FieldProblem(source, "file", "-", "must be a mapping with a 'pack' key")]
        )
    cards = data.get("cards")
    if budget.cards is not None and isinstance(cards, list) and len(cards) > budget.cards:
        problem = f"has {len(cards)} cards; an upload may hold {budget.cards}"
        raise InvalidPack([FieldProblem(source, "file", "cards", problem)])
    return data


def _check_budget(text: str, source: str, budget: Budget) -> None:
    """Walk the parser's events (no Python objects are built) and refuse the file at the
    first place it nests deeper, or holds more values, than the budget allows."""
    counter = _Counter()
    for event in yaml.parse(text, Loader=_Loader):
        problem = counter.see(event, budget)
        if problem:
            raise InvalidPack([FieldProblem(source, "file", _where(event.start_mark), problem)])


@dataclass(slots=True)
class _Open:
    """A mapping or sequence being read: where it started and how deep it went."""

    anchor: str | None
    first_value: int
    depth: int
    deepest: int


class _Counter:
    """Values and nesting so far; an alias counts as everything its anchor holds, so an
    alias bomb (a billion laughs) is as big here as it would be once built."""

    def __init__(self) -> None:
        self.values = 0
        self.open: list[_Open] = []
        self.anchors: dict[str, tuple[int, int]] = {}
        """anchor -> (values, levels of nesting) of the node it names"""

    def see(self, event: yaml.Event, budget: Budget) -> str | None:
        depth = len(self.open)
        if isinstance(event, yaml.AliasEvent):
            values, levels = self.anchors.get(str(event.anchor), (1, 0))
            return self._grow(values, depth + levels, budget)
        if isinstance(event, yaml.CollectionStartEvent):
            self.open.append(_Open(event.anchor, self.values, depth + 1, depth + 1))
            return self._grow(1, depth + 1, budget)
        if isinstance(event, yaml.CollectionEndEvent):
            done = self.open.pop()
            if self.open:
                self.open[-1].deepest = max(self.open[-1].deepest, done.deepest)
            if done.anchor is not None:
                levels = done.deepest - done.depth + 1
                self.anchors[done.anchor] = (self.values - done.first_value, levels)
            return None
        if isinstance(event, yaml.ScalarEvent):
            if event.anchor is not None:
                self.anchors[event.anchor] = (1, 0)
            return self._grow(1, depth, budget)
        return None

    def _grow(self, values: int, depth: int, budget: Budget) -> str | None:
        self.values += values
        if self.open:
            self.open[-1].deepest = max(self.open[-1].deepest, depth)
        if depth > budget.depth:
            return _too_deep(budget)
        if budget.values is not None and self.values > budget.values:
            return (
                f"holds more than {budget.values:,} values (keys, items and texts, "
                "aliases expanded); split it into smaller files"
            )
        return None


def _too_deep(budget: Budget) -> str:
    return f"too deeply nested (limit {budget.depth} levels)"


def _where(mark: Any) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark else "-"


def _problem(source: str, data: Any, loc: tuple[str | int, ...], msg: str) -> FieldProblem:
    msg = msg.removeprefix("Value error, ")
    if len(loc) >= 2 and loc[0] in _SECTIONS and isinstance(loc[1], int):
        section, index, rest = str(loc[0]), loc[1], loc[2:]
        record = _record(data, section, index)
        ident = record.get("id") if isinstance(record, dict) else None
        label = f"{section.rstrip('s')} {index + 1}" + (f" ({ident})" if ident else "")
        return FieldProblem(source, label, ".".join(map(str, rest)) or "-", msg)
    if loc and loc[0] == "pack":
        return FieldProblem(source, "pack", ".".join(map(str, loc[1:])) or "-", msg)
    return FieldProblem(source, "file", ".".join(map(str, loc)) or "-", msg)


def _record(data: Any, section: str, index: int) -> Any:
    items = data.get(section) if isinstance(data, dict) else None
    if isinstance(items, list) and 0 <= index < len(items):
        return items[index]
    return None
