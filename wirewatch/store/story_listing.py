"""The latest stories as the home page and ``/api/stories`` list them, with the browse filters.

Pages on the index ``stories_latest`` (``last_at IS NULL, last_at DESC, id``: dated stories
latest first, then the undated, in both databases; keyset cursor, as ``wirewatch.store.browse``,
both ways: the page before reads the index backwards, ``paging.Keyset``).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from wirewatch.store.backends import Connection
from wirewatch.store.browse import BrowseFilters
from wirewatch.store.paging import Keyset, Page, check_limit
from wirewatch.store.search import lead_snippet
from wirewatch.store.stories import SUMMARY_COLUMNS, StorySummary


@dataclass(frozen=True, slots=True)
class StoryListing:
    """A story as the home page lists it: its summary, its lead's opening and site."""

    summary: StorySummary
    lead: str
    site: str | None


# The page's stories are found first and only they get their counts and lead: made in the
# sorting query, they were made for every story sharing a last_at with the page's.
_STORY_LISTING = f"""
    WITH page AS (
        SELECT s.id FROM stories AS s WHERE {{where}}
        ORDER BY {{order}} LIMIT :limit
    )
    SELECT {SUMMARY_COLUMNS},
        coalesce(s.last_at, '') AS sort_at,
        substr(a.text, 1, 400) AS snippet, coalesce(a.site, si.name, si.host) AS site
    FROM page
    JOIN stories AS s ON s.id = page.id
    LEFT JOIN articles AS a ON a.id = s.lead_article_id
    LEFT JOIN sites AS si ON si.id = a.site_id
    ORDER BY {{order}}
"""
_FORWARDS = "s.last_at IS NULL, s.last_at DESC, s.id"
_BACKWARDS = "s.last_at IS NULL DESC, s.last_at ASC, s.id DESC"


def story_count(conn: Connection) -> int:
    """How many stories the store holds."""
    return int(conn.execute("SELECT count(*) FROM stories").fetchone()[0])


def latest_stories(
    conn: Connection,
    filters: BrowseFilters,
    limit: int = 50,
    cursor: str | None = None,
) -> Page[StoryListing]:
    """Stories with an article ``filters`` select, latest last-seen first (undated ones last),
    in the order of ``wirewatch stories``.

    A story matches when one of its articles (its lead, a member or a copy) matches: the date,
    site, country, actor and event filters are the article filters of ``latest_articles``.
    """
    check_limit(limit)
    keyset = Keyset.parse(cursor, (str, str))
    page = keyset.page(_story_rows(conn, filters, limit, keyset), limit, _story_key)
    if page is None:  # fewer than a page before: the page before is the first
        page = Keyset().page(_story_rows(conn, filters, limit, Keyset()), limit, _story_key)
        assert page is not None
    items = [
        StoryListing(
            StorySummary(**{name: row[name] for name in _SUMMARY_FIELDS}),
            lead_snippet(row["snippet"] or ""),
            row["site"],
        )
        for row in page.items
    ]
    return Page(items, page.next_cursor, page.previous_cursor)


def _story_key(row: Any) -> tuple[str, str]:
    return (row["sort_at"], row["id"])


def _story_rows(conn: Connection, filters: BrowseFilters, limit: int, keyset: Keyset) -> list[Any]:
    """``limit + 1`` rows of ``latest_stories`` from ``keyset``, in its reading order."""
    parts, params = ["TRUE"], {"limit": limit + 1}
    if keyset.key is not None:
        at, story = keyset.key
        # Undated stories (NULL) come last, in both databases (PostgreSQL sorts NULL first).
        if keyset.backward and at:
            parts.append("(s.last_at > :c_at OR (s.last_at = :c_at AND s.id < :c_id))")
        elif keyset.backward:
            parts.append("(s.last_at IS NOT NULL OR s.id < :c_id)")
        elif at:
            parts.append(
                "(s.last_at < :c_at OR s.last_at IS NULL OR (s.last_at = :c_at AND s.id > :c_id))"
            )
        else:
            parts.append("(s.last_at IS NULL AND s.id > :c_id)")
        params |= {"c_at": at, "c_id": story}
    if filters != BrowseFilters.parse():
        # Tested member by member (an event or quote looked up by the article's id) as the
        # stories are walked latest first: a page is found after a few hundred lookups,
        # where listing every article the filters select first took seconds on 100,000
        # articles for a country or an event type (bench/load.py).
        where, values = filters.correlated_condition()
        parts.append(
            "EXISTS (SELECT 1 FROM story_articles AS sa JOIN articles AS a "
            f"ON a.id = sa.article_id WHERE sa.story_id = s.id AND {where})"
        )
        params |= values
    order = _BACKWARDS if keyset.backward else _FORWARDS
    sql = _STORY_LISTING.format(where=" AND ".join(parts), order=order)
    return list(conn.execute(sql, params).fetchall())


_SUMMARY_FIELDS = tuple(f.name for f in fields(StorySummary))
