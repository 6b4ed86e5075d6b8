"""Read queries the web UI and its JSON API need: pages of articles, events and quotes with
cursors, search with an offset cursor, events per day, and event locations.

Every listing is one page at a time: a query asks for ``limit + 1`` rows, and the extra row
only says whether another page follows. Listings page on keys (keyset pagination): the
cursor holds the sort key of the last row shown, so a page costs the same however deep it is,
and rows added meanwhile do not shift the pages. Only search, ranked by bm25, pages by an
offset (capped at ``MAX_SEARCH_OFFSET``).

Cursors are opaque to clients: base64url of a small JSON list, checked on the way back in.
The filters every listing takes are ``BrowseFilters`` (``browse_filters.py``, imported here).

>>> from wirewatch.store import Store
>>> with Store.open(":memory:") as store:
...     latest_articles(store.connection, BrowseFilters.parse()).items
[]
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from wirewatch.errors import UsageError
from wirewatch.headlines import OPENING_CHARS, display_title
from wirewatch.store.annotations import stored_events, stored_quotes
from wirewatch.store.backends import Connection, SearchError, TextSearch
from wirewatch.store.browse_filters import BrowseFilters
from wirewatch.store.paging import Keyset, Page, check_limit, decode_cursor, encode_cursor
from wirewatch.store.records import StoredEvent, StoredQuote
from wirewatch.store.search import QueryCost, fts_query, lead_snippet
from wirewatch.store.story_once import QUOTE_ONCE, event_once

MAX_SEARCH_OFFSET = 10_000
"""How deep search pages may go: ranking every match again for page 500 helps no reader."""

SEARCH_DEPTH = 1_000
"""Best-ranked matches a filtered search tests one by one before testing every match."""

EVENT_WINDOW = 2_000
"""Articles a filtered listing first looks through in order before asking the query planner."""

SNIPPET_OPEN, SNIPPET_CLOSE = "\ue000", "\ue001"
"""Marks around each search match in a snippet: private-use characters that article text
does not hold, so a page can turn them into highlights after escaping the text."""

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """One article in a listing: what a reader needs to decide whether to open it.

    ``snippet`` is the start of the text, or for search an excerpt with each match between
    ``SNIPPET_OPEN`` and ``SNIPPET_CLOSE``. ``quotes`` and ``events`` count its annotations.
    """

    id: str
    title: str | None
    url: str | None
    site: str | None
    published: str | None
    word_count: int
    snippet: str
    quotes: int
    events: int
    rank: float | None = None
    display_title: str | None = None  # the title, else ``headlines.fallback_title`` of the text
    story_id: str | None = None  # None for an article stored before stories existed


@dataclass(frozen=True, slots=True)
class SpeakerSummary:
    """A named speaker and how many quotes the store holds from them."""

    name: str
    quotes: int
    organisation: str | None
    country: str | None


ARTICLE_SUMMARY = f"""
    SELECT a.id, a.seq, a.title, coalesce(a.url, a.canonical_url) AS url,
           coalesce(a.site, s.name, s.host) AS site, a.published, a.word_count,
           coalesce(a.published_day, '') AS day, {{snippet}} AS snippet,
           (SELECT count(*) FROM quotes AS q WHERE q.article_id = a.id) AS quote_count,
           (SELECT count(*) FROM events AS e WHERE e.article_id = a.id) AS event_count,
           (SELECT sa.story_id FROM story_articles AS sa WHERE sa.article_id = a.id) AS story_id,
           CASE WHEN coalesce(a.title, '') = '' THEN substr(a.text, 1, {OPENING_CHARS}) END
               AS opening{{extra}}
