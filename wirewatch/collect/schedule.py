"""When to check a watched feed or sitemap again: the polling rules, as pure functions.

- After a successful check the interval follows how often the source publishes (the median
  gap between its recent entry dates), never shorter than the server asks for (RSS ``<ttl>``,
  ``sy:updatePeriod``/``sy:updateFrequency``, ``Cache-Control: max-age``), and bounded by
  ``watch_min_interval`` and ``watch_max_interval``. ``no-cache`` only means "revalidate",
  which a conditional GET does anyway, so it adds no bound. A small random jitter
  (``watch_jitter``, a fraction) keeps many feeds from falling due at the same second.
- After a failure the interval doubles per consecutive error, bounded by
  ``watch_max_backoff``; a ``Retry-After`` (seconds or an HTTP date) on a 429 or 503 is obeyed
  when it asks for longer.
- Dates in the future say nothing about how often a source publishes and are ignored.

>>> publishing_gap(["2024-01-01T00:00:00+00:00", "2024-01-01T02:00:00+00:00",
...                 "2024-01-01T03:00:00+00:00"], now=datetime(2024, 1, 2, tzinfo=UTC))
5400.0
"""

from __future__ import annotations

import random
import statistics
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from itertools import pairwise

from wirewatch.settings import Settings

_RECENT_ENTRIES = 20  # the newest dates that describe the current publishing rhythm
_SY_PERIODS = {"hourly": 3600.0, "daily": 86400.0, "weekly": 604800.0,
               "monthly": 2592000.0, "yearly": 31536000.0}  # fmt: skip


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delta-seconds or an HTTP date).

    >>> parse_retry_after("120", datetime(2024, 1, 1, tzinfo=UTC))
    120.0
    >>> parse_retry_after("Mon, 01 Jan 2024 00:10:00 GMT", datetime(2024, 1, 1, tzinfo=UTC))
    600.0
    """
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - now).total_seconds(), 0.0)


def cache_max_age(headers: Mapping[str, str]) -> float | None:
    """``Cache-Control: max-age`` (``s-maxage`` ignored: we are no shared cache), in seconds.

    >>> cache_max_age({"cache-control": "public, max-age=900"})
    900.0
    """
    for directive in headers.get("cache-control", "").split(","):
        name, _, raw = directive.strip().partition("=")
        if name.strip().lower() == "max-age" and raw.strip().strip('"').isdigit():
            return float(raw.strip().strip('"'))
    return None


def feed_min_interval(feed: Mapping[str, object]) -> float | None:
    """The shortest interval a feed asks for: RSS ``<ttl>`` (minutes) or the syndication
    module's period divided by its frequency; ``feed`` is feedparser's ``parsed.feed``."""
    asked: list[float] = []
    ttl = str(feed.get("ttl") or "").strip()
    if ttl.isdigit() and int(ttl) > 0:
        asked.append(int(ttl) * 60.0)
    period = _SY_PERIODS.get(str(feed.get("sy_updateperiod") or "").strip().lower())
    if period is not None:
        frequency = str(feed.get("sy_updatefrequency") or "1").strip()
        asked.append(period / int(frequency) if frequency.isdigit() and int(frequency) else period)
    return max(asked) if asked else None


def publishing_gap(dates: Iterable[str | None], now: datetime) -> float | None:
    """The median gap in seconds between the newest entry dates; None with fewer than two.

    Unreadable and future dates are left out.
    """
    moments = sorted(
        {moment for moment in map(_parse_iso, dates) if moment is not None and moment <= now},
        reverse=True,
    )[:_RECENT_ENTRIES]
    if len(moments) < 2:
        return None
    gaps = [(newer - older).total_seconds() for newer, older in pairwise(moments)]
    return float(statistics.median(gaps))


def interval_after_success(
    *,
    previous: float | None,
    gap: float | None,
    server_minimum: float | None,
    settings: Settings,
) -> float:
    """The source's interval after a good check, without jitter (see the module docstring).

    Jitter is applied to each wait (``jittered``), never to the interval kept, so it does
    not accumulate from check to check.
    """
    interval = gap if gap is not None else (previous or settings.watch_default_interval)
    if server_minimum is not None:
        interval = max(interval, server_minimum)
    return min(max(interval, settings.watch_min_interval), settings.watch_max_interval)


def interval_after_error(
    *, base: float, errors: int, retry_after: float | None, settings: Settings, rng: random.Random
) -> float:
    """Seconds until the next check after ``errors`` consecutive failures (1 for the first)."""
    backoff = min(base * 2 ** max(errors - 1, 0), settings.watch_max_backoff)
    if retry_after is not None:
        backoff = max(backoff, min(retry_after, settings.watch_max_backoff))
        return backoff  # the server named the time: no jitter before it
    return jittered(backoff, settings, rng)


def jittered(interval: float, settings: Settings, rng: random.Random) -> float:
    """``interval`` moved at random by up to ``watch_jitter`` of itself (at least 1 s)."""
    spread = interval * settings.watch_jitter
    return max(interval + rng.uniform(-spread, spread), 1.0)


def _parse_iso(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
