"""``wirewatch feeds ...`` and ``wirewatch watch`` as a user runs them, crash and stop included."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.run.watchkit import feed_reply, item, page, rss, serve_pages
from tests.support.httpserver import LocalServer, Reply, SeenRequest
from wirewatch.cli import main
from wirewatch.store import Store
from wirewatch.store.entry_pages import saved_page_count
from wirewatch.store.feeds import entry_counts, list_feeds

# Watched feeds are data: the watcher reaches the local test server only through the allow-list.
FAST = [
    "--set", "watch_host_delay=0.01",
    "--set", "http_total_timeout=3",
    "--set", "fetch_allow_networks=127.0.0.0/8,::1",
]  # fmt: skip


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as running:
        yield running


def run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--db", str(db), *FAST, *args], catch_exceptions=False)


def test_add_list_status_remove_and_enable(tmp_path: Path, server: LocalServer) -> None:
    db = tmp_path / "w.db"
    added = run(db, "feeds", "add", server.url("/rss"), server.url("/news-sitemap.xml"))
    assert added.exit_code == 0
    assert added.stdout.splitlines() == [
        f"1\tfeed\tadded\t{server.url('/rss')}",
        f"2\tsitemap\tadded\t{server.url('/news-sitemap.xml')}",
    ]
    again = run(db, "feeds", "add", "--kind", "feed", server.url("/rss"))
    assert again.stdout.strip() == f"1\tfeed\talready watched\t{server.url('/rss')}"
    bad = run(db, "feeds", "add", "ftp://example.org/rss")
    assert bad.exit_code == 2 and "not an http(s) URL" in bad.stderr

    server.route("/rss", Reply(status=410))
    run(db, "watch", "--once", "--stages", "extract")
    status = run(db, "feeds", "status", "1")
    assert "state: DISABLED: gone: [http_status] HTTP 410 Gone" in status.stdout
    assert "entries: 0 stored, 0 pending, 0 failed" in status.stdout
    record = json.loads(run(db, "feeds", "status", "--format", "jsonl", "1").stdout)
    assert (record["enabled"], record["last_status"], record["checks"]) == (False, 410, 1)

    listed = run(db, "feeds", "list").stdout.splitlines()
    assert listed[0].split("\t")[:3] == ["1", "feed", "disabled"]
    assert run(db, "feeds", "enable", "1").exit_code == 0
    assert run(db, "feeds", "list").stdout.splitlines()[0].split("\t")[2] == "enabled"
    assert run(db, "feeds", "remove", server.url("/news-sitemap.xml")).exit_code == 0
    assert len(run(db, "feeds", "list").stdout.splitlines()) == 1
    missing = run(db, "feeds", "remove", "99")
    assert missing.exit_code == 2 and "no watched feed" in missing.stderr


def test_import_reads_nested_outlines(tmp_path: Path) -> None:
    opml = tmp_path / "subs.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>Mine</title></head><body>'
        '<outline text="World"><outline text="Europe">'
        '<outline type="rss" text="Kyiv Wire" xmlUrl="https://kyiv.example/rss"/></outline>'
        '<outline type="rss" title="Geneva" text="g" xmlUrl="https://geneva.example/feed"/>'
        '</outline><outline text="Dup" xmlUrl="https://kyiv.example/rss"/>'
        '<outline text="Bad" xmlUrl="javascript:alert(1)"/></body></opml>',
        encoding="utf-8",
    )
    db = tmp_path / "w.db"
    result = run(db, "feeds", "import", str(opml))
    assert result.exit_code == 1  # one outline skipped, named on stderr
    assert "skipped: not an http(s) URL: 'javascript:alert(1)'" in result.stderr
    assert "imported 2 feed(s)" in result.stderr
    lines = [line.split("\t") for line in run(db, "feeds", "list").stdout.splitlines()]
    assert [(line[3], line[4]) for line in lines] == [
        ("https://kyiv.example/rss", "Kyiv Wire"),
        ("https://geneva.example/feed", "Geneva"),
    ]


@pytest.mark.parametrize(
    "content",
    [
        "<opml><body><outline xmlUrl='https://a.example/rss'></body>",
        "<html><body>not opml</body></html>",
        '<!DOCTYPE opml [<!ENTITY x "y">]><opml><body>&x;</body></opml>',
        "<opml><body><outline text='folder only'/></body></opml>",
    ],
)
def test_malformed_opml_is_a_clear_error(tmp_path: Path, content: str) -> None:
    opml = tmp_path / "subs.opml"
    opml.write_text(content, encoding="utf-8")
    result = run(tmp_path / "w.db", "feeds", "import", str(opml))
    assert result.exit_code == 1
    assert result.stderr.startswith("wirewatch: error [bad_opml]")


def test_watch_once_prints_new_articles_and_a_summary(tmp_path: Path, server: LocalServer) -> None:
    a, b = serve_pages(server, "/a", "/b")
    server.route("/rss", feed_reply(rss([item("Story a", a, guid="1"), item("Story b", b)])))
    server.route("/broken", Reply(status=500))
    db = tmp_path / "w.db"
    run(db, "feeds", "add", server.url("/rss"), server.url("/broken"))
    result = run(db, "watch", "--once", "--stages", "extract")
    assert result.exit_code == 1  # a source failed
    assert len(result.stdout.splitlines()) == 2 and "Story a" in result.stdout
    assert f"{server.url('/broken')}: failed: [http_status] HTTP 500" in result.stderr
    assert (
        "round: 2 source(s) checked (1 fetched, 1 failed); 2 new entries; 2 article(s) stored"
        in result.stderr
    )
    again = run(db, "watch", "--once", "--stages", "extract")
    assert again.exit_code == 0 and again.stdout == ""
    assert "round: 0 source(s) checked (none due)" in again.stderr


def command(db: Path, *args: str) -> list[str]:
    code = "from wirewatch.cli import main; main()"
    return [sys.executable, "-c", code, "--db", str(db), *FAST, *args]


def settled(db: Path, pages: int, timeout: float = 10.0) -> None:
    """Wait until ``pages`` entries have their page saved or are done (the watcher writes)."""
    deadline = time.monotonic() + timeout
    with closing(sqlite3.connect(db, timeout=timeout)) as conn:
        while time.monotonic() < deadline:
            saved = conn.execute("SELECT count(*) FROM entry_pages").fetchone()[0]
            done = conn.execute(
                "SELECT count(*) FROM feed_entries WHERE state != 'pending'"
            ).fetchone()[0]
            if saved + done >= pages:
                return
            time.sleep(0.02)


@pytest.mark.parametrize(
    ("stages", "page_workers"),
    [("extract", 1), ("all", 1), ("all", 2)],
    ids=["extract", "nlp", "nlp-pages-ahead"],
)
def test_a_watcher_killed_mid_round_loses_no_entry_and_fetches_none_twice(
    tmp_path: Path, server: LocalServer, stages: str, page_workers: int
) -> None:
    links = serve_pages(server, *[f"/p{i}" for i in range(6)])
    server.route(
        "/rss", feed_reply(rss([item(f"S{i}", u, guid=str(i)) for i, u in enumerate(links)]))
    )
    served: Counter[str] = Counter()
    victim: dict[str, subprocess.Popen[bytes]] = {}
    kill_at = 3
    db = tmp_path / "w.db"

    def page_or_kill(request: SeenRequest) -> Reply:
        # The fourth page request kills the watcher before any answer: three pages were
        # served, and (with --stages all) none of them is stored yet, they wait for the NLP
        # batch. The kill waits for the pages received to be written (not for them to be
        # stored), so that a response still on its way to the watcher is not counted.
        if sum(served.values()) == kill_at and "proc" in victim:
            settled(db, kill_at)
            victim.pop("proc").send_signal(signal.SIGKILL)
            return Reply(delay=10)
        served[request.path] += 1
        return page(f"Story {request.path.strip('/')}")

    for index in range(6):
        server.route(f"/p{index}", page_or_kill)
    assert run(db, "feeds", "add", server.url("/rss")).exit_code == 0
    args = ["--set", f"watch_page_workers={page_workers}", "watch", "--once", "--stages", stages]
    first = subprocess.Popen(command(db, *args), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    victim["proc"] = first
    first.communicate(timeout=60)
    assert first.returncode == -signal.SIGKILL
    assert sum(served.values()) == kill_at
    with Store.open(db) as store:
        if stages == "all":  # the pages served wait for their NLP batch: none is stored
            assert store.counts()["articles"] == 0
    second = subprocess.run(command(db, *args), capture_output=True, timeout=60)
    assert second.returncode == 0, second.stderr.decode()
    assert served == Counter({f"/p{i}": 1 for i in range(6)})
    if stages == "all":  # the three pages served before the kill came from the store
        assert "; 3 page(s) taken from the store" in second.stderr.decode()
    with Store.open(db) as store:
        (feed,) = list_feeds(store)
        assert entry_counts(store)[feed.id] == {"stored": 6, "pending": 0, "failed": 0}
        assert store.counts()["articles"] == 6
        assert saved_page_count(store) == 0
        if stages == "all":
            assert store.counts()["entities"] > 0
    assert server.hits("/rss") == 1  # the restart did not need the feed again


def test_sigterm_finishes_the_entry_in_hand_and_exits_cleanly(
    tmp_path: Path, server: LocalServer
) -> None:
    links = serve_pages(server, *[f"/p{i}" for i in range(4)])
    server.route(
        "/rss", feed_reply(rss([item(f"S{i}", u, guid=str(i)) for i, u in enumerate(links)]))
    )
    watcher: dict[str, subprocess.Popen[bytes]] = {}

    def terminate_then_answer(request: SeenRequest) -> Reply:
        watcher["proc"].send_signal(signal.SIGTERM)  # arrives while this page is in hand
        return Reply(delay=0.2, body=page("Story p1").body, headers={"Content-Type": "text/html"})

    server.route("/p1", terminate_then_answer)
    db = tmp_path / "w.db"
    run(db, "feeds", "add", server.url("/rss"))
    watcher["proc"] = subprocess.Popen(command(db, "watch", "--stages", "extract"),
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    _, stderr = watcher["proc"].communicate(timeout=60)
    assert watcher["proc"].returncode == 0, stderr.decode()
    with Store.open(db) as store:
        (feed,) = list_feeds(store)
        assert entry_counts(store)[feed.id] == {"stored": 2, "pending": 2, "failed": 0}
    assert [server.hits(f"/p{i}") for i in range(4)] == [1, 1, 0, 0]
    assert "2 pending" in stderr.decode()
