"""Discord's documented size limits for what a bot sends, checked in one place.

``check_message_limits`` returns every violation in a message payload; the stand-in runs it on each
callback, follow-up, edit and channel message, records the violations and (like Discord) answers
400 ``Invalid Form Body``. ``assert_within_discord_limits`` is the same check as an assertion for
unit tests of renderers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .models import LimitViolation
from .payloads import Json

CONTENT = 2000
EMBEDS = 10
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELDS = 25
EMBED_FIELD_NAME = 256
EMBED_FIELD_VALUE = 1024
EMBED_FOOTER_TEXT = 2048
EMBED_AUTHOR_NAME = 256
EMBED_TOTAL = 6000
ACTION_ROWS = 5
ROW_COMPONENTS = 5
COMPONENTS_V2_TOTAL = 40
CUSTOM_ID = 100
BUTTON_LABEL = 80
SELECT_OPTIONS = 25
SELECT_OPTION_TEXT = 100
SELECT_PLACEHOLDER = 150
CHOICES = 25
CHOICE_TEXT = 100
MODAL_TITLE = 45
MODAL_COMPONENTS = 5
TEXT_INPUT_LABEL = 45
ATTACHMENTS = 10
IS_COMPONENTS_V2 = 1 << 15
SELECT_TYPES = (3, 5, 6, 7, 8)


class _Checker:
    def __init__(self) -> None:
        self.found: list[LimitViolation] = []

    def max_len(self, path: str, value: Any, limit: int, rule: str) -> int:
        size = len(value) if isinstance(value, (str, list)) else 0
        if size > limit:
            self.found.append(LimitViolation(path=path, limit=limit, actual=size, rule=rule))
        return size


def _embed_limits(check: _Checker, embeds: list[Json]) -> None:
    check.max_len("embeds", embeds, EMBEDS, f"at most {EMBEDS} embeds")
    total = 0
    for i, embed in enumerate(embeds):
        at = f"embeds[{i}]"
        total += check.max_len(f"{at}.title", embed.get("title"), EMBED_TITLE, "embed title")
        total += check.max_len(
            f"{at}.description", embed.get("description"), EMBED_DESCRIPTION, "embed description"
        )
        fields = list(embed.get("fields") or [])
        check.max_len(f"{at}.fields", fields, EMBED_FIELDS, f"at most {EMBED_FIELDS} fields")
        for j, fld in enumerate(fields):
            total += check.max_len(
                f"{at}.fields[{j}].name", fld.get("name"), EMBED_FIELD_NAME, "field name"
            )
            total += check.max_len(
                f"{at}.fields[{j}].value", fld.get("value"), EMBED_FIELD_VALUE, "field value"
            )
        footer = embed.get("footer") or {}
        total += check.max_len(
            f"{at}.footer.text", footer.get("text"), EMBED_FOOTER_TEXT, "embed footer text"
        )
        author = embed.get("author") or {}
        total += check.max_len(
            f"{at}.author.name", author.get("name"), EMBED_AUTHOR_NAME, "embed author name"
        )
    if total > EMBED_TOTAL:
        check.found.append(
            LimitViolation(
                path="embeds",
                limit=EMBED_TOTAL,
                actual=total,
                rule="total characters across all embeds",
            )
        )


def _walk_components(items: Iterable[Json], path: str) -> Iterable[tuple[str, Json]]:
    for i, item in enumerate(items):
        at = f"{path}[{i}]"
        yield at, item
        yield from _walk_components(item.get("components") or [], f"{at}.components")
        for key in ("component", "accessory"):
            if isinstance(item.get(key), dict):
                yield from _walk_components([item[key]], f"{at}.{key}")


def _component_limits(check: _Checker, components: list[Json], *, v2: bool, path: str) -> None:
    every = list(_walk_components(components, path))
    if v2:
        check.max_len(path, [c for _, c in every], COMPONENTS_V2_TOTAL, "components in total")
    else:
        check.max_len(path, components, ACTION_ROWS, f"at most {ACTION_ROWS} action rows")
        for i, row in enumerate(components):
            children = list(row.get("components") or [])
            check.max_len(f"{path}[{i}].components", children, ROW_COMPONENTS, "row width")
            if any(c.get("type") in SELECT_TYPES for c in children):
                check.max_len(f"{path}[{i}].components", children, 1, "a select fills its row")
    for at, item in every:
        check.max_len(f"{at}.custom_id", item.get("custom_id"), CUSTOM_ID, "custom_id")
        if item.get("type") == 2:
            check.max_len(f"{at}.label", item.get("label"), BUTTON_LABEL, "button label")
        if item.get("type") in (4, 18):  # a text input's label, or a label component's
            check.max_len(f"{at}.label", item.get("label"), TEXT_INPUT_LABEL, "input label")
            check.max_len(f"{at}.description", item.get("description"), 100, "label description")
        check.max_len(
            f"{at}.placeholder", item.get("placeholder"), SELECT_PLACEHOLDER, "placeholder"
        )
        options = item.get("options")
        if isinstance(options, list):
            check.max_len(f"{at}.options", options, SELECT_OPTIONS, "select options")
            for k, option in enumerate(options):
                for key in ("label", "value", "description"):
                    check.max_len(
                        f"{at}.options[{k}].{key}",
                        option.get(key),
                        SELECT_OPTION_TEXT,
                        f"select option {key}",
                    )


def check_message_limits(payload: Json) -> list[LimitViolation]:
    """Every documented limit a message create/edit payload exceeds (empty list when fine)."""
    check = _Checker()
    check.max_len("content", payload.get("content"), CONTENT, "message content")
    _embed_limits(check, list(payload.get("embeds") or []))
    flags = int(payload.get("flags") or 0)
    components = list(payload.get("components") or [])
    _component_limits(check, components, v2=bool(flags & IS_COMPONENTS_V2), path="components")
    check.max_len("attachments", payload.get("attachments"), ATTACHMENTS, "attachments per message")
    return check.found


def check_choice_limits(choices: list[Json], path: str = "choices") -> list[LimitViolation]:
    """Autocomplete/option choices: at most 25, each name and string value at most 100 chars."""
    check = _Checker()
    check.max_len(path, choices, CHOICES, f"at most {CHOICES} choices")
    for i, choice in enumerate(choices):
        check.max_len(f"{path}[{i}].name", choice.get("name"), CHOICE_TEXT, "choice name")
        check.max_len(f"{path}[{i}].value", choice.get("value"), CHOICE_TEXT, "choice value")
    return check.found


def check_modal_limits(modal: Json) -> list[LimitViolation]:
    """A modal: title at most 45 chars, at most 5 top-level components, custom_ids at most 100."""
    check = _Checker()
    check.max_len("title", modal.get("title"), MODAL_TITLE, "modal title")
    check.max_len("custom_id", modal.get("custom_id"), CUSTOM_ID, "custom_id")
    components = list(modal.get("components") or [])
    check.max_len("components", components, MODAL_COMPONENTS, "modal components")
    _component_limits(check, components, v2=True, path="components")
    return check.found


def check_callback_limits(body: Json) -> list[LimitViolation]:
    """Limits for an interaction callback body, by callback type."""
    data = body.get("data") or {}
    kind = body.get("type")
    if kind in (4, 7):
        found = check_message_limits(data)
    elif kind == 8:
        found = check_choice_limits(list(data.get("choices") or []))
    elif kind == 9:
        found = check_modal_limits(data)
    else:
        return []
    return [
        LimitViolation(path=f"data.{v.path}", limit=v.limit, actual=v.actual, rule=v.rule)
        for v in found
    ]


def assert_within_discord_limits(payload: Json) -> None:
    """Assert a message payload (content, embeds, components...) is within Discord's limits.

    Also accepts an interaction callback body (``{"type": 4, "data": {...}}``) or an autocomplete
    ``{"choices": [...]}`` payload.
    """
    if "type" in payload and "data" in payload:
        found = check_callback_limits(payload)
    elif "choices" in payload and "content" not in payload:
        found = check_choice_limits(list(payload["choices"]))
    else:
        found = check_message_limits(payload)
    if found:
        lines = "\n".join(f"  {v.path}: {v.actual} > {v.limit} ({v.rule})" for v in found)
        raise AssertionError(f"payload exceeds Discord's limits:\n{lines}")


def form_errors(violations: list[LimitViolation]) -> Json:
    """Discord's nested ``errors`` object for an ``Invalid Form Body`` (code 50035) answer."""
    errors: Json = {}
    for violation in violations:
        node = errors
        parts = violation.path.replace("]", "").replace("[", ".").split(".")
        for part in filter(None, parts):
            node = node.setdefault(part, {})
        node.setdefault("_errors", []).append(
            {
                "code": "BASE_TYPE_MAX_LENGTH",
                "message": f"Must be {violation.limit} or fewer in length.",
            }
        )
    return errors


