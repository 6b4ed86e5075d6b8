"""WARC files split into record ranges (``run/cluster/ranges.py``): cut only at gzip members
that start a record, each range read alone giving exactly the file's records in it.

No Ray here: ``test_copies.py`` runs a split file through a whole run.
"""

from __future__ import annotations

import gzip
import itertools
from pathlib import Path

from tests.support.copy_corpus import copy_corpus
from tests.support.warcs import article_archive
from wirewatch.collect.warc import ArchiveRecord, read_archive, read_archive_range
from wirewatch.run.cluster.ranges import block_spans, record_ranges
from wirewatch.settings import Settings


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
