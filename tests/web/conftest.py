"""Fixtures for the web tests: a demo store built from samples/, the app over it, a live
uvicorn server on 127.0.0.1, and headless Chromium (Debian's package, driven by Playwright)."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.conftest import BACKENDS
from wirewatch.settings import Settings
from wirewatch.web import create_app

ROOT = Path(__file__).parents[2]
SAMPLES = ROOT / "samples"
SEED_ID = "f2dfca0c27519a6f"  # samples/afp-nato-ukraine-blog-repost.txt
ARTIFACTS = ROOT / "test-artifacts"
BROWSER_NAMES = ("chromium", "chromium-browser")


@pytest.fixture(scope="session", params=BACKENDS)
def demo_store(request: pytest.FixtureRequest, demo_db: Path) -> str:
    """The demo store on each backend: the SQLite file, then its PostgreSQL copy."""
    if request.param == "postgresql":
        return str(request.getfixturevalue("demo_postgres"))
    return str(demo_db)


@pytest.fixture(scope="session")
def client(demo_store: str) -> Iterator[TestClient]:
    with TestClient(create_app(demo_store, Settings()), raise_server_exceptions=False) as test:
        yield test


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class LiveServer:
    """uvicorn serving ``app`` on 127.0.0.1 in a thread, for a real browser."""

    def __init__(self, app: FastAPI) -> None:
        self.port = free_port()
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> LiveServer:
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server(demo_db: Path) -> Iterator[LiveServer]:
    with LiveServer(create_app(demo_db, Settings())) as server:
        yield server


def chromium_path() -> str | None:
    """The Chromium that scripts/install-browser.sh installs (or WIREWATCH_CHROMIUM)."""
    given = os.environ.get("WIREWATCH_CHROMIUM")
    if given:
        return given
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Chromium; skipped, saying why, only when no Chromium is installed."""
    executable = chromium_path()
    if executable is None:
        pytest.skip(
            "no Chromium found (looked for chromium, chromium-browser, $WIREWATCH_CHROMIUM): "
            "run scripts/install-browser.sh (make test does) to install Debian's chromium"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def narrow(browser: object) -> Iterator[object]:
    """A fresh browser page 400 px wide, as a phone shows it."""
    context = browser.new_context(viewport={"width": 400, "height": 800})  # type: ignore[attr-defined]
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def page(browser: object, request: pytest.FixtureRequest) -> Iterator[object]:
    """A fresh browser page; its screenshot is saved under test-artifacts/ after the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    opened = context.new_page()
    try:
        yield opened
    finally:
        ARTIFACTS.mkdir(exist_ok=True)
        opened.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
        context.close()
