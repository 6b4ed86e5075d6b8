"""Fixtures for the collect tests: a local HTTP server, and settings with short limits."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.httpserver import LocalServer
from wirewatch.collect import Fetcher
from wirewatch.settings import Settings

# Short limits keep the timeout tests fast; a test that needs others builds its own.
FAST = Settings(
    http_connect_timeout=2.0,
    http_read_timeout=2.0,
    http_total_timeout=5.0,
    max_document_bytes=100_000,
    max_decompressed_bytes=200_000,
    fetch_allow_networks="127.0.0.0/8,::1",  # the test servers' pages link to each other
)


@pytest.fixture
def server() -> Iterator[LocalServer]:
    """A running local HTTP server; every unknown path (robots.txt included) answers 404."""
    with LocalServer() as running:
        yield running


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(FAST) as client:
        yield client
