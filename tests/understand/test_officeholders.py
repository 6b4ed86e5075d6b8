"""The officeholders knowledge base: its data files and its dated lookups."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, timedelta
from importlib import resources
from itertools import combinations

import pytest

from wirewatch.understand import officeholders
from wirewatch.understand.officeholders import (
    CUTOFF,
    OPEN_TERM_HORIZON,
    REGIONS,
    DataError,
    Holding,
    holding_of,
    holdings_on,
    name_keys,
    parse_end,
    parse_start,
    read_rows,
)

DATA = resources.files("wirewatch.data")


def _countries() -> set[str]:
    raw = json.loads(DATA.joinpath("countries.json").read_text("utf-8"))
    return set(raw["countries"])


def _organisations() -> set[str]:
    raw = json.loads(DATA.joinpath("organisations.json").read_text("utf-8"))
    return {code for code in raw if not code.startswith("_")}


# --- the data files ---------------------------------------------------------------------------


def test_every_region_file_exists_and_every_row_parses() -> None:
    folder = DATA.joinpath("officeholders")
    for region in REGIONS:
        text = folder.joinpath(f"{region}.tsv").read_text("utf-8")
        rows = [line for line in text.splitlines() if line and not line.startswith("#")]
        assert rows[0].split("\t") == list(officeholders.COLUMNS), region
        for line in rows[1:]:
            assert 6 <= len(line.split("\t")) <= 7, line
        list(read_rows(text, region))  # raises DataError on a bad row
    assert len(officeholders.all_holdings()) > 3000


def test_codes_are_known_countries_or_organisations() -> None:
    countries, organisations = _countries(), _organisations()
    for holding in officeholders.all_holdings():
        if holding.role == "IGO_HEAD" or holding.is_organisation:
            assert holding.country in organisations, holding
        else:
            assert holding.country in countries, holding


def test_terms_start_before_they_end_and_names_are_clean() -> None:
    for holding in officeholders.all_holdings():
        assert holding.end is None or holding.start < holding.end, holding
        assert holding.start <= CUTOFF, holding
        assert holding.name == holding.name.strip() and "  " not in holding.name, holding
        assert all(alias.strip() == alias and alias for alias in holding.aliases), holding


def test_no_two_people_hold_one_office_at_once_unless_shared() -> None:
    offices: dict[tuple[str, str], list[Holding]] = defaultdict(list)
    for holding in officeholders.all_holdings():
        offices[(holding.country, holding.role)].append(holding)
    clashes = []
    for rows in offices.values():
        for first, second in combinations(rows, 2):
            if "shared" in first.note and "shared" in second.note:
                continue
            if first.start <= second.last_day and second.start <= first.last_day:
                clashes.append((first.name, second.name, first.country, first.role))
    assert clashes == []


def test_one_person_is_spelled_one_way_within_a_country() -> None:
    """The same person must carry the same name on every row, or lookups would see two
    people: an alias that is another row's name in the same country is a misspelling."""
    names_by_country: dict[str, set[str]] = defaultdict(set)
    for holding in officeholders.all_holdings():
        names_by_country[holding.country].add(holding.name)
    for holding in officeholders.all_holdings():
        others = names_by_country[holding.country] - {holding.name}
        assert not others & set(holding.aliases), holding


def test_at_most_two_years_past_the_cutoff_is_presumed() -> None:
    assert timedelta(days=731) >= OPEN_TERM_HORIZON
    running = [h for h in officeholders.all_holdings() if h.end is None]
    assert running and all(h.last_day == CUTOFF + OPEN_TERM_HORIZON for h in running)


# --- dates ------------------------------------------------------------------------------------


def test_partial_dates_cover_only_days_surely_in_office() -> None:
    assert parse_start("2004-05-12") == date(2004, 5, 12)
    assert parse_start("2004-05") == date(2004, 6, 1)
    assert parse_start("2004-12") == date(2005, 1, 1)
    assert parse_start("2004") == date(2005, 1, 1)
    assert parse_end("2004-05-12") == date(2004, 5, 12)
    assert parse_end("2004-05") == date(2004, 5, 1)
    assert parse_end("2004") == date(2004, 1, 1)
    assert parse_end("") is None
    with pytest.raises(ValueError):
        parse_start("2001-02-30")
    with pytest.raises(DataError):
        parse_start("May 2004")


