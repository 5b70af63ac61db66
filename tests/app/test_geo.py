"""The offline world outlines: the served static file is current and covers the partners."""

from __future__ import annotations

import pandas as pd

from ui import geo


def test_static_outlines_match_the_generator() -> None:
    """static/world.geojson must be what `python -m ui.geo` writes (else maps fall back to inline)."""
    assert geo.STATIC_FILE.read_text(encoding="utf-8") == geo.geojson_text()
    assert geo.map_geojson() == geo.STATIC_URL


def test_every_partner_has_an_outline_or_a_centroid() -> None:
    partners = pd.read_csv(geo.STATIC_FILE.parents[1] / "data" / "seeds" / "partner.csv", keep_default_na=False)
    outlined = geo.iso3_with_outline()
    dots = partners[~partners["iso3"].isin(outlined)]
    assert len(outlined & set(partners["iso3"])) >= 150
    assert dots["lat"].astype(str).str.len().gt(0).all(), "partners without an outline need a centroid"


def test_the_map_is_an_offline_geo_choropleth_with_a_served_base_topology() -> None:
    """The map draws on plotly's geo subplot with its base map hidden; plotly still loads
    ``topojsonURL + 'world_110m.json'`` before it draws, so that file must be served from
    ``static/`` (offline hosts cannot reach plotly's CDN) and be a topology with every layer
    plotly reads (an empty one: the outlines are ours)."""
    import json

    from ui import charts

    frame = pd.DataFrame({"iso3": ["POL", "XKX"], "name": ["Poland", "Kosovo"], "lat": [52.0, 42.6],
                          "lon": [19.4, 20.9], "score": [80.0, 20.0]})
    fig = charts.world_map(frame, "score", "Score", "test", value_range=(0.0, 100.0))
    assert [t.type for t in fig.data] == ["choropleth", "scattergeo"]  # Kosovo has no outline: a dot
    assert fig.data[0].locationmode == "geojson-id" and list(fig.data[0].locations) == ["POL"]
    assert fig.layout.geo.visible is False
    assert charts.MAP_CONFIG["topojsonURL"] == "app/static/"
    stub = json.loads((geo.STATIC_FILE.parent / "world_110m.json").read_text(encoding="utf-8"))
    assert stub["type"] == "Topology"
    assert {"land", "coastlines", "countries", "ocean", "lakes", "rivers", "subunits"} <= set(stub["objects"])


def test_a_dot_without_a_figure_is_hollow_not_coloured() -> None:
    """A partner drawn as a dot whose region has no figure (NaN) gets its own hollow trace; plotly
    would paint a NaN colour black, which reads as an extreme value."""
    from ui import charts

    frame = pd.DataFrame({"iso3": ["POL", "XKX", "SGP"], "name": ["Poland", "Kosovo", "Singapore"],
                          "lat": [52.0, 42.6, 1.35], "lon": [19.4, 20.9, 103.8], "change": [1.0, 2.0, float("nan")]})
    fig = charts.world_map(frame, "change", "Change", "test", diverging=True, value_range=(-20.0, 20.0))
    assert [t.type for t in fig.data] == ["choropleth", "scattergeo", "scattergeo"]
    assert list(fig.data[1].customdata) == ["XKX"] and list(fig.data[2].customdata) == ["SGP"]
    assert fig.data[2].marker.color == "rgba(0,0,0,0)" and "no figure" in fig.data[2].hovertemplate


def test_every_map_variant_passes_plotlys_validation() -> None:
    """The map is built without plotly's per-property validation (it cost ~20 ms a rerun): every
    variant must still pass it — a misspelt property or a bad value fails here — and keep each
    value on its own location."""
    import numpy as np
    import plotly.graph_objects as go

    from ui import charts

    frame = pd.DataFrame({"iso3": ["POL", "DEU", "XKX", "SGP"], "name": ["Poland", "Germany", "Kosovo", "Singapore"],
                          "lat": [52.0, 51.2, 42.6, 1.35], "lon": [19.4, 10.4, 20.9, 103.8],
                          "v": [3.0, np.nan, -2.0, np.nan]})
    variants = [{}, {"value_range": (0.0, 100.0)}, {"diverging": True}, {"diverging": True, "value_range": (-12.0, 12.0), "dark": True}]
    for kwargs in variants:
        fig = charts.titled(charts.world_map(frame, "v", "V", "test", **kwargs), "T", "S")
        checked = go.Figure(fig.to_dict())  # validates every property; raises on an invalid one
        assert [t.type for t in checked.data] == ["choropleth", "scattergeo", "scattergeo"]
        shapes, dots, hollow = fig.data
        assert list(shapes.locations) == ["POL", "DEU"] and shapes.z[0] == 3.0 and np.isnan(shapes.z[1])
        assert list(dots.customdata) == ["XKX"] and list(dots.marker.color) == [-2.0]
        assert list(hollow.customdata) == ["SGP"]
        low, high = (shapes.zmin, shapes.zmax)
        assert (low, high) == kwargs.get("value_range", (-3.0, 3.0) if kwargs.get("diverging") else (-2.0, 3.0))
        assert checked.layout.geo.projection.type == "natural earth" and checked.layout.title.text == "T"
