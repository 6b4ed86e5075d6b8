"""When two annotations in one story say the same thing: event keys, quote keys, and the
same sentence in two copies of one text.

A wire story on forty sites yields forty copies of each event and quote; a story counts each
once. Within a copy group (an article and its near or truncated copies) copies carry the same
text, so an event of a copy is its group's event when it is stated in the same sentence
(``same_sentence``: normalised words equal, or near-equal after a small edit) with the same
CAMEO code and polarity, whatever actor codes the copy's shorter context gave; a quote likewise
when the sentence and the quoted words agree, whoever the speaker was resolved to. Across
distinct articles, two events are one when their keys are equal; two quotes likewise.

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
from difflib import SequenceMatcher

from wirewatch.model import Actor, Event, Quote
from wirewatch.stories.strip import strip_dateline

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


SENTENCE_RATIO = 0.9  # share of matching words for two sentences to be one after an edit


def sentence_words(text: str) -> tuple[str, ...]:
    """The sentence's words without a leading dateline, case folded, punctuation and spacing
    ignored."""
    return tuple(_WORD.findall(strip_dateline(text.strip()).casefold()))


def same_sentence(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two sentences (as ``sentence_words``) are one sentence of two copies: equal,
    or matching in at least ``SENTENCE_RATIO`` of their words (a word changed).

    >>> lead = sentence_words("NATO chief Jens Stoltenberg pledged support for Ukraine on Monday")
    >>> same_sentence(sentence_words("KIEV (AFP) - NATO chief Jens Stoltenberg pledged support "
    ...     "for Ukraine on Monday."), lead)
    True
    >>> same_sentence(sentence_words("NATO chief Jens Stoltenberg pledged help for Ukraine "
    ...     "on Monday"), lead)
    True
    >>> same_sentence(sentence_words("Poroshenko pledged support for NATO on Monday"), lead)
    False
    """
    if a == b:
        return True
    if not a or not b:
        return False
    return SequenceMatcher(None, a, b, autojunk=False).ratio() >= SENTENCE_RATIO


def _actor_key(actor: Actor) -> str:
    if actor.code:
        return actor.code
    return (actor.name or actor.text).casefold()
