"""Reading and writing pack files (YAML or JSON), with every problem reported at once."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from briefings.errors import FieldProblem, InvalidPack
from briefings.models import KnownIds, PackFile

MAX_IMPORT_BYTES = 1_000_000
MAX_IMPORT_CARDS = 500
"""Limits for uploads (a Discord attachment); files on disk are trusted to be larger."""
_SECTIONS = ("pack", "actors", "events", "leverage", "relations", "cards")


def parse_pack(text: str, *, source: str = "<input>", known: KnownIds | None = None) -> PackFile:
    """Parse and validate one pack; raise InvalidPack listing every problem."""
    data = _load_data(text, source)
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
    """An uploaded pack: at most 1 MB of UTF-8 and 500 cards, validated whole."""
    pack = parse_pack(decode_upload(raw, source=source), source=source, known=known)
    if len(pack.cards) > MAX_IMPORT_CARDS:
        problem = f"has {len(pack.cards)} cards; an upload may hold {MAX_IMPORT_CARDS}"
        raise InvalidPack([FieldProblem(source, "file", "cards", problem)])
    return pack


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
    data = pack.model_dump(mode="json", exclude_none=True, exclude_defaults=False)
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


def _load_data(text: str, source: str) -> Any:
    try:
        data = yaml.safe_load(text)  # YAML is a superset of JSON: one parser for both
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "-"
        problem = getattr(exc, "problem", None) or str(exc)
        raise InvalidPack(
            [FieldProblem(source, "file", where, f"not valid YAML/JSON: {problem}")]
        ) from None
    if not isinstance(data, dict):
        raise InvalidPack(
            [FieldProblem(source, "file", "-", "must be a mapping with a 'pack' key")]
        )
    return data


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
