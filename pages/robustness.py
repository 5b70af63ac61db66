"""How robust is each conclusion: weight stability, rank acceptability, tier and delivery probabilities,
predictability, tornado."""

import numpy as np
import pandas as pd
import streamlit as st

from scoring.criteria import CRITERIA
from scoring.robustness import (
    delivery_by_quarter,
    predictability,
    tornado_ranks,
    tornado_rows,
)
from scoring.schedule import quarter_labels
from ui import charts, model, state, widgets
from ui.page import bootstrap

bootstrap()

st.title("How robust is it?")
scenario = state.current_scenario()
result = model.run(scenario)
if result.ranking is None:
    widgets.fcfs_notice()
    st.stop()
st.caption(
    "Plausible weightings are drawn around yours (Dirichlet, seeded; zero weights stay zero); every draw is ranked, "
    "tiered (with the coverage rules) and scheduled under strict priority with the same arrivals, fences and holds."
)
c1, c2, c3 = st.columns(3)
n_draws = c1.select_slider("Draws", [500, 1000, 2000, 5000], value=2000, key="rob_draws")
spread = c2.select_slider("Spread of the weights", [0.1, 0.2, 0.3, 0.5, 0.75, 1.0], value=0.3, key="rob_spread",
                          help="Concentration 1/spread²: at 0.3 a 20 % weight typically varies by about ±12 points")
seed = int(c3.number_input("Seed", 0, 10_000, 0, key="rob_seed"))
with st.spinner(f"Drawing {n_draws:,} weightings and rescheduling every order…"):
    rob = model.robustness_run(scenario, int(n_draws), float(spread), seed)
    last = model.delivery_draws(scenario, int(n_draws), float(spread), seed)
ranking = model.ranking_table(scenario)
orders = model.order_table(scenario)
base_rank = np.asarray(result.ranking.scores.rank)
partners = list(result.ranking.scores.partners)
names = dict(zip(ranking["iso3"], ranking["name"], strict=True))

st.subheader("Weight stability")
st.caption("For each criterion: the range of its share of the weight (the others rescaled in proportion) over which "
           "the top 10 stays the same set (wide bars), and over which every partner's tier stays as it is (narrow bars).")
top_iv, tier_iv = model.stability(scenario)
stab = pd.DataFrame(
    [(c.name, 100 * a[0], 100 * a[1], 100 * a[2], 100 * b[1], 100 * b[2])
     for c, a, b in zip(CRITERIA, top_iv, tier_iv, strict=True)],
    columns=["criterion", "current", "top_low", "top_high", "tier_low", "tier_high"],
)
fig = charts.Figure()
fig.add_trace(charts.Bar(y=stab["criterion"], x=stab["top_high"] - stab["top_low"], base=stab["top_low"], orientation="h",
                     name="top 10 unchanged", marker_color="#56B4E9",
                     customdata=stab[["top_low", "top_high"]].to_numpy(),
                     hovertemplate="%{y}: top 10 unchanged from %{customdata[0]:.1f}% to %{customdata[1]:.1f}%<extra></extra>"))
fig.add_trace(charts.Bar(y=stab["criterion"], x=stab["tier_high"] - stab["tier_low"], base=stab["tier_low"], orientation="h",
                     name="every tier unchanged", marker_color="#0072B2", width=0.35,
                     customdata=stab[["tier_low", "tier_high"]].to_numpy(),
                     hovertemplate="%{y}: every tier unchanged from %{customdata[0]:.1f}% to %{customdata[1]:.1f}%<extra></extra>"))
fig.add_trace(charts.Scatter(y=stab["criterion"], x=stab["current"], mode="markers", name="current share",
                         marker={"color": "#000000", "symbol": "line-ns-open", "size": 16}))
fig.update_layout(xaxis_title="share of the total weight (%)", barmode="overlay",
                  xaxis_range=[0, max(10.0, float(stab[["top_high", "current"]].max().max()) * 1.1)])
st.plotly_chart(charts.titled(charts.layout(fig, "re-scored on a 201-point grid per criterion", height=460),
                              "Weight stability", widgets.scenario_label()), config=charts.CONFIG,
                width="stretch", key="rob_stability")

st.subheader("Rank acceptability and tier probabilities")


