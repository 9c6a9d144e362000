"""Optional check of request bodies against Discord's OpenAPI description.

Used only when ``../shared/discord-api-spec/openapi.json`` exists next to the repo (it is not
part of it); otherwise ``SpecValidator.load()`` returns None and validation is skipped. The
validator covers the JSON-Schema keywords the spec's request schemas use (type, $ref, properties,
required, items, allOf/anyOf/oneOf, enum/const, min/max length/items/value, pattern). ``oneOf`` is
treated as ``anyOf`` because the spec's component unions overlap; snowflake strings also accept
integers, which Discord accepts too. Unknown properties are not errors (Discord ignores them).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .payloads import Json

SPEC_PATH = Path(__file__).resolve().parents[3] / "shared" / "discord-api-spec" / "openapi.json"
"""``<workspace>/shared/...``; this file is ``<workspace>/<repo>/tests/discord_standin/...``."""

_TYPES: dict[str, Any] = {
    "string": str,
    "integer": int,
    "number": (int, float),
    "boolean": bool,
    "array": list,
    "object": dict,
    "null": type(None),
}


@functools.cache
def _load(path: Path) -> SpecValidator | None:
    try:
        return SpecValidator(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return None


def _placeholders(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path.rstrip("/"))


class SpecValidator:
    """Validates JSON request bodies for the routes the stand-in serves."""

    def __init__(self, spec: Json) -> None:
        self._schemas: Json = spec.get("components", {}).get("schemas", {})
        self._paths = {_placeholders(p): item for p, item in spec.get("paths", {}).items()}

    @classmethod
    def load(cls, path: Path = SPEC_PATH) -> SpecValidator | None:
        """The validator (parsed once per path), or None when the spec file is absent/unreadable."""
        return _load(path)

    def request_schema(self, method: str, template: str) -> Json | None:
        operation = self._paths.get(_placeholders(template), {}).get(method.lower(), {})
        content = operation.get("requestBody", {}).get("content", {})
        schema = content.get("application/json", {}).get("schema")
        return schema if isinstance(schema, dict) else None

    def validate(self, method: str, template: str, body: Any) -> list[str]:
        """Errors for ``body`` sent to ``method template`` (empty: valid or no schema known)."""
        schema = self.request_schema(method, template)
        return [] if schema is None else self._check(schema, body, "$")

    def _resolve(self, schema: Json) -> Json:
        while "$ref" in schema:
            name = str(schema["$ref"]).rsplit("/", 1)[-1]
            rest = {k: v for k, v in schema.items() if k != "$ref"}
            schema = {**self._schemas.get(name, {}), **rest}
        return schema

    def _check(self, schema: Json, value: Any, at: str) -> list[str]:
        schema = self._resolve(schema)
        errors: list[str] = []
        for sub in schema.get("allOf", []):
            errors += self._check(sub, value, at)
        for key in ("anyOf", "oneOf"):
            if key in schema:
                results: list[list[str]] = [self._check(a, value, at) for a in schema[key]]
                if all(results):
                    best = min(results, key=lambda r: self._distance(r, at))
                    errors += best
        type_error = self._type_error(schema, value, at)
        if type_error:
            return [*errors, type_error]
        return errors + self._constraints(schema, value, at)

    @staticmethod
    def _distance(errors: Sequence[str], at: str) -> tuple[bool, int, int]:
        """Rank a failed alternative to report the one the value meant: the JSON type matched,
        then the discriminating ``type`` property matched (Discord's unions use it), then fewest
        errors."""
        wrong_type = any(e.startswith(f"{at}: expected") for e in errors)
        wrong_tag = sum(e.startswith(f"{at}.type:") for e in errors)
        return wrong_type, wrong_tag, len(errors)

    def _type_error(self, schema: Json, value: Any, at: str) -> str | None:
        declared = schema.get("type")
        if declared is None:
            return None
        types = declared if isinstance(declared, list) else [declared]
        for name in types:
            expected = _TYPES.get(name, object)
            if isinstance(value, bool) and name in ("integer", "number"):
                continue
            if isinstance(value, expected):
                return None
            if name == "string" and schema.get("format") == "snowflake" and isinstance(value, int):
                return None
        return f"{at}: expected {'/'.join(types)}, got {type(value).__name__}"

    def _constraints(self, schema: Json, value: Any, at: str) -> list[str]:
        errors: list[str] = []
        if "const" in schema and value != schema["const"]:
            errors.append(f"{at}: must be {schema['const']!r}")
        if "enum" in schema and value not in schema["enum"]:
            errors.append(f"{at}: {value!r} not in {schema['enum']}")
        if isinstance(value, str):
            if len(value) > schema.get("maxLength", len(value)):
                errors.append(f"{at}: length {len(value)} > maxLength {schema['maxLength']}")
            if len(value) < schema.get("minLength", 0):
                errors.append(f"{at}: length {len(value)} < minLength {schema['minLength']}")
            if "pattern" in schema and not re.search(schema["pattern"], value):
                errors.append(f"{at}: {value!r} does not match {schema['pattern']}")
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            if "maximum" in schema and value > schema["maximum"]:
                errors.append(f"{at}: {value} > maximum {schema['maximum']}")
            if "minimum" in schema and value < schema["minimum"]:
                errors.append(f"{at}: {value} < minimum {schema['minimum']}")
        elif isinstance(value, list):
            if len(value) > schema.get("maxItems", len(value)):
                errors.append(f"{at}: {len(value)} items > maxItems {schema['maxItems']}")
            if len(value) < schema.get("minItems", 0):
                errors.append(f"{at}: {len(value)} items < minItems {schema['minItems']}")
            if isinstance(schema.get("items"), dict):
                for i, item in enumerate(value):
                    errors += self._check(schema["items"], item, f"{at}[{i}]")
        elif isinstance(value, dict):
            for name in schema.get("required", []):
                if name not in value:
                    errors.append(f"{at}: missing required {name!r}")
            for name, sub in schema.get("properties", {}).items():
                if name in value:
                    errors += self._check(sub, value[name], f"{at}.{name}")
        return errors
