"""The search table's rows as JSON and CSV: exactly the rows a search page shows (the same
``sort``, ``offset`` and ``limit``), each story with its matching articles."""

from __future__ import annotations

import csv
import io
from typing import Any

from wirewatch.web.payloads import summary_dict
from wirewatch.web.results import FACET_PARAMETERS, Shown

CSV_COLUMNS = (
    "row", "story_id", "story_title", "story_date", "story_site", "story_articles",
    "article_id", "title", "site", "published", "url", "word_count", "quote_count",
    "event_count", "rank",
)  # fmt: skip
"""A line per article shown, with the row (story) it is shown under."""


def table_dict(found: Shown) -> dict[str, Any]:
    """``{"rows": [...], "items": [...], "total": ..., "facets": ...}``: ``items`` the articles
    shown, row by row, as ``/api/search`` gives them; ``rows`` the stories."""
    previous, following = found.pages.previous, found.pages.following
    return {
        "rows": [
            {
                "story_id": row.story_id,
                "title": row.title,
                "date": row.day,
                "site": row.site,
                "article_count": row.matches,
                "article_ids": [item.id for item in items],
            }
            for row, items in found.rows
        ],
        "items": [summary_dict(item) for item in found.articles],
        "total": {"stories": found.totals.stories, "articles": found.totals.articles},
        "facets": {
            facet.name: {
                "parameters": list(FACET_PARAMETERS[facet.name]),
                "values": [{"value": value, "count": count} for value, count in facet.values],
            }
            for facet in found.totals.facets
        },
        "sort": str(found.order),
        "offset": found.offset,
        "previous_offset": previous,
        "next_offset": following,
        "next_cursor": None,
        "previous_cursor": None,
    }


def table_csv(found: Shown) -> str:
    """The rows shown as CSV (``CSV_COLUMNS``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for number, (row, items) in enumerate(found.rows, start=found.offset + 1):
        story = [number, row.story_id, row.title, row.day, row.site, row.matches]
        for item in items:
            article = [item.id, item.display_title, item.site, item.published, item.url]
            counts = [item.word_count, item.quotes, item.events, item.rank]
            writer.writerow([*story, *article, *counts])
    return buffer.getvalue()
