"""Migration 1: articles and what hangs off them, failures, and full-text search.

Released: never edit; change the schema in a new migration (see ``wirewatch.store.schema``).
"""

from __future__ import annotations

from wirewatch.store.backends import Connection
from wirewatch.store.schema import migration, run_backend_statements, run_statements

# - articles.id is Article.id (a hash of the normalised text), so the same content is one row.
#   articles.seq is the ingestion order and the FTS rowid: an explicit column, because the
#   implicit rowid of a table with a TEXT primary key may be renumbered by VACUUM, which would
#   silently detach the search index from its articles.
# - articles.site keeps the site name exactly as the article gave it (articles on one host may
#   name it differently); sites.name is the first name seen for the host.
# - content_hash is the full SHA-256 of the normalised text; Article.id is its first 16 digits,
#   so the store can tell an id collision from a real duplicate.
# - The search index is an external-content FTS5 table over articles(title, text), kept in sync
#   by triggers, so the text is stored once and snippet() reads it from articles.
_CORE_TABLES = (
    """CREATE TABLE sites (
        id INTEGER PRIMARY KEY,
        host TEXT NOT NULL UNIQUE,
        name TEXT
    )""",
    """CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL UNIQUE,
        url TEXT UNIQUE,
        canonical_url TEXT,
        site_id INTEGER REFERENCES sites(id),
        site TEXT,
        title TEXT,
        author TEXT,
        published TEXT,
        language TEXT,
        fetched_at TEXT NOT NULL,
        source TEXT NOT NULL,
        input_id TEXT,
        text TEXT NOT NULL,
        word_count INTEGER NOT NULL,
        content_hash TEXT NOT NULL,
        metadata TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata)),
        ingested_at TEXT NOT NULL
    )""",
    "CREATE INDEX articles_canonical_url ON articles(canonical_url)",
    "CREATE INDEX articles_site_id ON articles(site_id)",
    "CREATE INDEX articles_ingested_at ON articles(ingested_at)",
    """CREATE TABLE sentences (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        PRIMARY KEY (article_id, idx)
    ) WITHOUT ROWID""",
    """CREATE TABLE entities (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        text TEXT NOT NULL,
        label TEXT NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        canonical TEXT NOT NULL,
        sentence INTEGER NOT NULL,
        PRIMARY KEY (article_id, idx)
    ) WITHOUT ROWID""",
    "CREATE INDEX entities_canonical ON entities(canonical, label)",
    """CREATE TABLE dropped_lines (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        position INTEGER NOT NULL,
        reason TEXT NOT NULL,
        text TEXT NOT NULL,
        PRIMARY KEY (article_id, idx)
    ) WITHOUT ROWID""",
    "CREATE INDEX dropped_lines_reason ON dropped_lines(reason)",
    """CREATE TABLE failures (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        input_id TEXT,
        stage TEXT NOT NULL,
        code TEXT NOT NULL,
        message TEXT NOT NULL,
        time TEXT NOT NULL
    )""",
)


@migration(1, "articles, sites, sentences, entities, dropped lines, failures, search index")
def _create_core_tables(conn: Connection) -> None:
    run_backend_statements(conn, "functions")
    run_statements(conn, _CORE_TABLES)
    run_backend_statements(conn, "articles_seq")
    run_backend_statements(conn, "articles_search")
