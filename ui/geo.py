"""World outlines for offline maps, from the ``countryinfo`` package (MIT), keyed by ISO3.

plotly's geo layouts fetch outlines from a CDN and draw nothing offline; ``choropleth_map`` draws
from GeoJSON we pass. ``countryinfo`` ships outlines for ~173 countries; partners without one
(Kosovo, Serbia, Montenegro, Singapore, Bahrain…) are drawn as markers at their centroids so no
partner disappears from the map.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import streamlit as st


@st.cache_resource(show_spinner=False)
def world_geojson() -> dict[str, Any]:
    """A FeatureCollection with one feature per country, ``id`` = ISO3."""
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
            if geometry:
                features.append({"type": "Feature", "id": iso3, "properties": {"iso3": iso3}, "geometry": geometry})
                seen.add(iso3)
                break
    return {"type": "FeatureCollection", "features": features}


def iso3_with_outline() -> frozenset[str]:
    """ISO3 codes that have an outline in :func:`world_geojson`."""
    return frozenset(f["id"] for f in world_geojson()["features"])
