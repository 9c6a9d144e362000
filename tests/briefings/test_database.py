"""The store's process model: one process per database, and clear errors for a bad path
or a full disk."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from briefings.errors import StoreError
from briefings.models import PackFile
from briefings.store import CardStore, load_pack, open_store
from briefings.store.database import DatabaseInUse, SqliteDatabase, StoreFull
from tests.briefings.sample import sample_pack_data

REPO = Path(__file__).resolve().parents[2]
TOKEN = "MTAxMjM0NTY3ODkwMTIzNDU2.GaBcDe.abcdefghijklmnopqrstuvwxyz012345"


def run(args: list[str], db: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_PATH", "DISCORD_TOKEN"}}
    env |= {"DATABASE_PATH": str(db), "DISCORD_TOKEN": TOKEN, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env=env, cwd=REPO, timeout=60,
        check=False,
    )  # fmt: skip


async def test_a_second_opener_is_refused_while_the_first_holds_the_database(
    tmp_path: Path,
) -> None:
    db = tmp_path / "b.db"
    first = await SqliteDatabase.open(db)
    try:
        with pytest.raises(DatabaseInUse, match=str(db)):
            await SqliteDatabase.open(db)
    finally:
        await first.close()
    again = await SqliteDatabase.open(db)  # released on close
    await again.close()


async def test_a_second_bot_process_exits_2_naming_the_database(tmp_path: Path) -> None:
    db = tmp_path / "b.db"
    async with open_store(db):  # the first process: this one
        bot = run(["-m", "bot"], db)
        cli = run(["-m", "briefings", "cards"], db)
    assert bot.returncode == 2, bot.stderr
    assert f"The database at {db} is in use by another process (pid {os.getpid()})" in bot.stderr
    assert "Traceback" not in bot.stderr and len(bot.stderr.strip().splitlines()) == 1
    assert cli.returncode == 1 and "in use by another process" in cli.stderr


def test_a_database_path_under_a_regular_file_exits_2_with_a_message(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = run(["-m", "bot"], blocker / "briefings.db")
    assert result.returncode == 2
    assert "Cannot create the database at" in result.stderr and "DATABASE_PATH" in result.stderr
    assert "Traceback" not in result.stderr


async def test_a_full_disk_is_a_store_error_and_nothing_is_half_written(
    store: CardStore,
) -> None:
    before = await store.db.fetch_one("SELECT count(*) FROM cards")
    pages = await store.db.fetch_one("PRAGMA page_count")
    assert pages is not None
    await store.db.conn.execute(f"PRAGMA max_page_count = {pages[0]}")  # the disk is full now
    with pytest.raises(StoreFull) as raised:
        await load_pack(store, PackFile.model_validate(sample_pack_data(slug="big", cards=200)))
    assert isinstance(raised.value, StoreError) and raised.value.reason == "disk full"
    assert "full" in str(raised.value)
    assert await store.db.fetch_one("SELECT count(*) FROM cards") == before
