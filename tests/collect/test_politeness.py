"""Per-host politeness: one request at a time per host, a pause between two, other hosts free."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator

import pytest

from tests.collect.conftest import FAST
from tests.run.watchkit import FakeClock, feed_reply, item, rss, watch, watcher, with_settings
from tests.support.httpserver import LocalServer, Reply, SeenRequest, html
from wirewatch.collect.http import Fetcher
from wirewatch.collect.politeness import HostGate
from wirewatch.store import Store


class Timeline:
    """A fake clock whose sleeps move time on, recording how long each wait was."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_the_gate_waits_out_the_delay_since_the_last_request_to_that_host() -> None:
    timeline = Timeline()
    gate = HostGate(2.0, clock=timeline.clock, sleep=timeline.sleep)
    with gate.turn("a:80"):
        timeline.now += 0.5  # the request took half a second
    timeline.now += 0.5
    with gate.turn("b:80"):  # another host: no wait
        pass
    with gate.turn("a:80"):
        pass
    assert timeline.slept == [1.5]


def test_the_gate_lets_one_thread_at_a_time_use_a_host() -> None:
    gate = HostGate(0.0)
    inside = 0
    most = 0
    lock = threading.Lock()

    def request() -> None:
        nonlocal inside, most
        with gate.turn("a:80"):
            with lock:
                inside += 1
                most = max(most, inside)
            time.sleep(0.01)
            with lock:
                inside -= 1

    threads = [threading.Thread(target=request) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most == 1


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as running:
        yield running


def spans(server: LocalServer, paths: set[str], duration: float) -> list[tuple[float, float]]:
    """When the requests for ``paths`` arrived and (each takes ``duration``) ended."""
    return sorted((s.at, s.at + duration) for s in server.requests if s.path in paths)


def test_fetches_through_one_gate_from_many_threads_never_overlap_on_a_host(
    server: LocalServer,
) -> None:
    delay, pause = 0.05, 0.03
    for index in range(4):
        server.route(f"/p{index}", Reply(delay=delay, body=b"x"))
    with Fetcher(FAST, gate=HostGate(pause)) as fetcher:
        threads = [
            threading.Thread(target=fetcher.fetch, args=(server.url(f"/p{i}"),)) for i in range(4)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    found = spans(server, {f"/p{i}" for i in range(4)}, delay)
    assert len(found) == 4
    for (_, end), (start, _) in itertools.pairwise(found):
        assert start >= end + pause * 0.9


def test_entry_pages_on_one_host_are_fetched_one_at_a_time_with_the_delay(
    server: LocalServer,
) -> None:
    pause = 0.05
    links = []
    for index in range(3):
        path = f"/story{index}"
        server.route(
            path,
            html(f"<html><body><article><p>Story {index} about Kyiv.</p><p>More.</p></article>"),
        )
        links.append(server.url(path))
    arrivals: list[SeenRequest] = []

    def feed(request: SeenRequest) -> Reply:
        arrivals.append(request)
        return feed_reply(rss([item(f"S{i}", link, guid=str(i)) for i, link in enumerate(links)]))

    server.route("/rss", feed)
    clock = FakeClock()
    with Store.open(":memory:") as store:
        watch(store, server.url("/rss"), clock)
        result = watcher(store, clock, with_settings(watch_host_delay=pause)).run_round()
    assert result.stored == 3
    times = sorted(s.at for s in server.requests if s.path != "/robots.txt")
    assert len(times) == 4  # the feed, then three pages
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert min(gaps) >= pause * 0.9


def test_feeds_on_different_hosts_are_checked_at_the_same_time() -> None:
    # Each feed answers after a full second, so a round that checked them one after the other
    # takes two; the margin keeps the check meaningful on a machine busy with other work.
    delay = 1.0
    with LocalServer() as one, LocalServer() as two:
        for running in (one, two):
            running.route(
                "/rss",
                Reply(delay=delay, body=rss([]), headers={"Content-Type": "application/xml"}),
            )
        clock = FakeClock()
        with Store.open(":memory:") as store:
            watch(store, one.url("/rss"), clock)
            watch(store, two.url("/rss"), clock)
            started = time.monotonic()
            slow = with_settings(http_read_timeout=3 * delay, http_total_timeout=4 * delay)
            result = watcher(store, clock, slow).run_round()
            elapsed = time.monotonic() - started
        assert result.outcomes() == {"fetched": 2}
        starts = [s.at for s in [*one.requests, *two.requests] if s.path == "/rss"]
        assert abs(starts[0] - starts[1]) < delay / 2  # both asked before either answered
        assert elapsed < 1.8 * delay


def test_page_workers_fetch_entry_pages_of_different_hosts_at_once() -> None:
    delay = 0.15
    with LocalServer() as one, LocalServer() as two:
        links = []
        for running in (one, two):
            for index in range(3):
                text = f"<p>Story {index} from port {running.port}.</p><p>More.</p>"
                body = f"<html><body><article>{text}</article>".encode()
                reply = Reply(delay=delay, body=body, headers={"Content-Type": "text/html"})
                running.route(f"/s{index}", reply)
                links.append(running.url(f"/s{index}"))
        # Entries alternate between the hosts, as many feeds' entries do.
        ordered = [links[i // 2 + 3 * (i % 2)] for i in range(6)]
        one.route(
            "/rss", feed_reply(rss([item(f"S{i}", u, guid=str(i)) for i, u in enumerate(ordered)]))
        )
        clock = FakeClock()
        with Store.open(":memory:") as store:
            watch(store, one.url("/rss"), clock)
            settings = with_settings(watch_page_workers=4, watch_host_delay=0.001)
            result = watcher(store, clock, settings).run_round()
        assert result.stored == 6
        pages = {
            host: sorted(s.at for s in host.requests if s.path.startswith("/s"))
            for host in (one, two)
        }
    for times in pages.values():  # one host: one request at a time
        assert all(b - a >= delay * 0.9 for a, b in itertools.pairwise(times))
    overlapping = [abs(a - b) < delay for a in pages[one] for b in pages[two]]
    assert any(overlapping)  # different hosts: at the same time
