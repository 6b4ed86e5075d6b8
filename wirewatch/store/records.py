"""What the store answers with: the outcome of adding an article, search hits, and quotes and
events with the article they came from.

These records belong to the store's interface, not to one backend, so the SQLite store and a
later PostgreSQL store return the same types.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum

from wirewatch.model import Event, Quote


class AddResult(StrEnum):
    """What ``Store.add_article`` did with an article.

    ``DUPLICATE_URL`` wins over ``DUPLICATE_CONTENT`` when both apply: the URL is the cheaper,
    more specific fact to report ("this page is already stored").

    >>> AddResult.ADDED == "added"
    True
    """

    ADDED = "added"
    DUPLICATE_URL = "duplicate_url"
    DUPLICATE_CONTENT = "duplicate_content"


_RECORD_ID_DIGITS = 13  # 52 bits: an exact integer in every JSON reader and spreadsheet


def record_id(article_id: str, index: int, kind: str = "event") -> int:
    """The numeric id of the record whose representative is event (``kind="quote"``: quote)
    ``index`` of ``article_id``: the same in every store and every run for the same text."""
    key = f"{article_id}:{index}" if kind == "event" else f"{kind}:{article_id}:{index}"
    digest = hashlib.sha1(key.encode()).hexdigest()
    return int(digest[:_RECORD_ID_DIGITS], 16)


@dataclass(frozen=True, slots=True)
class Record:
    """The story-level record a stored event (quote) belongs to, with GDELT 2.0's counts.

    ``id`` is numeric and the same in every run for the same text; ``representative`` is True
    for the one mention that stands for the record (the first article of the story stating
    it). An event of an article without a story is a record of its own, ``story_id`` None.
    """

    id: int
    story_id: str | None
    representative: bool
    num_mentions: int
    num_articles: int
    num_sources: int


@dataclass(frozen=True, slots=True)
class StoredQuote:
    """A stored quote with where it came from: ``Article.quotes[index]`` of article
    ``article_id``.

    ``url`` is the article's URL (else its canonical URL), ``published`` its publication date as
    stored. ``sentence_text`` is the evidence to show a reader: the sentence the quote starts in,
    widened to the end of the quote when the quote runs on; the quote's own text when the
    article's sentences were not stored.
    """

    article_id: str
    index: int
    url: str | None
    published: str | None
    quote: Quote
    sentence_text: str
    record: Record | None = None


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """A stored event with where it came from: ``Article.events[index]`` of article
    ``article_id``.

    ``sentence_text`` is the sentence stating the event (widened to the evidence span if that
    runs past it; the span alone when sentences were not stored). ``added`` is when the article
    was stored (ISO 8601 UTC). ``lead`` is True when the evidence starts in the article's first
    paragraph, where the main event of a news story is usually told.
    """

    article_id: str
    index: int
    url: str | None
    published: str | None
    added: str
    lead: bool
    event: Event
    sentence_text: str
    record: Record | None = None


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One article matching a search, best first.

    ``url`` is the article's URL, or its canonical URL when it was read without one. ``site``
    is the site name the article gave, else the name or host known for its site. ``snippet`` is
    an excerpt of the article text with each match in ``[`` ``]`` and ``…`` where text was cut;
    without search words, the start of the text. ``rank`` is FTS5's bm25 score as SQLite reports
    it (more negative is more relevant), ``None`` without search words. ``quotes`` are the
    article's quotes that matched a quote filter (``speaker``), ``events`` its events that
    matched the event filters (``actor``, ``cameo``, ``plover``, ``country``, with the dates);
    both are empty when no such filter was given.
    """

    article_id: str
    title: str | None
    url: str | None
    site: str | None
    published: str | None
    snippet: str
    rank: float | None
    quotes: tuple[StoredQuote, ...] = ()
    events: tuple[StoredEvent, ...] = ()
    display_title: str | None = None  # ``title``, else ``headlines.fallback_title`` of the text
