"""The SQL for an article's quotes, actors, places and events: writing, reading back, listing.

Written inside the transaction that writes their article (``insert_annotations``), read back
with it (``load_annotations``), and listed with where they came from (``stored_quotes``,
``stored_events``) for search results and exports. Conversion to and from rows is in ``rows``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from wirewatch.model import Actor, Article, Event, Place, Quote
from wirewatch.store import rows
from wirewatch.store.backends import Connection
from wirewatch.store.records import Record, StoredEvent, StoredQuote, record_id


def _insert(table: str, columns: Sequence[str]) -> str:
    names = ", ".join(columns)
    values = ", ".join(":" + column for column in columns)
    return f"INSERT INTO {table} ({names}) VALUES ({values})"


_INSERT_QUOTE = _insert("quotes", rows.QUOTE_COLUMNS)
_INSERT_ACTOR = _insert("actors", rows.ACTOR_COLUMNS)
_INSERT_PLACE = _insert("places", rows.PLACE_COLUMNS)
_INSERT_EVENT = _insert("events", rows.EVENT_COLUMNS)
_INSERT_EVENT_ACTOR = _insert("event_actors", rows.EVENT_ACTOR_COLUMNS)

# The evidence a reader is shown: the sentence the annotation is in, widened to the annotation's
# own span if that runs past it; the span alone when the article's sentences were not stored.
_EVIDENCE = """coalesce(
    substr(a.text, min(s.start, {t}.start) + 1, max(s.end, {t}.end) - min(s.start, {t}.start)),
    substr(a.text, {t}.start + 1, {t}.end - {t}.start)
)"""

# The story-level record of each listed quote or event (none for an article without a story).
_RECORD = """r_m.representative AS record_representative, r.id AS record_id,
           r.story_id AS record_story_id, r.num_mentions AS record_mentions,
           r.num_articles AS record_articles, r.num_sources AS record_sources"""
_RECORD_JOIN = """LEFT JOIN story_{kind}_mentions AS r_m
        ON r_m.article_id = {t}.article_id AND r_m.idx = {t}.idx
    LEFT JOIN story_{kind}s AS r ON r.id = r_m.record_id"""

_STORED_QUOTES = f"""
    SELECT q.*, coalesce(a.url, a.canonical_url) AS article_url, a.published AS article_published,
           {_EVIDENCE.format(t="q")} AS sentence_text, a.seq AS article_seq, {_RECORD}
    FROM quotes AS q
    JOIN articles AS a ON a.id = q.article_id
    LEFT JOIN sentences AS s ON s.article_id = q.article_id AND s.idx = q.sentence
    {_RECORD_JOIN.format(t="q", kind="quote")}
    WHERE {{where}}
    ORDER BY a.seq, q.idx
    LIMIT :limit
"""
_STORED_EVENTS = f"""
    SELECT e.*, coalesce(a.url, a.canonical_url) AS article_url, a.published AS article_published,
           a.ingested_at AS article_added, {_EVIDENCE.format(t="e")} AS sentence_text,
           instr(substr(a.text, 1, e.start), char(10)) = 0 AS lead, a.seq AS article_seq,
           {_RECORD}
    FROM events AS e
    JOIN articles AS a ON a.id = e.article_id
    LEFT JOIN sentences AS s ON s.article_id = e.article_id AND s.idx = e.sentence
    {_RECORD_JOIN.format(t="e", kind="event")}
    WHERE {{where}}
    ORDER BY a.seq, e.idx
    LIMIT :limit
"""


@dataclass(slots=True)
class Annotations:
    """An article's quotes, actors, places and events, as read back from the store."""

    quotes: list[Quote] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


def insert_annotations(conn: Connection, article_id: str, article: Article) -> None:
    """Write the article's quotes, actors, places and events; the caller holds the transaction."""
    conn.executemany(_INSERT_QUOTE, rows.quote_rows(article_id, article))
    conn.executemany(_INSERT_ACTOR, rows.actor_rows(article_id, article))
    conn.executemany(_INSERT_PLACE, rows.place_rows(article_id, article))
    conn.executemany(_INSERT_EVENT, rows.event_rows(article_id, article))
    conn.executemany(_INSERT_EVENT_ACTOR, rows.event_actor_rows(article_id, article))


