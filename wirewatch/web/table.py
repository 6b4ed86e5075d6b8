"""The events table's order, offset and totals, for the events page and its JSON and CSV twins.

``sort`` names a column of ``store.event_table.SORTS`` (``-goldstein``: descending) and
``offset`` the first row shown; both go to the JSON and CSV links unchanged, so each gives
exactly the rows the page shows. Totals and facet counts read every event the filters
select, and so does sorting them: totals, facets and a sorted table's first rows' keys are
kept until the store changes, as the timeline and the map are (``aggregates.py``), so paging
a sorted table costs one sort, not one per page.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Annotated

from fastapi import Query

from wirewatch.errors import StoreError, UsageError
from wirewatch.store.browse import BrowseFilters
from wirewatch.store.event_table import (
    MAX_OFFSET,
    EventTotals,
    Order,
    check_offset,
    event_table,
    event_totals,
    events_by_keys,
    sorted_event_keys,
)
from wirewatch.store.paging import Page, check_limit
from wirewatch.store.records import StoredEvent
from wirewatch.web.readers import Readers

log = logging.getLogger("wirewatch.web")
KEYS_KEPT = MAX_OFFSET + 500
"""Keys a sorted table keeps: as deep as a page may start, plus the largest page."""
WALKED_ROWS = 200
"""The default order's first rows come from the keyset walk, read fresh (a few pages cost
less than a sort); deeper pages are slices of its kept keys, as a sorted table's are."""


@dataclass(frozen=True, slots=True)
class TableView:
    """Where a table page starts and in which order its rows are."""

    order: Order
    offset: int

    @property
    def default(self) -> bool:
        """The listing's own order from its first row: cursors page it."""
        return self.order.default and self.offset == 0


async def table_view(
    sort: Annotated[
        str | None,
        Query(max_length=30, description="a column to sort on (date, goldstein...); -: descending"),
    ] = None,
    offset: Annotated[
        int | None, Query(ge=0, le=MAX_OFFSET, description="rows to skip (sorted pages)")
    ] = None,
) -> TableView:
    """The ``sort`` and ``offset`` of a table page, checked."""
    return TableView(Order.parse(sort), offset or 0)


def no_cursor_with(view: TableView, cursor: str | None) -> None:
    """Refuse a cursor on a sorted or offset page: those page by ``offset``."""
    if cursor is not None and not view.default:
        raise UsageError("cursor pages the default order only: page a sorted table with offset")


@dataclass(frozen=True, slots=True)
class Pages:
    """Offsets of the neighbouring pages of a table (None: there is none that way)."""

    first: int
    last: int
    previous: int | None
    following: int | None


def pages(offset: int, limit: int, shown: int, total: int) -> Pages:
    """Rows ``first``..``last`` (1-based) of ``total``, and the offsets of the pages around."""
    previous = max(offset - limit, 0) if offset > 0 else None
    following = offset + limit if offset + limit < total and offset + limit <= MAX_OFFSET else None
    return Pages(offset + 1 if shown else 0, offset + shown, previous, following)


def totals(readers: Readers, filters: BrowseFilters) -> EventTotals:
    """``event_totals`` for ``filters``, kept until the store changes."""

    def compute() -> EventTotals:
        with readers.store(readers.chart_seconds) as store:
            return event_totals(store.connection, filters)

    return readers.aggregates.get(("event_totals", filters), compute)


def table_page(
    readers: Readers, filters: BrowseFilters, view: TableView, limit: int
) -> Page[StoredEvent]:
    """The rows of a table page, the same for the page and its JSON and CSV links."""
    check_limit(limit)
    check_offset(view.offset)
    walk = view.order.default and view.offset + limit <= WALKED_ROWS
    if walk or view.offset + limit > KEYS_KEPT:
        with readers.store() as store:
            return event_table(store.connection, filters, view.order, limit, view.offset)

    def compute() -> list[tuple[str, int]]:
        with readers.store(readers.chart_seconds) as store:
            return sorted_event_keys(store.connection, filters, view.order, KEYS_KEPT)

    keys = readers.aggregates.get(("event_order", filters, view.order), compute)
    with readers.store() as store:
        return Page(events_by_keys(store.connection, keys[view.offset : view.offset + limit]))


def warm_tables(readers: Readers) -> None:
    """Compute the unfiltered events page's totals and facets, as its first visitor would."""
    try:
        totals(readers, BrowseFilters.parse())
    except StoreError as exc:  # the first request will try again and say why
        log.warning("could not compute the events totals ahead: %s", exc)
