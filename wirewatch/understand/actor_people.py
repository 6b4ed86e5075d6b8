"""People in an article coded as actors: what their own phrase says ("Ukrainian President Petro
Poroshenko": UKR + GOV), what earlier sentences said of them, and, for a person the article never
places, the dated officeholders base read against the article's date (never today's).

``PersonCoding`` is one part of ``actors.ActorCoder``; docs/actors.md and docs/officeholders.md.
"""

from __future__ import annotations

from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span, Token

from wirewatch.model import Actor, Article, Entity
from wirewatch.understand.actor_context import EarlierMentions, clause_country
from wirewatch.understand.actor_description import (
    Description,
    compose_code,
    describe_person,
    organisation,
    organisation_tables,
)
from wirewatch.understand.actor_phrase import Reading, read_phrase, title_before
from wirewatch.understand.officeholders import (
    Holding,
    former_country,
    holding_of,
    needs_tie,
    title_names_office,
)
from wirewatch.understand.roles import head_role, role_sector


class PersonCoding:
    """How ``ActorCoder`` codes a person's mention (and remembers a name the tagger missed)."""

    doc: Doc
    article: Article
    _span_of: dict[int, Span]
    _earlier: EarlierMentions
    _described: dict[int, tuple[Description, Reading]]
    _literal_places: dict[int, str]
    _date: date | None

    if TYPE_CHECKING:

        def _entity_span(self, token: Token) -> Span | None: ...
        def _sentence_index(self, token: Token) -> int: ...
        def _read(self, token: Token) -> Reading: ...
        def _locate(self, token: Token) -> str | None: ...

    @cached_property
    def people(self) -> dict[str, Description]:
        """What the whole article says about each person (for quotes' speakers); coding
        actors reads only the sentence and the ones before it."""
        return self._describe_people()

    def _describe_people(self) -> dict[str, Description]:
        people: dict[str, Description] = {}
        for index, entity in enumerate(self.article.entities):
            if entity.label != "PERSON" or index not in self._span_of:
                continue
            description = describe_person(self._span_of[index])
            people.setdefault(entity.canonical, Description()).merge(description)
        return people

    def _remembered_person(self, token: Token, context: int) -> Actor | None:
        """A name the tagger missed ("Abiy later spoke") that an earlier sentence gave to a
        person it described ("Ethiopian Prime Minister Abiy Ahmed")."""
        start = token.i
        while (
            start > 0
            and self.doc[start - 1].pos_ == "PROPN"
            and (self.doc[start - 1].head.i == token.i and self.doc[start - 1].dep_ == "compound")
        ):
            start -= 1
        span = self.doc[start : token.i + 1]
        text = span.text
        if self._earlier.first_said(text) >= self._sentence_index(token):
            return None
        country, sector = self._earlier.person(text, context)
        if country is None:
            return None
        return Actor(
            text=text, start=span.start_char, end=span.end_char,
            code=compose_code(country, sector, None), name=text,
            country=country, sector=sector,
        )  # fmt: skip

    def _own_description(self, span: Span) -> tuple[Description, Reading]:
        """What the person's own phrase says: title, body, country; with a title written just
        before the name ("the mayor of Nablus, Ghassan Shakaa")."""
        found = self._described.get(span.start)
        if found is None:
            found = self._described[span.start] = self._describe(span)
        return found

    def _describe(self, span: Span) -> tuple[Description, Reading]:
        desc = describe_person(span)
        reading = self._read(span.root)
        if desc.sector is None:
            # "Queen Rania", "President Bush": the tagger kept the title inside the name.
            for word in span[:-1]:
                if word.pos_ in {"PROPN", "NOUN"} and (sector := role_sector(word.text)):
                    desc.role, desc.sector = word.lower_, sector
                    break
        if desc.org_code is not None:
            org_sector = _org_sector(desc.org_code)
            desc.sector = org_sector or desc.sector
        elif reading.org_code is not None and not reading.countries:
            desc.org_code, desc.sector = reading.org_code, reading.org_sector or desc.sector
        title = title_before(span)
        if title is not None:
            role = head_role(title)
            if role is not None and desc.sector is None:
                desc.role, desc.sector = role
            before = read_phrase(title, self._locate, organisation)
            desc.merge(
                Description(
                    country=single(before.countries) or before.place,
                    org_code=before.org_code,
                )
            )
        return desc, reading

    def _person_actor(self, entity: Entity, token: Token, context: int) -> list[Actor]:
        span = self._entity_span(token)
        if span is None:
            return []
        desc, reading = self._own_description(span)
        country = desc.country or single(reading.countries) or reading.place
        sector = desc.sector
        if country is None or sector is None:
            said_country, said_sector = self._earlier.person(entity.canonical, context)
            country = country or said_country
            sector = sector or said_sector
        org_code = desc.org_code
        if org_code is None and (country is None or sector is None):
            held = office_held(entity.canonical, self._date)
            if held is not None and needs_tie(entity.canonical):
                # "Khan", "Yadav", "Goma" alone: only a title naming the office ties the name
                # to the officeholder (a full name earlier is already in ``canonical``)
                held = held if title_names_office(desc.role, held) else None
            if held is not None and held.role == "IGO_HEAD" and country is None:
                org_code, sector = held.country, sector or held.sector
            elif held is not None and held.role != "IGO_HEAD":
                country = country or held.country
                sector = sector or held.sector
        if country is None and org_code is None:
            country = clause_country(span.root, self._literal_places, sector, named=True)
        if (
            country is None
            and org_code is None
            and desc.sector
            and self._date is not None
            and not needs_tie(entity.canonical)
        ):
            # "former prime minister Andreas Papandreou": a title in the text, no office that
            # day, but only ever one country's officeholder: the country, never an office, is
            # taken from that (a bare surname is not enough: "Brown" is not Gordon Brown's)
            country = former_country(entity.canonical, self._date)
        code = org_code or compose_code(country, sector, None)
        return [entity_actor(entity, code, country, sector)]


def office_held(name: str, on: date | None) -> Holding | None:
    """The office the knowledge base says ``name`` held on ``on``: for an international body's
    head, ``country`` is the body's code.

    Read only for a person the article does not place, and only against the article's own
    date (never today's): ``wirewatch.understand.officeholders`` (docs/officeholders.md).
    """
    return None if on is None else holding_of(name, on)


def article_date(published: str | None) -> date | None:
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


def _org_sector(code: str) -> str | None:
    for entry in organisation_tables():
        for found, sector in entry.values():
            if found == code:
                return sector
    return None


def single(codes: list[str]) -> str | None:
    return codes[0] if len(codes) == 1 else None


def entity_actor(
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
