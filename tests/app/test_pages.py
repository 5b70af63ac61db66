"""AppTest: every page renders without an exception, and the sliders drive what is shown."""

from __future__ import annotations

import re

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.app.groups import open_groups

ROOT = Path(__file__).resolve().parents[2]
PAGES = {
    "pages/overview.py": "America First arms-sale priority",
    "pages/ranking.py": "Partner ranking",
    "pages/queue.py": "Queue & delivery schedule",
    "pages/regions.py": "Regional priorities",
    "pages/partner.py": "Partner profile",
    "pages/compare.py": "Compare scenarios",
    "pages/robustness.py": "How robust is it?",
    "pages/data.py": "Data & sources",
    "pages/methods.py": "Methods",
}


def app(store_path: Path, page: str | None = None, groups: tuple[str, ...] = (), **query: str) -> AppTest:
    """The app after its first run (on ``page`` if given): AppTest needs one run before a page switch.
    ``groups``: the sidebar's lazy settings groups to open (see ``tests.app.groups``)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    if groups:
        open_groups(at, *groups)
    at.run()
    if page is not None:
        at.switch_page(page).run()
    return at


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders(store_path: Path, page: str) -> None:
    at = app(store_path, page)
    assert not at.exception, [e.value for e in at.exception]
    assert [t.value for t in at.title] == [PAGES[page]]
    assert len(at.sidebar.slider) >= 15, "the weight sliders belong in the sidebar"
    assert not at.error, [e.value for e in at.error]


def _ranking_names(at: AppTest) -> list[str]:
    table = next(d for d in at.dataframe if "name" in d.value.columns and "score" in d.value.columns)
    return table.value["name"].tolist()


def test_moving_a_weight_reorders_the_ranking(store_path: Path) -> None:
    at = app(store_path, "pages/ranking.py")
    before = _ranking_names(at)
    for slider in at.sidebar.slider:
        if slider.key and slider.key.startswith("w_"):
            slider.set_value(0)
    at.sidebar.slider(key="w_frontline").set_value(20)
    at.run()
    assert not at.exception
    after = _ranking_names(at)
    assert after != before
    assert at.session_state["preset"] == "custom"


def test_all_weights_zero_means_first_come_first_served(store_path: Path) -> None:
    at = app(store_path, "pages/ranking.py")
    at.sidebar.selectbox(key="preset").set_value("fcfs").run()
    assert not at.exception
    assert any("first-come-first-served" in i.value for i in at.info)


def _queue(at: AppTest):
    return next(d for d in at.dataframe if "queue" in d.value.columns and "priority_last" in d.value.columns).value


def test_moving_a_weight_changes_queue_and_delivery(store_path: Path) -> None:
    at = app(store_path, "pages/queue.py")
    eo = _queue(at).set_index("order_id")
    at.sidebar.selectbox(key="preset").set_value("human_rights").run()
    assert not at.exception
    hr = _queue(at).set_index("order_id").loc[eo.index]
    assert (hr["queue"] != eo["queue"]).any()
    assert (hr["priority_last"] != eo["priority_last"]).any()


def test_query_parameters_restore_the_sliders(store_path: Path) -> None:
    at = app(store_path, groups=("method",), w_share_gdp="3", w_frontline="17", normalisation="rank")
    assert not at.exception
    assert at.sidebar.slider(key="w_share_gdp").value == 3
    assert at.sidebar.slider(key="w_frontline").value == 17
    assert at.sidebar.radio(key="normalisation").value == "rank"
    assert at.session_state["preset"] == "custom"


def test_bad_query_parameters_fall_back_with_a_notice(store_path: Path) -> None:
    at = app(store_path, groups=("method",), w_share_gdp="999", normalisation="evil';--", bogus="1")
    assert not at.exception
    assert at.sidebar.slider(key="w_share_gdp").value == 20  # the America First EO default
    assert at.sidebar.radio(key="normalisation").value == "minmax"
    notices = " ".join(w.value for w in at.warning).replace("\\", "")  # markdown escapes removed
    assert "w_share_gdp" in notices and "normalisation" in notices and "bogus" in notices


def test_uploaded_order_book_replaces_the_store_book(store_path: Path) -> None:
    """An uploaded CSV becomes the session's order book, with a banner on every page."""
    from ui import books

    at = app(store_path, "pages/queue.py")
    good = b"iso3,line_id,units,contract_date,value_busd\nGEO,javelin,100,2024-01-31,0.02\nPOL,javelin,500,2025-03-01,0.1\n"
    # AppTest cannot drive a file uploader (the browser test does): put the book where the uploader puts it.
    at.session_state[books.UPLOAD_KEY] = {
        "key": "test-good", "name": "mine.csv", "content": good, "rows": 2, "marker": ("mine.csv", len(good), "x"),
    }
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    queue = _queue(at)
    assert sorted(queue["partner"]) == ["Georgia", "Poland"]
    assert any("mine.csv" in i.value.replace("\\", "") for i in at.info)  # shown escaped


