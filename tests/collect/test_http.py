"""Fetcher against a local server: what a user sees for good pages and for every failure."""

from __future__ import annotations

import gzip
import time
import tracemalloc
import zlib
from dataclasses import replace

import httpx
import pytest

from tests.collect.conftest import FAST
from tests.support.httpserver import LocalServer, Reply, SeenRequest, html, redirect, unused_port
from wirewatch.collect import Fetcher
from wirewatch.errors import CollectError

PAGE = "<html><body><p>Stoltenberg arrived in Kyiv on Monday.</p></body></html>"


def failure(fetcher: Fetcher, url: str) -> CollectError:
    with pytest.raises(CollectError) as caught:
        fetcher.fetch(url)
    return caught.value


def test_page_after_redirect_has_final_url_type_and_charset(
    server: LocalServer, fetcher: Fetcher
) -> None:
    server.route("/old", redirect("/news/kyiv", status=301))
    server.route("/news/kyiv", html("<p>Café in Kyiv</p>".encode("latin-1"), charset="ISO-8859-1"))

    page = fetcher.fetch(server.url("/old"))

    assert page.url == server.url("/news/kyiv")
    assert page.source == server.url("/old")
    assert page.content == "<p>Café in Kyiv</p>".encode("latin-1")
    assert page.content_type == "html"
    assert page.encoding == "iso-8859-1"
    assert page.headers["content-type"] == "text/html; charset=ISO-8859-1"
    assert page.metadata == {"http_status": 200, "requested_url": server.url("/old")}


def test_request_carries_our_user_agent_and_source_is_kept(
    server: LocalServer, fetcher: Fetcher
) -> None:
    server.route("/page", html(PAGE))

    page = fetcher.fetch(server.url("/page"), source="feed.xml#2")

    assert page.source == "feed.xml#2"
    assert "requested_url" not in page.metadata
    seen = [r for r in server.requests if r.path == "/page"]
    assert seen[0].headers["user-agent"] == FAST.http_user_agent


@pytest.mark.parametrize(
    ("media", "expected"),
    [
        ("text/plain; charset=utf-8", "text"),
        ("application/xhtml+xml", "html"),
        ("image/png", None),
    ],
)
def test_content_type_follows_the_media_type(
    server: LocalServer, fetcher: Fetcher, media: str, expected: str | None
) -> None:
    server.route("/doc", Reply(body=b"Kyiv", headers={"Content-Type": media}))

    assert fetcher.fetch(server.url("/doc")).content_type == expected


def test_not_found_is_http_status(server: LocalServer, fetcher: Fetcher) -> None:
    error = failure(fetcher, server.url("/missing"))

    assert (error.code, error.message) == ("http_status", "HTTP 404 Not Found")


def test_hanging_server_times_out_after_the_read_timeout(server: LocalServer) -> None:
    server.route("/hang", Reply(body=b"late", delay=10))
    settings = replace(FAST, http_read_timeout=0.3)

    started = time.monotonic()
    with Fetcher(settings) as fetcher:
        error = failure(fetcher, server.url("/hang"))

    assert (error.code, error.message) == ("timeout", "no response within 0.3 s")
    assert time.monotonic() - started < 2


def test_trickling_server_fails_at_the_total_deadline(server: LocalServer) -> None:
    server.route("/slow", Reply(body=b"x" * 100, byte_delay=0.2))
    settings = replace(FAST, http_read_timeout=2.0, http_total_timeout=0.7)

    started = time.monotonic()
    with Fetcher(settings) as fetcher:
        error = failure(fetcher, server.url("/slow"))

    assert error.code == "timeout"
    assert error.message.startswith("download did not finish within 0.7 s")
    assert time.monotonic() - started < 2


def test_redirect_loop_is_named(server: LocalServer, fetcher: Fetcher) -> None:
    server.route("/a", redirect("/b"))
    server.route("/b", redirect("/a"))

    error = failure(fetcher, server.url("/a"))

    assert (error.code, error.message) == ("too_many_redirects", "redirect loop: /a -> /b -> /a")


def test_too_many_redirects_gives_up_at_the_limit(server: LocalServer) -> None:
    for hop in range(10):
        server.route(f"/r{hop}", redirect(f"/r{hop + 1}"))

    with Fetcher(replace(FAST, http_max_redirects=3)) as fetcher:
        error = failure(fetcher, server.url("/r0"))

    assert error.code == "too_many_redirects"
    assert error.message == "gave up after 3 redirects (/r0 -> /r1 -> /r2 -> /r3 -> /r4)"
    assert server.hits("/r4") == 0


def test_redirect_to_self_that_sets_a_cookie_is_not_a_loop(
    server: LocalServer, fetcher: Fetcher
) -> None:
    def cookie_check(request: SeenRequest) -> Reply:
        if "cookie" in request.headers:
            return html(PAGE)
        return Reply(status=302, headers={"Location": "/gate", "Set-Cookie": "ok=1; Path=/"})

    server.route("/gate", cookie_check)

    assert fetcher.fetch(server.url("/gate")).content == PAGE.encode()


