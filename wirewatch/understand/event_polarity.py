"""Whether an event is stated as fact: asserted, negated, denied, demanded, intended or only
claimed, read from the verbs that govern its trigger and from its modals.

"Moscow has denied backing the rebels" is a denial, not support; "X must withdraw" is demanded;
"X plans to visit" and "X is ready to visit" intended; "X accused Y of shelling" makes the
shelling a reported claim; "if it is attacked" is a condition.
"""

from __future__ import annotations

from spacy.tokens import Token

from wirewatch.model import Polarity
from wirewatch.understand.families import READINESS

_DENY = {"deny", "dismiss", "refute", "reject"}
_CLAIM = {"accuse", "allege", "claim", "charge", "blame", "suspect", "report"}
DEMAND_VERBS = {"urge", "demand", "call", "ask", "press", "insist", "order", "tell", "want"}
_INTEND = {
    "plan", "intend", "promise", "pledge", "vow", "threaten", "agree", "decide", "prepare",
    "aim", "seek", "hope", "expect", "offer", "propose", "try", "attempt", "want",
}  # fmt: skip
_DEMAND_MODALS = {"must", "should", "ought", "need"}
_FUTURE_MODALS = {"will", "would", "shall", "'ll", "wo"}
_SUBJECTS = {"nsubj", "csubj"}
_CONDITIONS = {"if", "unless", "whether"}


def polarity_of(token: Token) -> tuple[Polarity, Token | None]:
    if any(c.dep_ == "neg" for c in token.children):
        return "negated", None
    if conditional(token):
        return "conditional", None
    node = token
    for _ in range(4):
        head = node.head
        if head == node:
            break
        lemma = head.lemma_.lower()
        linked = node.dep_ in {"xcomp", "ccomp", "pcomp"}
        if node.dep_ == "pcomp" and head.dep_ == "prep":
            head = head.head
            lemma = head.lemma_.lower()
        fronted_claim = token.lemma_.lower() in _CLAIM and token.i < head.i
        if linked and lemma in _DENY and not fronted_claim:
            # "X accuse Moscow of ..., a charge it denies": the charge is denied, not the accusing.
            return "denied", subject_of(head)
        if linked and lemma in _CLAIM:
            return "reported_claim", subject_of(head)
        if node.dep_ in {"xcomp", "ccomp"} and lemma in DEMAND_VERBS:
            return "demanded", subject_of(head)
        if node.dep_ == "xcomp" and (lemma in _INTEND or head.lower_ in READINESS):
            return "intended", None
        if node.dep_ not in {"xcomp", "ccomp", "pcomp", "conj", "prep", "pobj"}:
            break
        node = head
    return modal_polarity(token), None


def conditional(token: Token) -> bool:
    """ "... to defend Saudi Arabia if it is attacked", "unless Baghdad accepts": the event of
    an if-, unless- or whether-clause is a condition, not something that happened. The clause
    is the trigger's own or one it is the complement of (a few steps up)."""
    node = token
    for _ in range(4):
        if node.dep_ == "advcl" and any(
            c.dep_ == "mark" and c.lower_ in _CONDITIONS for c in node.children
        ):
            return True
        if node.dep_ not in {"xcomp", "ccomp", "conj", "pobj", "prep", "dobj", "advcl"}:
            return False
        if node.head.i == node.i:
            return False
        node = node.head
    return False


def modal_polarity(token: Token) -> Polarity:
    chain = [token]
    while chain[-1].dep_ in {"xcomp", "conj"} and chain[-1].head != chain[-1]:
        chain.append(chain[-1].head)
    if any(child.dep_ == "neg" for verb in chain for child in verb.children):
        return "negated"
    for verb in chain:
        for child in verb.children:
            if child.dep_ == "aux" and child.lower_ in _DEMAND_MODALS:
                return "demanded"
            if child.dep_ == "aux" and child.lower_ in _FUTURE_MODALS:
                return "intended"
            if child.dep_ == "aux" and child.lower_ == "going" and verb.dep_ == "xcomp":
                return "intended"
    return "asserted"


def subject_of(verb: Token) -> Token | None:
    subjects = [c for c in verb.children if c.dep_ in _SUBJECTS]
    return subjects[0] if subjects else None
