"""A throwaway PostgreSQL cluster in a temporary directory, for tests and benchmarks.

`initdb` then `pg_ctl start` on a unix socket in the directory and a free 127.0.0.1 port;
as the `postgres` user when we are root (initdb refuses root). `Cluster.database()` makes a
fresh database, from a migrated template when one was prepared, so each test starts clean
in ~0.1 s.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import sqlite3
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

try:
    from asyncpg import IntegrityConstraintViolationError as _PgIntegrity
except ImportError:  # without the postgres extra: only SQLite's
    _PgIntegrity = sqlite3.IntegrityError  # type: ignore[assignment,misc]

INTEGRITY_ERRORS: tuple[type[Exception], ...] = (sqlite3.IntegrityError, _PgIntegrity)
"""What a violated constraint raises, on either backend."""

SEARCH = ("/usr/lib/postgresql/*/bin", "/usr/local/bin", "/usr/bin", "/usr/local/pgsql/bin")


def server_binaries() -> Path | None:
    """The folder holding initdb and pg_ctl (the newest version found), or None."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    for pattern in SEARCH:
        for folder in sorted(Path("/").glob(pattern.lstrip("/")), reverse=True):
            if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
                return folder
    return None


def unavailable_reason() -> str | None:
    """Why no cluster can be started here, or None when one can."""
    try:
        import asyncpg  # noqa: F401
    except ImportError:
        return "asyncpg is not installed (the `postgres` extra)"
    if server_binaries() is None:
        return "no PostgreSQL server binaries (initdb, pg_ctl) found; apt-get install postgresql"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "running as root without runuser: initdb refuses root"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    folder: Path
    port: int
    bin: Path
    template: str | None = None
    _made: list[str] = field(default_factory=list)

    @property
    def user(self) -> str:
        return "postgres"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"

    def psql(self, sql: str, database: str = "postgres") -> str:
        psql = self.bin / "psql"
        command = [str(psql) if psql.exists() else "psql", "-XAtq", "-v", "ON_ERROR_STOP=1"]
        command += ["-h", "127.0.0.1", "-p", str(self.port), "-U", self.user, "-d", database]
        done = subprocess.run([*command, "-c", sql], capture_output=True, text=True, check=True)
        return done.stdout.strip()

    def database(self, *, empty: bool = False) -> str:
        """A new database, migrated and seeded when a template is set (unless `empty`);
        returns its URL."""
        name = f"t_{uuid.uuid4().hex[:12]}"
        template = f" TEMPLATE {self.template}" if self.template and not empty else ""
        self.psql(f"CREATE DATABASE {name}{template}")
        self._made.append(name)
        return self.url(name)


def _as_owner(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextlib.contextmanager
def running_cluster() -> Iterator[Cluster]:
    """Start a cluster for the duration of the block; stopped and deleted after."""
    binaries = server_binaries()
    assert binaries is not None, unavailable_reason()
    folder = Path(tempfile.mkdtemp(prefix="briefings-pg-"))
    data, port = folder / "data", _free_port()
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    user = [] if os.geteuid() == 0 else ["-U", "postgres"]
    initdb = [str(binaries / "initdb"), "-D", str(data), "-A", "trust", "-E", "UTF8"]
    initdb += ["--locale=C.UTF-8", "--no-sync", *user]
    subprocess.run(_as_owner(initdb), check=True, capture_output=True)
    options = (
        f"-k {folder} -h 127.0.0.1 -p {port} -c fsync=off -c synchronous_commit=off "
        "-c full_page_writes=off -c max_connections=60"
    )
    start = [str(binaries / "pg_ctl"), "-D", str(data), "-o", options, "-w", "-s"]
    start += ["-l", str(folder / "log"), "start"]
    subprocess.run(_as_owner(start), check=True, capture_output=True)
    try:
        yield Cluster(folder, port, binaries)
    finally:
        subprocess.run(
            _as_owner([str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "-s", "stop"]),
            check=False,
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)
