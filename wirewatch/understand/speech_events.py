"""Speech acts as events: what a speaker demands of others is itself an event.

"Stoltenberg said Russia must withdraw its soldiers" states two events: Russia's withdrawal,
with polarity ``demanded`` and Stoltenberg as claimant (``events.py``), and NATO's demand
(CAMEO 10x, here 106 "demand withdrawal") towards Russia, which ``spoken_demand`` adds. The
demand's source is the claimant (the subject of the cue, or the speaker of the quote the event
is in), its target the demanded event's source; its code comes from the demanded event's code
(``families.demand_code``); its pattern is ``speech:demand<`` and the demanded event's pattern.

Urging, appealing, accusing, threatening, praising, rejecting and denying are verbs of the
lexicon with a reported clause: they are coded from their own subject (a pronoun takes the
quote's speaker) towards the clause's subject (``event_arguments.targets_of``).
"""

from __future__ import annotations

from dataclasses import replace

from wirewatch.model import Event
from wirewatch.understand.codes import cameo, plover_type
from wirewatch.understand.families import demand_code

SPEECH_CONFIDENCE = 0.85  # a demand read from a modal is less certain than the demanded event


def spoken_demand(event: Event, pattern: str) -> Event | None:
    """The demand a speaker makes when ``event`` is stated as what others must do, else None."""
    claimant = event.claimant
    if event.polarity != "demanded" or claimant is None or not claimant.code:
        return None
    if event.cameo.startswith("10") or not any(a.code for a in event.source):
        return None
    if any(a.start == claimant.start for a in event.source):
        return None  # "we must leave": a resolution, not a demand of others
    code = demand_code(event.cameo)
    entry = cameo(code)
    confidence = (event.confidence or 0.0) * SPEECH_CONFIDENCE
    return replace(
        event,
        cameo=code,
        cameo_name=entry.name,
        plover=plover_type(code),
        quad_class=entry.quad_class,
        goldstein=entry.goldstein,
        source=[claimant],
        target=list(event.source),
        polarity="asserted",
        claimant=None,
        start=min(event.start, claimant.start),
        end=max(event.end, claimant.end),
        confidence=round(confidence, 3),
        pattern=f"speech:demand<{pattern}",
    )
