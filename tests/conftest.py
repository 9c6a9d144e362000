"""Shared fixtures: a real SQLite store in a temporary directory, migrated and seeded; and the
Discord stand-in's ``standin`` fixture (registered as a plugin, not imported by each module)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from briefings.briefing import Briefing
from briefings.store import CardStore, open_store

pytest_plugins = ["tests.discord_standin.fixtures"]

REPO = Path(__file__).resolve().parents[1]
ARTICLE = REPO.parent / "shared" / "seeds" / "000_f2b099e7c5f7f55c.txt"
OPENAPI = REPO.parent / "shared" / "discord-api-spec" / "openapi.json"


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[CardStore]:
    async with open_store(tmp_path / "briefings.db") as opened:
        yield opened


@pytest.fixture
async def core(store: CardStore) -> Briefing:
    return Briefing(store)


@pytest.fixture
def article() -> str:
    if not ARTICLE.exists():
        pytest.skip("article not available: ../shared/seeds is absent in a standalone clone")
    return ARTICLE.read_text(encoding="utf-8")
