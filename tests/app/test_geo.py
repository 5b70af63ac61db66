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
