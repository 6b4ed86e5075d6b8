"""The archive executor: resume after SIGKILL, --jobs 2 equals --jobs 1, done archives skipped."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from tests.support.warcs import mixed_archive, write
from wirewatch.run.archives import ingest_archives
from wirewatch.settings import Settings
from wirewatch.store import Store
from wirewatch.store.archives import list_archives

SMALL_BATCHES = Settings(nlp_batch_size=2)  # a batch (and a position) every 4 pages


def stored(db: Path) -> tuple[set[str], Counter[tuple[str, str, str, str]]]:
    """Article ids, and failure rows without their time, in the store at ``db``."""
    with sqlite3.connect(db) as conn:
        ids = {row[0] for row in conn.execute("SELECT id FROM articles")}
        failures = Counter(
            (row[0], row[1], row[2], row[3])
            for row in conn.execute("SELECT source, stage, code, message FROM failures")
        )
    return ids, failures


def run_into(db: Path, paths: list[Path], *, jobs: int = 1, again: bool = False) -> None:
    with Store.open(db) as store:
        ingest_archives([str(p) for p in paths], store, SMALL_BATCHES, stages="extract",
                        jobs=jobs, again=again)  # fmt: skip


def test_a_run_killed_mid_file_resumes_to_exactly_an_uninterrupted_run(tmp_path: Path) -> None:
    built = mixed_archive(300, gzipped=True)
    # Cut inside the last record: the archive's break is part of what both runs must store.
    archive = write(tmp_path / "crawl.warc.gz", built.data[: built.offsets[-1] + 40])
    reference = tmp_path / "reference.db"
    run_into(reference, [archive])

    killed = tmp_path / "killed.db"
    wirewatch = str(Path(sys.executable).parent / "wirewatch")
    command = [wirewatch, "--db", str(killed), "-q", "--set", "nlp_batch_size=2",
               "ingest", "--stages", "extract", str(archive)]  # fmt: skip
    process = subprocess.Popen(command, cwd=tmp_path, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 180  # ends at 200 records
        while time.monotonic() < deadline and _records(killed) < 200:
            time.sleep(0.02)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait()
    with Store.open(killed) as store:
        (row,) = list_archives(store)
    assert row.state == "running" and 0 < row.records < len(built.offsets)  # killed mid-file

    run_into(killed, [archive])  # the same command again: goes on from the position

    with Store.open(killed) as store:
        (row,) = list_archives(store)
    assert row.state == "failed"  # the cut at the end
    assert stored(killed) == stored(reference)
    ids, failures = stored(reference)
    assert len(ids) == 299  # the last page is cut; the 60 empty pages are no_text failures
    assert sum(1 for key in failures if key[2] == "no_text") == 60
    assert sum(1 for key in failures if key[2] == "bad_warc") == 1


def _records(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=0.1) as conn:
            found = conn.execute("SELECT max(records) FROM archives").fetchone()
    except sqlite3.Error:
        return 0
    return int(found[0] or 0)


def test_two_archives_with_two_jobs_store_what_one_job_stores(tmp_path: Path) -> None:
    first = write(tmp_path / "a.warc.gz", mixed_archive(20, gzipped=True).data)
    second = write(tmp_path / "b.warc", mixed_archive(20, gzipped=False, start=100).data)

    run_into(tmp_path / "one.db", [first, second], jobs=1)
    run_into(tmp_path / "two.db", [first, second], jobs=2)

    assert stored(tmp_path / "one.db") == stored(tmp_path / "two.db")
    assert len(stored(tmp_path / "one.db")[0]) == 40
    with Store.open(tmp_path / "two.db") as store:
        rows = list_archives(store)
    assert sorted((r.state, r.articles, r.failures) for r in rows) == [("done", 20, 4)] * 2


def test_a_done_archive_is_skipped_even_renamed_and_redone_with_again(tmp_path: Path) -> None:
    archive = write(tmp_path / "a.warc.gz", mixed_archive(5, gzipped=True).data)
    db = tmp_path / "s.db"
    run_into(db, [archive])
    renamed = archive.rename(tmp_path / "renamed.warc.gz")

    with Store.open(db) as store:
        skipped = ingest_archives([str(renamed)], store, SMALL_BATCHES, stages="extract")
        assert len(skipped.skipped) == 1 and "already ingested (done" in skipped.skipped[0]
        again = ingest_archives([str(renamed)], store, SMALL_BATCHES, stages="extract",
                                again=True)  # fmt: skip
        (row,) = list_archives(store)
    assert again.summary.added == 0 and again.summary.duplicates == 5
    assert row.path == str(renamed.resolve()) and row.state == "done" and row.records == 14


def test_sigterm_with_two_jobs_stops_cleanly_and_the_rerun_completes(tmp_path: Path) -> None:
    first = write(tmp_path / "a.warc.gz", mixed_archive(150, gzipped=True).data)
    second = write(tmp_path / "b.warc.gz", mixed_archive(150, gzipped=True, start=1000).data)
    reference = tmp_path / "reference.db"
    run_into(reference, [first, second])

    stopped = tmp_path / "stopped.db"
    wirewatch = str(Path(sys.executable).parent / "wirewatch")
    command = [wirewatch, "--db", str(stopped), "-q", "--set", "nlp_batch_size=2",
               "ingest", "--stages", "extract", "--jobs", "2", str(first), str(second)]  # fmt: skip
    process = subprocess.Popen(command, cwd=tmp_path, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 180  # ends at 40 records; a loaded machine is slow to start
    while time.monotonic() < deadline and _records(stopped) < 40:
        time.sleep(0.02)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=180)

    assert process.returncode == 130, stderr
    assert "position is saved" in stderr
    with Store.open(stopped) as store:
        assert {row.state for row in list_archives(store)} == {"running"}

    run_into(stopped, [first, second], jobs=2)

    assert stored(stopped) == stored(reference)


def test_the_archives_command_lists_state_counts_and_position(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from wirewatch.cli import main

    archive = write(tmp_path / "a.warc.gz", mixed_archive(5, gzipped=True).data)
    db = str(tmp_path / "s.db")
    runner = CliRunner()
    first = runner.invoke(main, ["--db", db, "ingest", "--stages", "extract", str(archive)])
    again = runner.invoke(main, ["--db", db, "ingest", "--stages", "extract", str(archive)])
    listed = runner.invoke(main, ["--db", db, "archives"])

    assert first.exit_code == 1  # the empty page is a no_text failure
    assert "already ingested (done: 14 records, 5 articles, 1 failures)" in again.stderr
    assert again.exit_code == 0
    (line,) = listed.stdout.splitlines()
    assert line.split()[:9] == ["done", "14", "records", "5", "articles", "0", "duplicates",
                                "1", "failures"]  # fmt: skip
    assert line.endswith(str(archive.resolve()))