def test_a_book_longer_than_the_shown_table_renders_its_first_rows(store_path: Path) -> None:
    """The Queue table shows the first 2,000 orders of a longer book (the load benchmark's 100,000-order
    upload hit a length mismatch there). The book is generated here: 2,500 orders, test data only."""
    from ui import books

    rows = "".join(f"{iso3},javelin,{1 + n % 7},20{10 + n % 15}-0{1 + n % 9}-1{n % 9}\n"
                   for n, iso3 in zip(range(2_500), ["POL", "GEO", "JPN", "EST", "ROU"] * 500))
    book = ("iso3,line_id,units,contract_date\n" + rows).encode()
    at = app(store_path, "pages/queue.py")
    at.session_state[books.UPLOAD_KEY] = {
        "key": "test-long", "name": "long.csv", "content": book, "rows": 2_500, "marker": ("long.csv", len(book), "x"),
    }
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(_queue(at)) == 2_000
    assert any("Showing the first 2,000 of 2,500 orders" in c.value for c in at.caption)


def test_results_on_an_uploaded_book_stay_in_the_session_and_are_bounded(store_path: Path) -> None:
    """Per-session data never sits in a process-wide cache: scenarios on an uploaded book are memoised
    in the session's own state, at most SESSION_SCENARIOS of them, the latest kept."""
    from ui import books, cache

    book = b"iso3,line_id,units,contract_date\nGEO,javelin,100,2024-01-31\nPOL,javelin,500,2025-03-01\n"
    at = app(store_path, "pages/queue.py")
    at.session_state[books.UPLOAD_KEY] = {"key": "test-own", "name": "own.csv", "content": book, "rows": 2,
                                          "marker": ("own.csv", len(book), "x")}
    at.run()
    assert not at.exception
    memo = at.session_state[cache.SESSION_RESULTS_KEY]
    assert 1 <= len(memo) <= cache.SESSION_SCENARIOS
    for value in (2, 5, 9, 13, 17):
        at.sidebar.slider(key="w_share_gdp").set_value(value).run()
        assert not at.exception
    memo = at.session_state[cache.SESSION_RESULTS_KEY]
    assert len(memo) == cache.SESSION_SCENARIOS
    assert "('share_gdp', 17" in list(memo)[-1]  # the current scenario is the most recent entry
    assert all("book='test-own'" in key for key in memo)


def test_delivery_robustness_on_demand(store_path: Path) -> None:
    """The delivery-date robustness table appears when asked for, with a 5–95% range per order."""
    at = app(store_path, "pages/queue.py")
    assert not any("range" in d.value.columns for d in at.dataframe)
    at.toggle(key="queue_robustness_on").set_value(True).run()
    assert not at.exception
    robust = next(d.value for d in at.dataframe if "range" in d.value.columns)
    queue = _queue(at)
    assert len(robust) == int((queue["status"] != "notified").sum())  # notified orders do not compete by default
    assert robust["p_earlier_than_fcfs"].between(0, 1).all()


def test_missing_store_when_hosted_read_only_says_so(store_path: Path, tmp_path: Path, monkeypatch) -> None:
    """Read-only hosting never builds a store: a missing one is a clear message, not a traceback."""
    monkeypatch.setenv("ARMS_PRIORITY_DB", str(tmp_path / "absent.duckdb"))
    monkeypatch.setenv("ARMS_PRIORITY_READ_ONLY", "1")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    assert any("could not be opened" in e.value and "python -m data.build" in e.value for e in at.error)
    assert not (tmp_path / "absent.duckdb").exists()


def _frame_with(at: AppTest, *columns: str):
    return next(d.value for d in at.dataframe if set(columns) <= set(d.value.columns))


