"""Frontline geography measured from outlines: hand-checked distances to the nearest adversary."""

from __future__ import annotations

import numpy as np
import pytest

from data.outlines import country_rings
from scoring.geography import ADVERSARIES, EARTH_RADIUS_KM, exposure_score, nearest_distance_km, ring_points


@pytest.fixture(scope="module")
def nearest() -> dict[str, tuple[str, float]]:
    rings = country_rings()
    points = {code: ring_points(r) for code, r in rings.items() if code in {"POL", "EST", "KOR", "TWN", "AUS", *ADVERSARIES}}
    return nearest_distance_km({c: p for c, p in points.items() if c not in ADVERSARIES}, {c: points[c] for c in ADVERSARIES})


def test_partners_sharing_a_border_with_an_adversary_are_at_zero(nearest) -> None:
    # Poland borders Belarus and Russia's Kaliningrad oblast; Estonia borders Russia (Narva river);
    # South Korea borders North Korea along the DMZ.
    assert nearest["POL"][1] == 0 and nearest["POL"][0] in ("RUS", "BLR")
    assert nearest["EST"] == ("RUS", 0.0)
    assert nearest["KOR"] == ("PRK", 0.0)


def test_taiwan_is_a_strait_away_from_china(nearest) -> None:
    # The Taiwan Strait is 131 km wide at its narrowest
    # (http://www.princeton.edu/~achaney/tmve/wiki100k/docs/Taiwan_Strait.html); simplified outlines
    # without Pingtan island's detail put the closest points somewhat further apart.
    adversary, km = nearest["TWN"]
    assert adversary == "CHN"
    assert 100 <= km <= 200


def test_australia_is_beyond_reach(nearest) -> None:
    # Cape York (10.7° S) to Hainan's southern tip (18.2° N) is at least 28.9° of latitude ≈ 3,200 km.
    adversary, km = nearest["AUS"]
    assert km > 3000
    assert exposure_score(np.array([km])).tolist() == [0.0]


def test_exposure_is_linear_from_the_border_to_the_reach() -> None:
    assert exposure_score(np.array([0.0, 500.0, 1000.0, 2000.0, 5000.0, np.nan])).tolist()[:5] == [5.0, 3.75, 2.5, 0.0, 0.0]
    assert np.isnan(exposure_score(np.array([np.nan]))[0])


def test_densified_edges_measure_a_long_straight_edge() -> None:
    # Two single-edge "countries" on the equator: an edge from 0° to 10° E and a point at 5° E, 1° N.
    # Without densifying, the nearest vertex would be ~557 km away; the true distance is 1° ≈ 111 km.
    edge = ring_points([[[0.0, 0.0], [10.0, 0.0]]], step_km=5.0)
    point = ring_points([[[5.0, 1.0]]])
    out = nearest_distance_km({"A": point}, {"B": edge}, touch_km=0.0)
    assert out["A"][1] == pytest.approx(np.radians(1.0) * EARTH_RADIUS_KM, abs=5.0)


def test_ring_points_densify_every_20_km_by_default_and_ignore_a_third_coordinate() -> None:
    """Two degrees of the equator are 222.4 km: 11 points every 20 km between the two vertices (10 if
    the step were 21 km); a vertex's third coordinate (an altitude) is ignored; a one-vertex ring has
    no edge; coincident vertices add nothing."""
    length = 2 * np.pi * EARTH_RADIUS_KM * 2 / 360
    assert int(length // 20) == 11 and int(length // 21) == 10
    assert ring_points([[[0.0, 0.0], [2.0, 0.0]]]).shape == (2 + 11, 3)
    with_altitude = ring_points([[[0.0, 0.0, 150.0], [2.0, 0.0, 90.0]]])
    assert np.allclose(with_altitude, ring_points([[[0.0, 0.0], [2.0, 0.0]]]))
    assert ring_points([[[5.0, 5.0]]]).shape == (1, 3)
    assert ring_points([[[5.0, 5.0], [5.0, 5.0]]]).shape == (2, 3)
    assert ring_points([]).shape == (0, 3)
