"""Read access to the store for request handlers, through a ``StorePool``: for SQLite one
``Store`` per worker thread, opened once and kept; for PostgreSQL a pool of at most
``db_pool_size`` connections per server process. Every read runs under a deadline: a query
that takes longer than ``web_query_timeout`` seconds (``web_search_timeout`` for a full-text
search) is interrupted and answered as ``query_timeout`` (503), that request alone.

Full-text searches are the costly reads, so at most ``web_max_searches`` run at once in a
server process; one more waits for a free slot up to ``web_search_timeout`` seconds, then is
answered as ``search_busy`` (503) while every other kind of request goes on being served.
With ``web_search_cache`` (the default) a search's answer is kept until the store changes, as
a search engine keeps a query's ranked results until its next commit: the ``SEARCHES_KEPT``
latest per process, and clients asking the same search at once wait for one computation.

The timeline and the map read every event, and the list of sites offered as a filter every
article; their answers are kept until the store changes (``aggregates.py``), and those
without filters are computed when the server starts (``warm``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from wirewatch.errors import StoreError
from wirewatch.settings import Settings
from wirewatch.store import Store
from wirewatch.store.browse import ArticleSummary, BrowseFilters, search_articles, site_names
from wirewatch.store.charts import DayCount, MapPoint, event_places, events_per_day
from wirewatch.store.paging import Page
from wirewatch.store.pool import StorePool
from wirewatch.store.search import QueryCost
from wirewatch.web.aggregates import Aggregates

log = logging.getLogger("wirewatch.web")
SEARCHES_KEPT = 256
"""Search answers (pages) one server process keeps with ``web_search_cache``."""
SEARCH_TABLES_KEPT = 64
"""Search tables kept likewise (a search's rows in one order, its totals and facets, a
page's articles): fewer, since a table holds up to 10,000 rows."""


class Readers:
    """Stores for request handlers (``store.pool.StorePool``): ``with readers.store() as
    store:`` in a handler."""

    def __init__(self, db: str | Path, settings: Settings | None = None) -> None:
        settings = settings or Settings()
        self.db = str(db)
        self.query_seconds = settings.web_query_timeout
        self.pool = StorePool(self.db, size=settings.db_pool_size, wait=settings.web_query_timeout)
        self.search_seconds = settings.web_search_timeout
        self._searches = threading.BoundedSemaphore(settings.web_max_searches)
        self.aggregates = Aggregates(self.version, max_age=settings.web_chart_max_age)
        self.searches = (
            Aggregates(self.version, size=SEARCHES_KEPT) if settings.web_search_cache else None
        )
        self.search_tables = (
            Aggregates(self.version, size=SEARCH_TABLES_KEPT) if settings.web_search_cache else None
        )
        # A chart is computed once for every client: give it longer than one request's reads.
        self.chart_seconds = settings.web_query_timeout * 6

    @contextmanager
    def store(self, seconds: float | None = None) -> Iterator[Store]:
        """A store from the pool, with a deadline on the queries run inside the block."""
        with (
            self.pool.store() as store,
            store.deadline(self.query_seconds if seconds is None else seconds),
        ):
            yield store

    def version(self) -> tuple[Any, ...]:
        """The store's version: it changes whenever any process commits a write."""
        quick = self.pool.quick_version()
        if quick is not None:
            return quick
        with self.store() as store:
            return store.version()

    @contextmanager
    def searching(self, seconds: float | None = None) -> Iterator[Store]:
        """``store()`` for a full-text search: one of the few search slots, a shorter deadline
        (``seconds``: another, for a search table's totals and facets, kept once computed)."""
        if not self._searches.acquire(timeout=self.search_seconds):
            raise StoreError(
                "too many searches are running at once; try again in a moment",
                code="search_busy",
            )
        try:
            with self.store(self.search_seconds if seconds is None else seconds) as store:
                yield store
        finally:
            self._searches.release()

    def search(
        self, query: str, filters: BrowseFilters, limit: int, cursor: str | None, cost: QueryCost
    ) -> Page[ArticleSummary]:
        """``search_articles`` in a search slot; kept until the store changes (any change:
        unlike a chart, a search answer is never served once the store has moved on)."""

        def compute() -> Page[ArticleSummary]:
            with self.searching() as store:
                return search_articles(store.connection, query, filters, limit, cursor, cost)

        if self.searches is None:
            return compute()
        return self.searches.get(("search", query, filters, limit, cursor, cost), compute)

    def days(self, filters: BrowseFilters) -> list[DayCount]:
        """``events_per_day`` for the chart of ``filters``, kept until the store changes."""
        charted = filters.charted()

        def compute() -> list[DayCount]:
            with self.store(self.chart_seconds) as store:
                return events_per_day(store.connection, charted)

        return self.aggregates.get(("days", charted), compute)

    def places(self, filters: BrowseFilters) -> list[MapPoint]:
        """``event_places`` for the map of ``filters``, kept until the store changes."""
        charted = filters.charted()

        def compute() -> list[MapPoint]:
            with self.store(self.chart_seconds) as store:
                return event_places(store.connection, charted)

        return self.aggregates.get(("places", charted), compute)

    def sites(self) -> list[str]:
        """``site_names`` for the site filter of the listings, kept until the store changes."""

        def compute() -> list[str]:
            with self.store(self.chart_seconds) as store:
                return site_names(store.connection)

        return self.aggregates.get(("sites",), compute)

    def warm(self) -> None:
        """Compute the unfiltered timeline and map and the site list, as the first visitors
        would ask them."""
        every = BrowseFilters.parse()
        try:
            self.days(every)
            self.places(every)
            self.sites()
        except StoreError as exc:  # the first request will try again and say why
            log.warning("could not compute the timeline and map ahead: %s", exc)
