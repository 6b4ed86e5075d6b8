"""Stored quotes and events out as JSON Lines or CSV, one record per quote or event.

JSON Lines keeps the quote or event object of ``docs/schema.md`` whole and adds where it came
from: ``article_id``, its index in the article (``quote_index``, ``event_index``), the
article's ``url`` and ``published`` date, and ``sentence_text``, the evidence to read. CSV
flattens the same record into columns for spreadsheets: a speaker's fields become
``speaker_*`` columns; an event's sources and targets become ``source_*`` and ``target_*``
columns, the actors' values joined with ``"; "`` in the same order in each column.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from wirewatch.model import Actor
from wirewatch.serialize import event_to_dict, quote_to_dict
from wirewatch.store.records import Record, StoredEvent, StoredQuote

ACTOR_SEPARATOR = "; "

QUOTE_CSV_COLUMNS = (
    "article_id", "quote_index", "url", "published", "speaker_name", "speaker_text",
    "speaker_role", "speaker_organisation", "speaker_country", "speaker_resolved_from", "kind",
    "cue", "text", "start", "end", "sentence_text",
)  # fmt: skip
EVENT_CSV_COLUMNS = (
    "article_id", "event_index", "url", "published", "date", "date_text", "cameo",
    "cameo_name", "plover", "quad_class", "goldstein", "polarity", "trigger", "source_text",
    "source_code", "source_country", "target_text", "target_code", "target_country",
    "claimant_text", "claimant_code", "location_name", "location_country", "location_lat",
    "location_lon", "location_geonameid", "location_source", "confidence", "pattern", "start",
    "end", "sentence_text", "record_id",
    "story_id", "num_mentions", "num_articles", "num_sources",
)  # fmt: skip


def stored_quote_dict(stored: StoredQuote) -> dict[str, Any]:
    """The quote object with its article's id, URL and date and the sentence it is in."""
    return {
        "article_id": stored.article_id,
        "quote_index": stored.index,
        "url": stored.url,
        "published": stored.published,
        **quote_to_dict(stored.quote),
        "sentence_text": stored.sentence_text,
        **record_dict(stored.record),
    }


def stored_event_dict(stored: StoredEvent) -> dict[str, Any]:
    """The event object with its article's id, URL and date and the sentence stating it."""
    return {
        "article_id": stored.article_id,
        "event_index": stored.index,
        "url": stored.url,
        "published": stored.published,
        **event_to_dict(stored.event),
        "sentence_text": stored.sentence_text,
        **record_dict(stored.record),
    }


def record_dict(record: Record | None) -> dict[str, Any]:
    """The story-level record a quote or event belongs to, with its counts."""
    if record is None:
        return {}
    return {
        "record_id": record.id,
        "story_id": record.story_id,
        "representative": record.representative,
        "num_mentions": record.num_mentions,
        "num_articles": record.num_articles,
        "num_sources": record.num_sources,
    }


def write_jsonl(records: Iterable[dict[str, Any]], out: TextIO) -> int:
    """One JSON object per line, non-ASCII characters kept as they are; returns the count."""
    written = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False))
        out.write("\n")
        written += 1
    return written


def write_quotes_csv(quotes: Iterable[StoredQuote], out: TextIO) -> int:
    """A header of ``QUOTE_CSV_COLUMNS``, then one row per quote."""
    return _write_csv(QUOTE_CSV_COLUMNS, map(quote_csv_row, quotes), out)


def write_events_csv(events: Iterable[StoredEvent], out: TextIO) -> int:
    """A header of ``EVENT_CSV_COLUMNS``, then one row per event."""
    return _write_csv(EVENT_CSV_COLUMNS, map(event_csv_row, events), out)


def quote_csv_row(stored: StoredQuote) -> list[Any]:
    quote, speaker = stored.quote, stored.quote.speaker
    return [
        stored.article_id,
        stored.index,
        stored.url,
        stored.published,
        speaker.name if speaker else None,
        speaker.text if speaker else None,
        speaker.role if speaker else None,
        speaker.organisation if speaker else None,
        speaker.country if speaker else None,
        speaker.resolved_from if speaker else None,
        quote.kind,
        quote.cue,
        quote.text,
        quote.start,
        quote.end,
        stored.sentence_text,
    ]


def event_csv_row(stored: StoredEvent) -> list[Any]:
    event, place, claimant = stored.event, stored.event.location, stored.event.claimant
    return [
        stored.article_id,
        stored.index,
        stored.url,
        stored.published,
        event.date,
        event.date_text,
        event.cameo,
        event.cameo_name,
        event.plover,
        event.quad_class,
        event.goldstein,
        event.polarity,
        event.trigger,
        _joined(a.text for a in event.source),
        _joined(a.code for a in event.source),
        _joined(a.country for a in event.source),
        _joined(a.text for a in event.target),
        _joined(a.code for a in event.target),
        _joined(a.country for a in event.target),
        claimant.text if claimant else None,
        claimant.code if claimant else None,
        place.name if place else None,
        place.country if place else None,
        place.lat if place else None,
        place.lon if place else None,
        place.geonameid if place else None,
        event.location_source,
        event.confidence,
        event.pattern,
        event.start,
        event.end,
        stored.sentence_text,
        *_record_cells(stored.record),
    ]


def _record_cells(record: Record | None) -> list[Any]:
    if record is None:
        return [None] * 5
    return [
        record.id,
        record.story_id,
        record.num_mentions,
        record.num_articles,
        record.num_sources,
    ]


def actor_label(actor: Actor) -> str:
    """``text (CODE)``, or the text alone for an actor without a code."""
    return f"{actor.text} ({actor.code})" if actor.code else actor.text


def _joined(values: Iterable[str | None]) -> str:
    # An unknown value stays an empty item, so the n-th item of every source_* (or target_*)
    # column describes the same actor.
    return ACTOR_SEPARATOR.join(value or "" for value in values)


def _write_csv(columns: Sequence[str], rows: Iterable[list[Any]], out: TextIO) -> int:
    writer = csv.writer(out)
    writer.writerow(columns)
    written = 0
    for row in rows:
        writer.writerow(row)
        written += 1
    return written
