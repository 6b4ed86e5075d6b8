"""How a person or group is described around its name: role, sector, country, affiliation.

"Kremlin spokesman Dmitry Peskov" is a spokesman (GOV) of the Kremlin (RUS); "pro-Russian
separatists" are rebels (REB) affiliated with RUS. Read from the words before the name and an
apposition after it, for actor codes (``actors.py``) and quote speakers (``speakers.py``), with
the organisations table ``wirewatch/data/organisations.json``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.tokens import Span, Token

from wirewatch.understand import countries
from wirewatch.understand.actor_phrase import affiliation_of, entity_range, organisation_in
from wirewatch.understand.roles import role_sector

_MODIFIER_DEPS = {"compound", "amod", "nmod", "poss", "appos", "npadvmod"}
WEST = {"west", "the west", "western countries", "western powers", "western nations"}


@dataclass(slots=True)
class Description:
    """What the text says a person or group is: "Kremlin spokesman" -> role spokesman,
    organisation Kremlin, country RUS, sector GOV. Unknown parts stay None."""

    role: str | None = None
    organisation: str | None = None
    country: str | None = None
    sector: str | None = None
    org_code: str | None = None
    affiliation: str | None = None

    def merge(self, other: Description) -> None:
        """Fill what this description lacks from ``other``."""
        for name in ("role", "organisation", "country", "sector", "org_code", "affiliation"):
            if getattr(self, name) is None:
                setattr(self, name, getattr(other, name))

    @property
    def empty(self) -> bool:
        return self.role is None and self.organisation is None and self.country is None

    @property
    def code(self) -> str | None:
        return compose_code(self.country, self.sector, self.org_code)


def compose_code(country: str | None, sector: str | None, org_code: str | None) -> str | None:
    """``RUS`` + ``GOV`` -> ``RUSGOV``; an organisation's own code wins; nothing -> None."""
    if org_code:
        return org_code
    if country:
        return country + (sector or "")
    return sector


@lru_cache(maxsize=1)
def organisation_tables() -> tuple[dict[str, tuple[str, str]], dict[str, tuple[str, str]]]:
    """(names matched without case, acronyms matched exactly: "WHO" is not "who")."""
    raw = json.loads(_data("organisations.json"))
    names: dict[str, tuple[str, str]] = {}
    acronyms: dict[str, tuple[str, str]] = {}
    for code, entry in raw.items():
        if code.startswith("_"):
            continue
        for name in entry["names"]:
            if _is_acronym(name):
                acronyms[name] = (code, entry["sector"])
            else:
                names[name_key(name)] = (code, entry["sector"])
    return names, acronyms


def _is_acronym(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(name) <= 8


def _data(name: str) -> str:
    return resources.files("wirewatch.data").joinpath(name).read_text("utf-8")


_THE = re.compile(r"^(?:the)\s+")


@lru_cache(maxsize=65536)
def name_key(text: str) -> str:
    return _THE.sub("", " ".join(text.casefold().split()))


@lru_cache(maxsize=65536)
def organisation(name: str) -> tuple[str, str] | None:
    """(CAMEO-style code, sector) of an international body or group named ``name``."""
    names, acronyms = organisation_tables()
    stripped = _THE.sub("", " ".join(name.split()))
    return acronyms.get(stripped) or names.get(name_key(name))


def describe_person(name: Span) -> Description:
    """The titles, organisation and country that the name's own noun phrase gives it.

    Reads the modifiers before the name ("Kremlin spokesman Dmitry Peskov", "Ukrainian
    President Petro Poroshenko", "US Secretary of State Rex Tillerson") and an apposition after
    it ("Dmitry Peskov, the Kremlin spokesman").
    """
    tokens = _modifier_tokens(name)
    return describe_tokens(tokens)


def describe_tokens(tokens: list[Token]) -> Description:
    """A description from the words around an actor's head noun."""
    description = Description()
    words = [t for t in tokens if not t.is_punct]
    description.role, description.sector = _role(words)
    affiliated = _affiliation_words(tokens)
    for token in words:
        text = token.text
        lower = token.lower_
        if token.i in affiliated:
            if description.affiliation is None:
                description.affiliation = affiliation_of(token, organisation)
            continue
        if lower in {"pro", "anti"} or lower.startswith(("pro-", "anti-")):
            if lower.startswith("pro-") and description.affiliation is None:
                description.affiliation = countries.affiliation_of(text)
            continue
        seat = countries.seat_of_power(text) or countries.seat_of_power(noun_phrase(token))
        if seat is not None and description.country is None:
            description.organisation = description.organisation or noun_phrase(token)
            description.country, seat_sector = seat
            description.sector = description.sector or seat_sector
            continue
        org = organisation(text) or (
            organisation_in(noun_phrase(token), organisation) if token.ent_type_ else None
        )
        if org is not None and description.org_code is None:
            description.organisation = noun_phrase(token) if token.ent_type_ else text
            description.org_code = org[0]
            description.sector = description.sector or org[1]
            continue
        country = (
            countries.country_by_adjective(text)
            or countries.country_by_name(text)
            or (countries.country_by_name(noun_phrase(token)) if token.ent_type_ == "GPE" else None)
        )
        if country is not None and description.country is None:
            description.country = country
    return description


_BACKED = {"backed", "led", "supported", "sponsored", "allied", "aligned", "funded", "armed"}


def _affiliation_words(tokens: list[Token]) -> set[int]:
    """Tokens that name an affiliation, not a nationality: "pro-Russian", "Russian-backed"."""
    doc_tokens = {t.i: t for t in tokens}
    out: set[int] = set()
    for token in tokens:
        doc = token.doc
        nxt = doc[token.i + 1] if token.i + 1 < len(doc) else None
        after = doc[token.i + 2] if token.i + 2 < len(doc) else None
        if token.lower_ == "pro" and nxt is not None and nxt.text == "-" and after is not None:
            out.add(after.i)
        if nxt is not None and nxt.text == "-" and after is not None and after.lower_ in _BACKED:
            out.add(token.i)
    return {i for i in out if i in doc_tokens}


def _role(words: list[Token]) -> tuple[str | None, str | None]:
    """The longest title among the words: "Secretary of State" beats "Secretary"."""
    texts = [w.lower_ for w in words]
    best: tuple[str | None, str | None] = (None, None)
    best_len = 0
    for size in (4, 3, 2, 1):
        for i in range(len(texts) - size + 1):
            phrase = " ".join(texts[i : i + size])
            sector = role_sector(phrase)
            if sector is not None and size > best_len:
                best, best_len = (name_key(phrase), sector), size
        if best_len:
            break
    return best


def noun_phrase(token: Token) -> str:
    """The entity mention a token belongs to, or the token itself."""
    found = entity_range(token)
    return _THE.sub("", token.doc[found.start : found.stop].text)


def _modifier_tokens(span: Span) -> list[Token]:
    root = span.root
    out: list[Token] = []
    for child in (c for owner in span for c in owner.children):
        if child.i in range(span.start, span.end):
            continue
        if child.dep_ in _MODIFIER_DEPS:
            out.extend(t for t in child.subtree if not span.start <= t.i < span.end)
    # "the Kremlin spokesman, Dmitry Peskov": the name is the apposition of the title.
    if root.dep_ == "appos" and root.head.i < span.start:
        out.extend(t for t in root.head.subtree if t.i < span.start)
    return sorted(out, key=lambda t: t.i)
