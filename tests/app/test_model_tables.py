"""Derived tables and chart inputs rewritten for speed equal the plain pandas reference on the
embedded data, under every preset."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from scoring.criteria import PRESETS


@pytest.fixture()
def scenarios(store_path: Path, monkeypatch) -> list:
    monkeypatch.setenv("ARMS_PRIORITY_DB", str(store_path))
    from ui import state

    out = []
    for preset in PRESETS:
        values = state.defaults()
        values["preset"] = preset.key
        for criterion, weight in preset.weights.items():
            values[state.weight_key(criterion)] = round(weight)
        out.append(state.scenario_of(values))
    return out


def test_reference_crosstab_is_pandas_crosstab(scenarios: list) -> None:
    from ui import model

    for scenario in scenarios:
        ranking = model.ranking_table(scenario)
        expected = pd.crosstab(ranking["reference_tier"], ranking["tier"])
        expected = expected.reindex([t for t in model.REFERENCE_TIERS if t in expected.index])
        expected = expected.rename_axis(index="Statutory tier", columns="Model tier")
        pd.testing.assert_frame_equal(model.reference_crosstab(scenario), expected)


def test_contribution_bars_sum_each_group_like_a_pivot_table(scenarios: list) -> None:
    from ui import charts, model

    for scenario in scenarios[:1] + scenarios[2:]:  # FCFS (index 1) has no contributions
        contrib = model.contributions_table(scenario)
        names = dict(zip(model.ranking_table(scenario)["iso3"], model.ranking_table(scenario)["name"], strict=True))
        pivot = contrib.pivot_table(index="iso3", columns="group", values="contribution", aggfunc="sum", fill_value=0.0)
        top = pivot.loc[pivot.sum(axis=1).sort_values(ascending=False).index[:25]]
        fig = charts.contribution_bars(contrib, names)
        assert [t.name for t in fig.data] == [g for g in charts.GROUP_COLOURS if g in top.columns]
        for trace in fig.data:
            assert list(trace.y) == [names[i] for i in top.index]
            assert list(trace.x) == pytest.approx(top[trace.name].tolist())