"""


def latest_articles(
    conn: Connection,
    filters: BrowseFilters,
    limit: int = 50,
    cursor: str | None = None,
) -> Page[ArticleSummary]:
    """Articles matching ``filters``, latest published first (undated ones last); pages go
    both ways (``paging.Keyset``)."""
    check_limit(limit)
    keyset = Keyset.parse(cursor, (str, int))
    found = _latest_rows(conn, filters, limit, keyset)
    page = keyset.page(found, limit, _article_key)
    if page is None:  # fewer than a page before: the page before is the first
        page = Keyset().page(_latest_rows(conn, filters, limit, Keyset()), limit, _article_key)
        assert page is not None
    items = [article_summary(row, lead_snippet(row["snippet"])) for row in page.items]
    return Page(items, page.next_cursor, page.previous_cursor)


def _article_key(row: Any) -> tuple[str, int]:
    return (row["day"], row["seq"])


def _latest_rows(conn: Connection, filters: BrowseFilters, limit: int, keyset: Keyset) -> list[Any]:
    """``limit + 1`` rows of ``latest_articles`` from ``keyset``, in its reading order."""
    after, params = "TRUE", {"limit": limit + 1}
    if keyset.key is not None:
        day, seq = keyset.key
        compare = ">" if keyset.backward else "<"
        after = f"(coalesce({{t}}.published_day, ''), {{t}}.seq) {compare} (:c_day, :c_seq)"
        params |= {"c_day": day, "c_seq": seq}
    direction = "ASC" if keyset.backward else "DESC"
    select = ARTICLE_SUMMARY.format(snippet="substr(a.text, 1, 400)", extra="") + (
        "FROM articles AS a LEFT JOIN sites AS s ON s.id = a.site_id WHERE {where} "
        f"ORDER BY coalesce(a.published_day, '') {direction}, a.seq {direction} LIMIT :limit"
    )
    found: list[Any] = []
    if filters.on_events or filters.search.on_quotes:
        # As for events (``_latest_event_keys``): look through the next ``EVENT_WINDOW``
        # articles in order first, testing each one's events; a full page there is the page.
        window = (
            f"a.seq IN (SELECT w.seq FROM articles AS w WHERE {after.format(t='w')} "
            f"ORDER BY coalesce(w.published_day, '') {direction}, w.seq {direction} "
            "LIMIT :w_size)"
        )
        where, values = filters.correlated_condition()
        found = conn.execute(
            select.format(where=f"{window} AND {where}"),
            params | values | {"w_size": EVENT_WINDOW},
        ).fetchall()
    if len(found) <= limit:
        where, values = filters.article_condition()
        found = conn.execute(
            select.format(where=f"{after.format(t='a')} AND {where}"), params | values
        ).fetchall()
    return found


def search_articles(
    conn: Connection,
    query: str,
    filters: BrowseFilters,
    limit: int = 50,
    cursor: str | None = None,
    cost: QueryCost | None = None,
) -> Page[ArticleSummary]:
    """Articles matching the search words ``query`` and ``filters``, most relevant first.

    ``cost``: the most the query may ask of the index (``UsageError`` ``query_too_costly``).
    """
    check_limit(limit)
    offset = decode_cursor(cursor, (int,))[0] if cursor is not None else 0
    if not 0 <= offset <= MAX_SEARCH_OFFSET:
        raise UsageError(f"search goes {MAX_SEARCH_OFFSET} results deep at most", code="bad_cursor")
    expression = fts_query(query, cost)
    text = conn.backend.text_search(SNIPPET_OPEN, SNIPPET_CLOSE)
    try:
        params = conn.backend.search_params(conn, expression)
        params |= {"limit": limit + 1, "offset": offset}
        found = _ranked_page(conn, text, filters, params)
    except SearchError as exc:
        mistake = query_mistake(conn, exc, query)
        if mistake is None:
            raise
        raise mistake from None
    items = [
        article_summary(row, " ".join(row["snippet"].split()), row["score"])
        for row in found[:limit]
    ]
    following = encode_cursor((offset + limit,)) if len(found) > limit else None
    previous = encode_cursor((max(offset - limit, 0),)) if offset > 0 else None
    return Page(items, following, previous)


def _ranked_page(
    conn: Connection, text: TextSearch, filters: BrowseFilters, params: dict[str, Any]
) -> list[Any]:
    """The rows of one search page (``:limit`` from ``:offset``) for ``:match``, best first.

    A filtered search tests the ``SEARCH_DEPTH`` best-ranked matches first, each on its own
    (a lookup by article id): a page found among them is the page, since every other match
    ranks after them. Only when fewer pass, and there are more matches, is every match
    tested, against the list of articles the filters select (a rare filter: a short list).
    Testing each of 22,000 matches of a place name for a country cost half a second.
    """
    if filters == BrowseFilters.parse():
        return conn.execute(_search_sql(text, "TRUE", depth=False), params).fetchall()
    where, values = filters.correlated_condition()
    found = conn.execute(
        _search_sql(text, where, depth=True), params | values | {"depth": SEARCH_DEPTH}
    ).fetchall()
    if len(found) >= params["limit"]:
        return found
    deeper = conn.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM {text.source} WHERE {text.condition} "
        "LIMIT :depth) AS m",
        {"match": params["match"], "depth": SEARCH_DEPTH + 1},
    ).fetchone()[0]
    if deeper <= SEARCH_DEPTH:
        return found
    where, values = filters.article_condition()
    return conn.execute(_search_sql(text, where, depth=False), params | values).fetchall()


def _search_sql(text: TextSearch, where: str, *, depth: bool) -> str:
    """A search page under ``where`` over ``text``, among the ``:depth`` best matches when
    ``depth``.

    The page is ranked first and only its rows get a snippet and their counts: made in the
    ranking query, they were made for every match (22,000 for a place name).
    """
    ranking = f"a.seq AS seq, {text.score} AS score"
    if depth:
        source = f"""(SELECT {ranking} FROM {text.source} WHERE {text.condition}
            ORDER BY score, seq LIMIT :depth) AS m JOIN articles AS a ON a.seq = m.seq"""
        ranking, condition = "m.seq AS seq, m.score AS score", "TRUE"
    else:
        source, condition = text.source, text.condition
    return (
        f"""WITH ranked AS (
            SELECT {ranking} FROM {source} WHERE {condition} AND {where}
            ORDER BY score, seq LIMIT :limit OFFSET :offset
        )"""
        + ARTICLE_SUMMARY.format(snippet=text.snippet, extra=", ranked.score AS score")
        + f"""
        FROM ranked, {text.source}
        LEFT JOIN sites AS s ON s.id = a.site_id
        WHERE a.seq = ranked.seq AND {text.condition}
        ORDER BY ranked.score, ranked.seq"""
    )


def article_summary(row: Any, snippet: str, rank: float | None = None) -> ArticleSummary:
    return ArticleSummary(
        id=row["id"],
        title=row["title"],
        url=row["url"],
        site=row["site"],
        published=row["published"],
        word_count=row["word_count"],
        snippet=snippet,
        quotes=row["quote_count"],
        events=row["event_count"],
        rank=rank,
        display_title=display_title(row["title"], row["opening"]),
        story_id=row["story_id"],
    )


def list_events(
    conn: Connection,
    filters: BrowseFilters,
    limit: int = 50,
    cursor: str | None = None,
    *,
    extra: tuple[str, dict[str, Any]] = ("TRUE", {}),
) -> Page[StoredEvent]:
    """Events matching ``filters`` (and the SQL ``extra`` over ``e``/``a``), latest added
    articles first, each article's events in order."""
    check_limit(limit)
    where, params = filters.record_condition()
    walked = filters.record_condition(per_event=True)[0]
    after = f" AND {extra[0]}"
    params = params | extra[1]
    top = None
    if cursor is not None:
        seq, idx = decode_cursor(cursor, (int, int))
        after += " AND (a.seq < :c_seq OR (a.seq = :c_seq AND e.idx > :c_idx))"
        params = params | {"c_seq": seq, "c_idx": idx}
        top = seq
    params |= {"limit": limit + 1}
    keys = _latest_event_keys(conn, (walked + after, where + after), params, top)
    shown = keys[:limit]
    events = _in_key_order(
        stored_events,
        conn,
        "e",
        [(row["article_id"], row["idx"]) for row in shown],
        lambda event: (event.article_id, event.index),
    )
    following = None
    if len(keys) > limit:
        following = encode_cursor((shown[-1]["seq"], shown[-1]["idx"]))
    return Page(events, following)


