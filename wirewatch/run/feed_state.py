"""What one check changes in a watched feed's state: the polling rules applied to a ``Check``.

- fetched or 304: errors reset; the interval follows the publishing rhythm (``schedule``).
- failed: one more consecutive error; the next check backs off from the feed's interval
  (doubling per error, ``Retry-After`` obeyed); ``watch_disable_after`` errors in a row
  disable the feed with the reason.
- 410 Gone: disabled at once.
- a permanent redirect: the stored URL becomes the new one.

The feed's ``interval_seconds`` is its normal rhythm; a backoff only moves ``next_check_at``.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from wirewatch.collect.polling import Check
from wirewatch.collect.schedule import (
    interval_after_error,
    interval_after_success,
    jittered,
    publishing_gap,
)
from wirewatch.settings import Settings
from wirewatch.store.feeds import Feed, FeedUpdate


def feed_update(
    feed: Feed, check: Check, now: datetime, settings: Settings, rng: random.Random
) -> FeedUpdate:
    """The feed's state after ``check``, made at ``now`` (an aware UTC datetime)."""
    update = FeedUpdate(
        outcome=check.outcome,
        url=check.moved_to or feed.url,
        kind=check.kind,
        title=check.title or feed.title,
        identity=check.identity,
        etag=feed.etag,
        last_modified=feed.last_modified,
        last_checked_at=now.isoformat(),
        next_check_at="",
        interval_seconds=feed.interval_seconds or settings.watch_default_interval,
        consecutive_errors=0,
        last_status=check.http_status,
        last_error=None,
        last_warning="; ".join(check.warnings) or None,
        last_entry_at=feed.last_entry_at,
        enabled=True,
        disabled_reason=None,
    )
    if check.outcome in ("fetched", "not_modified"):
        _after_success(update, feed, check, now, settings, rng)
        return update
    error = check.error
    update.last_error = f"[{error.code}] {error.message}" if error else check.outcome
    update.consecutive_errors = feed.consecutive_errors + 1
    wait = interval_after_error(
        base=update.interval_seconds,
        errors=update.consecutive_errors,
        retry_after=check.retry_after,
        settings=settings,
        rng=rng,
    )
    update.next_check_at = _after(now, wait)
    if check.outcome == "gone":
        update.enabled = False
        update.disabled_reason = f"gone: {update.last_error} (the server says it was removed)"
    elif update.consecutive_errors >= settings.watch_disable_after:
        update.enabled = False
        update.disabled_reason = (
            f"{update.consecutive_errors} consecutive failed checks; last: {update.last_error}"
        )
    return update


def _after_success(
    update: FeedUpdate,
    feed: Feed,
    check: Check,
    now: datetime,
    settings: Settings,
    rng: random.Random,
) -> None:
    if check.validators is not None:
        update.etag = check.validators.etag
        update.last_modified = check.validators.last_modified
    dates = [entry.published or entry.metadata.get("lastmod") for entry in check.entries]
    past = [date for date in dates if date and date <= now.isoformat()]
    if past:
        update.last_entry_at = max([*past, *([feed.last_entry_at] if feed.last_entry_at else [])])
    interval = interval_after_success(
        previous=feed.interval_seconds,
        gap=publishing_gap(dates, now),
        server_minimum=check.server_minimum,
        settings=settings,
    )
    update.interval_seconds = interval
    update.next_check_at = _after(now, jittered(interval, settings, rng))


def _after(now: datetime, seconds: float) -> str:
    """``now`` plus ``seconds``, to the second, ISO 8601 (stored times compare as text)."""
    return (now.replace(microsecond=0) + timedelta(seconds=round(seconds))).isoformat()