def test_ranking_shows_coverage_eligibility_and_the_not_eligible_list(store_path: Path) -> None:
    at = app(store_path, "pages/ranking.py")
    assert not at.exception, [e.value for e in at.exception]
    ranking = _frame_with(at, "name", "score", "coverage", "eligibility", "reference_tier")
    assert ranking["coverage"].between(0, 100).all()
    assert "China" not in set(ranking["name"]) and "Russia" not in set(ranking["name"])
    assert "restricted" in set(ranking["eligibility"])
    denied = _frame_with(at, "reason", "citation", "citation_url")
    assert {"China", "Russia", "Iran", "North Korea"} <= set(denied["name"])
    assert denied["citation_url"].str.startswith("http").all()
    crosstab = next(d.value for d in at.dataframe if d.value.index.name == "Statutory tier")
    assert "NATO+5" in crosstab.index


def test_raising_the_minimum_coverage_untiers_partners(store_path: Path) -> None:
    low = app(store_path, "pages/ranking.py", min_coverage="0")
    high = app(store_path, "pages/ranking.py", min_coverage="95")
    count = lambda at: int((_frame_with(at, "name", "tier")["tier"] == "Insufficient data").sum())  # noqa: E731
    assert count(low) == 0
    assert count(high) > count(low)


def test_a_denied_partner_profile_says_so_and_lists_its_history(store_path: Path) -> None:
    at = app(store_path, "pages/partner.py", partner="CHN")
    assert not at.exception, [e.value for e in at.exception]
    assert any("not eligible" in e.value for e in at.error)
    at = app(store_path, "pages/partner.py", partner="POL")
    history = _frame_with(at, "description", "status", "best_source_url")
    assert len(history) >= 5 and history["best_source_url"].str.startswith("http").all()


def test_data_page_lists_the_order_book_with_source_classes(store_path: Path) -> None:
    at = app(store_path, "pages/data.py")
    assert not at.exception, [e.value for e in at.exception]
    orders = _frame_with(at, "record_id", "best_source_class", "best_quote")
    assert len(orders) >= 200
    assert "excluded" not in set(orders["best_source_class"])
    at.multiselect(key="data_orders_status").set_value(["delivered"]).run()
    delivered = _frame_with(at, "record_id", "best_source_class")
    assert 0 < len(delivered) < len(orders) and set(delivered["status"]) == {"delivered"}


def test_holding_restricted_partners_from_the_sidebar(store_path: Path) -> None:
    at = app(store_path, "pages/ranking.py", hold_restricted="1")
    assert not at.exception, [e.value for e in at.exception]
    ranking = _frame_with(at, "name", "eligibility", "gate_note")
    restricted = ranking[ranking["eligibility"] == "restricted"]
    assert len(restricted) and restricted["gate_note"].str.startswith("Held: US law allows transfers").all()


def test_a_delivery_quote_from_a_shared_link(store_path: Path) -> None:
    """'If Morocco signs for 200 Javelins this quarter, when do they arrive under FCFS, strict
    priority and tier shares?' — answered from the link alone; the order is marked hypothetical."""
    at = app(store_path, "pages/queue.py", hypo="MAR:javelin:200:2026-01-15")
    assert not at.exception, [e.value for e in at.exception]
    quote = next(d.value for d in at.dataframe if "Strict priority: last" in d.value.columns)
    assert len(quote) == 1 and quote["partner"].iloc[0] == "Morocco"
    for column in ("fcfs_first", "fcfs_last", "Strict priority: last", "Tier shares: last", "Score-weighted fair share: last"):
        assert quote[column].iloc[0][:2] == "20", column  # a quarter label such as '2028 Q3'
    # Javelin's lead time is 24 months (category default): nothing arrives before 2028 Q1.
    assert quote["fcfs_first"].iloc[0] >= "2028 Q1"
    queue = _queue(at)
    assert (queue["order_id"] > 990_000).sum() == 1


def test_a_bad_hypothetical_order_in_the_link_falls_back_with_a_notice(store_path: Path) -> None:
    at = app(store_path, hypo="[x](http://evil):javelin:1:2026-01-01")
    assert not at.exception
    notices = " ".join(w.value for w in at.warning)
    assert "hypo" in notices and "invalid" in notices
    assert at.session_state["_scenario_values"]["hypo"] == ()
    assert r"\[x\]\(http" in notices  # escaped: shown as text, never a live link


