"""The stories of a page of articles, to show search results grouped by story."""

from __future__ import annotations

import json
from dataclasses import dataclass

from wirewatch.store.backends import Connection


@dataclass(frozen=True, slots=True)
class StoryOf:
    """The story an article belongs to: its id and stored title (None when it has none)."""

    id: str
    title: str | None


def stories_of(conn: Connection, article_ids: list[str]) -> dict[str, StoryOf]:
    """The story of each of ``article_ids`` that has one, by article id."""
    if not article_ids:
        return {}
    rows = conn.execute(
        """SELECT m.article_id, s.id, s.title FROM story_articles AS m
        JOIN stories AS s ON s.id = m.story_id
        WHERE m.article_id IN (SELECT value FROM json_each(:ids))""",
        {"ids": json.dumps(article_ids)},
    ).fetchall()
    return {str(row[0]): StoryOf(str(row[1]), row[2]) for row in rows}
