"""Migration 12: stories named by their copies' best headline, spans of dated copies only.

Released: never edit; change the schema in a new migration (see ``wirewatch.store.schema``).
"""

from __future__ import annotations

from wirewatch.store.backends import Connection
from wirewatch.store.schema import migration, run_statements
from wirewatch.store.story_names import recompute_story_names

# No column changes. Stories used to be named by their founding article's headline or its
# first twelve words, and their span ran from the earliest to the latest publication time,
# else collection time, of their copies: an undated repost stretched a 2017 story to the day
# it was ingested. Every story's title and span are computed again as ingest now sets them.
# Stories without a dated copy now have no span (NULL): the listings order them last with
# ``last_at IS NULL, last_at DESC, id``, which one index serves in both databases (PostgreSQL
# sorts NULL first in a descending order, so ``stories_last_at`` alone no longer does).
_INDEXES = (
    "DROP INDEX stories_last_at",
    "CREATE INDEX stories_latest ON stories((last_at IS NULL), last_at DESC, id)",
)


@migration(12, "stories: named by the best headline of their copies, spans of dated copies")
def _rename_stories(conn: Connection) -> None:
    recompute_story_names(conn)
    run_statements(conn, _INDEXES)
