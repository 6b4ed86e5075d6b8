"""The timeline and the map: events per day and quad class, and events per place, over
every event matching the filters (the web UI keeps these answers until the store changes)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from wirewatch.store.backends import Connection
from wirewatch.store.browse import BrowseFilters

MAX_MAP_POINTS = 2_000
MAX_TIMELINE_DAYS = 366

EVENT_DAY = (
    "CASE WHEN e.date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' "
    "THEN e.date ELSE a.published_day END"
)
"""The day an event counts on: its own full date, else its article's publication day."""


@dataclass(frozen=True, slots=True)
class DayCount:
    """Events on one day of one quad class, and their average Goldstein score."""

    day: str
    quad_class: int
    events: int
    goldstein: float


@dataclass(frozen=True, slots=True)
class MapPoint:
    """A place where events happened: how many, of what average Goldstein score."""

    name: str
    country: str | None
    lat: float
    lon: float
    events: int
    goldstein: float


def events_per_day(
    conn: Connection,
    filters: BrowseFilters,
    *,
    extra: tuple[str, dict[str, Any]] = ("TRUE", {}),
) -> list[DayCount]:
    """Events per day and quad class with their average Goldstein score, oldest day first.

    Only the latest ``MAX_TIMELINE_DAYS`` days that have events; events without any day (no
    full date and an undated article) cannot be placed and are left out.
    """
    where, params = filters.record_condition()
    where = f"{where} AND {extra[0]}"
    day, source = EVENT_DAY, _events_with_articles(where)
    if source == "events AS e":
        # Look the publication day up only for events without a full date of their own.
        day = day.replace(
            "ELSE a.published_day",
            "ELSE (SELECT published_day FROM articles WHERE id = e.article_id)",
        )
    found = conn.execute(
        f"""SELECT {day} AS day, e.quad_class, count(*) AS n, avg(e.goldstein) AS goldstein
        FROM {source} WHERE {where}
        GROUP BY day, e.quad_class ORDER BY day, e.quad_class""",
        params | extra[1],
    ).fetchall()
    found = [row for row in found if row[0] is not None]  # events of no known day
    # A few rows per day: keeping the latest days here is cheaper than a second pass in SQL.
    days = sorted({row[0] for row in found})[-MAX_TIMELINE_DAYS:]
    kept = set(days)
    return [DayCount(row[0], row[1], row[2], round(row[3], 2)) for row in found if row[0] in kept]


def event_places(
    conn: Connection,
    filters: BrowseFilters,
    *,
    extra: tuple[str, dict[str, Any]] = ("TRUE", {}),
) -> list[MapPoint]:
    """The places of events matching ``filters`` that have coordinates, busiest first."""
    where, params = filters.record_condition()
    found = conn.execute(
        f"""SELECT e.location_name, e.location_country, e.location_lat, e.location_lon,
                  count(*) AS n, avg(e.goldstein) AS goldstein
        FROM {_events_with_articles(f"{where} AND {extra[0]}")}
        WHERE e.location_lat IS NOT NULL AND e.location_lon IS NOT NULL
              AND {where} AND {extra[0]}
        GROUP BY e.location_name, e.location_country, e.location_lat, e.location_lon
        ORDER BY n DESC LIMIT :points""",
        params | extra[1] | {"points": MAX_MAP_POINTS},
    ).fetchall()
    return [MapPoint(row[0], row[1], row[2], row[3], row[4], round(row[5], 2)) for row in found]


def _events_with_articles(where: str) -> str:
    """The FROM clause for events under ``where``: joined to their articles only when the
    condition reads the article (``a``), since the join costs a lookup per event."""
    if _ARTICLE_ALIAS.search(where):
        return "events AS e JOIN articles AS a ON a.id = e.article_id"
    return "events AS e"


_ARTICLE_ALIAS = re.compile(r"(?<![\w.])a\.")
