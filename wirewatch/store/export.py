"""Stored articles, quotes and events out, streamed in the order the articles were added.

``export_records`` chooses what and how: articles as JSON Lines or CSV; quotes as JSON Lines or CSV
(``export_annotations``); events as JSON Lines, CSV, GDELT 2.0's event table (``gdelt``) or
PLOVER records (``plover``); event mentions as GDELT 2.0's mentions table. Quotes and events
are story-level records, each once, unless a caller asks for every mention.

For articles, JSON Lines carries everything (one ``serialize.article_to_dict`` object per line,
readable back with ``serialize.article_from_dict``); CSV is a flat table for spreadsheets, one
row per article, with the entities reduced to the names of people, organisations and places.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from functools import partial
from typing import Literal, TextIO

from wirewatch.errors import UsageError
from wirewatch.model import Article
from wirewatch.serialize import article_to_dict
from wirewatch.store.browse import BrowseFilters
from wirewatch.store.export_annotations import (
    stored_event_dict,
    stored_quote_dict,
    write_events_csv,
    write_quotes_csv,
)
from wirewatch.store.export_annotations import write_jsonl as write_records
from wirewatch.store.gdelt import write_gdelt, write_mentions
from wirewatch.store.plover import write_plover
from wirewatch.store.store import Store
from wirewatch.store.stories import article_sightings

ExportFormat = Literal["jsonl", "csv"]
ExportWhat = Literal["articles", "quotes", "events", "mentions", "stories"]

FORMATS: dict[str, tuple[str, ...]] = {
    "articles": ("jsonl", "csv", "parquet"),
    "quotes": ("jsonl", "csv", "parquet"),
    "events": ("jsonl", "csv", "gdelt", "plover", "parquet"),
    "mentions": ("gdelt", "parquet"),
    "stories": ("parquet",),
}
"""The formats each kind of record can be exported in."""

CSV_COLUMNS = (
    "id",
    "url",
    "canonical_url",
    "site",
    "title",
    "author",
    "published",
    "language",
    "word_count",
    "entities",
    "dropped_count",
    "text",
)
CSV_ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE"})
CSV_ENTITY_SEPARATOR = "; "


def export_articles(store: Store, fmt: ExportFormat, out: TextIO) -> int:
    """Write every stored article to ``out`` in format ``fmt``; return how many were written.

    For CSV, open ``out`` with ``newline=""`` (as the csv module asks) so that line breaks
    inside the text survive. Raises ``UsageError`` for an unknown format.

    >>> import io
    >>> from wirewatch.store import Store
    >>> with Store.open(":memory:") as store:
    ...     export_articles(store, "jsonl", io.StringIO())
    0
    """
    if fmt == "jsonl":
        return write_jsonl(store.iter_articles(), out)
    if fmt == "csv":
        return write_csv(store.iter_articles(), out)
    raise UsageError(f"unknown export format {fmt!r}: choose jsonl or csv")


def check_export(what: str, fmt: str, *, asserted_only: bool = False) -> None:
    """Raise ``UsageError`` unless ``what`` can be exported as ``fmt`` (with ``asserted_only``).

    Lets a caller refuse a request before it creates an output file.
    """
    if what not in FORMATS:
        raise UsageError(f"cannot export {what!r}: choose {', '.join(FORMATS)}")
    if fmt not in FORMATS[what]:
        kinds = [kind for kind, formats in FORMATS.items() if fmt in formats]
        hint = f": --format {fmt} is for {' and '.join(kinds)}" if kinds else ""
        raise UsageError(
            f"cannot export {what} as {fmt!r}{hint}; {what} export as {' or '.join(FORMATS[what])}"
        )
    if asserted_only and what not in ("events", "mentions"):
        raise UsageError("asserted-only keeps only asserted events: use it with events")


def export_records(
    store: Store,
    what: ExportWhat,
    fmt: str,
    out: TextIO,
    *,
    asserted_only: bool = False,
    per_mention: bool = False,
    polarity: str | None = None,
    header: bool = False,
    filters: BrowseFilters | None = None,
    story: str | None = None,
) -> int:
    """Write every stored article, quote, event or event mention (``what``) to ``out`` as
    ``fmt``.

    Quotes and events are story-level records, each once with its counts, unless
    ``per_mention`` (one per article stating it). Returns how many articles, quotes, events or
    mention rows were written (a GDELT row is a source x target pair, so an event may take
    several). ``asserted_only`` leaves out events that are denied, negated, demanded, intended
    or reported claims; ``polarity`` keeps the polarities named. ``header`` puts the column
    names first in a GDELT table (GDELT's own files have none). ``filters`` (the search
    filters, and the site) and ``story`` (a full story id) select the quotes and events to
    export; articles and stories take none. Raises ``UsageError`` for a combination
    ``check_export`` refuses.

    >>> import io
    >>> from wirewatch.store import Store
    >>> with Store.open(":memory:") as store:
    ...     out = io.StringIO()
    ...     n = export_records(store, "events", "gdelt", out, header=True)
    ...     n, out.getvalue().split("\\t")[:2]
    (0, ['GLOBALEVENTID', 'SQLDATE'])
    """
    check_export(what, fmt, asserted_only=asserted_only)
    if fmt == "parquet":
        raise UsageError("parquet is written to a file or directory: give --output")
    if what == "articles":
        return export_articles(store, fmt, out)  # type: ignore[arg-type]
    if what == "quotes":
        quotes = store.iter_quotes(per_mention=per_mention, filters=filters, story=story)
        if fmt == "csv":
            return write_quotes_csv(quotes, out)
        return write_records(map(stored_quote_dict, quotes), out)
    if what == "mentions":  # every mention of every event, in every document
        mentions = store.iter_events(
            asserted_only=asserted_only, per_mention=True, polarity=polarity
        )
        return write_mentions(mentions, partial(article_sightings, store), out, header=header)
    events = store.iter_events(
        asserted_only=asserted_only,
        per_mention=per_mention,
        polarity=polarity,
        filters=filters,
        story=story,
    )
    if fmt == "csv":
        return write_events_csv(events, out)
    if fmt == "gdelt":
        return write_gdelt(events, out, header=header)
    if fmt == "plover":
        return write_plover(events, out)
    return write_records(map(stored_event_dict, events), out)


def write_jsonl(articles: Iterable[Article], out: TextIO) -> int:
    """One JSON object per line, non-ASCII characters kept as they are."""
    written = 0
    for article in articles:
        out.write(json.dumps(article_to_dict(article), ensure_ascii=False))
        out.write("\n")
        written += 1
    return written


def write_csv(articles: Iterable[Article], out: TextIO) -> int:
    """A header row of ``CSV_COLUMNS``, then one row per article."""
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    written = 0
    for article in articles:
        writer.writerow(csv_row(article))
        written += 1
    return written


def csv_row(article: Article) -> list[str | int | None]:
    """The article's values in ``CSV_COLUMNS`` order; ``None`` becomes an empty cell."""
    return [
        article.id,
        article.url,
        article.canonical_url,
        article.site,
        article.title,
        article.author,
        article.published,
        article.language,
        article.word_count,
        CSV_ENTITY_SEPARATOR.join(named_entities(article)),
        len(article.dropped),
        article.text,
    ]


def named_entities(article: Article) -> list[str]:
    """Canonical names of the people, organisations and places mentioned, first mention first."""
    names: dict[str, None] = {}  # a dict keeps first-seen order, which a set would not
    for entity in article.entities:
        if entity.label in CSV_ENTITY_LABELS:
            names.setdefault(entity.canonical)
    return list(names)
