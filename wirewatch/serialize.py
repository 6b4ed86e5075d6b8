"""Articles and failures as the JSON objects that ``docs/schema.md`` defines.

Field names are a contract: new fields may be added, none renamed or removed without a new
``schema_version``.
"""

from __future__ import annotations

from typing import Any

from wirewatch.model import (
    SCHEMA_VERSION,
    Actor,
    Article,
    DroppedLine,
    Entity,
    Event,
    Failure,
    Place,
    Quote,
    Sentence,
    Speaker,
)


def article_to_dict(article: Article, *, with_annotations: bool = True) -> dict[str, Any]:
    """The article as a JSON-ready dict; ``with_annotations=False`` leaves out NLP fields."""
    out: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "id": article.id,
        "input_id": article.input_id,
        "source": article.source,
        "url": article.url,
        "canonical_url": article.canonical_url,
        "site": article.site,
        "title": article.title,
        "author": article.author,
        "published": article.published,
        "language": article.language,
        "fetched_at": article.fetched_at,
        "word_count": article.word_count,
        "text": article.text,
        "dropped": [dropped_to_dict(d) for d in article.dropped],
        "metadata": dict(article.metadata),
    }
    if with_annotations:
        out["sentences"] = [sentence_to_dict(s) for s in article.sentences]
        out["entities"] = [entity_to_dict(e) for e in article.entities]
        out["quotes"] = [quote_to_dict(q) for q in article.quotes]
        out["actors"] = [actor_to_dict(a) for a in article.actors]
        out["events"] = [event_to_dict(e) for e in article.events]
        out["places"] = [place_to_dict(p) for p in article.places]
    return out


def quote_to_dict(quote: Quote) -> dict[str, Any]:
    return {
        "text": quote.text,
        "start": quote.start,
        "end": quote.end,
        "kind": quote.kind,
        "cue": quote.cue,
        "speaker": speaker_to_dict(quote.speaker) if quote.speaker else None,
        "sentence": quote.sentence,
    }


def speaker_to_dict(speaker: Speaker) -> dict[str, Any]:
    return {
        "name": speaker.name,
        "text": speaker.text,
        "start": speaker.start,
        "end": speaker.end,
        "role": speaker.role,
        "organisation": speaker.organisation,
        "country": speaker.country,
        "resolved_from": speaker.resolved_from,
    }


def actor_to_dict(actor: Actor) -> dict[str, Any]:
    return {
        "text": actor.text,
        "start": actor.start,
        "end": actor.end,
        "code": actor.code,
        "name": actor.name,
        "country": actor.country,
        "sector": actor.sector,
        "affiliation": actor.affiliation,
    }


def place_to_dict(place: Place) -> dict[str, Any]:
    return {
        "text": place.text,
        "start": place.start,
        "end": place.end,
        "name": place.name,
        "geonameid": place.geonameid,
        "lat": place.lat,
        "lon": place.lon,
        "country": place.country,
        "feature": place.feature,
        "metonymic": place.metonymic,
        "sentence": place.sentence,
    }


def event_to_dict(event: Event) -> dict[str, Any]:
    return {
        "cameo": event.cameo,
        "cameo_name": event.cameo_name,
        "plover": event.plover,
        "quad_class": event.quad_class,
        "goldstein": event.goldstein,
        "source": [actor_to_dict(a) for a in event.source],
        "target": [actor_to_dict(a) for a in event.target],
        "polarity": event.polarity,
        "trigger": event.trigger,
        "start": event.start,
        "end": event.end,
        "sentence": event.sentence,
        "date": event.date,
        "date_text": event.date_text,
        "location": place_to_dict(event.location) if event.location else None,
        "claimant": actor_to_dict(event.claimant) if event.claimant else None,
        "location_source": event.location_source,
        "confidence": event.confidence,
        "pattern": event.pattern,
    }


def dropped_to_dict(line: DroppedLine) -> dict[str, Any]:
    return {"text": line.text, "reason": line.reason, "position": line.position}


def sentence_to_dict(sentence: Sentence) -> dict[str, Any]:
    return {"start": sentence.start, "end": sentence.end}


def entity_to_dict(entity: Entity) -> dict[str, Any]:
    return {
        "text": entity.text,
        "label": entity.label,
        "start": entity.start,
        "end": entity.end,
        "canonical": entity.canonical,
        "sentence": entity.sentence,
    }


def failure_to_dict(failure: Failure) -> dict[str, Any]:
    return {
        "source": failure.source,
        "input_id": failure.input_id,
        "stage": failure.stage,
        "code": failure.code,
        "message": failure.message,
        "time": failure.time,
    }


def article_from_dict(data: dict[str, Any]) -> Article:
    """The inverse of ``article_to_dict``, for reading exports and the store back."""
    return Article(
        text=data["text"],
        source=data.get("source") or "",
        url=data.get("url"),
        canonical_url=data.get("canonical_url"),
        site=data.get("site"),
        title=data.get("title"),
        author=data.get("author"),
        published=data.get("published"),
        language=data.get("language"),
        fetched_at=data.get("fetched_at") or "",
        input_id=data.get("input_id"),
        dropped=[DroppedLine(**d) for d in data.get("dropped", [])],
        sentences=[Sentence(**s) for s in data.get("sentences", [])],
        entities=[Entity(**e) for e in data.get("entities", [])],
        quotes=[quote_from_dict(q) for q in data.get("quotes", [])],
        actors=[Actor(**a) for a in data.get("actors", [])],
        places=[Place(**p) for p in data.get("places", [])],
        events=[event_from_dict(e) for e in data.get("events", [])],
        metadata=dict(data.get("metadata") or {}),
    )


def quote_from_dict(data: dict[str, Any]) -> Quote:
    speaker = data.get("speaker")
    return Quote(
        text=data["text"],
        start=data["start"],
        end=data["end"],
        kind=data["kind"],
        cue=data.get("cue"),
        speaker=Speaker(**speaker) if speaker else None,
        sentence=data["sentence"],
    )


def event_from_dict(data: dict[str, Any]) -> Event:
    location = data.get("location")
    claimant = data.get("claimant")
    nested = {"source", "target", "location", "claimant"}
    fields = {k: v for k, v in data.items() if k not in nested}
    return Event(
        **fields,
        source=[Actor(**a) for a in data.get("source", [])],
        target=[Actor(**a) for a in data.get("target", [])],
        location=Place(**location) if location else None,
        claimant=Actor(**claimant) if claimant else None,
    )
