"""Migration 9: story-level event and quote records, and SQL views over the record.

Released: never edit; change the schema in a new migration (see ``wirewatch.store.schema``).
"""

from __future__ import annotations

from wirewatch.store.backends import Connection
from wirewatch.store.schema import migration, run_statements

# - story_events: one row per distinct event of a story (the same sentence in copies, and the
#   same who-did-what-to-whom-when stated by several members, are one). id is the numeric
#   GLOBALEVENTID: derived from the representative mention's (article id, index), so the same
#   input gives the same ids in any store. (article_id, idx) is that representative: the first
#   article of the story (in the order stored) that states it. The counts follow GDELT 2.0:
#   num_mentions counts every mention in every document (a text seen at three URLs mentions it
#   three times), num_articles the documents (sightings) with a mention, num_sources their
#   distinct sites.
# - story_event_mentions: each stored event's record; representative = 1 for the one row that
#   stands for the record. An event without a row here (its article has no story yet) is a
#   record of its own.
# - story_quotes, story_quote_mentions: the same for quotes.
_TABLES = (
    """CREATE TABLE story_events (
        id INTEGER PRIMARY KEY,
        story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
        article_id TEXT NOT NULL,
        idx INTEGER NOT NULL,
        num_mentions INTEGER NOT NULL,
        num_articles INTEGER NOT NULL,
        num_sources INTEGER NOT NULL,
        FOREIGN KEY (article_id, idx) REFERENCES events(article_id, idx) ON DELETE CASCADE
    )""",
    "CREATE INDEX story_events_story ON story_events(story_id)",
    """CREATE TABLE story_event_mentions (
        article_id TEXT NOT NULL,
        idx INTEGER NOT NULL,
        record_id INTEGER NOT NULL REFERENCES story_events(id) ON DELETE CASCADE,
        representative INTEGER NOT NULL CHECK (representative IN (0, 1)),
        PRIMARY KEY (article_id, idx),
        FOREIGN KEY (article_id, idx) REFERENCES events(article_id, idx) ON DELETE CASCADE
    )""",
    "CREATE INDEX story_event_mentions_record ON story_event_mentions(record_id)",
    """CREATE TABLE story_quotes (
        id INTEGER PRIMARY KEY,
        story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
        article_id TEXT NOT NULL,
        idx INTEGER NOT NULL,
        num_mentions INTEGER NOT NULL,
        num_articles INTEGER NOT NULL,
        num_sources INTEGER NOT NULL,
        FOREIGN KEY (article_id, idx) REFERENCES quotes(article_id, idx) ON DELETE CASCADE
    )""",
    "CREATE INDEX story_quotes_story ON story_quotes(story_id)",
    """CREATE TABLE story_quote_mentions (
        article_id TEXT NOT NULL,
        idx INTEGER NOT NULL,
        record_id INTEGER NOT NULL REFERENCES story_quotes(id) ON DELETE CASCADE,
        representative INTEGER NOT NULL CHECK (representative IN (0, 1)),
        PRIMARY KEY (article_id, idx),
        FOREIGN KEY (article_id, idx) REFERENCES quotes(article_id, idx) ON DELETE CASCADE
    )""",
    "CREATE INDEX story_quote_mentions_record ON story_quote_mentions(record_id)",
)

# Views for datasette, DuckDB and pandas users (docs/data.md). Each lists records once, as the
# CLI and the web UI count them: an event (quote) that is a further mention of a story's record
# is left out; per-mention rows are in the tables themselves.
_ONCE = (
    "NOT EXISTS (SELECT 1 FROM {mentions} AS m WHERE m.article_id = {t}.article_id "
    "AND m.idx = {t}.idx AND m.representative = 0)"
)
_VIEWS = (
    f"""CREATE VIEW event_records AS
    SELECT r.id AS record_id, sa.story_id, e.article_id, e.idx AS event_index,
           coalesce(a.url, a.canonical_url) AS url, a.site, a.published,
           e.date, e.cameo, e.cameo_name, e.plover, e.quad_class, e.goldstein, e.polarity,
           e.trigger,
           (SELECT group_concat(coalesce(ea.code, ''), '; ') FROM event_actors AS ea
            WHERE ea.article_id = e.article_id AND ea.event_idx = e.idx
              AND ea.role = 'source') AS source_codes,
           (SELECT group_concat(coalesce(ea.name, ea.text), '; ') FROM event_actors AS ea
            WHERE ea.article_id = e.article_id AND ea.event_idx = e.idx
              AND ea.role = 'source') AS source_names,
           (SELECT group_concat(coalesce(ea.code, ''), '; ') FROM event_actors AS ea
            WHERE ea.article_id = e.article_id AND ea.event_idx = e.idx
              AND ea.role = 'target') AS target_codes,
           (SELECT group_concat(coalesce(ea.name, ea.text), '; ') FROM event_actors AS ea
            WHERE ea.article_id = e.article_id AND ea.event_idx = e.idx
              AND ea.role = 'target') AS target_names,
           e.location_name, e.location_country, e.location_lat, e.location_lon,
           coalesce(r.num_mentions, 1) AS num_mentions,
           coalesce(r.num_articles, 1) AS num_articles,
           coalesce(r.num_sources, 1) AS num_sources
    FROM events AS e
    JOIN articles AS a ON a.id = e.article_id
    LEFT JOIN story_articles AS sa ON sa.article_id = e.article_id
    LEFT JOIN story_event_mentions AS m ON m.article_id = e.article_id AND m.idx = e.idx
    LEFT JOIN story_events AS r ON r.id = m.record_id
    WHERE {_ONCE.format(mentions="story_event_mentions", t="e")}""",
    """CREATE VIEW story_event_counts AS
    SELECT s.id AS story_id, s.title, s.first_at, s.last_at,
           count(r.id) AS events,
           coalesce(sum(CASE WHEN r.quad_class = 4 THEN 1 ELSE 0 END), 0)
               AS material_conflict_events,
           coalesce(sum(r.num_mentions), 0) AS mentions
    FROM stories AS s
    LEFT JOIN (SELECT se.id, se.story_id, se.num_mentions, e.quad_class
               FROM story_events AS se
               JOIN events AS e ON e.article_id = se.article_id AND e.idx = se.idx
               WHERE e.polarity = 'asserted') AS r ON r.story_id = s.id
    GROUP BY s.id""",
    f"""CREATE VIEW quote_records AS
    SELECT r.id AS record_id, sa.story_id, q.article_id, q.idx AS quote_index,
           coalesce(a.url, a.canonical_url) AS url, a.site, a.published,
           q.speaker_name, q.speaker_role, q.speaker_organisation, q.speaker_country,
           q.kind, q.text, coalesce(r.num_mentions, 1) AS num_mentions,
           coalesce(r.num_articles, 1) AS num_articles,
           coalesce(r.num_sources, 1) AS num_sources
    FROM quotes AS q
    JOIN articles AS a ON a.id = q.article_id
    LEFT JOIN story_articles AS sa ON sa.article_id = q.article_id
    LEFT JOIN story_quote_mentions AS m ON m.article_id = q.article_id AND m.idx = q.idx
    LEFT JOIN story_quotes AS r ON r.id = m.record_id
    WHERE {_ONCE.format(mentions="story_quote_mentions", t="q")}""",
)


@migration(9, "story-level event and quote records; event_records, quote_records views")
def _create_story_records(conn: Connection) -> None:
    run_statements(conn, _TABLES + _VIEWS)
