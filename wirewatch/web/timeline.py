"""The timeline chart's geometry: events per day stacked by quad class, and the day's average
Goldstein score as a line below, computed here and drawn as SVG by ``_timeline.html``.

The chart is plain numbers and day strings, so it renders without JavaScript; the same counts
are listed in a table under it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from wirewatch.store.browse import QUAD_CLASSES
from wirewatch.store.charts import DayCount

WIDTH, BARS_HEIGHT, LINE_HEIGHT, GAP = 960.0, 200.0, 90.0, 20.0
GOLDSTEIN_RANGE = 10.0  # Goldstein scores run from -10 to +10


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    quad_class: int
    label: str


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
    most: int  # the busiest day's count: the top of the bar scale
    width: float = WIDTH
    bars_height: float = BARS_HEIGHT
    line_top: float = BARS_HEIGHT + GAP
    line_height: float = LINE_HEIGHT

    @property
    def height(self) -> float:
        return self.line_top + self.line_height

    @property
    def zero_y(self) -> float:
        """Where a Goldstein score of 0 sits."""
        return self.line_top + self.line_height / 2


def timeline(counts: list[DayCount]) -> Timeline:
    """The chart of ``counts`` (from ``events_per_day``), one column per day with events."""
    days: dict[str, Day] = {}
    weighted: dict[str, float] = {}
    for row in counts:
        day = days.setdefault(row.day, Day(row.day))
        day.counts[row.quad_class] = row.events
        weighted[row.day] = weighted.get(row.day, 0.0) + row.goldstein * row.events
    for day in days.values():
        day.goldstein = round(weighted[day.day] / day.total, 2)
    ordered = sorted(days.values(), key=lambda d: d.day)
    most = max((day.total for day in ordered), default=0)
    column = WIDTH / max(len(ordered), 1)
    bars: list[Bar] = []
    points: list[str] = []
    for index, day in enumerate(ordered):
        x = index * column
        top = BARS_HEIGHT
        for quad in sorted(QUAD_CLASSES):
            count = day.counts.get(quad, 0)
            if not count:
                continue
            height = BARS_HEIGHT * count / most
            top -= height
            label = f"{day.day}: {count} {QUAD_CLASSES[quad]}"
            bars.append(
                Bar(
                    round(x + column * 0.1, 1),
                    round(top, 1),
                    round(column * 0.8, 1),
                    round(height, 1),
                    quad,
                    label,
                )
            )
        y = (
            BARS_HEIGHT
            + GAP
            + LINE_HEIGHT / 2
            - (day.goldstein / GOLDSTEIN_RANGE) * LINE_HEIGHT / 2
        )
        points.append(f"{x + column / 2:.1f},{y:.1f}")
    return Timeline(ordered, bars, " ".join(points), most)
