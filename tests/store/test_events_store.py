"""Quotes, actors, places and events in the store: they round-trip, an old store upgrades in
place, and search finds articles by speaker, actor, CAMEO code, PLOVER type, country and date.

The articles are built by hand, as the NLP components would leave them, so these tests need no
spaCy. ``annotated_news`` is shared with the export and CLI tests.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tests.store.builders import nato_article, sentences_of, short_article
from wirewatch.errors import StoreError, UsageError
from wirewatch.model import Actor, Article, Event, Place, Quote, Speaker
from wirewatch.store import SearchHit, Store, rows, schema
from wirewatch.store.backends.sqlite import SqliteConnection
from wirewatch.store.filters import PLOVER_TYPES
from wirewatch.store.schema import migrate
from wirewatch.store.writes import _INSERT_DROPPED, _INSERT_ENTITY, _INSERT_SENTENCE

# Hand-built annotations


def span(text: str, words: str, after: int = 0) -> tuple[int, int]:
    """Offsets of the first ``words`` in ``text`` at or after ``after``."""
    start = text.index(words, after)
    return start, start + len(words)


def mention(in_text: str, words: str, code: str | None, after: int = 0, **facts: str) -> Actor:
    start, end = span(in_text, words, after)
    return Actor(words, start, end, code, **facts)


def place(
    in_text: str, words: str, name: str, geonameid: int | None, lat: float | None,
    lon: float | None, country: str | None, feature: str, sentence: int, after: int = 0,
    metonymic: bool = False,
) -> Place:  # fmt: skip
    start, end = span(in_text, words, after)
    return Place(
        words, start, end, name, geonameid, lat, lon, country, feature, metonymic, sentence
    )


def nato_with_events() -> Article:
    """The AFP NATO story with its quotes, actors, places and three events."""
    article = nato_article()
    text = article.text
    line1 = text.index("\n") + 1
    line2 = text.index("\n", line1) + 1
    kyiv = place(text, "Kiev", "Kyiv", 703448, 50.45466, 30.5238, "UKR", "capital", 0)
    stoltenberg = mention(text, "Jens Stoltenberg", "IGOWSTNAT", name="Jens Stoltenberg")
    nato = mention(text, "NATO", "IGOWSTNAT", sector="IGO")
    ukraine = mention(text, "Ukraine", "UKR", country="UKR")
    russia = mention(text, "Russia", "RUS", country="RUS")
    separatists = mention(
        text, "pro-Russian separatists", "UKRREB", country="UKR", sector="REB", affiliation="RUS"
    )
    peskov = mention(
        text, "Dmitry Peskov", "RUSGOV", name="Dmitry Peskov", country="RUS", sector="GOV"
    )
    quoted = "Russia has maintained its aggressive actions against Ukraine, but NATO and NATO "
    quoted += "allies stand by Ukraine and stand on your side,"
    first_quote = span(text, quoted)
    second = (
        "We are also here to demonstrate NATO's solidarity with Ukraine and our firm support for "
        "the sovereignty and territorial integrity of your country,"
    )
    second_quote = span(text, second)
    said_by = Speaker(
        "Stoltenberg", *span(text, "Stoltenberg", line1), name="Jens Stoltenberg",
        role="Secretary General", organisation="NATO", resolved_from="Stoltenberg",
    )  # fmt: skip
    said_again = replace(said_by, start=span(text, "Stoltenberg", line2)[0])
    said_again.end = said_again.start + len("Stoltenberg")
    peskov_words = "Kremlin spokesman Dmitry Peskov"
    peskov_said = Speaker(
        peskov_words, *span(text, peskov_words), name="Dmitry Peskov", role="spokesman",
        organisation="Kremlin", country="RUS",
    )  # fmt: skip
    indirect = "it would not contribute to stability in Europe"
    quotes = [
        Quote(quoted, *first_quote, "direct", "said", said_by, 1),
        Quote(second, *second_quote, "direct", "said", said_again, 2),
        Quote(indirect, *span(text, indirect), "indirect", "said", peskov_said, 3),
    ]
    visit = Event(
        cameo="042", cameo_name="Make a visit", plover="CONSULT", quad_class=1, goldstein=1.9,
        source=[stoltenberg], target=[mention(text, "Kiev", "UKRGOV", country="UKR")],
        polarity="asserted", trigger="visit", start=span(text, "a visit to Kiev")[0],
        end=span(text, "on Monday")[1], sentence=0, date="2017-07-10", date_text="Monday",
        location=kyiv, location_source="clause", confidence=0.9, pattern="042:visit",
    )  # fmt: skip
    pledge = Event(
        cameo="030", cameo_name="Express intent to cooperate, not specified below",
        plover="AGREE", quad_class=1, goldstein=4.0, source=[stoltenberg], target=[ukraine],
        polarity="intended", trigger="pledged", start=stoltenberg.start,
        end=span(text, "support for Ukraine")[1], sentence=0,
    )  # fmt: skip
    aggression = Event(
        cameo="190", cameo_name="Use conventional military force, not specified below",
        plover="ASSAULT", quad_class=4, goldstein=-10.0, source=[russia],
        target=[mention(text, "Ukraine", "UKR", line1, country="UKR")],
        polarity="reported_claim", trigger="maintained its aggressive actions",
        start=first_quote[0], end=span(text, "against Ukraine")[1], sentence=1,
        claimant=Actor("Stoltenberg", said_by.start, said_by.end, "IGOWSTNAT"),
    )  # fmt: skip
    europe = place(text, "Europe", "Europe", 6255148, 48.69096, 9.14062, None, "continent", 3)
    return replace(
        article,
        quotes=quotes,
        actors=[nato, stoltenberg, ukraine, separatists, russia, peskov],
        places=[kyiv, place(text, "Kiev", "Kyiv", 703448, 50.45466, 30.5238, "UKR",
                            "capital", 1, after=line1), europe],
        events=[visit, pledge, aggression],
    )  # fmt: skip


SHELLING_LINES = (
    "KIEV, July 12 (AFP) - Ukraine accused Russia on Wednesday of shelling its positions near "
    "Luhansk in June 2014, a charge Moscow has denied.",
    '"Russian artillery fired across the border," said Ukrainian military spokesman Andriy '
    "Lysenko.",
    "Russia has denied backing the rebels.",
)
SHELLING_URL = "https://news.example/2017/07/12/ukraine-accuses-russia"


def shelling_article() -> Article:
    """Ukraine accuses Russia of shelling in 2014: a claim, an accusation, a quote, a denial."""
    text = "\n".join(SHELLING_LINES)
    line1 = text.index("\n") + 1
    line2 = text.index("\n", line1) + 1
    ukraine = mention(text, "Ukraine", "UKRGOV", country="UKR", sector="GOV")
    russia = mention(text, "Russia", "RUS", country="RUS")
    moscow = mention(text, "Moscow", "RUSGOV", country="RUS", sector="GOV")
    luhansk = place(text, "Luhansk", "Luhansk", 702658, 48.56705, 39.31706, "UKR", "city", 0)
    artillery = mention(text, "Russian artillery", "RUSMIL", country="RUS", sector="MIL")
    lysenko_words = "Ukrainian military spokesman Andriy Lysenko"
    lysenko = Speaker(
        lysenko_words, *span(text, lysenko_words), name="Andriy Lysenko", role="spokesman",
        organisation="Ukrainian military", country="UKR",
    )  # fmt: skip
    fired = "Russian artillery fired across the border,"
    shelling = Event(
        cameo="194", cameo_name="Fight with artillery and tanks", plover="ASSAULT",
        quad_class=4, goldstein=-10.0,
        source=[mention(text, "Russia", "RUSMIL", country="RUS", sector="MIL")],
        target=[mention(text, "its positions", "UKRMIL", country="UKR", sector="MIL")],
        polarity="reported_claim", trigger="shelling", start=span(text, "shelling")[0],
        end=span(text, "June 2014")[1], sentence=0, date="2014-06", date_text="June 2014",
        location=luhansk, claimant=ukraine,
    )  # fmt: skip
    accusation = Event(
        cameo="112", cameo_name="Accuse, not specified below", plover="ACCUSE", quad_class=3,
        goldstein=-2.0, source=[ukraine], target=[russia], polarity="asserted",
        trigger="accused", start=ukraine.start, end=span(text, "June 2014")[1], sentence=0,
        date="2017-07-12", date_text="Wednesday",
    )  # fmt: skip
    firing = Event(
        cameo="194", cameo_name="Fight with artillery and tanks", plover="ASSAULT",
        quad_class=4, goldstein=-10.0, source=[artillery], target=[], polarity="asserted",
        trigger="fired", start=artillery.start, end=span(text, "the border")[1], sentence=1,
        claimant=Actor(lysenko.text, lysenko.start, lysenko.end, "UKRMIL", name="Andriy Lysenko"),
    )  # fmt: skip
    denial = Event(
        cameo="070", cameo_name="Provide aid, not specified below", plover="AID", quad_class=2,
        goldstein=7.0, source=[mention(text, "Russia", "RUSGOV", line2, country="RUS")],
        target=[mention(text, "the rebels", "UKRREB", country="UKR", sector="REB")],
        polarity="denied", trigger="backing", start=span(text, "backing")[0],
        end=span(text, "the rebels")[1], sentence=2,
        claimant=mention(text, "Russia", "RUSGOV", line2, country="RUS"),
    )  # fmt: skip
    return Article(
        text=text,
        source="test",
        url=SHELLING_URL,
        title="Ukraine accuses Russia of 2014 shelling",
        published="2017-07-12",
        fetched_at="2017-07-12T10:00:00+00:00",
        sentences=sentences_of(text),
        quotes=[Quote(fired[:-1], *span(text, fired[:-1]), "direct", "said", lysenko, 1)],
        actors=[ukraine, russia, moscow, artillery],
        places=[luhansk],
        events=[shelling, accusation, firing, denial],
    )


DONETSK_TEXT = "Rebels attacked an army checkpoint near Donetsk last week, the army said."


def donetsk_article() -> Article:
    """Published on 20 July about an attack in the week of 3 July (ISO week 27)."""
    text = DONETSK_TEXT
    attack = Event(
        cameo="190", cameo_name="Use conventional military force, not specified below",
        plover="ASSAULT", quad_class=4, goldstein=-10.0,
        source=[mention(text, "Rebels", "REB", sector="REB")],
        target=[mention(text, "an army checkpoint", "MIL", sector="MIL")],
        polarity="asserted", trigger="attacked", start=0, end=span(text, "last week")[1],
        sentence=0, date="2017-W27", date_text="last week",
        location=place(text, "Donetsk", "Donetsk", 709717, 48.023, 37.80224, "UKR", "city", 0),
    )  # fmt: skip
    return short_article(
        text, "https://news.example/donetsk", title="Checkpoint attacked near Donetsk",
        published="2017-07-20T08:00:00+03:00", events=[attack], sentences=sentences_of(text),
    )  # fmt: skip


def annotated_news() -> list[Article]:
    """The three annotated articles, in the order the tests add them."""
    return [nato_with_events(), shelling_article(), donetsk_article()]


@pytest.fixture
def news(store: Store) -> list[Article]:
    articles = annotated_news()
    store.add_articles(articles)
    return articles


def ids(hits: list[SearchHit]) -> list[str]:
    return [hit.article_id for hit in hits]


# Round trips


def test_every_annotation_round_trips(store: Store, news: list[Article]) -> None:
    for article in news:
        stored = store.get_article(article.id)
        assert stored == article
        assert stored is not None and stored.events == article.events  # claimants, locations


def test_annotations_come_back_in_order_with_exact_values(
    store: Store, news: list[Article]
) -> None:
    nato = store.get_article(news[0].id)
    assert nato is not None
    assert [q.speaker.name for q in nato.quotes if q.speaker] == [
        "Jens Stoltenberg", "Jens Stoltenberg", "Dmitry Peskov",
    ]  # fmt: skip
    assert nato.quotes[2].speaker is not None and nato.quotes[2].speaker.country == "RUS"
    assert [e.cameo for e in nato.events] == ["042", "030", "190"]
    visit = nato.events[0]
    assert visit.location is not None and visit.location.lat == 50.45466
    assert visit.location.metonymic is False
    assert (visit.location_source, visit.confidence, visit.pattern) == ("clause", 0.9, "042:visit")
    said = span(nato.text, "Stoltenberg", nato.text.index("\n"))  # the first "... said"
    assert nato.events[2].claimant == Actor("Stoltenberg", *said, "IGOWSTNAT")
    assert nato.actors[3].affiliation == "RUS"
    assert nato.places[2].country is None and nato.places[2].feature == "continent"
    shelling = store.get_article(news[1].id)
    assert shelling is not None
    assert shelling.events[2].target == []
    assert shelling.events[0].goldstein == -10.0


def test_a_quote_without_a_speaker_and_an_event_without_extras_round_trip(store: Store) -> None:
    text = '"We will not back down," a statement said.'
    article = short_article(
        text,
        quotes=[Quote("We will not back down,", 1, 23, "direct", "said", None, 0)],
        events=[
            Event("013", "Make optimistic comment", None, 1, 0.4, [], [], "negated", "back down",
                  1, 22, 0),
        ],
    )  # fmt: skip
    store.add_article(article)
    assert store.get_article(article.id) == article


def test_an_article_whose_annotations_cannot_be_written_is_not_stored_at_all(
    store: Store,
) -> None:
    good = nato_with_events()
    broken = shelling_article()
    broken.events[1] = replace(broken.events[1], cameo=None)  # type: ignore[arg-type]

    with pytest.raises(StoreError, match="cannot store article"):
        store.add_articles([good, broken])

    assert store.get_article(good.id) is None  # the whole batch was undone
    assert store.get_article(broken.id) is None
    assert store.search(cameo="19") == []


# Upgrading a store written before quotes and events were stored


# The columns of ``articles`` in schema version 1, whatever later versions add.
V1_ARTICLE_COLUMNS = (
    "id", "url", "canonical_url", "site_id", "site", "title", "author", "published", "language",
    "fetched_at", "source", "input_id", "text", "word_count", "content_hash", "metadata",
    "ingested_at",
)  # fmt: skip


def make_v1_store(path: Path, article: Article) -> None:
    """A store as wirewatch left it at schema version 1, holding ``article``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, isolation_level=None, factory=SqliteConnection)
    with closing(connection) as conn:
        migrate(conn, schema.MIGRATIONS[:1])
        article_id = article.id
        values = rows.article_values(article_id, article, None, "2017-07-10T10:00:00+00:00")
        conn.execute("BEGIN")
        conn.execute(
            f"INSERT INTO articles (seq, {', '.join(V1_ARTICLE_COLUMNS)}) "
            f"VALUES (1, {', '.join(':' + column for column in V1_ARTICLE_COLUMNS)})",
            {column: values[column] for column in V1_ARTICLE_COLUMNS},
        )
        conn.executemany(_INSERT_SENTENCE, rows.sentence_rows(article_id, article))
        conn.executemany(_INSERT_ENTITY, rows.entity_rows(article_id, article))
        conn.executemany(_INSERT_DROPPED, rows.dropped_rows(article_id, article))
        conn.execute("COMMIT")


