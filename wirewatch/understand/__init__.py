"""understand: batches of Articles through one spaCy pipeline, then our components.

This stage adds sentences and entity mentions with canonical names; every annotation carries
character offsets into ``Article.text`` and the index of its sentence.
"""

from __future__ import annotations

from collections.abc import Sequence

from wirewatch.model import Article
from wirewatch.settings import Settings
from wirewatch.understand.entities import entities_of, sentences_of
from wirewatch.understand.nlp import load_nlp, parse

__all__ = ["annotate"]


def annotate(articles: Sequence[Article], settings: Settings) -> None:
    """Parse the articles in one ``nlp.pipe`` run and set sentences and entities on each."""
    if not articles:
        return
    nlp = load_nlp(settings.nlp_model)
    pairs = ((article.text, i) for i, article in enumerate(articles))
    for doc, i in parse(
        nlp, pairs, batch_size=settings.nlp_batch_size, processes=settings.nlp_processes
    ):
        article = articles[i]
        article.sentences = sentences_of(doc)
        article.entities = entities_of(doc, article.sentences)
