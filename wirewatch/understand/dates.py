"""Dates in the text resolved against the article's publication date.

"on Monday" is the latest Monday on or before publication; "in June" the latest June; "last
week" the ISO week before; "in April 2014" and "July 6, 2017" need no anchor. The result keeps
the granularity the text gives: ``2017-07-03`` (day), ``2017-06`` (month), ``2014`` (year),
``2017-W26`` (week). Without a publication date only absolute dates resolve; everything else is
``None``: a relative date with no anchor is unknown, not today.

>>> resolve_date("Monday", date(2017, 7, 12))
'2017-07-10'
>>> resolve_date("in April 2014", None)
'2014-04'
>>> resolve_date("last week", None) is None
True
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = {
    name: index
    for index, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY_FIRST = re.compile(
    rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}(?:,?\s+(?P<year>\d{{4}}))?\b"
)
_MONTH_FIRST = re.compile(
    rf"\b{_MONTH}(?:\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b)?(?:,?\s+(?P<year>\d{{4}}))?\b"
)
_YEAR = re.compile(r"\b(?P<year>1[89]\d\d|20\d\d)\b")
_ISO = re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?!\d)")
_RELATIVE = re.compile(r"\b(?P<which>last|this|next|past)\s+(?P<unit>week|month|year)\b")


@lru_cache(maxsize=8192)
def resolve_date(text: str, anchor: date | None) -> str | None:
    """The ISO date (at the text's own granularity) that ``text`` names, or None."""
    lower = text.casefold()
    for resolver in (_iso, _month_day, _relative_day, _weekday, _relative_unit, _month_only, _year):
        found = resolver(lower, anchor)
        if found is not None:
            return found
    return None


def parse_anchor(published: str | None) -> date | None:
    """The publication date as a ``date``, when it is a full ISO date."""
    if not published:
        return None
    match = _ISO.search(published)
    if not match:
        return None
    try:
        return date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        return None


def _iso(text: str, anchor: date | None) -> str | None:
    match = _ISO.search(text)
    return match.group(0) if match else None


def _month_day(text: str, anchor: date | None) -> str | None:
    match = _DAY_FIRST.search(text) or _MONTH_FIRST.search(text)
    if not match or not match["day"]:
        return None
    month, day = _MONTHS[match["month"]], int(match["day"])
    year = int(match["year"]) if match["year"] else _latest_year(month, day, anchor)
    if year is None:
        return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _month_only(text: str, anchor: date | None) -> str | None:
    match = _MONTH_FIRST.search(text)
    if not match:
        return None
    month = _MONTHS[match["month"]]
    if match["month"] == "may" and not match["year"] and not re.search(r"\bin\s+may\b", text):
        return None  # "may" is far more often a verb than a month
    year = int(match["year"]) if match["year"] else _latest_year(month, 1, anchor)
    return f"{year:04d}-{month:02d}" if year is not None else None


def _latest_year(month: int, day: int, anchor: date | None) -> int | None:
    if anchor is None:
        return None
    return anchor.year if (month, day) <= (anchor.month, anchor.day) else anchor.year - 1


def _relative_day(text: str, anchor: date | None) -> str | None:
    if anchor is None:
        return None
    for word, shift in (("today", 0), ("yesterday", -1), ("tomorrow", 1), ("tonight", 0)):
        if re.search(rf"\b{word}\b", text):
            return (anchor + timedelta(days=shift)).isoformat()
    return None


def _weekday(text: str, anchor: date | None) -> str | None:
    if anchor is None:
        return None
    for index, name in enumerate(_WEEKDAYS):
        if re.search(rf"\b{name}\b", text):
            back = (anchor.weekday() - index) % 7
            if re.search(rf"\bnext\s+{name}\b", text):
                return (anchor + timedelta(days=(index - anchor.weekday()) % 7 or 7)).isoformat()
            if re.search(rf"\blast\s+{name}\b", text) and back == 0:
                back = 7
            return (anchor - timedelta(days=back)).isoformat()
    return None


def _relative_unit(text: str, anchor: date | None) -> str | None:
    match = _RELATIVE.search(text)
    if not match or anchor is None:
        return None
    step = {"last": -1, "past": -1, "this": 0, "next": 1}[match["which"]]
    unit = match["unit"]
    if unit == "week":
        year, week, _ = (anchor + timedelta(weeks=step)).isocalendar()
        return f"{year:04d}-W{week:02d}"
    if unit == "month":
        month_index = anchor.year * 12 + anchor.month - 1 + step
        return f"{month_index // 12:04d}-{month_index % 12 + 1:02d}"
    return f"{anchor.year + step:04d}"


def _year(text: str, anchor: date | None) -> str | None:
    match = _YEAR.search(text)
    return match["year"] if match else None
