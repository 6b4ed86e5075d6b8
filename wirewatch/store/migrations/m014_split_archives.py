"""Migration 14: the split_archives table, one row per WARC file a Ray run split into record
ranges (run/cluster/ranges.py), and each range's ``blocks`` row linked to it.

Released: never edit; change the schema in a new migration (see ``wirewatch.store.schema``).
"""

from __future__ import annotations

from wirewatch.store.backends import Connection
from wirewatch.store.schema import migration, run_statements

# - A split is known by ``key``: the SHA-256 of the file's name, size and modification time
#   and of its ranges, so the same file cut the same way is the same split; ``size`` and
#   ``head_sha256`` are the file's identity as ``archives`` keeps it (a local run recognises
#   a file a Ray run finished), ``path`` where it was last seen, ``source`` its first name.
# - ``ranges`` is how many record ranges it was cut into; each range is a ``blocks`` row
#   whose ``split`` names the split, so how many are done, and what they stored, are read
#   from ``blocks`` (set in the transactions that stored each range).
_SPLIT_TABLES = (
    """CREATE TABLE split_archives (
        key TEXT PRIMARY KEY,
        path TEXT NOT NULL,
        source TEXT NOT NULL,
        size INTEGER NOT NULL,
        head_sha256 TEXT NOT NULL,
        ranges INTEGER NOT NULL,
        started TEXT NOT NULL
    )""",
    "CREATE INDEX split_archives_identity ON split_archives (size, head_sha256)",
    "ALTER TABLE blocks ADD COLUMN split TEXT",
    "CREATE INDEX blocks_split ON blocks (split)",
)


@migration(14, "split_archives: WARC files a Ray run split into record ranges, and their ranges")
def _create_split_tables(conn: Connection) -> None:
    run_statements(conn, _SPLIT_TABLES)