def test_a_bad_row_names_its_file_and_line() -> None:
    text = "name\taliases\tcode\trole\tstart\tend\nA B\t\tUSA\tKING\t2001\t\n"
    with pytest.raises(DataError, match=r"x\.tsv:2: unknown role"):
        list(read_rows(text, "x.tsv"))
    with pytest.raises(DataError, match=r"not in organisations\.json"):
        list(read_rows("A B\t\tIGOXXX\tIGO_HEAD\t2001\t\n", "y.tsv"))
    with pytest.raises(DataError, match="6 or 7"):
        list(read_rows("A B\tUSA\tHOS\t2001\n", "z.tsv"))


def test_one_row_for_two_roles_gives_two_holdings() -> None:
    rows = list(read_rows("A B\t\tUSA\tHOS,HOG\t2001-01-20\t2009-01-20\n"))
    assert [row.role for row in rows] == ["HOS", "HOG"]
    assert rows[0].code == "USAGOV"


# --- lookups ----------------------------------------------------------------------------------


def test_lookup_by_full_name_surname_and_initials() -> None:
    for form in ("Vladimir Putin", "Putin", "Vladimir V. Putin", "Mr Putin"):
        found = holding_of(form, date(2015, 3, 1))
        assert found is not None and found.country == "RUS" and found.role == "HOS", form
    assert holding_of("Putin", date(2010, 1, 1)).role == "HOG"  # type: ignore[union-attr]


def test_lookup_is_by_the_date_given_never_today() -> None:
    obama = holding_of("Barack Obama", date(2010, 5, 1))
    assert obama is not None and obama.code == "USAGOV" and obama.role == "HOS"
    assert holding_of("Obama", date(2020, 1, 1)) is None
    assert holding_of("Obama", date(2008, 12, 31)) is None


def test_accents_and_other_spellings_match() -> None:
    assert holding_of("Erdogan", date(2020, 1, 1)).country == "TUR"  # type: ignore[union-attr]
    store = holding_of("Jonas Gahr Store", date(2022, 6, 1))
    assert store is not None and store.country == "NOR"
    assert holding_of("Zelenskyy", date(2023, 1, 1)).country == "UKR"  # type: ignore[union-attr]


def test_a_name_two_people_answer_to_on_that_date_gives_none() -> None:
    # Gerhard Stoltenberg (German defence minister) and Thorvald Stoltenberg (Norwegian
    # foreign minister) were both in office in 1991.
    assert holding_of("Stoltenberg", date(1991, 6, 1)) is None
    thorvald = holding_of("Thorvald Stoltenberg", date(1991, 6, 1))
    assert thorvald is not None and thorvald.country == "NOR"
    # Sergei Ivanov (defence) and Igor Ivanov (foreign affairs), Russia 2001-2004.
    assert holding_of("Ivanov", date(2002, 1, 1)) is None


def test_a_row_can_ask_for_its_listed_forms_only() -> None:
    # Timor-Leste's Francisco Guterres (2017-2022) must not make "Guterres" ambiguous.
    assert holding_of("Guterres", date(2020, 1, 1)).country == "IGOUNO"  # type: ignore[union-attr]
    assert holding_of("Lu-Olo", date(2020, 1, 1)).country == "TLS"  # type: ignore[union-attr]


def test_regnal_and_of_names_match_only_their_listed_forms() -> None:
    assert holding_of("King Philippe", date(2020, 1, 1)).country == "BEL"  # type: ignore[union-attr]
    assert holding_of("Belgium", date(2020, 1, 1)) is None
    assert "vi" not in name_keys("Felipe VI")


def test_open_terms_stop_two_years_after_the_cutoff() -> None:
    assert holding_of("Vladimir Putin", CUTOFF).country == "RUS"  # type: ignore[union-attr]
    inside = CUTOFF + OPEN_TERM_HORIZON
    assert holding_of("Vladimir Putin", inside) is not None
    assert holding_of("Vladimir Putin", inside + timedelta(days=1)) is None
    assert holdings_on(inside + timedelta(days=1)) == []


