from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import BACKENDS
from wirewatch.store import Store


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    """Where an SQLite store goes, for the tests of what is SQLite's alone."""
    return tmp_path / "data" / "wirewatch.db"


@pytest.fixture(params=BACKENDS)
def store_target(request: pytest.FixtureRequest, store_path: Path) -> str:
    """A new store's location on each backend: an SQLite path, then a PostgreSQL URL."""
    if request.param == "postgresql":
        return str(request.getfixturevalue("postgres_url"))
    return str(store_path)


@pytest.fixture
def store(store_target: str) -> Iterator[Store]:
    with Store.open(store_target) as opened:
        yield opened
