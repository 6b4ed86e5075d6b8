"""Fixtures shared by every test folder: a real PostgreSQL server for the store's tests on
both backends (see tests/support/postgres.py), and ``make demo``'s store on each."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.postgres import PostgresServer, can_run_postgres
from wirewatch.run.ingest import ingest
from wirewatch.settings import Settings
from wirewatch.store import Store
from wirewatch.store.copy import copy_store

BACKENDS = ("sqlite", "postgresql")
ROOT = Path(__file__).parents[1]
SAMPLES = ROOT / "samples"
SEED_ID = "f2dfca0c27519a6f"  # samples/afp-nato-ukraine-blog-repost.txt


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One throwaway PostgreSQL cluster for the whole session, installed when missing."""
    why_not = can_run_postgres()
    if why_not is not None:
        pytest.skip(f"PostgreSQL is not available: {why_not}")
    # A folder of its own, not pytest's: another test session cleaning up its old temporary
    # folders must not delete a running cluster.
    folder = Path(tempfile.mkdtemp(prefix="wirewatch-pg-"))
    server = PostgresServer(folder / "cluster").start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """A store URL on the session's server, in a new empty schema of its own."""
    with postgres_server.schema() as url:
        yield url


@pytest.fixture(params=BACKENDS)
def store_target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new store's location on each backend: an SQLite path, then a PostgreSQL URL."""
    if request.param == "postgresql":
        return str(request.getfixturevalue("postgres_url"))
    return str(tmp_path / "data" / "wirewatch.db")


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``make demo``'s store: everything in samples/, every stage, the seed included."""
    db = tmp_path_factory.mktemp("web") / "demo.db"
    with Store.open(db) as store:
        summary = ingest([str(SAMPLES)], store, Settings(), stages="all")
    assert SEED_ID in summary.article_ids
    return db


@pytest.fixture(scope="session")
def demo_postgres(demo_db: Path, postgres_server: PostgresServer) -> Iterator[str]:
    """The demo store copied into PostgreSQL (``wirewatch db copy``'s code)."""
    with postgres_server.schema("demo") as url:
        with Store.open(demo_db) as source, Store.open(url) as target:
            copy_store(source, target)
        yield url
