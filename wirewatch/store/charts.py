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
    unit: str = "day"
    """``day``, or ``month`` when the row counts a whole month (``day`` is then its first)."""


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

    When more than ``MAX_TIMELINE_DAYS`` days have events, one row per month and quad class
    instead (``unit`` ``month``), so that a record of years is charted whole; narrower filters
    (``since``, ``until``) give days again. Events without any day (no full date and an undated
    article) cannot be placed and are left out.
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
    rows = [(row[0], row[1], row[2], row[3]) for row in found if row[0] is not None]
    if len({row[0] for row in rows}) > MAX_TIMELINE_DAYS:
        return by_month(rows)
    return [DayCount(day, quad, n, round(goldstein, 2)) for day, quad, n, goldstein in rows]


def by_month(rows: list[tuple[str, int, int, float]]) -> list[DayCount]:
    """Rows of (day, quad class, events, average Goldstein) summed by month and quad class,
    the Goldstein average weighted by events, oldest month first.

    >>> by_month([("2024-05-01", 4, 1, -10.0), ("2024-05-20", 4, 3, -6.0)])
    [DayCount(day='2024-05-01', quad_class=4, events=4, goldstein=-7.0, unit='month')]
    """
    months: dict[tuple[str, int], tuple[int, float]] = {}
    for day, quad, n, goldstein in rows:
        key = (day[:7] + "-01", quad)
        events, weighted = months.get(key, (0, 0.0))
        months[key] = (events + n, weighted + goldstein * n)
    return [
        DayCount(month, quad, events, round(weighted / events, 2), "month")
        for (month, quad), (events, weighted) in sorted(months.items())
    ]


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
