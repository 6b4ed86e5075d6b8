"""When two annotations in one story say the same thing: event keys and quote keys.

A wire story on forty sites yields forty copies of each event and quote; a story counts each
once. Two events are one when their keys are equal; two quotes likewise.

- event key: CAMEO code, the sorted source actor codes, the sorted target actor codes, the
  date, the polarity, and the location (its GeoNames id, else its name) when there is one. An
  actor without a code counts by its name (else its text), case folded.
- quote key: the quoted words (case folded, punctuation and spacing ignored) and the speaker's
  canonical name (case folded; None when the speaker is unknown).

>>> from wirewatch.model import Quote, Speaker
>>> quote_key(Quote('"We stand by Ukraine,"', 0, 20, "direct", "said",
...                 Speaker("Stoltenberg", 0, 11, name="Jens Stoltenberg"), 0))
('we stand by ukraine', 'jens stoltenberg')
"""

from __future__ import annotations

import re

from wirewatch.model import Actor, Event, Quote

EventKey = tuple[str, tuple[str, ...], tuple[str, ...], str | None, str, str | None]
QuoteKey = tuple[str, str | None]

_WORD = re.compile(r"\w+")


def event_key(event: Event) -> EventKey:
    """The event's identity within a story (see the module docstring)."""
    location: str | None = None
    if event.location is not None:
        place = event.location
        location = str(place.geonameid) if place.geonameid is not None else place.name.casefold()
    return (
        event.cameo,
        tuple(sorted(_actor_key(actor) for actor in event.source)),
        tuple(sorted(_actor_key(actor) for actor in event.target)),
        event.date,
        event.polarity,
        location,
    )


def quote_key(quote: Quote) -> QuoteKey:
    """The quote's identity within a story (see the module docstring)."""
    words = " ".join(_WORD.findall(quote.text.casefold()))
    speaker = quote.speaker.name if quote.speaker is not None else None
    return words, speaker.casefold() if speaker else None


def _actor_key(actor: Actor) -> str:
    if actor.code:
        return actor.code
    return (actor.name or actor.text).casefold()
