"""Shared fixtures: a real store, migrated and seeded (SQLite in a temporary directory; in
modules marked `both_backends`, each test once on SQLite and once on PostgreSQL, a throwaway
cluster started once per session); and the Discord stand-in's ``standin`` fixture
(registered as a plugin, not imported by each module)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from briefings.briefing import Briefing
from briefings.store import CardStore, open_store
from tests.pg_cluster import Cluster, running_cluster, unavailable_reason

pytest_plugins = ["tests.discord_standin.fixtures"]

REPO = Path(__file__).resolve().parents[1]
ARTICLE = REPO.parent / "shared" / "seeds" / "000_f2b099e7c5f7f55c.txt"
OPENAPI = REPO.parent / "shared" / "discord-api-spec" / "openapi.json"


BACKENDS = ("sqlite", "postgresql")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "both_backends: run each test using `store` on SQLite and on PostgreSQL"
    )
    config.addinivalue_line(
        "markers", "sqlite_only: in a both_backends module, a test of SQLite's own features"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    marked = metafunc.definition.get_closest_marker
    if "backend" in metafunc.fixturenames and marked("both_backends") and not marked("sqlite_only"):
        metafunc.parametrize("backend", BACKENDS, indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """One PostgreSQL cluster for the session, with a template database already migrated
    and seeded with the shipped packs; skipped (with the reason) where none can run."""
    reason = unavailable_reason()
    if reason:
        pytest.skip(f"PostgreSQL tests skipped: {reason}")
    with running_cluster() as cluster:
        cluster.psql("CREATE DATABASE seeded")
        # Asked for from inside a test's event loop: seed from a thread with its own loop.
        with ThreadPoolExecutor(1) as pool:
            pool.submit(lambda: asyncio.run(_seed(cluster.url("seeded")))).result()
        cluster.template = "seeded"
        yield cluster


async def _seed(url: str) -> None:
    async with open_store(url):
        pass


def store_location(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Path | str:
    """Where a test's store lives: a file, or a fresh database on the session's cluster."""
    if backend == "sqlite":
        return tmp_path / "briefings.db"
    cluster: Cluster = request.getfixturevalue("pg_cluster")
    return cluster.database()


@pytest.fixture
async def store(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> AsyncIterator[CardStore]:
    async with open_store(store_location(backend, tmp_path, request)) as opened:
        yield opened


@pytest.fixture
async def core(store: CardStore) -> Briefing:
    return Briefing(store)


@pytest.fixture
def article() -> str:
    if not ARTICLE.exists():
        pytest.skip("article not available: ../shared/seeds is absent in a standalone clone")
    return ARTICLE.read_text(encoding="utf-8")
