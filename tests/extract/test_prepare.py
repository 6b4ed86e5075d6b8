"""``prepare`` loads what extraction otherwise loads the first time a page needs it."""

from __future__ import annotations

import htmldate.extractors
import trafilatura.external
from justext.core import define_stoplist

from wirewatch.extract import prepare
from wirewatch.extract.dates import _parser


def test_prepare_loads_the_stop_words_month_names_and_english_dates() -> None:
    prepare()
    stop_words = trafilatura.external.JT_STOPLIST
    assert stop_words and "the" in stop_words and "und" in stop_words
    hits = define_stoplist.cache_info().hits
    define_stoplist(stop_words)
    assert define_stoplist.cache_info().hits == hits + 1  # the set was built already
    assert "janvier" in htmldate.extractors.month_words()
    assert htmldate.extractors.month_words.cache_info().currsize == 1
    assert _parser.cache_info().currsize >= 1
    assert _parser(("en",)).get_date_data("5 May 2021")["date_obj"].year == 2021
