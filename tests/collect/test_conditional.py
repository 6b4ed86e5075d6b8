"""The Fetcher's conditional GET: validators sent, 304 without a body, status headers kept."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.collect.conftest import FAST
from tests.support.httpserver import LocalServer, Reply, SeenRequest, redirect
from wirewatch.collect.http import Fetcher, HTTPStatusError, Validators


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as running:
        yield running


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(FAST) as client:
        yield client


def test_validators_are_sent_and_a_304_has_no_document(
    server: LocalServer, fetcher: Fetcher
) -> None:
    seen: list[SeenRequest] = []

    def answer(request: SeenRequest) -> Reply:
        seen.append(request)
        return Reply(status=304, headers={"ETag": '"v2"', "Cache-Control": "max-age=60"})

    server.route("/feed", answer)
    result = fetcher.fetch_conditional(
        server.url("/feed"), Validators('"v1"', "Tue, 01 Jan 2030 10:00:00 GMT")
    )
    assert (result.status, result.document) == (304, None)
    assert result.headers["etag"] == '"v2"' and result.headers["cache-control"] == "max-age=60"
    assert seen[0].headers["if-none-match"] == '"v1"'
    assert seen[0].headers["if-modified-since"] == "Tue, 01 Jan 2030 10:00:00 GMT"


def test_without_validators_no_conditional_headers_are_sent(
    server: LocalServer, fetcher: Fetcher
) -> None:
    server.route("/feed", Reply(body=b"<rss/>", headers={"ETag": '"v1"'}))
    result = fetcher.fetch_conditional(server.url("/feed"))
    assert result.document is not None and result.document.content == b"<rss/>"
    assert result.headers["etag"] == '"v1"'
    request = server.requests[-1]
    assert "if-none-match" not in request.headers and "if-modified-since" not in request.headers


def test_a_plain_fetch_treats_304_as_an_error(server: LocalServer, fetcher: Fetcher) -> None:
    server.route("/feed", Reply(status=304))
    with pytest.raises(HTTPStatusError) as caught:
        fetcher.fetch(server.url("/feed"))
    assert caught.value.status == 304


@pytest.mark.parametrize("status", [429, 503])
def test_status_errors_keep_retry_after(server: LocalServer, fetcher: Fetcher, status: int) -> None:
    server.route("/feed", Reply(status=status, headers={"Retry-After": "120"}))
    with pytest.raises(HTTPStatusError) as caught:
        fetcher.fetch_conditional(server.url("/feed"))
    assert (caught.value.status, caught.value.headers["retry-after"]) == (status, "120")


def test_only_an_unbroken_run_of_permanent_redirects_moves_the_feed(
    server: LocalServer, fetcher: Fetcher
) -> None:
    server.route("/a", redirect("/b", status=301))
    server.route("/b", redirect("/c", status=308))
    server.route("/c", redirect("/d", status=302))
    server.route("/d", redirect("/e", status=301))
    server.route("/e", Reply(body=b"<rss/>"))
    result = fetcher.fetch_conditional(server.url("/a"))
    assert result.permanent_url == server.url("/c")
    assert result.document is not None and result.document.url == server.url("/e")
    assert fetcher.fetch_conditional(server.url("/e")).permanent_url is None
