"""WARC files split into record ranges (``run/cluster/ranges.py``): cut only at gzip members
that start a record, each range read alone giving exactly the file's records in it; a split
file's ranges tracked in the store (``markers.py``) and listed by ``wirewatch archives``.

No Ray here: ``test_copies.py`` runs a split file through a whole run (and a local run going
on after a Ray run stopped midway). A local run reads a split file's ranges not done.
"""

from __future__ import annotations

import gzip
import itertools
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.support.copy_corpus import copy_corpus
from tests.support.warcs import article_archive
from wirewatch.cli import main
from wirewatch.collect.warc import ArchiveRecord, read_archive, read_archive_range
from wirewatch.run.archives import ingest_archives
from wirewatch.run.cluster.markers import mark_done, plan
from wirewatch.run.cluster.ranges import block_spans, record_ranges
from wirewatch.settings import Settings
from wirewatch.store import Store
from wirewatch.store.archives import list_archives
from wirewatch.store.blocks import BlockCounts
from wirewatch.store.split_archives import list_splits


def _seen(records: list[ArchiveRecord]) -> list[tuple[object, ...]]:
    return [
        (r.offset, r.record_id, r.ends, getattr(r.item, "source", None), type(r.item).__name__)
        for r in records
    ]


def test_a_per_record_gzipped_warc_is_cut_at_records(tmp_path: Path) -> None:
    pages = [(p.url, p.title, p.text) for p in copy_corpus(40)]
    path = article_archive(tmp_path / "a.warc.gz", pages)
    size = path.stat().st_size
    spans = record_ranges(str(path), size // 4)
    assert len(spans) >= 4
    assert spans[0][0] == 0 and spans[-1][1] == size
    assert all(a[1] == b[0] for a, b in itertools.pairwise(spans))
    whole = list(read_archive(path, Settings()))
    parts = [
        record
        for start, end in spans
        for record in read_archive_range(path, Settings(), None, start, end)
    ]
    assert _seen(parts) == _seen(whole)
    assert sum(r.item is not None for r in parts) == 40
    assert {r.offset for r in whole} >= {start for start, _ in spans}  # each cut is a record
    assert block_spans((str(path),), size // 4) == spans
    assert block_spans((str(path),), 0) == [None]
    assert block_spans((str(path),), size) == [None]
    assert record_ranges(str(path), size) == [(0, size)]


def test_a_warc_with_no_members_to_cut_at_stays_whole(tmp_path: Path) -> None:
    pages = [(p.url, p.title, p.text) for p in copy_corpus(20)]
    plain = gzip.decompress(article_archive(tmp_path / "a.warc.gz", pages).read_bytes())
    (tmp_path / "b.warc").write_bytes(plain)
    (tmp_path / "c.warc.gz").write_bytes(gzip.compress(plain))  # one gzip stream
    for name in ("b.warc", "c.warc.gz"):
        path = str(tmp_path / name)
        size = Path(path).stat().st_size
        assert record_ranges(path, size // 4) == [(0, size)]
        assert block_spans((path,), size // 4) == [None]
    html = tmp_path / "page.html"
    html.write_text("<p>not a WARC file</p>" * 100)
    assert block_spans((str(html),), 10) == [None]


def test_a_split_warc_is_listed_with_its_ranges_and_skipped_once_done(
    store_target: str, tmp_path: Path
) -> None:
    pages = [(p.url, p.title, p.text) for p in copy_corpus(40)]
    path = str(article_archive(tmp_path / "a.warc.gz", pages))
    block_bytes = Path(path).stat().st_size // 4
    with Store.open(store_target) as store:
        first = plan([(path,)], store, block_bytes=block_bytes)
        total = len(first.blocks)
        assert total >= 4 and first.skipped_blocks == 0
        assert list_archives(store) == []  # not an archives row: a split file
        (split,) = list_splits(store)
        assert (split.path, split.source) == (str(Path(path).resolve()), path)
        assert (split.state, split.ranges, split.ranges_done) == ("running", total, 0)
        # The first range stored (as a run stores it: its marker in the same transaction).
        with store.transaction() as conn:
            mark_done(conn, first.blocks[0].marker, None, BlockCounts(10, 8, 1, 1, 0))
        again = plan([(path,)], store, block_bytes=block_bytes)  # a run started again
        assert (len(again.blocks), again.skipped_blocks) == (total - 1, 1)
        (split,) = list_splits(store)
        assert (split.state, split.ranges_done, split.documents, split.articles) == (
            "running", 1, 10, 8,
        )  # fmt: skip
        for item in again.blocks:
            with store.transaction() as conn:
                mark_done(conn, item.marker, None, BlockCounts(10, 9, 0, 1, 0))
        (split,) = list_splits(store)
        assert (split.state, split.ranges, split.ranges_done) == ("done", total, total)
        assert (split.articles, split.copies, split.duplicates) == (8 + 9 * (total - 1), 1, total)
        assert split.finished is not None
        done = plan([(path,)], store, block_bytes=block_bytes)
        assert (done.blocks, done.skipped_blocks) == ([], total)
        assert done.skipped[0].startswith(f"{path}: already ingested (done: {total} record")
        whole = plan([(path,)], store, block_bytes=0)  # not split this time: still done
        assert (whole.blocks, whole.skipped_blocks, whole.skipped) == ([], 1, done.skipped)
        local = ingest_archives([path], store, Settings(), stages="extract")
        assert local.skipped == done.skipped and local.summary.added == 0
        assert list_archives(store) == []
    if store_target.startswith("postgresql"):
        return
    listed = CliRunner().invoke(main, ["--db", store_target, "archives"])
    assert listed.exit_code == 0, listed.output
    assert f"ranges {total}/{total}" in listed.output and listed.output.startswith("done")
    assert listed.output.rstrip().endswith(str(Path(path).resolve()))
    rows = CliRunner().invoke(main, ["--db", store_target, "archives", "--format", "jsonl"])
    (row,) = [json.loads(line) for line in rows.output.splitlines()]
    assert (row["ranges"], row["ranges_done"], row["state"]) == (total, total, "done")


def _stored(store: Store) -> tuple[object, ...]:
    return sorted(article.id for article in store.iter_articles()), store.counts()


def test_a_local_run_goes_on_with_the_ranges_not_done(tmp_path: Path) -> None:
    # A split file's ranges (as a Ray run plans them) read by local runs: one stopped inside
    # its second range keeps the first whole and nothing of the second; the next, two files
    # at once (--jobs 2), reads only the ranges not done and ends with what one local run of
    # the files stores.
    corpus = [(p.url, p.title, p.text) for p in copy_corpus(40)]
    whole = str(article_archive(tmp_path / "a.warc.gz", corpus[:32]))
    other = str(article_archive(tmp_path / "b.warc.gz", corpus[32:]))
    block_bytes = Path(whole).stat().st_size // 4
    with Store.open(tmp_path / "local.db") as store:
        ingest_archives([whole, other], store, Settings(), stages="extract")
        expected = _stored(store)
    with Store.open(tmp_path / "split.db") as store:
        ranges = len(plan([(whole,)], store, block_bytes=block_bytes).blocks)
        assert ranges >= 4

        def stop_in_the_second_range(_: object) -> None:
            if list_splits(store)[0].ranges_done:
                raise KeyboardInterrupt  # as Ctrl-C does

        with pytest.raises(KeyboardInterrupt):
            ingest_archives(
                [whole, other], store, Settings(), stages="extract",
                on_progress=stop_in_the_second_range,
            )  # fmt: skip
        (split,) = list_splits(store)
        assert (split.state, split.ranges_done) == ("running", 1)
        assert 0 < split.articles == len(_stored(store)[0])  # the first range, whole; no more
        (row,) = list_archives(store)  # the other file not reached yet
        assert (row.state, row.records, row.articles) == ("running", 0, 0)
        run = ingest_archives([whole, other], store, Settings(), stages="extract", jobs=2)
        assert run.skipped == [
            f"{whole}: 1 of {ranges} record ranges already stored by a Ray run, skipped; "
            f"reading the other {ranges - 1}"
        ]
        assert _stored(store) == expected
        assert run.summary.added + split.articles == len(expected[0])
        (split,) = list_splits(store)
        (row,) = list_archives(store)
        assert (split.state, split.ranges_done, row.path, row.state) == (
            "done", ranges, str(Path(other).resolve()), "done",
        )  # fmt: skip
        assert split.articles + row.articles == len(expected[0])  # each counted once
        assert split.documents == 32
        again = ingest_archives([whole, other], store, Settings(), stages="extract")
        assert again.summary.added == 0 and len(again.skipped) == 2
