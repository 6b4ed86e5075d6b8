"""Things that are not events: disasters, accidents, illnesses, markets, sports and idioms.

A verb of the event lexicon is no event when (``wirewatch/data/nonevents.json``, written for
wirewatch, lists the words):

- its doer is no actor: the subject, the passive's agent, or, with no agent, the object of "in",
  "by" or "from" is a disaster, accident, illness, market or animal word ("an earthquake killed
  30", "shares rallied", "were killed in a crash") and no modifier makes it a weapon ("a car
  bomb blast", "tank fire");
- the sentence is about sports: one strong word ("striker", "Champions League") or two weak ones
  ("match", "final") or a weak one and a score such as 3-1, or the verb "score";
- the verb and its object (or passive subject) form an idiom ("kill the motion", "execute a
  strategy", "shoot a film"; but "hit targets in Kandahar" is a strike: ``placed_idioms``), or,
  for threats, force, coercion and violence (roots 13, 15-20), the object is an abstract thing
  ("fight the vouchers bill", "seize the opportunity").

``reason`` says which, or ``None`` for a real event. Checks look only at the trigger's own
children and, for sports, at the sentence's lemmas once per sentence.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.symbols import VERB
from spacy.tokens import Span, Token

from wirewatch.understand.entities import PLACE_LABELS
from wirewatch.understand.parse_index import columns, lower_lemma

_SCORE = re.compile(r"\b\d{1,3}-\d{1,3}\b")
_DOER_PREPS = {"in", "by", "from", "during", "after"}


@dataclass(frozen=True, slots=True)
class NonEventWords:
    nonagents: dict[str, str]  # lemma -> category
    weapon_modifiers: frozenset[str]
    sports_strong: frozenset[str]
    sports_weak: frozenset[str]
    abstract_objects: frozenset[str]
    placed_objects: frozenset[str]  # abstract objects that are things hit in a named place
    abstract_roots: tuple[str, ...]
    idioms: frozenset[tuple[str, str]]
    placed_idioms: frozenset[tuple[str, str]]  # idioms whose placed object is a thing hit there


@lru_cache(maxsize=1)
def words() -> NonEventWords:
    raw = json.loads(resources.files("wirewatch.data").joinpath("nonevents.json").read_text())
    nonagents = {w: cat for cat, lemmas in raw["nonagents"].items() for w in lemmas}
    return NonEventWords(
        nonagents=nonagents,
        weapon_modifiers=frozenset(raw["weapon_modifiers"]),
        sports_strong=frozenset(raw["sports"]["strong"]),
        sports_weak=frozenset(raw["sports"]["weak"]),
        abstract_objects=frozenset(raw["abstract_objects"]),
        placed_objects=frozenset(raw["placed_objects"]),
        abstract_roots=tuple(raw["abstract_roots"]),
        idioms=frozenset((verb, obj) for verb, obj in raw["idiom_phrases"]),
        placed_idioms=frozenset((verb, obj) for verb, obj in raw["placed_idioms"]),
    )


class NonEvents:
    """The checks for one parsed document; sentence verdicts are cached."""

    def __init__(self) -> None:
        self.words = words()
        self._sports: dict[int, bool] = {}

    def reason(
        self,
        token: Token,
        code: str,
        sent_of: Callable[[Token], Span],
        pattern_object: str | None = None,
    ) -> str | None:
        """Why the event ``token`` triggers (coded ``code``) is no event, or None.
        ``sent_of`` gives a token's sentence (``Token.sent`` is slow to compute);
        ``pattern_object`` is the object the matched pattern names ("set fire to" names "fire"):
        an object the pattern itself requires makes no idiom of it."""
        w = self.words
        lemma = token.lemma_.lower()
        doer = self._nonagent_doer(token)
        if doer is not None:
            return doer
        if code[:2] >= "11" and self.sports(sent_of(token)):
            return "sports"  # sports reports read as disapproval, force or violence
        for thing in self._things(token):
            obj = thing.lemma_.lower()
            if obj == pattern_object:
                continue
            if (lemma, obj) in w.idioms:
                if (lemma, obj) in w.placed_idioms and _placed(thing):
                    continue  # "jets hit targets in Kandahar": things struck there
                return "idiom"
            if code.startswith(w.abstract_roots) and obj in w.abstract_objects:
                if obj in w.placed_objects and _placed(thing):
                    continue  # "bombed targets in southern Lebanon": things hit there
                return "idiom"
        return None

    def _nonagent_doer(self, token: Token) -> str | None:
        w = self.words
        verb = token
        for _ in range(3):  # "floods swept through ..., killing dozens": the floods' killing
            if any(c.dep_ in {"nsubj", "nsubjpass", "csubj"} for c in verb.children):
                break
            if verb.dep_ not in {"advcl", "conj", "xcomp"} or verb.head.i == verb.i:
                break
            verb = verb.head
        doers = [c for c in verb.children if c.dep_ in {"nsubj", "csubj"}]
        agent = [g for c in verb.children if c.dep_ == "agent" for g in c.children]
        doers += agent
        if verb.dep_ == "acl" and not doers:  # "an earthquake killing 30"
            doers = [verb.head]
        if not doers and token.pos_ == "VERB":
            doers = [
                g
                for c in token.children
                if c.dep_ == "prep" and c.lower_ in _DOER_PREPS
                for g in c.children
                if g.dep_ == "pobj"
            ]
        if not doers and any(c.dep_ == "nsubjpass" for c in token.children):
            # "were killed when a landslide buried their homes": the clause says what did it
            doers = [
                g
                for c in token.children
                if c.dep_ == "advcl"
                for g in c.children
                if g.dep_ in {"nsubj", "csubj"}
            ]
        if token.pos_ == "NOUN":  # "the quake's destruction", "an air crash" are not events
            doers = [token, *(c for c in token.children if c.dep_ in {"poss", "compound"})]
        for doer in doers:
            lemma = doer.lemma_.lower()
            category = w.nonagents.get(lemma)
            if doer.pos_ == "PROPN":  # "Typhoon Haiyan", "Hurricane Maria"
                named = [w.nonagents.get(c.lemma_.lower()) for c in doer.children
                         if c.dep_ == "compound"]  # fmt: skip
                category = "disaster" if "disaster" in named else None
            compounds = {c.lemma_.lower() for c in doer.children if c.dep_ == "compound"}
            if any(f"{c} {lemma}" in w.nonagents for c in compounds):  # "heart attack"
                category = next(w.nonagents[f"{c} {lemma}"] for c in compounds
                                if f"{c} {lemma}" in w.nonagents)  # fmt: skip
            if category is None:
                continue
            if doer.i == token.i and category not in {"disaster", "illness"}:
                continue
            armed = any(
                c.lemma_.lower() in w.weapon_modifiers or c.ent_type_ in {"NORP", "GPE"}
                or c.dep_ == "poss"
                for c in doer.children
            )  # fmt: skip
            if not armed:
                return category
        return None

    def _things(self, token: Token) -> list[Token]:
        """The trigger's objects, and its passive subjects ("the motion was killed")."""
        return [c for c in token.children if c.dep_ in {"dobj", "obj", "nsubjpass", "attr"}]

    def sports(self, sent: Span) -> bool:
        cached = self._sports.get(sent.start)
        if cached is not None:
            return cached
        w = self.words
        doc = sent.doc
        pos, _, lemma = columns(doc)
        keys = lemma[sent.start : sent.end]
        lemmas = {lower_lemma(doc, key) for key in set(keys)}
        score = doc.vocab.strings["score"]
        scored = any(  # not "scores of"
            key == score and part == VERB
            for key, part in zip(keys, pos[sent.start : sent.end], strict=True)
        )
        weak = len(lemmas & w.sports_weak)
        verdict = scored or (
            bool(lemmas & w.sports_strong)
            or weak >= 2
            or (weak >= 1 and _SCORE.search(sent.text) is not None)
        )
        self._sports[sent.start] = verdict
        return verdict


# Prepositions that put a thing in a place: "targets in southern Lebanon".
PLACING_PREPS = frozenset({"in", "at", "near", "inside"})


def _placed(thing: Token) -> bool:
    """A thing the text puts in a named place, with no owner or noun modifier: "targets in
    southern Lebanon", not "its sales targets in China". The place may hang on the verb the
    thing is the object of ("struck targets in Gaza City", as the parser often attaches it)."""
    if any(c.dep_ in {"poss", "compound"} for c in thing.children):
        return False
    holders = [thing]
    if thing.dep_ in {"dobj", "obj"} and thing.head.i != thing.i:
        holders.append(thing.head)
    return any(
        g.ent_type_ in PLACE_LABELS
        for holder in holders
        for c in holder.children
        if c.dep_ == "prep" and c.lower_ in PLACING_PREPS
        for g in c.children
        if g.dep_ == "pobj"
    )
