"""The events table of the web UI: a page of events in any of a few orders, and the totals
and facet counts of every event the filters select.

Orders come from a whitelist (``SORTS``): a column name never reaches SQL from a request.
Tables page by offset, both ways, to at most ``MAX_OFFSET`` rows deep; the default order
(latest added articles first) is ``browse.list_events``'s, whose keyset walk gives its rows.
Another order sorts every matching event once (``sorted_event_keys``: the web layer keeps the
keys until the store changes), and a page is its slice of those keys. Nulls sort last in
both directions and on both backends (``(x IS NULL), x``).

Facet counts count what the listing lists: each story-level event once unless the filters
ask for every mention (``BrowseFilters.record_condition``), so a facet's count is the number
of rows clicking it gives.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass, replace

from wirewatch.errors import UsageError
from wirewatch.store.annotations import stored_events
from wirewatch.store.backends import Connection
from wirewatch.store.browse import BrowseFilters, list_events
from wirewatch.store.paging import Page, check_limit
from wirewatch.store.records import StoredEvent

MAX_OFFSET = 5_000
"""How deep an offset page may start: a sorted table keeps its first rows' keys (the web
layer, until the store changes), and page 100 of a sort helps no reader."""

SORTS = {
    "added": "a.seq",
    "date": "coalesce(e.date_first, a.published_day)",
    "cameo": "e.cameo",
    "plover": "e.plover",
    "quad_class": "e.quad_class",
    "goldstein": "e.goldstein",
    "polarity": "e.polarity",
    "place": "e.location_name",
    "site": "a.site",
}
"""The orders a table offers: name -> SQL over ``e`` and its article ``a``."""

FACETS = {
    "plover": "e.plover",
    "quad_class": "e.quad_class",
    "polarity": "e.polarity",
}
"""Facets over a column of ``e`` whose filter is that column's equality: grouped counts."""

COUNTRY_ROWS = (
    "SELECT x.article_id, x.event_idx, x.country AS facet_value FROM event_actors AS x "
    "WHERE x.country IS NOT NULL AND (x.article_id, x.event_idx) IN "
    "(SELECT e.article_id, e.idx FROM {source}) "
    "UNION SELECT e.article_id, e.idx, e.location_country FROM {source} "
    "AND e.location_country IS NOT NULL"
)
"""Each event once per country it is placed in or has a source or target of: grouped, the
number of events the ``country`` filter selects for each country."""

RECOUNTED_FACETS = {
    "site": "SELECT a.site AS facet_value FROM {source} AND a.site IS NOT NULL",
    "actor": (
        "SELECT x.code AS facet_value FROM event_actors AS x WHERE x.code IS NOT NULL AND "
        "(x.article_id, x.event_idx) IN (SELECT e.article_id, e.idx FROM {source})"
    ),
}
"""Facets whose filter matches more than the value itself (a site its host or name too, an
actor code the codes it starts and actors' names): these rows give the most frequent values,
then each is counted with its own filter, so a count is what clicking it lists."""

FACET_VALUES = 12
"""Values one facet lists, the most frequent first."""


@dataclass(frozen=True, slots=True)
class Order:
    """A table's order: a ``SORTS`` name, descending or not (``-goldstein``)."""

    name: str = "added"
    descending: bool = True

    @classmethod
    def parse(cls, value: str | None, columns: Collection[str] = tuple(SORTS)) -> Order:
        """``goldstein`` (ascending), ``-goldstein`` (descending); None: latest added first.
        ``columns``: the names a table offers (the search table's are its own)."""
        text = (value or "").strip()
        if not text:
            return cls()
        descending = text.startswith("-")
        name = text.lstrip("-")
        if name not in columns:
            raise UsageError(
                f"sort {value!r} is not a column to sort on: give one of {', '.join(columns)}, "
                "with a leading - for descending"
            )
        return cls(name, descending)

    @property
    def default(self) -> bool:
        return self.name == "added" and self.descending

    def __str__(self) -> str:
        return ("-" if self.descending else "") + self.name


@dataclass(frozen=True, slots=True)
class Facet:
    """One facet: its filter parameter and its most frequent values with their counts."""

    name: str
    values: list[tuple[str, int]]


@dataclass(frozen=True, slots=True)
class EventTotals:
    """How many events the filters select, and the counts of each facet's values."""

    total: int
    facets: list[Facet]


