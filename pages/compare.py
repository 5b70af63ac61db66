"""Compare two scenarios side by side: weights, rank moves, tier changes, delivery slips per order and per region."""

import datetime as dt
import io

import pandas as pd
import streamlit as st

from scoring.compare import group_slips
from scoring.criteria import CRITERIA
from ui import model, scenarios, state, widgets
from ui.export import file_stem, safe_frame
from ui.page import bootstrap

bootstrap()

st.title("Compare scenarios")
st.caption(
    "Pick two scenarios — the current one, where this session started, a preset or a saved scenario. Changes read "
    "B against A: a positive rank change is a move up; a positive slip is a later delivery."
)
options = {"current": "The current state"} | scenarios.reference_options()
left, right = st.columns(2)
a_key = left.selectbox("Scenario A", list(options), format_func=options.__getitem__, index=list(options).index("preset:eo"), key="compare_a")
b_key = right.selectbox("Scenario B", list(options), format_func=options.__getitem__, index=0, key="compare_b")


def scenario_for(key: str):
    if key == "current":
        return state.current_scenario()
    params = scenarios.reference_params(key)
    if params is None:
        st.warning(f"{widgets.plain(options[key], 80)} no longer exists.")
        st.stop()
    return state.scenario_of(scenarios.values_of(params))


a, b = scenario_for(a_key), scenario_for(b_key)
if a == b:
    st.info("A and B are the same scenario: nothing differs.")

weights = pd.DataFrame(
    {
        "criterion": [c.name for c in CRITERIA],
        "A": [dict(a.weights).get(c.key, 0.0) for c in CRITERIA],
        "B": [dict(b.weights).get(c.key, 0.0) for c in CRITERIA],
    }
)
for col in ("A", "B"):
    total = weights[col].sum()
    weights[f"{col} share %"] = 100 * weights[col] / total if total else 0.0
weights["Δ share (points)"] = weights["B share %"] - weights["A share %"]
st.subheader("Weights")
st.dataframe(weights[weights[["A", "B"]].ne(0).any(axis=1)], hide_index=True, width="stretch", key="compare_weights",
             column_config={"A share %": st.column_config.NumberColumn(format="%.1f"), "B share %": st.column_config.NumberColumn(format="%.1f"),
                            "Δ share (points)": st.column_config.NumberColumn(format="%+.1f"),
                            "criterion": st.column_config.TextColumn("Criterion")})

rank_a, rank_b = model.ranking_table(a).set_index("iso3"), model.ranking_table(b)
moves = model.partner_deltas(b, a).set_index("iso3")
partners = rank_b[["iso3", "name", "analyst_region"]].assign(
    rank_a=rank_b["iso3"].map(rank_a["rank"]), rank_b=rank_b["rank"],
    rank_change=rank_b["iso3"].map(moves["rank_change"]),
    tier_a=rank_b["iso3"].map(rank_a["tier"]), tier_b=rank_b["tier"],
    changed=rank_b["iso3"].map(moves["changed"]),
)
orders_b = model.order_table(b)
slips = model.order_deltas(b, a).set_index("order_id")
orders = orders_b[["order_id", "partner", "line_name", "analyst_region", "value_busd"]].assign(
    done_a=orders_b["order_id"].map(slips["ref_last"]), done_b=orders_b["priority_last"],
    slip_quarters=orders_b["order_id"].map(slips["change_vs_ref"]),
)
region_codes, region_names = pd.factorize(orders["analyst_region"], sort=True)
slips_by_region = group_slips(region_codes, orders["slip_quarters"].to_numpy(dtype=float),
                              orders["value_busd"].to_numpy(dtype=float), len(region_names))
regions = pd.DataFrame({
    "analyst_region": region_names, "orders": slips_by_region.orders, "moved": slips_by_region.moved,
    "value_busd": slips_by_region.value, "value_weighted_slip": slips_by_region.value_weighted_slip,
})
regions = regions[regions["orders"] > 0]

