from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from wirewatch.store import Store


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    """Where an SQLite store goes, for the tests of what is SQLite's alone."""
    return tmp_path / "data" / "wirewatch.db"


@pytest.fixture
def store(store_target: str) -> Iterator[Store]:
    with Store.open(store_target) as opened:
        yield opened
