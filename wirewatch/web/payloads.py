"""The JSON objects the API answers with, built from the store's records.

Field names are a contract (``docs/api.md``): new fields may be added, none renamed or
removed. Quotes and events keep the objects of ``docs/schema.md`` with where they came from.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from wirewatch.store.browse import SNIPPET_CLOSE, SNIPPET_OPEN, ArticleSummary, SpeakerSummary
from wirewatch.store.charts import DayCount, MapPoint
from wirewatch.store.paging import Page

_T = TypeVar("_T")


def page_dict(page: Page[_T], convert: Callable[[_T], dict[str, Any]]) -> dict[str, Any]:
    """``{"items": [...], "next_cursor": "..." | null, "previous_cursor": "..." | null}``."""
    return {
        "items": [convert(item) for item in page.items],
        "next_cursor": page.next_cursor,
        "previous_cursor": page.previous_cursor,
    }


def summary_dict(summary: ArticleSummary) -> dict[str, Any]:
    return {
        "id": summary.id,
        "title": summary.title,
        "display_title": summary.display_title,
        "story_id": summary.story_id,
        "url": summary.url,
        "site": summary.site,
        "published": summary.published,
        "word_count": summary.word_count,
        # Matches between [ and ], as the CLI prints them.
        "snippet": summary.snippet.replace(SNIPPET_OPEN, "[").replace(SNIPPET_CLOSE, "]"),
        "quote_count": summary.quotes,
        "event_count": summary.events,
        "rank": summary.rank,
    }


def day_dict(day: DayCount) -> dict[str, Any]:
    return {
        "day": day.day,
        "quad_class": day.quad_class,
        "events": day.events,
        "goldstein": day.goldstein,
        "unit": day.unit,
    }


def point_dict(point: MapPoint) -> dict[str, Any]:
    return {
        "name": point.name,
        "country": point.country,
        "lat": point.lat,
        "lon": point.lon,
        "events": point.events,
        "goldstein": point.goldstein,
    }


def speaker_dict(speaker: SpeakerSummary) -> dict[str, Any]:
    return {
        "name": speaker.name,
        "quote_count": speaker.quotes,
        "organisation": speaker.organisation,
        "country": speaker.country,
    }
