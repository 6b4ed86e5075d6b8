"""Migration 3: watched feeds and sitemaps, and the entries seen in them (wirewatch watch).

Released: never edit; change the schema in a new migration (see ``wirewatch.store.schema``).
"""

from __future__ import annotations

from wirewatch.store.backends import Connection
from wirewatch.store.schema import migration, run_statements

# - feeds.url is where the source is asked for now: a permanent redirect rewrites it.
# - feeds.identity is how its entries are told apart: "guid", or "link" once the feed was
#   seen repeating a GUID for different links.
# - feed_entries is keyed by (feed, entry key); an entry is written "pending" in the same
#   transaction as the check that found it, before its page is fetched, so a watcher killed
#   at any moment loses none and, on restart, fetches only pending entries not yet stored.
#   content holds the entry's own text (the fallback when its page cannot be fetched) until
#   the entry is done.
_FEED_TABLES = (
    """CREATE TABLE feeds (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('feed', 'sitemap')),
        title TEXT,
        added_at TEXT NOT NULL,
        enabled INTEGER NOT NULL DEFAULT 1,
        disabled_reason TEXT,
        identity TEXT NOT NULL DEFAULT 'guid' CHECK (identity IN ('guid', 'link')),
        etag TEXT,
        last_modified TEXT,
        last_checked_at TEXT,
        next_check_at TEXT,
        interval_seconds REAL,
        consecutive_errors INTEGER NOT NULL DEFAULT 0,
        last_status INTEGER,
        last_error TEXT,
        last_warning TEXT,
        last_entry_at TEXT,
        checks INTEGER NOT NULL DEFAULT 0,
        not_modified INTEGER NOT NULL DEFAULT 0,
        errors INTEGER NOT NULL DEFAULT 0,
        entries_found INTEGER NOT NULL DEFAULT 0
    )""",
    "CREATE INDEX feeds_next_check ON feeds(enabled, next_check_at)",
    """CREATE TABLE feed_entries (
        id INTEGER PRIMARY KEY,
        feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        url TEXT,
        title TEXT,
        published TEXT,
        content TEXT,
        content_type TEXT,
        metadata TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata)),
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'stored', 'failed')),
        reason TEXT,
        article_id TEXT,
        first_seen_at TEXT NOT NULL,
        done_at TEXT,
        UNIQUE (feed_id, key)
    )""",
    "CREATE INDEX feed_entries_state ON feed_entries(state, id)",
    "CREATE INDEX feed_entries_url ON feed_entries(url)",
    # A watcher restarted after a kill finds an entry's article by its source (feed#entry).
    "CREATE INDEX articles_source ON articles(source)",
)


@migration(3, "watched feeds and sitemaps, their entries")
def _create_feed_tables(conn: Connection) -> None:
    run_statements(conn, _FEED_TABLES)
