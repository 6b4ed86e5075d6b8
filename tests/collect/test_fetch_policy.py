"""The fetch policy: URLs from data never reach loopback, private or link-local addresses."""

from __future__ import annotations

import ipaddress
from dataclasses import replace

import pytest

from tests.collect.conftest import FAST
from tests.run.watchkit import FakeClock, feed_reply, item, page, rss, watch, watcher
from tests.support.httpserver import LocalServer, html, redirect
from wirewatch.collect import Fetcher, iter_documents
from wirewatch.collect.fetch_policy import FetchPolicy, refusal
from wirewatch.errors import CollectError, UsageError
from wirewatch.model import Failure, RawDocument
from wirewatch.settings import Settings
from wirewatch.store import Store

# The collect tests' settings without the allow-list: what a user gets by default.
STRICT = replace(FAST, fetch_allow_networks="")
ARTICLE = (
    "<html><body><article><p>Officials in Kyiv confirmed the talks on Monday.</p>"
    "</article></body></html>"
)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.1.1",
        "0.0.0.0", "224.0.0.1", "240.0.0.1", "255.255.255.255", "198.18.0.1",
        "::1", "::", "fe80::1", "fc00::1", "ff02::1",
        "::ffff:127.0.0.1", "::ffff:169.254.169.254",
        "2002:7f00:1::1",  # 6to4 of 127.0.0.1
        "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
        "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
        "64:ff9b:1::1",  # local-use NAT64
        "2001:0:4136:e378:8000:63bf:f5ff:fffe",  # Teredo, client 10.0.0.1
    ],
)  # fmt: skip
def test_addresses_off_the_public_internet_are_refused(address: str) -> None:
    assert refusal(ipaddress.ip_address(address)) is not None


@pytest.mark.parametrize(
    "address", ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111", "2002:808:808::1"]
)
def test_public_addresses_are_allowed(address: str) -> None:
    assert refusal(ipaddress.ip_address(address)) is None


def test_the_allow_list_opens_its_networks_only() -> None:
    policy = FetchPolicy(Settings(fetch_allow_networks="10.0.0.0/8, fd00::/8"))
    policy.check_address("10.9.8.7", "intranet")
    policy.check_address("fd12::1", "intranet6")
    with pytest.raises(CollectError) as caught:
        policy.check_address("192.168.0.1", "router")
    assert caught.value.code == "url_not_allowed"


def test_a_bad_allow_list_is_a_usage_error() -> None:
    with pytest.raises(UsageError):
        Settings.from_sources({"fetch_allow_networks": "10.0.0.0/8,intranet"}, environ={})


def test_a_url_from_code_is_checked_after_dns(server: LocalServer) -> None:
    server.route("/a", html(ARTICLE))
    with Fetcher(STRICT) as fetcher:
        for url in (server.url("/a"), server.url("/a").replace("127.0.0.1", "localhost")):
            with pytest.raises(CollectError) as caught:
                fetcher.fetch(url)
            assert caught.value.code == "url_not_allowed"
        assert fetcher.fetch(server.url("/a"), trusted=True).metadata["http_status"] == 200
    assert server.hits("/a") == 1  # refused before any byte was sent


def test_the_literal_metadata_address_is_refused_without_a_connection() -> None:
    with Fetcher(STRICT) as fetcher, pytest.raises(CollectError) as caught:
        fetcher.fetch("http://169.254.169.254/latest/meta-data/")
    assert caught.value.code == "url_not_allowed"
    assert "link-local" in caught.value.message


def test_a_typed_feed_may_link_to_its_own_server_but_not_to_others(server: LocalServer) -> None:
    server.route("/own", html(ARTICLE))
    other = server.url("/own").replace("127.0.0.1", "localhost")  # another host, same machine
    items = [
        item("Own", server.url("/own"), body="Own entry text."),
        item("Other", other, body="Other entry text."),
        item("Metadata", "http://169.254.169.254/latest/meta-data/", body="Metadata entry."),
    ]
    server.route("/feed", feed_reply(rss(items)))
    found = list(iter_documents([server.url("/feed")], STRICT))
    assert all(isinstance(doc, RawDocument) for doc in found)
    own, other_doc, metadata = found
    assert isinstance(own, RawDocument) and "fallback" not in own.metadata
    for doc in (other_doc, metadata):
        assert isinstance(doc, RawDocument)
        assert doc.metadata["fallback"] == "feed_entry"
        assert doc.metadata["fallback_reason"].startswith("url_not_allowed")


def test_a_redirect_to_a_refused_host_is_not_filed_as_robots(server: LocalServer) -> None:
    target = server.url("/inside").replace("127.0.0.1", "localhost")
    server.route("/out", redirect(target))
    server.route("/inside", html(ARTICLE))
    with (
        Fetcher(replace(STRICT, respect_robots=True)) as fetcher,
        pytest.raises(CollectError) as caught,
    ):
        fetcher.fetch(server.url("/out"), trusted=True)
    assert caught.value.code == "redirect_not_allowed"
    assert server.hits("/inside") == 0


def test_the_allow_list_lets_derived_urls_reach_an_intranet(server: LocalServer) -> None:
    server.route("/a", html(ARTICLE))
    with Fetcher(replace(STRICT, fetch_allow_networks="127.0.0.0/8")) as fetcher:
        url = server.url("/a").replace("127.0.0.1", "localhost")
        assert fetcher.fetch(url).metadata["http_status"] == 200


def test_the_watcher_does_not_poll_a_feed_on_a_private_address(server: LocalServer) -> None:
    server.route("/a", page("Story a"))
    server.route("/rss", feed_reply(rss([item("Story a", server.url("/a"), guid="1")])))
    clock = FakeClock()
    with Store.open(":memory:") as store:
        watch(store, server.url("/rss"), clock)
        strict = replace(watcher(store, clock).settings, fetch_allow_networks="")
        result = watcher(store, clock, strict).run_round()
        failures = store.failures(limit=10)
    assert result.stored == 0
    assert server.hits("/rss") == 0 and server.hits("/a") == 0
    assert [f.code for f in failures] == ["url_not_allowed"]
    assert not any(isinstance(f, Failure) and f.code == "robots_disallowed" for f in failures)
