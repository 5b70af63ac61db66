"""The field registry (ui.state.STATE_FIELDS): one declaration per scenario parameter gives its URL
parsing, its default and, where declared, its sidebar widget — the range a slider offers is the
range a link may carry, and every declared widget is drawn."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui import state

ROOT = Path(__file__).resolve().parents[2]
RANGED = [f for f in state.STATE_FIELDS if f.low is not None]
DRAWN = [f for f in state.STATE_FIELDS if f.widget is not None]


@pytest.mark.parametrize("field", RANGED, ids=[f.key for f in RANGED])
def test_a_link_accepts_exactly_the_range_the_widget_offers(field: state.Field) -> None:
    kind = float if isinstance(field.default, float) else int
    assert field.low <= field.default <= field.high
    assert field.parse(str(kind(field.low))) == kind(field.low)
    assert field.parse(str(kind(field.high))) == kind(field.high)
    for outside in (kind(field.low) - 1, kind(field.high) + 1):
        with pytest.raises(ValueError):
            field.parse(str(outside))
    assert field.parse(field.to_url(field.default)) == field.default  # a default survives a link


@pytest.mark.parametrize("field", [f for f in state.STATE_FIELDS if f.options is not None],
                         ids=[f.key for f in state.STATE_FIELDS if f.options is not None])
def test_a_link_accepts_exactly_the_options_the_widget_offers(field: state.Field) -> None:
    assert field.default in field.options
    for option in field.options:
        assert field.parse(option) == option
    with pytest.raises(ValueError):
        field.parse("not-an-option")


def test_every_declared_widget_is_drawn_with_its_declared_label_and_range(store_path: Path, monkeypatch) -> None:
    """Switch on everything that reveals a control, then find each declared widget in the sidebar."""
    monkeypatch.setenv("ARMS_PRIORITY_DB", str(store_path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for key in ("gate_hr", "gate_eu", "gate_tech", "include_notified", "invest_on"):
        at.query_params[key] = "1"
    at.query_params["policy"] = "tier_share"
    at.query_params["hold_mode"] = "delay"
    at.run()
    assert not at.exception
    threshold = {f.key for f in DRAWN} - {"tier_top_share", "tier_key_share"}
    quantile = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    quantile.query_params["tier_mode"] = "quantile"  # the share sliders replace the point sliders
    quantile.run()
    assert not quantile.exception
    widgets = {}
    for run, wanted in ((at, threshold), (quantile, {"tier_top_share", "tier_key_share"})):
        for kind in ("slider", "radio", "toggle", "number_input"):
            for widget in getattr(run.sidebar, kind):
                if widget.key in wanted:
                    widgets[widget.key] = widget
    missing = {f.key for f in DRAWN} - set(widgets)
    assert not missing, f"declared but not drawn: {sorted(missing)}"
    for field in DRAWN:
        widget = widgets[field.key]
        assert widget.label == field.label
        if field.widget == "slider":
            assert (widget.min, widget.max) == (field.low, field.high)
        if field.widget == "radio":
            assert list(widget.options) == [field.options[o] for o in field.options]
