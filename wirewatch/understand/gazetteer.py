"""The offline gazetteer: every place ``places.py`` can resolve a name to, loaded once.

``wirewatch/data/gazetteer.tsv.gz`` is built by ``scripts/make_gazetteer.py`` from GeoNames
data shipped in PyPI packages and from ``places_extra.json`` (see docs/places.md): countries,
first- and second-level divisions, every populated place of 1,000 people or more, continents,
regions, seas, oceans, rivers and mountain ranges, each with a point and a feature type.

The table is held column by column (typed arrays, interned strings) with one name index, so
about 230,000 places cost tens of megabytes rather than a Python object each; ``Entry``
objects are made only for the candidates a name brings up.

>>> g = gazetteer(); [e.name for e in g.lookup("Calif.")]
['California']
"""

from __future__ import annotations

import gc
import gzip
import math
import sys
from array import array
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from wirewatch.understand.countries import name_key

__all__ = ["FEATURES", "Entry", "Gazetteer", "gazetteer"]

# What kind of place an entry is. Populated places are "capital" (a national capital) or
# "city"; divisions "admin1" (a state, province) or "admin2" (a county, district).
FEATURES = (
    "country",
    "capital",
    "city",
    "admin1",
    "admin2",
    "continent",
    "region",
    "peninsula",
    "sea",
    "ocean",
    "river",
    "mountains",
)
_FEATURE_INDEX = {name: i for i, name in enumerate(FEATURES)}
_NONE = -1
_ADMIN1 = _FEATURE_INDEX["admin1"]


@dataclass(frozen=True, slots=True)
class Entry:
    """One gazetteer place. ``admin1`` is the GeoNames code of its first-level division
    ("US.NH"), ``admin2`` the GeoNames id of its second-level one; ``lat``/``lon`` None only
    where no source gives a point."""

    index: int
    geonameid: int | None
    name: str
    feature: str
    country: str | None
    admin1: str | None
    admin2: int | None
    lat: float | None
    lon: float | None
    population: int


class Gazetteer:
    """The places as columns, with indexes from ``name_key`` of every name to row numbers."""

    def __init__(self) -> None:
        self._ids = array("q")
        self._names: list[str] = []
        self._features = array("B")
        self._countries: list[str] = []
        self._admin1: list[str] = []
        self._admin2 = array("q")
        self._lat = array("f")
        self._lon = array("f")
        self._population = array("q")
        # name key -> row, or tuple of rows (most names have one place).
        self._by_name: dict[str, int | tuple[int, ...]] = {}
        self._by_qualifier: dict[str, int | tuple[int, ...]] = {}
        self._by_adjective: dict[str, int | tuple[int, ...]] = {}
        self._country_rows: dict[str, int] = {}
        self._admin1_rows: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._names)

    def entry(self, index: int) -> Entry:
        geonameid = self._ids[index]
        admin2 = self._admin2[index]
        lat, lon = self._lat[index], self._lon[index]
        placed = not math.isnan(lat)
        return Entry(
            index=index,
            geonameid=None if geonameid == _NONE else geonameid,
            name=self._names[index],
            feature=FEATURES[self._features[index]],
            country=self._countries[index] or None,
            admin1=self._admin1[index] or None,
            admin2=None if admin2 == _NONE else admin2,
            lat=round(lat, 4) if placed else None,
            lon=round(lon, 4) if placed else None,
            population=self._population[index],
        )

    def lookup(self, name: str) -> list[Entry]:
        """Every place called ``name`` (its main name, another spelling or an abbreviation)."""
        return [entry for entry, _ in self.lookup_names(name)]

    def lookup_names(self, name: str) -> list[tuple[Entry, bool]]:
        """Every place called ``name``, each with whether that is its main name."""
        rows = self._by_name.get(name_key(name))
        if rows is None:
            return []
        if isinstance(rows, int):
            rows = (rows,)
        return [(self.entry(~row), False) if row < 0 else (self.entry(row), True) for row in rows]

    def lookup_qualifier(self, name: str) -> list[Entry]:
        """Places ``name`` stands for after a comma only ("NH" in "Manchester, NH")."""
        return self._entries(self._by_qualifier, name)

    def lookup_adjective(self, word: str) -> list[Entry]:
        """Regions and divisions an adjective or demonym names ("African", "Texan")."""
        return self._entries(self._by_adjective, word)

    def is_division(self, name: str) -> bool:
        """Whether ``name`` is the main name of a first-level division ("Minnesota")."""
        rows = self._by_name.get(name_key(name))
        if rows is None:
            return False
        rows = (rows,) if isinstance(rows, int) else rows
        return any(row >= 0 and self._features[row] == _ADMIN1 for row in rows)

    def country(self, iso3: str) -> Entry | None:
        row = self._country_rows.get(iso3)
        return None if row is None else self.entry(row)

    def admin1(self, code: str) -> Entry | None:
        """A first-level division by its GeoNames code ("US.CA")."""
        row = self._admin1_rows.get(code)
        return None if row is None else self.entry(row)

    def _entries(self, index: dict[str, int | tuple[int, ...]], name: str) -> list[Entry]:
        rows = index.get(name_key(name))
        if rows is None:
            return []
        if isinstance(rows, int):
            rows = (rows,)
        return [self.entry(~row if row < 0 else row) for row in rows]

    # -- loading ----------------------------------------------------------------------------

    def _add(self, line: str) -> None:
        cells = line.split("\t")
        row = len(self._names)
        gid, name, feature, country, admin1, admin2, lat, lon, population = cells[:9]
        self._ids.append(int(gid) if gid else _NONE)
        self._names.append(name)
        self._features.append(_FEATURE_INDEX[feature])
        self._countries.append(sys.intern(country))
        self._admin1.append(sys.intern(admin1))
        self._admin2.append(int(admin2) if admin2 else _NONE)
        self._lat.append(float(lat) if lat else math.nan)
        self._lon.append(float(lon) if lon else math.nan)
        self._population.append(int(population))
        if feature == "country":
            self._country_rows[country] = row
        elif feature == "admin1" and admin1:
            self._admin1_rows.setdefault(admin1, row)
        by_name, by_qualifier, by_adjective = self._by_name, self._by_qualifier, self._by_adjective
        keys = cells[9].split("|")
        _index(by_name, keys[0], row)  # the main name
        for key in keys[1:]:
            _index(by_name, key, ~row)  # another spelling: the row's complement
        if cells[10]:
            for key in cells[10].split("|"):
                _index(by_qualifier, key, row)
        if cells[11]:
            for key in cells[11].split("|"):
                _index(by_adjective, key, row)


def _index(table: dict[str, int | tuple[int, ...]], key: str, row: int) -> None:
    held = table.get(key)
    if held is None:
        table[key] = row
    elif isinstance(held, int):
        table[key] = (held, row)
    else:
        table[key] = (*held, row)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The shipped gazetteer, read once per process (about two seconds)."""
    loaded = Gazetteer()
    source = resources.files("wirewatch.data").joinpath("gazetteer.tsv.gz")
    collecting = gc.isenabled()
    gc.disable()  # hundreds of thousands of small containers: no cycles to look for
    try:
        with source.open("rb") as raw:
            lines = gzip.decompress(raw.read()).decode("utf-8").splitlines()
        for line in lines:
            loaded._add(line)
    finally:
        if collecting:
            gc.enable()
    return loaded