def test_content_length_over_the_cap_is_refused_before_reading(
    server: LocalServer, fetcher: Fetcher
) -> None:
    server.route("/big", html(b"x" * 150_000))

    error = failure(fetcher, server.url("/big"))

    assert error.code == "too_large"
    assert error.message == "response larger than 100000 bytes (Content-Length: 150000)"


def test_chunked_body_over_the_cap_is_too_large(server: LocalServer, fetcher: Fetcher) -> None:
    server.route("/stream", Reply(chunks=[b"y" * 10_000] * 30))

    error = failure(fetcher, server.url("/stream"))

    assert (error.code, error.message) == ("too_large", "response larger than 100000 bytes")


def test_body_without_length_over_the_cap_is_too_large(
    server: LocalServer, fetcher: Fetcher
) -> None:
    server.route("/eof", Reply(body=b"z" * 150_000, content_length=False))

    assert failure(fetcher, server.url("/eof")).code == "too_large"


def test_gzip_page_is_decoded(server: LocalServer, fetcher: Fetcher) -> None:
    body = gzip.compress(PAGE.encode())
    server.route("/gz", Reply(body=body, headers={"Content-Encoding": "gzip"}))

    assert fetcher.fetch(server.url("/gz")).content == PAGE.encode()


def test_raw_deflate_page_is_decoded_too() -> None:
    # Some servers send bare deflate where HTTP says zlib-wrapped; browsers accept both.
    squeezer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    body = squeezer.compress(PAGE.encode()) + squeezer.flush()

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers={"Content-Encoding": "deflate"})

    settings = replace(FAST, respect_robots=False)
    with Fetcher(settings, transport=httpx.MockTransport(answer)) as fetcher:
        page = fetcher.fetch("https://news.example/kyiv")

    assert page.content == PAGE.encode()
    assert page.url == "https://news.example/kyiv"


def test_gzip_bomb_fails_as_too_large_without_inflating(
    server: LocalServer, fetcher: Fetcher
) -> None:
    bomb = gzip.compress(b"\0" * 20_000_000, compresslevel=9)  # ~20 kB on the wire
    server.route("/bomb", Reply(body=bomb, headers={"Content-Encoding": "gzip"}))

    tracemalloc.start()
    try:
        error = failure(fetcher, server.url("/bomb"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert (error.code, error.message) == ("too_large", "response larger than 100000 bytes")
    assert peak < 2_000_000  # the cap is 100 kB; inflating the bomb would take 20 MB


def test_truncated_gzip_body_is_bad_gzip(server: LocalServer, fetcher: Fetcher) -> None:
    cut = gzip.compress(PAGE.encode() * 20)[:-30]
    server.route("/cut", Reply(body=cut, headers={"Content-Encoding": "gzip"}))

    error = failure(fetcher, server.url("/cut"))

    assert (error.code, error.message) == ("bad_gzip", "truncated gzip stream")


def test_encoding_we_did_not_ask_for_is_refused(server: LocalServer, fetcher: Fetcher) -> None:
    server.route("/br", Reply(body=b"\x8b\x02\x80", headers={"Content-Encoding": "br"}))

    error = failure(fetcher, server.url("/br"))

    assert (error.code, error.message) == (
        "unsupported_encoding",
        "unsupported Content-Encoding 'br'",
    )


def test_connection_refused_is_connection_error(fetcher: Fetcher) -> None:
    error = failure(fetcher, f"http://127.0.0.1:{unused_port()}/news")

    assert error.code == "connection_error"
    assert error.message.startswith("cannot connect: ")
    assert "refused" in error.message.lower()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://news.example/feed", "not an http(s) URL: 'ftp://news.example/feed'"),
        ("news.example/kyiv", "not an http(s) URL: 'news.example/kyiv'"),
        ("http://", "URL has no host: 'http://'"),
        ("http://[::1/", "malformed URL 'http://[::1/': Invalid port: ':1'"),
    ],
)
def test_bad_urls_fail_before_any_request(fetcher: Fetcher, url: str, message: str) -> None:
    error = failure(fetcher, url)

    assert (error.code, error.message) == ("bad_url", message)


def test_redirect_to_another_scheme_is_bad_url(server: LocalServer, fetcher: Fetcher) -> None:
    server.route("/away", redirect("ftp://files.example/a"))

    error = failure(fetcher, server.url("/away"))

    assert error.code == "bad_url"
    assert error.message == "redirect to a bad URL: not an http(s) URL: 'ftp://files.example/a'"


def test_malformed_redirect_location_is_bad_url(server: LocalServer, fetcher: Fetcher) -> None:
    server.route("/odd", redirect("http://[::1"))

    error = failure(fetcher, server.url("/odd"))

    assert (error.code, error.message) == (
        "bad_url",
        "redirect to a bad URL: Invalid URL in location header: Invalid port: ':1'.",
    )
