"""Search ranks hits the same way on both backends: FTS5's bm25 on SQLite, the same formula
computed from the ``tsvector`` on PostgreSQL (``backends/pg_rank.py``), same scores, same order."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.store.builders import nato_article, short_article
from wirewatch.model import Article
from wirewatch.store import Store

pytestmark = pytest.mark.usefixtures("postgres_server")

# Texts of different lengths, with words repeated, in titles, in phrases, cut by punctuation
# (dates, possessives, hyphens), with accents, superscripts and an emoji: each changes a term
# of the score (a word's count, the article's length, where a phrase starts). ("½" and "🙂" are
# words to FTS5 but not to PostgreSQL's parser: they count in an article's length on both, and
# only SQLite finds them; docs/postgres.md lists the differences.)
CORPUS = (
    ("Kyiv talks", "Ukrainian and Russian officials met in Kyiv. Kyiv said talks would go on."),
    ("Kremlin reply", "Kremlin spokesman Dmitry Peskov said Moscow rejected the proposal."),
    (
        "Prime minister resigns",
        "The prime minister resigned on 2025-09-04 after the news broke. A former prime "
        "minister called it the end of an era; the minister of finance stays.",
    ),
    (
        None,
        "News agencies said the minister's office in Kyiv was closed. Officials declined to "
        "say why, and the ministry's spokeswoman gave no news on Monday.",
    ),
    (
        "Café owners protest",
        "Café owners in Lviv protested new taxes; one said revenue fell by ½ and costs rose "
        "10² times 🙂 since 2023. Pro-Russian groups were not involved.",
    ),
    (
        "Pro-Russian rally in Donetsk",
        "Hundreds attended a pro-Russian rally in Donetsk; pro-Russian leaders spoke for an "
        "hour while Kyiv called the rally illegal.",
    ),
    (
        "Markets",
        "Markets rose in Moscow and in Kyiv as the news of talks spread; Moscow traders said "
        "Moscow would gain most. " + "Analysts expect more gains this week. " * 6,
    ),
    ("Ministers meet", "Ministers of the two countries met; the ministers agreed to meet again."),
    ("Peskov", "Peskov."),
)
QUERIES = (
    "Kyiv",
    "Moscow",
    "Kyiv Moscow",
    "Kyiv OR Peskov",
    "Kyiv NOT Moscow",
    "(Kyiv OR Moscow) AND talks",
    '"prime minister"',
    "minister",
    "minist*",
    "pro-Russ*",
    "pro-Russian",
    "news",
    "2025",
    "cafe",
    "Peskov OR Kremlin OR NATO",
    "the",
    "Stoltenberg",
)


def corpus() -> list[Article]:
    articles = [nato_article()]
    for n, (title, text) in enumerate(CORPUS):
        articles.append(short_article(text, f"https://news.example/{n}", title=title))
    return articles


@pytest.fixture
def both(tmp_path: Path, postgres_url: str) -> Iterator[tuple[Store, Store]]:
    with Store.open(tmp_path / "s.db") as sqlite, Store.open(postgres_url) as postgres:
        for store in (sqlite, postgres):
            store.add_articles(corpus())
        yield sqlite, postgres


@pytest.mark.parametrize("query", QUERIES)
def test_a_search_lists_the_same_hits_in_the_same_order_with_the_same_scores(
    both: tuple[Store, Store], query: str
) -> None:
    sqlite, postgres = both
    expected = sqlite.search(query, limit=50)
    found = postgres.search(query, limit=50)
    assert expected, query
    assert [hit.article_id for hit in found] == [hit.article_id for hit in expected]
    assert [hit.rank for hit in found] == pytest.approx([hit.rank for hit in expected], rel=1e-12)


def test_a_rare_word_outranks_a_common_one_repeated(both: tuple[Store, Store]) -> None:
    # bm25 weighs a word by how few articles hold it: one "Peskov" in a two-word text beats
    # "Kyiv" said twice, which five articles hold. (ts_rank alone would put Kyiv first.)
    for store in both:
        titles = [hit.title for hit in store.search("Kyiv OR Peskov")]
        assert titles.index("Peskov") < titles.index("Kyiv talks"), store


def test_the_totals_the_score_reads_follow_every_insert(postgres_url: str) -> None:
    with Store.open(postgres_url) as store:
        texts = [f"Report number {n} from Kyiv: " + "word " * (n % 7) for n in range(300)]
        store.add_articles([short_article(text, f"https://news.example/r{n}") for n, text in
                            enumerate(texts)])  # fmt: skip
        conn = store.connection
        rows, articles, tokens = conn.execute(
            "SELECT count(*), sum(articles), sum(tokens) FROM search_totals"
        ).fetchone()
        counted = conn.execute("SELECT count(*), sum(search_tokens) FROM articles").fetchone()
        assert (articles, tokens) == tuple(counted)
        assert counted[0] == 300
        assert rows < 300  # one row per insert, folded every 256
