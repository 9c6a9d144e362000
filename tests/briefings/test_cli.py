"""The offline CLI, end to end in a subprocess, as an admin would use it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from briefings.store.migrate import latest_version
from tests.briefings.sample import sample_pack_data

REPO = Path(__file__).resolve().parents[2]
PACK = REPO / "briefings" / "packs" / "bechev-syria-russia-turkey-2024.yaml"


def cli(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_PATH": str(db)}
    env.pop("DISCORD_TOKEN", None)  # the CLI must not need one
    return subprocess.run(
        [sys.executable, "-m", "briefings", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=60,
        check=False,
    )


def test_ask_answers_with_a_citation(tmp_path: Path) -> None:
    result = cli("ask", "How many Syrian refugees are in Turkey?", db=tmp_path / "b.db")
    assert result.returncode == 0, result.stderr
    assert "3.9 million" in result.stdout
    assert "themoscowtimes.com" in result.stdout
    assert (tmp_path / "b.db").exists()  # created and seeded on first use


def test_ask_about_something_absent_says_so_and_fails(tmp_path: Path) -> None:
    result = cli("ask", "What did China do?", db=tmp_path / "b.db")
    assert result.returncode == 1
    assert "doesn't cover China" in result.stdout


def test_actor_event_timeline_leverage(tmp_path: Path) -> None:
    db = tmp_path / "b.db"
    assert "Erdoğan" in cli("actor", "erdgoan", db=db).stdout
    assert "November 2015" in cli("event", "Su-24", db=db).stdout
    timeline = cli("timeline", db=db).stdout
    assert timeline.index("2015") < timeline.index("2019")
    energy = cli("leverage", "--domain", "energy", db=db).stdout
    assert "TurkStream" in energy or "energy" in energy


def test_unknown_actor_is_a_clear_error(tmp_path: Path) -> None:
    result = cli("actor", "Xi Jinping", db=tmp_path / "b.db")
    assert result.returncode == 1
    assert result.stderr.startswith("error: No actor matches 'Xi Jinping'")
    assert "Traceback" not in result.stderr


def test_cards_list_and_show(tmp_path: Path) -> None:
    listing = cli("cards", db=tmp_path / "b.db")
    assert "byline-and-photo" in listing.stdout
    shown = cli("cards", "energy-turkstream", db=tmp_path / "b.db")
    assert "TurkStream" in shown.stdout


def test_validate_reports_every_field_problem(tmp_path: Path) -> None:
    data = sample_pack_data()
    data["cards"][0]["section"] = -1
    data["cards"][1]["events"] = ["nope"]
    data["actors"][0]["kind"] = "planet"
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = cli("validate", str(bad), db=tmp_path / "b.db")
    assert result.returncode == 1
    assert "card 1 (sample-pack-card-1): section" in result.stderr
    assert "actor 1 (sample-pack-north): kind" in result.stderr
    assert not (tmp_path / "b.db").exists()  # validate touches no database


def test_validate_the_shipped_pack_against_its_article(tmp_path: Path, article: str) -> None:
    source = tmp_path / "article.txt"
    source.write_text(article, encoding="utf-8")
    result = cli("validate", str(PACK), "--source", str(source), db=tmp_path / "b.db")
    assert result.returncode == 0, result.stderr
    assert "quotes, names and numbers found in the source" in result.stdout
    source.write_text(article.replace("unsinkable", "unshakeable"), encoding="utf-8")
    doctored = cli("validate", str(PACK), "--source", str(source), db=tmp_path / "b.db")
    assert doctored.returncode == 1
    assert "unsinkable" in doctored.stderr


def test_import_is_all_or_nothing(tmp_path: Path) -> None:
    db = tmp_path / "b.db"
    data = sample_pack_data(cards=3)
    data["cards"][2]["leverage"] = ["no-such-shift"]
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert cli("import", str(bad), db=db).returncode == 1
    assert "sample-pack" not in cli("cards", "--all", db=db).stdout
    data["cards"][2]["leverage"] = []
    bad.write_text(yaml.safe_dump(data), encoding="utf-8")
    imported = cli("import", str(bad), db=db)
    assert "3 added" in imported.stdout, imported.stderr
    assert "0 added, 0 updated, 3 unchanged" in cli("import", str(bad), db=db).stdout


def test_export_round_trips_and_json_too(tmp_path: Path) -> None:
    db = tmp_path / "b.db"
    out = tmp_path / "export.yaml"
    assert cli("export", "--out", str(out), db=db).returncode == 0
    again = cli("import", str(out), db=db)
    assert "0 added, 0 updated" in again.stdout and "0 archived" in again.stdout
    as_json = tmp_path / "export.json"
    assert cli("export", "--format", "json", "--out", str(as_json), db=db).returncode == 0
    assert "0 added, 0 updated" in cli("import", str(as_json), db=db).stdout


def test_db_backup_and_status(tmp_path: Path) -> None:
    db = tmp_path / "b.db"
    backup = tmp_path / "backup.db"
    assert cli("db", "backup", str(backup), db=db).returncode == 0
    status = cli("db", "status", db=backup)
    latest = latest_version()
    assert (
        f"schema {latest}/{latest}" in status.stdout
        and "bechev-syria-russia-turkey-2024" in status.stdout
    )


def test_a_corrupt_database_is_named_not_a_traceback(tmp_path: Path) -> None:
    db = tmp_path / "b.db"
    db.write_bytes(b"garbage" * 1000)
    result = cli("cards", db=db)
    assert result.returncode == 1
    assert str(db) in result.stderr and "Traceback" not in result.stderr


def test_thousands_of_levels_of_nesting_are_a_field_problem_not_a_traceback(
    tmp_path: Path,
) -> None:
    deep_json = tmp_path / "deep.json"
    deep_json.write_text('{"pack": ' + "[" * 3000 + "]" * 3000 + "}", encoding="utf-8")
    deep_yaml = tmp_path / "deep.yaml"
    deep_yaml.write_text("pack:\n  a: " + "[" * 3000 + "]" * 3000 + "\n", encoding="utf-8")
    for path in (deep_json, deep_yaml):
        for command in ("validate", "import"):
            result = cli(command, str(path), db=tmp_path / "b.db")
            assert result.returncode == 1
            assert "Traceback" not in result.stderr
            assert f"{path}: file: line " in result.stderr
            assert "too deeply nested (limit 20 levels)" in result.stderr


def test_import_for_a_guild_makes_its_own_briefing_naming_shipped_actors(tmp_path: Path) -> None:
    """The README's example pack names the shipped `russia` without defining it: the CLI
    checks it against the catalogue and, with --guild, imports it as that server's."""
    db, example = tmp_path / "b.db", str(REPO / "docs" / "example-pack.yaml")
    dry = cli("--guild", "123", "import", example, "--dry-run", db=db)
    assert dry.returncode == 0, dry.stderr
    assert "would import into g123-black-sea-grain-2031" in dry.stdout
    assert "a new briefing" in dry.stdout
    assert "Grain Moving" not in cli("--guild", "123", "actor", "Erdogan", db=db).stdout

    done = cli("--guild", "123", "import", example, db=db)
    assert done.returncode == 0, done.stderr
    own = cli("--guild", "123", "actor", "Erdogan", db=db).stdout
    assert "(Who Keeps the Grain Moving?)" in own  # each briefing's role, named
    assert "(What Does Regime Change in Syria" in own
    other = cli("--guild", "999", "actor", "Erdogan", db=db).stdout
    assert "Grain" not in other  # another server sees only the shipped briefing
    answer = cli("--guild", "999", "ask", "Who brokers the grain corridor?", db=db).stdout
    assert "doesn't cover the grain corridor" in answer and "example.org" not in answer
