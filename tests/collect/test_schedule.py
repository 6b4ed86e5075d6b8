"""The polling rules: Retry-After, Cache-Control, ttl, publishing rhythm, bounds, backoff."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from wirewatch.collect.schedule import (
    cache_max_age,
    feed_min_interval,
    interval_after_error,
    interval_after_success,
    jittered,
    parse_retry_after,
    publishing_gap,
)
from wirewatch.settings import Settings

NOW = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
RULES = Settings(
    watch_min_interval=300.0,
    watch_max_interval=86400.0,
    watch_default_interval=1800.0,
    watch_max_backoff=7200.0,
    watch_jitter=0.1,
)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("30", 30.0),
        ("Tue, 01 Jan 2030 12:05:00 GMT", 300.0),
        ("Tue, 01 Jan 2030 11:00:00 GMT", 0.0),  # in the past: now
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_in_seconds_or_as_a_date(value: str | None, seconds: float | None) -> None:
    assert parse_retry_after(value, NOW) == seconds


def test_cache_control_max_age_and_feed_hints() -> None:
    assert cache_max_age({"cache-control": "no-cache, max-age=600"}) == 600.0
    assert cache_max_age({"cache-control": "no-cache"}) is None
    assert feed_min_interval({"ttl": "60"}) == 3600.0
    assert feed_min_interval({"sy_updateperiod": "daily", "sy_updatefrequency": "4"}) == 21600.0
    assert feed_min_interval({"ttl": "soon"}) is None


def test_the_gap_ignores_future_and_unreadable_dates() -> None:
    dates = [
        "2030-01-01T11:00:00+00:00",
        "2030-01-01T10:00:00+00:00",
        "2030-01-01T08:00:00+00:00",
        "2099-01-01T00:00:00+00:00",
        "garbled",
        None,
    ]
    assert publishing_gap(dates, NOW) == 5400.0
    assert publishing_gap(["2030-01-01T11:00:00+00:00"], NOW) is None


def test_success_intervals_follow_the_rhythm_within_bounds_and_server_hints() -> None:
    def interval(previous: float | None, gap: float | None, minimum: float | None) -> float:
        return interval_after_success(
            previous=previous, gap=gap, server_minimum=minimum, settings=RULES
        )

    assert interval(None, 10.0, None) == 300.0  # watch_min_interval
    assert interval(None, 10.0**7, None) == 86400.0  # watch_max_interval
    assert interval(None, None, None) == 1800.0  # watch_default_interval
    assert interval(2400.0, None, None) == 2400.0  # rhythm unknown: keep the last one
    assert interval(None, 600.0, 3600.0) == 3600.0  # the server asks for no more often


def test_jitter_spreads_waits_without_leaving_the_spread() -> None:
    rng = random.Random(1)
    waits = {round(jittered(1000.0, RULES, rng)) for _ in range(200)}
    assert min(waits) >= 900 and max(waits) <= 1100 and len(waits) > 50


def test_errors_double_the_wait_up_to_the_cap_and_retry_after_is_obeyed() -> None:
    rules = Settings(watch_jitter=0.0001, watch_max_backoff=7200.0)
    rng = random.Random(1)
    waits = [
        round(interval_after_error(base=600.0, errors=n, retry_after=None, settings=rules, rng=rng))
        for n in (1, 2, 3, 4, 5)
    ]
    assert waits == [600, 1200, 2400, 4800, 7200]
    assert (
        interval_after_error(base=600.0, errors=1, retry_after=5000, settings=rules, rng=rng)
        == 5000
    )
    assert (
        interval_after_error(base=600.0, errors=1, retry_after=10**6, settings=rules, rng=rng)
        == 7200
    )
