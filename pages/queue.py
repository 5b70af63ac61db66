"""Queue & schedule: every open order's place and delivery dates under the priority rule vs first-come-first-served."""

import numpy as np
import streamlit as st

from scoring.delivery import POLICIES
from ui import charts, model, scenarios, state, widgets
from ui.page import bootstrap

bootstrap()

st.title("Queue & delivery schedule")
scenario = state.current_scenario()
result = model.run(scenario)
orders = model.order_table(scenario)
if result.ranking is None:
    widgets.fcfs_notice()

competing = orders[orders["competing"]]
suspended = orders[orders["suspended"]]
c1, c2, c3, c4, c5 = st.columns(5)
c1.metric("Competing orders", len(competing), help="Signed and delivering orders on a modelled line with units open"
          + ("; notified orders included" if scenario.delivery_rules.include_notified else "; notified (unsigned) orders are off"))
c2.metric("Backlog value", f"${competing['value_busd'].sum():,.0f} bn", help="Notified values are package ceilings")
c3.metric("Moved up / down", f"{(competing['position_change'] > 0).sum()} / {(competing['position_change'] < 0).sum()}")
c4.metric(
    "Mean Δ completion",
    f"{widgets.signed(competing['delay_quarters'].mean())} q" if len(competing) else "—",
    help=f"{POLICIES[scenario.delivery_rules.policy]} completion quarter minus FCFS completion quarter, averaged over competing "
    "orders (negative = earlier).",
)
c5.metric(
    "Suspended: value at risk", f"${suspended['value_busd'].sum():,.1f} bn",
    help=f"{len(suspended)} held orders receive nothing while held"
    + (f"; {suspended['units_open'].sum():,.0f} units of capacity go to others" if len(suspended) else ""),
)
st.caption(
    f"As of {scenario.production.start_year} Q{scenario.production.start_quarter}. Capacity: each line's published rate ramping to its "
    f"target; the published US share of output where there is one, else {scenario.production.domestic_share:.0%}. An order "
    "competes from its signature plus its line's lead time (unused capacity is not banked); production inside each "
    f"line's time fence ({'its lead time' if scenario.delivery_rules.fence_quarters is None else f'{scenario.delivery_rules.fence_quarters} quarters'}) "
    f"keeps its first-come-first-served slots. Policy: {POLICIES[scenario.delivery_rules.policy]}; held orders are "
    f"{'suspended' if scenario.delivery_rules.hold_mode == 'suspend' else f'delayed by {scenario.delivery_rules.review_quarters} quarters'}. "
    + (result.investment_note or "")
)

widgets.order_book_upload(scenario)
widgets.delivery_quote(scenario)

lines = sorted(orders["line_id"].unique())
platforms = dict(zip(orders["line_id"], orders["platform"], strict=False))
f1, f2, f3 = st.columns(3)
with f1:
    options = ["All lines", *lines]
    if state.value("line_filter") not in options:
        state.set_value("line_filter", "All lines")
    line = st.selectbox("Production line", options, format_func=lambda v: platforms.get(v, v), **state.bind("line_filter"))
with f2:
    view = widgets.region_filter(orders)
with f3:
    tier_options = sorted(orders["tier"].dropna().unique())
    chosen = st.multiselect("Tier", tier_options, default=tier_options, key="queue_tiers")
if line != "All lines":
    view = view[view["line_id"] == line]
view = view[view["tier"].isin(chosen)]

if view.empty:
    widgets.empty_notice("orders")
    st.stop()

reference, ref_label = scenarios.reference_scenario()
deltas = model.order_deltas(scenario, reference).set_index("order_id")
view = view.assign(change_vs_ref=view["order_id"].map(deltas["change_vs_ref"]))
table = view.sort_values(["line_id", "priority_position"])
MAX_ROWS, MAX_BARS = 2_000, 60
if len(table) > MAX_ROWS:
    st.caption(f"Showing the first {MAX_ROWS:,} of {len(table):,} orders (by line and priority); downloads hold them all.")
head = table.head(MAX_ROWS)  # every column below is built on the shown rows only
shown = head.assign(
    best_source_class=head["best_source_class"].map(widgets.SOURCE_CLASS_LABELS) if "best_source_class" in head else "",
    queue=np.where(head["competing"], head["fcfs_position"].astype(str) + " → " + head["priority_position"].astype(str)
                   + " " + head["move"], "—"),
    change_vs_ref=[("—" if v != v else f"{int(v):+d}") for v in head["change_vs_ref"]],
    # An order that does not compete has no completion to compare: a dash, as in Δ ref., not "+0".
    delay_quarters=[f"{int(d):+d}" if c else "—" for d, c in zip(head["delay_quarters"], head["competing"], strict=True)],
    line=head["line_name"],
)
columns = ["order_id", "line", "partner", "tier", "status", "units_open", "contract_date", "queue", "fcfs_last", "priority_last",
           "delay_quarters", "change_vs_ref", "best_source_class", "best_source_url"]
if shown["gate_reason"].astype(bool).any():
    columns.append("gate_reason")
