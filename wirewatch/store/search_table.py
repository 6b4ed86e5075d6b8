"""The search results table: the articles a search (words, filters, or both) selects, grouped
by story, in any of a few orders, with the totals and facet counts of everything it selects.

A row is a story: its matching articles under it, best first (an article in no story is a row
of its own). Orders come from a whitelist (``SEARCH_SORTS``, parsed by ``event_table.Order``
as the events table's are): ``relevance`` (the best match's rank; only with search words),
``date`` (the latest publication day of its matches), ``site`` and ``title`` (of its best
match, the story's title first), ``articles`` (how many of its articles match). Unknown
values sort last either way, on both backends alike, since the rows are ordered here.

The rows come from the ``MATCHES_READ`` best matches (latest published without words), as
search pages always went at most that deep; the totals and the facets count every match.
Each counts rows as listed: stories (and articles in no story) once, and a facet value's
count is the number of rows clicking it lists: each is counted as the filter the click sets
selects (``search_totals``). The web layer keeps all of it until the store changes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from wirewatch.headlines import OPENING_CHARS, display_title
from wirewatch.store.backends import Connection, SearchError
from wirewatch.store.browse import (
    ARTICLE_SUMMARY,
    MAX_SEARCH_OFFSET,
    SNIPPET_CLOSE,
    SNIPPET_OPEN,
    ArticleSummary,
    article_summary,
    query_mistake,
)
from wirewatch.store.browse_filters import BrowseFilters
from wirewatch.store.event_table import FACET_VALUES, Facet, Order
from wirewatch.store.filters import SearchFilters
from wirewatch.store.search import QueryCost, fts_query, lead_snippet

SEARCH_SORTS = ("relevance", "date", "site", "title", "articles")
"""The orders the search table offers (``date``, ``-date``...)."""

MATCHES_READ = MAX_SEARCH_OFFSET
"""Best matches the rows are made of: search went this deep before it had a table."""

SHOWN_PER_ROW = 10
"""Matching articles a row shows under its story (the story page has them all)."""

_JOINS = (
    "LEFT JOIN sites AS si ON si.id = a.site_id "
    "LEFT JOIN story_articles AS sa ON sa.article_id = a.id"
)
FACETS = ("site", "year", "month", "country")
"""The search table's facets: the site (its name or host), the year and month of publication,
and the countries of its events (placed there or with an actor of it)."""


@dataclass(frozen=True, slots=True)
class ResultRow:
    """One row of the table: a story's matching articles (or an article in no story)."""

    story_id: str | None
    title: str | None
    ids: tuple[str, ...]  # its matching articles, best first
    day: str | None  # the latest publication day of its matches
    site: str | None  # its best match's site
    position: int  # where its best match ranks among all matches

    @property
    def matches(self) -> int:
        return len(self.ids)


@dataclass(frozen=True, slots=True)
class SearchTotals:
    """How many rows (stories) and articles a search selects, and its facet counts."""

    stories: int
    articles: int
    facets: list[Facet]


@dataclass(frozen=True, slots=True)
class Search:
    """What to search for: the words (None: the filters alone) and the filters."""

    query: str | None
    filters: BrowseFilters
    cost: QueryCost | None = None
    grouped: bool = True  # a row per story; False: a row per article (the articles page)

    @property
    def sorts(self) -> tuple[str, ...]:
        """The orders this table offers: relevance with words, articles when grouped."""
        sorts = SEARCH_SORTS if self.query is not None else SEARCH_SORTS[1:]
        return sorts if self.grouped else tuple(s for s in sorts if s != "articles")

    @property
    def group(self) -> str:
        """SQL over ``a`` and its story membership ``sa``: the row an article is shown in."""
        return "coalesce(sa.story_id, a.id)" if self.grouped else "a.id"

    def order(self, value: str | None) -> Order:
        """The ``sort`` given, checked; none: best first with words, else latest first."""
        parsed = Order.parse(value, self.sorts)
        if value is None or not value.strip():
            return Order("relevance", False) if self.query is not None else Order("date")
        return parsed


def result_rows(conn: Connection, search: Search, order: Order) -> list[ResultRow]:
    """The rows of ``search`` in ``order`` (from its ``MATCHES_READ`` best matches)."""
    rows = _default_rows(conn, search)
    if order.name == "relevance":
        return rows if not order.descending else rows[::-1]
    value = _SORT_VALUES[order.name]
    present = [row for row in rows if value(row) is not None]
    present.sort(key=value, reverse=order.descending)  # stable: ties keep their rank
    return present + [row for row in rows if value(row) is None]


_SORT_VALUES: dict[str, Callable[[ResultRow], Any]] = {
    "date": lambda row: row.day,
    "site": lambda row: row.site.casefold() if row.site else None,
    "title": lambda row: row.title.casefold() if row.title else None,
    "articles": lambda row: row.matches,
}


