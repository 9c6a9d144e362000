"""Build documented application-command option lists (and their ``resolved`` data) for tests.

Option types come from the command schema the bot synced when it is known, else from the Python
type of the value; ``Opt(type, value)`` forces a type. A real Discord client refuses to send missing
required options, values outside ``choices`` or outside ``min/max``; so does this builder.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple, Protocol

from .models import UploadedFile
from .payloads import Json

SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = range(3, 12)
SNOWFLAKE_TYPES = (USER, CHANNEL, ROLE, MENTIONABLE, ATTACHMENT)


class Opt(NamedTuple):
    """An option value with an explicit type, e.g. ``Opt(USER, 1001)`` when no schema is synced."""

    type: int
    value: Any


class Resolver(Protocol):
    """Looks up the objects snowflake options refer to (implemented by the stand-in)."""

    def resolved_user(self, user_id: int, guild_id: int | None) -> tuple[Json, Json | None]: ...

    def resolved_channel(self, channel_id: int) -> Json: ...

    def resolved_role(self, role_id: int, guild_id: int | None) -> Json: ...

    def resolved_attachment(self, channel_id: int, value: Any) -> Json: ...

    def is_known_user(self, user_id: int) -> bool: ...


def infer_type(value: Any) -> int:
    if isinstance(value, Opt):
        return value.type
    if isinstance(value, bool):
        return BOOLEAN
    if isinstance(value, int):
        return INTEGER
    if isinstance(value, float):
        return NUMBER
    if isinstance(value, (bytes, UploadedFile)):
        return ATTACHMENT
    if isinstance(value, dict) and "username" in value:
        return USER
    return STRING


def _snowflake(value: Any) -> int:
    return int(value["id"]) if isinstance(value, dict) else int(value)


class OptionBuilder:
    """Turns ``{name: value}`` into the nested option list of an interaction's ``data``."""

    def __init__(
        self, resolver: Resolver, *, guild_id: int | None, channel_id: int, focused: str | None
    ) -> None:
        self.resolver = resolver
        self.guild_id = guild_id
        self.channel_id = channel_id
        self.focused = focused
        self.resolved: dict[str, dict[str, Json]] = {}

    def build(
        self, command: Json | None, subcommand: str | None, values: Mapping[str, Any]
    ) -> list[Json]:
        path = subcommand.split() if subcommand else []
        schema: list[Json] | None = None if command is None else list(command.get("options") or [])
        chain: list[tuple[str, int]] = []
        for depth, part in enumerate(path):
            kind = SUB_COMMAND if depth == len(path) - 1 else SUB_COMMAND_GROUP
            if schema is not None:
                match = [o for o in schema if o["name"] == part and o["type"] in (1, 2)]
                if not match:
                    raise ValueError(f"command has no subcommand {part!r}")
                kind, schema = match[0]["type"], list(match[0].get("options") or [])
            chain.append((part, kind))
        options = self._leaf(schema, values)
        for name, kind in reversed(chain):
            options = [{"name": name, "type": kind, "options": options}]
        return options

    def _leaf(self, schema: list[Json] | None, values: Mapping[str, Any]) -> list[Json]:
        by_name = {o["name"]: o for o in schema or []}
        if schema is not None:
            unknown = sorted(set(values) - set(by_name))
            if unknown:
                raise ValueError(f"unknown option(s) {unknown}; the command has {sorted(by_name)}")
            missing = [n for n, o in by_name.items() if o.get("required") and n not in values]
            if missing and self.focused is None:
                raise ValueError(f"missing required option(s) {missing}")
        out = []
        for name, value in values.items():
            spec = by_name.get(name)
            kind = value.type if isinstance(value, Opt) else (spec or {}).get("type")
            raw = value.value if isinstance(value, Opt) else value
            kind = kind or infer_type(raw)
            option: Json = {"name": name, "type": kind}
            if name == self.focused:
                option["value"], option["focused"] = raw, True
            else:
                option["value"] = self.convert(kind, raw)
                if spec is not None:
                    self._check_constraints(name, spec, option["value"])
            out.append(option)
        return out

    def _check_constraints(self, name: str, spec: Json, value: Any) -> None:
        choices = spec.get("choices")
        if choices and value not in [c["value"] for c in choices]:
            allowed = [c["value"] for c in choices]
            raise ValueError(f"option {name!r}: {value!r} is not one of the choices {allowed}")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            low, high = spec.get("min_value"), spec.get("max_value")
            if (low is not None and value < low) or (high is not None and value > high):
                raise ValueError(f"option {name!r}: {value} outside [{low}, {high}]")
        if isinstance(value, str) and spec.get("type") == STRING:
            low, high = spec.get("min_length", 0), spec.get("max_length", 6000)
            if not low <= len(value) <= high:
                raise ValueError(f"option {name!r}: length {len(value)} outside [{low}, {high}]")

    def _add(self, kind: str, key: int, data: Json) -> None:
        self.resolved.setdefault(kind, {})[str(key)] = data

    def convert(self, kind: int, value: Any) -> Any:
        if kind == STRING:
            return str(value)
        if kind == INTEGER:
            return int(value)
        if kind == BOOLEAN:
            return bool(value)
        if kind == NUMBER:
            return float(value)
        if kind == ATTACHMENT:
            attachment = self.resolver.resolved_attachment(self.channel_id, value)
            self._add("attachments", int(attachment["id"]), attachment)
            return attachment["id"]
        snowflake = _snowflake(value)
        if kind == USER or (kind == MENTIONABLE and self.resolver.is_known_user(snowflake)):
            user, member = self.resolver.resolved_user(snowflake, self.guild_id)
            self._add("users", snowflake, user)
            if member is not None:
                self._add("members", snowflake, member)
        elif kind == CHANNEL:
            self._add("channels", snowflake, self.resolver.resolved_channel(snowflake))
        elif kind in (ROLE, MENTIONABLE):
            self._add("roles", snowflake, self.resolver.resolved_role(snowflake, self.guild_id))
        else:
            raise ValueError(f"unsupported option type {kind}")
        return str(snowflake)
