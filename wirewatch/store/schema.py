"""The store's schema as a list of migrations, applied in order and recorded in the store.

A migration is a function that takes the connection and changes the schema; it is registered
with ``@migration(version, name)`` and versions count up from 1 without gaps. ``migrate`` applies
every registered migration the store has not recorded, each in its own transaction together with
its row in ``schema_migrations``, so a migration is either wholly applied and recorded or not at
all. To change the schema, append a new migration at the end of this module; never edit one that
has been released, because stores in the field have already recorded it.

A migration must not commit or open transactions itself, and must not use
``executescript`` (which commits first): run one statement per ``execute`` call.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from wirewatch.errors import StoreError
from wirewatch.model import utc_now

MigrationFunction = Callable[[sqlite3.Connection], None]


@dataclass(frozen=True, slots=True)
class Migration:
    """One registered schema change: ``apply`` runs inside a transaction ``migrate`` opens."""

    version: int
    name: str
    apply: MigrationFunction


MIGRATIONS: list[Migration] = []


def migration(version: int, name: str) -> Callable[[MigrationFunction], MigrationFunction]:
    """Register the decorated function as schema migration ``version``.

    Versions must be registered in order, 1, 2, 3, ...; a gap or a repeat is a programming
    error and fails at import, before any store is touched.
    """

    def register(apply: MigrationFunction) -> MigrationFunction:
        expected = len(MIGRATIONS) + 1
        if version != expected:  # pragma: no cover - a programming error caught at import
            raise RuntimeError(f"migration {name!r} has version {version}, expected {expected}")
        MIGRATIONS.append(Migration(version, name, apply))
        return apply

    return register


def latest_version(migrations: Sequence[Migration] | None = None) -> int:
    """The schema version a store has once every registered migration is applied."""
    registered = MIGRATIONS if migrations is None else migrations
    return max((m.version for m in registered), default=0)


def applied_version(conn: sqlite3.Connection) -> int:
    """The highest migration version recorded in the store (0 for a new store)."""
    row = conn.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()
    return int(row[0])


def migrate(
    conn: sqlite3.Connection, migrations: Sequence[Migration] | None = None
) -> list[Migration]:
    """Bring the store's schema up to date; return the migrations applied (often none).

    ``conn`` must be in autocommit mode (``isolation_level=None``). Raises ``StoreError`` when
    the store records a version newer than any registered here: it was written by a newer
    wirewatch, and changing it would corrupt it for that version.
    """
    registered = MIGRATIONS if migrations is None else migrations
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY,"
        " name TEXT NOT NULL,"
        " applied_at TEXT NOT NULL)"
    )
    _refuse_newer(conn, latest_version(registered))
    applied: list[Migration] = []
    for step in sorted(registered, key=lambda m: m.version):
        if _apply_one(conn, step):
            applied.append(step)
    return applied


def _refuse_newer(conn: sqlite3.Connection, known: int) -> None:
    found = applied_version(conn)
    if found > known:
        raise StoreError(
            f"this store has schema version {found}, but this wirewatch knows versions up to "
            f"{known}; it was written by a newer wirewatch: upgrade wirewatch to open it",
            code="store_too_new",
        )


def _apply_one(conn: sqlite3.Connection, step: Migration) -> bool:
    """Apply ``step`` unless the store has it; True when it was applied."""
    # The version is checked again under the write lock: another process opening the same new
    # store at the same moment may have applied this migration while we waited for the lock.
    conn.execute("BEGIN IMMEDIATE")
    try:
        if applied_version(conn) >= step.version:
            conn.execute("ROLLBACK")
            return False
        step.apply(conn)
        conn.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
            (step.version, step.name, utc_now()),
        )
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        _rollback(conn)
        raise StoreError(
            f"schema migration {step.version} ({step.name}) failed and was undone: {exc}",
            code="migration_failed",
        ) from exc
    except BaseException:
        _rollback(conn)
        raise
    return True


def _rollback(conn: sqlite3.Connection) -> None:
    if conn.in_transaction:
        conn.execute("ROLLBACK")


def _run(conn: sqlite3.Connection, statements: Sequence[str]) -> None:
    for statement in statements:
        conn.execute(statement)


# Migration 1: articles and what hangs off them, failures, and full-text search.
#
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
    """CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text,
        content='articles', content_rowid='seq',
        tokenize='porter unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts (rowid, title, text) VALUES (new.seq, new.title, new.text);
    END""",
    """CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, text)
        VALUES ('delete', old.seq, old.title, old.text);
    END""",
    """CREATE TRIGGER articles_fts_update AFTER UPDATE OF seq, title, text ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, text)
        VALUES ('delete', old.seq, old.title, old.text);
        INSERT INTO articles_fts (rowid, title, text) VALUES (new.seq, new.title, new.text);
    END""",
)


@migration(1, "articles, sites, sentences, entities, dropped lines, failures, search index")
def _create_core_tables(conn: sqlite3.Connection) -> None:
    _run(conn, _CORE_TABLES)


# Migration 2: quotes, actors, places and events, and the columns and indexes that search them.
#
# - Each annotation list of an Article is one table, rows keyed by (article_id, idx) where idx
#   is the position in the list, so an article reads back with its lists in order.
# - A quote's speaker is flattened into speaker_* columns; speaker_text is NULL exactly when the
#   quote has no speaker (Speaker.text is never None). An event's location is flattened the same
#   way into location_* columns (NULL location_text: no location); its claimant, shown but never
#   searched, is one JSON object.
# - Event participants are rows of event_actors, with role 'source' or 'target'.
# - events.date_first and date_last are the days the event's date covers ("2017-06" covers
#   2017-06-01 to 2017-06-30), written with the row, so date ranges compare without parsing.
# - quotes and event_actors have an integer id so that FTS5 indexes can point at their rows:
#   speaker and actor names are matched word by word, case and diacritics folded, through them.
# - articles.published_day is the publication date's YYYY-MM-DD prefix when it has one, else
#   NULL: a virtual generated column, so stores upgraded in place need no backfill.
_ANNOTATION_TABLES = (
    """CREATE TABLE quotes (
        id INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        text TEXT NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        kind TEXT NOT NULL,
        cue TEXT,
        sentence INTEGER NOT NULL,
        speaker_name TEXT,
        speaker_text TEXT,
        speaker_start INTEGER,
        speaker_end INTEGER,
        speaker_role TEXT,
        speaker_organisation TEXT,
        speaker_country TEXT,
        speaker_resolved_from TEXT,
        UNIQUE (article_id, idx)
    )""",
    "CREATE INDEX quotes_speaker_name ON quotes(speaker_name)",
    """CREATE VIRTUAL TABLE quotes_speaker_fts USING fts5(
        speaker_name, speaker_text,
        content='quotes', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER quotes_speaker_fts_insert AFTER INSERT ON quotes BEGIN
        INSERT INTO quotes_speaker_fts (rowid, speaker_name, speaker_text)
        VALUES (new.id, new.speaker_name, new.speaker_text);
    END""",
    """CREATE TRIGGER quotes_speaker_fts_delete AFTER DELETE ON quotes BEGIN
        INSERT INTO quotes_speaker_fts (quotes_speaker_fts, rowid, speaker_name, speaker_text)
        VALUES ('delete', old.id, old.speaker_name, old.speaker_text);
    END""",
    """CREATE TRIGGER quotes_speaker_fts_update
    AFTER UPDATE OF id, speaker_name, speaker_text ON quotes BEGIN
        INSERT INTO quotes_speaker_fts (quotes_speaker_fts, rowid, speaker_name, speaker_text)
        VALUES ('delete', old.id, old.speaker_name, old.speaker_text);
        INSERT INTO quotes_speaker_fts (rowid, speaker_name, speaker_text)
        VALUES (new.id, new.speaker_name, new.speaker_text);
    END""",
    """CREATE TABLE actors (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        text TEXT NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        code TEXT,
        name TEXT,
        country TEXT,
        sector TEXT,
        affiliation TEXT,
        PRIMARY KEY (article_id, idx)
    ) WITHOUT ROWID""",
    "CREATE INDEX actors_code ON actors(code)",
    """CREATE TABLE places (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        text TEXT NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        name TEXT NOT NULL,
        geonameid INTEGER,
        lat REAL,
        lon REAL,
        country TEXT,
        feature TEXT NOT NULL,
        metonymic INTEGER NOT NULL CHECK (metonymic IN (0, 1)),
        sentence INTEGER NOT NULL,
        PRIMARY KEY (article_id, idx)
    ) WITHOUT ROWID""",
    "CREATE INDEX places_geonameid ON places(geonameid)",
    "CREATE INDEX places_country ON places(country)",
    """CREATE TABLE events (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        cameo TEXT NOT NULL,
        cameo_name TEXT NOT NULL,
        plover TEXT,
        quad_class INTEGER NOT NULL,
        goldstein REAL NOT NULL,
        polarity TEXT NOT NULL,
        trigger TEXT NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        sentence INTEGER NOT NULL,
        date TEXT,
        date_text TEXT,
        date_first TEXT,
        date_last TEXT,
        location_text TEXT,
        location_start INTEGER,
        location_end INTEGER,
        location_name TEXT,
        location_geonameid INTEGER,
        location_lat REAL,
        location_lon REAL,
        location_country TEXT,
        location_feature TEXT,
        location_metonymic INTEGER CHECK (location_metonymic IN (0, 1)),
        location_sentence INTEGER,
        claimant TEXT CHECK (claimant IS NULL OR json_valid(claimant)),
        PRIMARY KEY (article_id, idx)
    ) WITHOUT ROWID""",
    "CREATE INDEX events_cameo ON events(cameo)",
    "CREATE INDEX events_plover ON events(plover)",
    "CREATE INDEX events_polarity ON events(polarity)",
    "CREATE INDEX events_location_country ON events(location_country)",
    "CREATE INDEX events_date ON events(date_first, date_last)",
    """CREATE TABLE event_actors (
        id INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL,
        event_idx INTEGER NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('source', 'target')),
        idx INTEGER NOT NULL,
        text TEXT NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        code TEXT,
        name TEXT,
        country TEXT,
        sector TEXT,
        affiliation TEXT,
        UNIQUE (article_id, event_idx, role, idx),
        FOREIGN KEY (article_id, event_idx) REFERENCES events(article_id, idx) ON DELETE CASCADE
    )""",
    "CREATE INDEX event_actors_code ON event_actors(code)",
    "CREATE INDEX event_actors_country ON event_actors(country)",
    """CREATE VIRTUAL TABLE event_actors_fts USING fts5(
        text, name,
        content='event_actors', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER event_actors_fts_insert AFTER INSERT ON event_actors BEGIN
        INSERT INTO event_actors_fts (rowid, text, name) VALUES (new.id, new.text, new.name);
    END""",
    """CREATE TRIGGER event_actors_fts_delete AFTER DELETE ON event_actors BEGIN
        INSERT INTO event_actors_fts (event_actors_fts, rowid, text, name)
        VALUES ('delete', old.id, old.text, old.name);
    END""",
    """CREATE TRIGGER event_actors_fts_update AFTER UPDATE OF id, text, name ON event_actors BEGIN
        INSERT INTO event_actors_fts (event_actors_fts, rowid, text, name)
        VALUES ('delete', old.id, old.text, old.name);
        INSERT INTO event_actors_fts (rowid, text, name) VALUES (new.id, new.text, new.name);
    END""",
    """ALTER TABLE articles ADD COLUMN published_day TEXT GENERATED ALWAYS AS (
        CASE WHEN published GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*'
        THEN substr(published, 1, 10) END
    ) VIRTUAL""",
    "CREATE INDEX articles_published_day ON articles(published_day)",
)


@migration(2, "quotes, actors, places, events and their participants; publication day")
def _create_annotation_tables(conn: sqlite3.Connection) -> None:
    _run(conn, _ANNOTATION_TABLES)


# Migration 3: watched feeds and sitemaps, and the entries seen in them (wirewatch watch).
#
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
def _create_feed_tables(conn: sqlite3.Connection) -> None:
    _run(conn, _FEED_TABLES)


# Migration 4: stories: syndicated copies of one text and articles about one news event.
#
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
def _create_story_tables(conn: sqlite3.Connection) -> None:
    _run(conn, _STORY_TABLES)


# Migration 5: the fetched pages of pending feed entries (wirewatch watch).
#
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
def _create_entry_pages(conn: sqlite3.Connection) -> None:
    _run(conn, _ENTRY_PAGES_TABLE)


# Migration 6: indexes that the web UI's and API's listings walk.
#
# - The home page lists the latest published articles first and pages on (day, seq): one index
#   on the same expression serves the order and the cursor. Articles without an ISO
#   publication day sort last (an empty string sorts below every day).
# - The events table pages on its article's ingestion order, then the event's position:
#   the unique index on articles.seq and the events' primary key serve it as they are.
# - The timeline counts events per day and quad class, the map per place: covering indexes
#   save reading whole event rows.
# - The actor page finds events by an actor's exact code (the existing code index) and
#   quotes by the name its actors carry.
_WEB_INDEXES = (
    "CREATE INDEX articles_latest ON articles(coalesce(published_day, ''), seq)",
    "CREATE INDEX events_quad_class ON events(quad_class)",
    "CREATE INDEX events_days ON events(quad_class, date, goldstein)",
    """CREATE INDEX events_places ON events(
        location_name, location_country, location_lat, location_lon, goldstein
    )""",
    "CREATE INDEX actors_name ON actors(name)",
)


@migration(
    6, "indexes for the web UI: latest articles, events by quad class, day and place, actor names"
)
def _create_web_indexes(conn: sqlite3.Connection) -> None:
    _run(conn, _WEB_INDEXES)


# Migration 7: the copy index's LSH band keys, kept in the store.
#
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
def _create_story_band_tables(conn: sqlite3.Connection) -> None:
    _run(conn, _STORY_BAND_TABLES)


# Migration 8: the archives table, one row per WARC file ingested (run/archives.py).
#
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
def _create_archive_tables(conn: sqlite3.Connection) -> None:
    _run(conn, _ARCHIVE_TABLES)
