"""Stored articles out as JSON Lines or CSV, streamed in the order they were added.

JSON Lines carries everything (one ``serialize.article_to_dict`` object per line, readable
back with ``serialize.article_from_dict``); CSV is a flat table for spreadsheets, one row per
article, with the entities reduced to the names of people, organisations and places.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import Literal, TextIO

from wirewatch.errors import UsageError
from wirewatch.model import Article
from wirewatch.serialize import article_to_dict
from wirewatch.store.sqlite import Store

ExportFormat = Literal["jsonl", "csv"]

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
