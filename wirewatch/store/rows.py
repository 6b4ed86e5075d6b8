"""Articles, their annotations and failures as table rows, and back, for the SQLite store.

Only conversion lives here, no SQL: the store decides what to write and when. What goes in
comes back out equal: ``article_from_rows(*rows of article) == article``, quotes, actors, places
and events included.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any, cast
from urllib.parse import urlsplit

from wirewatch.errors import StoreError
from wirewatch.model import (
    Actor,
    Article,
    DroppedLine,
    Entity,
    Event,
    Failure,
    Place,
    Polarity,
    Quote,
    QuoteKind,
    Sentence,
    Speaker,
    Stage,
    normalise_for_hash,
)
from wirewatch.serialize import actor_to_dict, place_to_dict
from wirewatch.store.periods import period

SentenceRow = tuple[str, int, int, int]
EntityRow = tuple[str, int, str, str, int, int, str, int]
DroppedRow = tuple[str, int, int, str, str]


def site_host(article: Article) -> str | None:
    """The host that names the article's site: from its URL, else its canonical URL.

    The URL it was read from comes first because ``Article.site`` (the page's own site name)
    describes that page. Hosts are lower case; a URL without a host gives ``None``.
    """
    for url in (article.url, article.canonical_url):
        if url:
            try:
                host = urlsplit(url).hostname
            except ValueError:  # a malformed URL (bad IPv6 literal, ...) names no host
                host = None
            if host:
                return host
    return None


def content_hash(article: Article) -> str:
    """The full SHA-256 of the normalised text; ``Article.id`` is its first 16 hex digits."""
    return hashlib.sha256(normalise_for_hash(article.text).encode("utf-8")).hexdigest()


ARTICLE_COLUMNS = (
    "id",
    "url",
    "canonical_url",
    "site_id",
    "site",
    "title",
    "author",
    "published",
    "language",
    "fetched_at",
    "source",
    "input_id",
    "text",
    "word_count",
    "content_hash",
    "metadata",
    "ingested_at",
)


def article_values(
    article_id: str, article: Article, site_id: int | None, ingested_at: str
) -> dict[str, Any]:
    """Named values for an ``INSERT INTO articles``: one per ``ARTICLE_COLUMNS`` (not ``seq``).

    ``article_id`` is ``article.id``, computed once by the caller: it hashes the whole text.
    """
    return {
        "id": article_id,
        "url": article.url,
        "canonical_url": article.canonical_url,
        "site_id": site_id,
        "site": article.site,
        "title": article.title,
        "author": article.author,
        "published": article.published,
        "language": article.language,
        "fetched_at": article.fetched_at,
        "source": article.source,
        "input_id": article.input_id,
        "text": article.text,
        "word_count": article.word_count,
        "content_hash": content_hash(article),
        "metadata": _metadata_json(article_id, article),
        "ingested_at": ingested_at,
    }


def _metadata_json(article_id: str, article: Article) -> str:
    try:
        return json.dumps(article.metadata, ensure_ascii=False)
    except (TypeError, ValueError) as exc:
        raise StoreError(
            f"cannot store article {article_id} ({article.source}): metadata is not JSON: {exc}",
            code="bad_metadata",
        ) from exc


def sentence_rows(article_id: str, article: Article) -> list[SentenceRow]:
    return [(article_id, i, s.start, s.end) for i, s in enumerate(article.sentences)]


def entity_rows(article_id: str, article: Article) -> list[EntityRow]:
    return [
        (article_id, i, e.text, e.label, e.start, e.end, e.canonical, e.sentence)
        for i, e in enumerate(article.entities)
    ]


def dropped_rows(article_id: str, article: Article) -> list[DroppedRow]:
    return [(article_id, i, d.position, d.reason, d.text) for i, d in enumerate(article.dropped)]


def article_from_rows(
    row: Any,
    sentences: Iterable[Any],
    entities: Iterable[Any],
    dropped: Iterable[Any],
    *,
    quotes: Iterable[Quote] = (),
    actors: Iterable[Actor] = (),
    places: Iterable[Place] = (),
    events: Iterable[Event] = (),
) -> Article:
    """The article an ``articles`` row and its child rows (each in ``idx`` order) hold.

    Quotes, actors, places and events come already converted (``quote_from_row`` and friends),
    since an event is assembled from rows of two tables.
    """
    return Article(
        text=row["text"],
        source=row["source"],
        url=row["url"],
        canonical_url=row["canonical_url"],
        site=row["site"],
        title=row["title"],
        author=row["author"],
        published=row["published"],
        language=row["language"],
        fetched_at=row["fetched_at"],
        input_id=row["input_id"],
        dropped=[
            DroppedLine(text=d["text"], reason=d["reason"], position=d["position"]) for d in dropped
        ],
        sentences=[Sentence(start=s["start"], end=s["end"]) for s in sentences],
        entities=[
            Entity(
                text=e["text"],
                label=e["label"],
                start=e["start"],
                end=e["end"],
                canonical=e["canonical"],
                sentence=e["sentence"],
            )
            for e in entities
        ],
        quotes=list(quotes),
        actors=list(actors),
        places=list(places),
        events=list(events),
        metadata=json.loads(row["metadata"]),
    )


# Quotes, actors, places, events: one named value per column, so the SQL names its columns.

QUOTE_COLUMNS = (
    "article_id", "idx", "text", "start", "end", "kind", "cue", "sentence",
    "speaker_name", "speaker_text", "speaker_start", "speaker_end", "speaker_role",
    "speaker_organisation", "speaker_country", "speaker_resolved_from",
)  # fmt: skip
ACTOR_COLUMNS = (
    "article_id", "idx", "text", "start", "end", "code", "name", "country", "sector",
    "affiliation",
)  # fmt: skip
PLACE_COLUMNS = (
    "article_id", "idx", "text", "start", "end", "name", "geonameid", "lat", "lon", "country",
    "feature", "metonymic", "sentence",
)  # fmt: skip
_PLACE_FIELDS = PLACE_COLUMNS[2:]
EVENT_COLUMNS = (
    "article_id", "idx", "cameo", "cameo_name", "plover", "quad_class", "goldstein", "polarity",
    "trigger", "start", "end", "sentence", "date", "date_text", "date_first", "date_last",
    *(f"location_{name}" for name in _PLACE_FIELDS),
    "claimant", "location_source", "confidence", "pattern",
)  # fmt: skip
EVENT_ACTOR_COLUMNS = ("article_id", "event_idx", "role", *ACTOR_COLUMNS[1:])


def quote_rows(article_id: str, article: Article) -> list[dict[str, Any]]:
    return [_quote_values(article_id, i, quote) for i, quote in enumerate(article.quotes)]


def _quote_values(article_id: str, idx: int, quote: Quote) -> dict[str, Any]:
    speaker = quote.speaker
    return {
        "article_id": article_id,
        "idx": idx,
        "text": quote.text,
        "start": quote.start,
        "end": quote.end,
        "kind": quote.kind,
        "cue": quote.cue,
        "sentence": quote.sentence,
        "speaker_name": speaker.name if speaker else None,
        "speaker_text": speaker.text if speaker else None,
        "speaker_start": speaker.start if speaker else None,
        "speaker_end": speaker.end if speaker else None,
        "speaker_role": speaker.role if speaker else None,
        "speaker_organisation": speaker.organisation if speaker else None,
        "speaker_country": speaker.country if speaker else None,
        "speaker_resolved_from": speaker.resolved_from if speaker else None,
    }


def actor_rows(article_id: str, article: Article) -> list[dict[str, Any]]:
    return [
        {"article_id": article_id, "idx": i, **actor_to_dict(actor)}
        for i, actor in enumerate(article.actors)
    ]


def place_rows(article_id: str, article: Article) -> list[dict[str, Any]]:
    return [
        {"article_id": article_id, "idx": i, **_place_values(place)}
        for i, place in enumerate(article.places)
    ]


def _place_values(place: Place | None, prefix: str = "") -> dict[str, Any]:
    """The place's values keyed ``prefix + field``; all ``None`` for no place."""
    if place is None:
        return {prefix + name: None for name in _PLACE_FIELDS}
    values = place_to_dict(place)
    values["metonymic"] = int(place.metonymic)  # SQLite has no booleans
    return {prefix + name: value for name, value in values.items()}


def event_rows(article_id: str, article: Article) -> list[dict[str, Any]]:
    return [_event_values(article_id, i, event) for i, event in enumerate(article.events)]


def _event_values(article_id: str, idx: int, event: Event) -> dict[str, Any]:
    first, last = period(event.date) or (None, None)
    claimant = event.claimant
    return {
        "article_id": article_id,
        "idx": idx,
        "cameo": event.cameo,
        "cameo_name": event.cameo_name,
        "plover": event.plover,
        "quad_class": event.quad_class,
        "goldstein": event.goldstein,
        "polarity": event.polarity,
        "trigger": event.trigger,
        "start": event.start,
        "end": event.end,
        "sentence": event.sentence,
        "date": event.date,
        "date_text": event.date_text,
        "date_first": first,
        "date_last": last,
        **_place_values(event.location, "location_"),
        "claimant": json.dumps(actor_to_dict(claimant), ensure_ascii=False) if claimant else None,
        "location_source": event.location_source,
        "confidence": event.confidence,
        "pattern": event.pattern,
    }


def event_actor_rows(article_id: str, article: Article) -> list[dict[str, Any]]:
    """Every source and target of every event, keyed by the event's index and the role."""
    found: list[dict[str, Any]] = []
    for event_idx, event in enumerate(article.events):
        for role, actors in (("source", event.source), ("target", event.target)):
            found.extend(
                {"article_id": article_id, "event_idx": event_idx, "role": role, "idx": i}
                | actor_to_dict(actor)
                for i, actor in enumerate(actors)
            )
    return found


def quote_from_row(row: Any) -> Quote:
    speaker = None
    if row["speaker_text"] is not None:
        speaker = Speaker(
            text=row["speaker_text"],
            start=row["speaker_start"],
            end=row["speaker_end"],
            name=row["speaker_name"],
            role=row["speaker_role"],
            organisation=row["speaker_organisation"],
            country=row["speaker_country"],
            resolved_from=row["speaker_resolved_from"],
        )
    return Quote(
        text=row["text"],
        start=row["start"],
        end=row["end"],
        # The column only ever receives a Quote's kind, so it is one of QuoteKind's values.
        kind=cast(QuoteKind, row["kind"]),
        cue=row["cue"],
        speaker=speaker,
        sentence=row["sentence"],
    )


def actor_from_row(row: Any) -> Actor:
    """An actor from an ``actors`` or an ``event_actors`` row."""
    return Actor(
        text=row["text"],
        start=row["start"],
        end=row["end"],
        code=row["code"],
        name=row["name"],
        country=row["country"],
        sector=row["sector"],
        affiliation=row["affiliation"],
    )


def place_from_row(row: Any, prefix: str = "") -> Place | None:
    """The place in the ``prefix``-ed columns of ``row``; ``None`` when they hold none."""
    if row[prefix + "text"] is None:
        return None
    return Place(
        text=row[prefix + "text"],
        start=row[prefix + "start"],
        end=row[prefix + "end"],
        name=row[prefix + "name"],
        geonameid=row[prefix + "geonameid"],
        lat=row[prefix + "lat"],
        lon=row[prefix + "lon"],
        country=row[prefix + "country"],
        feature=row[prefix + "feature"],
        metonymic=bool(row[prefix + "metonymic"]),
        sentence=row[prefix + "sentence"],
    )


def event_from_row(row: Any, source: Iterable[Actor], target: Iterable[Actor]) -> Event:
    """The event an ``events`` row holds, with its sources and targets in order."""
    claimant = row["claimant"]
    return Event(
        cameo=row["cameo"],
        cameo_name=row["cameo_name"],
        plover=row["plover"],
        quad_class=row["quad_class"],
        goldstein=row["goldstein"],
        source=list(source),
        target=list(target),
        # The column only ever receives an Event's polarity, so it is one of Polarity's values.
        polarity=cast(Polarity, row["polarity"]),
        trigger=row["trigger"],
        start=row["start"],
        end=row["end"],
        sentence=row["sentence"],
        date=row["date"],
        date_text=row["date_text"],
        location=place_from_row(row, "location_"),
        claimant=Actor(**json.loads(claimant)) if claimant is not None else None,
        location_source=row["location_source"],
        confidence=row["confidence"],
        pattern=row["pattern"],
    )


def failure_values(failure: Failure) -> dict[str, Any]:
    return {
        "source": failure.source,
        "input_id": failure.input_id,
        "stage": failure.stage,
        "code": failure.code,
        "message": failure.message,
        "time": failure.time,
    }


def failure_from_row(row: Any) -> Failure:
    return Failure(
        source=row["source"],
        # The stage column only ever receives a Failure's stage, so it is one of Stage's values.
        stage=cast(Stage, row["stage"]),
        code=row["code"],
        message=row["message"],
        time=row["time"],
        input_id=row["input_id"],
    )
