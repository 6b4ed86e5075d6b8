"""The archives table, and writes joining an open transaction (how progress is kept exact)."""

from __future__ import annotations

from pathlib import Path

import pytest

from wirewatch.model import Article, Failure
from wirewatch.store import Store
from wirewatch.store.archives import (
    Progress,
    find_archive,
    identify,
    list_archives,
    save_progress,
    start_archive,
)


def test_writes_inside_a_transaction_are_undone_with_it(store: Store) -> None:
    article = Article(text="NATO ministers met in Brussels.", source="a")
    with pytest.raises(RuntimeError), store.transaction():
        store.add_article(article)
        store.add_failure(Failure("b", "collect", "bad_warc", "cut"))
        raise RuntimeError("killed between the results and the position")

    assert store.counts()["articles"] == 0 and store.counts()["failures"] == 0
    with store.transaction():
        store.add_article(article)
        store.add_failure(Failure("b", "collect", "bad_warc", "cut"))
    assert store.counts()["articles"] == 1 and store.counts()["failures"] == 1


def test_an_archive_is_known_by_size_and_head_not_by_name(store: Store, tmp_path: Path) -> None:
    first = tmp_path / "a.warc.gz"
    first.write_bytes(b"WARC/1.0\r\n" + b"x" * 100)
    row = start_archive(store, identify(first), "a.warc.gz")
    with store.transaction() as conn:
        save_progress(conn, row.id, Progress(7, 4096, "<urn:uuid:1>", articles=3, failures=1))

    renamed = first.rename(tmp_path / "b.warc.gz")
    found = find_archive(store, identify(renamed))
    replaced = tmp_path / "a.warc.gz"
    replaced.write_bytes(b"WARC/1.0\r\n" + b"y" * 100)

    assert found is not None and found.id == row.id
    assert (found.records, found.position, found.last_record_id) == (7, 4096, "<urn:uuid:1>")
    assert (found.articles, found.failures, found.state) == (3, 1, "running")
    assert find_archive(store, identify(replaced)) is None
    assert [r.id for r in list_archives(store)] == [row.id]
