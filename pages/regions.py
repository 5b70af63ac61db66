"""Regional priorities: which analyst regions gain capacity under the priority rule, on a map and in a table."""

import streamlit as st

from scoring.delivery import POLICIES
from ui import charts, data, model, scenarios, state, widgets
from ui.page import bootstrap

bootstrap()

st.title("Regional priorities")
scenario = state.current_scenario()
result = model.run(scenario)
if result.ranking is None:
    widgets.fcfs_notice()


@st.fragment
def regional_view() -> None:
    """The early window, the map's metric, the map and the table: changing either reruns only this
    part of the page (not the sidebar, not the burn-down)."""
    quarters = st.slider("Early window (quarters from the start)", 2, 20, 8, key="regions_window")
    rollup = model.region_rollup(scenario, quarters)
    if rollup.empty:
        st.info(f"Regional delivery shares are computed for order books of up to {model.DENSE_LIMIT_ORDERS:,} orders.")
        st.stop()
    # Value-weighted delay first: with the default time fence (each line's lead time) the first two
    # years of output are committed, so early shares move only with a wider window or a shorter fence.
    metrics = {
        "value_weighted_delay": "Value-weighted delay vs FCFS (quarters)",
        "early_share_change": "Change in share of early deliveries (points)",
        "early_share_priority": "Share of early deliveries, priority (%)",
        "top_value": "Value in the top third of the queues (US$ bn)",
        "mean_score": "Mean partner score",
    }
    metric = st.radio("Colour the map by", list(metrics), format_func=metrics.__getitem__, key="regions_metric", horizontal=True)
    partners = data.query("partners_table")[["iso3", "name", "analyst_region", "lat", "lon"]]
    mapped = partners.merge(rollup[["analyst_region", metric]], on="analyst_region", how="left")
    # Fixed colour scales (the same in every scenario, symmetric for changes), so maps compare by eye.
    scales = {
        "early_share_change": (-20.0, 20.0),
        "value_weighted_delay": (-12.0, 12.0),
        "early_share_priority": (0.0, 100.0),
        "top_value": (0.0, max(1.0, float(rollup["value_busd"].sum()) / 3)),
        "mean_score": (0.0, 100.0),
    }
    st.plotly_chart(
        charts.titled(charts.world_map(
            mapped, metric, metrics[metric],
            "order book (reviewed public record), line capacities, scores from SIPRI/NATO/WB/FH/DMDC and analyst judgements",
            diverging=metric in ("early_share_change", "value_weighted_delay"),
            value_range=scales[metric], dark=widgets.dark_theme(),
        ), metrics[metric], widgets.scenario_label()),
        config=charts.MAP_CONFIG, width="stretch",
        key="regions_map",
    )
    active = rollup[rollup["orders"] > 0]
    if result.ranking is not None and metric in ("early_share_change", "value_weighted_delay") and len(active) \
            and bool((active[metric].abs() < 0.05).all()):
        st.info(widgets.unmoved_notice(metric, quarters, scenario.delivery_rules.fence_quarters), icon=":material/info:")
    st.caption(
        f"Early deliveries = order value built in the first {quarters} quarters from {scenario.production.start_year} Q{scenario.production.start_quarter}. "
        "Regions with no open order in the book show no delivery figures."
    )
    reference, ref_label = scenarios.reference_scenario()
    ref_rollup = model.region_rollup(reference, quarters)
    if not ref_rollup.empty:
        rollup = rollup.merge(
            ref_rollup[["analyst_region", "early_share_priority"]].rename(columns={"early_share_priority": "ref_share"}),
            on="analyst_region", how="left",
        )
        rollup["shift_vs_ref"] = rollup["early_share_priority"] - rollup["ref_share"]
    st.caption(f"Shift vs reference: change in each region's share of early deliveries against {ref_label} (points).")
    idle = rollup[rollup["orders"] == 0]
    if not idle.empty:
        st.caption("No open order in the book, so no delivery figures: " + widgets.plain(", ".join(
            f"{region} (mean score {score:.1f})" for region, score in zip(idle["analyst_region"], idle["mean_score"], strict=True))) + ".")
    st.dataframe(
        rollup[rollup["orders"] > 0][["analyst_region", "orders", "value_busd", "mean_score", "early_share_fcfs", "early_share_priority",
                "early_share_change", "shift_vs_ref", "value_weighted_delay", "top_value"]].sort_values(
            metric, ascending=metric == "value_weighted_delay"),  # best first: most earlier, or largest
        hide_index=True,
        width="stretch",
        column_config={
            "analyst_region": st.column_config.TextColumn("Region", width=150),
            "orders": st.column_config.NumberColumn("Orders", format="%d", width=55),
            "value_busd": st.column_config.NumberColumn("Value $bn", format="%.1f", width=70),
            "mean_score": st.column_config.NumberColumn("Mean score", format="%.1f", width=70),
            "early_share_fcfs": st.column_config.NumberColumn("Early % FCFS", format="%.1f", width=80, help="Share of the order value built in the early window, first-come-first-served"),
            "early_share_priority": st.column_config.NumberColumn("Early % priority", format="%.1f", width=85, help="Share of the order value built in the early window, priority rule"),
            "early_share_change": st.column_config.NumberColumn("Δ points vs FCFS", format="%+.1f", width=75),
            "shift_vs_ref": st.column_config.NumberColumn("Δ vs reference", format="%+.1f", width=80),
            "value_weighted_delay": st.column_config.NumberColumn("Δ quarters", format="%+.1f", width=70, help="Value-weighted change in completion vs FCFS (negative = earlier)"),
            "top_value": st.column_config.NumberColumn("Top-third $bn", format="%.1f", width=80, help="Order value in the top third of its line's priority queue"),
        },
        key="regions_table",
    )


regional_view()
st.subheader("Backlog burn-down by region")
st.caption("One panel per region, largest backlog first: solid = the policy, dotted = first-come-first-served; "
           "the time axis ends one quarter after the last delivery under either.")
st.plotly_chart(charts.titled(charts.burn_down_panels(model.backlog_by(scenario, "analyst_region"), POLICIES[scenario.delivery_rules.policy]),
                              "Order value still to deliver, by region (US$ bn)", widgets.scenario_label()),
                config=charts.CONFIG, width="stretch", key="regions_burndown")