def test_a_version_1_store_upgrades_in_place_and_keeps_its_articles(store_path: Path) -> None:
    old = replace(nato_article(), url=None, canonical_url=None)
    make_v1_store(store_path, old)

    with Store.open(store_path) as store:
        assert store.get_article(old.id) == old  # unchanged, with empty annotation lists
        new = shelling_article()
        store.add_article(new)
        assert store.get_article(new.id) == new
        # The publication day of an article stored before the upgrade is searchable.
        assert ids(store.search(since="2017-07-10", until="2017-07-10")) == [old.id]
        assert ids(store.search("Stoltenberg")) == [old.id]
        assert ids(store.search(cameo="194")) == [new.id]

    with closing(sqlite3.connect(store_path)) as conn:
        versions = [row[0] for row in conn.execute("SELECT version FROM schema_migrations")]
    assert versions == [migration.version for migration in schema.MIGRATIONS]


# Search filters


def matched_events(hit: SearchHit) -> list[str]:
    return [stored.event.cameo for stored in hit.events]


def test_speaker_matches_words_of_the_name_and_lists_the_quotes(
    store: Store, news: list[Article]
) -> None:
    [hit] = store.search(speaker="Peskov")
    assert hit.article_id == news[0].id
    assert [q.quote.text for q in hit.quotes] == ["it would not contribute to stability in Europe"]
    assert hit.quotes[0].index == 2
    assert hit.quotes[0].sentence_text == news[0].text.split("\n")[3]
    assert hit.events == ()
    [hit] = store.search(speaker="jens stoltenberg")
    assert [q.index for q in hit.quotes] == [0, 1]
    assert ids(store.search(speaker="Lysenko")) == [news[1].id]
    # The words the article names the speaker with count too; parts of words do not.
    assert ids(store.search(speaker="Kremlin")) == [news[0].id]
    assert store.search(speaker="Stolten") == []


