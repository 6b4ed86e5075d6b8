"""Place mentions resolved to GeoNames entries, on real spaCy parses of short articles."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from wirewatch.extract import extract
from wirewatch.model import Article, Place, RawDocument
from wirewatch.settings import Settings
from wirewatch.understand.entities import entities_of, sentences_of
from wirewatch.understand.nlp import load_nlp
from wirewatch.understand.places import literal_places_in_sentence, resolve_places

SEED = Path(__file__).parents[1] / "fixtures" / "seed_000_3ed97192f3d4092b.txt"
KYIV, MOSCOW_RUSSIA, MOSCOW_IDAHO = 703448, 524901, 5601538


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


def parse(nlp: Language, text: str) -> tuple[Doc, Article]:
    article = Article(text=text, source="test")
    doc = nlp(text)
    article.sentences = sentences_of(doc)
    article.entities = entities_of(doc, article.sentences)
    return doc, article


def places_of(nlp: Language, text: str) -> list[Place]:
    doc, article = parse(nlp, text)
    return resolve_places(doc, article)


def place(places: list[Place], text: str, occurrence: int = 0) -> Place:
    return [p for p in places if p.text == text][occurrence]


def sentence_with(article: Article, words: str) -> int:
    return next(
        i for i, s in enumerate(article.sentences) if words in article.text[s.start : s.end]
    )


@pytest.fixture(scope="module")
def seed(nlp: Language) -> tuple[Article, list[Place]]:
    raw = RawDocument(source=str(SEED), content=SEED.read_bytes(), content_type="text")
    extracted = extract(raw, Settings())
    assert isinstance(extracted, Article)
    doc, article = parse(nlp, extracted.text)
    return article, resolve_places(doc, article)


def test_every_kiev_in_the_seed_is_the_ukrainian_capital(
    seed: tuple[Article, list[Place]],
) -> None:
    article, places = seed
    kievs = [p for p in places if p.text == "Kiev"]
    assert len(kievs) == article.text.count("Kiev")
    for kiev in kievs:
        assert (kiev.name, kiev.geonameid, kiev.country, kiev.feature) == (
            "Kyiv",
            KYIV,
            "UKR",
            "capital",
        )
        assert kiev.lat == pytest.approx(50.45, abs=0.05)
        assert kiev.lon == pytest.approx(30.52, abs=0.05)
        assert article.text[kiev.start : kiev.end] == "Kiev"


def test_moscow_that_denies_is_the_russian_capital_standing_for_its_government(
    seed: tuple[Article, list[Place]],
) -> None:
    article, places = seed
    index = sentence_with(article, "Moscow has denied backing the rebels")
    [moscow] = [p for p in places if p.text == "Moscow" and p.sentence == index]
    assert (moscow.name, moscow.geonameid, moscow.country) == ("Moscow", MOSCOW_RUSSIA, "RUS")
    assert moscow.metonymic


def test_a_visit_to_kiev_is_where_it_happened(seed: tuple[Article, list[Place]]) -> None:
    article, places = seed
    index = sentence_with(article, "during a visit to Kiev on Monday")
    # "support for Ukraine" is the country as a party; Kiev is the event's location.
    assert [p.name for p in literal_places_in_sentence(places, index)] == ["Kyiv"]
    assert [p.name for p in places if p.sentence == index and p.metonymic] == ["Ukraine"]


def test_seed_countries_and_agents(seed: tuple[Article, list[Place]]) -> None:
    article, places = seed
    annexation = sentence_with(article, "Russia's annexation of Crimea in 2014")
    russia = next(p for p in places if p.text == "Russia" and p.sentence == annexation)
    ukraine = next(p for p in places if p.text == "Ukraine" and p.sentence == annexation)
    assert (russia.geonameid, russia.feature) == (2017370, "country")
    assert russia.lat is not None and russia.lon is not None  # the centre of the country
    assert russia.metonymic  # Russia annexed: an agent
    assert not ukraine.metonymic  # "the conflict in eastern Ukraine": a location
    us = next(p for p in places if p.text == "US")
    assert (us.name, us.country, us.geonameid) == ("United States", "USA", 6252001)


def test_the_seeds_moscows_are_all_in_russia_and_crimea_is_the_division(
    seed: tuple[Article, list[Place]],
) -> None:
    _, places = seed
    assert {p.geonameid for p in places if p.text == "Moscow"} == {MOSCOW_RUSSIA}
    crimea = place(places, "Crimea")
    assert (crimea.geonameid, crimea.feature, crimea.country) == (703883, "admin1", "UKR")
    assert crimea.lat == pytest.approx(45.2, abs=1.0)
    assert crimea.lon == pytest.approx(34.3, abs=1.0)


def test_moscow_in_an_article_about_idaho_farms_is_moscow_idaho(nlp: Language) -> None:
    places = places_of(
        nlp,
        "Wheat farmers around Moscow say this year's harvest is the best in a decade. Growers "
        "across Idaho expect prices to hold, and the extension office in Moscow is hiring.",
    )
    moscows = [p for p in places if p.text == "Moscow"]
    assert len(moscows) == 2
    assert all(
        (p.geonameid, p.country, p.feature) == (MOSCOW_IDAHO, "USA", "city") for p in moscows
    )
    assert (place(places, "Idaho").feature, place(places, "Idaho").country) == ("admin1", "USA")


def test_moscow_stays_the_russian_capital_when_the_article_only_mentions_the_us(
    nlp: Language,
) -> None:
    places = places_of(nlp, "Moscow said on Monday it would respond to US sanctions.")
    assert place(places, "Moscow").geonameid == MOSCOW_RUSSIA
    assert place(places, "Moscow").metonymic


def test_a_dateline_state_after_a_comma_picks_the_town(nlp: Language) -> None:
    places = places_of(nlp, "MOSCOW, Idaho — Farmers are hiring extra hands for the harvest.")
    assert place(places, "MOSCOW").geonameid == MOSCOW_IDAHO


def test_a_list_of_countries_is_not_read_as_places_inside_each_other(nlp: Language) -> None:
    places = places_of(nlp, "Leaders of Ukraine, Russia and Belarus met in Minsk.")
    assert [(p.name, p.feature) for p in places] == [
        ("Ukraine", "country"),
        ("Russia", "country"),
        ("Belarus", "country"),
        ("Minsk", "capital"),
    ]


def test_odessa_in_a_ukrainian_story_is_the_ukrainian_port(nlp: Language) -> None:
    places = places_of(nlp, "Shelling hit Odessa overnight, Ukrainian officials said.")
    odessa = place(places, "Odessa")
    assert (odessa.name, odessa.geonameid, odessa.country) == ("Odesa", 698740, "UKR")


def test_georgia_is_the_state_among_states_and_the_country_beside_tbilisi(
    nlp: Language,
) -> None:
    states = places_of(nlp, "Voters in Georgia and Alabama head to the polls on Tuesday.")
    assert (place(states, "Georgia").feature, place(states, "Georgia").country) == (
        "admin1",
        "USA",
    )
    country = places_of(nlp, "Georgia's president said Tbilisi would not bow to pressure.")
    assert (place(country, "Georgia").feature, place(country, "Georgia").country) == (
        "country",
        "GEO",
    )
    assert place(country, "Tbilisi").feature == "capital"


def test_washington_is_the_capital_and_washington_state_the_state(nlp: Language) -> None:
    capital = places_of(nlp, "Officials in Washington said the talks would resume.")
    assert (place(capital, "Washington").geonameid, place(capital, "Washington").feature) == (
        4140963,
        "capital",
    )
    state = places_of(nlp, "Officials in Washington state said the fires were contained.")
    assert place(state, "Washington").feature == "admin1"


def test_a_name_two_similar_cities_share_stays_unresolved(nlp: Language) -> None:
    assert places_of(nlp, "Students in Cambridge protested on Friday.") == []


def test_a_country_name_two_countries_bear_is_neither_nor_a_namesake_town(
    nlp: Language,
) -> None:
    # "Congo" is the DR Congo or the Republic of the Congo, never the town in Brazil;
    # "Korea" is neither Korea, nor Koréa in Côte d'Ivoire
    found = places_of(nlp, "Rebels in Congo killed 12 villagers, Rwanda said.")
    assert [(p.text, p.country) for p in found] == [("Rwanda", "RWA")]
    assert places_of(nlp, "Troops were sent to Korea.") == []
    assert [p.country for p in places_of(nlp, "Fighting spread in DR Congo.")] == ["COD"]


def test_continents_have_coordinates_and_no_country(nlp: Language) -> None:
    europe = place(places_of(nlp, "Delegates from Europe met in Geneva."), "Europe")
    assert (europe.feature, europe.country, europe.geonameid) == ("continent", None, 6255148)
    assert europe.lat is not None and europe.lon is not None


def test_a_country_is_placed_at_the_centre_of_its_main_landmass(nlp: Language) -> None:
    places = places_of(nlp, "Floods hit Russia and France on Monday.")
    russia, france = place(places, "Russia"), place(places, "France")
    assert (russia.feature, france.feature) == ("country", "country")
    # Inside Siberia, far east of Moscow; in central France, not in French Guiana.
    assert russia.lat is not None and russia.lon is not None
    assert 55 < russia.lat < 70 and 80 < russia.lon < 110
    assert france.lat is not None and france.lon is not None
    assert 45 < france.lat < 48 and 1 < france.lon < 4


def test_a_country_too_small_for_the_outlines_is_placed_at_its_capital(nlp: Language) -> None:
    andorra = place(places_of(nlp, "Tourists flocked to Andorra."), "Andorra")
    assert andorra.feature == "country"
    assert andorra.lat == pytest.approx(42.507, abs=0.01)
    assert andorra.lon == pytest.approx(1.521, abs=0.01)


@pytest.mark.parametrize(
    ("text", "mention", "metonymic"),
    [
        ("Moscow has denied backing the rebels.", "Moscow", True),
        ("Diplomats criticised Moscow's refusal.", "Moscow", True),
        ("Kyiv has rejected the proposal.", "Kyiv", True),
        ("Russia and China vetoed the resolution.", "China", True),
        ("The decision was welcomed by Paris.", "Paris", True),
        ("Ukraine and the West accuse Moscow of smuggling weapons.", "Moscow", True),
        ("Talks between Moscow and Kiev stalled.", "Kiev", True),
        ("The US and the European Union have imposed sanctions on Russia.", "Russia", True),
        ("Stoltenberg made a visit to Kiev.", "Kiev", False),
        ("The minister arrived in Beijing on Monday.", "Beijing", False),
        ("Leaders of Ukraine, Russia and Belarus met in Minsk.", "Minsk", False),
    ],
)
def test_a_place_that_acts_is_metonymic_and_a_place_where_things_happen_is_not(
    nlp: Language, text: str, mention: str, metonymic: bool
) -> None:
    assert place(places_of(nlp, text), mention).metonymic is metonymic


def test_literal_places_of_a_sentence_leave_out_governments(nlp: Language) -> None:
    doc, article = parse(
        nlp, "Beijing warned Washington against arms sales. The envoy flew to Tokyo."
    )
    places = resolve_places(doc, article)
    assert [p.name for p in literal_places_in_sentence(places, 0)] == []
    assert [p.name for p in literal_places_in_sentence(places, 1)] == ["Tokyo"]
