"""Actors: people, organisations, groups and countries coded CAMEO-style from the article itself.

A code is a country (ISO 3166 alpha-3) or an international body, followed by a sector:
``RUSGOV`` (Russia's government), ``UKRREB`` (rebels in Ukraine), ``IGOWSTNAT`` (NATO). People
are coded from what the sentence and the sentences before it say about them: "Ukrainian
President Petro Poroshenko" gives UKR + GOV, and every later "Poroshenko" carries it; only a
person the article does not place is looked up in the dated officeholders base, against the
article's date. Capitals and seats of power that act stand for their government ("Moscow has
denied", "the Kremlin said": RUSGOV). Qualifiers are kept: "pro-Russian separatists" are rebels
(REB) affiliated with RUS. How a phrase is read: ``actor_phrase.py``, ``actor_context.py``,
``actor_description.py``; docs/actors.md.

Data: ``wirewatch/data/organisations.json`` (international bodies and groups) and
``wirewatch/data/roles.json`` (titles and nouns to sectors); countries come from
``countries.py``. Unknown stays unknown: an actor nothing is said about has ``code=None``.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import replace
from datetime import date
from functools import cached_property

from spacy.tokens import Doc, Span, Token

from wirewatch.model import Actor, Article, Entity
from wirewatch.understand import countries
from wirewatch.understand.actor_context import EarlierMentions, clause_country
from wirewatch.understand.actor_description import (
    WEST,
    Description,
    compose_code,
    describe_person,
    name_key,
    noun_phrase,
    organisation,
    organisation_tables,
)
from wirewatch.understand.actor_phrase import (
    Reading,
    country_in_name,
    organisation_in,
    phrase_start,
    place_country,
    read_phrase,
    title_before,
)
from wirewatch.understand.officeholders import Holding, holding_of
from wirewatch.understand.regions import country_of_region
from wirewatch.understand.roles import head_role, role_sector


class ActorCoder:
    """Codes the actors of one parsed article.

    ``actors(token)`` gives every actor a noun phrase names ("US and British activists": USA
    activists and GBR activists); ``actor(token)`` the first of them. A phrase is coded from
    its own words first (``actor_phrase.py``), then from the places of its clause and from what
    earlier sentences said (``actor_context.py``), then, for a person the article never places,
    from the dated knowledge base of officeholders when one is installed. Nothing later in the
    article is read, and copies of a sentence are coded once: one sentence, one coding.
    """

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
        self._place_at, self._literal_places = self._index_places()
        self._sentences = list(doc.sents)
        self._sentence_starts = [s.start for s in self._sentences]
        self._first_copy = _first_copies(self._sentences)
        self._earlier = EarlierMentions()
        self._learned = -1
        self._coded: dict[tuple[int, int, bool], list[Actor]] = {}
        self._readings: dict[int, Reading] = {}
        self._roles: dict[int, tuple[str, str] | None] = {}
        self._described: dict[int, tuple[Description, Reading]] = {}
        self._date = _article_date(article.published)

    # -- what the article says -------------------------------------------------------------

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

    def _index_places(self) -> tuple[dict[int, str], dict[int, str]]:
        """Country of every token inside a resolved place; and of each literal place's head."""
        at: dict[int, str] = {}
        literal: dict[int, str] = {}
        for place in self.article.places:
            if place.country is None or place.feature == "continent":
                continue
            span = self.doc.char_span(place.start, place.end, alignment_mode="expand")
            if span is None:
                continue
            for token in span:
                at[token.i] = place.country
            if not place.metonymic:
                literal[span.root.i] = place.country
        for index, entity in enumerate(self.article.entities):
            span = self._span_of.get(index)
            if span is None or entity.label not in {"GPE", "LOC"} or span.root.i in at:
                continue
            region = country_of_region(entity.canonical) or country_of_region(entity.text)
            if region is not None:
                for token in span:
                    at[token.i] = region
                literal[span.root.i] = region
        return at, literal

    def _locate(self, token: Token) -> str | None:
        found = self._place_at.get(token.i)
        if found is not None:
            return found
        if token.ent_type_ in {"GPE", "LOC", "FAC"} or token.pos_ == "PROPN":
            return place_country(noun_phrase(token))
        return None

    def _sentence_index(self, token: Token) -> int:
        return bisect_right(self._sentence_starts, token.i) - 1

    def _context_index(self, token: Token) -> int:
        """The sentence whose context codes ``token``: the first copy of its sentence."""
        return self._first_copy[self._sentence_index(token)]

    def copies_of(self, token: Token) -> list[Token]:
        """The same token in every copy of its sentence in the article, itself included, in
        text order (a sentence without copies gives ``[token]``)."""
        sentence = self._sentence_index(token)
        context = self._first_copy[sentence]
        offset = token.i - self._sentences[sentence].start
        return [
            self.doc[self._sentences[index].start + offset]
            for index, first in enumerate(self._first_copy)
            if first == context
        ]

    def _learn_upto(self, upto: int) -> None:
        """Record what sentences up to ``upto`` say explicitly (each sentence once)."""
        while self._learned < upto:
            self._learned += 1
            self._learn(self._learned)

    def _learn(self, index: int) -> None:
        sent = self._sentences[index]
        for token in sent:
            entity = self._entity_at.get(token.i)
            if entity is not None:
                span = self._entity_span(token)
                if span is None or token.i != span.root.i:
                    continue
                if entity.label == "PERSON":
                    desc, reading = self._own_description(span)
                    country = desc.country or _single(reading.countries) or reading.place
                    self._earlier.person_said(
                        entity.canonical, index, country, desc.sector, desc.role
                    )
                elif entity.label in {"GPE", "NORP"}:
                    code = (
                        countries.country_by_name(entity.canonical)
                        or countries.country_by_adjective(entity.text)
                        or countries.country_of_capital(entity.canonical)
                    )
                    if code is not None:
                        self._earlier.vote(index, code)
                continue
            if token.pos_ != "NOUN" or token.dep_ == "compound":
                continue
            role = self._role(token)
            if role is None:
                continue
            reading = self._read(token)
            country = _single(reading.countries) or (
                reading.place if not reading.countries else None
            )
            if country is not None and reading.org_code is None:
                self._earlier.group_said(index, role[0], role[1], country)
        # Then what this sentence's groups were coded from context, for later sentences.
        for token in sent:
            if token.pos_ != "NOUN" or token.dep_ == "compound" or token.i in self._entity_at:
                continue
            role = self._role(token)
            if role is None:
                continue
            coded = self.actors(token)
            if len(coded) == 1 and coded[0].country is not None and coded[0].name is None:
                self._earlier.inferred(index, role[0], role[1], coded[0].country)

    def _entity_span(self, token: Token) -> Span | None:
        entity = self._entity_at.get(token.i)
        if entity is None:
            return None
        span = self.doc.char_span(entity.start, entity.end, alignment_mode="expand")
        return span

    # -- coding ----------------------------------------------------------------------------

    def entity_of(self, token: Token) -> Entity | None:
        return self._entity_at.get(token.i)

    def actor(self, token: Token, *, agent: bool = False) -> Actor | None:
        """The actor a noun (phrase head) refers to; ``agent`` when it acts (a subject)."""
        found = self.actors(token, agent=agent)
        return found[0] if found else None

    def actors(self, token: Token, *, agent: bool = False) -> list[Actor]:
        """Every actor a noun phrase names: one per country for "US and British activists"."""
        sentence = self._sentence_index(token)
        context = self._first_copy[sentence]
        offset = token.i - self._sentences[sentence].start
        key = (context, offset, agent)
        if key in self._coded:
            first = self._sentences[context]
            return [_moved(a, self._sentences[sentence], first) for a in self._coded[key]]
        self._learn_upto(context)
        found = self._code(token, context, agent=agent)
        if sentence == context:
            self._coded[key] = found
        return found

    def _code(self, token: Token, context: int, *, agent: bool) -> list[Actor]:
        entity = self.entity_of(token)
        if entity is not None:
            if entity.label == "PERSON":
                return self._person_actor(entity, token, context)
            if entity.label in {"ORG", "FAC", "NORP", "GPE", "LOC"}:
                found = self._named_actor(entity, token, context, agent=agent)
                if found is None and entity.label == "NORP" and token.pos_ in {"NOUN", "PROPN"}:
                    # "Iraqi Kurds": a people no table places, placed by its own modifiers
                    return self._stand_in_actors(token, context)
                return [found] if found is not None else []
            return []
        if token.pos_ == "VERB" and token.dep_ in _NOMINAL_DEPS and token.tag_ != "VBG":
            # "rejected a United Nations appeal": a noun the tagger took for a verb
            return self._stand_in_actors(token, context)
        if token.pos_ in _COUNT_POS:
            # "some of the rebels", "several of the Iranian diplomats", "two of the soldiers"
            return self._counted_actors(token, context)
        if token.pos_ not in {"NOUN", "PROPN"}:
            return []
        if token.pos_ == "PROPN":
            remembered = self._remembered_person(token, context)
            if remembered is not None:
                return [remembered]
            body = self._untagged_body(token)
            if body is not None:
                return [body]
        return self._group_actors(token, context)

    def _untagged_body(self, token: Token) -> Actor | None:
        """A body's name the tagger did not mark ("the pro-Iranian Hizbollah group", where it
        took "pro-Iranian" for the name): its proper-noun words looked up in the table."""
        start, floor = token.i, max(token.sent.start, token.i - _MAX_NAME_WORDS)
        while (
            start > floor
            and self.doc[start - 1].pos_ == "PROPN"
            and not self.doc[start - 1].ent_type_
        ):
            start -= 1
        for first in range(start, token.i + 1):
            span = self.doc[first : token.i + 1]
            found = organisation(span.text)
            if found is not None:
                return Actor(
                    text=span.text, start=span.start_char, end=span.end_char,
                    code=found[0], name=span.text, sector=found[1],
                )  # fmt: skip
        return None

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
        if self._earlier.first_said(span.text) >= self._sentence_index(token):
            return None
        country, sector = self._earlier.person(span.text, context)
        if country is None:
            return None
        return Actor(
            text=span.text, start=span.start_char, end=span.end_char,
            code=compose_code(country, sector, None), name=span.text,
            country=country, sector=sector,
        )  # fmt: skip

    def _read(self, token: Token) -> Reading:
        found = self._readings.get(token.i)
        if found is None:
            found = read_phrase(token, self._locate, organisation)
            if _bare(found) and self._shares_modifiers(token):
                # "Serbian soldiers and policemen": the demonym before the first noun is the
                # second's too, when both play the same role
                found = self._read(token.head)
            self._readings[token.i] = found
        return found

    def _shares_modifiers(self, token: Token) -> bool:
        head = token.head
        if token.dep_ != "conj" or head.i == token.i or head.pos_ not in {"NOUN", "PROPN"}:
            return False
        if any(c.dep_ in {"amod", "compound", "poss", "nmod", "det"} for c in token.lefts):
            return False
        own, first = self._role(token), self._role(head)
        return own is not None and first is not None and own[1] == first[1]

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
                    country=_single(before.countries) or before.place,
                    org_code=before.org_code,
                )
            )
        return desc, reading

    def _person_actor(self, entity: Entity, token: Token, context: int) -> list[Actor]:
        span = self._entity_span(token)
        if span is None:
            return []
        desc, reading = self._own_description(span)
        country = desc.country or _single(reading.countries) or reading.place
        sector = desc.sector
        if country is None or sector is None:
            said_country, said_sector = self._earlier.person(entity.canonical, context)
            country = country or said_country
            sector = sector or said_sector
        org_code = desc.org_code
        if org_code is None and (country is None or sector is None):
            held = office_held(entity.canonical, self._date)
            if held is not None and held.role == "IGO_HEAD" and country is None:
                org_code, sector = held.country, sector or held.sector
            elif held is not None and held.role != "IGO_HEAD":
                country = country or held.country
                sector = sector or held.sector
        if country is None and org_code is None:
            country = clause_country(span.root, self._literal_places, sector, named=True)
        code = org_code or compose_code(country, sector, None)
        return [_entity_code(entity, code, country, sector)]

    def _named_actor(
        self, entity: Entity, token: Token, context: int, *, agent: bool
    ) -> Actor | None:
        name = entity.canonical
        org = organisation(name) or organisation(entity.text)
        if org is None and entity.label == "ORG":
            org = organisation_in(name, organisation)
        if org is not None:
            return _entity_code(entity, org[0], None, org[1])
        seat = countries.seat_of_power(name)
        if seat is not None:
            return _entity_code(entity, seat[0] + seat[1], seat[0], seat[1])
        if name_key(name) in WEST:
            return _entity_code(entity, "WST", None, None)
        country = countries.country_by_name(name) or countries.country_by_adjective(entity.text)
        if country is not None:
            return _entity_code(entity, country, country, None)
        capital = countries.country_of_capital(name)
        if capital is not None:
            # A capital that acts is its government; one that is visited stands for the country.
            sector = "GOV" if agent else None
            return _entity_code(entity, compose_code(capital, sector, None), capital, sector)
        if entity.label in {"GPE", "LOC"}:
            region = self._place_at.get(token.i) or country_of_region(name)
            if region is not None:
                return _entity_code(entity, region, region, None)
        if entity.label == "ORG":
            head = token.head if token.dep_ == "compound" else token
            reading = read_phrase(head, self._locate, organisation)
            words = name.split()
            org_sector = role_sector(words[-1]) if words else None
            country = (
                _single(reading.countries)
                or reading.place
                or country_in_name(self._entity_span(token))
            )
            if country is None and org_sector is not None:
                country = clause_country(token, self._literal_places, org_sector, named=False)
            return _entity_code(
                entity, compose_code(country, org_sector, None), country, org_sector
            )
        return None

    def _role(self, token: Token) -> tuple[str, str] | None:
        if token.i not in self._roles:
            self._roles[token.i] = head_role(token)
        return self._roles[token.i]

    def _group_actors(self, token: Token, context: int) -> list[Actor]:
        role = self._role(token)
        if role is None:
            member = self._member_actor(token)
            return [member] if member is not None else self._stand_in_actors(token, context)
        title, sector = role
        reading = self._read(token)
        span = self.doc[phrase_start(token) : token.i + 1]
        if reading.org_code is not None and not reading.countries:
            return [_group(span, reading.org_code, None, sector, reading.affiliation)]
        if reading.seat_sector is not None and sector == "GOV":
            sector = reading.seat_sector  # "Pentagon officials" speak for the armed forces
        found = list(reading.countries)
        if not found and reading.place is not None:
            found = [reading.place]
        if not found:
            country = (
                self._earlier.title(title, context)
                or clause_country(token, self._literal_places, sector, named=False)
                or self._earlier.sector(sector, context)
            )
            if country is None and sector in _FOCUS_SECTORS:
                country = self._earlier.focus(context)
            found = [country] if country is not None else []
        if not found:
            return [_group(span, sector, None, sector, reading.affiliation)]
        return [
            _group(span, compose_code(c, sector, None), c, sector, reading.affiliation)
            for c in found
        ]

    def _stand_in_actors(self, token: Token, context: int) -> list[Actor]:
        """A noun that is no role but stands for the actors its own words name: "thousands of
        Iraqi Kurds" (the Kurds), "the APEC forum" (APEC), "Israeli army bulldozers" (Israel's
        military), "the Turkish and Greek sides" (TUR and GRC); a possessed noun is its possessor
        ("the Turkish army's incursion": the army). Only the phrase's modifiers count; a place
        it is "in" or "of" ("homes in Gaza") does not make it an actor."""
        counted = counted_of(token)
        if counted is not None:
            return self._code(counted, context, agent=True)
        for owner in (c for c in token.children if c.dep_ == "poss" and c.pos_ != "PRON"):
            # "the Turkish army's incursion" is the army's: coded at its own words, with its
            # sector, not as a country read off the whole phrase (an owner with no code leaves
            # the phrase to its modifiers: "bin Laden's al-Qaeda network")
            owned = self._code(owner, context, agent=True)
            if any(a.code for a in owned):
                return owned
        reading = self._read(token)
        if reading.org_code is None and not reading.countries:
            return []
        sector = next(
            (found[1] for c in token.lefts if c.dep_ == "compound" and (found := self._role(c))),
            None,
        )
        span = self.doc[phrase_start(token) : token.i + 1]
        if reading.org_code is not None and not reading.countries:
            return [_group(span, reading.org_code, None, reading.org_sector, reading.affiliation)]
        return [
            _group(span, compose_code(c, sector, None), c, sector, reading.affiliation)
            for c in reading.countries
        ]

    def _counted_actors(self, token: Token, context: int) -> list[Actor]:
        counted = counted_of(token)
        return self._code(counted, context, agent=True) if counted is not None else []

    def _member_actor(self, token: Token) -> Actor | None:
        """ "NATO allies", "EU members": a body's members act as the body."""
        if token.lemma_.lower() not in {"ally", "member", "partner", "state"}:
            return None
        for child in token.lefts:
            org = organisation(noun_phrase(child)) if child.dep_ in {"compound", "poss"} else None
            if org is not None:
                span = self.doc[phrase_start(token) : token.i + 1]
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
            found.extend(self.actors(span.root, agent=False))
            seen.update(t.i for t in span)
        for token in self.doc:
            if token.i in seen or token.pos_ not in {"NOUN", "PROPN"} or token.dep_ == "compound":
                continue
            if token.pos_ == "PROPN":
                found.extend(a for a in self.actors(token) if a.name is not None)
                continue
            if self._role(token) is None:
                continue  # a role-less noun's stand-in actors have no sector to list it by
            found.extend(a for a in self.actors(token) if a.sector in _MENTION_SECTORS)
        return sorted(found, key=lambda a: a.start)