def test_actor_matches_a_code_prefix_or_the_words_of_a_name(
    store: Store, news: list[Article]
) -> None:
    nato, shelling, donetsk = news
    assert sorted(ids(store.search(actor="RUS"))) == sorted([nato.id, shelling.id])
    [hit] = store.search(actor="RUSMIL")
    assert hit.article_id == shelling.id
    assert [e.index for e in hit.events] == [0, 2]  # the shelling and the firing
    [hit] = store.search(actor="Russian artillery")
    assert [e.event.trigger for e in hit.events] == ["fired"]
    assert sorted(ids(store.search(actor="rebels"))) == sorted([shelling.id, donetsk.id])
    assert store.search(actor="Peskov") == []  # an actor of the article, but of no event


def test_cameo_is_a_prefix_and_lists_only_matching_events(
    store: Store, news: list[Article]
) -> None:
    nato, shelling, donetsk = news
    hits = {hit.article_id: matched_events(hit) for hit in store.search(cameo="19")}
    assert hits == {nato.id: ["190"], shelling.id: ["194", "194"], donetsk.id: ["190"]}
    assert {h.article_id: matched_events(h) for h in store.search(cameo="194")} == {
        shelling.id: ["194", "194"]
    }
    assert ids(store.search(cameo="04")) == [nato.id]


