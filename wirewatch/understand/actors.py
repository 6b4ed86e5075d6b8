"""Actors: people, organisations, groups and countries coded CAMEO-style from the article itself.

A code is a country (ISO 3166 alpha-3) or an international body, followed by a sector:
``RUSGOV`` (Russia's government), ``UKRREB`` (rebels in Ukraine), ``IGOWSTNAT`` (NATO). People
are coded from what the article says about them, never from a list of who holds which job:
"Ukrainian President Petro Poroshenko" gives UKR + GOV, and every later "Poroshenko" carries it.
Capitals and seats of power that act stand for their government ("Moscow has denied", "the
Kremlin said": RUSGOV). Qualifiers are kept: "pro-Russian separatists" are rebels (REB)
affiliated with RUS, in the country the article is about when it names one clearly.

Data: ``wirewatch/data/organisations.json`` (international bodies and groups) and
``wirewatch/data/roles.json`` (titles and nouns to sectors); countries come from
``countries.py``. Unknown stays unknown: an actor nothing is said about has ``code=None``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.tokens import Doc, Span, Token

from wirewatch.model import Actor, Article, Entity
from wirewatch.understand import countries

_MODIFIER_DEPS = {"compound", "amod", "nmod", "poss", "appos", "npadvmod"}
_LOCATIVE = {"in", "at", "near", "from", "across", "inside", "outside", "around", "throughout"}
_WEST = {"west", "the west", "western countries", "western powers", "western nations"}


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
def _organisations() -> tuple[dict[str, tuple[str, str]], dict[str, tuple[str, str]]]:
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
                names[_key(name)] = (code, entry["sector"])
    return names, acronyms


def _is_acronym(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(name) <= 8


@lru_cache(maxsize=1)
def _roles() -> dict[str, str]:
    raw = json.loads(_data("roles.json"))
    return {
        _key(word): sector
        for sector, words in raw.items()
        if not sector.startswith("_")
        for word in words
    }


def _data(name: str) -> str:
    return resources.files("wirewatch.data").joinpath(name).read_text("utf-8")


_THE = re.compile(r"^(?:the)\s+")


def _key(text: str) -> str:
    return _THE.sub("", " ".join(text.casefold().split()))


def organisation(name: str) -> tuple[str, str] | None:
    """(CAMEO-style code, sector) of an international body or group named ``name``."""
    names, acronyms = _organisations()
    stripped = _THE.sub("", " ".join(name.split()))
    return acronyms.get(stripped) or names.get(_key(name))


def role_sector(phrase: str) -> str | None:
    """The sector of a title or role noun ("foreign minister" -> GOV), or None."""
    return _roles().get(_key(phrase))


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
                description.affiliation = _affiliation(token)
            continue
        if lower in {"pro", "anti"} or lower.startswith(("pro-", "anti-")):
            if lower.startswith("pro-") and description.affiliation is None:
                description.affiliation = countries.affiliation_of(text)
            continue
        seat = countries.seat_of_power(text) or countries.seat_of_power(_phrase(token))
        if seat is not None and description.country is None:
            description.organisation = description.organisation or _phrase(token)
            description.country, seat_sector = seat
            description.sector = description.sector or seat_sector
            continue
        org = organisation(text) or (organisation(_phrase(token)) if token.ent_type_ else None)
        if org is not None and description.org_code is None:
            description.organisation = _phrase(token) if token.ent_type_ else text
            description.org_code = org[0]
            description.sector = description.sector or org[1]
            continue
        country = (
            countries.country_by_adjective(text)
            or countries.country_by_name(text)
            or (countries.country_by_name(_phrase(token)) if token.ent_type_ == "GPE" else None)
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


def _affiliation(token: Token) -> str | None:
    text = token.text
    org = organisation(text)
    return (
        countries.country_by_adjective(text)
        or countries.country_by_name(text)
        or countries.country_of_capital(text)
        or (seat[0] if (seat := countries.seat_of_power(text)) else None)
        or (org[0] if org else None)
    )


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
                best, best_len = (_key(phrase), sector), size
        if best_len:
            break
    return best


def _phrase(token: Token) -> str:
    """The entity mention a token belongs to, or the token itself."""
    if not token.ent_type_:
        return token.text
    doc = token.doc
    start = token.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = token.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return _THE.sub("", doc[start:end].text)


def _modifier_tokens(span: Span) -> list[Token]:
    root = span.root
    out: list[Token] = []
    for child in root.children:
        if child.i in range(span.start, span.end):
            continue
        if child.dep_ in _MODIFIER_DEPS:
            out.extend(t for t in child.subtree if not span.start <= t.i < span.end)
    # "the Kremlin spokesman, Dmitry Peskov": the name is the apposition of the title.
    if root.dep_ == "appos" and root.head.i < span.start:
        out.extend(t for t in root.head.subtree if t.i < span.start)
    return sorted(out, key=lambda t: t.i)


class ActorCoder:
    """Codes the actors of one parsed article; people keep what the article said about them."""

    def __init__(self, doc: Doc, article: Article) -> None:
        self.doc = doc
        self.article = article
        self._entity_at: dict[int, Entity] = {}
        self._span_of: dict[int, Span] = {}
        for index, entity in enumerate(article.entities):
            span = doc.char_span(entity.start, entity.end, alignment_mode="expand")
            if span is None:
                continue
            self._span_of[index] = span
            for token in span:
                self._entity_at[token.i] = entity
        self.people = self._describe_people()
        self.focus = self._country_focus()

    def _describe_people(self) -> dict[str, Description]:
        people: dict[str, Description] = {}
        for index, entity in enumerate(self.article.entities):
            if entity.label != "PERSON" or index not in self._span_of:
                continue
            description = describe_person(self._span_of[index])
            people.setdefault(entity.canonical, Description()).merge(description)
        return people

    def _country_focus(self) -> str | None:
        """The country the article is about, when one clearly dominates its mentions."""
        votes: Counter[str] = Counter()
        for entity in self.article.entities:
            if entity.label in {"GPE", "NORP"}:
                code = (
                    countries.country_by_name(entity.canonical)
                    or countries.country_by_adjective(entity.text)
                    or countries.country_of_capital(entity.canonical)
                )
                if code:
                    votes[code] += 1
        if not votes:
            return None
        (top, count), *rest = votes.most_common(2)
        runner_up = rest[0][1] if rest else 0
        return top if count >= 3 and count >= 1.5 * runner_up else None

    def entity_of(self, token: Token) -> Entity | None:
        return self._entity_at.get(token.i)

    def actor(self, token: Token, *, agent: bool = False) -> Actor | None:
        """The actor a noun (phrase head) refers to; ``agent`` when it acts (a subject)."""
        entity = self.entity_of(token)
        if entity is not None:
            return self._entity_actor(entity, token, agent=agent)
        if token.pos_ not in {"NOUN", "PROPN"}:
            return None
        return self._group_actor(token)

    def _entity_actor(self, entity: Entity, token: Token, *, agent: bool) -> Actor | None:
        if entity.label == "PERSON":
            desc = self.people.get(entity.canonical, Description())
            return _entity_code(entity, desc.code, desc.country, desc.sector)
        if entity.label in {"ORG", "FAC", "NORP", "GPE", "LOC"}:
            return self._named_actor(entity, token, agent=agent)
        return None

    def _named_actor(self, entity: Entity, token: Token, *, agent: bool) -> Actor | None:
        name = entity.canonical
        org = organisation(name) or organisation(entity.text)
        if org is not None:
            return _entity_code(entity, org[0], None, org[1])
        seat = countries.seat_of_power(name)
        if seat is not None:
            return _entity_code(entity, seat[0] + seat[1], seat[0], seat[1])
        if _key(name) in _WEST:
            return _entity_code(entity, "WST", None, None)
        country = countries.country_by_name(name) or countries.country_by_adjective(entity.text)
        if country is not None:
            return _entity_code(entity, country, country, None)
        capital = countries.country_of_capital(name)
        if capital is not None:
            # A capital that acts is its government; one that is visited stands for the country.
            sector = "GOV" if agent else None
            return _entity_code(entity, compose_code(capital, sector, None), capital, sector)
        if entity.label == "ORG":
            desc = describe_tokens(list(token.head.subtree) if token.dep_ == "compound" else [])
            words = name.split()
            org_sector = role_sector(words[-1]) if words else None
            return _entity_code(
                entity, compose_code(desc.country, org_sector, None), desc.country, org_sector
            )
        return None

    def _group_actor(self, token: Token) -> Actor | None:
        head_phrase = _head_phrase(token)
        sector = role_sector(head_phrase) or role_sector(token.lemma_) or role_sector(token.text)
        if sector is None:
            return self._member_actor(token)
        words = [t for t in token.subtree if t.i <= token.i] + _locative_objects(token)
        desc = describe_tokens(words)
        country = desc.country
        if (
            country is None
            and desc.org_code is None
            and sector in {"REB", "MIL", "GOV", "LEG", "COP", "CVL", "OPP"}
        ):
            country = self.focus
        span = self.doc[_np_start(token) : token.i + 1]
        return Actor(
            text=span.text,
            start=span.start_char,
            end=span.end_char,
            code=compose_code(country, sector, desc.org_code),
            name=None,
            country=country,
            sector=sector,
            affiliation=desc.affiliation,
        )

    def _member_actor(self, token: Token) -> Actor | None:
        """ "NATO allies", "EU members": a body's members act as the body."""
        if token.lemma_.lower() not in {"ally", "member", "partner", "state"}:
            return None
        for child in token.lefts:
            org = organisation(_phrase(child)) if child.dep_ in {"compound", "poss"} else None
            if org is not None:
                span = self.doc[_np_start(token) : token.i + 1]
                return Actor(
                    text=span.text, start=span.start_char, end=span.end_char,
                    code=org[0], sector=org[1],
                )  # fmt: skip
        return None

    def mentions(self) -> list[Actor]:
        """Every person, organisation and group mention of the article with its code."""
        found: list[Actor] = []
        seen: set[int] = set()
        for index, entity in enumerate(self.article.entities):
            span = self._span_of.get(index)
            if span is None or entity.label not in {"PERSON", "ORG", "NORP"}:
                continue
            if entity.text.lower().startswith(("pro-", "anti-")):
                continue  # "pro-EU" is a stance the tagger mistook for a name
            actor = self._entity_actor(entity, span.root, agent=False)
            if actor is not None:
                found.append(actor)
                seen.update(t.i for t in span)
        for token in self.doc:
            if token.i in seen or token.pos_ != "NOUN" or token.dep_ == "compound":
                continue
            actor = self._group_actor(token)
            if actor is not None and actor.sector in {
                "REB",
                "MIL",
                "COP",
                "LEG",
                "CVL",
                "OPP",
                "GOV",
            }:
                found.append(actor)
        return sorted(found, key=lambda a: a.start)


def _entity_code(
    entity: Entity, code: str | None, country: str | None, sector: str | None
) -> Actor:
    return Actor(
        text=entity.text,
        start=entity.start,
        end=entity.end,
        code=code,
        name=entity.canonical,
        country=country,
        sector=sector,
    )


def _head_phrase(token: Token) -> str:
    """The noun with its compound nouns: "armed forces", "riot police", "foreign minister"."""
    left = [c for c in token.lefts if c.dep_ in {"compound", "amod"} and c.i == token.i - 1]
    return " ".join([*(t.lower_ for t in left), token.lower_])


def _np_start(token: Token) -> int:
    start = token.i
    for child in token.lefts:
        if child.dep_ in {"det", "amod", "compound", "nummod", "poss", "nmod"}:
            start = min(start, child.left_edge.i)
    return start


def _locative_objects(token: Token) -> list[Token]:
    """ "rebels in Ukraine", "the parliament of Ukraine": the place that says whose they are."""
    out: list[Token] = []
    for child in token.rights:
        if child.dep_ == "prep" and child.lower_ in _LOCATIVE | {"of"}:
            out.extend(t for t in child.subtree if t.dep_ == "pobj" or t.ent_type_)
    return out