def _latest_event_keys(
    conn: Connection, where: tuple[str, str], params: dict[str, Any], top: int | None
) -> list[Any]:
    """Keys of the first ``:limit`` events under ``where``, latest added articles first.

    ``where`` is the condition twice: tested event by event (for the walk), and as the
    planner's query wants it (``SearchFilters.event_condition``'s ``per_event``).

    Two plans, each fast where the other is slow. Walking articles from the latest finds the
    events of a common filter (a big country, a frequent type) at once, but walks the whole
    store for a rare one; SQLite's own plan starts from the filter's index, finding a rare
    filter's few events at once, but sorts every event of a common one. So the walk comes
    first, over the ``EVENT_WINDOW`` articles below the page's start; if that window holds a
    full page it is exactly the page (every later article sorts after it), and otherwise the
    planner's query answers.
    """
    order = "ORDER BY a.seq DESC, e.idx LIMIT :limit"
    if top is None:
        top = conn.execute("SELECT coalesce(max(seq), 0) + 1 FROM articles").fetchone()[0]
    walked = conn.execute(
        f"""SELECT e.article_id, e.idx, a.seq FROM articles AS a
        CROSS JOIN events AS e ON e.article_id = a.id
        WHERE a.seq <= :w_top AND a.seq > :w_top - :w_size AND {where[0]} {order}""",
        params | {"w_top": top, "w_size": EVENT_WINDOW},
    ).fetchall()
    if len(walked) >= params["limit"]:
        return walked
    return conn.execute(
        f"""SELECT e.article_id, e.idx, a.seq FROM events AS e
        JOIN articles AS a ON a.id = e.article_id WHERE {where[1]} {order}""",
        params,
    ).fetchall()


