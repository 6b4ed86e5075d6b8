"""Role and group nouns to CAMEO sectors, from ``wirewatch/data/roles.json``.

The table is written for wirewatch: about 1,100 titles and nouns ("president", "mayor",
"security forces", "lawmaker", "activist", "doctor") in singular form; plurals are matched here
("officials", "policemen", "militias", "MPs"). A title is read from the noun a phrase ends in,
with the compounds and adjectives right before it and a title's own "of" phrase ("national
security advisor", "Secretary of State", "minister of defence"): the longest entry wins.

>>> role_sector("policemen"), role_sector("Interior Minister"), role_sector("table")
('COP', 'GOV', None)
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

from spacy.tokens import Token

__all__ = ["head_role", "role_sector", "roles"]

_THE = re.compile(r"^the\s+")
# Words that may open a title written after the noun: "Secretary of State", "head of state".
_TITLE_PREPOSITIONS = {"of", "for"}
_MODIFIER_DEPS = {"compound", "amod", "nmod"}


def _key(text: str) -> str:
    return _THE.sub("", " ".join(text.casefold().replace("’", "'").split()))


@lru_cache(maxsize=1)
def roles() -> dict[str, str]:
    """Every entry of the table (lower case) with its sector."""
    raw = json.loads(resources.files("wirewatch.data").joinpath("roles.json").read_text("utf-8"))
    table: dict[str, str] = {}
    for sector, words in raw.items():
        if sector.startswith("_"):
            continue
        for word in words:
            table.setdefault(_key(word), sector)
    return table


def _singulars(word: str) -> list[str]:
    """The singular forms a plural noun may have: "militias" -> "militia", "policemen" ->
    "policeman", "authorities" -> "authority", "mps" -> "mp"."""
    out: list[str] = []
    if word.endswith("men"):
        out.append(word[:-3] + "man")
    if word.endswith("ies"):
        out.append(word[:-3] + "y")
    if word.endswith(("ches", "shes", "sses", "xes")):
        out.append(word[:-2])
    if word.endswith("s") and not word.endswith("ss"):
        out.append(word[:-1])
    return out


@lru_cache(maxsize=8192)
def role_sector(phrase: str) -> str | None:
    """The sector of a title or role noun ("foreign minister" -> GOV, "rebels" -> REB), or None."""
    table = roles()
    key = _key(phrase)
    found = table.get(key)
    if found is not None or not key:
        return found
    head, _, last = key.rpartition(" ")
    for singular in _singulars(last):
        found = table.get(f"{head} {singular}" if head else singular)
        if found is not None:
            return found
    return None


@lru_cache(maxsize=1)
def _role_words() -> frozenset[str]:
    """Every word of the table's entries: a noun that is none of them, in none of its singular
    forms, begins or ends no role phrase."""
    return frozenset(word for entry in roles() for word in entry.split())


def _may_hold_role(token: Token) -> bool:
    return _may_be_role_word(token.lower_, token.lemma_)


@lru_cache(maxsize=16384)
def _may_be_role_word(lower: str, lemma: str) -> bool:
    words = _role_words()
    for form in (_key(lower), _key(lemma)):
        if form in words or any(singular in words for singular in _singulars(form)):
            return True
    return False


def head_role(token: Token) -> tuple[str, str] | None:
    """(title, sector) of the longest role phrase a noun ends or begins: "security sources"
    gives ("security source", COP) and "Secretary of State" ("secretary of state", GOV)."""
    if not _may_hold_role(token):
        return None
    lefts = _left_modifiers(token)
    tail = _title_tail(token)
    for start in range(len(lefts) + 1):
        words = [t.lower_ for t in lefts[start:]] + [token.lower_]
        for extra in (tail, []):
            if extra is tail and not tail:
                continue
            phrase = " ".join(words + extra)
            sector = role_sector(phrase)
            if sector is not None:
                return _canonical(phrase), sector
    lemma = token.lemma_.lower()
    if lemma != token.lower_:
        sector = role_sector(lemma)
        if sector is not None:
            return lemma, sector
    return None


def _canonical(phrase: str) -> str:
    key = _key(phrase)
    if key in roles():
        return key
    head, _, last = key.rpartition(" ")
    for singular in _singulars(last):
        candidate = f"{head} {singular}" if head else singular
        if candidate in roles():
            return candidate
    return key


def _left_modifiers(token: Token) -> list[Token]:
    """The compounds and adjectives right before a noun, nearest last."""
    out: list[Token] = []
    i = token.i - 1
    doc = token.doc
    while i >= 0 and doc[i].head.i in {token.i, *(t.i for t in out)}:
        word = doc[i]
        if word.dep_ not in _MODIFIER_DEPS or word.ent_type_ in {"GPE", "NORP"}:
            break
        out.insert(0, word)
        i -= 1
    return out[-3:]


def _title_tail(token: Token) -> list[str]:
    """ "of State" in "Secretary of State", "of the Interior" in "Minister of the Interior"."""
    for child in token.rights:
        if child.dep_ == "prep" and child.lower_ in _TITLE_PREPOSITIONS:
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if objects:
                obj = objects[0]
                words = [
                    t.lower_ for t in obj.subtree if t.dep_ not in {"det", "punct"} and t.i <= obj.i
                ]
                if len(words) <= 3:
                    return [child.lower_, *words]
    return []
