"""The feeds and feed_entries tables: a check and its entries are written together or not at all."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from wirewatch.collect.entries import SourceEntry
from wirewatch.model import Article
from wirewatch.store import Store
from wirewatch.store.feeds import (
    FeedUpdate,
    add_feed,
    entry_counts,
    find_feed,
    finish_entry,
    pending_entries,
    record_check,
    stored_article_for,
)

NOW = "2030-01-01T12:00:00+00:00"


@pytest.fixture
def store() -> Iterator[Store]:
    with Store.open(":memory:") as opened:
        yield opened


def update(url: str, **changes: object) -> FeedUpdate:
    values: dict[str, object] = dict(
        outcome="fetched", url=url, kind="feed", title="Wire", identity="guid", etag='"e"',
        last_modified=None, last_checked_at=NOW, next_check_at="2030-01-01T13:00:00+00:00",
        interval_seconds=3600.0, consecutive_errors=0, last_status=200, last_error=None,
        last_warning=None, last_entry_at=None, enabled=True, disabled_reason=None,
    )  # fmt: skip
    values.update(changes)
    return FeedUpdate(**values)  # type: ignore[arg-type]


def test_a_check_writes_state_and_only_unseen_entries(store: Store) -> None:
    feed, _ = add_feed(store, "https://e.org/rss", "feed", now=NOW)
    entries = [SourceEntry("guid:1", "https://e.org/1"), SourceEntry("guid:2", "https://e.org/2")]
    assert record_check(store, feed.id, update(feed.url), entries, now=NOW) == 2
    assert record_check(store, feed.id, update(feed.url), entries[:1], now=NOW) == 0
    state = find_feed(store, str(feed.id))
    assert state is not None
    assert (state.etag, state.checks, state.entries_found, state.title) == ('"e"', 2, 2, "Wire")
    assert [entry.key for entry in pending_entries(store)] == ["guid:1", "guid:2"]


def test_a_check_that_cannot_be_written_leaves_nothing_behind(store: Store) -> None:
    feed, _ = add_feed(store, "https://e.org/rss", "feed", now=NOW)
    unwritable = SourceEntry("guid:2", "https://e.org/2", metadata={"bad": object()})
    with pytest.raises(TypeError):
        record_check(
            store, feed.id, update(feed.url), [SourceEntry("guid:1", None), unwritable], now=NOW
        )
    state = find_feed(store, str(feed.id))
    assert state is not None and (state.checks, state.etag) == (0, None)
    assert pending_entries(store) == []


def test_a_move_onto_another_watched_url_keeps_the_old_url(store: Store) -> None:
    old, _ = add_feed(store, "https://e.org/old", "feed", now=NOW)
    add_feed(store, "https://e.org/new", "feed", now=NOW)
    record_check(store, old.id, update("https://e.org/new"), [], now=NOW)
    state = find_feed(store, str(old.id))
    assert state is not None and state.url == "https://e.org/old"
    assert state.last_warning == "moved to https://e.org/new, which is watched already"


def test_an_entry_is_known_stored_by_url_canonical_url_or_source(store: Store) -> None:
    feed, _ = add_feed(store, "https://e.org/rss", "feed", now=NOW)
    article = Article(
        text="Talks resumed.", source="https://e.org/rss#7", url="https://e.org/final",
        canonical_url="https://e.org/canonical",
    )  # fmt: skip
    store.add_article(article)
    assert stored_article_for(store, "https://e.org/final") == article.id
    assert stored_article_for(store, "https://e.org/canonical") == article.id
    assert (
        stored_article_for(store, "https://e.org/link", source="https://e.org/rss#7") == article.id
    )
    assert stored_article_for(store, "https://e.org/other") is None
    record_check(store, feed.id, update(feed.url), [SourceEntry("k", "https://e.org/x")], now=NOW)
    (entry,) = pending_entries(store)
    finish_entry(store, entry.id, "stored", reason="already stored", now=NOW)
    assert stored_article_for(store, "https://e.org/x") == ""
    assert entry_counts(store) == {feed.id: {"stored": 1, "pending": 0, "failed": 0}}
