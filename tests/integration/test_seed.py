"""The reference input, end to end: the golden test of extraction, cleaning and entities."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from wirewatch.model import Article
from wirewatch.run.local import analyze_inputs
from wirewatch.settings import Settings

SEED = Path(__file__).parents[1] / "fixtures" / "seed_000_3ed97192f3d4092b.txt"
SEED_TEXT = SEED.read_text(encoding="utf-8")
# The article is every line up to and including the one that ends "Stoltenberg added."
ARTICLE_LINES = SEED_TEXT.split("\n")[
    : SEED_TEXT.split("\n").index(
        '"NATO will continue to support Ukraine on the path towards closer relationships '
        'with NATO," Stoltenberg added.'
    )
    + 1
]
JUNK_LINES = [line for line in SEED_TEXT.split("\n")[len(ARTICLE_LINES) :] if line.strip()]


@pytest.fixture(scope="module")
def seed_article() -> Article:
    results = list(analyze_inputs([str(SEED)], Settings(), stages="all"))
    assert len(results) == 1
    article = results[0]
    assert isinstance(article, Article), article
    return article


def test_text_starts_and_ends_with_the_article(seed_article: Article) -> None:
    assert seed_article.text.startswith("NATO chief Jens Stoltenberg pledged support")
    assert seed_article.text.endswith("Stoltenberg added.")


def test_every_article_sentence_is_kept_in_order(seed_article: Article) -> None:
    assert seed_article.text.split("\n") == ARTICLE_LINES


def test_subheading_kept(seed_article: Article) -> None:
    assert "- Path to membership? -" in seed_article.text.split("\n")


def test_nothing_from_the_teaser_onward_survives(seed_article: Article) -> None:
    assert "Trump" not in seed_article.text
    for line in JUNK_LINES:
        assert line.strip() not in seed_article.text


def test_every_dropped_line_has_its_reason(seed_article: Article) -> None:
    dropped = {d.text: d.reason for d in seed_article.dropped}
    assert set(dropped) == {" ".join(line.split()) for line in JUNK_LINES}
    reasons = {d.reason for d in seed_article.dropped}
    assert {"teaser", "promo", "donation_appeal", "syndication_footer"} <= reasons
    assert reasons & {"spam", "comment"}
    assert dropped["Related Links"] == "promo"
    assert dropped["via space News"] == "syndication_footer"
    assert dropped["Are you looking for free Instagram Likes?"] == "spam"
    teaser = [d for d in seed_article.dropped if d.reason == "teaser"]
    assert teaser[0].text.startswith("Trump pledges support for NATO")
    assert all(re.search(r"\w", d.reason) for d in seed_article.dropped)


def test_people_have_their_full_canonical_names(seed_article: Article) -> None:
    people = {e.canonical for e in seed_article.entities if e.label == "PERSON"}
    assert {"Jens Stoltenberg", "Petro Poroshenko", "Dmitry Peskov"} <= people
    surnames = [e for e in seed_article.entities if e.text in {"Stoltenberg", "Poroshenko"}]
    assert surnames and all(e.label == "PERSON" for e in surnames)
    assert {e.canonical for e in surnames} == {"Jens Stoltenberg", "Petro Poroshenko"}


def test_kiev_is_one_place(seed_article: Article) -> None:
    kiev = [e for e in seed_article.entities if e.text == "Kiev"]
    assert len(kiev) >= 3
    assert {e.canonical for e in kiev} == {"Kyiv"}


def test_entity_offsets_point_into_the_text(seed_article: Article) -> None:
    for entity in seed_article.entities:
        assert seed_article.text[entity.start : entity.end] == entity.text
        sentence = seed_article.sentences[entity.sentence]
        assert sentence.start <= entity.start and entity.end <= sentence.end


def test_unknown_metadata_stays_unknown(seed_article: Article) -> None:
    # A plain-text re-post says nothing of its URL, author or date: nothing is guessed.
    assert seed_article.url is None
    assert seed_article.author is None
    assert seed_article.published is None
    assert seed_article.title is None
    assert seed_article.language == "en"