def speaker_quotes(
    conn: Connection,
    name: str,
    limit: int = 50,
    cursor: str | None = None,
    *,
    per_mention: bool = False,
) -> Page[StoredQuote]:
    """Quotes whose speaker is named exactly ``name``, latest added articles first; each
    story-level quote once unless ``per_mention``."""
    where = "q.speaker_name = :name" + ("" if per_mention else f" AND {QUOTE_ONCE}")
    return quotes_where(conn, where, {"name": name}, limit, cursor)


def actor_quotes(
    conn: Connection,
    code: str,
    limit: int = 50,
    cursor: str | None = None,
    *,
    per_mention: bool = False,
) -> Page[StoredQuote]:
    """Quotes by people the same article codes as actor ``code`` (its name as speaker)."""
    where = (
        "EXISTS (SELECT 1 FROM actors AS ac WHERE ac.article_id = q.article_id "
        "AND ac.code = :code AND ac.name = q.speaker_name)"
    ) + ("" if per_mention else f" AND {QUOTE_ONCE}")
    return quotes_where(conn, where, {"code": code}, limit, cursor)


def quotes_where(
    conn: Connection,
    where: str,
    params: dict[str, Any],
    limit: int,
    cursor: str | None,
) -> Page[StoredQuote]:
    """Quotes satisfying ``where`` (SQL over ``q`` and its article ``a``), latest added
    articles first, one page; pages go both ways (``paging.Keyset``)."""
    check_limit(limit)
    keyset = Keyset.parse(cursor, (int, int))
    page = keyset.page(_quote_keys(conn, where, params, limit, keyset), limit, _quote_key)
    if page is None:  # fewer than a page before: the page before is the first
        page = Keyset().page(_quote_keys(conn, where, params, limit, Keyset()), limit, _quote_key)
        assert page is not None
    quotes = _in_key_order(
        stored_quotes,
        conn,
        "q",
        [(row["article_id"], row["idx"]) for row in page.items],
        lambda quote: (quote.article_id, quote.index),
    )
    return Page(quotes, page.next_cursor, page.previous_cursor)


def _quote_key(row: Any) -> tuple[int, int]:
    return (row["seq"], row["idx"])


