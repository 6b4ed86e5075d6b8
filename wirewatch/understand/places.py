"""Place mentions resolved offline to a gazetteer entry, and told apart from places that act.

The gazetteer (``gazetteer.py``; sources in docs/places.md) holds countries, first- and
second-level divisions, every populated place of 1,000 people or more, continents, regions,
seas, oceans, rivers and mountain ranges, each with a point. The mentions (``place_mentions``)
are spaCy's place entities, demonyms and adjectives ("Turkish", "African") and the dateline.

A mention resolves in this order:

- A country name, short form or abbreviation ("Ukraine", "the U.S.", "DPRK") or demonym is the
  country; a division of the same name ("Georgia") competes on the evidence below.
- "Manchester, N.H.", "Paris, France": the place after the comma keeps only the candidates
  inside it (unless none is: "Kiev, Moscow and Minsk" is a list), for every mention of that
  name in the article.
- Otherwise every place of that name is scored in orders of magnitude of population (a capital
  counts ten times its size, a region or sea like a large city, a county less than a town of
  its name), plus the article's evidence: how much of the rest of the article lies in its
  country, in its first-level division and in its second-level division, how sure it is of
  places within 161 km (a town across a state line), the dateline's place counting double,
  and the site's country (from its country-code domain) when known. The evidence is weighed
  twice, each name's reading informing the others' ("Alexandria" next to "Rapides Parish" is
  the Louisiana town). Each name is read once per article.
- When the best two readings are more than 161 km apart and too close to call, the mention is
  left unresolved: unknown stays unknown.

A place is ``metonymic`` when it stands for its government or people as an agent
(``metonymy.py``: "Moscow has denied"), rather than being where something happened.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from spacy.tokens import Doc

from wirewatch.model import Article, Place
from wirewatch.understand import countries
from wirewatch.understand.countries import name_key
from wirewatch.understand.gazetteer import Entry, Gazetteer, gazetteer
from wirewatch.understand.metonymy import is_metonymic
from wirewatch.understand.place_mentions import Mention, place_mentions

__all__ = ["literal_places_in_sentence", "resolve_places", "site_country"]

# Weights, in orders of magnitude of population.
_CAPITAL_BONUS = 1.0
_ADMIN1_OFFSET = -0.7  # a state is named less often than a city of its size
_ADMIN2_OFFSET = -1.0  # a county far less
_COUNTRY_PRIOR = 10.0  # a country name is the country unless the article says otherwise
_AREA_PRIOR = 8.0  # a continent, region, sea, river or range named in news is that one
_MIN_MAGNITUDE = 3.0
_COUNTRY_VOTE, _MAX_COUNTRY_VOTES = 1.0, 5.0
_ADMIN1_VOTE, _MAX_ADMIN1_VOTES = 3.5, 2.0
_ADMIN2_VOTE, _MAX_ADMIN2_VOTES = 1.0, 2.0
# Towns and counties within 161 km of the places the article is sure of ("Fargo" beside
# Moorhead, across a state line).
_NEAR_VOTE, _MAX_NEAR_VOTES = 1.0, 2.0
_SURE = 0.5
_DATELINE_WEIGHT = 2.0  # the dateline's place votes like two mentions
_SITE_COUNTRY = 1.5
_ROUNDS = 2
# Below this lead (a factor of about three) two readings far apart are too close to call.
_MARGIN = 0.5
_NEAR_KM = 161.0
_SAME_AREA_KM = 500.0
# A city named like the division it lies in ("New York") is the city when it holds this share
# of the division's people; else the division ("Quebec").
_CITY_OF_DIVISION_SHARE = 0.3
_MAX_CANDIDATES = 60
_OTHER_SPELLING = 1.5
_COUNTRY_OVER_DIVISION = 0.3
# An organisation's name is read as a place only with this much of the article in its division,
# or when it is a city this large in a country the article names.
_WEAK_SUPPORT = 0.5
_WEAK_CITY = 100_000
_AREA_FEATURES = frozenset(
    {"continent", "region", "peninsula", "sea", "ocean", "river", "mountains"}
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


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
_STATE_AFTER = re.compile(r" state\b")
# Country-code domains that sites use for their letters, not their country.
_VANITY_DOMAINS = _words("ai am cc co fm gg io la ly me nu to tv vc ws")


def resolve_places(doc: Doc, article: Article) -> list[Place]:
    """The article's place mentions that resolve to a gazetteer entry, in text order.

    ``doc`` is the spaCy parse of ``article.text``; ``article.entities`` must already be set.
    Mentions that resolve to nothing, or to two far-apart places equally well, are left out.

    In "Stoltenberg spoke in Kiev. Moscow has denied backing the rebels." the places are
    ``Place(name="Kyiv", geonameid=703448, feature="capital", metonymic=False, ...)`` and
    ``Place(name="Moscow", geonameid=524901, country="RUS", metonymic=True, ...)``.
    """
    gaz = gazetteer()
    mentions = place_mentions(article, gaz)
    readings = _Readings(article, mentions, gaz)
    chosen = readings.resolve()
    places: list[Place] = []
    for mention in mentions:
        entry = chosen.get(readings.key_of(mention))
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
                metonymic=mention.kind in ("name", "weak")
                and is_metonymic(doc, mention.start, mention.end),
                sentence=mention.sentence,
            )
        )
    return places


def literal_places_in_sentence(places: Iterable[Place], sentence_index: int) -> list[Place]:
    """The places of one sentence that are locations, not governments or peoples that act."""
    return [p for p in places if p.sentence == sentence_index and not p.metonymic]


_WORD_BEFORE = re.compile(r"([\w.]+)[ \t]+$")
_WORD_AFTER = re.compile(r"^[ \t]+(\w+)")


def _widened_country(text: str, start: int, end: int, name: str) -> str | None:
    """The country a name several countries bear names with the word before or after it
    ("DR Congo", "Congo Republic"), or None."""
    before = _WORD_BEFORE.search(text, max(0, start - 24), start)
    after = _WORD_AFTER.match(text[end : end + 24])
    for widened in (
        f"{before.group(1)} {name}" if before else None,
        f"{name} {after.group(1)}" if after else None,
    ):
        if widened is not None:
            found = countries.country_by_name(widened)
            if found is not None:
                return found
    return None


def site_country(article: Article) -> str | None:
    """ISO alpha-3 of the country of the site's country-code domain ("bbc.co.uk"), or None
    (".com", or a domain sites use for its letters, ".tv")."""
    host = article.site or (urlsplit(article.url).hostname if article.url else None)
    if not host:
        return None
    if "/" in host:
        host = urlsplit(host if "//" in host else f"//{host}").hostname or ""
    label = host.rstrip(".").rsplit(".", 1)[-1].lower()
    if len(label) != 2 or label in _VANITY_DOMAINS:
        return None
    return countries.iso3_from_iso2("GB" if label == "uk" else label.upper())


# -- weighing the readings --------------------------------------------------------------------


@dataclass(slots=True)
class _Name:
    """One name of the article (all its mentions) and the places it may be."""

    candidates: list[Entry]
    weight: float  # how much this name's reading counts as evidence for the others
    priors: list[float]
    inside: tuple[str | None, str | None] | None = None  # the qualifier's (country, admin1)
    strong: bool = False  # named as a place at least once, not only as an organisation
    # Another spelling of a place, discounted unless the article names its country.
    discounted: frozenset[int] = frozenset()
    # A country's name that a division shares ("Georgia"): the better reading wins, however
    # narrowly, since both are read far more often than they are confused.
    decisive: bool = False


@dataclass(slots=True)
class _Evidence:
    """How much each name's reading puts in each area ("c:USA", "1:US.NH", "2:4338356")."""

    by_name: dict[str, dict[str, float]]
    total: dict[str, float]
    # Each name's likeliest reading when it is fairly sure: (key, lat, lon, share).
    points: list[tuple[str, float, float, float]] = field(default_factory=list)

    def nearby(self, entry: Entry, key: str) -> float:
        """How sure the other names are of readings within 161 km of ``entry``."""
        if entry.lat is None or entry.lon is None:
            return 0.0
        return sum(
            share
            for other, lat, lon, share in self.points
            if other != key and distance_km(entry.lat, entry.lon, lat, lon) <= _NEAR_KM
        )

    def others(self, area: str, key: str) -> float:
        """What the names other than ``key`` put in ``area`` (never below 0 from rounding)."""
        own = self.by_name.get(key)
        return max(round(self.total.get(area, 0.0) - (own.get(area, 0.0) if own else 0.0), 9), 0.0)