def test_holdings_on_a_date() -> None:
    on = date(2016, 6, 1)
    found = holdings_on(on)
    assert all(holding.covers(on) for holding in found)
    assert {(h.name, h.role) for h in found if h.country == "GBR"} >= {
        ("David Cameron", "HOG"),
        ("Elizabeth II", "HOS"),
        ("Philip Hammond", "FM"),
        ("Michael Fallon", "DM"),
    }
    order = officeholders.ROLES.index
    assert found == sorted(found, key=lambda h: (h.country, order(h.role), h.name))


# --- coverage: what the data promises, so a lost row fails here --------------------------------


def _codes(text: str) -> frozenset[str]:
    return frozenset(text.split())


UN_MEMBERS = _codes(
    """AFG ALB DZA AND AGO ATG ARG ARM AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN BTN BOL BIH
    BWA BRA BRN BGR BFA BDI CPV KHM CMR CAN CAF TCD CHL CHN COL COM COG COD CRI CIV HRV CUB CYP
    CZE DNK DJI DMA DOM ECU EGY SLV GNQ ERI EST SWZ ETH FJI FIN FRA GAB GMB GEO DEU GHA GRC GRD
    GTM GIN GNB GUY HTI HND HUN ISL IND IDN IRN IRQ IRL ISR ITA JAM JPN JOR KAZ KEN KIR PRK KOR
    KWT KGZ LAO LVA LBN LSO LBR LBY LIE LTU LUX MDG MWI MYS MDV MLI MLT MHL MRT MUS MEX FSM MDA
    MCO MNG MNE MAR MOZ MMR NAM NRU NPL NLD NZL NIC NER NGA MKD NOR OMN PAK PLW PAN PNG PRY PER
    PHL POL PRT QAT ROU RUS RWA KNA LCA VCT WSM SMR STP SAU SEN SRB SYC SLE SGP SVK SVN SLB SOM
    ZAF SSD ESP LKA SDN SUR SWE CHE SYR TJK TZA THA TLS TGO TON TTO TUN TUR TKM TUV UGA UKR ARE
    GBR USA URY UZB VUT VEN VNM YEM ZMB ZWE"""
)

# Commonwealth realms on 2015-01-01: their head of state is the British monarch (GBR's rows).
REALMS_2015 = _codes("ATG AUS BHS BLZ BRB CAN GRD JAM KNA LCA NZL PNG SLB TUV VCT")

# UN members with no head of state in the data on 2015-01-01, and why (docs/officeholders.md).
NO_HOS_2015 = {
    "LBN": "the presidency was vacant from May 2014 to October 2016",
    "LBY": "rival governments",
    "BIH": "a three-member presidency",
    "AND": "co-princes (the French president and the Bishop of Urgell)",
    "SMR": "two captains regent, changed every six months",
    "VUT": "not yet written",
}


def _heads_of_state_on(on: date) -> set[str]:
    return {h.country for h in holdings_on(on) if h.role == "HOS"}


def test_every_un_member_has_a_head_of_state_in_2015_except_those_listed() -> None:
    on = date(2015, 1, 1)
    assert len(UN_MEMBERS) == 193
    heads = _heads_of_state_on(on)
    assert "GBR" in heads  # the realms' monarch
    missing = UN_MEMBERS - heads - REALMS_2015
    assert missing <= set(NO_HOS_2015), sorted(missing - set(NO_HOS_2015))


# Offices a state does not have: no rows are written for them, and a row would be an error.
# Kept in docs/officeholders.md ("What is covered").
NO_OFFICE = {
    ("CRI", "DM"): "no armed forces since 1948",
    ("PAN", "DM"): "armed forces abolished in 1990",
    ("ISL", "DM"): "no armed forces; the foreign minister answers for defence",
    ("LIE", "DM"): "no armed forces since 1868",
    ("VAT", "DM"): "no armed forces but the Swiss Guard",
    ("MCO", "DM"): "defence is France's by treaty",
    ("BTN", "DM"): "no defence ministry; the army answers to the king",
    ("DMA", "DM"): "defence force disbanded in 1981",
    ("GRD", "DM"): "no armed forces since 1983",
    ("LCA", "DM"): "no armed forces",
    ("VCT", "DM"): "no armed forces",
    ("KIR", "DM"): "no armed forces",
    ("NRU", "DM"): "no armed forces",
    ("TUV", "DM"): "no armed forces",
    ("WSM", "DM"): "no armed forces",
    ("SLB", "DM"): "no armed forces; security is the police minister's",
    ("FSM", "DM"): "defence is the United States' under the Compact of Free Association",
    ("MHL", "DM"): "defence is the United States' under the Compact of Free Association",
    ("PLW", "DM"): "defence is the United States' under the Compact of Free Association",
    ("PSE", "DM"): "no armed forces; the Palestinian Authority's police are the interior's",
}


