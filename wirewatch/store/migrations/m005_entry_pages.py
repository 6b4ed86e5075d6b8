"""Migration 5: the fetched pages of pending feed entries (wirewatch watch).

Released: never edit; change the schema in a new migration (see ``wirewatch.store.schema``).
"""

from __future__ import annotations

from wirewatch.store.backends import Connection
from wirewatch.store.schema import migration, run_statements

# - entry_pages holds the response to a pending entry's page request (one row per entry),
#   written in its own transaction as soon as the page is fetched, before extraction and NLP,
#   so a watcher killed while the page is analysed rebuilds it from here instead of asking
#   again. body is the zlib-compressed body (at most max_document_bytes uncompressed); a failed
#   request keeps its error instead. The row goes when the entry is stored or failed.
_ENTRY_PAGES_TABLE = (
    """CREATE TABLE entry_pages (
        entry_id INTEGER PRIMARY KEY REFERENCES feed_entries(id) ON DELETE CASCADE,
        url TEXT,
        content_type TEXT,
        encoding TEXT,
        headers TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(headers)),
        metadata TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata)),
        body BLOB,
        error_code TEXT,
        error_message TEXT,
        fetched_at TEXT NOT NULL,
        CHECK ((body IS NULL) != (error_code IS NULL))
    )""",
)


@migration(5, "fetched entry pages kept until their entry is done")
def _create_entry_pages(conn: Connection) -> None:
    run_statements(conn, _ENTRY_PAGES_TABLE)
