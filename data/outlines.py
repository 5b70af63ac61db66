"""Country outlines from the ``countryinfo`` package (MIT), keyed by ISO3 — read once, no network.

Used by the curation to measure frontline geography (``scoring.geography``) at full resolution;
the app's maps coarsen the same outlines for display (``ui.geo``).
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any


def country_rings() -> dict[str, list[list[list[float]]]]:
    """Every outlined country's polygon rings (lon/lat), by ISO3; the first feature of each file."""
    out: dict[str, list[list[list[float]]]] = {}
    folder = resources.files("countryinfo") / "data"
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if not entry.name.endswith(".json"):
            continue
        try:
            record: dict[str, Any] = json.loads(entry.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        iso3 = (record.get("ISO") or {}).get("alpha3")
        if not iso3 or iso3 in out:
            continue
        for feature in (record.get("geoJSON") or {}).get("features", []):
            geometry = feature.get("geometry") or {}
            if geometry.get("type") == "Polygon":
                out[iso3] = list(geometry["coordinates"])
            elif geometry.get("type") == "MultiPolygon":
                out[iso3] = [ring for polygon in geometry["coordinates"] for ring in polygon]
            else:
                continue
            break
    return out
