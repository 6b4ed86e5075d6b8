"""Migration 11: what PostgreSQL needs to rank search hits as SQLite's FTS5 ranks them.

Released: never edit; change the schema in a new migration (see ``wirewatch.store.schema``).
"""

from __future__ import annotations

from wirewatch.store.backends import Connection
from wirewatch.store.schema import migration, run_backend_statements


# SQLite's FTS5 keeps every number its bm25 reads in its own index: nothing to add there.
# PostgreSQL gets each article's length in tokens and the last position of its title
# (generated columns), and the table of totals its triggers keep (see ``backends.pg_rank``).
@migration(11, "search: the statistics PostgreSQL ranks hits by, as SQLite does")
def _add_search_ranking(conn: Connection) -> None:
    run_backend_statements(conn, "search_ranking")
