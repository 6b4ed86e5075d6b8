"""Fixtures of the watcher tests: a local HTTP server and an in-memory store."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.httpserver import LocalServer
from wirewatch.store import Store


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as running:
        yield running


@pytest.fixture
def store() -> Iterator[Store]:
    with Store.open(":memory:") as opened:
        yield opened
