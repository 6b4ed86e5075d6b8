"""wirewatch: turn news into a verifiable record.

The Python API, for notebooks and scripts::

    >>> import wirewatch
    >>> text = "NATO chief Jens Stoltenberg visited Kiev on Monday."
    >>> article = wirewatch.analyze(text)  # doctest: +SKIP
    >>> [(e.text, e.label, e.canonical) for e in article.entities]  # doctest: +SKIP
    [('NATO', 'ORG', 'NATO'), ('Jens Stoltenberg', 'PERSON', 'Jens Stoltenberg'), ...]
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from wirewatch.errors import (
    CollectError,
    ExtractError,
    InputError,
    StoreError,
    UsageError,
    WirewatchError,
)
from wirewatch.model import Article, DroppedLine, Entity, Failure, RawDocument, Sentence
from wirewatch.settings import Settings

try:
    __version__ = version("wirewatch")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = [
    "Article",
    "CollectError",
    "DroppedLine",
    "Entity",
    "ExtractError",
    "Failure",
    "InputError",
    "RawDocument",
    "Sentence",
    "Settings",
    "StoreError",
    "UsageError",
    "WirewatchError",
    "__version__",
    "analyze",
]


def analyze(
    text_or_html: str | bytes,
    url: str | None = None,
    published: str | None = None,
    *,
    settings: Settings | None = None,
) -> Article:
    """One document (plain text or HTML) through extraction, cleaning and annotation.

    Raises ``ExtractError`` when the document holds no usable article.
    """
    from wirewatch.extract import extract
    from wirewatch.understand import annotate

    settings = settings or Settings()
    content = text_or_html.encode("utf-8") if isinstance(text_or_html, str) else text_or_html
    raw = RawDocument(
        source=url or "<analyze>",
        content=content,
        url=url,
        published=published,
        encoding="utf-8" if isinstance(text_or_html, str) else None,
    )
    article = extract(raw, settings)
    annotate([article], settings)
    return article
