"""The public surface is explicit: ``__all__`` names exactly what users may import."""

from __future__ import annotations

import wirewatch


def test_all_names_exist_and_nothing_private_is_exported() -> None:
    for name in wirewatch.__all__:
        assert hasattr(wirewatch, name), name
        assert not name.startswith("_") or name == "__version__"
    assert set(wirewatch.__all__) >= {"analyze", "Article", "Settings", "Failure", "__version__"}


def test_analyze_returns_an_annotated_article_with_offsets() -> None:
    text = (
        "BRASILIA, March 3 - Anna Lindqvist, a fictional envoy, arrived in Kyiv on Monday.\n"
        "Lindqvist said the talks in Kiev would resume next week."
    )
    article = wirewatch.analyze(text)
    assert article.text == text
    people = {(e.text, e.canonical) for e in article.entities if e.label == "PERSON"}
    assert ("Lindqvist", "Anna Lindqvist") in people
    places = {e.canonical for e in article.entities if e.text in {"Kyiv", "Kiev"}}
    assert places == {"Kyiv"}
    for entity in article.entities:
        assert article.text[entity.start : entity.end] == entity.text