class _Readings:
    def __init__(self, article: Article, mentions: list[Mention], gaz: Gazetteer) -> None:
        self.gaz = gaz
        self.text = article.text
        self.site = site_country(article)
        self.names: dict[str, _Name] = {}
        self.extra_votes: Counter[str] = Counter()  # countries named by seats of power
        for entity in article.entities:
            if entity.label == "ORG":
                seat = countries.seat_of_power(entity.text)
                if seat is not None:
                    self.extra_votes[seat[0]] += 1
        for mention in mentions:
            key = self.key_of(mention)
            name = self.names.get(key)
            if name is None:
                name = self._candidates(mention)
                self.names[key] = name
            weight = {"dateline": _DATELINE_WEIGHT, "weak": 0.0}.get(mention.kind, 1.0)
            name.weight = max(name.weight, weight)
            name.strong = name.strong or mention.kind != "weak"
            if mention.qualifier and name.inside is None:
                name.inside = self._qualifier_area(mention.qualifier)

    @staticmethod
    def key_of(mention: Mention) -> str:
        prefix = "adj:" if mention.kind == "adjective" else ""
        return prefix + name_key(mention.name)

    def resolve(self) -> dict[str, Entry | None]:
        for name in self.names.values():
            if name.inside is not None:
                inside = [e for e in name.candidates if _within(e, name.inside)]
                if inside:
                    name.priors = [
                        p for e, p in zip(name.candidates, name.priors, strict=True) if e in inside
                    ]
                    name.candidates = inside
        scores = {key: list(name.priors) for key, name in self.names.items()}
        for _ in range(_ROUNDS):
            evidence = self._evidence(scores)
            scores = {
                key: [
                    prior + self._support(entry, key, evidence)
                    for entry, prior in zip(name.candidates, name.priors, strict=True)
                ]
                for key, name in self.names.items()
            }
        evidence = self._evidence(scores)
        chosen: dict[str, Entry | None] = {}
        for key, name in self.names.items():
            entry = _choose(name.candidates, scores[key], name.decisive)
            if entry is not None and not name.strong and not self._placed(entry, key, evidence):
                entry = None
            chosen[key] = entry
        return chosen

    def _placed(self, entry: Entry, key: str, evidence: _Evidence) -> bool:
        """Whether the rest of the article puts an organisation's name at ``entry``: in a
        division the article names, or a city of 100,000 in a country it names."""
        admin1 = evidence.others("1:" + (entry.admin1 or ""), key)
        country = evidence.others("c:" + (entry.country or ""), key)
        if entry.admin1 and admin1 >= _WEAK_SUPPORT:
            return True
        return entry.population >= _WEAK_CITY and country >= 1.0

    def _candidates(self, mention: Mention) -> _Name:
        """The places a mention may name, with their prior scores, largest first."""
        gaz = self.gaz
        if mention.kind == "adjective":
            iso3 = countries.country_by_adjective(mention.text)
            if iso3 is not None:
                country = gaz.country(iso3)
                return _named([country] if country else [])
            return _named(gaz.lookup_adjective(mention.text))
        name = mention.name
        if _STATE_AFTER.match(self.text, mention.end):
            # "Washington state" is the state, not the capital.
            states = [e for e in gaz.lookup(name) if e.feature == "admin1"]
            if states:
                return _named(states)
        if name_key(name) in _GENERIC_WORDS:
            return _named([])
        canonical = mention.canonical or name
        iso3 = countries.country_by_name(name) or countries.country_by_name(canonical)
        if iso3 is not None:
            return self._country_or_namesakes(iso3, name)
        if countries.names_several(name) or countries.names_several(canonical):
            # "Congo" is either Congo (unknown), never the town in Brazil; "DR Congo", which
            # the tagger marks as "Congo", names one by the word beside it
            iso3 = _widened_country(self.text, mention.start, mention.end, name)
            country = gaz.country(iso3) if iso3 is not None else None
            return _named([country] if country is not None else [])
        named = gaz.lookup_names(name) or gaz.lookup_names(canonical)
        if not named and self.text.startswith(".", mention.end):
            named = gaz.lookup_names(mention.text + ".")  # "Calif" tagged without its stop
        mains = [e for e, main in named if main]
        largest = max((e.population for e in mains), default=-1)
        # Another spelling ("Kiev") competes with places of that very name only when it is
        # larger than all of them, and at a discount unless the article names its country:
        # translations and old names of far-off places ("Salisbury" for Harare) are rarely
        # what English news means.
        others = [e for e, main in named if not main and e.population > largest]
        candidates = sorted([*mains, *others], key=lambda e: -e.population)[:_MAX_CANDIDATES]
        # A region written for wirewatch ("Tibet") that GeoNames has as a division: the division.
        divisions = [e for e in mains if e.feature in ("admin1", "admin2")]
        candidates = [
            e
            for e in candidates
            if not (e.geonameid is None and any(_near(e, d, _SAME_AREA_KM) for d in divisions))
        ]
        discounted = frozenset(e.index for e in others) if mains else frozenset()
        priors = [
            _prior(e) - (_OTHER_SPELLING if e.index in discounted else 0.0) for e in candidates
        ]
        return _Name(candidates, 0.0, priors, discounted=discounted)

    def _country_or_namesakes(self, iso3: str, name: str) -> _Name:
        """A country's name: the country, unless the article puts a division ("Georgia") or a
        town ("Lebanon", Tennessee) of that name in its story. The better reading wins however
        narrowly: each is read far more often than the two are confused."""
        gaz = self.gaz
        country = gaz.country(iso3)
        namesakes = [
            e for e, main in gaz.lookup_names(name) if main and e.feature in ("admin1", "city")
        ][:_MAX_CANDIDATES]
        if country is None or not namesakes:
            return _named([country] if country else namesakes)
        priors = [_prior(e) for e in namesakes]
        divisions = [p for e, p in zip(namesakes, priors, strict=True) if e.feature == "admin1"]
        first = max(divisions) + _COUNTRY_OVER_DIVISION if divisions else _COUNTRY_PRIOR
        return _Name([country, *namesakes], 0.0, [first, *priors], decisive=True)

    def _qualifier_area(self, qualifier: str) -> tuple[str | None, str | None] | None:
        iso3 = countries.country_by_name(qualifier)
        if iso3 is not None:
            return (iso3, None)
        for entry in [*self.gaz.lookup_qualifier(qualifier), *self.gaz.lookup(qualifier)]:
            if entry.feature == "admin1":
                return (entry.country, entry.admin1)
            if entry.feature == "country":
                return (entry.country, None)
        return None

    def _evidence(self, scores: dict[str, list[float]]) -> _Evidence:
        """For each name, how much its reading puts in each country, admin1 and admin2."""
        evidence = _Evidence({}, defaultdict(float))
        for key, name in self.names.items():
            mass: dict[str, float] = defaultdict(float)
            for entry, share in zip(name.candidates, _shares(scores[key]), strict=True):
                share *= name.weight
                if entry.country:
                    mass["c:" + entry.country] += share
                if entry.admin1:
                    mass["1:" + entry.admin1] += share
                if entry.admin2:
                    mass["2:" + str(entry.admin2)] += share
            evidence.by_name[key] = mass
            shares = _shares(scores[key])
            if shares and name.weight:
                best = max(range(len(shares)), key=shares.__getitem__)
                top = name.candidates[best]
                if (
                    shares[best] >= _SURE
                    and top.lat is not None
                    and top.lon is not None
                    and top.feature in ("city", "capital", "admin2")
                ):
                    evidence.points.append((key, top.lat, top.lon, shares[best] * name.weight))
            for area, share in mass.items():
                evidence.total[area] += share
        return evidence

    def _support(self, entry: Entry, key: str, evidence: _Evidence) -> float:
        country = evidence.others("c:" + entry.country, key) if entry.country else 0.0
        admin1 = evidence.others("1:" + entry.admin1, key) if entry.admin1 else 0.0
        admin2 = evidence.others("2:" + str(entry.admin2), key) if entry.admin2 else 0.0
        if entry.country:
            country += self.extra_votes[entry.country]
        score = _COUNTRY_VOTE * min(country, _MAX_COUNTRY_VOTES)
        if entry.feature in ("city", "capital", "admin2"):
            score += _NEAR_VOTE * min(evidence.nearby(entry, key), _MAX_NEAR_VOTES)
        score += _ADMIN1_VOTE * min(admin1, _MAX_ADMIN1_VOTES)
        score += _ADMIN2_VOTE * min(admin2, _MAX_ADMIN2_VOTES)
        if self.site is not None and entry.country == self.site:
            score += _SITE_COUNTRY
        if entry.index in self.names[key].discounted and country >= 1.0:
            score += _OTHER_SPELLING
        return score