def test_offices_a_state_does_not_have_get_no_rows() -> None:
    countries, roles = _countries(), set(officeholders.ROLES)
    assert all(code in countries and role in roles for code, role in NO_OFFICE)
    held = {(h.country, h.role) for h in officeholders.all_holdings()}
    assert held & set(NO_OFFICE) == set(), sorted(held & set(NO_OFFICE))


def _uncovered_days(country: str, role: str, since: date) -> int:
    rows = [h for h in officeholders.all_holdings() if h.country == country and h.role == role]
    covered: set[date] = set()
    for row in rows:
        day = max(row.start, since)
        while day <= min(row.last_day, CUTOFF):
            covered.add(day)
            day += timedelta(days=1)
    return (CUTOFF - since).days + 1 - len(covered)


@pytest.mark.parametrize(
    ("country", "role", "since"),
    [
        ("USA", "HOS", date(1990, 1, 1)),
        ("USA", "FM", date(1993, 1, 20)),
        ("USA", "DM", date(1990, 1, 1)),
        ("RUS", "HOS", date(1991, 12, 25)),
        ("RUS", "HOG", date(1992, 6, 15)),
        ("RUS", "FM", date(1998, 9, 11)),
        ("RUS", "DM", date(2012, 11, 6)),
        ("CHN", "HOS", date(1990, 1, 1)),
        ("CHN", "HOG", date(1990, 1, 1)),
        ("CHN", "FM", date(1998, 3, 18)),
        ("GBR", "HOS", date(1990, 1, 1)),
        ("GBR", "HOG", date(1990, 1, 1)),
        ("GBR", "FM", date(1990, 1, 1)),
        ("FRA", "HOS", date(1990, 1, 1)),
        ("FRA", "HOG", date(1990, 1, 1)),
        ("DEU", "HOG", date(1990, 1, 1)),
        ("DEU", "FM", date(1990, 1, 1)),
        ("DEU", "DM", date(1990, 1, 1)),
        ("JPN", "HOS", date(1990, 1, 1)),
        ("JPN", "HOG", date(1990, 1, 1)),
        ("IND", "HOS", date(1990, 1, 1)),
        ("IND", "HOG", date(1990, 1, 1)),
        ("ISR", "HOG", date(1990, 1, 1)),
        ("IRN", "HOS", date(1990, 1, 1)),
        ("TUR", "HOS", date(1990, 1, 1)),
        ("BRA", "HOS", date(1990, 1, 1)),
        ("ZAF", "HOS", date(1990, 1, 1)),
        ("NGA", "HOS", date(1990, 1, 1)),
        ("IGOUNO", "IGO_HEAD", date(1990, 1, 1)),
        ("IGOWSTNAT", "IGO_HEAD", date(1995, 12, 5)),
        ("PSE", "HOS", date(1990, 1, 1)),
        ("OMN", "FM", date(1990, 1, 1)),
        ("LBN", "DM", date(1998, 12, 4)),
        ("KHM", "DM", date(1994, 1, 1)),
        ("TJK", "HOG", date(2000, 1, 1)),
    ],
)
def test_offices_covered_since_a_date(country: str, role: str, since: date) -> None:
    """At most a few days uncovered: a day between a resignation and a successor, and acting
    holders the data leaves out (American secretaries of state and defence between
    confirmations: 14 and 4 days)."""
    limit = {("USA", "FM"): 14, ("USA", "DM"): 4, ("IGOWSTNAT", "IGO_HEAD"): 8}
    assert _uncovered_days(country, role, since) <= limit.get((country, role), 2)


def _days_covered(rows: list[Holding]) -> int:
    """Days from 1990-01-01 to the cutoff on which one of ``rows`` is in force."""
    since = date(1990, 1, 1)
    spans = sorted((max(row.start, since), min(row.last_day, CUTOFF)) for row in rows)
    covered, cursor = 0, since - timedelta(days=1)
    for start, end in spans:
        start = max(start, cursor + timedelta(days=1))
        if start <= end:
            covered += (end - start).days + 1
            cursor = end
    return covered


