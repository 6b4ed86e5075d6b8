"""Events placed from their clause, else their sentence, else the dateline."""

from __future__ import annotations

import pytest
from spacy.language import Language

from wirewatch.model import Article, Entity, Event, Place, Sentence
from wirewatch.understand import annotate_doc
from wirewatch.understand.event_places import place_events
from wirewatch.understand.nlp import load_nlp

TEXT = (
    "KIEV, July 10 (AFP) - Rebels shelled Donetsk on Monday. "
    "Moscow has denied the claims. Talks resumed."
)


def _place(text: str, name: str, sentence: int, metonymic: bool = False) -> Place:
    start = TEXT.index(text)
    return Place(
        text, start, start + len(text), name, None, 1.0, 2.0, "UKR", "city", metonymic, sentence
    )


def _event(trigger: str, sentence: int, location: Place | None = None, text: str = TEXT) -> Event:
    start = text.index(trigger)
    return Event(
        cameo="190",
        cameo_name="Use conventional military force",
        plover="ASSAULT",
        quad_class=4,
        goldstein=-10.0,
        source=[],
        target=[],
        polarity="asserted",
        trigger=trigger,
        start=start,
        end=start + len(trigger),
        sentence=sentence,
        location=location,
    )


@pytest.fixture
def article() -> Article:
    article = Article(text=TEXT, source="test")
    first = TEXT.index("Moscow")
    third = TEXT.index("Talks")
    article.sentences = [
        Sentence(0, first - 1),
        Sentence(first, third - 1),
        Sentence(third, len(TEXT)),
    ]
    article.places = [
        _place("KIEV", "Kyiv", 0),
        _place("Donetsk", "Donetsk", 0),
        _place("Moscow", "Moscow", 1, metonymic=True),
    ]
    return article


def test_a_clause_location_is_kept_and_marked_clause(article: Article) -> None:
    donetsk = article.places[1]
    article.events = [_event("shelled", 0, location=donetsk)]
    place_events(article)
    assert (article.events[0].location, article.events[0].location_source) == (donetsk, "clause")


def test_without_a_clause_location_a_literal_place_of_the_sentence(article: Article) -> None:
    article.events = [_event("shelled", 0)]
    place_events(article)
    event = article.events[0]
    assert event.location is not None
    assert (event.location.name, event.location_source) == ("Donetsk", "sentence")


def test_a_government_standing_for_its_place_is_no_location_so_the_dateline(
    article: Article,
) -> None:
    article.events = [_event("denied", 1), _event("resumed", 2)]
    place_events(article)
    for event in article.events:
        assert event.location is not None
        assert (event.location.name, event.location_source) == ("Kyiv", "dateline")


def test_a_demonym_is_no_location() -> None:
    text = "Turkish troops advanced. Talks resumed."
    article = Article(text=text, source="test")
    article.sentences = [Sentence(0, 23), Sentence(25, len(text))]
    article.entities = [Entity("Turkish", "NORP", 0, 7, "Turkish", 0)]
    article.places = [
        Place("Turkish", 0, 7, "Turkey", 298795, 39.0, 35.0, "TUR", "country", False, 0)
    ]
    article.events = [_event("advanced", 0, text=text)]
    place_events(article)
    assert (article.events[0].location, article.events[0].location_source) == (None, None)


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


def test_annotate_places_every_event_with_its_source(nlp: Language) -> None:
    text = (
        "WASHINGTON (Reuters) - The United States condemned the attack on Tuesday. "
        "Rebels shelled positions in Donetsk overnight."
    )
    article = Article(text=text, source="test")
    annotate_doc(nlp(text), article)
    assert article.events
    for event in article.events:
        assert event.location_source in ("clause", "sentence", "dateline")
        assert event.location is not None
        if event.location_source == "dateline":
            assert event.location.geonameid == 4140963
        else:
            assert event.location.name == "Donetsk"
