"""Representative points of countries from the shipped Natural Earth outlines."""

from __future__ import annotations

import pytest

from wirewatch.understand.country_points import country_points, ring_centroid


def test_the_centroid_of_a_square_is_its_centre() -> None:
    square = [[0.0, 0.0], [4.0, 0.0], [4.0, 2.0], [0.0, 2.0]]
    assert ring_centroid(square) == pytest.approx((1.0, 2.0))


def test_the_centroid_weighs_area_not_vertices() -> None:
    # An L shape with many vertices on its short arm: the centroid stays with the area.
    ell = [[0.0, 0.0], [6.0, 0.0], [6.0, 1.0], [1.0, 1.0], [1.0, 1.5], [1.0, 2.0], [0.0, 2.0]]
    lat, lon = ring_centroid(ell)
    assert lon == pytest.approx((6 * 3.0 + 1 * 0.5) / 7)
    assert lat == pytest.approx((6 * 0.5 + 1 * 1.5) / 7)


def test_a_degenerate_ring_gives_the_mean_of_its_vertices() -> None:
    assert ring_centroid([[1.0, 1.0], [3.0, 3.0], [2.0, 2.0]]) == pytest.approx((2.0, 2.0))


def test_france_is_its_mainland_and_the_us_its_lower_48() -> None:
    points = country_points()
    lat, lon = points["FRA"]
    assert 45 < lat < 48 and 1 < lon < 4
    lat, lon = points["USA"]
    assert 37 < lat < 42 and -102 < lon < -95
