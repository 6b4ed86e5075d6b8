"""Full-text search with filters: the articles matching a user's words and every filter, and
for each the quotes and events that matched (``Store.search`` is the public way in)."""

from __future__ import annotations

import json
from collections import defaultdict

from wirewatch.errors import StoreError, UsageError
from wirewatch.headlines import OPENING_CHARS, display_title
from wirewatch.store.annotations import stored_events, stored_quotes
from wirewatch.store.backends import Connection, SearchError
from wirewatch.store.browse import BrowseFilters
from wirewatch.store.records import SearchHit, StoredEvent, StoredQuote
from wirewatch.store.search import fts_query, lead_snippet

# The title counts five times as much as the body: a story *about* the query usually says so
# in its headline. The snippet comes from the body, since the title is shown beside it anyway.
_SEARCH = """
    SELECT a.id, a.title, coalesce(a.url, a.canonical_url) AS url,
           coalesce(a.site, s.name, s.host) AS site, a.published,
           {snippet} AS snippet, {score} AS score, {opening} AS opening
    FROM {source}
    LEFT JOIN sites AS s ON s.id = a.site_id
    WHERE {condition} AND {where}
    ORDER BY score, a.seq
    LIMIT :limit
"""
# Without search words nothing ranks the articles: the latest published come first.
_FILTER = """
    SELECT a.id, a.title, coalesce(a.url, a.canonical_url) AS url,
           coalesce(a.site, s.name, s.host) AS site, a.published,
           substr(a.text, 1, 400) AS snippet, NULL AS score, {opening} AS opening
    FROM articles AS a
    LEFT JOIN sites AS s ON s.id = a.site_id
    WHERE {where}
    ORDER BY a.published_day IS NULL, a.published_day DESC, a.seq DESC
    LIMIT :limit
"""

# The opening a title is made from when the article has none (``headlines.fallback_title``).
_OPENING = f"CASE WHEN coalesce(a.title, '') = '' THEN substr(a.text, 1, {OPENING_CHARS}) END"


def find_hits(
    conn: Connection, query: str | None, filters: BrowseFilters, limit: int
) -> list[SearchHit]:
    """Articles matching ``query`` (most relevant first) or, without one, the filters alone
    (latest published first), at most ``limit``; ``UsageError`` for a query that cannot parse."""
    where, params = filters.article_condition()
    params["limit"] = limit
    if query is None:
        sql = _FILTER.format(where=where, opening=_OPENING)
    else:
        text = conn.backend.text_search("[", "]")
        sql = _SEARCH.format(
            snippet=text.snippet,
            score=text.score,
            source=text.source,
            condition=text.condition,
            where=where,
            opening=_OPENING,
        )
    expression = fts_query(query) if query is not None else None
    try:
        if expression is not None:
            params.update(conn.backend.search_params(conn, expression))
        found = conn.execute(sql, params).fetchall()
    except SearchError as exc:
        raise _search_error(conn, query or "", exc) from None
    quotes, events = _matched(conn, filters, [row["id"] for row in found])
    return [
        SearchHit(
            article_id=row["id"],
            title=row["title"],
            url=row["url"],
            site=row["site"],
            published=row["published"],
            snippet=row["snippet"] if query is not None else lead_snippet(row["snippet"]),
            rank=row["score"],
            quotes=tuple(quotes.get(row["id"], ())),
            events=tuple(events.get(row["id"], ())),
            display_title=display_title(row["title"], row["opening"]),
        )
        for row in found
    ]


def _matched(
    conn: Connection, filters: BrowseFilters, article_ids: list[str]
) -> tuple[dict[str, list[StoredQuote]], dict[str, list[StoredEvent]]]:
    """The quotes and events of these articles that match the filters, by article id."""
    # One query for all hits: a filter's subqueries (actor names...) are evaluated once.
    hits = {"f_hits": json.dumps(article_ids)}
    quotes: dict[str, list[StoredQuote]] = defaultdict(list)
    events: dict[str, list[StoredEvent]] = defaultdict(list)
    if filters.on_quotes:
        sql, params = filters.quote_condition()
        where = f"q.article_id IN (SELECT value FROM json_each(:f_hits)) AND {sql}"
        for quote in stored_quotes(conn, where, params | hits):
            quotes[quote.article_id].append(quote)
    if filters.on_events:
        sql, params = filters.event_condition()
        where = f"e.article_id IN (SELECT value FROM json_each(:f_hits)) AND {sql}"
        for event in stored_events(conn, where, params | hits):
            events[event.article_id].append(event)
    return quotes, events


def _search_error(conn: Connection, query: str, exc: Exception) -> Exception:
    """A query the index cannot parse is the user's to fix; anything else is the store's."""
    detail = conn.backend.query_syntax_error(exc)
    if detail is not None:
        return UsageError(
            f"cannot search for {query!r} ({detail}): AND, OR and NOT need a search term on "
            'each side; put words in double quotes to search for them as words, e.g. "NOT"'
        )
    return StoreError(f"searching store failed: {exc}")
