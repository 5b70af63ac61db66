"""The field registry (ui.state.STATE_FIELDS): one declaration per scenario parameter gives its URL
parsing, its default and, where declared, its sidebar widget — the range a slider offers is the
range a link may carry, and every declared widget is drawn."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.groups import open_groups
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
    open_groups(at).run()
    assert not at.exception
    threshold = {f.key for f in DRAWN} - {"tier_top_share", "tier_key_share"}
    quantile = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    quantile.query_params["tier_mode"] = "quantile"  # the share sliders replace the point sliders
    open_groups(quantile).run()
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


TARGETED = [f for f in state.STATE_FIELDS if f.target is not None]


@pytest.mark.parametrize("field", TARGETED, ids=[f.key for f in TARGETED])
def test_a_field_that_sets_a_scenario_setting_takes_the_models_default_and_sets_it(field: state.Field) -> None:
    """A targeted field's default is the scenario part's own default (declared once, in scoring), and
    any value the field accepts reaches that setting, scaled to the setting's unit."""
    from dataclasses import fields as dataclass_fields

    from scoring.scenario import PARTS, Scenario

    part = next(name for name, cls in PARTS if field.target in {f.name for f in dataclass_fields(cls)})
    model = getattr(getattr(Scenario(()), part), field.target)
    assert field.default * field.scale == pytest.approx(model) if isinstance(model, float) else field.default == model
    other = (field.high if field.default != field.high else field.low) if field.low is not None else (
        next(o for o in field.options if o != field.default) if field.options else not field.default)
    values = state.defaults() | {field.key: other}
    scenario = state.scenario_of(values)
    got = getattr(getattr(scenario, part), field.target)
    assert got == pytest.approx(other * field.scale) if field.scale != 1.0 else got == other


def test_the_defaults_describe_the_models_default_scenario() -> None:
    """Every field at its default gives the scenario parts' own defaults (the weights aside), so the
    sidebar, a bare link and the model agree on what 'nothing changed' means."""
    from scoring.scenario import Scenario

    scenario = state.scenario_of(state.defaults())
    model = Scenario(scenario.weights, data_version=scenario.data_version)
    assert scenario.method == model.method and scenario.gates == model.gates
    assert scenario.delivery_rules == model.delivery_rules and scenario.tier_rule == model.tier_rule
    assert scenario.production.domestic_share == model.production.domestic_share
    assert scenario.production.investment is None and scenario.production.funder_share == 0.0