def _quote_keys(
    conn: Connection, where: str, params: dict[str, Any], limit: int, keyset: Keyset
) -> list[Any]:
    """``limit + 1`` keys of ``quotes_where`` from ``keyset``, in its reading order."""
    if keyset.key is not None:
        seq, idx = keyset.key
        if keyset.backward:
            where += " AND (a.seq > :c_seq OR (a.seq = :c_seq AND q.idx < :c_idx))"
        else:
            where += " AND (a.seq < :c_seq OR (a.seq = :c_seq AND q.idx > :c_idx))"
        params = params | {"c_seq": seq, "c_idx": idx}
    order = "a.seq ASC, q.idx DESC" if keyset.backward else "a.seq DESC, q.idx"
    return list(
        conn.execute(
            f"""SELECT q.article_id, q.idx, a.seq FROM quotes AS q
            JOIN articles AS a ON a.id = q.article_id
            WHERE {where}
            ORDER BY {order}
            LIMIT :limit""",
            params | {"limit": limit + 1},
        ).fetchall()
    )


def _in_key_order(
    fetch: Callable[[Connection, str, dict[str, Any]], list[_T]],
    conn: Connection,
    alias: str,
    keys: list[tuple[str, int]],
    key_of: Callable[[_T], tuple[str, int]],
) -> list[_T]:
    """The records with these (article id, index) keys, in the order of ``keys``."""
    if not keys:
        return []
    where = (
        f"({alias}.article_id, {alias}.idx) IN "
        "(SELECT value ->> 0, CAST(value ->> 1 AS INTEGER) FROM json_each(:keys))"
    )
    found = {key_of(record): record for record in fetch(conn, where, {"keys": json.dumps(keys)})}
    return [found[key] for key in keys if key in found]


def has_events(conn: Connection) -> bool:
    """True when the store holds any event."""
    return conn.execute("SELECT 1 FROM events LIMIT 1").fetchone() is not None


def top_speakers(
    conn: Connection, limit: int = 50, *, per_mention: bool = False
) -> list[SpeakerSummary]:
    """The named speakers quoted most often, each story-level quote counted once unless
    ``per_mention``."""
    check_limit(limit)
    once = "" if per_mention else f" AND {QUOTE_ONCE}"
    found = conn.execute(
        f"""SELECT speaker_name, count(*) AS n, max(speaker_organisation) AS organisation,
                  max(speaker_country) AS country
        FROM quotes AS q WHERE speaker_name IS NOT NULL{once}
        GROUP BY speaker_name ORDER BY n DESC, speaker_name LIMIT ?""",
        (limit,),
    ).fetchall()
    return [SpeakerSummary(row[0], row[1], row[2], row[3]) for row in found]


def actor_names(conn: Connection, code: str, *, per_mention: bool = False) -> list[tuple[str, int]]:
    """The names (else texts) events give actor ``code``, most frequent first; each
    story-level event counted once unless ``per_mention``."""
    once = "" if per_mention else " AND " + event_once(index="event_idx")
    return [
        (row[0], row[1])
        for row in conn.execute(
            f"""SELECT coalesce(name, text) AS label, count(*) AS n FROM event_actors AS e
            WHERE code = ?{once} GROUP BY label ORDER BY n DESC, label LIMIT 20""",
            (code,),
        )
    ]


ACTOR_EVENTS = (
    "(e.article_id, e.idx) IN (SELECT article_id, event_idx FROM event_actors WHERE code = :code)"
)
"""SQL over ``e``: events where the actor with code ``:code`` is a source or a target."""


def site_names(conn: Connection, limit: int = 200) -> list[str]:
    """Site names and hosts to offer as a filter, the sites with most articles first."""
    return [
        row[0]
        for row in conn.execute(
            """SELECT coalesce(s.name, s.host) AS label FROM sites AS s
            JOIN articles AS a ON a.site_id = s.id
            GROUP BY s.id ORDER BY count(*) DESC, label LIMIT ?""",
            (limit,),
        )
    ]


def query_mistake(conn: Connection, exc: Exception, query: str) -> UsageError | None:
    """The search words' mistake that made ``exc`` (a stray AND, an open quote), told to the
    user; None when ``exc`` is not one."""
    detail = conn.backend.query_syntax_error(exc)
    if detail is None:
        return None
    return UsageError(
        f"cannot search for {query!r} ({detail}): AND, OR and NOT "
        "need a search term on each side; put words in double quotes to search for them"
    )
