"""Two stores on one file, as two processes would have: writes wait, duplicates are seen."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from tests.store.builders import nato_article
from wirewatch.errors import StoreError
from wirewatch.store import AddResult, Store


def test_a_second_store_sees_the_first_ones_articles(store: Store, store_target: str) -> None:
    store.add_article(nato_article())
    with Store.open(store_target) as other:
        assert other.get_article(nato_article().id) == nato_article()
        assert other.add_article(nato_article()) is AddResult.DUPLICATE_URL


def test_a_write_waits_for_another_writer_then_fails_clearly(store_path: Path) -> None:
    with Store.open(store_path, busy_timeout=0.2) as store:
        with closing(sqlite3.connect(store_path, isolation_level=None)) as other_writer:
            other_writer.execute("BEGIN IMMEDIATE")
            with pytest.raises(StoreError) as caught:
                store.add_article(nato_article())
            assert caught.value.code == "store_busy"
            assert "database is locked" in caught.value.message
            assert store.search("Stoltenberg") == []  # readers are not blocked by the writer
            other_writer.execute("ROLLBACK")
        assert store.add_article(nato_article()) is AddResult.ADDED
