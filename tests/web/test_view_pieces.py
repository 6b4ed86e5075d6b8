"""The readable pieces of pages: codes in words, dates with their precision, the time-scaled
timeline's ticks and bars, the map's colour scale, and the events table's order and pages."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

import pytest

from wirewatch.errors import UsageError
from wirewatch.model import Actor
from wirewatch.store.charts import DayCount
from wirewatch.store.event_table import MAX_OFFSET, SORTS, Order
from wirewatch.store.filters import PLOVER_TYPES, POLARITIES
from wirewatch.web.labels import (
    PLOVER_GLOSSES,
    POLARITY_WORDS,
    actor_label,
    cameo_label,
    goldstein_words,
    polarity_words,
    precision,
    signed,
    when,
    when_span,
)
from wirewatch.web.table import pages
from wirewatch.web.timeline import WIDTH, timeline
from wirewatch.web.worldmap import tone_of


def test_actors_read_as_name_and_code() -> None:
    assert actor_label(Actor("the Kremlin", 0, 11, "RUSGOV", name="Moscow")) == "Moscow (RUSGOV)"
    assert actor_label(Actor("the government", 0, 14, "GOV")) == "the government (GOV)"
    assert actor_label(Actor("Kestria", 0, 7, None)) == "Kestria"
    assert actor_label(Actor("NATO", 0, 4, "NATO", name="NATO")) == "NATO"


def test_every_code_has_words() -> None:
    assert set(PLOVER_GLOSSES) == set(PLOVER_TYPES)
    assert set(POLARITY_WORDS) == set(POLARITIES)
    assert polarity_words("reported_claim") == "claimed by someone"
    assert cameo_label("163") == "Impose embargo, boycott, or sanctions"
    assert cameo_label("999") == ""
    assert [goldstein_words(score) for score in (-10, -5, -0.5, 0, 2, 10)] == [
        "strongly conflictual", "conflictual", "conflictual", "neutral", "cooperative",
        "strongly cooperative",
    ]  # fmt: skip
    assert (signed(3.4), signed(-7), signed(0)) == ("+3.4", "\u22127.0", "0.0")


@pytest.mark.parametrize(
    ("value", "shown", "kind"),
    [
        ("2017-07-10T09:30:00+00:00", "2017-07-10", "day"),
        ("2017-07-10", "2017-07-10", "day"),
        ("2017-W27", "2017-W27", "week"),
        ("2014-06", "2014-06", "month"),
        ("2014", "2014", "year"),
    ],
)
def test_dates_show_in_one_format_with_their_precision(value: str, shown: str, kind: str) -> None:
    assert precision(value) == kind
    html = str(when(value))
    assert f">{shown}</time>" in html and f"precision-{kind}" in html


def test_unknown_dates_say_so_and_escape_their_text() -> None:
    assert "date unknown" in str(when(None)) and "date unknown" in str(when(" "))
    odd = str(when("<b>Monday</b>"))
    assert "&lt;b&gt;" in odd and "precision unknown" in odd


def test_the_timeline_axis_is_a_time_scale() -> None:
    chart = timeline(
        [DayCount("2017-07-10", 4, 2, -9.5), DayCount("2017-07-11", 4, 1, -9.5),
         DayCount("2024-11-03", 1, 1, 1.0)]
    )  # fmt: skip
    assert chart.unit == "month"  # seven years: a bar is a month
    first, *_, last = sorted(chart.bars, key=lambda bar: bar.x)
    assert first.x < 5 and last.x > WIDTH - 20  # far apart, as the dates are
    assert first.since == "2017-07-01" and first.until == "2017-07-31"
    years = [tick.label for tick in chart.ticks]
    assert years == [str(year) for year in range(2018, 2025)]
    xs = [tick.x for tick in chart.ticks]
    gaps = [b - a for a, b in pairwise(xs)]
    assert max(gaps) - min(gaps) < 1.5  # a year is a year wide


@pytest.mark.parametrize(
    ("days", "unit", "labels"),
    [
        (["2024-05-01"], "day", "Apr 28"),  # one day: a week around it, one bar
        (["2024-05-01", "2024-05-20"], "day", "May 1"),
        (["2024-01-01", "2024-03-20"], "day", "Jan 1"),
        (["2024-01-15", "2024-12-20"], "week", "Feb"),
        (["2020-01-01", "2021-06-01"], "week", "2021"),
    ],
)
def test_ticks_fit_any_span(days: list[str], unit: str, labels: str) -> None:
    chart = timeline([DayCount(day, 2, 1, 1.0) for day in days])
    assert chart.unit == unit
    assert 2 <= len(chart.ticks) <= 13
    assert labels in [tick.label for tick in chart.ticks]
    assert all(0 <= tick.x <= WIDTH for tick in chart.ticks)
    assert all(bar.width <= 40 for bar in chart.bars)
    span = (date.fromisoformat(chart.last) - date.fromisoformat(chart.first)).days + 1
    assert span >= 7


def test_one_day_is_not_a_full_width_block() -> None:
    chart = timeline([DayCount("2024-05-01", 4, 3, -8.0)])
    (bar,) = chart.bars
    assert bar.width <= WIDTH / 7
    assert len(chart.line.split()) == 2  # the average still drawn


def test_the_map_colours_goldstein_in_five_bands() -> None:
    assert [tone_of(score) for score in (-9, -3, 0, 3, 9)] == ["g-1", "g-2", "g-3", "g-4", "g-5"]


def test_orders_come_from_a_whitelist() -> None:
    assert Order.parse(None) == Order("added", True) and Order.parse(None).default
    assert Order.parse("-goldstein") == Order("goldstein", True)
    assert str(Order.parse("date")) == "date"
    with pytest.raises(UsageError, match="not a column"):
        Order.parse("goldstein; DROP TABLE events")
    assert "site" in SORTS and "date" in SORTS


def test_pages_go_both_ways() -> None:
    middle = pages(50, 50, 50, 160)
    assert (middle.first, middle.last, middle.previous, middle.following) == (51, 100, 0, 100)
    end = pages(150, 50, 10, 160)
    assert (end.previous, end.following) == (100, None)
    start = pages(0, 50, 50, 160)
    assert start.previous is None and start.following == 50
    assert pages(MAX_OFFSET, 50, 50, 10**6).following is None
    assert pages(0, 50, 0, 0).first == 0


def test_spans_show_one_date_when_both_ends_agree() -> None:
    assert str(when_span("2024-04-08", "2024-04-08T12:00:00Z")).count("<time") == 1
    both = str(when_span("2024-04-08T10:00:00Z", "2024-04-15T09:00:00Z"))
    assert both.count("<time") == 2 and both.count("precision-day") == 1
    assert "date unknown" in str(when_span(None, None))
    assert str(when_span("2024", "2024-04-08")).count("precision-") == 2


def test_a_record_counted_by_month_is_charted_whole_by_month() -> None:
    chart = timeline(
        [DayCount("2019-03-01", 4, 5, -9.0, "month"), DayCount("2019-04-01", 1, 2, 2.0, "month"),
         DayCount("2019-06-01", 4, 1, -8.0, "month")]
    )  # fmt: skip
    assert (chart.unit, chart.rows) == ("month", "month")  # months, although the span is short
    assert (chart.first, chart.last) == ("2019-03-01", "2019-06-30")
    assert [(bar.since, bar.until) for bar in chart.bars] == [
        ("2019-03-01", "2019-03-31"), ("2019-04-01", "2019-04-30"), ("2019-06-01", "2019-06-30")
    ]  # fmt: skip
    assert [day.day for day in chart.days] == ["2019-03-01", "2019-04-01", "2019-06-01"]
