"""Helpers for the watcher tests: feeds and pages served locally, a store, a fast watcher."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from tests.support.httpserver import LocalServer, Reply, html
from wirewatch.run.watch import Watcher
from wirewatch.settings import Settings
from wirewatch.store import Store
from wirewatch.store.feeds import Feed, add_feed, find_feed

# Short timeouts, a tiny host delay, no jitter: fast and predictable rounds.
WATCH = Settings(
    http_connect_timeout=1.0,
    http_read_timeout=1.0,
    http_total_timeout=2.0,
    max_document_bytes=100_000,
    max_decompressed_bytes=200_000,
    watch_host_delay=0.01,
    watch_jitter=0.0,
    watch_disable_after=3,
    fetch_allow_networks="127.0.0.0/8,::1",  # watched feeds come from data: local ones need this
)
START = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def rss(items: list[str], *, head: str = "", encoding: str = "utf-8") -> bytes:
    text = (
        f'<?xml version="1.0" encoding="{encoding}"?>\n<rss version="2.0"><channel>'
        f"<title>Wire</title>{head}{''.join(items)}</channel></rss>"
    )
    return text.encode(encoding)


def item(
    title: str,
    link: str | None = None,
    *,
    guid: str | None = None,
    date: str | None = None,
    body: str | None = None,
) -> str:
    parts = [f"<title>{title}</title>"]
    if link is not None:
        parts.append(f"<link>{link}</link>")
    if guid is not None:
        parts.append(f'<guid isPermaLink="false">{guid}</guid>')
    if date is not None:
        parts.append(f"<pubDate>{date}</pubDate>")
    if body is not None:
        parts.append(f"<description><![CDATA[{body}]]></description>")
    return f"<item>{''.join(parts)}</item>"


def feed_reply(body: bytes, **headers: str) -> Reply:
    return Reply(body=body, headers={"Content-Type": "application/rss+xml", **headers})


def page(headline: str) -> Reply:
    """An article page whose text names its headline, so tests can tell pages apart."""
    return html(
        f"<html><head><title>{headline}</title></head><body><article><h1>{headline}</h1>"
        f"<p>{headline}: the ministry confirmed the decision on Monday, officials said.</p>"
        f"<p>Talks in Geneva will continue next week, according to the statement.</p>"
        "</article></body></html>"
    )


def serve_pages(server: LocalServer, *paths: str) -> list[str]:
    """Route an article page at each path; return their URLs."""
    for path in paths:
        server.route(path, page(f"Story {path.strip('/')}"))
    return [server.url(path) for path in paths]


def watcher(
    store: Store, clock: FakeClock, settings: Settings = WATCH, **kwargs: object
) -> Watcher:
    return Watcher(
        store,
        settings,
        stages="extract",
        clock=clock,
        rng=random.Random(7),
        **kwargs,  # type: ignore[arg-type]
    )


def watch(store: Store, url: str, clock: FakeClock, kind: str = "feed") -> Feed:
    feed, _ = add_feed(store, url, kind, now=clock().isoformat())  # type: ignore[arg-type]
    return feed


def reload(store: Store, feed: Feed) -> Feed:
    found = find_feed(store, str(feed.id))
    assert found is not None
    return found


def with_settings(**changes: object) -> Settings:
    return replace(WATCH, **changes)  # type: ignore[arg-type]
