"""Migration 2: quotes, actors, places and events, and the columns and indexes that search them.

Released: never edit; change the schema in a new migration (see ``wirewatch.store.schema``).
"""

from __future__ import annotations

from wirewatch.store.backends import Connection
from wirewatch.store.schema import migration, run_backend_statements, run_statements

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
    """ALTER TABLE articles ADD COLUMN published_day TEXT GENERATED ALWAYS AS (
        CASE WHEN published GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*'
        THEN substr(published, 1, 10) END
    ) VIRTUAL""",
    "CREATE INDEX articles_published_day ON articles(published_day)",
)


@migration(2, "quotes, actors, places, events and their participants; publication day")
def _create_annotation_tables(conn: Connection) -> None:
    run_statements(conn, _ANNOTATION_TABLES)
    run_backend_statements(conn, "quote_speakers_search")
    run_backend_statements(conn, "event_actors_search")