def _default_rows(conn: Connection, search: Search) -> list[ResultRow]:
    source, condition, params = _matching(conn, search)
    score = "a.seq" if search.query is None else _text(conn).score
    order = (
        "coalesce(a.published_day, '') DESC, a.seq DESC" if search.query is None else "score, a.seq"
    )
    found = _run(
        conn,
        search,
        f"""SELECT a.id, a.seq, a.published_day AS day, coalesce(a.site, si.name, si.host) AS site,
            sa.story_id, st.title AS story_title, a.title,
            CASE WHEN coalesce(a.title, '') = '' THEN substr(a.text, 1, {OPENING_CHARS}) END
                AS opening, {score} AS score
        FROM {source} {_JOINS} LEFT JOIN stories AS st ON st.id = sa.story_id
        WHERE {condition} ORDER BY {order} LIMIT :matches""",
        params | {"matches": MATCHES_READ},
    )
    rows: dict[str, dict[str, Any]] = {}
    for position, row in enumerate(found):
        key = (row["story_id"] if search.grouped else None) or f"article {row['seq']}"
        kept = rows.get(key)
        if kept is None:
            title = display_title(row["title"], row["opening"])
            if search.grouped:  # the story's title, its best headline
                title = row["story_title"] or title
            rows[key] = {
                "story_id": row["story_id"],
                "title": title,
                "ids": [row["id"]],
                "day": row["day"],
                "site": row["site"],
                "position": position,
            }
            continue
        kept["ids"].append(row["id"])
        if row["day"] and (kept["day"] is None or row["day"] > kept["day"]):
            kept["day"] = row["day"]
    return [ResultRow(**{**kept, "ids": tuple(kept["ids"])}) for kept in rows.values()]


def search_totals(conn: Connection, search: Search) -> SearchTotals:
    """The rows and articles ``search`` selects, and each facet's most frequent values with
    the number of rows clicking one lists.

    Every count is exact without counting each value again: the site from the matches (its
    name or host, as the filter takes either); the year and month from their publication
    days, or, when an event filter makes ``since`` and ``until`` compare the dates of the
    events it selects, from the dates of those events (``_event_rows``); a country from the
    events that satisfy every other event filter, as clicking it adds the country to them.
    """
    source, condition, params = _matching(conn, search)
    found = _run(
        conn,
        search,
        f"""SELECT {search.group} AS grp, a.site, si.name AS site_name, si.host AS site_host,
            a.published_day AS day FROM {source} {_JOINS} WHERE {condition}""",
        params,
    )
    by_value: dict[str, dict[str, set[str]]] = {name: {} for name in FACETS}
    filters = search.filters
    for row in found:
        values = {"site": {row["site"], row["site_name"], row["site_host"]}}
        if not filters.on_events:
            values["year"] = {row["day"][:4] if row["day"] else None}
            values["month"] = {row["day"][:7] if row["day"] else None}
        for name, given in values.items():
            for value in given - {None}:
                by_value[name].setdefault(value, set()).add(row["grp"])
    if filters.on_events:  # since and until compare the dates of the events selected
        undated = replace(filters.search, since=None, until=None)
        for row in _event_rows(conn, search, replace(filters, search=undated), _DATES):
            for name, spanned in (("year", _years(row)), ("month", _months(row))):
                for value in spanned:
                    by_value[name].setdefault(value, set()).add(row["grp"])
    others = replace(filters, search=replace(filters.search, country=None))
    facets = []
    for name in FACETS:
        counted = sorted(
            ((value, len(groups)) for value, groups in by_value[name].items()),
            key=lambda pair: (-pair[1], pair[0]),
        )
        if name == "country":  # counted by the database: an event and its actors, many rows
            counted = [(str(row[0]), int(row[1])) for row in _countries(conn, search, others)]
        facets.append(Facet(name, counted[:FACET_VALUES]))
    return SearchTotals(len({row["grp"] for row in found}), len(found), facets)


_DATES = (
    "coalesce(e.date_first, a.published_day) AS low, coalesce(e.date_last, a.published_day) AS high"
)


def _countries(conn: Connection, search: Search, events: BrowseFilters) -> list[Any]:
    """The countries of the events ``events`` select among the matches (placed there or with
    an actor of it), the most rows first, each with its number of rows."""
    located = _event_rows(conn, search, events, "e.location_country AS facet_value", sql_only=True)
    acting = _event_rows(
        conn,
        search,
        events,
        "x.country AS facet_value",
        sql_only=True,
        joins="JOIN event_actors AS x ON x.article_id = e.article_id AND x.event_idx = e.idx",
    )
    sql, params = located
    actors_sql, _ = acting
    return _run(
        conn,
        search,
        f"""SELECT facet_value, count(DISTINCT grp) AS n
        FROM ({sql} UNION {actors_sql}) AS countries WHERE facet_value IS NOT NULL
        GROUP BY facet_value ORDER BY n DESC, facet_value LIMIT :values""",
        params | {"values": FACET_VALUES},
    )


