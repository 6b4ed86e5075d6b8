"""Dates of any granularity as the run of days they cover, for comparing with a date range.

Event dates keep the granularity the text gave (``2017-07-10``, ``2017-06``, ``2014``,
``2017-W27``), and a user's ``--since 2014`` means the start of 2014 while ``--until 2014``
means its end. Both become a first and a last day, as ISO strings that compare in date order.

>>> period("2017-06")
('2017-06-01', '2017-06-30')
>>> period("2017-W27")
('2017-07-03', '2017-07-09')
>>> period("2017-07-10T09:30:00+00:00")
('2017-07-10', '2017-07-10')
>>> period("Monday") is None
True
"""

from __future__ import annotations

import calendar
import re
from datetime import date

# The date part of ISO 8601 text; a time after a full date is allowed and ignored.
_PERIOD = re.compile(
    r"(?P<year>\d{4})"
    r"(?:-W(?P<week>\d{2})|-(?P<month>\d{2})(?:-(?P<day>\d{2})(?:[T ].*)?)?)?"
)


def period(text: str | None) -> tuple[str, str] | None:
    """The first and last day ``text`` covers, or ``None`` when it is not an ISO date."""
    if text is None:
        return None
    match = _PERIOD.fullmatch(text.strip())
    if match is None:
        return None
    try:
        first, last = _bounds(match)
    except ValueError:  # 2017-02-30, week 54, month 13: not dates
        return None
    return first.isoformat(), last.isoformat()


def single_day(text: str | None) -> date | None:
    """The day ``text`` names when it names exactly one (``2017-07-10``, not ``2017-07``)."""
    found = period(text)
    if found is None or found[0] != found[1]:
        return None
    return date.fromisoformat(found[0])


def _bounds(match: re.Match[str]) -> tuple[date, date]:
    year = int(match["year"])
    if match["week"]:
        week = int(match["week"])
        return date.fromisocalendar(year, week, 1), date.fromisocalendar(year, week, 7)
    if match["day"]:
        day = date(year, int(match["month"]), int(match["day"]))
        return day, day
    if match["month"]:
        month = int(match["month"])
        last = calendar.monthrange(year, month)[1]
        return date(year, month, 1), date(year, month, last)
    return date(year, 1, 1), date(year, 12, 31)
