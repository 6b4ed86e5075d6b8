"""Actors: people, organisations, groups and countries coded CAMEO-style from the article itself.

A code is a country (ISO 3166 alpha-3) or an international body, followed by a sector:
``RUSGOV`` (Russia's government), ``UKRREB`` (rebels in Ukraine), ``IGOWSTNAT`` (NATO). People
are coded from what the sentence and the sentences before it say about them: "Ukrainian
President Petro Poroshenko" gives UKR + GOV, and every later "Poroshenko" carries it; only a
person the article does not place is looked up in the dated officeholders base, against the
article's date. Capitals and seats of power that act stand for their government ("Moscow has
denied", "the Kremlin said": RUSGOV). Qualifiers are kept: "pro-Russian separatists" are rebels
(REB) affiliated with RUS. How a phrase is read: ``actor_phrase.py``, ``actor_context.py``,
``actor_description.py``; a person's mention: ``actor_people.py``; a noun that is no role but
stands for actors ("thousands of Iraqi Kurds"): ``actor_stand_ins.py``; docs/actors.md.

Data: ``wirewatch/data/organisations.json`` (international bodies and groups) and
``wirewatch/data/roles.json`` (titles and nouns to sectors); countries come from
``countries.py``. Unknown stays unknown: an actor nothing is said about has ``code=None``.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import replace

from spacy.symbols import NOUN, PROPN
from spacy.tokens import Doc, Span, Token

from wirewatch.model import Actor, Article, Entity
from wirewatch.understand import countries
from wirewatch.understand.actor_context import EarlierMentions, clause_country
from wirewatch.understand.actor_description import (
    WEST,
    Description,
    compose_code,
    name_key,
    noun_phrase,
    organisation,
)
from wirewatch.understand.actor_people import PersonCoding, article_date, entity_actor, single
from wirewatch.understand.actor_phrase import (
    Reading,
    country_in_name,
    organisation_in,
    phrase_start,
    place_country,
    read_phrase,
)
from wirewatch.understand.actor_stand_ins import StandInCoding, counted_of, group_actor
from wirewatch.understand.parse_index import columns
from wirewatch.understand.regions import country_of_region
from wirewatch.understand.roles import head_role, role_sector

__all__ = ["ActorCoder", "counted_of"]


class ActorCoder(PersonCoding, StandInCoding):
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
        self._entity_index_at: dict[int, int] = {}
        self._span_of: dict[int, Span] = {}
        for index, entity in enumerate(article.entities):
            span = doc.char_span(entity.start, entity.end, alignment_mode="expand")
            if span is None:
                continue
            self._span_of[index] = span
            for i in range(span.start, span.end):
                self._entity_at[i] = entity
                self._entity_index_at[i] = index
        # The head words of names, and the nouns that head a phrase (not "army" in "army
        # bulldozers"): the only words the article's memory and its mentions read.
        self._entity_roots = {
            root
            for index, span in self._span_of.items()
            if self._entity_index_at[root := span.root.i] == index
        }
        self._heads = _phrase_heads(doc)
        self._place_at, self._literal_places = self._index_places()
        self._sentences = list(doc.sents)
        self._sentence_starts = [s.start for s in self._sentences]
        self._first_copy = _first_copies(article.text, self._sentences)  # the parse's own text
        self._earlier = EarlierMentions()
        self._learned = -1
        self._coded: dict[tuple[int, int, bool], list[Actor]] = {}
        self._readings: dict[int, Reading] = {}
        self._roles: dict[int, tuple[str, str] | None] = {}
        self._described: dict[int, tuple[Description, Reading]] = {}
        self._date = article_date(article.published)

    # -- what the article says -------------------------------------------------------------

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
        heads = self._heads
        nouns = [
            i
            for i in range(sent.start, sent.end)
            if heads.get(i) is True and i not in self._entity_at
        ]
        roots = sorted(i for i in self._entity_roots if sent.start <= i < sent.end)
        for token in (self.doc[i] for i in sorted((*roots, *nouns))):
            entity = self._entity_at.get(token.i)
            if entity is not None:
                span = self._entity_span(token)
                if span is None:
                    continue
                if entity.label == "PERSON":
                    desc, reading = self._own_description(span)
                    country = desc.country or single(reading.countries) or reading.place
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
            role = self._role(token)
            if role is None:
                continue
            reading = self._read(token)
            country = single(reading.countries) or (
                reading.place if not reading.countries else None
            )
            if country is not None and reading.org_code is None:
                self._earlier.group_said(index, role[0], role[1], country)
        # Then what this sentence's groups were coded from context, for later sentences.
        for token in (self.doc[i] for i in nouns):
            role = self._role(token)
            if role is None:
                continue
            coded = self.actors(token)
            if len(coded) == 1 and coded[0].country is not None and coded[0].name is None:
                self._earlier.inferred(index, role[0], role[1], coded[0].country)

    def _entity_span(self, token: Token) -> Span | None:
        index = self._entity_index_at.get(token.i)
        return None if index is None else self._span_of[index]

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
        # Whether the phrase acts changes only a name's coding (a capital that acts is its
        # government): other phrases share one entry for both uses.
        key = (context, offset, agent and token.i in self._entity_at)
        if key in self._coded:
            if sentence == context:
                return list(self._coded[key])
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

    def _named_actor(
        self, entity: Entity, token: Token, context: int, *, agent: bool
    ) -> Actor | None:
        name = entity.canonical
        org = organisation(name) or organisation(entity.text)
        if org is None and entity.label == "ORG":
            org = organisation_in(name, organisation)
        if org is not None:
            return entity_actor(entity, org[0], None, org[1])
        seat = countries.seat_of_power(name)
        if seat is not None:
            return entity_actor(entity, seat[0] + seat[1], seat[0], seat[1])
        if name_key(name) in WEST:
            return entity_actor(entity, "WST", None, None)
        country = countries.country_by_name(name) or countries.country_by_adjective(entity.text)
        if country is not None:
            return entity_actor(entity, country, country, None)
        capital = countries.country_of_capital(name)
        if capital is not None:
            # A capital that acts is its government; one that is visited stands for the country.
            sector = "GOV" if agent else None
            return entity_actor(entity, compose_code(capital, sector, None), capital, sector)
        if entity.label in {"GPE", "LOC"}:
            region = self._place_at.get(token.i) or country_of_region(name)
            if region is not None:
                return entity_actor(entity, region, region, None)
        if entity.label == "ORG":
            head = token.head if token.dep_ == "compound" else token
            reading = read_phrase(head, self._locate, organisation)
            words = name.split()
            org_sector = role_sector(words[-1]) if words else None
            country = (
                single(reading.countries)
                or reading.place
                or country_in_name(self._entity_span(token))
            )
            if country is None and org_sector is not None:
                country = clause_country(token, self._literal_places, org_sector, named=False)
            return entity_actor(
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
            return [group_actor(span, reading.org_code, None, sector, reading.affiliation)]
        if reading.seat_sector is not None and sector == "GOV":
            sector = reading.seat_sector  # "Pentagon officials" speak for the armed forces
        found = list(reading.countries)
        if title in AWAY_FROM_HOME or title.split()[-1] in AWAY_FROM_HOME:
            # "Jewish settlers in the West Bank", "refugees in Lebanon": where such people are
            # is not where they are from; only their own demonym ("Israeli settlers"), a "from"
            # place ("refugees from Syria") or an earlier mention of them says it
            if not found:
                origin = self._origin(token) or self._earlier.title(title, context)
                found = [origin] if origin is not None else []
            if not found:
                return [group_actor(span, sector, None, sector, reading.affiliation)]
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
            return [group_actor(span, sector, None, sector, reading.affiliation)]
        return [
            group_actor(span, compose_code(c, sector, None), c, sector, reading.affiliation)
            for c in found
        ]

    def _origin(self, token: Token) -> str | None:
        """The country of a "from" place of the phrase: "refugees from Syria"."""
        found = {
            country
            for child in token.rights
            if child.dep_ == "prep" and child.lower_ == "from"
            for obj in child.children
            if obj.dep_ == "pobj" and (country := self._locate(obj)) is not None
        }
        return found.pop() if len(found) == 1 else None

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
        for i, is_noun in self._heads.items():
            if i in seen:
                continue
            token = self.doc[i]
            if not is_noun:
                found.extend(a for a in self.actors(token) if a.name is not None)
                continue
            if self._role(token) is None:
                continue  # a role-less noun's stand-in actors have no sector to list it by
            found.extend(a for a in self.actors(token) if a.sector in _MENTION_SECTORS)
        return sorted(found, key=lambda a: a.start)


# People who are, by what they are called, away from their own country: the place they are in
# ("settlers in the West Bank", "tourists in Egypt") does not give their country.
AWAY_FROM_HOME = frozenset(
    {
        "settler", "refugee", "migrant", "immigrant", "emigrant", "expatriate", "expat",
        "exile", "tourist", "foreigner", "asylum seeker",
    }
)  # fmt: skip

_NOMINAL_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "obj", "pobj"})
# Parts of speech of a count that is no noun: "some" (PRON), "several" (ADJ), "two" (NUM).
_COUNT_POS = frozenset({"PRON", "DET", "ADJ", "NUM"})
_FOCUS_SECTORS = {"REB", "MIL", "GOV", "LEG", "COP", "CVL", "OPP"}
_MENTION_SECTORS = {"REB", "MIL", "COP", "LEG", "CVL", "OPP", "GOV", "JUD", "PTY"}


def _bare(reading: Reading) -> bool:
    return not reading.countries and reading.org_code is None and reading.place is None


def _first_copies(text: str, sentences: list[Span]) -> list[int]:
    """For each sentence, the index of the first sentence with the same words."""
    first: dict[str, int] = {}
    out: list[int] = []
    for index, sent in enumerate(sentences):
        key = text[sent.start_char : sent.end_char].strip()
        out.append(first.setdefault(key, index))
    return out


def _phrase_heads(doc: Doc) -> dict[int, bool]:
    """The nouns (True) and proper nouns (False) of a parse that are not compound modifiers,
    by token index in text order."""
    pos, dep, _ = columns(doc)  # read from the arrays: no Token objects
    compound = doc.vocab.strings["compound"]
    return {
        i: p == NOUN
        for i, (p, d) in enumerate(zip(pos, dep, strict=True))
        if p in (NOUN, PROPN) and d != compound
    }


def _moved(actor: Actor, to: Span, origin: Span) -> Actor:
    """An actor coded in one copy of a sentence, at its place in another copy."""
    shift = to.start_char - origin.start_char
    return replace(actor, start=actor.start + shift, end=actor.end + shift)