def test_investment_with_a_funder_claim_is_explained_on_the_queue_page(store_path: Path) -> None:
    at = app(store_path, "pages/queue.py", invest_on="1", invest_line="thaad", invest_partner="SAU",
             invest_units="48", invest_year="2030", invest_claim="50")
    assert not at.exception, [e.value for e in at.exception]
    captions = " ".join(c.value for c in at.caption)
    assert "50% of the funded output is reserved for SAU" in captions
    assert "discounted 10 % a year" in captions


def test_deltas_against_the_reference_appear_after_a_weight_change(store_path: Path) -> None:
    at = app(store_path, "pages/ranking.py")
    before = _frame_with(at, "name", "rank_change")
    assert (before["rank_change"].fillna(0) == 0).all()  # the session start is the reference
    at.sidebar.slider(key="w_governance").set_value(20).run()
    assert not at.exception
    after = _frame_with(at, "name", "rank_change", "tier_before")
    assert (after["rank_change"].fillna(0) != 0).any()
    assert any(m.delta not in (None, "0", 0) for m in at.metric)


def test_undo_steps_back_and_reset_returns_to_the_start(store_path: Path) -> None:
    at = app(store_path, "pages/ranking.py")
    at.sidebar.slider(key="w_governance").set_value(20).run()
    at.sidebar.slider(key="w_share_gdp").set_value(0).run()
    at.sidebar.button(key="scenario_undo").click().run()
    assert at.sidebar.slider(key="w_share_gdp").value == 20 and at.sidebar.slider(key="w_governance").value == 20
    at.sidebar.button(key="scenario_reset").click().run()
    assert at.sidebar.slider(key="w_governance").value == 5  # the EO default


def test_a_saved_scenario_reopens_from_its_short_link_and_compares(store_path: Path) -> None:
    at = app(store_path, "pages/ranking.py", groups=("scenarios",))
    at.sidebar.slider(key="w_governance").set_value(20).run()
    at.sidebar.text_input(key="scenario_name").input("HR at 20 [test](http://evil)")
    at.sidebar.text_area(key="scenario_notes").input("=cmd|' /C calc'!A0")
    at.sidebar.button[[b.label for b in at.sidebar.button].index("Save this scenario")].click().run()
    assert not at.exception, [e.value for e in at.exception]
    scenario_id = at.session_state["_just_saved"]
    fresh = app(store_path, "pages/ranking.py", scn=scenario_id)
    assert not fresh.exception
    assert fresh.sidebar.slider(key="w_governance").value == 20
    assert any("HR at 20" in c.value and r"\[test\]" in c.value for c in fresh.sidebar.caption)
    fresh.switch_page("pages/compare.py").run()
    assert not fresh.exception, [e.value for e in fresh.exception]
    fresh.selectbox(key="compare_a").set_value("preset:eo").run()
    partners = next(d.value for d in fresh.dataframe if "rank_a" in d.value.columns)
    assert len(partners) > 0 and partners["rank_change"].str.fullmatch("[+\u2212][1-9]\\d*|0|—").all()
    assert (partners["rank_change"] != "0").any()


def test_compare_against_fcfs_has_no_none_and_says_why(store_path: Path) -> None:
    at = app(store_path, "pages/compare.py")
    at.selectbox(key="compare_b").set_value("preset:fcfs").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("B is first-come-first-served" in c.value for c in at.caption)
    at.toggle(key="compare_only_changed").set_value(False).run()
    partners = next(d.value for d in at.dataframe if "rank_a" in d.value.columns)
    cells = partners[["rank_a", "rank_b", "rank_change", "tier_a", "tier_b"]].astype(str)
    assert not cells.isin(["None", "nan", "<NA>"]).any().any()
    assert (partners["rank_b"] == "—").all() and (partners["rank_a"] != "—").any()


def _plotly_array(values) -> list:
    """A plotly JSON array: a list, or a typed array ({"dtype", "bdata"} in base64)."""
    if isinstance(values, dict):
        import base64

        import numpy as np

        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
    return list(values)


