"""Resolution by context on real spaCy parses: namesakes, abbreviations, datelines, demonyms,
regions, and names the article cannot settle."""

from __future__ import annotations

import pytest
from spacy.language import Language

from wirewatch.model import Article, Place
from wirewatch.understand.entities import entities_of, sentences_of
from wirewatch.understand.nlp import load_nlp
from wirewatch.understand.places import resolve_places, site_country

MANCHESTER_NH, MANCHESTER_UK = 5089178, 2643123
WASHINGTON_DC, LOS_ANGELES = 4140963, 5368361


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


def places_of(nlp: Language, text: str, site: str | None = None) -> list[Place]:
    article = Article(text=text, source="test", site=site)
    doc = nlp(text)
    article.sentences = sentences_of(doc)
    article.entities = entities_of(doc, article.sentences)
    return resolve_places(doc, article)


def named(places: list[Place], text: str) -> Place:
    found = [p for p in places if p.text == text]
    assert found, [p.text for p in places]
    return found[0]


def test_a_state_abbreviation_after_a_comma_picks_the_namesake(nlp: Language) -> None:
    places = places_of(nlp, "The mayor of Manchester, N.H., said the mill would reopen.")
    assert named(places, "Manchester").geonameid == MANCHESTER_NH


def test_a_story_about_lancashire_keeps_manchester_in_england(nlp: Language) -> None:
    places = places_of(
        nlp,
        "Police in Manchester said the roads were closed. Flooding hit towns across "
        "Lancashire and Bolton on Sunday.",
    )
    manchester = named(places, "Manchester")
    assert (manchester.geonameid, manchester.country) == (MANCHESTER_UK, "GBR")


def test_the_article_towns_decide_which_namesake(nlp: Language) -> None:
    places = places_of(
        nlp,
        "Deputies in Alexandria arrested two men. The Rapides Parish sheriff said Pineville "
        "police helped.",
    )
    alexandria = named(places, "Alexandria")
    assert (alexandria.country, alexandria.geonameid) == ("USA", 4314550)  # Louisiana


def test_an_abbreviated_state_is_the_state(nlp: Language) -> None:
    places = places_of(nlp, "Wildfires spread near Fresno, Calif., on Tuesday.")
    fresno = named(places, "Fresno")
    assert (fresno.country, fresno.feature) == ("USA", "city")
    assert fresno.lat == pytest.approx(36.7, abs=0.2)


@pytest.mark.parametrize(
    ("text", "dateline", "geonameid"),
    [
        (
            "WASHINGTON — The Senate voted on Tuesday to extend the program.",
            "WASHINGTON",
            WASHINGTON_DC,
        ),
        (
            "LOS ANGELES (AP) — Firefighters contained the blaze overnight.",
            "LOS ANGELES",
            LOS_ANGELES,
        ),
        (
            "Storm damage mapped. MANCHESTER, N.H. - Crews worked through the night.",
            "MANCHESTER",
            MANCHESTER_NH,
        ),
    ],
)
def test_datelines_in_capitals_are_resolved(
    nlp: Language, text: str, dateline: str, geonameid: int
) -> None:
    place = named(places_of(nlp, text), dateline)
    assert place.geonameid == geonameid
    assert place.metonymic is False


def test_demonyms_are_linked_to_their_country_or_region(nlp: Language) -> None:
    places = places_of(nlp, "Turkish troops and African observers arrived on Monday.")
    turkish, african = named(places, "Turkish"), named(places, "African")
    assert (turkish.feature, turkish.country) == ("country", "TUR")
    assert (african.feature, african.name, african.geonameid) == ("continent", "Africa", 6255146)


def test_regions_and_seas_news_names_have_points(nlp: Language) -> None:
    places = places_of(
        nlp, "Tensions rose across the Middle East and on the Korean Peninsula this week."
    )
    middle_east = named(places, "Middle East")
    assert (middle_east.feature, middle_east.country) == ("region", None)
    assert middle_east.lat is not None and middle_east.lon is not None
    assert named(places, "Korean Peninsula").feature == "peninsula"


def test_a_small_town_is_found(nlp: Language) -> None:
    places = places_of(nlp, "Floods hit homes in Cirencester, Gloucestershire, on Sunday.")
    town = named(places, "Cirencester")
    assert (town.country, town.feature) == ("GBR", "city")


def test_a_name_the_context_cannot_settle_stays_unresolved(nlp: Language) -> None:
    # Springfield, Illinois, Missouri and Massachusetts are all about as large.
    places = places_of(nlp, "Officials in Springfield said the bridge would reopen.")
    assert [p for p in places if p.text == "Springfield"] == []


def test_a_state_named_in_the_article_settles_springfield(nlp: Language) -> None:
    places = places_of(
        nlp, "Officials in Springfield said the bridge would reopen. Illinois pays for it."
    )
    assert named(places, "Springfield").geonameid == 4250542


@pytest.mark.parametrize(
    ("site", "country"),
    [("www.bbc.co.uk", "GBR"), ("lemonde.fr", "FRA"), ("example.com", None), ("news.tv", None)],
)
def test_the_site_country_comes_from_a_country_code_domain(site: str, country: str | None) -> None:
    assert site_country(Article(text="", source="test", site=site)) == country
