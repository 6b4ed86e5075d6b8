"""The search results table for the search page and its JSON and CSV twins: rows (stories) in
a chosen order, paged by offset both ways, with totals and facets (``store.search_table``).

``sort`` and ``offset`` work as the events table's (``table.py``): a whitelisted order, the
first row shown, both passed unchanged to the JSON and CSV links so they give exactly the
rows the page shows. The rows of a search in an order, and its totals and facets, read every
match: they are kept, so paging a search or sorting it again costs no search: a full-text
search's as its answers are (until the store changes at all, ``web_search_cache``), a listing
by filters alone as the events table's (until the store changes and they are older than
``web_chart_max_age``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import Query, Request

from wirewatch.errors import StoreError, UsageError
from wirewatch.store import Store
from wirewatch.store.browse import ArticleSummary, BrowseFilters
from wirewatch.store.event_table import MAX_OFFSET, Order, check_offset
from wirewatch.store.paging import check_limit
from wirewatch.store.search_table import (
    ResultRow,
    Search,
    SearchTotals,
    result_rows,
    row_articles,
    search_totals,
)
from wirewatch.web.params import search_cost
from wirewatch.web.readers import Readers
from wirewatch.web.table import Pages, pages

log = logging.getLogger("wirewatch.web")
T = TypeVar("T")
FACET_TITLES = {"site": "Site", "year": "Year", "month": "Month", "country": "Country"}
FACET_PARAMETERS = {
    "site": ("site",),
    "year": ("since", "until"),
    "month": ("since", "until"),
    "country": ("country",),
}
"""The query parameters clicking a facet value sets (a year: ``since`` and ``until``)."""


@dataclass(frozen=True, slots=True)
class ResultsView:
    """Where a results page starts, in which order, and whether either was asked for (the
    API's table answer; without, ``/api/search`` pages articles by cursor as before)."""

    sort: str | None
    offset: int
    table: bool  # sort or offset given


async def results_view(
    sort: Annotated[
        str | None,
        Query(max_length=30, description="relevance, date, site, title, articles; -: descending"),
    ] = None,
    offset: Annotated[
        int | None, Query(ge=0, le=MAX_OFFSET, description="rows (stories) to skip")
    ] = None,
) -> ResultsView:
    chosen = sort.strip() or None if sort else None
    return ResultsView(chosen, offset or 0, chosen is not None or offset is not None)


@dataclass(frozen=True, slots=True)
class Shown:
    """A page of the table: its rows with their articles, and the totals around them."""

    search: Search
    order: Order
    rows: list[tuple[ResultRow, list[ArticleSummary]]]
    totals: SearchTotals
    pages: Pages
    offset: int
    limit: int

    @property
    def articles(self) -> list[ArticleSummary]:
        return [item for _, items in self.rows for item in items]


def no_cursor_in_table(view: ResultsView, cursor: str | None) -> None:
    """Refuse a cursor with ``sort`` or ``offset``: the table pages by ``offset``."""
    if cursor is not None and view.table:
        raise UsageError("cursor pages the articles of a search: page its table with offset")


def search_of(request: Request, q: str, filters: BrowseFilters) -> Search | None:
    """The search ``q`` and ``filters`` ask for; None when neither is given."""
    if q.strip():
        return Search(q, filters, search_cost(request.app.state.settings))
    return Search(None, filters) if filters.any else None


def shown(readers: Readers, search: Search, view: ResultsView, limit: int) -> Shown:
    """The page of ``search`` that ``view`` and ``limit`` give, the same for the page and its
    JSON and CSV links."""
    check_limit(limit)
    check_offset(view.offset)
    order = search.order(view.sort)
    every = _rows(readers, search, order)
    page = every[view.offset : view.offset + limit]

    def read() -> list[ArticleSummary]:
        with _reading(readers, search) as store:
            return row_articles(store.connection, search, page)

    # Kept as the rows are: a page asked again costs no search (as /api/search's pages).
    articles = _kept(readers, search, ("search_page", search, order, view.offset, limit), read)
    by_id = {item.id: item for item in articles}
    rows = [(row, [by_id[key] for key in row.ids if key in by_id]) for row in page]
    counted = totals(readers, search)
    listed = min(counted.stories, len(every))
    return Shown(
        search,
        order,
        rows,
        counted,
        pages(view.offset, limit, len(page), listed),
        view.offset,
        limit,
    )


def totals(readers: Readers, search: Search) -> SearchTotals:
    """``search_totals`` of ``search``, kept until the store changes."""

    def compute() -> SearchTotals:
        with _reading(readers, search, chart=True) as store:
            return search_totals(store.connection, search)

    return _kept(readers, search, ("search_totals", search), compute)


def _rows(readers: Readers, search: Search, order: Order) -> list[ResultRow]:
    def compute() -> list[ResultRow]:
        with _reading(readers, search, chart=True) as store:
            return result_rows(store.connection, search, order)

    return _kept(readers, search, ("search_rows", search, order), compute)


def _kept(readers: Readers, search: Search, key: Hashable, compute: Callable[[], T]) -> T:
    """A full-text search's table as its answers are kept (``web_search_cache``: until the
    store changes at all); a listing by filters alone as the events table's (``aggregates``:
    until the store changes and the answer is older than ``web_chart_max_age``)."""
    if search.query is None:
        return readers.aggregates.get(key, compute)
    if readers.search_tables is None:
        return compute()
    return readers.search_tables.get(key, compute)


def _reading(
    readers: Readers, search: Search, *, chart: bool = False
) -> AbstractContextManager[Store]:
    """A search slot for a full-text search, else a store; ``chart``: with a chart's
    deadline (a table's rows, totals and facets read every match once, then are kept)."""
    seconds = readers.chart_seconds if chart else None
    if search.query is not None:
        return readers.searching(seconds)
    return readers.store(seconds)


def warm_results(readers: Readers) -> None:
    """Compute the unfiltered articles page's totals and facets, as its first visitor would."""
    try:
        totals(readers, Search(None, BrowseFilters.parse(), grouped=False))
    except StoreError as exc:  # the first request will try again and say why
        log.warning("could not compute the articles totals ahead: %s", exc)
