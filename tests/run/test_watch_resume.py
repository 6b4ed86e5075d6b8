"""A round cut short after pages were fetched: the next round takes them from the store."""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.run.watchkit import (
    WATCH,
    FakeClock,
    feed_reply,
    item,
    rss,
    serve_pages,
    watch,
    watcher,
    with_settings,
)
from tests.support.httpserver import LocalServer, Reply
from wirewatch.run.watch import Watcher
from wirewatch.settings import Settings
from wirewatch.store import Store
from wirewatch.store.entry_pages import saved_page_count
from wirewatch.store.feeds import entry_counts, remove_feed

DOHA = "<p>Ceasefire talks resumed in Doha on Monday.</p><p>Mediators expect a deal.</p>"


class Killed(Exception):
    """Stands for a kill: the round ends at once, nothing after it runs."""


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as running:
        yield running


def killed_after_first_store(store: Store, clock: FakeClock, settings: Settings) -> Watcher:
    """A watcher that dies right after storing its first article, before marking its entry."""
    victim = watcher(store, clock, settings)

    def die(*args: object, **kwargs: object) -> None:
        raise Killed

    victim._finish = die  # type: ignore[method-assign]
    return victim


def saved_rows(store: Store) -> list[dict[str, object]]:
    rows = store.connection.execute("SELECT * FROM entry_pages ORDER BY entry_id").fetchall()
    return [dict(row) for row in rows]


@pytest.mark.parametrize("workers", [1, 2])
def test_pages_fetched_before_a_kill_are_not_fetched_again(
    tmp_path: Path, server: LocalServer, workers: int
) -> None:
    paths = ["/a", "/b", "/c", "/d"]
    urls = serve_pages(server, *paths)
    server.route("/rss", feed_reply(rss([item(u, u, guid=u) for u in urls])))
    settings = with_settings(watch_page_workers=workers)
    clock = FakeClock()
    with Store.open(tmp_path / "w.db") as store:
        feed = watch(store, server.url("/rss"), clock)
        with pytest.raises(Killed):
            killed_after_first_store(store, clock, settings).run_round()
        fetched = sum(server.hits(p) for p in paths)
        # /a is stored (its entry still pending); the pages fetched ahead of it are saved.
        assert fetched == workers
        assert saved_page_count(store) == workers

        again = watcher(store, clock, settings).run_round()
        assert (again.stored, again.already_stored, again.resumed) == (3, 1, workers - 1)
        assert [server.hits(p) for p in paths] == [1, 1, 1, 1]
        assert entry_counts(store)[feed.id] == {"stored": 4, "pending": 0, "failed": 0}
        assert saved_page_count(store) == 0  # no page body kept once its entry is done
        assert store.counts()["articles"] == 4


def test_a_saved_page_keeps_the_response_and_gives_the_same_article(
    server: LocalServer,
) -> None:
    body = (
        "<html><head><title>Doha talks</title></head><body><article><h1>Doha talks</h1>"
        f"{DOHA}</article></body></html>"
    ).encode()
    server.route(
        "/moved",
        Reply(status=301, headers={"Location": server.url("/doha")}),
    )
    server.route(
        "/doha",
        Reply(
            body=body,
            headers={
                "Content-Type": "text/html; charset=utf-8",
                "Content-Language": "en",
                "Set-Cookie": "session=secret",
            },
        ),
    )
    server.route("/rss", feed_reply(rss([item("Doha talks", server.url("/moved"), guid="1")])))
    clock = FakeClock()
    with Store.open(":memory:") as store:
        watch(store, server.url("/rss"), clock)
        with pytest.raises(Killed):
            killed_after_first_store(store, clock, WATCH).run_round()
        (row,) = saved_rows(store)
        assert row["url"] == server.url("/doha")
        assert (row["content_type"], row["encoding"]) == ("html", "utf-8")
        assert json.loads(str(row["headers"])) == {
            "content-type": "text/html; charset=utf-8",
            "content-language": "en",
        }
        metadata = json.loads(str(row["metadata"]))
        assert metadata == {"http_status": 200, "requested_url": server.url("/moved")}
        assert zlib.decompress(row["body"]) == body  # type: ignore[arg-type]
        assert row["error_code"] is None and row["fetched_at"]

        first = store.connection.execute("SELECT id, url, title, text FROM articles").fetchone()
        store.connection.execute("DELETE FROM articles")  # as if killed before storing it
        again = watcher(store, clock).run_round()
        assert (again.stored, again.resumed) == (1, 1)
        assert server.hits("/doha") == 1
        second = store.connection.execute("SELECT id, url, title, text FROM articles").fetchone()
        assert tuple(second) == tuple(first)
        assert saved_rows(store) == []