@st.fragment
def acceptability() -> None:
    """The heatmap and tier table: how many partners are shown reruns only this part."""
    top_k = st.slider("Partners shown (best median rank first)", 10, len(partners), 30, key="rob_topk")
    median_rank = np.median(rob.ranks, axis=0)
    order = np.argsort(median_rank, kind="stable")[:top_k]
    ranks_shown = min(len(partners), max(top_k, 30))
    heat = charts.Figure(charts.Heatmap(
        z=rob.acceptability[order][:, :ranks_shown] * 100, x=np.arange(1, ranks_shown + 1),
        y=[names.get(partners[i], partners[i]) for i in order], colorscale="Blues", zmin=0, zmax=100,
        colorbar={"title": {"text": "% of draws", "side": "right"}},
        hovertemplate="%{y} at rank %{x}: %{z:.1f}% of draws<extra></extra>",
    ))
    heat.update_layout(xaxis_title="rank", yaxis_autorange="reversed")
    st.plotly_chart(charts.layout(heat, f"{n_draws:,} Dirichlet draws, spread {spread}", height=max(380, 16 * top_k + 140)),
                    config=charts.CONFIG, width="stretch", key="rob_heatmap")
    tiers = pd.DataFrame({
        "partner": [names.get(p, p) for p in partners],
        "rank": base_rank,
        "tier": ranking.set_index("iso3").loc[partners, "tier"].to_numpy(),
        "P(tier 1)": 100 * rob.tier_probability[:, 0], "P(tier 2)": 100 * rob.tier_probability[:, 1],
        "P(tier 3)": 100 * rob.tier_probability[:, 2], "P(not tiered)": 100 * rob.tier_probability[:, 3],
        "rank P10–P90": [f"{a}–{b}" for a, b in zip(rob.rank_p10, rob.rank_p90, strict=True)],
        "rank predictability (mean |Δ rank|)": predictability(rob.ranks, base_rank),
    }).sort_values("rank")
    pct = st.column_config.NumberColumn(format="%.0f%%", width=80)
    st.dataframe(tiers, hide_index=True, width="stretch", height=360, key="rob_tiers",
                 column_config={"P(tier 1)": pct, "P(tier 2)": pct, "P(tier 3)": pct, "P(not tiered)": pct,
                                "rank predictability (mean |Δ rank|)": st.column_config.NumberColumn(format="%.1f")})


acceptability()

st.subheader("Will each order be delivered in time?")


@st.fragment
def deliveries() -> None:
    """P(delivered by a quarter) per order: the quarter reruns only this part."""
    if last is None:
        st.info("Delivery draws are computed for order books of up to 20,000 orders.")
    else:
        horizon = result.comparison.horizon_quarters
        start = scenario.production.start
        labels = list(quarter_labels(*start, np.arange(0, 60)))
        by_label = st.select_slider("Delivered by", labels, value=labels[min(11, len(labels) - 1)], key="rob_by")
        by_q = labels.index(by_label)
        p_by, p10, p90 = delivery_by_quarter(last, by_q)
        base_last = result.comparison.priority_last_quarter
        table = orders.assign(
            p_by=100 * p_by,
            window=[f"{a} – {b}" if lo >= 0 else "—" for a, b, lo in zip(
                quarter_labels(*start, np.minimum(np.maximum(p10, 0), horizon - 1)),
                quarter_labels(*start, np.minimum(np.maximum(p90, 0), horizon - 1)), p10, strict=True)],
            predictability=predictability(last, base_last),
        )
        table = table[table["competing"]].sort_values("p_by")
        st.caption(f"Strict priority in every draw (the current policy is {scenario.delivery_rules.policy.replace('_', ' ')}). "
                   "Predictability: mean |change| of the completion quarter across draws (0 = never moves).")
        st.dataframe(
            table[["order_id", "partner", "line_name", "units_open", "priority_last", "p_by", "window", "predictability"]],
            hide_index=True, width="stretch", height=360, key="rob_orders",
            column_config={"p_by": st.column_config.ProgressColumn(f"P(done by {by_label})", min_value=0, max_value=100, format="%.0f%%"),
                           "window": "P10–P90 completion", "priority_last": "Done (current)", "line_name": "Line", "units_open": "Units",
                           "predictability": st.column_config.NumberColumn("Predictability (q)", format="%.1f")},
        )
        per_partner = table.groupby("partner", as_index=False)["predictability"].mean().sort_values("predictability")
        if len(per_partner) >= 2:
            st.caption(
                f"Most predictable deliveries: {widgets.plain(', '.join(per_partner.head(3)['partner']))}; least: "
                f"{widgets.plain(', '.join(per_partner.tail(3)['partner'][::-1]))} (mean |Δ quarter| across draws; zero under FCFS)."
            )


