"""Sitemaps: urlsets, indexes (bounded), gzip, Google News metadata, hostile XML."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from tests.collect.conftest import FAST
from tests.run.watchkit import FakeClock, serve_pages, watch, watcher
from tests.support.httpserver import LocalServer, Reply
from wirewatch.collect import iter_documents
from wirewatch.collect.http import Fetcher
from wirewatch.collect.sitemaps import looks_like_sitemap, parse_sitemap, read_sitemap
from wirewatch.errors import CollectError
from wirewatch.model import RawDocument
from wirewatch.settings import Settings
from wirewatch.store import Store
from wirewatch.store.feeds import entry_counts, find_feed

NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
NEWS = 'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'


def urlset(*urls: str, extra: str = "") -> bytes:
    body = "".join(f"<url><loc>{url}</loc>{extra}</url>" for url in urls)
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset {NS} {NEWS}>{body}</urlset>'.encode()


def index(*children: str) -> bytes:
    body = "".join(f"<sitemap><loc>{child}</loc></sitemap>" for child in children)
    return f'<?xml version="1.0"?><sitemapindex {NS}>{body}</sitemapindex>'.encode()


def xml(body: bytes, **headers: str) -> Reply:
    return Reply(body=body, headers={"Content-Type": "application/xml", **headers})


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as running:
        yield running


def read(server: LocalServer, path: str, settings: Settings = FAST) -> list[str]:
    with Fetcher(settings) as fetcher:
        document = fetcher.fetch(server.url(path))
        return [entry.url or "" for entry in read_sitemap(document, fetcher, settings).entries]


def test_google_news_fields_become_title_date_and_metadata() -> None:
    news = (
        "<lastmod>2024-05-02</lastmod><news:news><news:publication><news:name>Wire</news:name>"
        "<news:language>uk</news:language></news:publication>"
        "<news:publication_date>2024-05-01T10:00:00+02:00</news:publication_date>"
        "<news:title>Talks in Kyiv</news:title></news:news>"
    )
    document = RawDocument(source="s.xml", content=urlset("https://e.org/a", extra=news))
    (entry,) = read_sitemap(document, None, FAST).entries
    assert (entry.key, entry.title, entry.published) == (
        "link:https://e.org/a",
        "Talks in Kyiv",
        "2024-05-01T08:00:00+00:00",
    )
    assert entry.metadata == {
        "lastmod": "2024-05-02T00:00:00+00:00",
        "language": "uk",
        "publication": "Wire",
        "google_news": True,
    }


def test_an_index_is_followed_with_gzip_files_and_gzip_encoding(server: LocalServer) -> None:
    server.route("/index.xml", xml(index(server.url("/a.xml.gz"), server.url("/b.xml"))))
    server.route("/a.xml.gz", Reply(body=gzip.compress(urlset("https://e.org/1"))))
    server.route(
        "/b.xml", xml(gzip.compress(urlset("https://e.org/2")), **{"Content-Encoding": "gzip"})
    )
    assert read(server, "/index.xml") == ["https://e.org/1", "https://e.org/2"]


def test_index_recursion_is_bounded_in_depth_and_count(server: LocalServer) -> None:
    # An index that lists itself and a chain of ever deeper indexes.
    for depth in range(6):
        children = [server.url(f"/i{depth + 1}.xml"), server.url(f"/i{depth}.xml")]
        server.route(f"/i{depth}.xml", xml(index(*children)))
    server.route("/i6.xml", xml(urlset("https://e.org/deep")))
    assert read(server, "/i0.xml", replace(FAST, sitemap_max_depth=3)) == []
    assert server.hits("/i0.xml") == 1  # listed by itself, read once
    assert [server.hits(f"/i{d}.xml") for d in range(1, 5)] == [1, 1, 1, 0]
    assert read(server, "/i0.xml", replace(FAST, sitemap_max_depth=9)) == ["https://e.org/deep"]
    many = [server.url(f"/m{i}.xml") for i in range(10)]
    for i in range(10):
        server.route(f"/m{i}.xml", xml(urlset(f"https://e.org/m{i}")))
    server.route("/many.xml", xml(index(*many)))
    assert len(read(server, "/many.xml", replace(FAST, sitemap_max_files=4))) == 3


def test_a_failing_child_is_a_problem_not_the_end(server: LocalServer) -> None:
    server.route("/index.xml", xml(index(server.url("/missing.xml"), server.url("/ok.xml"))))
    server.route("/ok.xml", xml(urlset("https://e.org/ok")))
    with Fetcher(FAST) as fetcher:
        visit = read_sitemap(fetcher.fetch(server.url("/index.xml")), fetcher, FAST)
    assert [e.url for e in visit.entries] == ["https://e.org/ok"]
    assert visit.problems == [f"{server.url('/missing.xml')}: [http_status] HTTP 404 Not Found"]


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY a "x">]><urlset>&a;</urlset>', "xml_bomb"),
        (b"<html><body>not here</body></html>", "bad_sitemap"),
        (b"<urlset><url><loc>https://e.org/a</loc>", "bad_sitemap"),
        (b"", "bad_sitemap"),
        (gzip.compress(b"<urlset>" + b" " * 300_000 + b"</urlset>"), "too_large"),
        (gzip.compress(urlset("https://e.org/a"))[:-10], "bad_gzip"),
    ],
)
def test_bad_sitemaps_fail_with_their_code(content: bytes, code: str) -> None:
    with pytest.raises(CollectError) as caught:
        parse_sitemap(content, FAST)
    assert caught.value.code == code


def test_sitemaps_are_sniffed_gzipped_or_not() -> None:
    assert looks_like_sitemap(urlset("https://e.org/a"))
    assert looks_like_sitemap(gzip.compress(index("https://e.org/s.xml")))
    assert not looks_like_sitemap(b'<?xml version="1.0"?><rss version="2.0">')


def test_a_watched_sitemap_fetches_only_urls_it_has_not_seen(server: LocalServer) -> None:
    a, b = serve_pages(server, "/a", "/b")
    server.route("/sitemap.xml", xml(urlset(a, extra="<lastmod>2029-12-31</lastmod>")))
    clock = FakeClock()
    with Store.open(":memory:") as store:
        source = watch(store, server.url("/sitemap.xml"), clock, kind="sitemap")
        assert watcher(store, clock).run_round().stored == 1
        # lastmod changed for a: the same article, not fetched again; b is new.
        server.route("/sitemap.xml", xml(urlset(a, b, extra="<lastmod>2030-01-01</lastmod>")))
        second = watcher(store, clock).run_round(force=True)
        assert (second.new_entries, second.stored) == (1, 1)
        assert entry_counts(store)[source.id]["stored"] == 2
        state = find_feed(store, str(source.id))
        assert state is not None and state.kind == "sitemap"
    assert (server.hits("/a"), server.hits("/b")) == (1, 1)


def test_a_sitemap_added_as_a_feed_is_read_as_a_sitemap(server: LocalServer) -> None:
    (a,) = serve_pages(server, "/a")
    server.route("/list.xml", xml(urlset(a)))
    clock = FakeClock()
    with Store.open(":memory:") as store:
        source = watch(store, server.url("/list.xml"), clock, kind="feed")
        assert watcher(store, clock).run_round().stored == 1
        state = find_feed(store, str(source.id))
        assert state is not None and state.kind == "sitemap"


def test_ingest_reads_a_sitemap_url_or_file_as_its_pages(
    server: LocalServer, tmp_path: Path
) -> None:
    a, b = serve_pages(server, "/a", "/b")
    news = "<news:news><news:title>Headline from the sitemap</news:title></news:news>"
    body = urlset(a, server.url("/missing"), extra=news)
    server.route("/sitemap.xml.gz", Reply(body=gzip.compress(body)))
    local = tmp_path / "sitemap.xml"
    local.write_bytes(urlset(b))
    found = list(iter_documents([server.url("/sitemap.xml.gz"), str(local)], FAST))
    first, missing, second = found
    assert isinstance(first, RawDocument) and first.title == "Headline from the sitemap"
    assert first.source == server.url("/sitemap.xml.gz") + "#1"
    assert not isinstance(missing, RawDocument) and missing.code == "http_status"
    assert isinstance(second, RawDocument) and second.url == b


def test_a_watched_index_skips_children_unchanged_since_the_last_visit(
    server: LocalServer,
) -> None:
    a, b = serve_pages(server, "/a", "/b")
    server.route("/old.xml", xml(urlset(a)))
    server.route("/new.xml", xml(urlset(a, b)))
    children = (
        f"<sitemap><loc>{server.url('/old.xml')}</loc><lastmod>2029-06-01</lastmod></sitemap>"
        f"<sitemap><loc>{server.url('/new.xml')}</loc><lastmod>2030-01-02</lastmod></sitemap>"
    )
    server.route("/index.xml", xml(f"<sitemapindex {NS}>{children}</sitemapindex>".encode()))
    clock = FakeClock()  # 2030-01-01 12:00: the first visit reads both children
    with Store.open(":memory:") as store:
        watch(store, server.url("/index.xml"), clock, kind="sitemap")
        watcher(store, clock).run_round()
        assert (server.hits("/old.xml"), server.hits("/new.xml")) == (1, 1)
        clock.advance(86400)
        watcher(store, clock).run_round(force=True)
    assert (server.hits("/old.xml"), server.hits("/new.xml")) == (1, 2)
    assert (server.hits("/a"), server.hits("/b")) == (1, 1)