# Heads that count the actors of their "of" phrase: "thousands of Iraqi Kurds", "some of the
# rebels", "a group of activists", "members of the banned MASSOB".
_QUANTITY_HEADS = frozenset(
    {
        "thousand", "thousands", "hundred", "hundreds", "dozen", "dozens", "million",
        "millions", "score", "scores", "ten", "tens", "number", "group", "band", "some",
        "many", "most", "several", "all", "both", "few", "majority", "minority", "section",
        "member", "members", "part", "batch", "contingent", "handful", "wave", "team",
    }
)  # fmt: skip
_MAX_NAME_WORDS = 8  # a body's name read back from its last word: at most this many words
_NOMINAL_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "obj", "pobj"})
# Parts of speech of a count that is no noun: "some" (PRON), "several" (ADJ), "two" (NUM).
_COUNT_POS = frozenset({"PRON", "DET", "ADJ", "NUM"})
_FOCUS_SECTORS = {"REB", "MIL", "GOV", "LEG", "COP", "CVL", "OPP"}
_MENTION_SECTORS = {"REB", "MIL", "COP", "LEG", "CVL", "OPP", "GOV", "JUD", "PTY"}


def _group(
    span: Span, code: str | None, country: str | None, sector: str | None, affiliation: str | None
) -> Actor:
    return Actor(
        text=span.text,
        start=span.start_char,
        end=span.end_char,
        code=code,
        name=None,
        country=country,
        sector=sector,
        affiliation=affiliation,
    )


