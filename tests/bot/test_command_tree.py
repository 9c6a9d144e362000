"""The command tree of every cog in `bot.client.COGS` fits Discord's limits: names,
descriptions, options and choices, checked against `bot/limits.py` and, independently, against
the stand-in's own oracle (which does not import the bot's numbers)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot import limits
from bot.client import COGS, BriefingBot
from briefings.app import open_core
from tests.bot.support import make_settings
from tests.discord_standin.limits import check_command_limits

Json = dict[str, Any]
SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
CHAT_INPUT = 1
SLASH_NAME = re.compile(r"^[-_'\w]{1,32}$")
"""Discord's pattern for slash command and option names (lower case, no spaces)."""


@pytest.fixture
async def tree_by_cog(tmp_path: Path) -> AsyncIterator[dict[str, list[Json]]]:
    """Each cog's commands as synced payloads, loading the cogs one at a time."""
    async with open_core(tmp_path / "b.db") as core:
        bot = BriefingBot(settings=make_settings(tmp_path), core=core)
        by_cog: dict[str, list[Json]] = {}
        seen: set[tuple[str, int]] = set()
        for cog in COGS:
            await bot.load_extension(cog)
            payloads = [c.to_dict(bot.tree) for c in bot.tree.get_commands()]
            by_cog[cog] = [p for p in payloads if (p["name"], p["type"]) not in seen]
            seen |= {(p["name"], p["type"]) for p in payloads}
        yield by_cog


def name_problems(at: str, name: str, *, slash: bool) -> Iterator[str]:
    if not 1 <= len(name) <= limits.COMMAND_NAME:
        yield f"{at}: name {len(name)} characters, not 1..{limits.COMMAND_NAME}"
    if slash and not (SLASH_NAME.match(name) and name == name.lower()):
        yield f"{at}: {name!r} is not a valid slash command or option name"


def description_problems(at: str, description: str) -> Iterator[str]:
    if not 1 <= len(description) <= limits.COMMAND_DESCRIPTION:
        yield f"{at}: description {len(description)} characters, not 1..100"


def option_problems(at: str, options: list[Json]) -> Iterator[str]:
    """Problems in an option list, its choices and (for subcommands) their own options."""
    names = [o["name"] for o in options]
    if len(options) > limits.COMMAND_OPTIONS:
        yield f"{at}: {len(options)} options, over {limits.COMMAND_OPTIONS}"
    if len(set(names)) != len(names):
        yield f"{at}: option names repeat: {names}"
    required = [o.get("required", False) for o in options]
    if required != sorted(required, reverse=True):
        yield f"{at}: a required option follows an optional one"
    for option in options:
        here = f"{at} {option['name']}"
        yield from name_problems(here, option["name"], slash=True)
        yield from description_problems(here, option.get("description", ""))
        choices = option.get("choices", [])
        if len(choices) > limits.CHOICES:
            yield f"{here}: {len(choices)} choices, over {limits.CHOICES}"
        for choice in choices:
            if not 1 <= len(choice["name"]) <= limits.CHOICE_NAME:
                yield f"{here}: choice name {choice['name']!r} too long"
            if isinstance(choice["value"], str) and len(choice["value"]) > limits.CHOICE_VALUE:
                yield f"{here}: choice value {choice['value']!r} too long"
        if option["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP):
            yield from option_problems(here, option.get("options", []))


def command_problems(command: Json) -> Iterator[str]:
    slash = command["type"] == CHAT_INPUT
    at = f"/{command['name']}" if slash else repr(command["name"])
    yield from name_problems(at, command["name"], slash=slash)
    if slash:
        yield from description_problems(at, command["description"])
        yield from option_problems(at, command.get("options", []))


def test_every_cog_adds_commands(tree_by_cog: dict[str, list[Json]]) -> None:
    assert list(tree_by_cog) == list(COGS)
    empty = [cog for cog, commands in tree_by_cog.items() if not commands]
    assert empty == [], "a cog in COGS without application commands (or with clashing names)"


def test_every_command_fits_discords_limits(tree_by_cog: dict[str, list[Json]]) -> None:
    problems = [
        f"{cog}: {problem}"
        for cog, commands in tree_by_cog.items()
        for command in commands
        for problem in command_problems(command)
    ]
    assert problems == []


def test_the_whole_tree_passes_the_standins_independent_oracle(
    tree_by_cog: dict[str, list[Json]],
) -> None:
    everything = [command for commands in tree_by_cog.values() for command in commands]
    assert check_command_limits(everything) == []
    walked = {c["name"] for c in everything}
    assert {"briefing", "ask", "card", "subscribe", "Brief me on this"} <= walked


def test_the_checks_catch_what_discord_refuses() -> None:
    too_long = {
        "type": CHAT_INPUT,
        "name": "Bad Name",
        "description": "d" * 101,
        "options": [
            {"type": 3, "name": "x", "description": "", "required": False},
            {"type": 3, "name": "x", "description": "ok", "required": True},
        ],
    }
    found = list(command_problems(too_long))
    assert any("not a valid slash command" in p for p in found)
    assert any("description 101 characters" in p for p in found)
    assert any("description 0 characters" in p for p in found)
    assert any("option names repeat" in p for p in found)
    assert any("required option follows" in p for p in found)
    assert list(command_problems({"type": 3, "name": "Brief me on this"})) == []


def test_read_commands_are_user_installable_and_the_rest_server_only(
    tree_by_cog: dict[str, list[Json]],
) -> None:
    """integration_types 0 server install, 1 user install; contexts 0 a server, 1 the DM
    with the bot, 2 other private channels (Discord's numbers, written out here)."""
    everything = {c["name"]: c for commands in tree_by_cog.values() for c in commands}
    reads = {"ask", "briefing", "actor", "event", "timeline", "leverage"}
    dms = {"subscribe", "subscriptions", "unsubscribe", "subscription", "mydata"}
    assert reads | dms | {"card"} <= set(everything)
    for name, command in everything.items():
        where = (command["integration_types"], command["contexts"])
        if name in reads:
            assert where == ([0, 1], [0, 1, 2]), name
        elif name in dms:
            assert where == ([0], [0, 1]), name
        else:  # /card, the context menu: a server's, in its channels
            assert where == ([0], [0]), name
