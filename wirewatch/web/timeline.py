"""The timeline chart's geometry: events stacked by quad class on a time-scaled axis, and the
average Goldstein score as a line below, computed here and drawn as SVG by ``_timeline.html``.

The x axis is time: a day's bar sits at its date, so a gap of years looks like one, and ticks
fall on calendar boundaries (days, weeks, months or years, whichever gives a few labels for
the span shown). Over long spans a bar is a week's or a month's events, so bars stay wide
enough to see. Each tick links to the same chart zoomed to its period (``since``/``until``).

The chart is plain numbers and day strings, so it renders without JavaScript; the same counts
are listed day by day in a table under it.

>>> chart = timeline([DayCount("2017-07-10", 4, 2, -9.5), DayCount("2024-11-03", 1, 1, 1.0)])
>>> chart.unit, [tick.label for tick in chart.ticks][:3]
('month', ['2018', '2019', '2020'])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from wirewatch.store.browse_filters import QUAD_CLASSES
from wirewatch.store.charts import DayCount

WIDTH, BARS_HEIGHT, LINE_HEIGHT, GAP, AXIS = 960.0, 200.0, 90.0, 34.0, 18.0
GOLDSTEIN_RANGE = 10.0  # Goldstein scores run from -10 to +10
MIN_SPAN_DAYS = 7  # a chart shows at least a week, so one day is not one full-width block
MAX_TICKS = 12
MAX_BAR = 40.0  # widest a bar is drawn, in SVG units
HEADROOM = 16.0  # above the busiest bar: the scale's label


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    quad_class: int
    label: str
    since: str  # the period the bar counts, for its link
    until: str


@dataclass(frozen=True, slots=True)
class Tick:
    x: float
    label: str
    since: str  # the period the tick starts, for zooming into it
    until: str


@dataclass(slots=True)
class Day:
    day: str
    counts: dict[int, int] = field(default_factory=dict)
    goldstein: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True, slots=True)
class Timeline:
    """Everything the template draws; ``days`` is the table under the chart."""

    days: list[Day]
    bars: list[Bar]
    line: str  # SVG polyline points of the average Goldstein score
    most: int  # the busiest bar's count: the top of the bar scale
    ticks: list[Tick] = field(default_factory=list)
    unit: str = "day"  # what one bar counts: day, week or month
    first: str = ""  # the first and last day the axis shows
    last: str = ""
    width: float = WIDTH
    bars_height: float = BARS_HEIGHT
    line_top: float = BARS_HEIGHT + GAP
    line_height: float = LINE_HEIGHT
    rows: str = "day"  # what a row of ``days`` counts: a day, or a month (``events_per_day``)

    @property
    def height(self) -> float:
        return self.line_top + self.line_height

    @property
    def zero_y(self) -> float:
        """Where a Goldstein score of 0 sits."""
        return self.line_top + self.line_height / 2

    @property
    def zoom_out(self) -> tuple[str, str]:
        """A range twice as long around the same middle: the "zoom out" link."""
        if not self.first:
            return "", ""
        first, last = date.fromisoformat(self.first), date.fromisoformat(self.last)
        half = (last - first) // 2 + timedelta(days=1)
        return (first - half).isoformat(), (last + half).isoformat()


def timeline(counts: list[DayCount]) -> Timeline:
    """The chart of ``counts`` (from ``events_per_day``) on a time-scaled axis."""
    days = _days(counts)
    if not days:
        return Timeline([], [], "", 0)
    first, last = date.fromisoformat(days[0].day), date.fromisoformat(days[-1].day)
    if (last - first).days + 1 < MIN_SPAN_DAYS:
        pad = MIN_SPAN_DAYS - ((last - first).days + 1)
        first -= timedelta(days=pad // 2)
        last += timedelta(days=pad - pad // 2)
    monthly = any(count.unit == "month" for count in counts)
    if monthly:  # each row counts its whole month: the axis runs to the last one's end
        last = max(last, _next(_bucket(last, "month"), "month") - timedelta(days=1))
    span = (last - first).days + 1
    unit = "day" if span <= 120 else "week" if span <= 730 else "month"
    if monthly:
        unit = "month"
    end = last + timedelta(days=1)

    def x_of(day: date) -> float:
        return WIDTH * (day - first).days / span

    buckets: dict[date, Day] = {}
    weighted: dict[date, float] = {}
    for day in days:
        start = _bucket(date.fromisoformat(day.day), unit)
        bucket = buckets.setdefault(start, Day(start.isoformat()))
        for quad, count in day.counts.items():
            bucket.counts[quad] = bucket.counts.get(quad, 0) + count
        weighted[start] = weighted.get(start, 0.0) + day.goldstein * day.total
    most = max(bucket.total for bucket in buckets.values())
    bars: list[Bar] = []
    points: list[str] = []
    for start, bucket in sorted(buckets.items()):
        stop = min(_next(start, unit), end)
        left, right = x_of(max(start, first)), x_of(stop)
        width = min(max((right - left) * 0.8, 1.5), MAX_BAR)
        x = (left + right - width) / 2
        since, until = start.isoformat(), (stop - timedelta(days=1)).isoformat()
        named = since if unit == "day" else f"{unit} of {since}"
        top = BARS_HEIGHT
        for quad in sorted(QUAD_CLASSES):
            count = bucket.counts.get(quad, 0)
            if not count:
                continue
            height = (BARS_HEIGHT - HEADROOM) * count / most
            top -= height
            label = f"{named}: {count} {QUAD_CLASSES[quad]}"
            bars.append(
                Bar(round(x, 1), round(top, 1), round(width, 1), round(height, 1), quad, label,
                    since, until)
            )  # fmt: skip
        goldstein = weighted[start] / bucket.total
        y = BARS_HEIGHT + GAP + LINE_HEIGHT / 2 - (goldstein / GOLDSTEIN_RANGE) * LINE_HEIGHT / 2
        points.append(f"{(left + right) / 2:.1f},{y:.1f}")
    if len(points) == 1:  # a line needs two points: draw the one average across its bar
        middle, level = points[0].split(",")
        points = [f"{float(middle) - 6:.1f},{level}", f"{float(middle) + 6:.1f},{level}"]
    ticks = [
        Tick(round(x_of(at), 1), label, since, until)
        for at, label, since, until in _ticks(first, last)
    ]
    return Timeline(
        days, bars, " ".join(points), most, ticks, unit, first.isoformat(), last.isoformat(),
        rows="month" if monthly else "day",
    )  # fmt: skip


def _days(counts: list[DayCount]) -> list[Day]:
    days: dict[str, Day] = {}
    weighted: dict[str, float] = {}
    for row in counts:
        day = days.setdefault(row.day, Day(row.day))
        day.counts[row.quad_class] = row.events
        weighted[row.day] = weighted.get(row.day, 0.0) + row.goldstein * row.events
    for day in days.values():
        day.goldstein = round(weighted[day.day] / day.total, 2)
    return sorted(days.values(), key=lambda d: d.day)


def _bucket(day: date, unit: str) -> date:
    """The first day of the day's bar: itself, its week's Monday, or its month's first."""
    if unit == "week":
        return day - timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    return day