def counted_of(token: Token) -> Token | None:
    """What a count or group word counts: the head of its "of" phrase ("thousands of Iraqi
    Kurds", "some of the rebels", "two of the soldiers"); None for any other word."""
    if token.lemma_.lower() not in _QUANTITY_HEADS and not token.like_num:
        return None
    for prep in (c for c in token.rights if c.dep_ == "prep" and c.lower_ == "of"):
        for obj in (c for c in prep.children if c.dep_ == "pobj"):
            return obj
    return None


def _bare(reading: Reading) -> bool:
    return not reading.countries and reading.org_code is None and reading.place is None


def _org_sector(code: str) -> str | None:
    for entry in organisation_tables():
        for found, sector in entry.values():
            if found == code:
                return sector
    return None


def _single(codes: list[str]) -> str | None:
    return codes[0] if len(codes) == 1 else None


def _first_copies(sentences: list[Span]) -> list[int]:
    """For each sentence, the index of the first sentence with the same words."""
    first: dict[str, int] = {}
    out: list[int] = []
    for index, sent in enumerate(sentences):
        key = sent.text.strip()
        out.append(first.setdefault(key, index))
    return out


def _moved(actor: Actor, to: Span, origin: Span) -> Actor:
    """An actor coded in one copy of a sentence, at its place in another copy."""
    shift = to.start_char - origin.start_char
    return replace(actor, start=actor.start + shift, end=actor.end + shift)


def office_held(name: str, on: date | None) -> Holding | None:
    """The office the knowledge base says ``name`` held on ``on``: for an international body's
    head, ``country`` is the body's code.

    Read only for a person the article does not place, and only against the article's own
    date (never today's): ``wirewatch.understand.officeholders`` (docs/officeholders.md).
    """
    return None if on is None else holding_of(name, on)


def _article_date(published: str | None) -> date | None:
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


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
