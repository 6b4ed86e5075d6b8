"""The latest stories as the home page and ``/api/stories`` list them, with the browse filters.

Pages on the index ``stories_latest`` (``last_at IS NULL, last_at DESC, id``: dated stories
latest first, then the undated, in both databases; keyset cursor, as ``wirewatch.store.browse``).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from wirewatch.store.backends import Connection
from wirewatch.store.browse import BrowseFilters
from wirewatch.store.paging import Page, check_limit, decode_cursor, encode_cursor
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
        ORDER BY s.last_at IS NULL, s.last_at DESC, s.id LIMIT :limit
    )
    SELECT {SUMMARY_COLUMNS},
        coalesce(s.last_at, '') AS sort_at,
        substr(a.text, 1, 400) AS snippet, coalesce(a.site, si.name, si.host) AS site
    FROM page
    JOIN stories AS s ON s.id = page.id
    LEFT JOIN articles AS a ON a.id = s.lead_article_id
    LEFT JOIN sites AS si ON si.id = a.site_id
    ORDER BY s.last_at IS NULL, s.last_at DESC, s.id
"""


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
    parts, params = ["TRUE"], {"limit": limit + 1}
    if cursor is not None:
        at, story = decode_cursor(cursor, (str, str))
        # Undated stories (NULL) come last, in both databases (PostgreSQL sorts NULL first).
        if at:
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
    found = conn.execute(_STORY_LISTING.format(where=" AND ".join(parts)), params).fetchall()
    items = [
        StoryListing(
            StorySummary(**{name: row[name] for name in _SUMMARY_FIELDS}),
            lead_snippet(row["snippet"] or ""),
            row["site"],
        )
        for row in found[:limit]
    ]
    following = None
    if len(found) > limit:
        following = encode_cursor((found[limit - 1]["sort_at"], found[limit - 1]["id"]))
    return Page(items, following)


_SUMMARY_FIELDS = tuple(f.name for f in fields(StorySummary))
