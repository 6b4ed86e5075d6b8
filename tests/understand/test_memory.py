"""A run's memory does not grow with the articles parsed (spaCy's new strings are freed), nor
with their length (a batch is cut at ``nlp_batch_chars`` characters)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from wirewatch import understand
from wirewatch.model import Article
from wirewatch.serialize import article_to_dict
from wirewatch.settings import Settings
from wirewatch.understand import annotate
from wirewatch.understand.nlp import batch_size_for, load_nlp


def test_parsing_leaves_the_vocabulary_as_it_was() -> None:
    settings = Settings(nlp_processes=1)
    nlp = load_nlp(settings.nlp_model)
    texts = [
        "Zorbelmann Quaxity, the mayor of Vrellington, said on Tuesday the council of "
        f"Plinthwick-{n} would vote on 4,{n:03d} new homes."
        for n in range(3)
    ]
    before = len(nlp.vocab.strings)
    articles = [Article(text=text, source=str(n)) for n, text in enumerate(texts)]
    annotate(articles, settings)
    assert len(nlp.vocab.strings) == before
    assert all(article.sentences for article in articles)
    assert any("Vrellington" in entity.text for entity in articles[0].entities)


def test_a_batch_holds_at_most_nlp_batch_chars_and_the_results_do_not_change(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A batch's working memory grows with its text (docs/performance.md: 2.1 GiB for 669,000
    # characters): batches are cut by characters as well as by articles.
    texts = [
        f"Officials in Kandara-{n} said on Monday that {n} bridges over the Ulvo river had "
        "reopened after the floods, and that the army would leave the region within a week. "
        * (1 + n % 3)
        for n in range(6)
    ]
    cut: list[list[str]] = []
    real_parse = understand.parse

    def recorded(
        nlp: Language, pairs: Iterable[tuple[str, int]], *, batch_size: int, processes: int
    ) -> Iterator[tuple[Doc, int]]:
        given = list(pairs)  # the batches nlp.pipe cuts: batch_size pairs in a row
        cut.extend(
            [text for text, _ in given[i : i + batch_size]]
            for i in range(0, len(given), batch_size)
        )
        return real_parse(nlp, given, batch_size=batch_size, processes=processes)

    monkeypatch.setattr(understand, "parse", recorded)
    limit = 2 * max(len(text) for text in texts)
    capped = [Article(text=text, source=str(n)) for n, text in enumerate(texts)]
    annotate(capped, Settings(nlp_processes=1, nlp_batch_chars=limit))
    assert len(cut) > 1
    assert all(sum(map(len, batch)) <= limit for batch in cut)
    assert [text for batch in cut for text in batch] == texts

    whole = [Article(text=text, source=str(n)) for n, text in enumerate(texts)]
    annotate(whole, Settings(nlp_processes=1, nlp_batch_chars=10 * sum(map(len, texts))))
    assert [_annotations(a) for a in capped] == [_annotations(a) for a in whole]
    assert sum(len(a.entities) for a in capped) >= len(texts)


@pytest.mark.parametrize(
    ("lengths", "most", "chars", "size"),
    [
        ([100] * 10, 32, 10_000, 10),  # everything fits: the count is the limit
        ([100] * 10, 4, 10_000, 4),
        ([100] * 10, 32, 350, 3),
        ([300, 300, 300, 100, 100, 100], 32, 600, 2),  # every batch cut from the first
        ([100, 900, 100, 100], 32, 1_000, 2),
        ([5_000, 100, 100], 32, 1_000, 1),  # a text longer than the limit goes alone
        ([], 32, 1_000, 1),
    ],
)
def test_batch_size_is_the_largest_whose_batches_hold_at_most_the_characters(
    lengths: list[int], most: int, chars: int, size: int
) -> None:
    assert batch_size_for(lengths, most, chars) == size
    if size > 1:
        batches = [lengths[i : i + size] for i in range(0, len(lengths), size)]
        assert all(sum(batch) <= chars for batch in batches)


def _annotations(article: Article) -> dict[str, object]:
    data = article_to_dict(article)
    data.pop("fetched_at")  # the moment each Article was made
    return data
