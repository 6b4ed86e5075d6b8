"""Matching a token against the event lexicon (``lexicon.py``), with a confidence.

A verb is looked up by its lemma with, in turn, each (object, preposition) pair it governs, each
object, each preposition or particle, then alone: the most specific pattern wins. Objects are
the verb's direct objects with their conjuncts and the stuff of an amount ("provided 25,000 tons
of food aid": ``provide+aid``), and the objects of its prepositions ("call for the release":
``call+release@for``); prepositions and particles are its own and its object's ("withdraw its
troops from"). A noun is looked up by ``n:`` and its lemma with its modifiers ("air strike") and
prepositions. Every look-up is a dictionary probe: the cost does not grow with the lexicon.

A verb the lexicon does not have may still match by similarity of word vectors to a verb that
has a pattern of its own (``similar``): only when the verb has both a subject and an object,
with a lower confidence, and at most one vector comparison per lemma per process.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from spacy.tokens import Token
from spacy.vocab import Vocab

from wirewatch.understand.lexicon import Lexicon, Pattern, lexicon

_OBJECTS = {"dobj", "obj", "attr"}
_PREPS = {"prep", "prt", "agent", "advmod", "acomp"}
_MODIFIERS = {"compound", "amod", "nmod"}
# Nouns of amount whose "of" object is what is handed over, sent or seized: "tons of aid".
_AMOUNTS = frozenset(
    {
        "ton", "tonne", "kilogram", "kilo", "kg", "pound", "litre", "liter", "gallon", "barrel",
        "worth", "load", "truckload", "planeload", "shipload", "shipment", "consignment",
        "batch", "cargo", "quantity", "amount", "lot", "supply", "crate", "package", "convoy",
        "dozen", "hundred", "thousand", "million", "billion", "number", "stock", "stockpile",
    }
)  # fmt: skip

# Confidence of a match by how much of the pattern the text shows.
CONFIDENCE = {2: 0.9, 1: 0.8, 0: 0.65}
NOUN_CONFIDENCE = {2: 0.75, 1: 0.7, 0: 0.55}
SIMILAR_THRESHOLD = 0.7  # cosine similarity to a lexicon verb, below which nothing matches
# The model's vectors are pruned: a word without its own row shares its nearest word's row
# (cosine 1.0 to it: "oust" and "disband"). Such a pair says nothing; it is not a match.
SIMILAR_SHARED = 0.999
SIMILAR_CEILING = 0.45  # the confidence of a perfect similarity match

# Frequent verbs that are never events by themselves: never compared by similarity.
_NOT_EVENTS = frozenset(
    {
        "be",
        "have",
        "do",
        "say",
        "tell",
        "make",
        "get",
        "go",
        "come",
        "see",
        "know",
        "think",
        "take",
        "give",
        "use",
        "find",
        "want",
        "look",
        "put",
        "become",
        "include",
        "seem",
        "show",
        "try",
        "leave",
        "keep",
        "let",
        "begin",
        "help",
        "start",
        "run",
        "hold",
        "bring",
        "happen",
        "write",
        "provide",
        "sit",
        "stand",
        "lose",
        "pay",
        "meet",
        "continue",
        "set",
        "learn",
        "change",
        "lead",
        "understand",
        "watch",
        "follow",
        "create",
        "speak",
        "read",
        "spend",
        "grow",
        "open",
        "walk",
        "win",
        "offer",
        "remember",
        "love",
        "consider",
        "appear",
        "buy",
        "wait",
        "serve",
        "die",
        "send",
        "expect",
        "build",
        "stay",
        "fall",
        "cut",
        "reach",
        "remain",
        "suggest",
        "raise",
        "pass",
        "sell",
        "require",
        "report",
        "decide",
        "pull",
        "add",
        "mean",
        "believe",
        "feel",
        "need",
        "call",
        "ask",
        "work",
        "play",
        "live",
        "move",
        "turn",
    }
)


@dataclass(frozen=True, slots=True)
class Match:
    pattern: Pattern
    confidence: float
    pattern_id: str  # the lexicon id, or "similar:<lemma>" with the lexicon id it stands in for


def _probe(lex: Lexicon, trigger: str, objects: list[str], preps: list[str], bare: bool,
           pobj: dict[str, list[str]]) -> Pattern | None:  # fmt: skip
    for prep in preps:
        for obj in (*objects, *pobj.get(prep, ())):
            found = lex.get((trigger, obj, prep))
            if found is not None:
                return found
    for obj in objects:
        found = lex.get((trigger, obj, None))
        if found is not None:
            return found
    for prep in preps:
        if bare:
            found = lex.get((trigger, "!", prep))
            if found is not None:
                return found
        found = lex.get((trigger, None, prep))
        if found is not None:
            return found
    if bare:
        found = lex.get((trigger, "!", None))
        if found is not None:
            return found
    return lex.get((trigger, None, None))


def _governed(verb: Token) -> tuple[list[str], list[str], dict[str, list[str]]]:
    objects: list[str] = []
    preps: list[str] = []
    pobj: dict[str, list[str]] = {}
    heads = [verb]
    for child in verb.children:
        if child.dep_ in _OBJECTS:
            objects.append(child.lemma_.lower())
            heads.append(child)
            objects.extend(_object_words(child))
    for head in heads:
        for child in head.children:
            if child.dep_ in _PREPS and (child.dep_ != "advmod" or head is verb):
                word = child.lower_
                preps.append(word)
                pobj[word] = [g.lemma_.lower() for g in child.children if g.dep_ == "pobj"]
    return objects, preps, pobj


def _object_words(obj: Token) -> list[str]:
    """What else an object names: the stuff of an amount ("25,000 tons of food aid": aid) and
    the conjuncts ("photographs and military intelligence")."""
    words: list[str] = []
    for token in (obj, *obj.conjuncts):
        if token.i != obj.i:
            words.append(token.lemma_.lower())
        if token.lemma_.lower() in _AMOUNTS or token.like_num:
            for prep in (c for c in token.children if c.dep_ == "prep" and c.lower_ == "of"):
                words.extend(g.lemma_.lower() for g in prep.children if g.dep_ == "pobj")
    return words


def match_verb(verb: Token, lex: Lexicon | None = None) -> Match | None:
    lex = lex or lexicon()
    lemma = verb.lemma_.lower()
    if lemma not in lex.triggers:
        return None
    objects, preps, pobj = _governed(verb)
    found = _probe(lex, lemma, objects, preps, not objects, pobj)
    if found is None:
        return None
    return Match(found, CONFIDENCE[found.specificity], found.id)


def match_noun(noun: Token, lex: Lexicon | None = None) -> Match | None:
    lex = lex or lexicon()
    trigger = f"n:{noun.lemma_.lower()}"
    if trigger not in lex.triggers:
        return None
    modifiers = [c.lemma_.lower() for c in noun.children if c.dep_ in _MODIFIERS]
    preps = [c.lower_ for c in noun.children if c.dep_ == "prep"]
    found = _probe(lex, trigger, modifiers, preps, False, {})
    if found is None:
        return None
    return Match(found, NOUN_CONFIDENCE[found.specificity], found.id)


def match_similar(verb: Token, lex: Lexicon | None = None) -> Match | None:
    """A verb the lexicon lacks, matched by word vectors to the nearest lexicon verb."""
    lex = lex or lexicon()
    lemma = verb.lemma_.lower()
    if lemma in _NOT_EVENTS or lemma in lex.triggers or not lemma.isalpha():
        return None
    has_subject = any(c.dep_ in {"nsubj", "nsubjpass"} for c in verb.children)
    if not has_subject or not any(c.dep_ in _OBJECTS for c in verb.children):
        return None
    nearest = _nearest(verb.vocab, lemma)
    if nearest is None:
        return None
    neighbour, similarity = nearest
    found = lex.get((neighbour, None, None))
    if found is None:
        return None
    confidence = round(SIMILAR_CEILING * similarity, 3)
    return Match(found, confidence, f"similar:{lemma}={found.id}")


@lru_cache(maxsize=4096)
def _nearest(vocab: Vocab, lemma: str) -> tuple[str, float] | None:
    names, matrix = _verb_vectors(vocab)
    if not names or not vocab.has_vector(lemma):
        return None
    vector = np.asarray(vocab.get_vector(lemma), dtype="float32")
    norm = float(np.linalg.norm(vector))
    if norm == 0:
        return None
    scores = matrix @ (vector / norm)
    best = int(np.argmax(scores))
    score = float(scores[best])
    return (names[best], score) if SIMILAR_THRESHOLD <= score < SIMILAR_SHARED else None


@lru_cache(maxsize=2)
def _verb_vectors(vocab: Vocab) -> tuple[list[str], np.ndarray]:
    """Unit vectors of the lexicon's verbs that have a pattern of their own (no object or
    preposition required)."""
    lex = lexicon()
    names = sorted(
        {p.trigger for p in lex.patterns.values()
         if p.obj is None and p.prep is None and not p.trigger.startswith("n:")}
    )  # fmt: skip
    names = [n for n in names if vocab.has_vector(n)]
    if not names:
        return [], np.zeros((0, 0), dtype="float32")
    matrix = np.stack([np.asarray(vocab.get_vector(n), dtype="float32") for n in names]).astype(
        "float32"
    )
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return names, matrix / norms
