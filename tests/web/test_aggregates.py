"""Charts, the site list and searches are kept until the store changes, computed once at a time."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from wirewatch.model import Article
from wirewatch.settings import Settings
from wirewatch.store import Store, browse
from wirewatch.web import create_app, readers
from wirewatch.web.aggregates import Aggregates


def file_version(db: Path) -> Callable[[], Hashable]:
    """The version of the store at ``db``, read through a store of its own."""
    reader = Store.open(db)
    return reader.version


def test_an_answer_is_kept_until_the_store_changes(store_target: str) -> None:
    target = store_target
    with Store.open(target) as reader:
        kept = Aggregates(reader.version)
        computed: list[int] = []

        def compute() -> int:
            computed.append(1)
            return len(computed)

        assert kept.get("days", compute) == 1
        assert kept.get("days", compute) == 1
        assert kept.get("places", compute) == 2  # another key: its own answer
        with Store.open(target) as writer, writer.transaction() as tx:  # as another process
            tx.execute("INSERT INTO sites (host, name) VALUES ('x.example', 'X')")
        # PostgreSQL's counts of rows written reach other sessions within about a second.
        deadline = time.monotonic() + 5
        while kept.get("days", compute) != 3 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert kept.get("days", compute) == 3


def test_clients_asking_at_once_wait_for_one_computation(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    Store.open(db).close()
    kept = Aggregates(file_version(db))
    computed: list[int] = []

    def compute() -> int:
        computed.append(1)
        time.sleep(0.3)
        return 7

    answers: list[int] = []
    threads = [
        threading.Thread(target=lambda: answers.append(kept.get("map", compute))) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [7] * 8
    assert len(computed) == 1


def test_the_oldest_answers_go_past_the_size(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    Store.open(db).close()
    kept = Aggregates(file_version(db), size=2)
    calls: list[str] = []
    for key in ("a", "b", "c", "a"):
        kept.get(key, lambda k=key: calls.append(k) or k)  # type: ignore[misc]
    assert calls == ["a", "b", "c", "a"]


def test_a_changed_store_is_served_the_kept_answer_within_max_age(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    Store.open(db).close()
    kept = Aggregates(file_version(db), max_age=0.5)
    computed: list[int] = []

    def compute() -> int:
        computed.append(1)
        return len(computed)

    assert kept.get("days", compute) == 1
    with Store.open(db) as store, store.transaction() as tx:
        tx.execute("INSERT INTO sites (host, name) VALUES ('x.example', 'X')")
    assert kept.get("days", compute) == 1  # changed, but computed less than 0.5 s ago
    time.sleep(0.6)
    assert kept.get("days", compute) == 2


def test_the_site_list_is_kept_and_follows_the_store_once_it_changed(tmp_path: Path) -> None:
    def story(site: str, n: int) -> Article:
        text = f"Ferry {n} sailed from Bergen on time, the harbour office said."
        return Article(text=text, source=f"t{n}", url=f"https://{site}.example/{n}", site=site)

    db = tmp_path / "w.db"
    with Store.open(db) as store:
        store.add_article(story("Fjord Post", 1))
    kept = TestClient(create_app(db, Settings(web_chart_max_age=3600)))
    fresh = TestClient(create_app(db, Settings(web_chart_max_age=0)))
    for client in (kept, fresh):
        assert '<option value="Fjord Post">' in client.get("/").text
    with Store.open(db) as store:
        store.add_article(story("Harbour Daily", 2))
    assert '<option value="Harbour Daily">' not in kept.get("/").text  # kept for up to an hour
    for path in ("/", "/articles"):
        assert '<option value="Harbour Daily">' in fresh.get(path).text


@pytest.mark.parametrize("cache", [True, False])
def test_a_search_answer_is_kept_only_until_the_store_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cache: bool
) -> None:
    searched: list[str] = []

    def counted(conn: Any, query: str, *args: Any) -> Any:
        searched.append(query)
        return browse.search_articles(conn, query, *args)

    monkeypatch.setattr(readers, "search_articles", counted)
    db = tmp_path / "w.db"
    ferry = Article(text="The ferry sailed from Bergen on Monday.", source="t1", site="Fjord")
    with Store.open(db) as store:
        store.add_article(ferry)
    # One portal for every request: its threads keep their store connections open, as a
    # server's do (the last connection to close removes the write-ahead log: a change).
    # The search cache alone: whole answers are not kept either (web/answer_cache.py).
    settings = Settings(web_search_cache=cache, web_answer_cache_bytes=0)
    with TestClient(create_app(db, settings)) as client:
        client.get("/api/articles")
        first = client.get("/api/search?q=ferry").json()
        assert client.get("/api/search?q=ferry").json() == first
        assert len(first["items"]) == 1
        assert len(searched) == (1 if cache else 2)
        page = client.get("/search?q=ferry").text  # the page's table: kept by the same rule
        assert page.count('class="article-item"') == 1
        with Store.open(db) as store:
            store.add_article(replace(ferry, text="A second ferry sailed on Tuesday.", source="t2"))
        assert len(client.get("/api/search?q=ferry").json()["items"]) == 2  # never stale
        assert len(searched) == (2 if cache else 3)
        assert client.get("/search?q=ferry").text.count('class="article-item"') == 2


def test_no_lock_is_left_behind_for_each_key_asked(tmp_path: Path) -> None:
    # Search words are as many as clients make up: nothing may grow with them but the answers.
    db = tmp_path / "a.db"
    Store.open(db).close()
    kept = Aggregates(file_version(db), size=4)

    def refuse() -> int:
        raise ValueError("no")

    for n in range(100):
        assert kept.get(("search", str(n)), lambda: 1) == 1
        with pytest.raises(ValueError):
            kept.get(("bad", str(n)), refuse)
    assert len(kept._answers) == 4
    assert kept._computing == {}
