"""World outlines for offline maps, from the ``countryinfo`` package (MIT), keyed by ISO3.

plotly's geo layouts fetch their base map from a CDN and draw nothing offline; our choropleth draws
the outlines from GeoJSON we serve ourselves (``static/world.geojson``), on a hidden base map whose
empty topology is served from ``static/`` too (see ``ui.charts.world_map``). ``countryinfo`` ships outlines for ~173 countries; partners without one
(Kosovo, Serbia, Montenegro, Singapore, Bahrain…) are drawn as markers at their centroids so no
partner disappears from the map.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import streamlit as st


PRECISION = 1  # decimal degrees kept (~11 km): plenty for a world map, and the JSON sent per rerun stays small


def _simplify_ring(ring: list[list[float]]) -> list[list[float]] | None:
    """Round a ring's coordinates and drop repeated points; None if it collapses."""
    out: list[list[float]] = []
    for lon, lat, *_ in ring:
        point = [round(lon, PRECISION), round(lat, PRECISION)]
        if not out or point != out[-1]:
            out.append(point)
    if len(out) < 4:
        return None
    if out[0] != out[-1]:
        out.append(out[0])
    return out


def _simplify(geometry: dict[str, Any]) -> dict[str, Any] | None:
    """Coarsen a Polygon/MultiPolygon for display; drops rings that vanish at this resolution."""
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    kept = []
    for polygon in polygons:
        rings = [r for r in (_simplify_ring(ring) for ring in polygon) if r is not None]
        if rings:
            kept.append(rings)
    if not kept:
        return None
    return {"type": "MultiPolygon", "coordinates": kept}


@st.cache_resource(show_spinner=False)
def world_geojson() -> dict[str, Any]:
    """A FeatureCollection with one feature per country, ``id`` = ISO3, coarsened for display."""
    features: list[dict[str, Any]] = []
    seen: set[str] = set()
    folder = resources.files("countryinfo") / "data"
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if not entry.name.endswith(".json"):
            continue
        try:
            record = json.loads(entry.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        iso3 = (record.get("ISO") or {}).get("alpha3")
        collection = record.get("geoJSON") or {}
        if not iso3 or iso3 in seen:
            continue
        for feature in collection.get("features", []):
            geometry = feature.get("geometry")
            if geometry and geometry.get("type") in ("Polygon", "MultiPolygon"):
                simple = _simplify(geometry)
                if simple is not None:
                    features.append({"type": "Feature", "id": iso3, "properties": {"iso3": iso3}, "geometry": simple})
                    seen.add(iso3)
                break
    return {"type": "FeatureCollection", "features": features}


STATIC_FILE = Path(__file__).resolve().parents[1] / "static" / "world.geojson"
# Served by Streamlit's static file serving (same origin, no internet): the browser fetches the
# outlines once and caches them, instead of receiving ~170 KB of GeoJSON with every rerun.
STATIC_URL = "app/static/world.geojson"


def geojson_text() -> str:
    """The outlines as the compact JSON text stored in ``static/world.geojson``."""
    return json.dumps(world_geojson(), separators=(",", ":"))


@st.cache_resource(show_spinner=False)
def map_geojson() -> str | dict[str, Any]:
    """What the map traces get: the static file's URL when it is current, else the outlines inline."""
    if STATIC_FILE.is_file() and STATIC_FILE.read_text(encoding="utf-8") == geojson_text():
        return STATIC_URL
    return world_geojson()


def iso3_with_outline() -> frozenset[str]:
    """ISO3 codes that have an outline in :func:`world_geojson`."""
    return frozenset(f["id"] for f in world_geojson()["features"])


if __name__ == "__main__":  # python -m ui.geo: regenerate static/world.geojson
    STATIC_FILE.parent.mkdir(exist_ok=True)
    STATIC_FILE.write_text(geojson_text(), encoding="utf-8")
    print(f"Wrote {STATIC_FILE} ({STATIC_FILE.stat().st_size / 1000:.0f} KB)")