c1, c2, c3 = st.columns(3)
c1.metric("Partners changing tier", int((partners["tier_a"] != partners["tier_b"]).sum()))
c2.metric("Orders delivered at another quarter", int((orders["slip_quarters"].fillna(0) != 0).sum()))
mean_slip = round(float(orders["slip_quarters"].mean()), 1) + 0.0 if orders["slip_quarters"].notna().any() else None  # + 0.0: no "-0.0"
c3.metric("Mean slip (quarters, B − A)", widgets.signed(mean_slip))

only_changed = st.toggle("Only what changed", value=True, key="compare_only_changed")
st.subheader("Partners")
unranked = [side for side, sc in (("A", a), ("B", b)) if model.run(sc).ranking is None]
if unranked:
    st.caption(f"{' and '.join(unranked)} {'is' if len(unranked) == 1 else 'are'} first-come-first-served: no ranks or "
               "tiers there (shown as —); the orders and regions below still compare.")
shown = (partners[partners["changed"]] if only_changed else partners).drop(columns="changed").sort_values(["rank_b", "rank_a"])
st.dataframe(
    shown.assign(**{col: [widgets.whole(v) for v in shown[col]] for col in ("rank_a", "rank_b")},
                 rank_change=[widgets.signed(v, 0) for v in shown["rank_change"]],
                 **{col: shown[col].fillna("—") for col in ("tier_a", "tier_b")}),
    hide_index=True, width="stretch", key="compare_partners",
    column_config={"iso3": "ISO", "name": "Partner", "analyst_region": "Region", "tier_a": "Tier A", "tier_b": "Tier B",
                   "rank_change": "Δ rank (+ up)", "rank_a": "Rank A", "rank_b": "Rank B"})
st.subheader("Orders")
shown_orders = orders[orders["slip_quarters"].fillna(0) != 0] if only_changed else orders
st.dataframe(shown_orders.sort_values("slip_quarters", ascending=False), hide_index=True, width="stretch", key="compare_orders",
             column_config={"order_id": st.column_config.NumberColumn("Order", format="%d"), "partner": "Partner",
                            "line_name": "Line", "analyst_region": "Region", "done_a": "Done (A)", "done_b": "Done (B)",
                            "slip_quarters": st.column_config.NumberColumn("Slip (q, + later)", format="%+d"),
                            "value_busd": st.column_config.NumberColumn("US$ bn", format="%.2f")})
st.subheader("Regions")
st.dataframe(regions, hide_index=True, width="stretch", key="compare_regions",
             column_config={"analyst_region": "Region", "orders": "Orders compared", "moved": "Orders moved",
                            "value_busd": st.column_config.NumberColumn("US$ bn", format="%.2f"),
                            "value_weighted_slip": st.column_config.NumberColumn("Value-weighted slip (q)", format="%+.1f")})


def workbook() -> bytes:

    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        pd.DataFrame({"scenario": ["A", "B"], "what": [options[a_key], options[b_key]]}).pipe(safe_frame).to_excel(
            writer, sheet_name="Scenarios", index=False)
        weights.to_excel(writer, sheet_name="Weights", index=False)
        partners.pipe(safe_frame).to_excel(writer, sheet_name="Partners", index=False)
        orders.pipe(safe_frame).to_excel(writer, sheet_name="Orders", index=False)
        regions.to_excel(writer, sheet_name="Regions", index=False)
    return buffer.getvalue()


stem = file_stem(f"comparison {options[a_key]} vs {options[b_key]}", dt.date.today())
d1, d2 = st.columns(2)
d1.download_button("Comparison (CSV, orders)", lambda: safe_frame(orders).to_csv(index=False).encode(),
                   f"{stem}_orders.csv", "text/csv", key="compare_csv", on_click="ignore")
d2.download_button("Comparison (Excel)", workbook, f"{stem}.xlsx",
                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="compare_xlsx", on_click="ignore")
