"""Who an event's trigger names as doer and as done-to, from the dependency parse.

``sources_of`` gives the tokens whose actors did it: the verb's subjects (with conjuncts), a
passive's agent, the accused of "accuse X of doing", the urged of "urge X to do", the subject of
a governing clause. ``targets_of`` gives candidate target lists, best first: the object of the
pattern's preposition, the direct object, other prepositions' objects, a reported clause's
subject (speech roots), the arguments of a complement that is no event itself ("threatened to
cut off electricity to Nakhichevan"), and for protests what they protest ("in protest of the
Russian government's refusal", "to protest Sweden's decision"). ``events.py`` codes the
candidates and takes the first list with a coded actor.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Token

from wirewatch.understand.event_polarity import DEMAND_VERBS

__all__ = ["sources_of", "targets_of", "with_conjuncts"]

_SUBJECTS = {"nsubj", "csubj"}
_SPEECH_ROOTS = ("01", "02", "10", "11", "12", "13")
_OBJECT_PREPS = ("on", "against", "to", "for", "with", "from", "of", "at", "by", "into")
_PROTEST_ROOT = "14"
# Verbs of a protest's purpose clause, and nouns of "in protest of" phrases.
_PROTEST_PURPOSES = frozenset(
    {"protest", "denounce", "condemn", "oppose", "demand", "press", "decry", "challenge"}
)
_PROTEST_NOUNS = frozenset({"protest", "defiance", "opposition"})


def with_conjuncts(tokens: Iterable[Token]) -> list[Token]:
    out: list[Token] = []
    for token in tokens:
        out.append(token)
        out.extend(t for t in token.conjuncts if t.i > token.i)
    return out


def sources_of(token: Token) -> list[Token]:
    if token.pos_ == "NOUN":  # "during a visit to Kiev": the visitor is the clause's subject
        poss = [c for c in token.children if c.dep_ == "poss"]
        if poss:
            return with_conjuncts(poss)
        governor = token.head.head if token.head.dep_ == "prep" else token.head
        return (
            sources_of(governor) if governor.pos_ in {"VERB", "AUX"} and governor != token else []
        )
    direct = [c for c in token.children if c.dep_ in _SUBJECTS]
    if direct:
        return with_conjuncts(direct)
    agents = [
        g for c in token.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"
    ]
    if agents:
        return with_conjuncts(agents)
    if any(c.dep_ == "nsubjpass" for c in token.children):
        # "Ukraine said the town was shelled": a passive without its agent has no known doer,
        # whoever the governing clause's subject is
        return []
    head = token.head
    if token.dep_ == "xcomp" and head.pos_ == "ADJ" and head.dep_ == "acomp":
        # "he is prepared to lift the ban": the one who is prepared would act
        return sources_of(head.head) if head.head.i != head.i else []
    if token.dep_ == "pcomp" and head.dep_ == "prep" and head.head.pos_ == "VERB":
        # "accuse Moscow of smuggling": the one accused is the one said to smuggle.
        objects = [c for c in head.head.children if c.dep_ in {"dobj", "obj"}]
        return with_conjuncts(objects) if objects else sources_of(head.head)
    if (
        token.dep_ in {"xcomp", "conj", "advcl", "ccomp"}
        and head != token
        and head.pos_ in {"VERB", "AUX"}
    ):
        if token.dep_ == "xcomp":
            objects = [c for c in head.children if c.dep_ in {"dobj", "obj"}]
            if objects and head.lemma_.lower() in DEMAND_VERBS:
                return with_conjuncts(objects)  # "urged Moscow to withdraw": Moscow would act
        return sources_of(head)
    return []


def targets_of(token: Token, code: str, prep: str | None) -> list[list[Token]]:
    """Candidate targets, best first: the row's preposition, the object, other prepositions."""
    candidates: list[list[Token]] = []
    objects = [c for c in token.children if c.dep_ in {"dobj", "obj"}]
    holders = [token, *objects]
    if token.pos_ == "NOUN" or prep is not None:
        for holder in holders:
            for child in holder.children:
                if child.dep_ in {"prep", "prt"} and (prep is None or child.lower_ == prep):
                    candidates.append(with_conjuncts(g for g in child.children if g.dep_ == "pobj"))
    passive = [c for c in token.children if c.dep_ == "nsubjpass"]
    # "withdraw its troops from X": the actor's own forces are not the target.
    others = [o for o in objects if not _own(o)]
    direct = with_conjuncts(others or ([] if objects else passive))
    if others and candidates and all(_is_place(t) for group in candidates for t in group):
        # "met US officials in Washington": whom they met, before where
        candidates.insert(0, direct)
    candidates.append(direct)
    for holder in (*objects, token):
        for child in holder.children:
            if child.dep_ == "prep" and child.lower_ in _OBJECT_PREPS:
                candidates.append(with_conjuncts(g for g in child.children if g.dep_ == "pobj"))
    if code.startswith(_SPEECH_ROOTS):
        # "warned that Russia would ...", "denied that Iran ...": the clause's subject
        for clause in (c for c in token.children if c.dep_ == "ccomp"):
            candidates.append(with_conjuncts(c for c in clause.children if c.dep_ in _SUBJECTS))
    for complement in (c for c in token.children if c.dep_ == "xcomp" and c.pos_ == "VERB"):
        # "threatened to cut off electricity to Nakhichevan": what the complement acts on
        candidates.extend(_arguments(complement))
    if code.startswith(_PROTEST_ROOT):
        candidates.extend(_protested(token))
    return [c for c in candidates if c]


