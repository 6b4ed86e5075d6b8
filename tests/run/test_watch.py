"""The watcher end to end against local servers: new entries stored once, faults per feed."""

from __future__ import annotations

from tests.run.watchkit import (
    WATCH,
    FakeClock,
    feed_reply,
    item,
    reload,
    rss,
    serve_pages,
    watch,
    watcher,
)
from tests.stories.syndication import COPIES
from tests.support.httpserver import LocalServer, Reply, SeenRequest, html
from wirewatch.run.watch import Watcher
from wirewatch.store import Store
from wirewatch.store.feeds import entry_counts
from wirewatch.store.stories import list_stories

DOHA = "<p>Ceasefire talks resumed in Doha on Monday.</p><p>Mediators expect a deal.</p>"
BUDGET = "<p>The parliament approved the budget on Tuesday.</p><p>The vote was close.</p>"


def titles(store: Store) -> list[str]:
    rows = store.connection.execute("SELECT title FROM articles ORDER BY seq").fetchall()
    return [row[0] for row in rows]


def test_a_round_stores_each_new_entry_once_and_the_next_round_only_new_ones(
    server: LocalServer, store: Store
) -> None:
    a, b, c = serve_pages(server, "/a", "/b", "/c")
    items = [item("Story a", a, guid="1"), item("Story b", b, guid="2")]
    server.route("/rss", feed_reply(rss(items)))
    clock = FakeClock()
    feed = watch(store, server.url("/rss"), clock)
    first = watcher(store, clock).run_round()
    assert (first.new_entries, first.stored, first.failed) == (2, 2, 0)
    assert titles(store) == ["Story a", "Story b"]

    server.route("/rss", feed_reply(rss([item("Story c", c, guid="3"), *items])))
    clock.advance(reload(store, feed).interval_seconds or 0)
    second = watcher(store, clock).run_round()
    assert (second.new_entries, second.stored) == (1, 1)
    assert [server.hits(p) for p in ("/a", "/b", "/c")] == [1, 1, 1]
    assert entry_counts(store)[feed.id] == {"stored": 3, "pending": 0, "failed": 0}


def test_a_feed_not_yet_due_is_not_fetched(server: LocalServer, store: Store) -> None:
    server.route("/rss", feed_reply(rss([])))
    clock = FakeClock()
    watch(store, server.url("/rss"), clock)
    watcher(store, clock).run_round()
    clock.advance(10)
    assert watcher(store, clock).run_round().feeds == []
    assert watcher(store, clock).run_round(force=True).feeds[0].outcome == "fetched"
    assert server.hits("/rss") == 2


def test_conditional_get_sends_validators_and_a_304_fetches_no_entries(
    server: LocalServer, store: Store
) -> None:
    (a,) = serve_pages(server, "/a")
    body = rss([item("Story a", a, guid="1")])
    seen: list[SeenRequest] = []

    def conditional(request: SeenRequest) -> Reply:
        seen.append(request)
        if request.headers.get("if-none-match") == '"v1"':
            return Reply(status=304, headers={"ETag": '"v1"'})
        return feed_reply(body, ETag='"v1"', **{"Last-Modified": "Tue, 01 Jan 2030 10:00:00 GMT"})

    server.route("/rss", conditional)
    clock = FakeClock()
    feed = watch(store, server.url("/rss"), clock)
    watcher(store, clock).run_round()
    stored = reload(store, feed)
    assert (stored.etag, stored.last_modified) == ('"v1"', "Tue, 01 Jan 2030 10:00:00 GMT")

    result = watcher(store, clock).run_round(force=True)
    assert result.feeds[0].outcome == "not_modified"
    assert result.new_entries == 0
    assert seen[-1].headers["if-none-match"] == '"v1"'
    assert seen[-1].headers["if-modified-since"] == "Tue, 01 Jan 2030 10:00:00 GMT"
    assert server.hits("/a") == 1
    assert reload(store, feed).not_modified == 1


def test_the_same_article_in_two_feeds_is_fetched_once(server: LocalServer, store: Store) -> None:
    (shared,) = serve_pages(server, "/shared")
    server.route("/one", feed_reply(rss([item("Shared", shared, guid="x")])))
    server.route("/two", feed_reply(rss([item("Shared story", shared, guid="other-guid")])))
    clock = FakeClock()
    one = watch(store, server.url("/one"), clock)
    two = watch(store, server.url("/two"), clock)
    result = watcher(store, clock).run_round()
    assert server.hits("/shared") == 1
    assert (result.stored, result.already_stored) == (1, 1)
    counts = entry_counts(store)
    assert counts[one.id]["stored"] == counts[two.id]["stored"] == 1


def test_a_feed_repeating_guids_for_different_links_is_known_by_link(
    server: LocalServer, store: Store
) -> None:
    a, b = serve_pages(server, "/a", "/b")
    server.route("/rss", feed_reply(rss([item("A", a, guid="same"), item("B", b, guid="same")])))
    clock = FakeClock()
    feed = watch(store, server.url("/rss"), clock)
    result = watcher(store, clock).run_round()
    assert result.stored == 2
    assert reload(store, feed).identity == "link"
    assert "repeats GUIDs" in (reload(store, feed).last_warning or "")


