"""The noun a pronoun that acts stands for: "Syria says it will not accept ...", "Bosnian Serbs
said their forces had completed their withdrawal", "The minister ... He said ...".

Only what the parse makes likely, and nothing more: a pronoun is read as the subject of a
clause that governs it in the same sentence (the nearest one first), else as the subject of
the previous sentence's main verb, and only when number and person agree: "he", "she" and
their forms stand for a person or a singular role noun that names a person (not "the
newspaper", "the bank", "the court"); "it" and "its" for a singular country, body or group
noun; "they", "them" and "their" for a plural noun, a coordination or a group named by its
people ("Kurds"). An object pronoun is never its own clause's subject
("police chased the students and beat them": the students). A pronoun nothing agrees with is
left alone: its actor stays unknown. The search is bounded: a pronoun's ancestors in one parse,
and one sentence back.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Token

from wirewatch.understand.parse_index import sentence_of
from wirewatch.understand.roles import head_role

__all__ = ["antecedents"]

_PERSON = frozenset({"he", "him", "his", "she", "her", "hers"})
_SINGULAR = frozenset({"it", "its"})
_PLURAL = frozenset({"they", "them", "their", "theirs"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
_OBJECTS = frozenset({"dobj", "obj", "dative", "pobj"})
_MAX_ANCESTORS = 12
_COLLECTIVE_LABELS = frozenset({"ORG", "GPE", "NORP"})
# Role nouns that name a body, not a person: "he" never stands for them.
_BODIES = frozenset(
    {
        "government", "administration", "cabinet", "ministry", "army", "military", "navy",
        "police", "parliament", "court", "party", "union", "council", "assembly", "congress",
        "senate", "committee", "commission", "agency", "force", "forces", "regime", "junta",
        "company", "group", "movement", "coalition", "opposition", "media", "press",
        # outlets, firms and institutions whose role nouns are in roles.json: a report "said
        # he had criticised" someone, the newspaper did not
        "newspaper", "magazine", "tabloid", "broadcaster", "newsroom", "firm", "bank",
        "business", "industry", "corporation", "conglomerate", "multinational", "enterprise",
        "airline", "carrier", "insurer", "lender", "refinery", "factory", "utility",
        "automaker", "carmaker", "drugmaker", "treasury", "municipality", "presidency",
        "authority", "embassy", "consulate", "politburo", "pentagon", "battalion", "brigade",
        "regiment", "unit", "fleet", "garrison", "tribunal", "judiciary", "prosecution",
        "jury", "charity", "watchdog", "foundation", "intelligence", "hospital", "clinic",
        "university", "school", "college", "institute", "academy", "church", "mosque",
        "diocese", "staff", "crowd", "family", "tribe", "clan", "community", "public",
        "legislature", "gendarmerie", "coastguard", "customs",
    }
)  # fmt: skip


def antecedents(pronoun: Token) -> Iterator[Token]:
    """The head nouns ``pronoun`` may stand for, the likeliest first; the caller takes the first
    it can code. Nothing when ``pronoun`` is no third-person pronoun or nothing agrees."""
    form = pronoun.lower_
    if form not in _PERSON | _SINGULAR | _PLURAL:
        return
    barred = _own_clause(pronoun)
    if barred:
        # "chased the students and beat them": the object of the verb this one is joined to
        for verb in (pronoun.doc[i] for i in sorted(barred, reverse=True)):
            for obj in (c for c in verb.children if c.dep_ in {"dobj", "obj"}):
                if obj.i < pronoun.i and _agrees(obj, form):
                    yield obj
    seen = 0
    node = pronoun
    while node.head.i != node.i and seen < _MAX_ANCESTORS:
        node = node.head
        seen += 1
        if node.i in barred:
            continue
        for subject in (c for c in node.children if c.dep_ in _SUBJECTS):
            if subject.i < pronoun.i and _agrees(subject, form) and not _holds(subject, pronoun):
                yield subject
    yield from _previous_subjects(pronoun.doc, pronoun, form)


def _own_clause(pronoun: Token) -> set[int]:
    """An object pronoun is not its own clause's subject: in "police chased protesters and
    beat them", "them" is not the police. The verbs whose subjects it cannot take."""
    if pronoun.dep_ not in _OBJECTS:
        return set()
    verb = pronoun.head.head if pronoun.dep_ == "pobj" else pronoun.head
    barred = {verb.i}
    while verb.dep_ == "conj" and verb.head.i != verb.i:
        verb = verb.head
        barred.add(verb.i)
    return barred


def _holds(subject: Token, pronoun: Token) -> bool:
    """ "their forces": the pronoun is inside the subject, which cannot be its antecedent."""
    return subject.left_edge.i <= pronoun.i <= subject.right_edge.i


def _previous_subjects(doc: Doc, pronoun: Token, form: str) -> Iterator[Token]:
    sent = sentence_of(pronoun)
    if sent.start == 0:
        return
    root = sentence_of(doc[sent.start - 1]).root
    yield from (c for c in root.children if c.dep_ in _SUBJECTS and _agrees(c, form))


def _agrees(noun: Token, form: str) -> bool:
    if noun.pos_ == "PRON" or noun.pos_ not in {"NOUN", "PROPN"}:
        return False
    plural = noun.tag_ in {"NNS", "NNPS"} or any(c.dep_ == "conj" for c in noun.children)
    label = noun.ent_type_
    if form in _PERSON:
        if plural:
            return False
        return label == "PERSON" or (
            not label and noun.lemma_.lower() not in _BODIES and head_role(noun) is not None
        )
    if form in _SINGULAR:
        return not plural and label != "PERSON" and (label in _COLLECTIVE_LABELS or not label)
    return plural or label == "NORP"
