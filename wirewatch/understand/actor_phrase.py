"""What an actor's own noun phrase says about whose it is: countries, a body, a place.

``read_phrase`` reads the words around a head noun or name in the parse:

- modifiers before it, with their conjuncts: demonyms and country names ("US and British
  activists": USA and GBR), possessives ("Iraq's national security advisor"), seats of power
  ("Kremlin spokesman"), bodies ("NATO allies", "Hamas militants"), capitals and regions used
  as modifiers ("Gaza police");
- "of", "in", "from" and "at" phrases after it ("the mayor of Nablus", "police in Gaza",
  "officials of the Iraqi government");
- an apposition ("Michel Suleiman, Lebanon's president"; "the mayor of Nablus, Ghassan Shakaa").

Qualifiers that say whom an actor sides with are kept apart from its country: "pro-Russian
separatists" have affiliation RUS, not country RUS. Nothing is guessed here: what the phrase
does not say stays None (``actor_context.py`` adds what the sentence and earlier sentences say).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Span, Token

from wirewatch.understand import countries
from wirewatch.understand.parse_index import hyphens
from wirewatch.understand.regions import country_of_region
from wirewatch.understand.roles import head_role

__all__ = ["Reading", "country_in_name", "phrase_start", "read_phrase", "title_before"]

# A function giving the country of a place word (from the article's resolved places, else the
# country tables), or None.
Locate = Callable[[Token], str | None]
Organisation = Callable[[str], tuple[str, str] | None]

_MODIFIER_DEPS = {"compound", "amod", "nmod", "poss", "npadvmod"}
_PLACE_PREPOSITIONS = {"of", "in", "from", "at", "inside", "across", "near"}
# The dependents ``read_phrase`` reads: modifiers, prepositional phrases, appositions.
_READ_DEPS = frozenset(_MODIFIER_DEPS | {"prep", "appos"})
# Nouns that name a place by what follows or precedes them: "the city of Kirkuk", "Kandahar
# province".
PLACE_NOUNS = frozenset(
    {
        "city", "town", "village", "province", "region", "capital", "district", "state",
        "area", "camp", "port", "county", "suburb", "outskirt", "enclave", "territory",
        "border", "island", "valley", "governorate", "prefecture", "municipality",
    }
)  # fmt: skip
# "Russian-backed" is an affiliation; "US-led forces" are the leader's (CAMEO codes them so).
_BACKED = {"backed", "supported", "sponsored", "allied", "aligned", "funded", "armed"}


@dataclass(slots=True)
class Reading:
    """What a phrase says: countries in the order written, a body's code and sector, the
    country of a place it is "of" or "in", an affiliation; unknown parts stay empty."""

    countries: list[str] = field(default_factory=list)
    org_code: str | None = None
    org_sector: str | None = None
    seat_sector: str | None = None
    place: str | None = None
    affiliation: str | None = None

    def add_country(self, code: str | None) -> None:
        if code is not None and code not in self.countries:
            self.countries.append(code)


def read_phrase(
    token: Token, locate: Locate, organisation: Organisation, *, depth: int = 0
) -> Reading:
    """Everything the phrase headed by ``token`` says about its countries and body."""
    reading = Reading()
    if not token.ent_type_ and not any(c.dep_ in _READ_DEPS for c in token.children):
        return reading  # "the talks": no modifier, "of"/"in" phrase or apposition to read
    skip = entity_range(token)
    affiliated = _affiliation_words(token)
    for word in _modifiers(token, skip):
        if word.i in affiliated:
            against = word.i >= 2 and word.doc[word.i - 2].lower_ == "anti"
            if reading.affiliation is None and not against:
                reading.affiliation = affiliation_of(word, organisation)
            continue
        lower = word.lower_
        if lower in {"pro", "anti", "-"} or lower.startswith(("pro-", "anti-")):
            if lower.startswith("pro-") and reading.affiliation is None:
                reading.affiliation = countries.affiliation_of(word.text)
            continue
        _read_word(word, reading, locate, organisation)
    for child in token.rights:
        if child.dep_ == "prep" and child.lower_ in _PLACE_PREPOSITIONS:
            for obj in (c for c in child.children if c.dep_ == "pobj"):
                _read_object(obj, reading, locate, organisation, depth)
        elif child.dep_ == "appos" and depth == 0:
            inner = read_phrase(child, locate, organisation, depth=1)
            for code in inner.countries:
                reading.add_country(code)
            reading.place = reading.place or inner.place
            if inner.org_code and reading.org_code is None:
                reading.org_code, reading.org_sector = inner.org_code, inner.org_sector
    return reading


def _read_object(
    obj: Token, reading: Reading, locate: Locate, organisation: Organisation, depth: int
) -> None:
    """ "of Nablus", "in Gaza", "of the Iraqi government", "of the Palestinian Authority"."""
    objects = [obj, *(c for c in obj.children if c.dep_ == "conj")]
    for item in objects:
        org = organisation(_entity_text(item)) if item.ent_type_ in {"ORG", "NORP"} else None
        if org is not None and reading.org_code is None and not reading.countries:
            reading.org_code, reading.org_sector = org
            continue
        place = locate(item)
        if (
            place is None
            and depth == 0
            and item.pos_ == "NOUN"
            and (item.lemma_.lower() in PLACE_NOUNS or head_role(item))
        ):
            inner = read_phrase(item, locate, organisation, depth=1)
            place = inner.countries[0] if len(inner.countries) == 1 else inner.place
        if place is not None and reading.place is None:
            reading.place = place


def _read_word(word: Token, reading: Reading, locate: Locate, organisation: Organisation) -> None:
    phrase = _entity_text(word) if word.ent_type_ else word.text
    seat, org, code = _word_facts(word.text, phrase, word.ent_type_, organisation)
    if seat is not None:
        reading.add_country(seat[0])
        reading.seat_sector = reading.seat_sector or seat[1]
        return
    if org is not None:
        if reading.org_code is None:
            reading.org_code, reading.org_sector = org
        return
    if code is None and word.ent_type_ in {"GPE", "LOC", "FAC"}:
        code = locate(word)
    reading.add_country(code)


@lru_cache(maxsize=16384)
def _word_facts(
    text: str, phrase: str, ent_type: str, organisation: Organisation
) -> tuple[tuple[str, str] | None, tuple[str, str] | None, str | None]:
    """(seat of power, body, country) a modifier word names; the tables are fixed, so the
    answer for a word is kept."""
    seat = countries.seat_of_power(text) or countries.seat_of_power(phrase)
    if seat is not None:
        return seat, None, None
    org = organisation(text) or (organisation_in(phrase, organisation) if ent_type else None)
    if org is not None:
        return None, org, None
    code = (
        countries.country_by_adjective(text)
        or countries.country_by_name(text)
        or country_of_region(text)
        or (countries.country_by_name(phrase) if ent_type in {"GPE", "LOC"} else None)
        or (countries.country_by_adjective(phrase) if ent_type == "NORP" else None)
        or (country_of_region(phrase) if ent_type else None)
        or (countries.country_of_capital(phrase) if text[:1].isupper() else None)
    )
    return None, None, code


def organisation_in(name: str, organisation: Organisation) -> tuple[str, str] | None:
    """The body a name is or begins with: "United Nations Emergency Relief Coordinator" is
    the UN's; "European Community foreign ministers" the EU's."""
    words = name.split()
    for size in range(len(words), 0, -1):
        found = organisation(" ".join(words[:size]))
        if found is not None:
            return found
    return None


def _modifiers(token: Token, skip: range) -> list[Token]:
    """The modifier words of a head, with their conjuncts, in text order, outside ``skip``."""
    out: list[Token] = []
    doc = token.doc
    # A name's words each may carry modifiers: "Arab League Secretary-General Chedli Klibi"
    # hangs the title off "Chedli".
    for owner in (doc[i] for i in skip):
        for child in owner.children:
            if child.i in skip or child.dep_ not in _MODIFIER_DEPS:
                continue
            out.extend(t for t in child.subtree if t.i not in skip and not t.is_punct)
    return sorted(set(out), key=lambda t: t.i)


def entity_range(token: Token) -> range:
    """The token range of the entity mention a token belongs to, or the token alone."""
    if not token.ent_type_:
        return range(token.i, token.i + 1)
    doc = token.doc
    start = token.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = token.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return range(start, end)


def _entity_text(token: Token) -> str:
    span = entity_range(token)
    text = token.doc[span.start : span.stop].text
    return text[4:] if text.lower().startswith("the ") else text


def _affiliation_words(token: Token) -> set[int]:
    """Words that name an affiliation, not a nationality: "pro-Russian", "Russian-backed"."""
    doc = token.doc
    out: set[int] = set()
    end = min(token.i + 1, len(doc))
    left = token.left_edge
    if not any(left.i < i < end for i in hyphens(doc)):
        return out  # both forms are written with a hyphen
    for word in doc[left.i : end]:
        nxt = doc[word.i + 1] if word.i + 1 < end else None
        after = doc[word.i + 2] if word.i + 2 < end else None
        if word.lower_ in {"pro", "anti"} and nxt is not None and nxt.text == "-" and after:
            out.add(after.i)
        if nxt is not None and nxt.text == "-" and after is not None and after.lower_ in _BACKED:
            out.add(word.i)
    return out


def affiliation_of(word: Token, organisation: Organisation) -> str | None:
    """The country or body an affiliation word names: "Russian" in "Russian-backed"."""
    text = word.text
    org = organisation(text)
    return (
        countries.country_by_adjective(text)
        or countries.country_by_name(text)
        or countries.country_of_capital(text)
        or (seat[0] if (seat := countries.seat_of_power(text)) else None)
        or (org[0] if org else None)
    )


def place_country(text: str) -> str | None:
    """The country a place name stands for without the article's help: a country, a capital,
    a region or town in the regions table."""
    return (
        countries.country_by_name(text)
        or countries.country_of_capital(text)
        or country_of_region(text)
    )


def country_in_name(span: Span | None) -> str | None:
    """The one country an organisation's own name gives: "Latvian Constitutional Court",
    "Montenegro Assembly", "Rwandan Patriotic Front"."""
    if span is None:
        return None
    found = {
        code
        for word in span[:-1]
        if (
            code := countries.country_by_adjective(word.text)
            or countries.country_by_name(word.text)
        )
    }
    return found.pop() if len(found) == 1 else None


def title_before(span: Span) -> Token | None:
    """The role noun of a phrase written right before a name and a comma: "the mayor of
    Nablus, Ghassan Shakaa" gives "mayor"."""
    doc = span.doc
    if span.start < 2 or doc[span.start - 1].text != ",":
        return None
    last = doc[span.start - 2]
    current = last
    for _ in range(6):
        if current.pos_ == "NOUN" and current.right_edge.i >= last.i - 0 and head_role(current):
            return current if current.i < span.start else None
        if current.head.i == current.i or current.head.i >= span.start:
            return None
        current = current.head
    return None


def phrase_start(token: Token) -> int:
    """Where the noun phrase headed by ``token`` starts: its determiners and modifiers."""
    start = token.i
    for child in token.lefts:
        if child.dep_ in {"det", "amod", "compound", "nummod", "poss", "nmod"}:
            start = min(start, child.left_edge.i)
    return start
