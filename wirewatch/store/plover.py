"""Stored events as PLOVER JSON Lines records, one per event.

A PLOVER record names the event type (``event``), its ``mode`` and ``context`` (which we do not
code: always ``null``), and its source and target actors, each as the text that names it, a
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


def write_plover(events: Iterable[StoredEvent], out: TextIO) -> int:
    """One PLOVER record per line; returns how many were written."""
    return write_jsonl(map(plover_record, events), out)


def plover_record(stored: StoredEvent) -> dict[str, Any]:
    """The event as a PLOVER record; ``id`` is ``<article id>-<event index>``.

    ``date`` is the event's date as resolved, at the granularity the text gave (``2017-07-10``,
    ``2014-06``, ``2017-W27``), else the article's publication day, else ``null``.
    """
    event = stored.event
    return {
        "id": f"{stored.article_id}-{stored.index}",
        "date": event.date or _day(stored.published),
        "event": event.plover,
        "mode": None,
        "context": None,
        "source": [plover_actor(actor) for actor in event.source],
        "target": [plover_actor(actor) for actor in event.target],
        "text": stored.sentence_text,
        "eventText": event.trigger,
        "polarity": event.polarity,
        "cameo": event.cameo,
        "url": stored.url,
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