def test_a_failed_request_is_saved_and_its_fallback_needs_no_second_request(
    server: LocalServer,
) -> None:
    server.route("/rss", feed_reply(rss([item("Doha", server.url("/gone"), guid="1", body=DOHA)])))
    clock = FakeClock()
    with Store.open(":memory:") as store:
        watch(store, server.url("/rss"), clock)
        with pytest.raises(Killed):
            killed_after_first_store(store, clock, WATCH).run_round()
        (row,) = saved_rows(store)
        assert (row["error_code"], row["body"]) == ("http_status", None)
        store.connection.execute("DELETE FROM articles")
        again = watcher(store, clock).run_round()
        assert (again.stored, again.resumed) == (1, 1)
        assert server.hits("/gone") == 1
        (metadata,) = store.connection.execute("SELECT metadata FROM articles").fetchone()
        assert json.loads(metadata)["fallback_reason"].startswith("http_status: HTTP 404")


def test_a_damaged_saved_page_is_fetched_again(server: LocalServer) -> None:
    (url,) = serve_pages(server, "/a")
    server.route("/rss", feed_reply(rss([item("A", url, guid="1")])))
    clock = FakeClock()
    with Store.open(":memory:") as store:
        watch(store, server.url("/rss"), clock)
        with pytest.raises(Killed):
            killed_after_first_store(store, clock, WATCH).run_round()
        with store.transaction() as conn:
            conn.execute("UPDATE entry_pages SET body = ?", (b"not zlib at all",))
            conn.execute("DELETE FROM articles")
        again = watcher(store, clock).run_round()
        assert (again.stored, again.resumed) == (1, 0)
        assert server.hits("/a") == 2
        assert saved_rows(store) == []


def test_a_saved_page_over_the_size_cap_is_not_inflated(server: LocalServer) -> None:
    (url,) = serve_pages(server, "/a")
    server.route("/rss", feed_reply(rss([item("A", url, guid="1")])))
    clock = FakeClock()
    with Store.open(":memory:") as store:
        watch(store, server.url("/rss"), clock)
        with pytest.raises(Killed):
            killed_after_first_store(store, clock, WATCH).run_round()
        bomb = zlib.compress(b"<p>" + b"x" * (WATCH.max_document_bytes + 10))
        with store.transaction() as conn:
            conn.execute("UPDATE entry_pages SET body = ?", (bomb,))
            conn.execute("DELETE FROM articles")
        again = watcher(store, clock).run_round()
        assert (again.stored, again.resumed) == (1, 0)
        assert server.hits("/a") == 2


def test_a_removed_feed_takes_its_saved_pages_along(server: LocalServer) -> None:
    (url,) = serve_pages(server, "/a")
    server.route("/rss", feed_reply(rss([item("A", url, guid="1")])))
    clock = FakeClock()
    with Store.open(":memory:") as store:
        feed = watch(store, server.url("/rss"), clock)
        with pytest.raises(Killed):
            killed_after_first_store(store, clock, WATCH).run_round()
        assert saved_page_count(store) == 1
        remove_feed(store, feed.id)
        assert saved_page_count(store) == 0