def test_regions_list_idle_regions_apart_and_draw_one_panel_per_region(store_path: Path) -> None:
    at = app(store_path, "pages/regions.py")
    assert not at.exception, [e.value for e in at.exception]
    table = next(d.value for d in at.dataframe if "early_share_fcfs" in d.value.columns)
    assert (table["orders"] > 0).all() and not table["early_share_fcfs"].isna().any()
    import json
    chart = next(c for c in at.get("plotly_chart") if "by region" in c.proto.spec)
    spec = json.loads(chart.proto.spec)
    panels = [a["text"] for a in spec["layout"]["annotations"] if not a["text"].startswith("Source")]
    assert set(table["analyst_region"]) <= set(panels)
    years = [x for trace in spec["data"] for x in _plotly_array(trace["x"])]
    assert max(years) < 2040, "the time axis ends when the backlog clears, not at the 25-year horizon"


def test_the_regions_map_opens_on_a_metric_that_moves_and_explains_a_neutral_one(store_path: Path) -> None:
    """The default fence commits each line's first quarters (lead time), so in the default 8-quarter window
    no early share moves: the map opens on the value-weighted delay, which does, and a metric that is
    zero everywhere comes with the reason (the fence) instead of a blank map."""
    import json

    at = app(store_path, "pages/regions.py")
    assert at.radio(key="regions_metric").value == "value_weighted_delay"
    spec = json.loads(next(c for c in at.get("plotly_chart") if "regions_map" in c.proto.id).proto.spec)
    shown = [v for v in _plotly_array(spec["data"][0]["z"]) if v == v]
    assert max(abs(v) for v in shown) >= 0.05, "the default map is neutral everywhere"
    assert not any("time fence" in i.value for i in at.info)
    at.radio(key="regions_metric").set_value("early_share_change").run()
    assert not at.exception
    notice = next(i.value for i in at.info if "time fence" in i.value)
    assert "first 8 quarters" in notice and "lead time" in notice
    # Fence off: the policy re-sequences from the start, early shares move and the notice goes.
    fenceless = app(store_path, "pages/regions.py", fence="0")
    fenceless.radio(key="regions_metric").set_value("early_share_change").run()
    assert not fenceless.exception, [e.value for e in fenceless.exception]
    assert fenceless.dataframe and not any("time fence" in i.value for i in fenceless.info)


def test_a_link_naming_a_line_partner_or_reference_that_is_gone_falls_back_with_closed_groups(store_path: Path) -> None:
    """The groups holding these settings are closed (not drawn), yet the scenario must still be
    computable: an unknown funded line or funder, or a vanished saved reference, falls back."""
    at = app(store_path, invest_on="1", invest_line="no_such_line", invest_partner="ZZZ", ref="saved:zzzzzzzz")
    assert not at.exception, [e.value for e in at.exception]
    assert not any("cannot be computed" in e.value for e in at.error), [e.value for e in at.error]
    values = at.session_state["_scenario_values"]
    assert values["invest_line"] != "no_such_line" and values["invest_partner"] != "ZZZ" and values["ref"] == "start"
    assert "no_such_line" not in str(at.query_params.get("invest_line"))


def test_a_broken_short_link_says_so(store_path: Path) -> None:
    at = app(store_path, scn="zzzzzzzz")
    assert not at.exception
    assert any("No saved scenario" in w.value for w in at.warning)


def test_robustness_page_gives_tier_and_delivery_probabilities(store_path: Path) -> None:
    at = app(store_path, "pages/robustness.py")
    assert not at.exception, [e.value for e in at.exception]
    tiers = _frame_with(at, "P(tier 1)", "P(not tiered)")
    total = tiers[["P(tier 1)", "P(tier 2)", "P(tier 3)", "P(not tiered)"]].sum(axis=1)
    assert ((total - 100).abs() < 1e-6).all()
    orders = _frame_with(at, "p_by", "window")
    assert orders["p_by"].between(0, 100).all() and len(orders) > 0


def test_the_briefing_and_file_names_carry_the_scenario(store_path: Path) -> None:
    import datetime as dt

    from ui.export import briefing_html, file_stem

    assert file_stem("HR at 20 / Gulf!", dt.date(2026, 12, 2)) == "arms_priority_hr-at-20-gulf_2026-12-02"
    ranking = pd.DataFrame({"rank": [1], "name": ["<script>alert(1)</script>"], "score": [70.0], "tier": ["Tier 1"]})
    orders = pd.DataFrame({"partner": ["P"], "platform": ["L"], "fcfs_last": ["2027 Q1"], "priority_last": ["2026 Q4"],
                           "delay_quarters": [-1], "competing": [True]})
    page = briefing_html("x", "?w_governance=20", "order book 2026 Q1", ranking, orders, "what", "vs ref").decode()
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "?w_governance=20" in page and "order book 2026 Q1" in page


