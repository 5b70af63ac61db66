"""Overview: the headline effect of the current weights, the world map of priority, and what changed."""

import streamlit as st

from scoring.criteria import PRESETS_BY_KEY
from ui import charts, model, scenarios, state, widgets
from ui.page import bootstrap

bootstrap()

st.title("America First arms-sale priority")
st.caption(
    "Tune the criterion weights in the sidebar: the partner ranking, tiers, order queue and capacity-limited "
    "delivery dates update against the first-come-first-served baseline."
)
scenario = state.current_scenario()
result = model.run(scenario)
ranking = model.ranking_table(scenario)
orders = model.order_table(scenario)
preset = PRESETS_BY_KEY.get(state.value("preset"))

reference, ref_label = scenarios.reference_scenario()
ref_ranking = model.ranking_table(reference)
ref_orders = model.order_table(reference)
competing, ref_competing = orders[orders["competing"]], ref_orders[ref_orders["competing"]]
c1, c2, c3, c4 = st.columns(4)
if result.ranking is None:
    c1.metric("Partners scored", len(ranking))
else:
    t1 = int((ranking["tier_num"] == 1).sum())
    c1.metric("Partners in tier 1", t1, delta=t1 - int((ref_ranking["tier_num"] == 1).sum()), delta_color="off",
              help=f"Tiers 2 / 3 / not tiered: {int((ranking['tier_num'] == 2).sum())} / {int((ranking['tier_num'] == 3).sum())} / "
              f"{int((ranking['tier_num'] == 4).sum())}. Delta against the reference ({ref_label}).")
c2.metric("Competing orders · value", f"{len(competing)} · ${competing['value_busd'].sum():,.0f}bn",
          delta=len(competing) - len(ref_competing), delta_color="off")
mean_now = competing["delay_quarters"].mean() if len(competing) else 0.0
mean_ref = ref_competing["delay_quarters"].mean() if len(ref_competing) else 0.0
c3.metric("Mean Δ completion vs FCFS", f"{widgets.signed(mean_now)} q", delta=round(float(mean_now - mean_ref), 1), delta_color="inverse",
          help="Policy completion minus FCFS completion, in quarters (negative = earlier); the delta is against the reference.")
c4.metric("Earlier / later than FCFS", f"{(competing['delay_quarters'] < 0).sum()} / {(competing['delay_quarters'] > 0).sum()}",
          help="Orders finishing earlier / later than under first-come-first-served")
st.caption(f"Weights: {preset.name if preset else 'custom'} · spending basis: {scenario.method.basis.upper()} · tiers by {scenario.tier_rule.mode}")

st.subheader("What changed")
st.write(model.what_changed(scenario))
st.write(model.reference_summary(scenario, reference, ref_label))
if result.ranking is None:
    widgets.fcfs_notice()

st.subheader("Priority score by partner")
st.caption("Click a country to open its profile. Partners without an outline in the offline map are drawn as dots.")
event = st.plotly_chart(
    charts.titled(charts.world_map(ranking, "score", "Priority score", "scores from SIPRI, NATO, World Bank, Freedom House, DMDC and analyst judgements",
                     value_range=(0.0, 100.0), dark=widgets.dark_theme()), "Priority score by partner", widgets.scenario_label()),
    config=charts.MAP_CONFIG, width="stretch",
    on_select="rerun",
    selection_mode="points",
    key="overview_map",
)
points = (event or {}).get("selection", {}).get("points", []) if isinstance(event, dict) or hasattr(event, "get") else []
if points:
    picked = points[0].get("customdata") or points[0].get("location")
    if isinstance(picked, list):
        picked = picked[0]
    if picked in set(ranking["iso3"]):
        state.set_value("partner", picked)
        st.switch_page("pages/partner.py")

MOVERS = {
    "partner": st.column_config.TextColumn("Partner", width=110),
    "line_name": st.column_config.TextColumn("Line", width=170),
    "priority_last": st.column_config.TextColumn("Done (priority)", width=95, help="Completion quarter under the priority rule"),
    "delay_quarters": st.column_config.NumberColumn("Δ q", format="%+d", width=45, help="Quarters vs first-come-first-served"),
}
left, right = st.columns(2)
with left:
    st.subheader("Biggest gainers")
    gain = orders.sort_values("delay_quarters").head(5)
    st.dataframe(gain[["partner", "line_name", "priority_last", "delay_quarters"]], hide_index=True, width="stretch", key="overview_gainers", column_config=MOVERS)
with right:
    st.subheader("Biggest losers")
    loss = orders.sort_values("delay_quarters", ascending=False).head(5)
    st.dataframe(loss[["partner", "line_name", "priority_last", "delay_quarters"]], hide_index=True, width="stretch", key="overview_losers", column_config=MOVERS)

st.subheader("Download this scenario")
widgets.downloads(scenario, "overview")