# Office-days covered since 1990 per role (the sum over countries of the days someone held the
# office): a floor, so losing rows fails here while adding rows never does.
COVERED_DAYS_FLOOR = {
    "HOS": 2219964,
    "HOG": 2220933,
    "FM": 1835274,
    "DM": 1415546,
    "IGO_HEAD": 416203,
}


def test_the_days_covered_do_not_drop() -> None:
    offices: dict[tuple[str, str], list[Holding]] = defaultdict(list)
    for holding in officeholders.all_holdings():
        offices[(holding.role, holding.country)].append(holding)
    for role, floor in COVERED_DAYS_FLOOR.items():
        days = sum(_days_covered(rows) for key, rows in offices.items() if key[0] == role)
        assert days >= floor, (role, days)


def test_the_arabic_article_is_one_key_however_written() -> None:
    from wirewatch.understand.officeholders import holding_of

    for form in ("Omar El Bashir", "Omar al-Bashir", "Omar el-Bashir"):
        found = holding_of(form, date(2000, 1, 1))
        assert found is not None and (found.country, found.name) == ("SDN", "Omar al-Bashir")


def test_a_former_officeholder_keeps_the_country_not_the_office() -> None:
    import wirewatch
    from wirewatch.understand.officeholders import former_country, holding_of

    assert holding_of("Andreas Papandreou", date(2000, 1, 1)) is None  # died in 1996
    assert former_country("Andreas Papandreou", date(2000, 1, 1)) == "GRC"
    assert former_country("Andreas Papandreou", date(1970, 1, 1)) is None  # not yet in office
    article = wirewatch.analyze(
        "Former prime minister Andreas Papandreou demanded early elections.",
        published="2000-01-01",
    )
    actor = next(a for a in article.actors if a.name == "Andreas Papandreou")
    assert (actor.country, actor.code) == ("GRC", "GRCELI")  # a former official: elite


def test_a_common_or_city_name_alone_needs_the_article_to_tie_it() -> None:
    from wirewatch.understand.officeholders import needs_tie, title_names_office

    # The base itself holds these (the lookup alone would answer), so the guard is what stops them
    assert holding_of("Khan", date(2004, 2, 5)) is not None
    assert holding_of("Goma", date(1991, 3, 1)) is not None
    for name in ("Khan", "A. Q. Khan", "Yadav", "Smith", "Goma", "Lagos"):
        assert needs_tie(name), name
    for name in ("Putin", "Erdogan", "Morshed Khan", "Ram Baran Yadav", "Bush"):
        assert not needs_tie(name), name
    yadav = holding_of("Yadav", date(2010, 2, 5))
    assert yadav is not None and yadav.role == "HOS"
    assert title_names_office("president", yadav)
    assert not title_names_office("foreign minister", yadav)
    assert not title_names_office(None, yadav)


def test_a_bare_common_surname_is_coded_only_when_the_article_ties_it() -> None:
    import wirewatch

    def codes(text: str, published: str, name: str) -> list[str | None]:
        article = wirewatch.analyze(text, published=published)
        return [a.code for a in article.actors if a.text == name]

    # "A. Q. Khan" is Pakistan's nuclear scientist, not Bangladesh's foreign minister Morshed Khan
    assert codes("A. Q. Khan met the envoy. Khan said he was sorry.", "2004-02-05", "Khan") == [
        None
    ]
    assert codes("Yadav criticised the government.", "2010-02-05", "Yadav") == [None]
    assert codes("President Yadav criticised the government.", "2010-02-05", "Yadav") == ["NPLGOV"]
    assert codes("Foreign Minister Morshed Khan met Powell.", "2004-02-05", "Morshed Khan") == [
        "BGDGOV"
    ]
    # Goma, tagged a person, is a city of the DR Congo, not the Congolese prime minister of 1991
    assert codes("Rebels said they would take Goma by force.", "1991-03-01", "Goma") == [None]
    # A rare surname alone still resolves against the article's date
    assert codes("Putin criticised Erdogan.", "2016-02-05", "Putin") == ["RUSGOV"]
    assert codes("Putin criticised Erdogan.", "2016-02-05", "Erdogan") == ["TURGOV"]