def test_plover_is_a_type_in_any_case(store: Store, news: list[Article]) -> None:
    [hit] = store.search(plover="accuse")
    assert hit.article_id == news[1].id
    assert [e.event.plover for e in hit.events] == ["ACCUSE"]
    assert len(store.search(plover="ASSAULT")) == 3


def test_country_matches_the_location_or_an_actor(store: Store, news: list[Article]) -> None:
    nato, shelling, donetsk = news
    # Donetsk's attack has no Ukrainian actor, only a location in Ukraine.
    assert sorted(ids(store.search(country="ukr"))) == sorted([nato.id, shelling.id, donetsk.id])
    [hit] = store.search(country="UKR", cameo="190", actor="REB")
    assert hit.article_id == donetsk.id
    rus = {h.article_id: [e.index for e in h.events] for h in store.search(country="RUS")}
    assert rus == {nato.id: [2], shelling.id: [0, 1, 2, 3]}


def test_event_filters_apply_to_one_event(store: Store, news: list[Article]) -> None:
    # The shelling article has a RUSGOV event (the denied backing) and 19x events, but no
    # RUSGOV event that is a 19x one.
    assert store.search(actor="RUSGOV", cameo="19") == []
    assert ids(store.search(actor="RUSGOV", cameo="07")) == [news[1].id]