def _event_rows(
    conn: Connection,
    search: Search,
    events: BrowseFilters,
    columns: str,
    *,
    sql_only: bool = False,
    joins: str = "",
) -> Any:
    """For each match, the events ``events`` select (every event filter on one event, as
    the article filter applies them), with ``columns`` over ``e`` (``joins``: and more);
    ``sql_only``: the statement and its parameters, to read them in another."""
    filters = search.filters
    others = BrowseFilters(  # what the match must satisfy besides its events
        SearchFilters(speaker=filters.search.speaker), filters.site, story=filters.story
    )
    where, params = others.article_condition()
    event_sql, event_params = events.event_condition()
    if search.query is None:
        source, condition = "articles AS a", where
    else:
        text = _text(conn)
        source, condition = text.source, f"{text.condition} AND {where}"
        params = params | _search_params(conn, search)
    sql = f"""SELECT DISTINCT {search.group} AS grp, {columns} FROM {source}
        LEFT JOIN story_articles AS sa ON sa.article_id = a.id
        JOIN events AS e ON e.article_id = a.id {joins}
        WHERE {condition} AND {event_sql}"""
    if sql_only:
        return sql, params | event_params
    return _run(conn, search, sql, params | event_params)


def _years(row: Any) -> list[str]:
    """The years an event's dates span (none when it has no date, nor its article)."""
    if not row["low"] or not row["high"]:
        return []
    return [str(year) for year in range(int(row["low"][:4]), int(row["high"][:4]) + 1)]


def _months(row: Any) -> list[str]:
    """The months an event's dates span (``YYYY-MM``)."""
    if not row["low"] or not row["high"]:
        return []
    first = int(row["low"][:4]) * 12 + int(row["low"][5:7] or "01") - 1
    last = int(row["high"][:4]) * 12 + int(row["high"][5:7] or "12") - 1
    return [f"{month // 12:04d}-{month % 12 + 1:02d}" for month in range(first, last + 1)]


def row_articles(conn: Connection, search: Search, rows: list[ResultRow]) -> list[ArticleSummary]:
    """The articles ``rows`` show (at most ``SHOWN_PER_ROW`` each), row by row, best first,
    each with its snippet (around the search words, else the start of its text)."""
    shown = [key for row in rows for key in row.ids[:SHOWN_PER_ROW]]
    if not shown:
        return []
    keys = {"shown": json.dumps(shown)}
    if search.query is None:
        select = ARTICLE_SUMMARY.format(snippet="substr(a.text, 1, 400)", extra="")
        found = conn.execute(
            f"""{select} FROM articles AS a LEFT JOIN sites AS s ON s.id = a.site_id
            WHERE a.id IN (SELECT value FROM json_each(:shown))""",
            keys,
        ).fetchall()
        by_id = {row["id"]: article_summary(row, lead_snippet(row["snippet"])) for row in found}
    else:
        text = conn.backend.text_search(SNIPPET_OPEN, SNIPPET_CLOSE)
        select = ARTICLE_SUMMARY.format(snippet=text.snippet, extra=f", {text.score} AS score")
        found = _run(
            conn,
            search,
            f"""{select} FROM {text.source} LEFT JOIN sites AS s ON s.id = a.site_id
            WHERE {text.condition}
            AND a.id IN (SELECT value FROM json_each(:shown))""",
            _search_params(conn, search) | keys,
        )
        by_id = {
            row["id"]: article_summary(row, " ".join(row["snippet"].split()), row["score"])
            for row in found
        }
    return [by_id[key] for key in shown if key in by_id]


def _text(conn: Connection) -> Any:
    return conn.backend.text_search(SNIPPET_OPEN, SNIPPET_CLOSE)


def _matching(conn: Connection, search: Search) -> tuple[str, str, dict[str, Any]]:
    """FROM items with the article ``a``, the condition of a match, and its parameters."""
    where, params = search.filters.article_condition()
    if search.query is None:
        return "articles AS a", where, params
    text = _text(conn)
    return text.source, f"{text.condition} AND {where}", params | _search_params(conn, search)


def _search_params(conn: Connection, search: Search) -> dict[str, Any]:
    """The search words as the backend takes them (PostgreSQL checks their syntax here)."""
    assert search.query is not None
    try:
        return conn.backend.search_params(conn, fts_query(search.query, search.cost))
    except SearchError as exc:
        mistake = query_mistake(conn, exc, search.query)
        if mistake is None:
            raise
        raise mistake from None


def _run(conn: Connection, search: Search, sql: str, params: dict[str, Any]) -> list[Any]:
    try:
        return list(conn.execute(sql, params).fetchall())
    except SearchError as exc:
        mistake = query_mistake(conn, exc, search.query or "")
        if mistake is None:
            raise
        raise mistake from None
