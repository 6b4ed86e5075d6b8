"""A run's memory does not grow with the articles parsed: spaCy's new strings are freed."""

from __future__ import annotations

from wirewatch.model import Article
from wirewatch.settings import Settings
from wirewatch.understand import annotate
from wirewatch.understand.nlp import load_nlp


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