deliveries()

st.subheader("Tornado: one partner's rank")


@st.fragment
def partner_tornado() -> None:
    """One partner's rank tornado: the partner and the change rerun only this part (the partner is
    shared state, kept in the URL, so the URL follows here too)."""
    iso3 = widgets.partner_picker("Partner", key="partner")
    state.sync_url()
    if iso3 in partners:
        change = st.select_slider("Change each weight by", [0.1, 0.25, 0.5], value=0.25, key="rob_tornado_change",
                                  format_func=lambda v: f"±{v:.0%}")
        spans = tornado_ranks(result.ranking.scores, partners.index(iso3), float(change))
        base = int(base_rank[partners.index(iso3)])
        rows, down, up = tornado_rows(spans, base, np.asarray(result.ranking.scores.weights))
        frame = pd.DataFrame({"criterion": [CRITERIA[i].name for i in rows], "down": down, "up": up})
        torn = charts.Figure()
        torn.add_trace(charts.Bar(y=frame["criterion"], x=-frame["down"], orientation="h", name=f"weight −{change:.0%}", marker_color="#E69F00"))
        torn.add_trace(charts.Bar(y=frame["criterion"], x=-frame["up"], orientation="h", name=f"weight +{change:.0%}", marker_color="#0072B2"))
        torn.update_layout(barmode="overlay", xaxis_title=f"places gained (+) or lost (−) from rank {base}")
        st.plotly_chart(charts.layout(torn, "one weight changed at a time, the others rescaled", height=420),
                        config=charts.CONFIG, width="stretch", key="rob_tornado")
    else:
        st.info("This partner is not eligible under US law and has no rank.")


partner_tornado()

st.subheader("Tornado: one order's delivery quarter")


@st.fragment
def order_tornado() -> None:
    """One order's delivery tornado: the order and the change rerun only this part."""
    competing_orders = orders[orders["competing"]]
    if competing_orders.empty:
        st.info("No competing order in the book.")
    else:
        labels = {int(r.order_id): f"{r.partner} · {r.line_name} · {int(r.units_open):,} units" for r in competing_orders.itertuples()}
        order_id = st.selectbox("Order", list(labels), format_func=labels.__getitem__, key="rob_tornado_order")
        change_o = st.select_slider("Change each weight by ", [0.1, 0.25, 0.5], value=0.25, key="rob_tornado_order_change",
                                    format_func=lambda v: f"±{v:.0%}")
        quarters = model.order_tornado(scenario, float(change_o))
        if quarters is not None:
            k = int(np.flatnonzero(orders["order_id"].to_numpy() == order_id)[0])
            base_q = int(result.comparison.priority_last_quarter[k])
            rows, down, up = tornado_rows(quarters[:, :, k], base_q, np.asarray(result.ranking.scores.weights))
            frame = pd.DataFrame({"criterion": [CRITERIA[i].name for i in rows], "down": down, "up": up})
            fig_o = charts.Figure()
            fig_o.add_trace(charts.Bar(y=frame["criterion"], x=frame["down"], orientation="h", name=f"weight −{change_o:.0%}", marker_color="#E69F00"))
            fig_o.add_trace(charts.Bar(y=frame["criterion"], x=frame["up"], orientation="h", name=f"weight +{change_o:.0%}", marker_color="#0072B2"))
            fig_o.update_layout(barmode="overlay", xaxis_title="quarters later (+) or earlier (−) than now, strict priority")
            st.plotly_chart(charts.titled(charts.layout(fig_o, "one weight changed at a time; strict priority with the same arrivals, fences and holds",
                                                        height=420), f"Tornado: {labels[order_id]}", widgets.scenario_label()),
                            config=charts.CONFIG, width="stretch", key="rob_tornado_order_chart")


order_tornado()
