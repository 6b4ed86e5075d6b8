"""Every fault a watched source can have gives that source a clear status; the rest goes on."""

from __future__ import annotations

import gzip
from datetime import timedelta

import pytest

from tests.run.watchkit import (
    FakeClock,
    feed_reply,
    item,
    reload,
    rss,
    serve_pages,
    watch,
    watcher,
    with_settings,
)
from tests.support.httpserver import LocalServer, Reply, redirect
from wirewatch.store import Store
from wirewatch.store.feeds import entry_counts, list_feeds

GOOD_ITEMS = [item("Story good", "/good", guid="g")]


def bad_sources(server: LocalServer) -> dict[str, tuple[Reply, str]]:
    """Path -> (what the server answers, the start of the feed's last_error)."""
    bomb = gzip.compress(b"<rss>" + b" " * 400_000 + b"</rss>")
    return {
        "/html": (Reply(body=b"<!doctype html><html><body>Hi</body></html>"), "[bad_feed]"),
        "/empty": (Reply(body=b""), "[bad_feed] not a feed: empty document"),
        "/e500": (Reply(status=500, body=b"oops"), "[http_status] HTTP 500"),
        "/slow": (Reply(delay=3.0, body=rss([])), "[timeout]"),
        "/loop": (redirect("/loop2"), "[too_many_redirects] redirect loop"),
        "/bomb": (
            Reply(body=bomb, headers={"Content-Encoding": "gzip"}),
            "[too_large]",
        ),
        "/xmlbomb": (
            Reply(body=b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><rss></rss>'),
            "[xml_bomb]",
        ),
    }


def test_one_round_with_many_bad_feeds_stores_the_good_one(
    server: LocalServer, store: Store
) -> None:
    serve_pages(server, "/good")
    server.route("/good-rss", feed_reply(rss([item("Story good", server.url("/good"), guid="g")])))
    server.route("/loop2", redirect("/loop"))
    expected = bad_sources(server)
    for path, (reply, _) in expected.items():
        server.route(path, reply)
    clock = FakeClock()
    for path in [*expected, "/good-rss"]:
        watch(store, server.url(path), clock)
    result = watcher(store, clock).run_round()
    assert result.stored == 1
    by_url = {feed.url: feed for feed in list_feeds(store)}
    for path, (_, error) in expected.items():
        feed = by_url[server.url(path)]
        assert (feed.last_error or "").startswith(error), (path, feed.last_error)
        assert feed.consecutive_errors == 1 and feed.enabled
    good = by_url[server.url("/good-rss")]
    assert good.last_error is None and entry_counts(store)[good.id]["stored"] == 1
    outcomes = result.outcomes()
    assert outcomes == {"failed": len(expected), "fetched": 1}


def test_a_truncated_feed_gives_the_entries_it_has_with_a_warning(
    server: LocalServer, store: Store
) -> None:
    a, b = serve_pages(server, "/a", "/b")
    whole = rss([item("Story a", a, guid="1"), item("Story b", b, guid="2")])
    server.route("/rss", feed_reply(whole[: whole.index(b"</item>") + 7 + 20]))
    clock = FakeClock()
    feed = watch(store, server.url("/rss"), clock)
    result = watcher(store, clock).run_round()
    assert result.stored >= 1 and server.hits("/a") == 1
    assert "malformed feed" in (reload(store, feed).last_warning or "")


@pytest.mark.parametrize(
    ("encoding", "title"),
    [("iso-8859-1", "Café à Genève"), ("windows-1251", "Новости Киева"), ("utf-16", "Kyiv talks")],
)
def test_feeds_in_odd_encodings_keep_their_titles(
    server: LocalServer, store: Store, encoding: str, title: str
) -> None:
    (a,) = serve_pages(server, "/a")
    server.route("/rss", feed_reply(rss([item(title, a, guid="1")], encoding=encoding)))
    clock = FakeClock()
    feed = watch(store, server.url("/rss"), clock)
    result = watcher(store, clock).run_round()
    assert result.stored == 1, result.failures
    stored_title = store.connection.execute("SELECT title FROM feed_entries").fetchone()[0]
    assert stored_title == title
    assert reload(store, feed).last_error is None


def test_410_gone_disables_the_feed_at_once(server: LocalServer, store: Store) -> None:
    server.route("/rss", Reply(status=410))
    clock = FakeClock()
    feed = watch(store, server.url("/rss"), clock)
    result = watcher(store, clock).run_round()
    assert result.feeds[0].outcome == "disabled"
    gone = reload(store, feed)
    assert not gone.enabled and (gone.disabled_reason or "").startswith(
        "gone: [http_status] HTTP 410"
    )
    clock.advance(10 * 86400)
    assert watcher(store, clock).run_round(force=True).feeds == []
    assert server.hits("/rss") == 1


@pytest.mark.parametrize(
    ("status", "retry_after", "seconds"),
    [(429, "7200", 7200), (503, "Tue, 01 Jan 2030 15:00:00 GMT", 3 * 3600)],
)
def test_retry_after_on_429_and_503_sets_the_next_check(
    server: LocalServer, store: Store, status: int, retry_after: str, seconds: int
) -> None:
    server.route("/rss", Reply(status=status, headers={"Retry-After": retry_after}))
    clock = FakeClock()  # 2030-01-01 12:00 UTC
    feed = watch(store, server.url("/rss"), clock)
    watcher(store, clock).run_round()
    after = reload(store, feed)
    assert after.next_check_at == (clock() + timedelta(seconds=seconds)).isoformat()
    assert after.consecutive_errors == 1 and after.enabled
    assert (after.last_error or "").endswith(f"(Retry-After: {seconds} s)")


def test_errors_back_off_exponentially_then_disable_the_feed(
    server: LocalServer, store: Store
) -> None:
    server.route("/rss", Reply(status=500))
    clock = FakeClock()
    feed = watch(store, server.url("/rss"), clock)
    settings = with_settings(watch_default_interval=600.0, watch_disable_after=3)
    waits = []
    for _ in range(3):
        watcher(store, clock, settings).run_round()
        state = reload(store, feed)
        from datetime import datetime

        waits.append((datetime.fromisoformat(state.next_check_at or "") - clock()).total_seconds())
        clock.now = datetime.fromisoformat(state.next_check_at or "")
    assert waits[:2] == [600.0, 1200.0]
    final = reload(store, feed)
    assert not final.enabled and final.consecutive_errors == 3
    assert (final.disabled_reason or "").startswith(
        "3 consecutive failed checks; last: [http_status]"
    )


def test_an_error_then_a_success_resets_the_errors(server: LocalServer, store: Store) -> None:
    server.route("/rss", Reply(status=500))
    clock = FakeClock()
    feed = watch(store, server.url("/rss"), clock)
    watcher(store, clock).run_round()
    server.route("/rss", feed_reply(rss([])))
    watcher(store, clock).run_round(force=True)
    state = reload(store, feed)
    assert (state.consecutive_errors, state.last_error, state.errors, state.checks) == (
        0,
        None,
        1,
        2,
    )


def test_a_permanent_redirect_updates_the_stored_url(server: LocalServer, store: Store) -> None:
    server.route("/old", redirect("/new", status=301))
    server.route("/new", feed_reply(rss([])))
    server.route("/temp", redirect("/new", status=302))
    clock = FakeClock()
    moved = watch(store, server.url("/old"), clock)
    temporary = watch(store, server.url("/temp"), clock)
    watcher(store, clock).run_round()
    assert reload(store, moved).url == server.url("/new")
    assert reload(store, temporary).url == server.url("/temp")


def test_future_and_unreadable_dates_are_kept_out_of_the_schedule(
    server: LocalServer, store: Store
) -> None:
    a, b, c = serve_pages(server, "/a", "/b", "/c")
    items = [
        item("Future", a, guid="1", date="Mon, 01 Jan 2100 00:00:00 GMT"),
        item("Garbled", b, guid="2", date="the day after tomorrow"),
        item("Past", c, guid="3", date="Tue, 01 Jan 2030 09:00:00 GMT"),
    ]
    server.route("/rss", feed_reply(rss(items)))
    clock = FakeClock()
    feed = watch(store, server.url("/rss"), clock)
    result = watcher(store, clock).run_round()
    assert result.stored == 3
    dates = dict(store.connection.execute("SELECT title, published FROM feed_entries"))
    assert dates == {
        "Future": "2100-01-01T00:00:00+00:00",
        "Garbled": None,
        "Past": "2030-01-01T09:00:00+00:00",
    }
    assert reload(store, feed).last_entry_at == "2030-01-01T09:00:00+00:00"


def test_the_interval_follows_how_often_the_feed_publishes(
    server: LocalServer, store: Store
) -> None:
    hours = [f"Tue, 01 Jan 2030 {h:02d}:00:00 GMT" for h in (11, 9, 7, 5)]
    items = [item(f"S{i}", None, guid=str(i), date=d) for i, d in enumerate(hours)]
    server.route("/rss", feed_reply(rss(items)))
    server.route("/ttl", feed_reply(rss(items, head="<ttl>300</ttl>")))
    server.route("/cached", feed_reply(rss(items), **{"Cache-Control": "max-age=36000"}))
    clock = FakeClock()
    every_two_hours = watch(store, server.url("/rss"), clock)
    with_ttl = watch(store, server.url("/ttl"), clock)
    cached = watch(store, server.url("/cached"), clock)
    watcher(store, clock).run_round()
    assert reload(store, every_two_hours).interval_seconds == 7200.0
    assert reload(store, with_ttl).interval_seconds == 300 * 60.0
    assert reload(store, cached).interval_seconds == 36000.0


def test_a_crash_while_checking_one_source_is_that_sources_failure(
    server: LocalServer, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import wirewatch.run.watch as watch_module

    real = watch_module.check_source

    def crashing(fetcher, source, settings, now):  # type: ignore[no-untyped-def]
        if source.url.endswith("/crash"):
            raise RuntimeError("parser exploded")
        return real(fetcher, source, settings, now)

    monkeypatch.setattr(watch_module, "check_source", crashing)
    (a,) = serve_pages(server, "/a")
    server.route("/rss", feed_reply(rss([item("Story a", a, guid="1")])))
    clock = FakeClock()
    crash = watch(store, server.url("/crash"), clock)
    watch(store, server.url("/rss"), clock)
    result = watcher(store, clock).run_round()
    assert result.stored == 1
    assert reload(store, crash).last_error == "[internal_error] RuntimeError: parser exploded"


def test_robots_txt_is_obeyed_for_feeds_and_entry_pages(server: LocalServer, store: Store) -> None:
    server.route(
        "/robots.txt",
        Reply(body=b"User-agent: *\nDisallow: /private\n", headers={"Content-Type": "text/plain"}),
    )
    body = "<p>Ceasefire talks resumed in Doha.</p><p>Mediators expect a deal.</p>"
    private, bare = server.url("/private/1"), server.url("/private/2")
    server.route(
        "/rss",
        feed_reply(
            rss([item("With text", private, guid="1", body=body), item("Bare", bare, guid="2")])
        ),
    )
    serve_pages(server, "/private/1", "/private/2", "/private/rss")
    clock = FakeClock()
    feed = watch(store, server.url("/rss"), clock)
    hidden = watch(store, server.url("/private/rss"), clock)
    result = watcher(store, clock).run_round()
    assert (result.stored, result.failed) == (1, 1)
    reasons = dict(store.connection.execute("SELECT title, reason FROM feed_entries"))
    assert reasons["With text"] is None
    assert reasons["Bare"].startswith("[robots_disallowed]")
    assert (reload(store, hidden).last_error or "").startswith("[robots_disallowed]")
    assert server.hits("/private/1") == server.hits("/private/2") == 0
    assert reload(store, feed).last_error is None
