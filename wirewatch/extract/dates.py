"""A page's publication date: htmldate's search, with dateparser bounded in languages.

htmldate reads the page's own statement of its date first (URL, meta tags, JSON-LD) and
searches the rest of the page only when there is none; that search hands date-like strings
its own parsers cannot read to dateparser (a page's first fast pass, then the extensive one,
was measured slower: the page is pruned and walked twice where it states no date). dateparser,
left to guess the language, tests the string against each of its 200 languages, compiling
every language's patterns on first use: some 6 to 10 s of CPU the first time a page in a
language other than English reaches it (measured in ``bench/extract.py``'s profile), which a
15 s ``extract_timeout`` does not always absorb. Here it is asked about English and the
language the page declares, and nothing else; on ``wcxb-articles-dev`` (587 pages with a
known date) that finds the same dates as the unrestricted search.

The page search's patterns that start with ``\\D`` look for their matches from digit runs
only (``digit_patterns.py``): the same matches, found in a third of the time.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

import htmldate.core
import htmldate.extractors
from htmldate import find_date
from trafilatura.settings import set_date_params

from wirewatch.extract.digit_patterns import DigitStartPattern, digit_start

# htmldate's own settings for dateparser (htmldate.extractors.get_external_parser).
_DATEPARSER_SETTINGS = {
    "NORMALIZE": True,
    "PARSERS": ["custom-formats", "absolute-time"],
    "PREFER_DATES_FROM": "past",
    "PREFER_LOCALE_DATE_ORDER": True,
    "RETURN_AS_TIMEZONE_AWARE": False,
    "STRICT_PARSING": True,
}
_SWAP = threading.Lock()
# htmldate's page-search patterns with a faster findall, by the pattern it stands for.
_DIGIT_START: dict[Any, DigitStartPattern] = {
    value: found
    for value in vars(htmldate.core).values()
    if isinstance(value, re.Pattern) and (found := digit_start(value)) is not None
}
_PLAUSIBLE_YEAR_FILTER = htmldate.core.plausible_year_filter


def _plausible_year_filter(htmlstring: str, *, pattern: Any, **limits: Any) -> Any:
    """htmldate's ``plausible_year_filter``, given the faster ``findall`` of ``pattern``."""
    return _PLAUSIBLE_YEAR_FILTER(htmlstring, pattern=_DIGIT_START.get(pattern, pattern), **limits)


def page_date(tree: Any, url: str | None, language: str | None) -> str | None:
    """The page's publication date as ``YYYY-MM-DD``, or ``None``. ``tree`` is not changed.

    ``language`` is the page's declared language (ISO 639-1), or ``None``: the extensive
    search reads dates written in words in English and in that language only.
    """
    params = set_date_params(True)
    params["url"] = url
    with _dateparser_for(_languages(language)):
        found: str | None = find_date(tree, **params)
    return found


def prepare_dates() -> None:
    """Load now what the page search otherwise loads the first time a page needs it: the month
    names of every dateparser language (htmldate reads them to tell a date-like string), and
    English dateparser with its time-zone patterns (some 0.3 s each, once per process)."""
    htmldate.extractors.month_words()
    _parser(("en",)).get_date_data("2 March 2024 10:00 CET")


def _languages(language: str | None) -> tuple[str, ...]:
    if language and language != "en" and language in _known_languages():
        return ("en", language)
    return ("en",)


@lru_cache(maxsize=1)
def _known_languages() -> frozenset[str]:
    from dateparser.data.languages_info import language_order

    return frozenset(language_order)


@lru_cache(maxsize=64)
def _parser(languages: tuple[str, ...]) -> Any:
    from dateparser import DateDataParser

    return DateDataParser(languages=list(languages), settings=dict(_DATEPARSER_SETTINGS))


@contextmanager
def _dateparser_for(languages: tuple[str, ...]) -> Iterator[None]:
    """htmldate's extensive search, for its duration, with a dateparser for ``languages`` and
    the faster ``findall`` of its digit patterns.

    htmldate builds its dateparser in one module-level function and takes no parameter for
    its languages, so the function is replaced for the length of one call and put back, under
    a lock (wirewatch calls htmldate nowhere else). htmldate caches what each date-like string
    parsed to, whatever the parser: the cache is emptied before and after, so no result
    depends on the pages, or the languages, seen before it.
    """
    parser = _parser(languages)
    cache = htmldate.extractors.try_date_expr
    with _SWAP:
        original = htmldate.extractors.get_external_parser
        htmldate.extractors.get_external_parser = lambda: parser  # type: ignore[assignment]
        htmldate.core.plausible_year_filter = _plausible_year_filter
        cache.cache_clear()
        try:
            yield
        finally:
            cache.cache_clear()
            htmldate.core.plausible_year_filter = _PLAUSIBLE_YEAR_FILTER
            htmldate.extractors.get_external_parser = original
