"""One benchmark database per size: SQLite files in bench/out/, or PostgreSQL databases.

Not run by itself; bench/run.py uses it. With DATABASE_URL set to a PostgreSQL
server, each size gets a database of its own on that server (newsroom_bench_1k,
…), created through the server's `postgres` database. A database is generated
when it is missing, when its record (bench/out/<name>.json) is missing or was
made by another version of bench/generate.py, or when regeneration is forced.
"""

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from common import BENCH
from generate import VERSION


def label(size: int) -> str:
    """1000 → "1k", 100000 → "100k", 2500 → "2500"."""
    return f"{size // 1000}k" if size % 1000 == 0 else str(size)


@dataclass
class Database:
    size: int
    url: str
    name: str
    out: Path

    @property
    def label(self) -> str:
        return label(self.size)

    @property
    def is_postgresql(self) -> bool:
        return self.url.startswith(("postgres://", "postgresql://", "pgsql://"))

    @property
    def record(self) -> Path:
        return self.out / f"{self.name}.json"

    def exists(self) -> bool:
        if self.is_postgresql:
            with _server(self.url) as connection:
                found = connection.execute(
                    "SELECT 1 FROM pg_database WHERE datname = %s", [self.name]
                ).fetchone()
            return found is not None
        return Path(urlsplit(self.url).path).exists()

    def is_current(self) -> bool:
        """Generated completely, for this size, by this version of the generator."""
        if not self.record.exists() or not self.exists():
            return False
        made = json.loads(self.record.read_text())
        return made.get("version") == VERSION and made.get("articles") == self.size

    def recreate(self) -> None:
        """An empty database in place of whatever was there."""
        self.record.unlink(missing_ok=True)
        if self.is_postgresql:
            with _server(self.url) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
                connection.execute(f'CREATE DATABASE "{self.name}"')
            return
        path = Path(urlsplit(self.url).path)
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)

    def disk_mb(self) -> float | None:
        if self.is_postgresql:
            with _server(self.url) as connection:
                size = connection.execute("SELECT pg_database_size(%s)", [self.name]).fetchone()
            return round(size[0] / 2**20, 1)
        path = Path(urlsplit(self.url).path)
        return round(path.stat().st_size / 2**20, 1) if path.exists() else None

    def generate(self, env: dict) -> dict:
        """Fill it with bench/generate.py (its progress shown); returns its record."""
        self.recreate()
        began = time.perf_counter()
        process = subprocess.Popen(  # noqa: S603 - our own generator
            [sys.executable, str(BENCH / "generate.py"), str(self.size), "--json"],
            env={**env, "DATABASE_URL": self.url},
            stdout=subprocess.PIPE,
            text=True,
        )
        summary = None
        for line in process.stdout:
            if line.startswith("BENCH_JSON "):
                summary = json.loads(line.removeprefix("BENCH_JSON "))
            else:
                print(f"  [{self.label}] {line.rstrip()}", flush=True)
        if process.wait() != 0 or summary is None:
            raise RuntimeError(f"generating the {self.label} database failed")
        summary["wall_seconds"] = round(time.perf_counter() - began, 1)
        summary["disk_mb"] = self.disk_mb()
        self.record.write_text(json.dumps(summary, indent=2))
        return summary

    def generated(self) -> dict:
        return json.loads(self.record.read_text())


def databases(sizes: list[int], out: Path) -> list[Database]:
    """Where each size lives: PostgreSQL when DATABASE_URL names a server, else SQLite."""
    base = os.environ.get("DATABASE_URL", "")
    found = []
    for size in sizes:
        if base.startswith(("postgres://", "postgresql://", "pgsql://")):
            name = f"newsroom_bench_{label(size)}"
            parts = urlsplit(base)
            url = urlunsplit(parts._replace(path=f"/{name}"))
        else:
            name = f"newsroom-{label(size)}.sqlite3"
            url = f"sqlite:///{out / name}"
        found.append(Database(size=size, url=url, name=name, out=out))
    return found


class _server:
    """An autocommit connection to the PostgreSQL server's `postgres` database."""

    def __init__(self, url: str):
        self.url = urlunsplit(urlsplit(url)._replace(path="/postgres", scheme="postgresql"))

    def __enter__(self):
        import psycopg

        self.connection = psycopg.connect(self.url, autocommit=True)
        return self.connection

    def __exit__(self, *exc):
        self.connection.close()


def small_postgresql_database() -> Database:
    """The 1k database `make bench` made on DATABASE_URL's PostgreSQL server, for the
    fault and sign-in scripts; exits saying what to do when there is none."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to the PostgreSQL server `make bench` uses.")
    [database] = databases([1000], BENCH / "out")
    if not database.is_current():
        raise SystemExit("Run `make bench` once first: it makes the 1k database.")
    return database
