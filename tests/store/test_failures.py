"""Failures are rows too: recorded with what, where and why, and listed newest first."""

from __future__ import annotations

from pathlib import Path

from wirewatch.model import Failure
from wirewatch.store import Store


def test_failures_are_stored_and_listed_newest_first(store_path: Path) -> None:
    timeout = Failure(
        source="https://www.spacewar.com/reports/slow.html",
        stage="collect",
        code="timeout",
        message="no response in 20 s",
        time="2024-05-01T10:00:00+00:00",
    )
    no_text = Failure(
        source="dump.jsonl:12",
        stage="extract",
        code="no_text",
        message="the page holds no article text",
        time="2024-05-01T10:00:05+00:00",
        input_id="rec-12",
    )
    with Store.open(store_path) as store:
        store.add_failure(timeout)
        store.add_failure(no_text)

    with Store.open(store_path) as reopened:
        assert reopened.failures() == [no_text, timeout]
        assert reopened.failures(limit=1) == [no_text]
        assert reopened.counts()["failures"] == 2


def test_a_repeated_failure_is_recorded_each_time(store: Store) -> None:
    failure = Failure(source="feed.xml", stage="collect", code="bad_feed", message="not XML")
    store.add_failure(failure)
    store.add_failure(failure)
    assert store.failures() == [failure, failure]