def _named(entries: list[Entry]) -> _Name:
    return _Name(entries, 0.0, [_prior(e) for e in entries])


def _prior(entry: Entry) -> float:
    feature = entry.feature
    if feature == "country":
        return _COUNTRY_PRIOR
    if feature in _AREA_FEATURES:
        return _AREA_PRIOR
    magnitude = max(math.log10(max(entry.population, 1)), _MIN_MAGNITUDE)
    if feature == "capital":
        return magnitude + _CAPITAL_BONUS
    if feature == "admin1":
        return magnitude + _ADMIN1_OFFSET
    if feature == "admin2":
        return magnitude + _ADMIN2_OFFSET
    return magnitude


def _shares(scores: list[float]) -> list[float]:
    """Each reading's share of belief: scores are orders of magnitude, so 10 ** score."""
    if not scores:
        return []
    top = max(scores)
    weights = [10 ** (score - top) for score in scores]
    total = sum(weights)
    return [w / total for w in weights]


def _within(entry: Entry, area: tuple[str | None, str | None]) -> bool:
    country, admin1 = area
    if entry.country != country:
        return False
    return admin1 is None or entry.admin1 == admin1


def _choose(candidates: list[Entry], scores: list[float], decisive: bool) -> Entry | None:
    if not candidates:
        return None
    if decisive:
        return max(zip(scores, candidates, strict=True), key=lambda pair: pair[0])[1]
    ranked = sorted(zip(scores, range(len(candidates)), strict=True), reverse=True)
    best_score, best_index = ranked[0]
    best = candidates[best_index]
    best = _city_named_like_its_division(best, candidates)
    for score, index in ranked[1:]:
        if best_score - score >= _MARGIN:
            break
        rival = candidates[index]
        if rival is best or _near(best, rival) or _same_division_city(best, rival):
            continue
        return None  # too close to call
    return best


def _city_named_like_its_division(best: Entry, candidates: list[Entry]) -> Entry:
    """ "New York": the city rather than the state, when the city holds a good share of it."""
    if best.feature not in ("admin1", "admin2"):
        return best
    for entry in candidates:
        if (
            entry.feature in ("city", "capital")
            and _same_division_city(entry, best)
            and entry.population >= _CITY_OF_DIVISION_SHARE * best.population
        ):
            return entry
    return best


def _same_division_city(a: Entry, b: Entry) -> bool:
    """Whether one is a city and the other the division it lies in."""
    city, division = (a, b) if a.feature in ("city", "capital") else (b, a)
    if city.feature not in ("city", "capital") or city.country != division.country:
        return False
    if division.feature == "admin1":
        return city.admin1 == division.admin1
    if division.feature == "admin2":
        return city.admin2 == division.admin2
    return False


def _near(a: Entry, b: Entry, within_km: float = _NEAR_KM) -> bool:
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return False
    return distance_km(a.lat, a.lon, b.lat, b.lon) <= within_km


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))
