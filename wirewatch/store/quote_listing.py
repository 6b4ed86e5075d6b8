"""Quotes as the quotes page and ``/api/quotes`` list them: with the listing filters that
apply to quotes (speaker, site, since, until), latest added articles first, each story-level
quote once unless ``per_mention``."""

from __future__ import annotations

from wirewatch.store.backends import Connection
from wirewatch.store.browse import BrowseFilters, quotes_where
from wirewatch.store.paging import Page
from wirewatch.store.records import StoredQuote


def list_quotes(
    conn: Connection, filters: BrowseFilters, limit: int = 50, cursor: str | None = None
) -> Page[StoredQuote]:
    """Quotes ``filters`` select (event filters do not apply to quotes)."""
    where, params = filters.quote_listing_condition()
    return quotes_where(conn, f"{where} AND {filters.quote_once}", params, limit, cursor)