@pytest.mark.parametrize(
    "query",
    [
        {"tier_top_pts": "0"}, {"tier_top_pts": "5"}, {"tier_top_pts": "5.0"}, {"tier_top_pts": "٥"},
        {"tier_top_pts": "0", "tier_key_pts": "100"},
        {"tier_mode": "quantile", "tier_top_share": "100", "tier_key_share": "1"},
        {"preset": "x" * 100_000}, {f"[Your session expired - sign in again](http://evil/{i})": "1" for i in range(3)},
        {"hypo": "![x](http://evil/beacon.png):javelin:1:2026-01-01"}, {"as_of": "2099-Q9"}, {"fence": "-3"},
    ],
)
def test_hostile_links_fall_back_with_a_bounded_escaped_notice(store_path: Path, query: dict) -> None:
    at = app(store_path, **query)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    notices = [w.value for w in at.warning]
    assert notices and all(len(n) <= 1600 for n in notices)
    assert not any(re.search(r"(?<!\\)\]\(", n) for n in notices), notices  # no live markdown link or image


def test_a_store_rebuilt_underneath_a_running_server_is_picked_up(store_path: Path, tmp_path: Path, monkeypatch) -> None:
    """Caches are keyed by the store file's version, so a rebuild (atomic replace) reaches the next run."""
    import shutil

    from data.store import SEEDS_DIR, build_store

    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, seeds)
    db = tmp_path / "live.duckdb"
    build_store(db, seeds)
    monkeypatch.setenv("ARMS_PRIORITY_DB", str(db))
    monkeypatch.setenv("ARMS_PRIORITY_READ_ONLY", "1")  # hosted replicas share a store rebuilt by a job
    first = app(store_path, "pages/ranking.py")
    assert "Poland" in set(_ranking_names(first))
    partners = pd.read_csv(seeds / "partner.csv", keep_default_na=False)
    partners.loc[partners["iso3"] == "POL", "name"] = "Poland (rebuilt)"
    partners.to_csv(seeds / "partner.csv", index=False)
    build_store(db, seeds)
    second = app(store_path, "pages/ranking.py")
    assert not second.exception, [e.value for e in second.exception]
    assert "Poland (rebuilt)" in set(_ranking_names(second))


def test_the_order_tornado_renders(store_path: Path) -> None:
    at = app(store_path, "pages/robustness.py")
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="rob_tornado_order").value is not None
    keys = {c.key for c in at.get("plotly_chart")}
    assert {"rob_stability", "rob_heatmap", "rob_tornado", "rob_tornado_order_chart"} <= keys


def test_widget_values_are_not_sent_back_on_every_run(store_path: Path) -> None:
    """No lost inputs: a rerun that changes nothing must not write the sidebar widgets again (a
    written value goes back to the browser and would overwrite an input made while the run was in
    flight); a preset, undo or page switch writes exactly the widgets it changes."""
    at = app(store_path, "pages/ranking.py")
    at.run()
    at.run()
    assert not any(s.proto.set_value for s in at.sidebar.slider), "an unchanged rerun re-sent slider values"
    at.sidebar.slider(key="w_governance").set_value(20).run()
    assert at.sidebar.slider(key="w_governance").value == 20
    assert not any(s.proto.set_value for s in at.sidebar.slider), "the analyst's own change is not echoed back"
    at.sidebar.selectbox(key="preset").set_value("balanced").run()
    written = {s.key for s in at.sidebar.slider if s.proto.set_value}
    assert "w_governance" in written and len(written) < len(at.sidebar.slider)
    at.switch_page("pages/queue.py").run()
    assert at.sidebar.slider(key="w_governance").value == at.session_state["w_governance"]


