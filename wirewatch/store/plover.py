"""Stored events as PLOVER JSON Lines records, one per event.

A PLOVER record names the event type (``event``), its ``mode`` and ``context`` (from the
CAMEO-to-PLOVER conversion table for the event's CAMEO code; ``null`` where it gives none), the
place (``event_loc``), and its source and target actors, each as the text that names it, a
``code`` (the actor's country, ISO 3166 alpha-3, or for an international body or a group
without a country, its own code such as ``IGOWSTNAT``) and a ``sector`` (``GOV``, ``MIL``,
``REB``...). We add the evidence: the sentence (``text``), the words of the event
(``eventText``), ``polarity``, the CAMEO code and the article's URL.

>>> plover_actor(Actor("the Kremlin", 0, 11, "RUSGOV", country="RUS", sector="GOV"))
{'actorText': 'the Kremlin', 'code': 'RUS', 'sector': 'GOV'}
>>> plover_actor(Actor("NATO", 0, 4, "IGOWSTNAT", sector="IGO"))
{'actorText': 'NATO', 'code': 'IGOWSTNAT', 'sector': 'IGO'}
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TextIO

from wirewatch.model import Actor
from wirewatch.store.export_annotations import write_jsonl
from wirewatch.store.periods import period
from wirewatch.store.records import StoredEvent
from wirewatch.understand.codes import plover_mode_context


def write_plover(events: Iterable[StoredEvent], out: TextIO) -> int:
    """One PLOVER record per line; returns how many were written."""
    return write_jsonl(map(plover_record, events), out)


def plover_record(stored: StoredEvent) -> dict[str, Any]:
    """The event as a PLOVER record; ``id`` is ``<article id>-<event index>``.

    ``date`` is the event's date as resolved, at the granularity the text gave (``2017-07-10``,
    ``2014-06``, ``2017-W27``), else the article's publication day, else ``null``.
    """
    event, place = stored.event, stored.event.location
    mode, context = plover_mode_context(event.cameo)
    return {
        "id": str(stored.record.id) if stored.record else f"{stored.article_id}-{stored.index}",
        "date": event.date or _day(stored.published),
        "date_source": "text" if event.date else "published",
        "event": event.plover,
        "mode": mode,
        "context": context,
        "event_loc": None
        if place is None
        else {
            "name": place.name,
            "geonameid": place.geonameid,
            "country": place.country,
            "lat": place.lat,
            "lon": place.lon,
            "feature": place.feature,
        },
        "source": [plover_actor(actor) for actor in event.source],
        "target": [plover_actor(actor) for actor in event.target],
        "text": stored.sentence_text,
        "eventText": event.trigger,
        "polarity": event.polarity,
        "cameo": event.cameo,
        "language": "en",
        "url": stored.url,
        "article_id": stored.article_id,
        "event_index": stored.index,
        "story_id": stored.record.story_id if stored.record else None,
        "num_mentions": stored.record.num_mentions if stored.record else 1,
        "num_sources": stored.record.num_sources if stored.record else 1,
    }


def plover_actor(actor: Actor) -> dict[str, Any]:
    """``actorText``, ``code`` (a country, else the body's or group's own code) and ``sector``."""
    code = actor.country
    if code is None and actor.code:
        # A code without a country is a body (IGOWSTNAT), a bloc (WST), or only a sector (REB),
        # which is not a code of its own.
        code = actor.code if actor.code != actor.sector else None
    return {"actorText": actor.text, "code": code, "sector": actor.sector}


def _day(published: str | None) -> str | None:
    found = period(published)
    return found[0] if found and found[0] == found[1] else None
