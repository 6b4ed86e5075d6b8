"""Migration 13: the blocks table, one row per block of inputs a Ray run read (run/cluster/).

Released: never edit; change the schema in a new migration (see ``wirewatch.store.schema``).
"""

from __future__ import annotations

from wirewatch.store.backends import Connection
from wirewatch.store.schema import migration, run_statements

# - A block is known by ``key``: the SHA-256 of its files' names, sizes and modification
#   times, so the same files give the same key and a changed file a new one. ``first_input``
#   and ``inputs`` (how many) are kept for people. WARC files are tracked in ``archives``.
# - ``state`` becomes 'done' in the same transaction as the block's results, so a block is
#   either done with every result stored, or read again by the next run.
_BLOCK_TABLES = (
    """CREATE TABLE blocks (
        key TEXT PRIMARY KEY,
        first_input TEXT NOT NULL,
        inputs INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('running', 'done')),
        documents INTEGER NOT NULL DEFAULT 0,
        articles INTEGER NOT NULL DEFAULT 0,
        copies INTEGER NOT NULL DEFAULT 0,
        duplicates INTEGER NOT NULL DEFAULT 0,
        failures INTEGER NOT NULL DEFAULT 0,
        started TEXT NOT NULL,
        finished TEXT
    )""",
)


@migration(13, "blocks: the blocks of inputs a Ray run read, and whether they are done")
def _create_block_tables(conn: Connection) -> None:
    run_statements(conn, _BLOCK_TABLES)
