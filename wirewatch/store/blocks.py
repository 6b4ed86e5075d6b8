"""The blocks table: each block of inputs a Ray run read (not WARC files: see ``archives``;
the record ranges of a split WARC file are blocks, linked to it: ``split_archives``).

A block is known by a key its reader computes (``run/cluster/markers.py``). A run marks a
block ``running`` before sending it out and ``done`` inside the transaction that stores its
results (``finish_block`` takes that transaction's connection), so a run killed at any moment
leaves every block either done, with all its results, or to be read again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from wirewatch.model import utc_now
from wirewatch.store.backends import Connection
from wirewatch.store.store import Store

BlockState = Literal["running", "done"]


@dataclass(frozen=True, slots=True)
class BlockCounts:
    """What storing one block did."""

    documents: int = 0
    articles: int = 0
    copies: int = 0
    duplicates: int = 0
    failures: int = 0


@dataclass(frozen=True, slots=True)
class BlockRow:
    """One row of the blocks table."""

    key: str
    first_input: str
    inputs: int
    state: BlockState
    documents: int
    articles: int
    copies: int
    duplicates: int
    failures: int
    started: str
    finished: str | None
    split: str | None = None  # a record range's split WARC file (``split_archives``)


def find_block(store: Store, key: str) -> BlockRow | None:
    row = store.connection.execute("SELECT * FROM blocks WHERE key = ?", (key,)).fetchone()
    return block_row(row) if row is not None else None


def start_block(
    store: Store, key: str, first_input: str, inputs: int, *, split: str | None = None
) -> None:
    """A ``running`` row for the block, its counts zero (an old row for it is reset);
    ``split``: the key of the split WARC file the block is a record range of."""
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO blocks (key, first_input, inputs, state, started, split) "
            "VALUES (?, ?, ?, 'running', ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET first_input = excluded.first_input, "
            "inputs = excluded.inputs, state = 'running', documents = 0, articles = 0, "
            "copies = 0, duplicates = 0, failures = 0, started = excluded.started, "
            "finished = NULL, split = excluded.split",
            (key, first_input, inputs, utc_now(), split),
        )


def finish_block(conn: Connection, key: str, counts: BlockCounts) -> None:
    """The block is done; call inside the transaction that stored its results."""
    conn.execute(
        "UPDATE blocks SET state = 'done', documents = ?, articles = ?, copies = ?, "
        "duplicates = ?, failures = ?, finished = ? WHERE key = ?",
        (
            counts.documents,
            counts.articles,
            counts.copies,
            counts.duplicates,
            counts.failures,
            utc_now(),
            key,
        ),
    )


def list_blocks(store: Store) -> list[BlockRow]:
    """Every block, most recently started first."""
    found = store.connection.execute("SELECT * FROM blocks ORDER BY started DESC, key")
    return [block_row(row) for row in found]


def block_row(row: Any) -> BlockRow:
    """A ``SELECT *`` row of ``blocks`` as a ``BlockRow``."""
    return BlockRow(*tuple(row))  # the columns in the order of the fields
