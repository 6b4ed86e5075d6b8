"""Words of a parsed sentence as a dictionary reads them, and the noun phrases of actors.

Words are upper case; punctuation and the possessive "'s" are left out; a token written with
underscores ("Dol_Amroth") gives one word per part. Each word keeps the token it came from.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

# Dependents that are not part of an actor's noun phrase: clauses, appositions, conjuncts.
_OUTSIDE = {"relcl", "acl", "appos", "advcl", "conj", "cc", "punct", "ccomp", "parataxis"}
_JOINING_PREPS = {"of", "in", "from"}  # "the government of Gondor", "soldiers from Gondor"
_INSIDE_NP = {"compound", "amod", "poss", "nmod", "nummod", "det", "case"}


@dataclass(frozen=True, slots=True)
class Words:
    words: list[str]
    tokens: list[Token]  # the token each word came from

    def index_of_token(self, token: Token) -> int | None:
        for i, t in enumerate(self.tokens):
            if t.i == token.i:
                return i
        return None


def words_of_tokens(tokens: list[Token]) -> Words:
    words: list[str] = []
    owners: list[Token] = []
    glue = False  # the previous token was a hyphen inside a word ("Barad-dur")
    for token in tokens:
        if (
            token.text == "-"
            and not token.whitespace_
            and words
            and owners[-1].i == token.i - 1
            and not owners[-1].whitespace_
        ):
            words[-1] += "-"
            glue = True
            continue
        if (token.is_punct and not token.text.endswith("-")) or token.tag_ == "POS":
            glue = False
            continue
        for part in token.text.upper().split("_"):
            if not part:
                continue
            if glue:
                words[-1] += part
            else:
                words.append(part)
                owners.append(token)
            glue = False
    return Words(words, owners)


def sentence_words(sent: Span) -> Words:
    return words_of_tokens(list(sent))


def phrase_tokens(head: Token) -> list[Token]:
    """The tokens of the noun phrase headed by ``head``, without its clauses and conjuncts;
    "of", "in" and "from" phrases are kept ("the ambassadors of Arnor")."""
    keep: list[Token] = []

    def visit(token: Token) -> None:
        keep.append(token)
        for child in token.children:
            if child.dep_ in _OUTSIDE and not (child.text == "-" and not child.whitespace_):
                continue  # a hyphen inside a name ("Barad-dur") stays
            if child.dep_ == "prep" and child.lower_ not in _JOINING_PREPS:
                continue
            visit(child)

    visit(head)
    return sorted(keep, key=lambda t: t.i)


def np_head(token: Token, *, through_of: bool = True) -> Token:
    """The head noun of the phrase ``token`` is part of ("Osgiliath" -> "soldiers" in
    "Osgiliath soldiers", "Gondor" -> "government" in "the government of Gondor")."""
    node = token
    for _ in range(6):
        head = node.head
        if head == node:
            break
        if node.dep_ in _INSIDE_NP and head.pos_ in {"NOUN", "PROPN", "PRON", "ADJ"}:
            node = head
            continue
        if (
            through_of
            and node.dep_ == "pobj"
            and head.lower_ in _JOINING_PREPS
            and head.head.pos_ in {"NOUN", "PROPN"}
            and head.head != head
        ):
            node = head.head
            continue
        break
    return node


def coordination(token: Token) -> list[Token]:
    """The heads coordinated with ``token``, itself included, in text order: conjuncts and
    proper-noun appositions in a list ("Mordor, Rohan, Fornost and Bree")."""
    root = token
    while (
        root.dep_ in {"conj", "appos"}
        and root.head != root
        and (root.dep_ == "conj" or root.pos_ == "PROPN")
    ):
        root = root.head
    members: list[Token] = []

    def visit(node: Token) -> None:
        members.append(node)
        for child in node.children:
            if child.dep_ == "conj" or (
                child.dep_ == "appos" and child.pos_ == "PROPN" and node.pos_ == "PROPN"
            ):
                visit(child)

    visit(root)
    return sorted(members, key=lambda t: t.i)


def joined_objects(tokens: list[Token]) -> list[Token]:
    """Words coordinated with a modifier or an "of/in/from" object inside a phrase, each an
    actor of its own with the phrase's agents: "the ambassadors of Arnor, Osgiliath and
    Gondor", "Eriadori and Calenardhon leaders"."""
    inside = {t.i for t in tokens}
    head = next((t for t in tokens if t.head.i not in inside or t.head == t), None)
    out: list[Token] = []
    for token in tokens:
        if token is head or token.dep_ not in {"pobj", "nmod", "compound", "amod", "poss"}:
            continue
        out.extend(t for t in coordination(token) if t.i not in inside and t not in out)
    return out
