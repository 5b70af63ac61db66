"""Chart conventions every page relies on: titles carry the scenario and source, burn-down panels."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ui import charts


def _backlog(groups: list[str]) -> pd.DataFrame:
    years = 2026 + np.arange(8) / 4
    rows = [(y, max(0.0, 4 - i - k), g, policy) for i, g in enumerate(groups) for policy in ("policy", "fcfs")
            for k, y in enumerate(years)]
    return pd.DataFrame(rows, columns=["year", "remaining", "group", "policy"])


def test_titled_moves_the_source_into_the_subtitle() -> None:
    fig = charts.titled(charts.burn_down(_backlog(["Tier 1", "Tier 2"])), "Order value", "America First EO")
    assert fig.layout.title.text == "Order value"
    assert fig.layout.title.subtitle.text.startswith("Scenario: America First EO · Source: schedule computed")
    visible = [a.text for a in fig.layout.annotations if a.visible is not False]
    assert not any(text.startswith("Source:") for text in visible), "the source is shown once, in the subtitle"


def test_burn_down_panels_one_titled_panel_per_group_largest_first() -> None:
    fig = charts.burn_down_panels(_backlog(["Small", "Large", "Empty"]).assign(
        remaining=lambda f: np.where(f["group"] == "Large", f["remaining"] * 10,
                                     np.where(f["group"] == "Empty", 0.0, f["remaining"]))), columns=2)
    titles = [a.text for a in fig.layout.annotations if not a.text.startswith("Source:")]
    assert titles == ["Large", "Small"], "largest backlog first; a group with nothing to deliver has no panel"
    assert len(fig.data) == 4 and sum(bool(t.showlegend) for t in fig.data) == 2
    assert fig.layout.xaxis.domain == (0.0, 0.47) and fig.layout.xaxis2.domain[0] > 0.5
    assert fig.data[2].xaxis == "x2" and fig.layout.xaxis2.matches == "x"


PAGES_WITH_CHARTS = ("overview", "ranking", "queue", "regions", "partner", "robustness")


def test_every_chart_a_page_draws_passes_plotlys_validation(store_path, monkeypatch) -> None:
    """Charts are built without plotly's per-property validation (see ``ui.charts``): every figure
    the pages send must still pass it, so a misspelt property or a bad value fails here."""
    import json

    import plotly.graph_objects as go
    from streamlit.testing.v1 import AppTest

    from tests.app.test_pages import ROOT

    monkeypatch.setenv("ARMS_PRIORITY_DB", str(store_path))
    checked = 0
    for page, query in [(p, {}) for p in PAGES_WITH_CHARTS] + [("queue", {"policy": "tier_share"}), ("overview", {"preset": "fcfs"})]:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        for key, value in query.items():
            at.query_params[key] = value
        at.run()
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, (page, [e.value for e in at.exception])
        for chart in at.get("plotly_chart"):
            spec = json.loads(chart.proto.spec)
            go.Figure(data=spec.get("data"), layout=spec.get("layout"))  # raises on an invalid property or value
            checked += 1
    assert checked >= 15


def test_rank_spread_draws_each_partner_once_with_its_own_band() -> None:
    mc = pd.DataFrame({"name": ["A", "B", "C"], "tier": ["Tier 1", "Tier 2", "Tier 1"],
                       "rank_median": [1.0, 2.0, 3.0], "rank_p05": [1.0, 1.0, 2.0], "rank_p95": [2.0, 4.0, 5.0]})
    fig = charts.rank_spread(mc)
    assert [t.name for t in fig.data] == ["Tier 1", "Tier 2"]  # one legend entry per tier, in order of appearance
    first, second = fig.data
    assert list(first.y) == ["A", "C"] and list(first.x) == [1.0, 3.0]
    assert list(first.error_x.array) == [1.0, 2.0] and list(first.error_x.arrayminus) == [0.0, 1.0]
    assert list(second.y) == ["B"] and second.customdata.tolist() == [[1.0, 4.0]]
    assert list(fig.layout.yaxis.categoryarray) == ["A", "B", "C"]


def test_spending_history_draws_the_three_reference_levels_across_the_chart() -> None:
    history = pd.DataFrame({"year": [2020, 2021, 2021], "series": ["sipri", "sipri", "nato"],
                            "share_gdp_pct": [1.9, 2.1, 2.0]})
    fig = charts.spending_history(history, "POL")
    assert [t.name for t in fig.data] == ["SIPRI", "NATO"]
    lines = [(s.y0, s.y1, s.x0, s.x1, s.xref) for s in fig.layout.shapes]
    assert lines == [(2.0, 2.0, 0, 1, "x domain"), (3.5, 3.5, 0, 1, "x domain"), (5.0, 5.0, 0, 1, "x domain")]
    labels = {a.text: a.y for a in fig.layout.annotations if not str(a.text).startswith("Source:")}
    assert labels == {"2% (2014 NATO goal)": 2.0, "3.5% core (Hague 2025)": 3.5, "5% by 2035": 5.0}