def test_saved_scenarios_are_private_to_the_session_unless_shared_by_link(store_path: Path) -> None:
    """A hosted dashboard is shared by strangers: a visitor sees, renames and deletes only what they
    saved; a scenario opened from its link is listed read-only."""
    author = app(store_path, "pages/ranking.py", groups=("scenarios",))
    author.sidebar.text_input(key="scenario_name").input("Author's private draft")
    author.sidebar.button[[b.label for b in author.sidebar.button].index("Save this scenario")].click().run()
    scenario_id = author.session_state["_just_saved"]
    assert not author.sidebar.button(key="scenario_delete").disabled

    stranger = app(store_path, "pages/ranking.py", groups=("scenarios",))
    assert not [s for s in stranger.sidebar.selectbox if s.key == "scenario_pick"], "another visitor's list is empty"
    assert not any("Author's private draft" in str(o) for s in stranger.sidebar.selectbox for o in s.options)

    colleague = app(store_path, "pages/ranking.py", groups=("scenarios",), scn=scenario_id)
    assert colleague.sidebar.selectbox(key="scenario_pick").value == scenario_id
    assert colleague.sidebar.button(key="scenario_delete").disabled
    assert colleague.sidebar.button(key="scenario_rename_go").disabled
    author.sidebar.button(key="scenario_delete").click().run()
    assert not author.exception
    assert not [s for s in author.sidebar.selectbox if s.key == "scenario_pick"]


def test_partners_a_gate_could_not_check_are_named_on_the_ranking(store_path: Path) -> None:
    """Flagged, not held (PartnerGates.flagged): restricted partners always; with the end-use ceiling on,
    also every partner without an end-use risk score (the ceiling cannot be applied to it)."""
    counts = []
    for query in ({}, {"gate_eu": "1"}):
        at = app(store_path, "pages/ranking.py", **query)
        assert not at.exception, [e.value for e in at.exception]
        notes = [c.value for c in at.caption if c.value.startswith("Flagged, not held")]
        ranking = _frame_with(at, "name", "gate_note")
        flagged = ranking[ranking["gate_note"].str.contains("Flagged", na=False)]
        assert len(notes) == 1 and f"({len(flagged)} partner(s)" in notes[0]
        assert flagged["name"].iloc[0] in notes[0]
        counts.append(len(flagged))
    assert 0 < counts[0] < counts[1], "partners without an end-use score join the restricted ones"


def test_the_queue_shows_no_change_for_an_order_that_does_not_compete(store_path: Path) -> None:
    """Notified orders are off by default: they have no completion quarter, so their Δ FCFS is a dash, not +0."""
    at = app(store_path, "pages/queue.py")
    assert not at.exception, [e.value for e in at.exception]
    table = _frame_with(at, "order_id", "status", "delay_quarters")
    notified = table[table["status"].eq("notified")]
    assert len(notified) and notified["delay_quarters"].eq("—").all()
    assert table.loc[table["status"].isin(["signed", "delivering"]), "delay_quarters"].str.match(r"^[+-]\d+$").any()


def test_a_reference_naming_a_line_the_store_no_longer_holds_still_computes(store_path: Path) -> None:
    """A pinned or saved reference is kept as link parameters; one funding a line a later store
    rebuild removed falls back like a link does, instead of failing every page."""
    from ui import scenarios

    at = app(store_path, "pages/overview.py")
    at.session_state[scenarios.PINNED_KEY] = {"invest_on": "1", "invest_line": "gone_line", "invest_partner": "ZZZ"}
    at.session_state["_scenario_values"]["ref"] = "pinned"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.metric) >= 4  # the page drew its metrics (deltas against that reference)


def test_settle_names_replaces_only_codes_the_store_does_not_hold() -> None:
    from ui import state

    values = state.defaults()
    values.update({"partner": "POL", "invest_partner": "ZZZ", "invest_line": "gone",
                   state.OVERRIDES_KEY: {("POL", "basing"): 3.0, ("XXX", "basing"): 1.0}})
    dropped = state.settle_names(values, {"POL", "SAU", "DEU"}, ["pac3", "thaad"])
    assert values["partner"] == "POL" and values["invest_partner"] == "SAU" and values["invest_line"] == "thaad"
    assert values[state.OVERRIDES_KEY] == {("POL", "basing"): 3.0}
    assert dropped == ["edit for XXX", "invest_partner='ZZZ'", "invest_line='gone'"]
    values["invest_line"] = "gone"
    state.settle_names(values, {"POL"}, ["pac3"])  # defaults not held: the first held instead
    assert values["invest_line"] == "pac3" and values["invest_partner"] == "POL"