def load_annotations(conn: Connection, article_id: str) -> Annotations:
    """The article's annotations, each list in the order it was stored."""
    key = (article_id,)
    quotes = conn.execute("SELECT * FROM quotes WHERE article_id = ? ORDER BY idx", key)
    actors = conn.execute("SELECT * FROM actors WHERE article_id = ? ORDER BY idx", key)
    places = conn.execute("SELECT * FROM places WHERE article_id = ? ORDER BY idx", key)
    return Annotations(
        quotes=[rows.quote_from_row(row) for row in quotes],
        actors=[rows.actor_from_row(row) for row in actors],
        places=[p for p in map(rows.place_from_row, places) if p is not None],
        events=_events(
            conn,
            conn.execute("SELECT * FROM events WHERE article_id = ? ORDER BY idx", key).fetchall(),
        ),
    )


def stored_quotes(
    conn: Connection, where: str, params: dict[str, Any], limit: int = -1
) -> list[StoredQuote]:
    """Quotes (``q``, article ``a``) satisfying ``where``, in article order; -1: no limit."""
    found = conn.execute(
        _STORED_QUOTES.format(where=where), {**params, "limit": _rows_limit(limit)}
    ).fetchall()
    return [
        StoredQuote(
            article_id=row["article_id"],
            index=row["idx"],
            url=row["article_url"],
            published=row["article_published"],
            quote=rows.quote_from_row(row),
            sentence_text=row["sentence_text"],
            record=_record(row, "quote"),
        )
        for row in found
    ]


def stored_events(
    conn: Connection, where: str, params: dict[str, Any], limit: int = -1
) -> list[StoredEvent]:
    """Events (``e``, article ``a``) satisfying ``where``, in article order; -1: no limit."""
    found = conn.execute(
        _STORED_EVENTS.format(where=where), {**params, "limit": _rows_limit(limit)}
    ).fetchall()
    events = _events(conn, found)
    return [
        StoredEvent(
            article_id=row["article_id"],
            index=row["idx"],
            url=row["article_url"],
            published=row["article_published"],
            added=row["article_added"],
            lead=bool(row["lead"]),
            event=event,
            sentence_text=row["sentence_text"],
            record=_record(row),
        )
        for row, event in zip(found, events, strict=True)
    ]


def _record(row: Any, kind: str = "event") -> Record:
    """The row's story-level record; a mention without one is a record of its own."""
    if row["record_id"] is None:
        return Record(record_id(row["article_id"], row["idx"], kind), None, True, 1, 1, 1)
    return Record(
        id=row["record_id"],
        story_id=row["record_story_id"],
        representative=bool(row["record_representative"]),
        num_mentions=row["record_mentions"],
        num_articles=row["record_articles"],
        num_sources=row["record_sources"],
    )


def _events(conn: Connection, event_rows: list[Any]) -> list[Event]:
    """The events ``event_rows`` hold, with their sources and targets read in one query per
    ``_ARTICLES_PER_QUERY`` articles."""
    participants: dict[tuple[str, int], dict[str, list[Actor]]] = {}
    article_ids = list(dict.fromkeys(row["article_id"] for row in event_rows))
    for start in range(0, len(article_ids), _ARTICLES_PER_QUERY):
        participants |= _participants(conn, article_ids[start : start + _ARTICLES_PER_QUERY])
    events: list[Event] = []
    for row in event_rows:
        roles = participants.get((row["article_id"], row["idx"]), {})
        events.append(rows.event_from_row(row, roles.get("source", []), roles.get("target", [])))
    return events


_ARTICLES_PER_QUERY = 500  # far below any database's limit on parameters


def _participants(
    conn: Connection, article_ids: list[str]
) -> dict[tuple[str, int], dict[str, list[Actor]]]:
    by_event: dict[tuple[str, int], dict[str, list[Actor]]] = defaultdict(lambda: defaultdict(list))
    marks = ", ".join("?" * len(article_ids))
    for row in conn.execute(
        f"SELECT * FROM event_actors WHERE article_id IN ({marks}) "
        "ORDER BY article_id, event_idx, role, idx",
        article_ids,
    ):
        by_event[(row["article_id"], row["event_idx"])][row["role"]].append(
            rows.actor_from_row(row)
        )
    return by_event


def _rows_limit(limit: int) -> int:
    """``limit`` for SQL's LIMIT; -1 (no limit) as a number both databases take."""
    return limit if limit >= 0 else 2**62
