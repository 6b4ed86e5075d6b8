"""Stored events as GDELT 2.0's event and mentions tables: tab-separated, GDELT's columns in
GDELT's order, no header unless asked for, so scripts that read GDELT files by position read
ours.

GDELT gives one row per event with one source (Actor1) and one target (Actor2); an event here
may have several of each, so it gives one row per source x target pair (an event without
sources or without targets gives rows with those columns empty). Every row of a record
carries the record's numeric GLOBALEVENTID (``Record.id``, the same in every run for the same
text) and ``IsRootEvent`` marks the first pair, so a pair count is never taken for an event
count: count distinct GLOBALEVENTIDs. Dates come from the event's own date; only when the text
gives none the publication day stands in, and the mentions table says so (``Extras``).
``docs/data.md`` describes every column and where it differs from GDELT.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from itertools import product
from typing import TextIO
from urllib.parse import urlsplit

from wirewatch.model import Actor
from wirewatch.store.gdelt_geo import geo_columns
from wirewatch.store.periods import period
from wirewatch.store.records import StoredEvent

_ACTOR = (
    "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
    "Religion2Code", "Type1Code", "Type2Code", "Type3Code",
)  # fmt: skip
_GEO = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")

GDELT_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *(f"Actor1{name}" for name in _ACTOR),
    *(f"Actor2{name}" for name in _ACTOR),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *(f"Actor1Geo_{name}" for name in _GEO),
    *(f"Actor2Geo_{name}" for name in _GEO),
    *(f"ActionGeo_{name}" for name in _GEO),
    "DATEADDED", "SOURCEURL",
)  # fmt: skip
"""The 61 columns of the GDELT 2.0 event table, in its order."""

MENTION_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "EventTimeDate", "MentionTimeDate", "MentionType", "MentionSourceName",
    "MentionIdentifier", "SentenceID", "Actor1CharOffset", "Actor2CharOffset",
    "ActionCharOffset", "InRawText", "Confidence", "MentionDocLen", "MentionDocTone",
    "MentionDocTranslationInfo", "Extras",
)  # fmt: skip
"""The 16 columns of the GDELT 2.0 mentions table, in its order."""

# CAMEO actor type codes (GDELT's Type1-3Code); other three-letter parts after the country are
# known groups (NAT for NATO in IGOWSTNAT) or regions.
ACTOR_TYPES = frozenset((
    "COP", "GOV", "INS", "JUD", "MIL", "OPP", "REB", "SEP", "SPY", "UAF", "AGR", "BUS", "CRM",
    "CVL", "DEV", "EDU", "ELI", "ENV", "HLH", "HRI", "LAB", "LEG", "MED", "MNC", "MOD", "NGO",
    "NGM", "IGO", "IMG", "RAD", "REF", "REL", "SET", "UIS",
))  # fmt: skip
_REGIONS = frozenset((
    "AFR", "ASA", "BLK", "CAF", "CAS", "CAU", "CRB", "EAF", "EEU", "EIN", "EUR", "LAM", "MEA",
    "MDT", "NAF", "NMR", "PGS", "SAF", "SAM", "SAS", "SEA", "SCN", "WAF", "WST",
))  # fmt: skip

Sightings = Callable[[str], Sequence[tuple[str | None, str | None, str]]]
"""An article id -> each sighting of its text: (URL, site, collected time)."""

_NO_ACTOR: list[Actor | None] = [None]
Cell = str | int | float | None


def write_gdelt(events: Iterable[StoredEvent], out: TextIO, *, header: bool = False) -> int:
    """Every pair row of every event (a header first when ``header``); returns how many events."""
    if header:
        out.write("\t".join(GDELT_COLUMNS) + "\n")
    written = 0
    for stored in events:
        for row in gdelt_rows(stored):
            out.write("\t".join(_cell(value) for value in row) + "\n")
        written += 1
    return written


def gdelt_rows(stored: StoredEvent) -> Iterator[list[Cell]]:
    """One row per source x target pair, in ``GDELT_COLUMNS`` order."""
    event = stored.event
    record = stored.record
    sources: list[Actor | None] = list(event.source) or _NO_ACTOR
    targets: list[Actor | None] = list(event.target) or _NO_ACTOR
    day, month, year, fraction = event_dates(stored)[:4]
    for n, (source, target) in enumerate(product(sources, targets)):
        yield [
            record.id if record else None,
            day,
            month,
            year,
            fraction,
            *actor_columns(source),
            *actor_columns(target),
            int(n == 0),
            event.cameo,
            event.cameo[:3],
            event.cameo[:2],
            event.quad_class,
            event.goldstein,
            record.num_mentions if record else 1,
            record.num_sources if record else 1,
            record.num_articles if record else 1,
            None,  # AvgTone: wirewatch measures no tone
            *geo_columns(None),
            *geo_columns(None),
            *geo_columns(event.location),
            _timestamp(stored.added),
            stored.url,
        ]


def write_mentions(
    events: Iterable[StoredEvent], sightings: Sightings, out: TextIO, *, header: bool = False
) -> int:
    """GDELT 2.0 mentions: one row per mention of each event in each document (each sighting
    of the article's text); returns how many rows."""
    if header:
        out.write("\t".join(MENTION_COLUMNS) + "\n")
    written = 0
    for stored in events:
        for row in mention_rows(stored, sightings(stored.article_id)):
            out.write("\t".join(_cell(value) for value in row) + "\n")
            written += 1
    return written


def mention_rows(
    stored: StoredEvent, seen: Sequence[tuple[str | None, str | None, str]]
) -> Iterator[list[Cell]]:
    """The mention rows of one stored event, one per document its article's text was seen in."""
    event, record = stored.event, stored.record
    documents = list(seen) or [(stored.url, None, stored.added)]
    source = event.source[0] if event.source else None
    target = event.target[0] if event.target else None
    extras = "<DATE_SOURCE>" + event_dates(stored)[4] + "</DATE_SOURCE>"
    if event.polarity != "asserted":
        extras += f"<POLARITY>{event.polarity}</POLARITY>"
    for url, site, collected in documents:
        yield [
            record.id if record else None,
            _timestamp(stored.added),
            _timestamp(collected),
            1,  # WEB
            site or _host(url),
            url,
            event.sentence + 1,
            source.start if source else -1,
            target.start if target else -1,
            event.start,
            1,
            None,  # Confidence: not measured
            None,
            None,
            None,
            extras,
        ]


def event_dates(stored: StoredEvent) -> tuple[Cell, Cell, Cell, Cell, str]:
    """SQLDATE, MonthYear, Year, FractionDate and where they came from (``text``: the event's
    own date; ``published``: the article's day, the text giving none; ``none``).

    A date coarser than a day fills only what it determines: "2014-04" gives MonthYear 201404
    and Year 2014 with SQLDATE empty; it is never widened to a day it does not name.
    """
    found = period(stored.event.date)
    source = "text"
    if found is None:
        published = period(stored.published)
        if published is None or published[0] != published[1]:
            return None, None, None, None, "none"
        found, source = published, "published"
    first, last = date.fromisoformat(found[0]), date.fromisoformat(found[1])
    same_month = (first.year, first.month) == (last.year, last.month)
    day: Cell = first.strftime("%Y%m%d") if first == last else None
    month: Cell = first.strftime("%Y%m") if same_month else None
    year: Cell = first.year if first.year == last.year else None
    fraction: Cell = None
    if first == last:
        fraction = round(first.year + (first.timetuple().tm_yday - 1) / 365, 4)
    return day, month, year, fraction, source


def actor_columns(actor: Actor | None) -> list[Cell]:
    """Code, name, country, known group, ethnic, two religions and three type codes."""
    if actor is None or (actor.code is None and actor.country is None):
        return [None, actor.name or actor.text if actor else None, *([None] * 8)]
    code = actor.code or actor.country or ""
    parts = [code[i : i + 3] for i in range(0, len(code), 3)]
    country = actor.country or (parts[0] if parts and _is_country(parts[0]) else None)
    rest = parts[1:] if country and parts and parts[0] == country else parts
    types = [part for part in rest if part in ACTOR_TYPES][:3]
    groups = [part for part in rest if part not in ACTOR_TYPES and part not in _REGIONS]
    return [
        code or None,
        actor.name or actor.text,
        country,
        groups[0] if groups else None,
        None,
        None,
        None,
        *(types + [None] * (3 - len(types))),
    ]


def _is_country(part: str) -> bool:
    return part not in ACTOR_TYPES and part not in _REGIONS and part.isalpha()


def _timestamp(text: str | None) -> str | None:
    """An ISO time as GDELT's YYYYMMDDHHMMSS."""
    if not text:
        return None
    digits = "".join(ch for ch in text[:19] if ch.isdigit())
    return digits.ljust(14, "0") if len(digits) >= 8 else None


def _host(url: str | None) -> str | None:
    return urlsplit(url).hostname if url else None


def _cell(value: Cell) -> str:
    if value is None:
        return ""
    # A tab or line break inside a value would shift the columns of every later cell or row.
    return " ".join(str(value).split()) if isinstance(value, str) else str(value)