def _next(start: date, unit: str) -> date:
    if unit == "day":
        return start + timedelta(days=1)
    if unit == "week":
        return start + timedelta(days=7)
    return _add_months(start, 1)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _ticks(first: date, last: date) -> list[tuple[date, str, str, str]]:
    """Calendar boundaries inside ``first``..``last``: (day, label, since, until), at most
    ``MAX_TICKS`` of them, on the coarsest unit that gives at least two."""
    span = (last - first).days + 1
    out: list[tuple[date, str, str, str]] = []
    if span <= 31:  # days, every n-th
        step = max(1, -(-span // MAX_TICKS))
        at = first
        while at <= last:
            out.append((at, at.strftime("%b %-d"), at.isoformat(), at.isoformat()))
            at += timedelta(days=step)
        return out
    if span <= 120:  # weeks, on Mondays
        at = first + timedelta(days=-first.weekday() % 7)
        step = max(1, -(-span // (7 * MAX_TICKS)))
        while at <= last:
            end = at + timedelta(days=6)
            out.append((at, at.strftime("%b %-d"), at.isoformat(), end.isoformat()))
            at += timedelta(days=7 * step)
        return out
    months = (last.year - first.year) * 12 + last.month - first.month
    if months <= 36:  # months, every n-th
        step = next(n for n in (1, 2, 3, 6) if months / n <= MAX_TICKS)
        at = _add_months(first, 1) if first.day > 1 else first
        while at <= last:
            if (at.month - 1) % step == 0:
                label = str(at.year) if at.month == 1 else at.strftime("%b")
                month = at.strftime("%Y-%m")
                out.append((at, label, month, month))
            at = _add_months(at, 1)
        return out
    years = last.year - first.year
    step = next(n for n in (1, 2, 5, 10, 20, 50, 100) if years / n <= MAX_TICKS)
    year = first.year + 1 if (first.month, first.day) != (1, 1) else first.year
    while year <= last.year:
        if year % step == 0:
            out.append((date(year, 1, 1), str(year), str(year), str(year)))
        year += 1
    return out
