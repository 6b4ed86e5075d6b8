"""Migration 10: why an event has its code and its place.

Released: never edit; change the schema in a new migration (see ``wirewatch.store.schema``).
"""

from __future__ import annotations

from wirewatch.store.backends import Connection
from wirewatch.store.schema import migration, run_statements

# - events.location_source: where the event's location was read from: 'clause' (the clause
#   stating the event), 'sentence' (elsewhere in its sentence) or 'dateline'; NULL when the
#   event has no location (and for events stored before this migration).
# - events.confidence: the coder's confidence in the code, in [0, 1]; NULL when not given.
# - events.pattern: the reason for the code: the id of the lexicon pattern or dictionary
#   entry that matched; NULL for events stored before this migration.
_COLUMNS = (
    """ALTER TABLE events ADD COLUMN location_source TEXT
        CHECK (location_source IS NULL OR location_source IN ('clause', 'sentence', 'dateline'))""",
    """ALTER TABLE events ADD COLUMN confidence REAL
        CHECK (confidence IS NULL OR (confidence >= 0 AND confidence <= 1))""",
    "ALTER TABLE events ADD COLUMN pattern TEXT",
)


@migration(10, "events: location source, confidence and the pattern behind the code")
def _add_event_provenance(conn: Connection) -> None:
    run_statements(conn, _COLUMNS)