def test_entries_without_guid_or_link_are_told_apart_by_title_and_date(
    server: LocalServer, store: Store
) -> None:
    items = [
        item("Only text one", body=DOHA),
        item("Only text two", body=BUDGET),
        item("Only text one", body=DOHA),
    ]
    server.route("/rss", feed_reply(rss(items)))
    clock = FakeClock()
    watch(store, server.url("/rss"), clock)
    result = watcher(store, clock).run_round()
    assert (result.new_entries, result.stored) == (2, 2)
    assert sorted(titles(store)) == ["Only text one", "Only text two"]


def test_a_page_that_cannot_be_fetched_falls_back_to_the_entry_content(
    server: LocalServer, store: Store
) -> None:
    server.route("/rss", feed_reply(rss([item("Doha", server.url("/gone"), guid="1", body=DOHA)])))
    clock = FakeClock()
    feed = watch(store, server.url("/rss"), clock)
    result = watcher(store, clock).run_round()
    assert result.stored == 1
    article = store.get_article(store.connection.execute("SELECT id FROM articles").fetchone()[0])
    assert article is not None and article.metadata["fallback"] == "feed_entry"
    assert "http_status" in article.metadata["fallback_reason"]
    assert entry_counts(store)[feed.id]["stored"] == 1


def test_an_entry_with_neither_page_nor_content_fails_with_its_reason(
    server: LocalServer, store: Store
) -> None:
    server.route("/rss", feed_reply(rss([item("Missing", server.url("/missing"), guid="1")])))
    clock = FakeClock()
    feed = watch(store, server.url("/rss"), clock)
    result = watcher(store, clock).run_round()
    assert result.failed == 1
    assert entry_counts(store)[feed.id]["failed"] == 1
    reason = store.connection.execute("SELECT reason FROM feed_entries").fetchone()[0]
    assert reason.startswith("[http_status] HTTP 404")


def test_stop_leaves_the_rest_pending_for_the_next_run(server: LocalServer, store: Store) -> None:
    urls = serve_pages(server, "/a", "/b", "/c")
    server.route("/rss", feed_reply(rss([item(u, u, guid=u) for u in urls])))
    clock = FakeClock()
    watch(store, server.url("/rss"), clock)
    first = watcher(store, clock)
    original = first._finish

    def finish_then_stop(*args: object, **kwargs: object) -> None:
        original(*args, **kwargs)  # type: ignore[arg-type]
        first.stop.set()

    first._finish = finish_then_stop  # type: ignore[method-assign]
    result = first.run_round()
    assert (result.stored, result.pending) == (1, 2)
    second = watcher(store, clock).run_round()
    assert (second.stored, second.pending) == (2, 0)
    assert [server.hits(p) for p in ("/a", "/b", "/c")] == [1, 1, 1]


def test_an_html_page_where_the_feed_was_is_a_clear_failure(
    server: LocalServer, store: Store
) -> None:
    server.route("/rss", html("<html><body><p>We moved!</p></body></html>"))
    clock = FakeClock()
    feed = watch(store, server.url("/rss"), clock)
    result = watcher(store, clock).run_round()
    assert result.feeds[0].outcome == "failed"
    assert (reload(store, feed).last_error or "").startswith("[bad_feed] not a feed")


def test_new_entries_are_analysed_by_the_whole_pipeline(server: LocalServer, store: Store) -> None:
    server.route(
        "/kyiv",
        html(
            "<html><body><article><h1>NATO chief in Kyiv</h1>"
            "<p>NATO Secretary General Jens Stoltenberg visited Kyiv on Monday.</p>"
            "<p>Stoltenberg met Ukrainian President Petro Poroshenko in the capital.</p>"
            "</article></body></html>"
        ),
    )
    server.route("/rss", feed_reply(rss([item("NATO chief in Kyiv", server.url("/kyiv"))])))
    clock = FakeClock()
    watch(store, server.url("/rss"), clock)
    result = Watcher(store, WATCH, stages="all", clock=clock).run_round()
    assert result.stored == 1
    names = {row[0] for row in store.connection.execute("SELECT canonical FROM entities")}
    assert "Jens Stoltenberg" in names


def test_copies_of_one_wire_story_in_two_feeds_are_one_story(
    server: LocalServer, store: Store
) -> None:
    links = []
    for n, (_, title, text) in enumerate(COPIES[:3]):
        paragraphs = "".join(f"<p>{line}</p>" for line in text.splitlines() if line)
        server.route(f"/copy{n}", html(
            f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"{paragraphs}</article></body></html>"
        ))  # fmt: skip
        links.append(server.url(f"/copy{n}"))
    server.route("/one", feed_reply(rss([item("A", links[0], guid="a"), item("B", links[1])])))
    server.route("/two", feed_reply(rss([item("C", links[2], guid="c")])))
    clock = FakeClock()
    watch(store, server.url("/one"), clock)
    watch(store, server.url("/two"), clock)
    result = watcher(store, clock).run_round()
    assert result.stored == 3 and not result.failures
    (story,) = list_stories(store)
    assert story.copies == 3
