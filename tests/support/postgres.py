"""A real PostgreSQL for the tests: one throwaway cluster per test session, started by
``scripts/postgres.sh`` in a temporary folder (Unix socket there, TCP on 127.0.0.1 only) and
stopped at the end; each test gets an empty schema of its own, dropped after it."""

from __future__ import annotations

import itertools
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import psycopg

ROOT = Path(__file__).parents[2]
SCRIPT = ROOT / "scripts" / "postgres.sh"
_names = itertools.count(1)


class PostgresServer:
    """The cluster in ``folder``; ``url`` is its database for the tests."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.url = ""

    def start(self) -> PostgresServer:
        done = subprocess.run(
            ["bash", str(SCRIPT), "start", str(self.folder)],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"PostgreSQL did not start: {done.stderr.strip()}")
        self.url = done.stdout.strip().splitlines()[-1]
        with psycopg.connect(self.url, autocommit=True) as conn:
            # Extensions live once per database: where every test schema finds them.
            conn.execute("CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public")
        return self

    def stop(self) -> None:
        subprocess.run(
            ["bash", str(SCRIPT), "stop", str(self.folder)],
            capture_output=True,
            timeout=120,
            check=False,
        )

    @contextmanager
    def schema(self, prefix: str = "t") -> Iterator[str]:
        """A store URL whose tables go in a new, empty schema, dropped when the block ends."""
        name = f"{prefix}_{next(_names)}"
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {name}")
        try:
            yield f"{self.url}?options={quote(f'-csearch_path={name},public')}"
        finally:
            with psycopg.connect(self.url, autocommit=True) as conn:
                conn.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE pid <> pg_backend_pid() AND datname = current_database() "
                    "AND query NOT LIKE '%pg_stat_activity%' AND state = 'idle in transaction'"
                )
                conn.execute(f"DROP SCHEMA {name} CASCADE")


def can_run_postgres() -> str | None:
    """Why the PostgreSQL tests cannot run here, or None when they can."""
    done = subprocess.run(
        ["bash", str(SCRIPT), "install"], capture_output=True, text=True, timeout=900, check=False
    )
    if done.returncode != 0:
        return done.stderr.strip() or "scripts/postgres.sh install failed"
    return None