def event_table(
    conn: Connection, filters: BrowseFilters, order: Order, limit: int = 50, offset: int = 0
) -> Page[StoredEvent]:
    """The events of ``filters`` in ``order``, ``limit`` of them from row ``offset``;
    ``next_cursor`` is unused (pages are by offset)."""
    check_limit(limit)
    check_offset(offset)
    if order.default:
        # The keyset listing's walk: the first rows of the default order, fast at any size.
        return Page(list_events(conn, filters, offset + limit).items[offset:])
    keys = sorted_event_keys(conn, filters, order, offset + limit)[offset:]
    return Page(events_by_keys(conn, keys))


def check_offset(offset: int) -> None:
    if offset < 0 or offset > MAX_OFFSET:
        raise UsageError(f"offset must be from 0 to {MAX_OFFSET}, got {offset}")


def sorted_event_keys(
    conn: Connection, filters: BrowseFilters, order: Order, rows: int
) -> list[tuple[str, int]]:
    """(article id, event index) of the first ``rows`` events of ``filters`` in ``order``."""
    where, params = filters.record_condition()
    column = SORTS[order.name]
    direction = "DESC" if order.descending else "ASC"
    found = conn.execute(
        f"""SELECT e.article_id, e.idx FROM events AS e JOIN articles AS a ON a.id = e.article_id
        WHERE {where}
        ORDER BY ({column} IS NULL), {column} {direction}, a.seq DESC, e.idx
        LIMIT :limit""",
        params | {"limit": rows},
    ).fetchall()
    return [(str(row[0]), int(row[1])) for row in found]


def events_by_keys(conn: Connection, keys: list[tuple[str, int]]) -> list[StoredEvent]:
    """The events with these (article id, event index) keys, in the order of ``keys``."""
    if not keys:
        return []
    found = {
        (event.article_id, event.index): event
        for event in stored_events(
            conn,
            "(e.article_id, e.idx) IN "
            "(SELECT value ->> 0, CAST(value ->> 1 AS INTEGER) FROM json_each(:keys))",
            {"keys": json.dumps(keys)},
        )
    }
    return [found[key] for key in keys if key in found]


def event_totals(conn: Connection, filters: BrowseFilters) -> EventTotals:
    """The number of events ``filters`` select and the facet counts, counted as listed."""
    where, params = filters.record_condition()
    joined = "events AS e JOIN articles AS a ON a.id = e.article_id"
    source = f"{joined} WHERE {where}"
    total = conn.execute(f"SELECT count(*) FROM {source}", params).fetchone()[0]
    facets = []
    for name, column in FACETS.items():
        rows = conn.execute(
            f"""SELECT {column} AS facet_value, count(*) AS n FROM {source}
            AND {column} IS NOT NULL
            GROUP BY {column} ORDER BY n DESC, facet_value LIMIT :values""",
            params | {"values": FACET_VALUES},
        ).fetchall()
        facets.append(Facet(name, [(str(row[0]), int(row[1])) for row in rows]))
    countries = conn.execute(
        f"""SELECT facet_value, count(*) AS n FROM ({COUNTRY_ROWS.format(source=source)})
        AS facet_rows GROUP BY facet_value ORDER BY n DESC, facet_value LIMIT :values""",
        params | {"values": FACET_VALUES},
    ).fetchall()
    facets.append(Facet("country", [(str(row[0]), int(row[1])) for row in countries]))
    for name, rows_sql in RECOUNTED_FACETS.items():
        candidates = conn.execute(
            f"""SELECT facet_value, count(*) AS n FROM ({rows_sql.format(source=source)})
            AS facet_rows GROUP BY facet_value ORDER BY n DESC, facet_value LIMIT :values""",
            params | {"values": FACET_VALUES},
        ).fetchall()
        counted = []
        for row in candidates:
            value = str(row[0])
            narrowed, values = _with(filters, name, value).record_condition()
            found = conn.execute(
                f"SELECT count(*) FROM {joined} WHERE {narrowed}", values
            ).fetchone()[0]
            counted.append((value, int(found)))
        counted.sort(key=lambda pair: (-pair[1], pair[0]))
        facets.append(Facet(name, counted))
    return EventTotals(int(total), facets)


def _with(filters: BrowseFilters, name: str, value: str) -> BrowseFilters:
    """``filters`` with facet ``name`` set to ``value``, as clicking the value sets it."""
    if name == "site":
        return replace(filters, site=value)
    return replace(filters, search=replace(filters.search, actor=value))
