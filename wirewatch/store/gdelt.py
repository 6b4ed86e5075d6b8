"""Stored events as a GDELT 1.0-like event table: tab-separated, a header, one row per pair.

GDELT gives one row per event with one source (Actor1) and one target (Actor2); an event here
may have several of each, so it gives one row per source x target pair (an event without
sources or without targets gives rows with those columns empty). Columns follow GDELT 1.0
where we have the value, with ``Polarity`` added so a denial is never counted as a fact.
``docs/schema.md`` describes each column and where it differs from GDELT.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import product
from typing import TextIO

from wirewatch.model import Actor
from wirewatch.store.periods import single_day
from wirewatch.store.records import StoredEvent

GDELT_COLUMNS = (
    "GLOBALEVENTID", "SQLDATE",
    "Actor1Code", "Actor1Name", "Actor1CountryCode",
    "Actor2Code", "Actor2Name", "Actor2CountryCode",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode",
    "QuadClass", "GoldsteinScale", "Polarity",
    "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_Lat", "ActionGeo_Long",
    "ActionGeo_FeatureID", "DATEADDED", "SOURCEURL",
)  # fmt: skip

_NO_ACTOR: list[Actor | None] = [None]


def write_gdelt(events: Iterable[StoredEvent], out: TextIO) -> int:
    """The header line, then every pair row of every event; returns how many events."""
    out.write("\t".join(GDELT_COLUMNS) + "\n")
    written = 0
    for stored in events:
        for row in gdelt_rows(stored):
            out.write("\t".join(_cell(value) for value in row) + "\n")
        written += 1
    return written


def gdelt_rows(stored: StoredEvent) -> Iterator[list[str | int | float | None]]:
    """One row per source x target pair, in ``GDELT_COLUMNS`` order.

    The first pair's GLOBALEVENTID is ``<article id>-<event index>``; the n-th further pair of
    the same event appends ``-<n>``, so ids are unique and each names its event.
    """
    event, place = stored.event, stored.event.location
    sources: list[Actor | None] = list(event.source) or _NO_ACTOR
    targets: list[Actor | None] = list(event.target) or _NO_ACTOR
    event_id = f"{stored.article_id}-{stored.index}"
    for n, (source, target) in enumerate(product(sources, targets)):
        yield [
            event_id if n == 0 else f"{event_id}-{n}",
            sql_date(stored),
            *_actor(source),
            *_actor(target),
            int(stored.lead),
            event.cameo,
            event.cameo[:3],
            event.cameo[:2],
            event.quad_class,
            event.goldstein,
            event.polarity,
            place.name if place else None,
            place.country if place else None,
            place.lat if place else None,
            place.lon if place else None,
            place.geonameid if place else None,
            _yyyymmdd(stored.added),
            stored.url,
        ]


def sql_date(stored: StoredEvent) -> str | None:
    """The event's day as YYYYMMDD; its article's publication day when the event's date is not
    one day (unknown, or a month, week or year); ``None`` when neither is known."""
    return _yyyymmdd(stored.event.date) or _yyyymmdd(stored.published)


def _actor(actor: Actor | None) -> tuple[str | None, str | None, str | None]:
    if actor is None:
        return None, None, None
    return actor.code, actor.name or actor.text, actor.country


def _yyyymmdd(text: str | None) -> str | None:
    day = single_day(text)
    return day.strftime("%Y%m%d") if day else None


def _cell(value: str | int | float | None) -> str:
    if value is None:
        return ""
    # A tab or line break inside a value would shift the columns of every later cell or row.
    return " ".join(str(value).split()) if isinstance(value, str) else str(value)
