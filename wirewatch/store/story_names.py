"""A story's name and span, from its copies: the best headline (``wirewatch.headlines``) and
the publication times of its dated copies. SQL only over ``stories``, ``story_copies`` and the
lead's text; kept apart from ``stories.py`` so migration 12 can use it.
"""

from __future__ import annotations

from wirewatch.headlines import OPENING_CHARS, Headline, best_headline, dated_at, fallback_title
from wirewatch.store.backends import Connection


def rename_story(conn: Connection, story_id: str) -> None:
    """Name the story by its copies' best headline (``wirewatch.headlines``), else by the
    fallback title of its lead's text."""
    copies = conn.execute(
        "SELECT title, published FROM story_copies WHERE story_id = ? ORDER BY id", (story_id,)
    ).fetchall()
    title = best_headline([Headline(row[0], row[1]) for row in copies])
    if title is None:
        title = fallback_title(_lead_opening(conn, story_id))
    conn.execute("UPDATE stories SET title = ? WHERE id = ?", (title, story_id))


def _lead_opening(conn: Connection, story_id: str) -> str | None:
    row = conn.execute(
        f"SELECT substr(a.text, 1, {OPENING_CHARS}) FROM stories AS s JOIN articles AS a "
        "ON a.id = s.lead_article_id WHERE s.id = ?",
        (story_id,),
    ).fetchone()
    return None if row is None else row[0]


def recompute_story_names(conn: Connection) -> int:
    """Every story's title and span from its copies, as ingest now sets them (the best
    headline; the span of the dated copies' publication times, NULL when none is dated).
    For stores written before: migration 12. Returns how many stories were updated."""
    rows = conn.execute(
        "SELECT story_id, title, published FROM story_copies ORDER BY story_id, id"
    ).fetchall()
    copies: dict[str, list[Headline]] = {}
    for row in rows:
        copies.setdefault(str(row[0]), []).append(Headline(row[1], row[2]))
    updates = []
    for story_id, headlines in copies.items():
        title = best_headline(headlines)
        if title is None:
            title = fallback_title(_lead_opening(conn, story_id))
        times = sorted(t for t in (dated_at(h.published) for h in headlines) if t is not None)
        first, last = (times[0], times[-1]) if times else (None, None)
        updates.append((title, first, last, story_id))
    conn.executemany(
        "UPDATE stories SET title = ?, first_at = ?, last_at = ? WHERE id = ?", updates
    )
    return len(updates)
