"""Dates resolved against the publication date, at the granularity the text gives."""

from __future__ import annotations

from datetime import date

import pytest

from wirewatch.understand.dates import parse_anchor, resolve_date

MONDAY = date(2017, 7, 10)  # the seed story ran on a Monday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on Monday", "2017-07-10"),
        ("Thursday", "2017-07-06"),
        ("last Monday", "2017-07-03"),
        ("next Friday", "2017-07-14"),
        ("yesterday", "2017-07-09"),
        ("In June", "2017-06"),
        ("in December", "2016-12"),
        ("in April 2014", "2014-04"),
        ("July 6, 2017", "2017-07-06"),
        ("6 July 2017", "2017-07-06"),
        ("March 3", "2017-03-03"),
        ("last week", "2017-W27"),
        ("last month", "2017-06"),
        ("last year", "2016"),
        ("2014", "2014"),
    ],
)
def test_relative_and_absolute_dates(text: str, expected: str) -> None:
    assert resolve_date(text, MONDAY) == expected


@pytest.mark.parametrize("text", ["on Monday", "in June", "last week", "yesterday", "a day"])
def test_without_an_anchor_relative_dates_stay_unknown(text: str) -> None:
    assert resolve_date(text, None) is None


def test_absolute_dates_need_no_anchor() -> None:
    assert resolve_date("April 2014", None) == "2014-04"
    assert resolve_date("on 2014-04-07", None) == "2014-04-07"


def test_may_the_verb_is_not_a_month() -> None:
    assert resolve_date("the talks may resume", MONDAY) is None
    assert resolve_date("in May", MONDAY) == "2017-05"


def test_anchor_parsing() -> None:
    assert parse_anchor("2017-07-10T08:15:00+00:00") == MONDAY
    assert parse_anchor("2017-07") is None
    assert parse_anchor(None) is None