st.dataframe(
    shown[columns],
    hide_index=True,
    width="stretch",
    height=min(560, 38 + 35 * len(shown)),
    column_config={
        "order_id": st.column_config.NumberColumn("Order", format="%d", width=52, help="Order id in the Data & sources order book"),
        "line": st.column_config.TextColumn("Line", width=200),
        "partner": st.column_config.TextColumn("Partner", width=120),
        "tier": st.column_config.TextColumn("Tier", width=55),
        "units_open": st.column_config.NumberColumn("Units", format="%d", width=55, help="Units still to deliver"),
        "contract_date": st.column_config.DateColumn("Contract", width=88),
        "queue": st.column_config.TextColumn("Queue", width=72, help="Position in the line's queue, first-come-first-served → priority; ▲ moved up, ▼ down; — = not competing (delivered, or a notified order while notified orders are off)"),
        "fcfs_last": st.column_config.TextColumn("Done FCFS", width=78),
        "priority_last": st.column_config.TextColumn("Done prio.", width=78),
        "delay_quarters": st.column_config.TextColumn("Δ FCFS", width=60, help="Quarters later (+) or earlier (−) than first-come-first-served; — = not competing"),
        "change_vs_ref": st.column_config.TextColumn("Δ ref.", width=58, help=f"Quarters later (+) or earlier (−) than in the reference ({ref_label}); — = not competing in one of them"),
        "gate_reason": st.column_config.TextColumn("Gate", width=160),
        "status": st.column_config.TextColumn("Status", width=75, help="notified / signed / delivering (delivered and cancelled orders do not compete)"),
        "best_source_class": st.column_config.TextColumn("Best source", width=95),
        "best_source_url": st.column_config.LinkColumn("Source", display_text="open", width=55),
    },
    key="queue_table",
)
widgets.downloads(scenario, "queue")

st.subheader("Who gains and who loses")
by_partner = st.toggle("Per partner, value-weighted", value=True, key="queue_by_partner")
if by_partner:
    moves = model.value_weighted_moves(view)
    still = moves[moves["delay_quarters"].round(2) == 0]
    if len(still):
        st.caption(f"{len(still)} of {len(moves)} partners are delivered when first-come-first-served would deliver them "
                   "and are left out of the chart.")
    if len(still) < len(moves):
        st.plotly_chart(charts.titled(charts.partner_moves(moves.drop(still.index)), "Who gains and who loses (value-weighted)",
                                      widgets.scenario_label()), config=charts.CONFIG, width="stretch", key="queue_partner_moves")
else:
    movers = view.reindex(view["delay_quarters"].abs().sort_values(ascending=False).index).head(MAX_BARS)
    if len(view) > MAX_BARS:
        st.caption(f"The {MAX_BARS} orders that move most, of {len(view):,}.")
    st.plotly_chart(charts.titled(charts.gainers_losers(movers), "Orders that move most against FCFS", widgets.scenario_label()), config=charts.CONFIG, width="stretch", key="queue_gainers")

# Computed on demand: a toggle (unlike a collapsed expander) keeps the 1,000 reschedules off every slider move.
if result.ranking is not None and st.toggle(
    "How robust are these delivery dates? (weights perturbed ±50%, 1,000 draws)", key="queue_robustness_on"
):
    with st.container(border=True):
        robust = model.delivery_robustness(scenario, 1000, 0.5)
        robust = robust[robust["order_id"].isin(view["order_id"])]
        st.caption(
            "Each positive weight is redrawn within ±50% and the whole queue rescheduled; gate decisions are kept. "
            "Orders whose completion quarter swings most come first."
        )
        st.dataframe(
            robust[["order_id", "partner", "line_name", "priority_last", "range", "p_earlier_than_fcfs"]],
            hide_index=True,
            width="stretch",
            column_config={
                "order_id": st.column_config.NumberColumn("Order", format="%d", width=52),
                "partner": st.column_config.TextColumn("Partner", width=120),
                "line_name": st.column_config.TextColumn("Line", width=200),
                "priority_last": st.column_config.TextColumn("Done (these weights)", width=110),
                "range": st.column_config.TextColumn("Done, 5–95% of draws", width=150),
                "p_earlier_than_fcfs": st.column_config.ProgressColumn("Earlier than FCFS", min_value=0.0, max_value=1.0, format="percent", width=120),
            },
            key="queue_robustness",
        )

st.subheader("Delivery windows")
if len(table) > MAX_BARS:
    st.caption(f"The first {MAX_BARS} orders of the table, of {len(table):,}.")
st.plotly_chart(charts.delivery_timeline(
    table[table["competing"]].head(MAX_BARS), scenario.production.start_year + (scenario.production.start_quarter - 1) / 4, POLICIES[scenario.delivery_rules.policy]
), config=charts.CONFIG, width="stretch", key="queue_timeline")

st.subheader("Backlog burn-down by tier" + ("" if line == "All lines" else f" · {platforms.get(line, line)}"))
st.caption("Remaining order value (US$ bn): the lines deliver the same total either way; the policy decides who waits.")
backlog = model.backlog_by(scenario, "tier", None if line == "All lines" else line)
if backlog.empty:
    st.info(f"The burn-down is drawn for books of up to {model.DENSE_LIMIT_ORDERS:,} orders.")
else:
    st.plotly_chart(charts.titled(charts.burn_down(backlog, POLICIES[scenario.delivery_rules.policy]), "Order value still to deliver", widgets.scenario_label()), config=charts.CONFIG, width="stretch", key="queue_burndown")
