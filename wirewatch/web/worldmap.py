"""The world map: Natural Earth's 110m countries (``wirewatch/data/world_110m.json``, shipped
with the package) projected equirectangularly to SVG paths, and event places as points.

Nothing is fetched: no tile server, no CDN. Longitude -180..180 maps to x 0..720 and latitude
90..-90 to y 0..360, two SVG units a degree.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from wirewatch.store.charts import MapPoint

WIDTH, HEIGHT, SCALE = 720, 360, 2.0
PLACES_LISTED = 100
"""Places the list beside the map names, the busiest first."""


@dataclass(frozen=True, slots=True)
class Country:
    iso_a3: str
    name: str
    path: str  # SVG path data


@dataclass(frozen=True, slots=True)
class Dot:
    x: float
    y: float
    radius: float
    point: MapPoint

    @property
    def tone(self) -> str:
        """``conflict`` below 0 average Goldstein, ``cooperation`` above, else ``neutral``;
        then its band (``GOLDSTEIN_TONES``) for the colour scale."""
        if self.point.goldstein < 0:
            kind = "conflict"
        else:
            kind = "cooperation" if self.point.goldstein > 0 else "neutral"
        return f"{kind} {tone_of(self.point.goldstein)}"


GOLDSTEIN_TONES = (
    (-5.0, "g-1", "−10 to −5"),
    (-1.0, "g-2", "−5 to −1"),
    (1.0, "g-3", "−1 to +1"),
    (5.0, "g-4", "+1 to +5"),
    (10.1, "g-5", "+5 to +10"),
)
"""The map's colour scale: upper bound (exclusive) of the average Goldstein score, CSS class
and legend text, from conflict (red) to cooperation (blue)."""


def tone_of(goldstein: float) -> str:
    for upper, css, _ in GOLDSTEIN_TONES:
        if goldstein < upper:
            return css
    return GOLDSTEIN_TONES[-1][1]


def project(lon: float, lat: float) -> tuple[float, float]:
    """Map coordinates of a longitude and latitude."""
    return round((lon + 180) * SCALE, 1), round((90 - lat) * SCALE, 1)


@lru_cache(maxsize=1)
def countries() -> tuple[Country, ...]:
    """Every country outline, read and projected once per process."""
    raw = resources.files("wirewatch.data").joinpath("world_110m.json").read_text("utf-8")
    shapes = []
    for country in json.loads(raw)["countries"]:
        rings = []
        for ring in country["rings"]:
            points = [project(lon, lat) for lon, lat in ring]
            rings.append("M" + "L".join(f"{x:g} {y:g}" for x, y in points) + "Z")
        shapes.append(Country(country["iso_a3"], country["name"], "".join(rings)))
    return tuple(shapes)


def dots(points: list[MapPoint]) -> list[Dot]:
    """One dot per place, its area growing with its number of events; busiest drawn last."""
    out = []
    for point in sorted(points, key=lambda p: p.events):
        x, y = project(point.lon, point.lat)
        radius = round(min(3 + 2 * math.sqrt(point.events), 18), 1)
        out.append(Dot(x, y, radius, point))
    return out
