"""The country attacked when the attacked thing is only a place or a thing in one.

"Israeli tanks fired shells at targets in Hebron", "shelled apartment blocks in Kharkiv": physical
force used against a place, or against something the text puts in it, is used against that place's
country
(the target CAMEO coders record). Only for assaults, fights and mass violence (roots 18-20),
only where no actor was found on the target side, and only when the places in the attacked
phrases name one country: unknown stays unknown.
"""

from __future__ import annotations

from spacy.tokens import Token

from wirewatch.model import Actor, Place
from wirewatch.understand import countries
from wirewatch.understand.nonevents import PLACING_PREPS

_FORCE_ROOTS = ("18", "19", "20")


def attacked_country(
    token: Token, code: str, candidates: list[list[Token]], places: list[Place]
) -> Actor | None:
    """The place's country as the target, at the first place's offsets, or None. The places
    read are those in the candidate target phrases, then, when the trigger has an object (a
    thing it was done to: "shelled apartment blocks in Kharkiv"), those of its own "in", "at",
    "near" and "inside" phrases."""
    if not code.startswith(_FORCE_ROOTS):
        return None
    if any(c.dep_ in {"dobj", "obj"} for c in token.children):
        candidates = [*candidates, [
            g for c in token.children if c.dep_ == "prep" and c.lower_ in PLACING_PREPS
            for g in c.children if g.dep_ == "pobj"
        ]]  # fmt: skip
    literal = [
        p for p in places
        if p.country and not p.metonymic and p.feature != "continent"
        and countries.country_by_adjective(p.text) is None  # "the Thai border" is no place hit
    ]  # fmt: skip
    if not literal:
        return None
    found: list[Place] = []
    for group in candidates:
        for word in group:  # not ``token``: the trigger is read above
            first = word.left_edge.idx
            last = word.right_edge.idx + len(word.right_edge)
            found.extend(p for p in literal if first <= p.start and p.end <= last)
        if found:
            break  # the best candidate phrase that holds a place
    if len({p.country for p in found}) != 1:
        return None
    place = found[0]
    return Actor(
        text=place.text, start=place.start, end=place.end, code=place.country,
        country=place.country,
    )  # fmt: skip
