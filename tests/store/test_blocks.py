"""The blocks table (Ray runs' block markers), on both backends: a block is started, found,
finished with its counts inside the transaction that stores its results, and started again."""

from __future__ import annotations

import pytest

from wirewatch.store import Store
from wirewatch.store.blocks import BlockCounts, find_block, finish_block, list_blocks, start_block


def test_a_block_is_running_until_finished_in_a_transaction(store_target: str) -> None:
    with Store.open(store_target) as store:
        assert find_block(store, "k1") is None
        start_block(store, "k1", "pages/a.html", 2)
        row = find_block(store, "k1")
        assert row is not None and row.state == "running" and row.finished is None
        assert (row.first_input, row.inputs) == ("pages/a.html", 2)
        with pytest.raises(RuntimeError), store.transaction() as conn:
            finish_block(conn, "k1", BlockCounts(2, 1, 1, 0, 0))
            raise RuntimeError("the block's results were not stored")
        row = find_block(store, "k1")
        assert row is not None and row.state == "running"  # undone with the results
        with store.transaction() as conn:
            finish_block(conn, "k1", BlockCounts(2, 1, 1, 0, 0))
        row = find_block(store, "k1")
        assert row is not None and row.state == "done" and row.finished is not None
        assert (row.documents, row.articles, row.copies, row.duplicates, row.failures) == (
            2, 1, 1, 0, 0,
        )  # fmt: skip
        start_block(store, "k2", "pages/c.html", 1)
        start_block(store, "k1", "pages/a.html", 2)  # --again: started afresh
        again = find_block(store, "k1")
        assert again is not None and again.state == "running" and again.articles == 0
        assert sorted(row.key for row in list_blocks(store)) == ["k1", "k2"]