COMMANDS_PER_TYPE = {1: 100, 2: 15, 3: 15}
COMMAND_NAME = 32
COMMAND_DESCRIPTION = 100
COMMAND_OPTIONS = 25
COMMAND_TOTAL = 4000


def _option_limits(check: _Checker, options: list[Json], path: str) -> int:
    check.max_len(path, options, COMMAND_OPTIONS, f"at most {COMMAND_OPTIONS} options")
    total = 0
    for i, option in enumerate(options):
        at = f"{path}[{i}]"
        total += check.max_len(f"{at}.name", option.get("name"), COMMAND_NAME, "option name")
        total += check.max_len(
            f"{at}.description", option.get("description"), COMMAND_DESCRIPTION, "description"
        )
        choices = list(option.get("choices") or [])
        check.found.extend(check_choice_limits(choices, f"{at}.choices"))
        total += sum(len(str(c.get("name", ""))) + len(str(c.get("value", ""))) for c in choices)
        total += _option_limits(check, list(option.get("options") or []), f"{at}.options")
    return total


def check_command_limits(commands: list[Json]) -> list[LimitViolation]:
    """Application command registration limits (counts per type, name/description/option sizes)."""
    check = _Checker()
    for kind, limit in COMMANDS_PER_TYPE.items():
        same = [c for c in commands if int(c.get("type", 1)) == kind]
        check.max_len(f"commands(type={kind})", same, limit, f"at most {limit} commands")
    for i, command in enumerate(commands):
        at = f"[{i}]"
        total = check.max_len(f"{at}.name", command.get("name"), COMMAND_NAME, "command name")
        total += check.max_len(
            f"{at}.description",
            command.get("description"),
            COMMAND_DESCRIPTION,
            "command description",
        )
        total += _option_limits(check, list(command.get("options") or []), f"{at}.options")
        if total > COMMAND_TOTAL:
            check.found.append(
                LimitViolation(path=at, limit=COMMAND_TOTAL, actual=total, rule="command total")
            )
    return check.found
