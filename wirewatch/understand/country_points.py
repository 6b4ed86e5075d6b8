"""A representative point for each country: the centroid of its largest Natural Earth polygon.

GeoNames' country table gives no coordinates. The 1:110m Natural Earth countries shipped for
the web map (``wirewatch/data/world_110m.json``, public domain) outline them; the area-weighted
centroid of a country's largest ring is its main landmass's centre (mainland France, not
French Guiana), which is where a reader of "France" would put the dot. Countries too small for
the 110m outlines (Andorra, Singapore ...) are absent here; ``places.py`` falls back to their
capital.

>>> lat, lon = country_points()["USA"]; round(lat), round(lon)
(40, -99)
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

__all__ = ["country_points", "ring_centroid"]

Ring = Sequence[Sequence[float]]


@lru_cache(maxsize=1)
def country_points() -> dict[str, tuple[float, float]]:
    """``(lat, lon)`` of each country in the shipped outlines, by ISO 3166 alpha-3."""
    raw = resources.files("wirewatch.data").joinpath("world_110m.json").read_text("utf-8")
    points: dict[str, tuple[float, float]] = {}
    for country in json.loads(raw)["countries"]:
        code = country.get("iso_a3")
        rings = [ring for ring in country["rings"] if len(ring) >= 3]
        if not code or code == "-99" or not rings:
            continue
        largest = max(rings, key=lambda ring: abs(_signed_area(ring)))
        points[code] = ring_centroid(largest)
    return points


def ring_centroid(ring: Ring) -> tuple[float, float]:
    """``(lat, lon)`` of the area-weighted centroid of a closed ring of ``[lon, lat]`` pairs.

    A degenerate ring (no area) gives the mean of its vertices.
    """
    area = _signed_area(ring)
    if abs(area) < 1e-12:
        return (
            sum(p[1] for p in ring) / len(ring),
            sum(p[0] for p in ring) / len(ring),
        )
    cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, [*ring[1:], ring[0]], strict=True):
        cross = x0 * y1 - x1 * y0
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    return cy / (6 * area), cx / (6 * area)


def _signed_area(ring: Ring) -> float:
    return 0.5 * sum(
        x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, [*ring[1:], ring[0]], strict=True)
    )