def test_since_and_until_use_event_dates_with_an_event_filter(
    store: Store, news: list[Article]
) -> None:
    nato, shelling, donetsk = news
    # Reported in 2017, the shelling happened in June 2014.
    [hit] = store.search(cameo="19", until="2014")
    assert (hit.article_id, [e.index for e in hit.events]) == (shelling.id, [0])
    [hit] = store.search(cameo="19", since="2014-06-30", until="2014-06-30")
    assert hit.article_id == shelling.id  # a month matches on any of its days
    # The Donetsk attack was in the week of 3 July, though published on 20 July.
    assert ids(store.search(cameo="19", since="2017-07-09", until="2017-07-09")) == [donetsk.id]
    assert donetsk.id not in ids(store.search(cameo="19", since="2017-07-15"))
    # An event without a date takes its article's publication day: NATO's 190 on 10 July,
    # the artillery fire in the shelling story on 12 July.
    hits = store.search(cameo="19", since="2017-07-10", until="2017-07-12")
    assert {h.article_id: [e.index for e in h.events] for h in hits} == {
        nato.id: [2],
        shelling.id: [2],
    }


def test_since_and_until_use_the_publication_day_otherwise(
    store: Store, news: list[Article]
) -> None:
    nato, shelling, donetsk = news
    store.add_article(short_article("Undated report on talks.", published="Wednesday"))
    assert ids(store.search(since="2017-07-11")) == [donetsk.id, shelling.id]  # latest first
    assert ids(store.search(until="2017-07-10")) == [nato.id]
    assert ids(store.search(speaker="Lysenko", until="2017-07-11")) == []
    assert len(store.search(since="2000")) == 3  # a date that is not ISO is never in range


