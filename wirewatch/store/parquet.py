"""Articles, events, event mentions, quotes and stories as Parquet (pyarrow), typed columns
that pandas, polars and DuckDB read without conversion.

One file (``events.parquet``), or a directory partitioned by day (``events/day=2017-07-10/...``,
hive style, ``day=__HIVE_DEFAULT_PARTITION__`` for undated rows) when the output is a directory.
Rows are written in batches, so memory stays flat whatever the store's size. Events and quotes
are story-level records (each once, with its counts) unless ``per_mention``. Column types are
listed in ``docs/data.md``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from wirewatch.store.browse import BrowseFilters
from wirewatch.store.gdelt import event_dates
from wirewatch.store.periods import period
from wirewatch.store.records import StoredEvent, StoredQuote
from wirewatch.store.store import Store
from wirewatch.store.stories import article_sightings, list_stories

_BATCH = 5_000
_RECORD_FIELDS = [
    pa.field("record_id", pa.int64()),
    pa.field("story_id", pa.string()),
    pa.field("representative", pa.bool_()),
    pa.field("num_mentions", pa.int32()),
    pa.field("num_articles", pa.int32()),
    pa.field("num_sources", pa.int32()),
]
SCHEMAS: dict[str, pa.Schema] = {
    "articles": pa.schema([
        ("id", pa.string()), ("url", pa.string()), ("canonical_url", pa.string()),
        ("site", pa.string()), ("title", pa.string()), ("author", pa.string()),
        ("published", pa.string()), ("day", pa.string()), ("language", pa.string()),
        ("word_count", pa.int32()), ("dropped_count", pa.int32()), ("text", pa.string()),
    ]),
    "events": pa.schema([
        ("article_id", pa.string()), ("event_index", pa.int32()), ("url", pa.string()),
        ("published", pa.string()), ("date", pa.string()), ("day", pa.string()),
        ("date_source", pa.string()), ("cameo", pa.string()), ("cameo_name", pa.string()),
        ("plover", pa.string()), ("quad_class", pa.int8()), ("goldstein", pa.float32()),
        ("polarity", pa.string()), ("trigger", pa.string()),
        ("source_codes", pa.list_(pa.string())), ("source_names", pa.list_(pa.string())),
        ("target_codes", pa.list_(pa.string())), ("target_names", pa.list_(pa.string())),
        ("location_name", pa.string()), ("location_country", pa.string()),
        ("location_lat", pa.float64()), ("location_lon", pa.float64()),
        ("location_geonameid", pa.int64()), ("location_source", pa.string()),
        ("confidence", pa.float32()), ("pattern", pa.string()),
        ("start", pa.int32()), ("end", pa.int32()),
        ("sentence", pa.int32()), ("sentence_text", pa.string()), *_RECORD_FIELDS,
    ]),
    "mentions": pa.schema([
        ("record_id", pa.int64()), ("article_id", pa.string()), ("event_index", pa.int32()),
        ("url", pa.string()), ("site", pa.string()), ("collected", pa.string()),
        ("day", pa.string()), ("sentence", pa.int32()), ("start", pa.int32()),
        ("end", pa.int32()), ("polarity", pa.string()),
    ]),
    "quotes": pa.schema([
        ("article_id", pa.string()), ("quote_index", pa.int32()), ("url", pa.string()),
        ("published", pa.string()), ("day", pa.string()), ("speaker_name", pa.string()),
        ("speaker_role", pa.string()), ("speaker_organisation", pa.string()),
        ("speaker_country", pa.string()), ("kind", pa.string()), ("text", pa.string()),
        ("start", pa.int32()), ("end", pa.int32()), ("sentence_text", pa.string()),
        *_RECORD_FIELDS,
    ]),
    "stories": pa.schema([
        ("id", pa.string()), ("title", pa.string()), ("lead_article_id", pa.string()),
        ("first_at", pa.string()), ("last_at", pa.string()), ("day", pa.string()),
        ("member_count", pa.int32()), ("article_count", pa.int32()),
        ("copy_count", pa.int32()), ("site_count", pa.int32()),
    ]),
}  # fmt: skip
"""The columns and types of each Parquet export."""


def write_parquet(
    store: Store,
    what: str,
    output: Path,
    *,
    per_mention: bool = False,
    asserted_only: bool = False,
    polarity: str | None = None,
    filters: BrowseFilters | None = None,
    story: str | None = None,
) -> int:
    """Write ``what`` to ``output`` (a file, or a directory to partition by day); returns rows.

    ``filters`` and ``story`` select quotes, events and mentions as ``export_records`` does.
    """
    schema = SCHEMAS[what]
    selection = Selection(per_mention, asserted_only, polarity, filters, story)
    rows = _rows(store, what, selection)
    written = 0
    if output.is_dir():
        for batch in _batches(rows):
            table = pa.Table.from_pylist(batch, schema=schema)
            name = f"{what}-{written}-{{i}}.parquet"
            pq.write_to_dataset(table, output, partition_cols=["day"], basename_template=name)
            written += len(batch)
        return written
    with pq.ParquetWriter(output, schema) as writer:
        for batch in _batches(rows):
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            written += len(batch)
    return written


def _batches(rows: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, _BATCH)):
        yield batch


@dataclass(frozen=True, slots=True)
class Selection:
    """Which quotes and events an export takes."""

    per_mention: bool
    asserted_only: bool
    polarity: str | None
    filters: BrowseFilters | None
    story: str | None

    def events(self, store: Store, *, per_mention: bool | None = None) -> Iterator[StoredEvent]:
        return store.iter_events(
            asserted_only=self.asserted_only,
            per_mention=self.per_mention if per_mention is None else per_mention,
            polarity=self.polarity,
            filters=self.filters,
            story=self.story,
        )


def _rows(store: Store, what: str, selection: Selection) -> Iterator[dict[str, Any]]:
    if what == "articles":
        for article in store.iter_articles():
            yield {
                "id": article.id, "url": article.url, "canonical_url": article.canonical_url,
                "site": article.site, "title": article.title, "author": article.author,
                "published": article.published, "day": _day(article.published),
                "language": article.language, "word_count": article.word_count,
                "dropped_count": len(article.dropped), "text": article.text,
            }  # fmt: skip
    elif what == "events":
        yield from map(event_row, selection.events(store))
    elif what == "mentions":
        for stored in selection.events(store, per_mention=True):
            for url, site, collected in article_sightings(store, stored.article_id) or [
                (stored.url, None, stored.added)
            ]:
                yield {
                    "record_id": stored.record.id if stored.record else None,
                    "article_id": stored.article_id, "event_index": stored.index,
                    "url": url, "site": site, "collected": collected,
                    "day": _day(collected), "sentence": stored.event.sentence,
                    "start": stored.event.start, "end": stored.event.end,
                    "polarity": stored.event.polarity,
                }  # fmt: skip
    elif what == "quotes":
        quotes = store.iter_quotes(
            per_mention=selection.per_mention, filters=selection.filters, story=selection.story
        )
        yield from map(quote_row, quotes)
    else:
        for story in list_stories(store, limit=10**12):
            yield {
                "id": story.id, "title": story.title, "lead_article_id": story.lead_article_id,
                "first_at": story.first_at, "last_at": story.last_at,
                "day": _day(story.first_at), "member_count": story.members,
                "article_count": story.articles, "copy_count": story.copies,
                "site_count": story.sites,
            }  # fmt: skip


def event_row(stored: StoredEvent) -> dict[str, Any]:
    event, place, record = stored.event, stored.event.location, stored.record
    day = event_dates(stored)
    return {
        "article_id": stored.article_id, "event_index": stored.index, "url": stored.url,
        "published": stored.published, "date": event.date,
        "day": _yyyymmdd_to_iso(day[0]), "date_source": day[4],
        "cameo": event.cameo, "cameo_name": event.cameo_name, "plover": event.plover,
        "quad_class": event.quad_class, "goldstein": event.goldstein,
        "polarity": event.polarity, "trigger": event.trigger,
        "source_codes": [a.code for a in event.source],
        "source_names": [a.name or a.text for a in event.source],
        "target_codes": [a.code for a in event.target],
        "target_names": [a.name or a.text for a in event.target],
        "location_name": place.name if place else None,
        "location_country": place.country if place else None,
        "location_lat": place.lat if place else None,
        "location_lon": place.lon if place else None,
        "location_geonameid": place.geonameid if place else None,
        "location_source": event.location_source, "confidence": event.confidence,
        "pattern": event.pattern,
        "start": event.start, "end": event.end, "sentence": event.sentence,
        "sentence_text": stored.sentence_text, **_record(record),
    }  # fmt: skip


def quote_row(stored: StoredQuote) -> dict[str, Any]:
    quote, speaker = stored.quote, stored.quote.speaker
    return {
        "article_id": stored.article_id, "quote_index": stored.index, "url": stored.url,
        "published": stored.published, "day": _day(stored.published),
        "speaker_name": speaker.name if speaker else None,
        "speaker_role": speaker.role if speaker else None,
        "speaker_organisation": speaker.organisation if speaker else None,
        "speaker_country": speaker.country if speaker else None,
        "kind": quote.kind, "text": quote.text, "start": quote.start, "end": quote.end,
        "sentence_text": stored.sentence_text, **_record(stored.record),
    }  # fmt: skip


def _record(record: Any) -> dict[str, Any]:
    if record is None:
        return {field.name: None for field in _RECORD_FIELDS}
    return {
        "record_id": record.id, "story_id": record.story_id,
        "representative": record.representative, "num_mentions": record.num_mentions,
        "num_articles": record.num_articles, "num_sources": record.num_sources,
    }  # fmt: skip


def _day(text: str | None) -> str | None:
    found = period(text[:10] if text else None)
    return found[0] if found and found[0] == found[1] else None


def _yyyymmdd_to_iso(value: Any) -> str | None:
    text = str(value) if value else ""
    return f"{text[:4]}-{text[4:6]}-{text[6:8]}" if len(text) == 8 else None
