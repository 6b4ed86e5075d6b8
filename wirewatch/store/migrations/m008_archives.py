"""Migration 8: the archives table, one row per WARC file ingested (run/archives.py).

Released: never edit; change the schema in a new migration (see ``wirewatch.store.schema``).
"""

from __future__ import annotations

from wirewatch.store.backends import Connection
from wirewatch.store.schema import migration, run_statements

# - An archive is known by its size and the SHA-256 of its first 64 KiB (``head_sha256``), so
#   a renamed file is recognised and a replaced one is not; ``path`` is where it was last seen.
# - ``position`` is the offset of the last record whose result is stored, ``records`` how many
#   records were read up to it, ``last_record_id`` its WARC-Record-ID: where a resumed run goes
#   on. They change in the same transaction as the results they count.
_ARCHIVE_TABLES = (
    """CREATE TABLE archives (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL,
        source TEXT NOT NULL,
        size INTEGER NOT NULL,
        head_sha256 TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('running', 'done', 'failed')),
        records INTEGER NOT NULL DEFAULT 0,
        position INTEGER,
        last_record_id TEXT,
        articles INTEGER NOT NULL DEFAULT 0,
        duplicates INTEGER NOT NULL DEFAULT 0,
        failures INTEGER NOT NULL DEFAULT 0,
        started TEXT NOT NULL,
        finished TEXT,
        UNIQUE (size, head_sha256)
    )""",
)


@migration(8, "archives: WARC files ingested, their state and position")
def _create_archive_tables(conn: Connection) -> None:
    run_statements(conn, _ARCHIVE_TABLES)
