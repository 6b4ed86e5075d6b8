"""Answers kept until the store changes (``web/answer_cache.py``): the same page is made once
per store version, never for a request with a token, and a write makes it anew."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.types import Receive, Scope, Send

from tests.store.builders import short_article
from wirewatch.settings import Settings
from wirewatch.store import Store
from wirewatch.web import create_app
from wirewatch.web.answer_cache import MAX_ANSWER_BYTES, AnswerCache

TOKEN = "cache-test-token"


class Pages:
    """A small ASGI app that counts the pages it makes: ``/big`` is over the size kept,
    ``/missing`` a 404, anything else a page naming the store version it was made at."""

    def __init__(self) -> None:
        self.made = 0
        self.version = (1,)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.made += 1
        status, body = 200, f"{scope['path']} at {self.version}".encode()
        if scope["path"] == "/big":
            body = b"x" * (MAX_ANSWER_BYTES + 1)
        elif scope["path"] == "/missing":
            status = 404
        headers = [(b"content-type", b"text/plain"), (b"content-length", b"%d" % len(body))]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def client_over(pages: Pages, max_bytes: int = 1 << 20) -> TestClient:
    return TestClient(AnswerCache(pages, version=lambda: pages.version, max_bytes=max_bytes))


def test_the_same_page_is_made_once_per_store_version() -> None:
    pages = Pages()
    client = client_over(pages)
    first = client.get("/events?country=UKR")
    assert client.get("/events?country=UKR").text == first.text
    assert pages.made == 1
    client.get("/events?country=RUS")  # another query string: another page
    assert pages.made == 2
    pages.version = (2,)  # the store changed: the next answer is made anew
    assert client.get("/events?country=UKR").text.endswith("(2,)")
    assert pages.made == 3


@pytest.mark.parametrize(
    ("method", "path", "headers"),
    [
        ("GET", "/events", {"Authorization": "Bearer x"}),  # may see what others do not
        ("GET", "/missing", {}),  # not a 200
        ("GET", "/big", {}),  # over the size kept
        ("GET", "/static/style.css", {}),
        ("POST", "/events", {}),
    ],
)
def test_what_is_never_kept(method: str, path: str, headers: dict[str, str]) -> None:
    pages = Pages()
    client = client_over(pages)
    for _ in range(2):
        client.request(method, path, headers=headers)
    assert pages.made == 2


def test_the_least_recently_given_go_first_past_the_byte_budget() -> None:
    pages = Pages()
    size = len("/a at (1,)")
    client = client_over(pages, max_bytes=2 * size)
    for path in ("/a", "/b", "/a", "/c"):  # /c pushes out /b, the least recently given
        client.get(path)
    made = pages.made
    client.get("/a")
    client.get("/c")
    assert pages.made == made
    client.get("/b")
    assert pages.made == made + 1


def test_a_budget_of_nothing_keeps_nothing() -> None:
    pages = Pages()
    client = client_over(pages, max_bytes=0)
    client.get("/a")
    client.get("/a")
    assert pages.made == 2


def feeds(client: TestClient) -> list[Any]:
    items: list[Any] = client.get("/api/feeds").json()["items"]
    return items


def test_a_write_through_the_server_is_seen_by_the_next_read(tmp_path: Path) -> None:
    values = {"web_api_token": TOKEN, "fetch_allow_networks": "127.0.0.0/8"}
    settings = Settings.from_sources(values, environ={})  # a feed on this machine may be added
    with TestClient(create_app(tmp_path / "s.db", settings)) as client:
        assert feeds(client) == []
        added = client.post(
            "/api/feeds",
            json={"url": "http://127.0.0.1:9/feed.xml"},
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
        assert added.status_code in (200, 201), added.text
        assert [feed["url"] for feed in feeds(client)] == ["http://127.0.0.1:9/feed.xml"]


def test_a_write_by_another_process_is_seen(store_target: str) -> None:
    with (
        Store.open(store_target) as store,
        TestClient(create_app(store_target, Settings())) as client,
    ):
        assert client.get("/api/articles").json()["items"] == []
        store.add_articles([short_article("Kremlin spokesman Dmitry Peskov said.", None)])
        ends = time.monotonic() + 10  # at once on SQLite; PostgreSQL's counters take a moment
        while not client.get("/api/articles").json()["items"]:
            assert time.monotonic() < ends, "the new article never showed"
            time.sleep(0.2)


def test_the_quick_version_is_the_stores_own_and_asked_without_a_thread(
    store_target: str,
) -> None:
    """An SQLite file's version is read from the files on the event loop, and is exactly what
    a store gives; PostgreSQL has none (a query, so a worker thread asks it)."""
    from wirewatch.store.pool import StorePool

    pool = StorePool(store_target)
    try:
        with Store.open(store_target) as store:
            quick = pool.quick_version()
            if store_target.startswith("postgresql"):
                assert quick is None
                return
            assert quick == store.version()
            store.add_articles([short_article("Kremlin spokesman Dmitry Peskov said.", None)])
            assert pool.quick_version() == store.version() != quick
    finally:
        pool.close()

    pages = Pages()
    asked: list[str] = []

    def blocking() -> tuple[Any, ...]:
        asked.append("thread")
        return pages.version

    cache = AnswerCache(pages, version=blocking, max_bytes=1 << 20, quick_version=lambda: (1,))
    client = TestClient(cache)
    client.get("/events")
    client.get("/events")
    assert (pages.made, asked) == (1, [])
