"""Nouns that are no role but stand for actors their own words name: a count ("thousands of
Iraqi Kurds": the Kurds), a possessor ("the Turkish army's incursion": the army), modifiers ("the
APEC forum": APEC; "Israeli army bulldozers": Israel's military), a body's name the tagger did not
mark ("the pro-Iranian Hizbollah group"), a body's members ("NATO allies": NATO).

``StandInCoding`` is one part of ``actors.ActorCoder``; docs/actors.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span, Token

from wirewatch.model import Actor
from wirewatch.understand.actor_description import compose_code, noun_phrase, organisation
from wirewatch.understand.actor_phrase import Reading, phrase_start
from wirewatch.understand.entities import PLACE_LABELS
from wirewatch.understand.parse_index import sentence_of


class StandInCoding:
    """How ``ActorCoder`` codes a noun that stands for the actors its own words name."""

    doc: Doc

    if TYPE_CHECKING:

        def _code(self, token: Token, context: int, *, agent: bool) -> list[Actor]: ...
        def _read(self, token: Token) -> Reading: ...
        def _role(self, token: Token) -> tuple[str, str] | None: ...

    def _untagged_body(self, token: Token) -> Actor | None:
        """A body's name the tagger did not mark ("the pro-Iranian Hizbollah group", where it
        took "pro-Iranian" for the name): its proper-noun words looked up in the table."""
        start, floor = token.i, max(sentence_of(token).start, token.i - _MAX_NAME_WORDS)
        while (
            start > floor
            and self.doc[start - 1].pos_ == "PROPN"
            and not self.doc[start - 1].ent_type_
        ):
            start -= 1
        for first in range(start, token.i + 1):
            span = self.doc[first : token.i + 1]
            text = span.text
            found = organisation(text)
            if found is not None:
                return Actor(
                    text=text, start=span.start_char, end=span.end_char,
                    code=found[0], name=text, sector=found[1],
                )  # fmt: skip
        return None

    def _stand_in_actors(self, token: Token, context: int) -> list[Actor]:
        """A noun that is no role but stands for the actors its own words name: "thousands of
        Iraqi Kurds" (the Kurds), "the APEC forum" (APEC), "Israeli army bulldozers" (Israel's
        military), "the Turkish and Greek sides" (TUR and GRC); a possessed noun is its possessor
        ("the Turkish army's incursion": the army), and so is the role or named actor of its "of"
        phrase ("the offices of the Palestinian administrators"). Otherwise only the phrase's
        modifiers count; a place it is "in" or "of" ("homes in Gaza", "the town of Gorazde")
        does not make it an actor."""
        counted = counted_of(token)
        if counted is not None:
            return self._code(counted, context, agent=True)
        for owner in (c for c in token.children if c.dep_ == "poss" and c.pos_ != "PRON"):
            # "the Turkish army's incursion" is the army's: coded at its own words, with its
            # sector, not as a country read off the whole phrase (an owner with no code leaves
            # the phrase to its modifiers: "bin Laden's al-Qaeda network")
            owned = self._code(owner, context, agent=True)
            if any(a.code for a in owned):
                return owned
        for owner in _of_owners(token):
            if owner.ent_type_ in PLACE_LABELS or (
                not owner.ent_type_ and self._role(owner) is None
            ):
                continue  # "the town of Gorazde", "the fate of the offices": no owner
            # "the offices of the Palestinian administrators" are the administrators'
            owned = self._code(owner, context, agent=True)
            if any(a.code for a in owned):
                return owned
        reading = self._read(token)
        if reading.org_code is None and not reading.countries:
            return []
        sector = next(
            (found[1] for c in token.lefts if c.dep_ == "compound" and (found := self._role(c))),
            None,
        )
        span = self.doc[phrase_start(token) : token.i + 1]
        if reading.org_code is not None and not reading.countries:
            org, sector = reading.org_code, reading.org_sector
            return [group_actor(span, org, None, sector, reading.affiliation)]
        return [
            group_actor(span, compose_code(c, sector, None), c, sector, reading.affiliation)
            for c in reading.countries
        ]

    def _counted_actors(self, token: Token, context: int) -> list[Actor]:
        counted = counted_of(token)
        return self._code(counted, context, agent=True) if counted is not None else []

    def _member_actor(self, token: Token) -> Actor | None:
        """ "NATO allies", "EU members": a body's members act as the body."""
        if token.lemma_.lower() not in {"ally", "member", "partner", "state"}:
            return None
        for child in token.lefts:
            org = organisation(noun_phrase(child)) if child.dep_ in {"compound", "poss"} else None
            if org is not None:
                span = self.doc[phrase_start(token) : token.i + 1]
                return Actor(
                    text=span.text, start=span.start_char, end=span.end_char,
                    code=org[0], sector=org[1],
                )  # fmt: skip
        return None


# Heads that count the actors of their "of" phrase: "thousands of Iraqi Kurds", "some of the
# rebels", "a group of activists", "members of the banned MASSOB".
_QUANTITY_HEADS = frozenset(
    {
        "thousand", "thousands", "hundred", "hundreds", "dozen", "dozens", "million",
        "millions", "score", "scores", "ten", "tens", "number", "group", "band", "some",
        "many", "most", "several", "all", "both", "few", "majority", "minority", "section",
        "member", "members", "part", "batch", "contingent", "handful", "wave", "team",
    }
)  # fmt: skip
_MAX_NAME_WORDS = 8  # a body's name read back from its last word: at most this many words


def group_actor(
    span: Span, code: str | None, country: str | None, sector: str | None, affiliation: str | None
) -> Actor:
    return Actor(
        text=span.text,
        start=span.start_char,
        end=span.end_char,
        code=code,
        name=None,
        country=country,
        sector=sector,
        affiliation=affiliation,
    )


def _of_owners(token: Token) -> list[Token]:
    """The objects of a noun's own "of" phrase: "the offices of the administrators"."""
    return [
        obj
        for prep in token.rights
        if prep.dep_ == "prep" and prep.lower_ == "of"
        for obj in prep.children
        if obj.dep_ == "pobj"
    ]


def counted_of(token: Token) -> Token | None:
    """What a count or group word counts: the head of its "of" phrase ("thousands of Iraqi
    Kurds", "some of the rebels", "two of the soldiers"); None for any other word."""
    if token.lemma_.lower() not in _QUANTITY_HEADS and not token.like_num:
        return None
    counted = _of_owners(token)
    return counted[0] if counted else None
