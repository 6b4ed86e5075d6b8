"""Fixtures shared by every test folder: a real PostgreSQL server for the store's tests on
both backends (see tests/support/postgres.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.postgres import PostgresServer, can_run_postgres

BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresServer]:
    """One throwaway PostgreSQL cluster for the whole session, installed when missing."""
    why_not = can_run_postgres()
    if why_not is not None:
        pytest.skip(f"PostgreSQL is not available: {why_not}")
    server = PostgresServer(tmp_path_factory.mktemp("postgres")).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """A store URL on the session's server, in a new empty schema of its own."""
    with postgres_server.schema() as url:
        yield url
