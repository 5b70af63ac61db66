"""Frontline exposure measured from geography: distance from a partner's territory to the nearest
US adversary's territory.

The policy prizes partners on a contested front. Distance is the measurable part of that: a
partner that borders Russia or Belarus, or lies across a strait from China, North Korea or Iran,
is exposed whatever an analyst thinks. Outlines are polygons (lon/lat rings); every edge is
densified to points at most ``step_km`` apart, points are put on the unit sphere, and the distance
between two countries is the great-circle distance between their closest points (the largest dot
product), computed in chunks so memory stays bounded. Countries that share a border come out at a
few kilometres (simplified outlines do not meet exactly) and are reported as 0 below ``touch_km``.
Precision is of the order of ``step_km``.

Exposure on a 0–5 scale (the scale of the judged criteria it replaces):
``5 × (1 − min(d, reach_km) / reach_km)``: 5 at a shared border, 0 at ``reach_km`` or beyond.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

__all__ = ["ADVERSARIES", "EARTH_RADIUS_KM", "exposure_score", "nearest_distance_km", "ring_points"]

EARTH_RADIUS_KM = 6371.0088
ADVERSARIES: tuple[str, ...] = ("RUS", "BLR", "CHN", "PRK", "IRN")
"""US adversaries named in the policy brief (Russia and its co-belligerent Belarus, the PRC, the
DPRK, Iran): all five are under a US policy of denial (22 CFR 126.1)."""


def ring_points(rings: Sequence[Sequence[Sequence[float]]], step_km: float = 20.0) -> np.ndarray:
    """Unit vectors (k, 3) of every ring vertex plus points densified along each edge."""
    chunks: list[np.ndarray] = []
    step = step_km / EARTH_RADIUS_KM
    for ring in rings:
        coords = np.asarray(ring, dtype=float)[:, :2]
        if len(coords) == 0:
            continue
        xyz = _unit(coords[:, 0], coords[:, 1])
        chunks.append(xyz)
        if len(xyz) < 2:
            continue
        a, b = xyz[:-1], xyz[1:]
        angle = np.arccos(np.clip((a * b).sum(axis=1), -1.0, 1.0))
        n_extra = np.floor(angle / step).astype(int)
        for i in np.flatnonzero(n_extra > 0):
            t = np.arange(1, n_extra[i] + 1)[:, None] / (n_extra[i] + 1)
            points = a[i] * (1 - t) + b[i] * t  # chord interpolation, then back onto the sphere
            chunks.append(points / np.linalg.norm(points, axis=1, keepdims=True))
    return np.concatenate(chunks) if chunks else np.zeros((0, 3))


def nearest_distance_km(
    partner_points: Mapping[str, np.ndarray],
    adversary_points: Mapping[str, np.ndarray],
    touch_km: float = 25.0,
    chunk: int = 4096,
) -> dict[str, tuple[str, float]]:
    """For every partner: (nearest adversary, distance in km; 0 when closer than ``touch_km``).

    A partner that is itself an adversary is skipped. Partners without points are skipped.
    """
    names = [code for code, pts in adversary_points.items() if len(pts)]
    if not names:
        return {}
    stacked = np.concatenate([adversary_points[c] for c in names])
    owner = np.concatenate([np.full(len(adversary_points[c]), i) for i, c in enumerate(names)])
    out: dict[str, tuple[str, float]] = {}
    for code, pts in partner_points.items():
        if code in adversary_points or len(pts) == 0:
            continue
        best, best_owner = -2.0, -1
        for start in range(0, len(pts), chunk):
            dots = pts[start:start + chunk] @ stacked.T
            flat = int(np.argmax(dots))
            value = float(dots.flat[flat])
            if value > best:
                best, best_owner = value, int(owner[flat % stacked.shape[0]])
        km = float(np.arccos(np.clip(best, -1.0, 1.0)) * EARTH_RADIUS_KM)
        out[code] = (names[best_owner], 0.0 if km < touch_km else round(km, 0))
    return out


def exposure_score(distance_km: np.ndarray, reach_km: float = 2000.0) -> np.ndarray:
    """0–5 exposure from distance (NaN stays NaN): 5 at a border, 0 at ``reach_km`` and beyond."""
    d = np.asarray(distance_km, dtype=float)
    return 5.0 * (1.0 - np.minimum(d, reach_km) / reach_km)


def _unit(lon_deg: np.ndarray, lat_deg: np.ndarray) -> np.ndarray:
    lon, lat = np.radians(lon_deg), np.radians(lat_deg)
    return np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], axis=1)