def test_a_query_and_filters_combine(store: Store, news: list[Article]) -> None:
    assert ids(store.search("Stoltenberg", cameo="19")) == [news[0].id]
    assert store.search("Stoltenberg", cameo="194") == []
    hits = store.search("Russia", speaker="Lysenko", plover="AID")
    assert ids(hits) == [news[1].id]
    assert [q.index for q in hits[0].quotes] == [0]
    assert matched_events(hits[0]) == ["070"]
    assert hits[0].rank is not None and "[Russia]" in hits[0].snippet


def test_filters_alone_give_the_latest_published_first_with_the_text_start(
    store: Store, news: list[Article]
) -> None:
    hits = store.search(plover="ASSAULT")
    assert ids(hits) == [news[2].id, news[1].id, news[0].id]
    assert all(hit.rank is None for hit in hits)
    assert hits[0].snippet == DONETSK_TEXT
    assert hits[1].snippet.startswith("KIEV, July 12 (AFP) - Ukraine accused") and hits[
        1
    ].snippet.endswith("…")
    assert len(store.search(plover="ASSAULT", limit=2)) == 2


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"since": "last week"}, "since 'last week' is not a date"),
        ({"until": "2017-02-30"}, "until '2017-02-30' is not a date"),
        ({"since": "2018", "until": "2017"}, "since '2018' is after until '2017'"),
        ({"cameo": "1a"}, "cameo '1a' is not a CAMEO code"),
        ({"cameo": "99"}, "cameo '99' is not a code of the CAMEO table"),
        ({"plover": "ATTACK"}, "plover 'ATTACK' is not a PLOVER event type"),
        ({"country": "Ukraine"}, "country 'Ukraine' is not an ISO 3166 alpha-3 code"),
        ({"speaker": '"'}, "has no letters or digits"),
        ({}, "give words to search for, a filter, or both"),
    ],
)
def test_a_filter_that_cannot_match_is_a_usage_error(
    store: Store, filters: dict[str, Any], message: str
) -> None:
    with pytest.raises(UsageError, match=message):
        store.search(**filters)


def test_the_plover_types_are_those_of_the_packaged_conversion_table() -> None:
    from wirewatch.understand.codes import cameo_table, plover_type

    assert set(PLOVER_TYPES) == {plover_type(code) for code in cameo_table()} - {None}
