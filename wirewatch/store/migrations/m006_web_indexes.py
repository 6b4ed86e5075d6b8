"""Migration 6: indexes that the web UI's and API's listings walk.

Released: never edit; change the schema in a new migration (see ``wirewatch.store.schema``).
"""

from __future__ import annotations

from wirewatch.store.backends import Connection
from wirewatch.store.schema import migration, run_statements

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
def _create_web_indexes(conn: Connection) -> None:
    run_statements(conn, _WEB_INDEXES)
