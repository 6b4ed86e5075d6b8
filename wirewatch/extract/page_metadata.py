"""What an HTML page says about itself: title, author, publication date, site name.

The same readers trafilatura's ``extract_metadata`` uses, in its order (meta tags, then
JSON-LD, then the page's own elements only for what those left empty), without what we
never use (categories, tags, licence), which took a fifth of its time. The date is
htmldate's (``dates.py``): the page's statement of it first, the whole page only when there is
none, and dateparser there for English and the page's declared language only.
"""

from __future__ import annotations

from contextlib import suppress
from copy import deepcopy
from dataclasses import dataclass
from typing import Any

from trafilatura.htmlprocessing import prune_unwanted_nodes
from trafilatura.metadata import (
    META_URL,
    examine_meta,
    extract_meta_json,
    extract_metainfo,
    extract_sitename,
    extract_title,
    extract_url,
    normalize_authors,
)
from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS, AUTHOR_XPATHS

from wirewatch.extract.dates import page_date
from wirewatch.extract.guards import guarded
from wirewatch.extract.needs import attribute_values, needs_of

# trafilatura's expressions, their regular-expression tests guarded (guards.py) and given plain
# strings: an attribute handed to ``re:test`` is by default a "smart" string, which makes an
# element proxy for its parent (a Python call per element).
_AUTHOR = guarded(AUTHOR_XPATHS, smart_strings=False)
_AUTHOR_DISCARD = guarded(AUTHOR_DISCARD_XPATHS, smart_strings=False)
# What each expression needs on the page to select anything (needs.py), and the values of
# every attribute one of them tests, read once per page.
_AUTHOR_NEEDS = [needs_of(expression) for expression in AUTHOR_XPATHS]
_AUTHOR_VALUES = attribute_values(
    {name for needs in _AUTHOR_NEEDS if needs is not None for name in needs.attributes}
)


def extract_author(tree: Any) -> str | None:
    """trafilatura's ``extract_author``, with the same expressions guarded as above.

    trafilatura runs its expressions on a copy of the page with comments, dates and the like
    removed. Removing elements never gives an element an attribute it lacked, so an
    expression that selects nothing on the page selects nothing on that copy either: it is
    tried on the page first, and the copy is made only for one that selects something (more
    than half the pages that reach this search have none). One clause reads text, not an
    attribute (an element ``<rel>`` whose text is ``me``), and removing elements can change
    that text: a page with a ``<rel>`` element goes the whole way as trafilatura does.

    Before an expression is tried on the page, what it needs (needs.py) is looked for in the
    values of the attributes it tests: on most pages it is not there, and the expression,
    which would select nothing, is not run.
    """
    whole_way = tree.find(".//rel") is not None
    pruned = None
    values: str | None = None
    for expression, needs in zip(_AUTHOR, _AUTHOR_NEEDS, strict=True):
        if not whole_way:
            if needs is not None:
                if values is None:
                    values = "\n".join(_AUTHOR_VALUES(tree))
                if not needs.met(tree, values):
                    continue
            if not expression(tree):
                continue
        if pruned is None:
            pruned = prune_unwanted_nodes(deepcopy(tree), _AUTHOR_DISCARD)
        author = extract_metainfo(pruned, [expression], 120)
        if author:
            return normalize_authors(None, author)
    return None


@dataclass(slots=True)
class PageMetadata:
    title: str | None
    author: str | None
    date: str | None  # YYYY-MM-DD
    sitename: str | None


def page_metadata(tree: Any, url: str | None, language: str | None = None) -> PageMetadata:
    """The page's metadata; ``None`` where it says nothing. ``tree`` is not changed.

    ``language`` is the language the page declares, for dates written in words.
    """
    metadata = examine_meta(tree)
    if metadata.author and " " not in metadata.author:
        metadata.author = None
    with suppress(Exception):  # trafilatura's JSON-LD reader fails on odd JSON; the rest counts
        metadata = extract_meta_json(tree, metadata)
    if not metadata.title:
        metadata.title = extract_title(tree)
    if not metadata.author:
        metadata.author = extract_author(tree)
    if not metadata.url:
        metadata.url = extract_url(tree, url)
    published = page_date(tree, metadata.url, language)
    if not metadata.sitename:
        metadata.sitename = extract_sitename(tree)
    if metadata.sitename:
        metadata.sitename = metadata.sitename.lstrip("@")
        if (
            metadata.sitename
            and "." not in metadata.sitename
            and not metadata.sitename[0].isupper()
        ):
            metadata.sitename = metadata.sitename.title()
    elif metadata.url:
        found = META_URL.match(metadata.url)
        if found:
            metadata.sitename = found[1]
    metadata.clean_and_trim()
    return PageMetadata(metadata.title, metadata.author, published, metadata.sitename)
