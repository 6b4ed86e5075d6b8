"""Where each event happened: from its clause, else its sentence, else the dateline.

Runs after the events are coded (``understand.annotate_doc``). ``events.py`` sets
``Event.location`` from the clause that states the event ("troops shelled positions near
Donetsk"); this pass records that as ``location_source="clause"`` and fills the others:

- ``"sentence"``: a place of the event's sentence that is a location (not a government or
  people that acts, not a demonym): the one inside the event's evidence span, else the
  nearest to it.
- ``"dateline"``: the place the story was filed from ("KIEV, July 10 (AFP) -").

An event none of these places keeps ``location`` and ``location_source`` None.
"""

from __future__ import annotations

from collections import defaultdict

from wirewatch.model import Article, Event, Place
from wirewatch.understand.place_mentions import dateline_mentions

__all__ = ["place_events"]


def place_events(article: Article) -> None:
    """Set ``location`` and ``location_source`` on each of ``article.events``."""
    datelines = {(m.start, m.end) for m in dateline_mentions(article)}
    adjectives = {(e.start, e.end) for e in article.entities if e.label == "NORP"}
    dateline: Place | None = None
    by_sentence: dict[int, list[Place]] = defaultdict(list)
    for place in article.places:
        span = (place.start, place.end)
        if span in datelines:
            dateline = dateline or place
        elif not place.metonymic and span not in adjectives:
            by_sentence[place.sentence].append(place)
    for event in article.events:
        if event.location is not None:
            event.location_source = event.location_source or "clause"
            continue
        in_sentence = by_sentence.get(event.sentence)
        if in_sentence:
            event.location = _nearest(in_sentence, event)
            event.location_source = "sentence"
        elif dateline is not None:
            event.location = dateline
            event.location_source = "dateline"
        else:
            event.location_source = None


def _nearest(places: list[Place], event: Event) -> Place:
    """The place inside the event's evidence span, else the one closest to it."""

    def gap(place: Place) -> int:
        if place.end <= event.start:
            return event.start - place.end
        if place.start >= event.end:
            return place.start - event.end
        return 0

    return min(places, key=lambda place: (gap(place), place.start))
