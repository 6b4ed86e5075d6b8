"""Timeline and map answers are kept until the store changes, and computed once at a time."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from pathlib import Path

import pytest

from tests.conftest import BACKENDS
from wirewatch.store import Store
from wirewatch.web.aggregates import Aggregates


def file_version(db: Path) -> Callable[[], Hashable]:
    """The version of the store at ``db``, read through a store of its own."""
    reader = Store.open(db)
    return reader.version


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_answer_is_kept_until_the_store_changes(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    target = str(tmp_path / "a.db")
    if backend == "postgresql":
        target = request.getfixturevalue("postgres_url")
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
