"""The shipped gazetteer: it loads, and what it holds has points and feature types."""

from __future__ import annotations

import gzip
from importlib import resources

import pytest

from wirewatch.understand import countries
from wirewatch.understand.gazetteer import FEATURES, gazetteer


def test_the_gazetteer_loads_every_row_of_the_shipped_file() -> None:
    source = resources.files("wirewatch.data").joinpath("gazetteer.tsv.gz")
    with source.open("rb") as raw:
        rows = gzip.decompress(raw.read()).decode("utf-8").count("\n")
    assert len(gazetteer()) == rows
    assert rows > 200_000  # towns of 1,000 people, divisions, countries, regions
    assert gazetteer() is gazetteer()  # loaded once per process


def test_every_country_and_peopled_first_level_division_has_a_point() -> None:
    g = gazetteer()
    for row in range(len(g)):
        entry = g.entry(row)
        assert entry.feature in FEATURES
        if entry.feature == "country":
            listed = countries.country(entry.country or "")
            # Not "Netherlands Antilles" (historic) nor uninhabited islands with no capital.
            if listed is not None and not listed.historic and entry.population > 0:
                assert entry.lat is not None and entry.lon is not None, entry
        elif entry.feature == "admin1" and entry.population > 0:
            assert entry.lat is not None and entry.lon is not None, entry


@pytest.mark.parametrize(
    ("name", "feature", "country", "lat", "lon"),
    [
        ("Tamil Nadu", "admin1", "IND", 11.1, 78.7),
        ("Karnataka", "admin1", "IND", 15.0, 76.0),
        ("Gilgit-Baltistan", "admin1", "PAK", 35.8, 74.9),
        ("Hawaii", "admin1", "USA", 20.5, -157.0),
        ("Lancashire", "admin2", "GBR", 53.8, -2.6),
        ("Rapides Parish", "admin2", "USA", 31.2, -92.5),
    ],
)
def test_divisions_are_placed_in_the_middle_of_their_towns(
    name: str, feature: str, country: str, lat: float, lon: float
) -> None:
    entry = next(e for e in gazetteer().lookup(name) if e.feature == feature)
    assert entry.country == country
    assert entry.lat == pytest.approx(lat, abs=1.5)
    assert entry.lon == pytest.approx(lon, abs=1.5)


def test_countries_are_placed_on_their_main_landmass() -> None:
    usa = gazetteer().country("USA")
    assert usa is not None and usa.feature == "country" and usa.geonameid == 6252001
    assert usa.lat == pytest.approx(40, abs=2) and usa.lon == pytest.approx(-99, abs=3)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Calif.", ("California", "admin1")),
        ("N.H.", ("New Hampshire", "admin1")),
        ("DPRK", ("North Korea", "country")),
        ("T&T", ("Trinidad and Tobago", "country")),
        ("U.K.", ("United Kingdom", "country")),
        ("Korean Peninsula", ("Korean Peninsula", "peninsula")),
        ("Europe", ("Europe", "continent")),
        ("Cirencester", ("Cirencester", "city")),
        ("Dewsbury", ("Dewsbury", "city")),
    ],
)
def test_abbreviations_regions_and_small_towns_are_in_it(
    name: str, expected: tuple[str, str]
) -> None:
    assert expected in [(e.name, e.feature) for e in gazetteer().lookup(name)]


def test_postal_codes_count_only_as_qualifiers_and_adjectives_name_regions() -> None:
    g = gazetteer()
    assert "New Hampshire" not in [e.name for e in g.lookup("NH")]
    assert [e.name for e in g.lookup_qualifier("NH")] == ["New Hampshire"]
    assert [e.name for e in g.lookup_adjective("African")] == ["Africa"]
