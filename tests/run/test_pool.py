"""The extraction pool: same results whatever the number of workers, hangs killed at the cap."""

from __future__ import annotations

import io
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from wirewatch.model import Article, Failure, RawDocument
from wirewatch.run.ingest import ingest
from wirewatch.run.local import RunStats, analyze_documents, extract_stage
from wirewatch.run.pool import ExtractPool
from wirewatch.settings import Settings
from wirewatch.store import Store
from wirewatch.store.export import export_records

ROOT = Path(__file__).parents[2]
SAMPLES = ROOT / "samples"


def _page(words: str) -> bytes:
    return (
        "<!DOCTYPE html><html><head><title>Harbour</title></head><body><article>"
        f"<h1>Harbour council votes on {words}</h1>"
        f"<p>The council of Harwick voted on Tuesday about {words} after a long debate.</p>"
        "<p>Residents filled the hall and the mayor said the vote would stand.</p>"
        "</article></body></html>"
    ).encode()


def _hang() -> bytes:
    # lxml parses the attributes of one element in quadratic time, inside one C call that no
    # signal interrupts: minutes even on an idle core, far past the cap given below.
    attributes = " ".join(f'a{i}="x"' for i in range(200_000))
    return f"<html><body><div {attributes}>x</div><p>Words.</p></body></html>".encode()


def _documents(contents: list[bytes]) -> list[RawDocument]:
    return [
        RawDocument(source=f"doc{i}", content=content, content_type="html")
        for i, content in enumerate(contents)
    ]


def _stored(db: Path) -> tuple[list[dict[str, object]], list[tuple[str, str, str]]]:
    out = io.StringIO()
    with Store.open(db) as store:
        export_records(store, "articles", "jsonl", out)
        failures = sorted((f.source, f.stage, f.code) for f in store.failures(limit=1000))
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    for row in rows:
        row.pop("fetched_at", None)  # the time of each run
    return sorted(rows, key=lambda row: str(row["id"])), failures


def test_one_and_several_workers_store_the_same_results(tmp_path: Path) -> None:
    stored = []
    for workers in ("1", "3"):
        db = tmp_path / f"w{workers}.db"
        settings = Settings.from_sources({"extract_workers": workers, "nlp_processes": "1"})
        with Store.open(db) as store:
            ingest([str(SAMPLES)], store, settings, stages="extract")
        stored.append(_stored(db))
    assert stored[0][0], "the samples give articles"
    assert stored[0] == stored[1]


def test_results_come_in_input_order_with_collection_failures_in_place() -> None:
    items: list[RawDocument | Failure] = [*_documents([_page(f"item {i}") for i in range(9)])]
    items.insert(4, Failure("gone.html", "collect", "not_found", "no such file"))
    items.insert(0, Failure("first.html", "collect", "not_found", "no such file"))
    stats = RunStats()
    results = list(extract_stage(items, Settings(), stats, workers=3))
    assert [r.source for r in results] == [i.source for i in items]
    assert all(isinstance(r, Article) for r in results if r.source.startswith("doc"))
    assert stats.documents == 9
    assert stats.extract_workers == 3


def test_a_page_that_hangs_inside_c_code_is_killed_and_the_run_goes_on() -> None:
    settings = Settings(extract_timeout=1.5)
    documents = _documents([_page("one"), _hang(), _page("three")])
    started = time.monotonic()
    with ExtractPool(settings, workers=1) as pool:
        results = list(pool.imap(documents))
        assert pool.stats.killed == 1
    elapsed = time.monotonic() - started
    assert [type(r) for r in results] == [Article, Failure, Article]
    failure = results[1]
    assert isinstance(failure, Failure)
    assert (failure.source, failure.stage, failure.code) == ("doc1", "extract", "extract_timeout")
    assert elapsed < 60.0  # cap 1.5 s + 1.5 s slack + a fresh worker; not the parse's minutes


def test_documents_read_before_an_input_error_are_handed_on_first() -> None:
    def broken() -> Iterator[RawDocument]:
        yield from _documents([_page("one"), _page("two")])
        raise OSError("disk gone")

    seen: list[str] = []
    with pytest.raises(OSError, match="disk gone"):
        for result in analyze_documents(broken(), Settings(nlp_processes=1), stages="all"):
            seen.append(result.source)
    assert seen == ["doc0", "doc1"]


def test_no_worker_is_started_without_documents() -> None:
    failure = Failure("gone.html", "collect", "not_found", "no such file")
    with ExtractPool(Settings(), workers=2) as pool:
        assert list(pool.imap([failure])) == [failure]
        assert pool.stats.started_workers == 0
