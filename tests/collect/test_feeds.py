"""Feeds: sniffing, refusing bombs and non-feeds, and one document per entry."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from tests.collect.conftest import FAST
from tests.support.httpserver import LocalServer, Reply, html
from wirewatch.collect import Fetcher, iter_documents, iter_feed, looks_like_feed, parse_feed
from wirewatch.errors import CollectError
from wirewatch.model import Failure, RawDocument

RSS_HEAD = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
    "<channel><title>Military Space News</title>"
)


def rss(items: str, head: str = RSS_HEAD) -> bytes:
    return f"{head}{items}</channel></rss>".encode()


def item(title: str, link: str | None, body: str | None, date: str | None = None) -> str:
    parts = [f"<title>{title}</title>"]
    if link is not None:
        parts.append(f"<link>{link}</link>")
    if body is not None:
        parts.append(f"<content:encoded><![CDATA[{body}]]></content:encoded>")
    if date is not None:
        parts.append(f"<pubDate>{date}</pubDate>")
    return f"<item>{''.join(parts)}</item>"


def feed_error(content: bytes) -> CollectError:
    with pytest.raises(CollectError) as caught:
        parse_feed(content, "feed.xml")
    return caught.value


@pytest.mark.parametrize(
    "content",
    [
        b'<?xml version="1.0"?>\n<?xml-stylesheet href="s.xsl"?>\n<!-- note --><rss version="2.0">',
        b'\xef\xbb\xbf<feed xmlns="http://www.w3.org/2005/Atom">',
        b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
        '<?xml version="1.0" encoding="utf-16"?><rss version="2.0">'.encode("utf-16"),
    ],
)
def test_feeds_are_recognised_by_their_root_element(content: bytes) -> None:
    assert looks_like_feed(content)


@pytest.mark.parametrize(
    "content",
    [
        b"<!DOCTYPE html><html><head><title>RSS news</title></head></html>",
        b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><p>rss</p></html>',
        b'{"title": "rss"}',
        b"",
    ],
)
def test_other_documents_are_not_feeds(content: bytes) -> None:
    assert not looks_like_feed(content)


def test_html_is_not_a_feed() -> None:
    error = feed_error(b"<!DOCTYPE html><html><body><p>Kyiv</p></body></html>")

    assert (error.code, error.message) == (
        "bad_feed",
        "not a feed: no RSS, Atom or RDF root element",
    )


def test_empty_document_is_not_a_feed() -> None:
    error = feed_error(b"  \n")

    assert (error.code, error.message) == ("bad_feed", "not a feed: empty document")


def test_billion_laughs_is_refused_quickly() -> None:
    lol = "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
    bomb = (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY lol0 "lol">{lol}]>\n'
        '<rss version="2.0"><channel><title>&lol9;</title></channel></rss>'
    ).encode()

    started = time.monotonic()
    error = feed_error(bomb)

    assert error.code == "xml_bomb"
    assert error.message == "XML declares entities (possible entity-expansion bomb); refused"
    assert time.monotonic() - started < 0.5


@pytest.mark.parametrize(
    ("encoding", "channel", "title"),
    [
        ("ISO-8859-1", "Nouvelles de Zürich", "Le café de Genève"),
        ("windows-1251", "Новости", "Столтенберг в Киеве"),
    ],
)
def test_charset_declared_in_the_prolog_is_honoured(
    encoding: str, channel: str, title: str
) -> None:
    head = f'<?xml version="1.0" encoding="{encoding}"?>\n<rss version="2.0"><channel>'
    content = f"{head}<title>{channel}</title>{item(title, None, None)}</channel></rss>"

    parsed = parse_feed(content.encode(encoding), "feed.xml")

    assert parsed.feed.title == channel
    assert parsed.entries[0].title == title


def test_entry_content_stands_in_when_fetching_is_off() -> None:
    content = rss(
        item(
            "NATO pledges support",
            "http://news.example/1",
            "<p>Full story.</p>",
            "Mon, 01 Jan 2024 10:00:00 +0200",
        )
    )

    (document,) = iter_feed(content, "feed.xml", FAST, None)

    assert isinstance(document, RawDocument)
    assert document.source == "feed.xml#1"
    assert document.url == "http://news.example/1"
    assert document.content == b"<p>Full story.</p>"
    assert (document.content_type, document.encoding) == ("html", "utf-8")
    assert document.title == "NATO pledges support"
    assert document.published == "2024-01-01T08:00:00+00:00"
    assert document.metadata == {
        "feed": "feed.xml",
        "fallback": "feed_entry",
        "fallback_reason": "page fetching disabled",
    }


def test_entries_without_link_or_content() -> None:
    content = rss(
        item("Teaser only", None, None).replace(
            "</item>", "<description>Short.</description></item>"
        )
        + item("Nothing", "http://news.example/2", None)
        + item("Nothing at all", None, None)
    )

    teaser, linked_only, empty = iter_feed(content, "feed.xml", FAST, None)

    assert isinstance(teaser, RawDocument)
    assert (teaser.url, teaser.content) == (None, b"Short.")
    assert teaser.metadata["fallback_reason"] == "entry has no link"
    assert isinstance(linked_only, Failure) and isinstance(empty, Failure)
    assert (linked_only.source, linked_only.code) == ("feed.xml#2", "empty_entry")
    assert linked_only.message == "no page and no content (page fetching disabled)"
    assert empty.message == "no page and no content (entry has no link)"


def test_dates_unreadable_stay_unknown_and_future_ones_are_kept() -> None:
    content = rss(
        item("Garbled", None, "<p>a</p>", "sometime soon")
        + item("Ahead", None, "<p>b</p>", "Sat, 01 Jan 2099 00:00:00 GMT")
    )

    garbled, ahead = iter_feed(content, "feed.xml", FAST, None)

    assert isinstance(garbled, RawDocument) and isinstance(ahead, RawDocument)
    assert garbled.published is None
    assert ahead.published == "2099-01-01T00:00:00+00:00"


def test_broken_feed_is_one_failure() -> None:
    (failure,) = iter_feed(b"<html><p>no</p></html>", "feed.xml", FAST, None)

    assert isinstance(failure, Failure)
    assert (failure.source, failure.code) == ("feed.xml", "bad_feed")


def test_feed_over_http_fetches_pages_and_falls_back_on_failure(server: LocalServer) -> None:
    feed = rss(
        item(
            "Kyiv visit",
            server.url("/news/kyiv"),
            "<p>Teaser one.</p>",
            "Tue, 02 Jan 2024 09:30:00 GMT",
        )
        + item("Gone story", server.url("/news/gone"), "<p>Full text from the feed.</p>")
        + item("Relative", "/news/relative", None)
    )
    server.route("/feed.xml", Reply(body=feed, headers={"Content-Type": "application/rss+xml"}))
    server.route("/news/kyiv", html("<html><p>The whole Kyiv article.</p></html>"))
    server.route("/news/relative", html("<p>Relative link resolved.</p>"))
    feed_url = server.url("/feed.xml")

    items = list(iter_documents([feed_url], FAST))

    fetched, fallback, relative = items
    assert isinstance(fetched, RawDocument)
    assert fetched.source == f"{feed_url}#1"
    assert fetched.url == server.url("/news/kyiv")
    assert fetched.content == b"<html><p>The whole Kyiv article.</p></html>"
    assert fetched.title == "Kyiv visit"
    assert fetched.published == "2024-01-02T09:30:00+00:00"
    assert fetched.metadata == {"http_status": 200, "feed": feed_url}
    assert isinstance(fallback, RawDocument)
    assert fallback.source == f"{feed_url}#2"
    assert fallback.url == server.url("/news/gone")
    assert fallback.content == b"<p>Full text from the feed.</p>"
    assert fallback.metadata["fallback"] == "feed_entry"
    assert fallback.metadata["fallback_reason"] == "http_status: HTTP 404 Not Found"
    assert isinstance(relative, RawDocument)
    assert relative.url == server.url("/news/relative")
    assert relative.content == b"<p>Relative link resolved.</p>"


def test_page_fetching_can_be_switched_off(server: LocalServer) -> None:
    feed = rss(item("Kyiv visit", server.url("/news/kyiv"), "<p>Teaser.</p>"))
    server.route("/feed.xml", Reply(body=feed, headers={"Content-Type": "application/rss+xml"}))

    settings = replace(FAST, feed_fetch_pages=False)
    with Fetcher(settings) as fetcher:
        (document,) = iter_documents([server.url("/feed.xml")], settings, fetcher)

    assert isinstance(document, RawDocument)
    assert document.content == b"<p>Teaser.</p>"
    assert document.metadata["fallback_reason"] == "page fetching disabled"
    assert server.hits("/news/kyiv") == 0
