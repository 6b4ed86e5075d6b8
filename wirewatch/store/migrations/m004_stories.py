"""Migration 4: stories: syndicated copies of one text and articles about one news event.

Released: never edit; change the schema in a new migration (see ``wirewatch.store.schema``).
"""

from __future__ import annotations

from wirewatch.store.backends import Connection
from wirewatch.store.schema import migration, run_statements

# - stories: one row per story; id is "s-" + the founding article's id, so ids are repeatable.
#   first_at and last_at are the earliest and latest times (publication, else collection) of
#   its articles and copies.
# - story_articles: each stored article's story. copy_of is the article it is a near or
#   truncated copy of (the lead of its copy group), NULL for a story member (relation
#   'original'); similarity, containment and the deltas compare it with that lead. score is
#   the clustering score that made a member join (NULL for the founder and for copies).
# - story_copies: one row per sighting of a text at a URL (or, without one, at a source path):
#   the article's own first sighting, and each exact copy (the same text at another URL), which
#   is recorded here without storing or parsing the text again. locator is unique, so the same
#   URL seen again adds nothing.
# - story_links: related stories (similar, below the merge threshold), both directions.
# - story_signatures: each article's MinHash (num_perm little-endian uint32 values) and its
#   shingle count, so a new process rebuilds the copy index without reading any text.
# - story_features: the inverted index for clustering: (feature, time) -> member article.
_STORY_TABLES = (
    """CREATE TABLE stories (
        id TEXT PRIMARY KEY,
        lead_article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        title TEXT,
        first_at TEXT,
        last_at TEXT,
        created_at TEXT NOT NULL
    )""",
    "CREATE INDEX stories_last_at ON stories(last_at)",
    """CREATE TABLE story_articles (
        article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
        copy_of TEXT REFERENCES articles(id) ON DELETE SET NULL,
        relation TEXT NOT NULL CHECK (relation IN ('original', 'near', 'truncated')),
        similarity REAL,
        containment REAL,
        headline_differs INTEGER CHECK (headline_differs IN (0, 1)),
        chars_delta INTEGER,
        words_delta INTEGER,
        score REAL,
        at TEXT
    )""",
    "CREATE INDEX story_articles_story ON story_articles(story_id)",
    "CREATE INDEX story_articles_copy_of ON story_articles(copy_of)",
    """CREATE TABLE story_copies (
        id INTEGER PRIMARY KEY,
        story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        locator TEXT NOT NULL UNIQUE,
        url TEXT,
        canonical_url TEXT,
        site TEXT,
        title TEXT,
        published TEXT,
        collected TEXT NOT NULL,
        chars INTEGER NOT NULL,
        words INTEGER NOT NULL,
        relation TEXT NOT NULL CHECK (relation IN ('original', 'exact', 'near', 'truncated')),
        similarity REAL,
        containment REAL,
        headline_differs INTEGER CHECK (headline_differs IN (0, 1)),
        chars_delta INTEGER,
        words_delta INTEGER
    )""",
    "CREATE INDEX story_copies_story ON story_copies(story_id)",
    "CREATE INDEX story_copies_article ON story_copies(article_id)",
    "CREATE INDEX story_copies_url ON story_copies(url)",
    "CREATE INDEX story_copies_canonical_url ON story_copies(canonical_url)",
    """CREATE TABLE story_links (
        story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
        related_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
        score REAL NOT NULL,
        PRIMARY KEY (story_id, related_id)
    ) WITHOUT ROWID""",
    """CREATE TABLE story_signatures (
        seq INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL UNIQUE REFERENCES articles(id) ON DELETE CASCADE,
        shingles INTEGER NOT NULL,
        minhash BLOB NOT NULL
    )""",
    """CREATE TABLE story_features (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
        feature TEXT NOT NULL,
        at REAL NOT NULL,
        PRIMARY KEY (article_id, feature)
    ) WITHOUT ROWID""",
    "CREATE INDEX story_features_feature ON story_features(feature, at)",
)


@migration(4, "stories: copies, members, related stories, signatures and clustering features")
def _create_story_tables(conn: Connection) -> None:
    run_statements(conn, _STORY_TABLES)
