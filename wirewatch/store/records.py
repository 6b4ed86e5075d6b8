"""What the store answers with: the outcome of adding an article, and a search hit.

These records belong to the store's interface, not to one backend, so the SQLite store and a
later PostgreSQL store return the same types.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class AddResult(StrEnum):
    """What ``Store.add_article`` did with an article.

    ``DUPLICATE_URL`` wins over ``DUPLICATE_CONTENT`` when both apply: the URL is the cheaper,
    more specific fact to report ("this page is already stored").

    >>> AddResult.ADDED == "added"
    True
    """

    ADDED = "added"
    DUPLICATE_URL = "duplicate_url"
    DUPLICATE_CONTENT = "duplicate_content"


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One article matching a search, best first.

    ``url`` is the article's URL, or its canonical URL when it was read without one. ``site``
    is the site name the article gave, else the name or host known for its site. ``snippet`` is
    an excerpt of the article text with each match in ``[`` ``]`` and ``…`` where text was cut.
    ``rank`` is FTS5's bm25 score as SQLite reports it: more negative is more relevant.
    """

    article_id: str
    title: str | None
    url: str | None
    site: str | None
    published: str | None
    snippet: str
    rank: float
