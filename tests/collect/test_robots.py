"""robots.txt as RFC 9309 says: rules for our agent, 4xx allows, 5xx or unreachable forbids."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.collect.conftest import FAST
from tests.support.httpserver import LocalServer, Reply, html, redirect
from wirewatch.collect import Fetcher
from wirewatch.errors import CollectError

RULES = """\
User-agent: otherbot
Disallow: /

User-agent: wirewatch
Disallow: /private/

User-agent: *
Disallow: /everyone-else/
"""


def robots(text: str, status: int = 200) -> Reply:
    return Reply(status=status, body=text.encode(), headers={"Content-Type": "text/plain"})


@pytest.fixture
def site(server: LocalServer) -> LocalServer:
    for path in ("/private/memo", "/public/story", "/everyone-else/story"):
        server.route(path, html(f"<p>{path}</p>"))
    return server


def refusal(fetcher: Fetcher, url: str) -> CollectError:
    with pytest.raises(CollectError) as caught:
        fetcher.fetch(url)
    return caught.value


def test_rules_for_our_agent_are_obeyed_and_fetched_once(
    site: LocalServer, fetcher: Fetcher
) -> None:
    site.route("/robots.txt", robots(RULES))

    error = refusal(fetcher, site.url("/private/memo"))
    public = fetcher.fetch(site.url("/public/story"))
    # The group for "wirewatch" applies, so the "*" group does not.
    other = fetcher.fetch(site.url("/everyone-else/story"))

    assert error.code == "robots_disallowed"
    assert error.message == f"robots.txt at {site.url('/robots.txt')} disallows /private/memo"
    assert public.content == b"<p>/public/story</p>"
    assert other.content == b"<p>/everyone-else/story</p>"
    assert site.hits("/robots.txt") == 1
    assert site.hits("/private/memo") == 0


def test_robots_not_found_allows_everything(site: LocalServer, fetcher: Fetcher) -> None:
    page = fetcher.fetch(site.url("/private/memo"))

    assert page.content == b"<p>/private/memo</p>"
    assert site.hits("/robots.txt") == 1


def test_robots_server_error_disallows_the_whole_site(site: LocalServer, fetcher: Fetcher) -> None:
    site.route("/robots.txt", robots("oops", status=500))

    first = refusal(fetcher, site.url("/public/story"))
    second = refusal(fetcher, site.url("/private/memo"))

    assert first.code == second.code == "robots_disallowed"
    assert first.message == (
        f"robots.txt at {site.url('/robots.txt')} unavailable "
        "(HTTP 500 Internal Server Error); site counts as disallowed"
    )
    assert site.hits("/robots.txt") == 1
    assert site.hits("/public/story") == 0


def test_unreachable_robots_keeps_the_network_error_code(site: LocalServer) -> None:
    site.route("/robots.txt", Reply(body=b"", delay=5))

    with Fetcher(replace(FAST, http_read_timeout=0.2)) as fetcher:
        error = refusal(fetcher, site.url("/public/story"))

    assert error.code == "timeout"
    assert error.message == (
        f"no response within 0.2 s (fetching {site.url('/robots.txt')}; site counts as disallowed)"
    )
    assert site.hits("/public/story") == 0


def test_every_redirect_hop_is_checked_against_its_own_robots(
    site: LocalServer, fetcher: Fetcher
) -> None:
    with LocalServer() as other:
        other.route("/robots.txt", robots("User-agent: *\nDisallow: /\n"))
        other.route("/copy", html("<p>copy</p>"))
        site.route("/go", redirect(other.url("/copy")))

        error = refusal(fetcher, site.url("/go"))

        assert error.code == "robots_disallowed"
        assert error.message == f"robots.txt at {other.url('/robots.txt')} disallows /copy"
        assert other.hits("/copy") == 0


def test_robots_can_be_switched_off(site: LocalServer) -> None:
    site.route("/robots.txt", robots("User-agent: *\nDisallow: /\n"))

    with Fetcher(replace(FAST, respect_robots=False)) as fetcher:
        page = fetcher.fetch(site.url("/private/memo"))

    assert page.content == b"<p>/private/memo</p>"
    assert site.hits("/robots.txt") == 0


def test_each_fetcher_keeps_its_own_robots_cache(site: LocalServer) -> None:
    site.route("/robots.txt", robots(RULES))

    for _ in range(2):
        with Fetcher(FAST) as fetcher:
            fetcher.fetch(site.url("/public/story"))
            fetcher.fetch(site.url("/public/story"))

    assert site.hits("/robots.txt") == 2
