"""Every command over a PostgreSQL store gives what it gives over SQLite: the demo store in
both, the same commands, the same output; and ``wirewatch db`` status, upgrade and copy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.run.watchkit import feed_reply, item, rss, serve_pages
from tests.store.builders import short_article
from tests.support.httpserver import LocalServer
from tests.support.postgres import PostgresServer
from tests.support.warcs import mixed_archive, write
from wirewatch.cli import main
from wirewatch.errors import StoreError
from wirewatch.store import Store, copy
from wirewatch.store.copy import TABLES, copy_store
from wirewatch.store.feeds import list_feeds
from wirewatch.store.schema import latest_version

# Watched feeds are data: the watcher reaches the local test server only through the allow-list.
FAST = [
    "--set", "watch_host_delay=0.01",
    "--set", "http_total_timeout=3",
    "--set", "fetch_allow_networks=127.0.0.0/8,::1",
]  # fmt: skip

# Searches whose hits all rank apart are compared in order; the others as sets of hits
# (the backends rank with different functions: bm25 in SQLite, ts_rank in PostgreSQL).
SAME_OUTPUT = (
    ["search", "--speaker", "Stoltenberg"],
    ["search", "--cameo", "19", "--format", "json"],
    ["search", "--actor", "RUS", "--format", "json"],
    ["search", "--country", "UKR", "--format", "json"],
    ["search", "--plover", "ASSAULT", "--since", "2014", "--format", "json"],
    ["stories"],
    ["stories", "--format", "json"],
    ["show", "f2dfca0c27519a6f", "--format", "json"],
    ["export", "--format", "jsonl"],
    ["export", "--format", "csv"],
    ["export", "--what", "events", "--format", "gdelt"],
    ["export", "--what", "events", "--format", "jsonl", "--asserted-only"],
    ["export", "--what", "events", "--format", "plover"],
    ["export", "--what", "quotes", "--format", "csv"],
    ["export", "--what", "quotes", "--format", "jsonl", "--per-mention"],
    ["failures"],
    ["feeds", "list"],
)
SAME_HITS = ("Stoltenberg", "pro-Russian", '"territorial integrity"', "NATO OR Kremlin", "Kiev*")


def run(db: str, args: list[str]) -> str:
    result = CliRunner().invoke(main, ["-q", "--db", db, *args])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("args", SAME_OUTPUT, ids=lambda a: " ".join(a))
def test_a_command_says_the_same_over_both_backends(
    args: list[str], demo_db: Path, demo_postgres: str
) -> None:
    assert run(demo_postgres, args) == run(str(demo_db), args)


@pytest.mark.parametrize("query", SAME_HITS)
def test_a_search_finds_the_same_articles_in_the_same_order_over_both_backends(
    query: str, demo_db: Path, demo_postgres: str
) -> None:
    def hits(db: str) -> list[str]:
        lines = run(db, ["search", query, "--format", "json"]).splitlines()
        return [json.loads(line)["id"] for line in lines]

    found = hits(str(demo_db))
    assert found
    assert hits(demo_postgres) == found


def test_a_query_that_cannot_parse_is_the_users_error_on_both(
    demo_db: Path, demo_postgres: str
) -> None:
    for db in (str(demo_db), demo_postgres):
        result = CliRunner().invoke(main, ["--db", db, "search", "NATO AND"])
        assert result.exit_code == 2
        assert "need a search term on each side" in result.output


def test_the_store_can_come_from_the_environment(demo_postgres: str) -> None:
    result = CliRunner().invoke(main, ["-q", "stories"], env={"WIREWATCH_DB": demo_postgres})
    assert result.exit_code == 0, result.output
    assert result.stdout == run(demo_postgres, ["stories"])


def test_db_status_and_upgrade(postgres_url: str) -> None:
    result = CliRunner().invoke(main, ["--db", postgres_url, "db", "status", "--format", "json"])
    assert result.exit_code == 0, result.output
    before = json.loads(result.stdout)
    assert before["backend"] == "postgresql"
    assert before["version"] == 0
    assert len(before["pending"]) == latest_version()

    upgraded = CliRunner().invoke(main, ["--db", postgres_url, "db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    assert upgraded.stdout.count("applied") == latest_version()
    after = json.loads(
        CliRunner().invoke(main, ["--db", postgres_url, "db", "status", "--format", "json"]).stdout
    )
    assert after["version"] == after["latest"] == latest_version()
    assert after["pending"] == []
    assert [a["version"] for a in after["applied"]] == list(range(1, latest_version() + 1))


def test_db_copy_goes_there_and_back_with_every_row(
    demo_db: Path, postgres_server: PostgresServer, tmp_path: Path
) -> None:
    back = tmp_path / "back.db"
    with postgres_server.schema() as url:
        there = CliRunner().invoke(main, ["-q", "db", "copy", str(demo_db), url])
        assert there.exit_code == 0, there.output
        assert "every count checked" in there.stdout
        again = CliRunner().invoke(main, ["-q", "db", "copy", str(demo_db), url])
        assert again.exit_code == 0, again.output
        assert again.stdout.startswith("copied 0 rows")  # everything was there already
        home = CliRunner().invoke(main, ["-q", "db", "copy", url, str(back)])
        assert home.exit_code == 0, home.output
        # A new article in the copy takes the next number, after the copied ones.
        with Store.open(url) as store:
            store.add_article(short_article("Moscow answered on Tuesday.", "https://n.example/1"))
            seqs = [
                row[0] for row in store.connection.execute("SELECT seq FROM articles ORDER BY seq")
            ]
            assert seqs == list(range(1, len(seqs) + 1))
    for args in (
        ["export", "--format", "jsonl"],
        ["export", "--what", "events", "--format", "gdelt"],
    ):
        assert run(str(back), args) == run(str(demo_db), args)
    assert run(str(back), ["search", "Stoltenberg"]) == run(str(demo_db), ["search", "Stoltenberg"])


def test_a_stopped_copy_resumes_where_it_stopped(
    demo_db: Path, postgres_server: PostgresServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(copy, "_PAGE", 100)

    class Stop(Exception):
        pass

    def stop_in_entities(table: str, rows: int) -> None:
        if table == "entities":
            raise Stop

    with postgres_server.schema() as url:
        with Store.open(demo_db) as source, Store.open(url) as target:
            with pytest.raises(Stop):
                copy_store(source, target, stop_in_entities)
            # A partial copy is not mistaken for a whole one.
            assert target.counts()["articles"] == source.counts()["articles"]
            assert target.counts()["entities"] < source.counts()["entities"]
            results = copy_store(source, target)
        copied = {r.name: r.copied for r in results}
        assert copied["articles"] == 0  # done before the stop: not read again
        assert copied["entities"] > 0
        assert all(r.source_rows == r.target_rows for r in results)
        assert {r.name for r in results} == {t.name for t in TABLES}


def test_a_copy_between_different_schema_versions_is_refused(
    demo_db: Path, postgres_url: str
) -> None:
    with Store.open(demo_db) as source, Store.open(postgres_url) as target:
        target.connection.execute(
            "DELETE FROM schema_migrations "
            "WHERE version = (SELECT max(version) FROM schema_migrations)"
        )
        with pytest.raises(StoreError, match="schema version"):
            copy_store(source, target)


def test_watch_stores_a_feeds_entries_in_either_store(store_target: str) -> None:
    db = store_target
    with LocalServer() as server:
        a, b = serve_pages(server, "/a", "/b")
        server.route("/rss", feed_reply(rss([item("Story a", a, guid="1"), item("Story b", b)])))
        added = CliRunner().invoke(main, ["--db", db, *FAST, "feeds", "add", server.url("/rss")])
        assert added.exit_code == 0, added.output
        first = CliRunner().invoke(
            main, ["--db", db, *FAST, "watch", "--once", "--stages", "extract"]
        )
        assert first.exit_code == 0, first.output
        assert "2 article(s) stored" in first.stderr
        again = CliRunner().invoke(
            main, ["--db", db, *FAST, "watch", "--once", "--stages", "extract"]
        )
        assert again.exit_code == 0 and again.stdout == ""
    with Store.open(db) as store:
        assert store.counts()["articles"] == 2
        assert [f.url for f in list_feeds(store)] == [server.url("/rss")]


def test_a_warc_is_ingested_and_listed_in_either_store(store_target: str, tmp_path: Path) -> None:
    db = store_target
    archive = write(tmp_path / "news.warc.gz", mixed_archive(10, gzipped=True).data)
    ingested = CliRunner().invoke(
        main, ["-q", "--db", db, "ingest", "--stages", "extract", str(archive)]
    )
    assert ingested.exit_code == 1, ingested.output  # the archive's empty pages fail, as planned
    listed = CliRunner().invoke(main, ["--db", db, "archives", "--format", "jsonl"])
    assert listed.exit_code == 0, listed.output
    [row] = [json.loads(line) for line in listed.stdout.splitlines()]
    assert row["state"] == "done"
    assert row["articles"] == 10
    assert row["failures"] == 2  # the two pages with no text
    with Store.open(db) as store:
        assert store.counts()["articles"] == 10
        assert store.counts()["failures"] == 2
