"""Full-text search: plain words just work, snippets show the match, the best hit comes first."""

from __future__ import annotations

import pytest

from tests.store.builders import NATO_URL, nato_article, short_article
from wirewatch.errors import UsageError
from wirewatch.store import SearchHit, Store
from wirewatch.store.search import fts_query

TILLERSON = (
    "US Secretary of State Rex Tillerson made a maiden visit to Kiev and urged Moscow to take "
    'the "first step" to ease the conflict in Ukraine\'s east.'
)
PESKOV = (
    "It (Ukraine's rapprochement with NATO) will not contribute to stability, Kremlin "
    "spokesman Dmitry Peskov said. The Kremlin has long been angered by NATO expansion."
)


@pytest.fixture
def news(store: Store) -> Store:
    store.add_articles(
        [
            nato_article(),
            short_article(
                TILLERSON, "https://news.example/tillerson", title="Tillerson visits Kiev"
            ),
            short_article(PESKOV, None, title="Kremlin warns Kiev over NATO"),
        ]
    )
    return store


def titles(hits: list[SearchHit]) -> list[str | None]:
    return [hit.title for hit in hits]


def test_a_hit_names_the_article_and_shows_the_match_in_brackets(news: Store) -> None:
    [hit] = news.search("Jens Stoltenberg")
    article = nato_article()
    assert hit.article_id == article.id
    assert hit.title == "NATO chief pledges support for Ukraine in Kiev"
    assert hit.url == NATO_URL
    assert hit.site == "Space War"
    assert hit.published == "2017-07-10T00:00:00+00:00"
    assert hit.snippet.startswith("NATO chief [Jens] [Stoltenberg] pledged support")
    assert hit.snippet.endswith("…")


def test_a_snippet_from_the_middle_of_the_text_is_cut_on_both_sides(news: Store) -> None:
    [hit] = news.search("territorial integrity")
    assert hit.snippet.startswith("…")
    assert "[territorial] [integrity]" in hit.snippet


def test_words_with_apostrophes_hyphens_and_quotes_just_work(news: Store) -> None:
    assert titles(news.search("NATO's solidarity")) == [nato_article().title]
    assert titles(news.search("pro-Russian")) == [nato_article().title]
    assert "[pro-Russian]" in news.search("pro-Russian")[0].snippet
    assert titles(news.search("Ukraine's rapprochement")) == ["Kremlin warns Kiev over NATO"]
    assert titles(news.search('"first step"')) == ["Tillerson visits Kiev"]
    assert titles(news.search('Tillerson" said')) == []  # a stray quote is not an error
    assert titles(news.search("(Stoltenberg) Kiev:")) == [nato_article().title]
    assert titles(news.search("(AFP) Stoltenberg:")) == []  # "AFP" is not in the text


def test_the_most_relevant_article_comes_first(news: Store) -> None:
    hits = news.search("Kremlin")
    # Peskov's story says "Kremlin" in its title and twice in its text; the NATO story once.
    assert titles(hits) == ["Kremlin warns Kiev over NATO", nato_article().title]
    assert hits[0].rank < hits[1].rank  # bm25 as FTS5 reports it: lower is better


def test_title_matches_outrank_body_matches(store: Store) -> None:
    store.add_articles(
        [
            short_article("Talks went on. Peskov spoke later.", title="Other news"),
            short_article("Talks went on. Nobody spoke later.", title="Peskov speaks"),
        ]
    )
    assert titles(store.search("Peskov")) == ["Peskov speaks", "Other news"]


def test_stemming_finds_other_forms_of_a_word(news: Store) -> None:
    assert titles(news.search("pledges")) == [nato_article().title]


def test_operators_and_phrases_keep_their_meaning(news: Store) -> None:
    assert set(titles(news.search("Tillerson OR rapprochement"))) == {
        "Tillerson visits Kiev",
        "Kremlin warns Kiev over NATO",
    }
    assert titles(news.search("Kiev NOT NATO")) == ["Tillerson visits Kiev"]
    assert titles(news.search('"Dmitry Peskov" AND (expansion OR Moscow)')) == [
        "Kremlin warns Kiev over NATO"
    ]
    assert titles(news.search("Stolten*")) == [nato_article().title]
    # Lower-case "and" is a word to search for, not an operator.
    assert titles(news.search("Ukraine and NATO")) != []


def test_the_limit_caps_the_hits(news: Store) -> None:
    assert len(news.search("Kiev", limit=2)) == 2
    with pytest.raises(UsageError, match="at least 1"):
        news.search("Kiev", limit=0)


def test_an_invalid_query_is_a_usage_error_that_explains(news: Store) -> None:
    with pytest.raises(UsageError) as caught:
        news.search("NATO AND")
    assert "cannot search for 'NATO AND'" in caught.value.message
    assert "AND, OR and NOT need a search term on each side" in caught.value.message
    with pytest.raises(UsageError, match="nothing to search for"):
        news.search("  ")
    with pytest.raises(UsageError, match="nothing to search for"):
        news.search('OR ""')


def test_search_follows_articles_that_are_added(store: Store) -> None:
    assert store.search("Poroshenko") == []
    store.add_article(short_article("Poroshenko told journalists."))
    assert len(store.search("Poroshenko")) == 1


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Jens Stoltenberg", '"Jens" "Stoltenberg"'),
        ("NATO's", '"NATO\'s"'),
        ("pro-Russian", '"pro-Russian"'),
        ('"Jens Stoltenberg" OR Peskov', '"Jens Stoltenberg" OR "Peskov"'),
        ("Kiev NOT (Moscow OR Kremlin)", '"Kiev" NOT ( "Moscow" OR "Kremlin" )'),
        ("(AFP) Kiev (Moscow)", '( "AFP" ) AND "Kiev" AND ( "Moscow" )'),
        ("Warsaw (AFP", '"Warsaw" "AFP"'),
        ('say "first step', '"say" "first" "step"'),
        ("Stolten*", '"Stolten"*'),
        ("title:NATO", '"title:NATO"'),
        ("nato and or", '"nato" "and" "or"'),
    ],
)
def test_fts_query_quotes_bare_words_and_keeps_operators(typed: str, expected: str) -> None:
    assert fts_query(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "Stoltenberg:",
        "NATO-Ukraine Commission",
        "Kiev (AFP",
        "(AFP)) Kiev",
        '"Russia must withdraw',
        "^NATO +Ukraine -Russia",
        "NEAR(NATO Ukraine)",
        "col:NATO {title text}",
        "50% of C++ & Ukraine's",
        "Stoltenberg* **",
    ],
)
def test_punctuation_in_a_query_is_never_a_syntax_error(news: Store, typed: str) -> None:
    hits = news.search(typed)
    assert all(hit.snippet for hit in hits)
