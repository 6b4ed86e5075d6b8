from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from wirewatch.store import Store


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "wirewatch.db"


@pytest.fixture
def store(store_path: Path) -> Iterator[Store]:
    with Store.open(store_path) as opened:
        yield opened