def _arguments(verb: Token) -> list[list[Token]]:
    """A verb's objects (not the actor's own) and the objects of its and their prepositions."""
    objects = [c for c in verb.children if c.dep_ in {"dobj", "obj", "dative"}]
    found = [with_conjuncts(o for o in objects if not _own(o))]
    for holder in (verb, *objects):
        for child in holder.children:
            if child.dep_ == "prep" and child.lower_ in _OBJECT_PREPS:
                found.append(with_conjuncts(g for g in child.children if g.dep_ == "pobj"))
    return found


def _protested(token: Token) -> list[list[Token]]:
    """What a protest is against, from its purpose: "to protest Sweden's decision", "in protest
    of the Russian government's refusal", "in defiance of Chinese authorities", "to demand
    reforms from the government"; a decision or failure stands for whoever's it is (its
    possessor, or who it is "by")."""
    clauses = [token]
    if token.pos_ == "NOUN" and token.head.i != token.i:  # "staged a hunger strike to protest"
        clauses.append(token.head)
    found: list[list[Token]] = []
    for clause in clauses:
        for child in clause.children:
            if child.dep_ in {"advcl", "xcomp"} and child.lemma_.lower() in _PROTEST_PURPOSES:
                found.extend([_owner(t) for t in group] for group in _arguments(child))
            elif child.dep_ == "prep" and child.lower_ == "in":
                for noun in (g for g in child.children if g.dep_ == "pobj"):
                    if noun.lemma_.lower() not in _PROTEST_NOUNS:
                        continue
                    for of in (c for c in noun.children if c.dep_ == "prep"):
                        pobjs = with_conjuncts(g for g in of.children if g.dep_ == "pobj")
                        found.append([_owner(t) for t in pobjs])
    return found


def _owner(noun: Token) -> Token:
    """ "Sweden's decision": Sweden; "violations by the security forces": the forces."""
    for child in noun.children:
        if child.dep_ == "poss" and child.pos_ != "PRON":
            return child
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ == "by":
            for agent in (g for g in child.children if g.dep_ == "pobj"):
                return agent
    return noun


def _is_place(token: Token) -> bool:
    return token.ent_type_ in {"GPE", "LOC", "FAC"}


def _own(noun: Token) -> bool:
    return any(
        c.dep_ == "poss" and c.lower_ in {"its", "their", "his", "her", "our"}
        for c in noun.children
    )
