"""Migration 7: the copy index's LSH band keys, kept in the store.

Released: never edit; change the schema in a new migration (see ``wirewatch.store.schema``).
"""

from __future__ import annotations

from wirewatch.store.backends import Connection
from wirewatch.store.schema import migration, run_statements

# - story_bands: one row per LSH band of each recent signature: key is a signed 64-bit hash of
#   the band layout, the band's number and its values; signature_seq is the seq of the text's
#   row in story_signatures. A new text's candidate copies are one indexed lookup of its band
#   keys, so the index takes no memory, needs no rebuild when a process starts, and processes
#   writing to one store see each other's texts. Rows of signatures that fell out of the window
#   (the dedup_index_size most recent) are deleted in batches; stale rows are ignored because
#   lookups join story_signatures and filter on the window.
_STORY_BAND_TABLES = (
    """CREATE TABLE story_bands (
        key INTEGER NOT NULL,
        signature_seq INTEGER NOT NULL,
        PRIMARY KEY (key, signature_seq)
    ) WITHOUT ROWID""",
)


@migration(7, "stories: LSH band keys of recent signatures")
def _create_story_band_tables(conn: Connection) -> None:
    run_statements(conn, _STORY_BAND_TABLES)
