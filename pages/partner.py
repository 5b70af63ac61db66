"""Partner profile: one partner's spending, score breakdown, tier, orders, US ties, governance and sources."""

import pandas as pd
import streamlit as st

from scoring.criteria import JUDGED_COLUMNS
from scoring.tiers import TIER_NAMES
from ui import charts, data, model, state, widgets
from ui.page import bootstrap

bootstrap()

st.title("Partner profile")
scenario = state.current_scenario()
result = model.run(scenario)
iso3 = widgets.partner_picker("Partner")
ranking = model.ranking_table(scenario)
denied = data.not_eligible().set_index("iso3")
if iso3 in denied.index:
    entry = denied.loc[iso3]
    st.error(
        f"{entry['name']} is not eligible for US arms transfers under US law "
        f"(as of {data.eligibility_as_of()}): {widgets.plain(entry['reason'])}. It is never scored, ranked, tiered or queued."
    )
    st.caption(f"Citation: {widgets.plain(entry['citation'])} — {entry['citation_url']}")
    widgets.order_history(iso3, str(entry["name"]))
    st.stop()
row = ranking[ranking["iso3"] == iso3].iloc[0]
name = row["name"]
if row["eligibility"] == "restricted":
    st.warning(f"Restricted by US law (case-by-case review only): {widgets.plain(row['eligibility_reason'])}.")

c1, c2, c3, c4 = st.columns(4)
if result.ranking is None:
    widgets.fcfs_notice()
else:
    c1.metric("Priority score", f"{row['score']:.1f}")
    c2.metric("Rank", f"{int(row['rank'])} of {len(ranking)}")
    c3.metric("Tier", row["tier"], help=TIER_NAMES[int(row["tier_num"])])
    c4.metric("Points to next tier", "—" if pd.isna(row["points_to_next"]) else f"{row['points_to_next']:.1f}")
    widgets.levers(scenario, iso3, "partner")
st.caption(
    f"Region (analyst grouping): {row['analyst_region']} · NATO: {'yes' if row['nato_member'] else 'no'} · "
    f"MNNA: {'yes' if row['mnna'] else 'no'} · statutory tier: {row['reference_tier']}"
    + (f" · {row['coverage']:.0f}% of the weight rests on observed data" if "coverage" in row and pd.notna(row.get("coverage")) else "")
)
if row["gate_note"]:
    st.warning(row["gate_note"])

history = data.query("spending_history", (("iso3", iso3),))
left, right = st.columns(2)
with left:
    st.markdown(f"**{name}: defence spending, % of GDP**")
    if history["share_gdp_pct"].notna().any():
        st.plotly_chart(charts.spending_history(history, name), config=charts.CONFIG, width="stretch", key="partner_spending")
    else:
        st.info(f"No defence-spending share of GDP on record for {name}.")
with right:
    st.markdown(f"**{name}: score by criterion**")
    if result.ranking is not None:
        contrib = model.contributions_table(scenario)
        st.plotly_chart(charts.score_waterfall(contrib[contrib["iso3"] == iso3], name), config=charts.CONFIG, width="stretch", key="partner_waterfall")

st.subheader("Orders in the queue")
orders = model.order_table(scenario)
mine = orders[orders["iso3"] == iso3]
if mine.empty:
    st.info(f"{name} has no open order on a modelled production line in the order book.")
else:
    st.dataframe(
        mine.assign(queue=mine["fcfs_position"].astype(str) + " → " + mine["priority_position"].astype(str) + " " + mine["move"])[
            ["order_id", "line_name", "units_open", "contract_date", "queue", "fcfs_last", "priority_last", "delay_quarters", "gate_reason"]
        ],
        hide_index=True,
        width="stretch",
        column_config={
            "order_id": st.column_config.NumberColumn("Order", format="%d", width=52),
            "line_name": st.column_config.TextColumn("Line", width=200),
            "units_open": st.column_config.NumberColumn("Units", format="%d", width=60),
            "contract_date": st.column_config.DateColumn("Contract", width=90),
            "queue": st.column_config.TextColumn("Queue", width=72, help="Position FCFS → priority"),
            "fcfs_last": st.column_config.TextColumn("Done FCFS", width=80),
            "priority_last": st.column_config.TextColumn("Done prio.", width=80),
            "delay_quarters": st.column_config.NumberColumn("Δ q", format="%+d", width=48),
            "gate_reason": st.column_config.TextColumn("Gate", width=120),
        },
        key="partner_orders",
    )

widgets.order_history(iso3, name)

st.subheader("Analyst judgements (editable)")
st.caption(
    "These scores are the project's analyst judgements (Nov 2026), not published data. Edit a score to test "
    "your own view: the ranking, tiers and queue update for this session and the link."
)
judgements = data.query("partner_judgements", (("iso3", iso3),))
overrides: dict[tuple[str, str], float] = state.value(state.OVERRIDES_KEY)
judged_keys = list(JUDGED_COLUMNS)
base = {c: None for c in judged_keys}
base.update(dict(zip(judgements["criterion"], judgements["score"], strict=True)))
table = pd.DataFrame(
    {
        "criterion": judged_keys,
        "name": [model.CRITERION_NAMES[k] for k in judged_keys],
        "recorded": [base[k] for k in judged_keys],
        "score": [overrides.get((iso3, k), base[k]) for k in judged_keys],
        "rationale": [dict(zip(judgements["criterion"], judgements["rationale"], strict=True)).get(k, "Not assessed") for k in judged_keys],
        "sources": [widgets.cited_sources(dict(zip(judgements["criterion"], judgements["source_ref"], strict=True)).get(k, ""))
                    for k in judged_keys],
    }
)
edited = st.data_editor(
    table,
    hide_index=True,
    width="stretch",
    disabled=["criterion", "name", "recorded", "rationale", "sources"],
    column_order=["name", "recorded", "score", "rationale", "sources"],
    column_config={
        "name": st.column_config.TextColumn("Criterion", width=170),
        "score": st.column_config.NumberColumn("Your score (0–5)", min_value=0.0, max_value=5.0, step=0.5, width=110),
        "recorded": st.column_config.NumberColumn("Recorded", format="%.1f", width=75),
        "rationale": st.column_config.TextColumn("Rationale (hover for full text)", width=330),
        "sources": st.column_config.TextColumn("Sources (hover for all)", width=160),
    },
    key=f"partner_judgement_editor_{iso3}",
)
changed = False
for rec in edited.itertuples():
    key = (iso3, rec.criterion)
    if pd.notna(rec.score) and (pd.isna(rec.recorded) or float(rec.score) != float(rec.recorded)):
        if overrides.get(key) != float(rec.score):
            overrides[key] = float(rec.score)
            changed = True
    elif key in overrides:
        del overrides[key]
        changed = True
if changed:
    st.rerun()
if overrides:
    if st.button(f"Reset all {len(overrides)} edited judgement(s)", key="partner_reset_edits"):
        overrides.clear()
        st.rerun()

st.subheader("US presence, arms purchases and governance")
p1, p2, p3 = st.columns(3)
presence = data.query("partner_presence", (("iso3", iso3),))
with p1:
    if presence.empty:
        st.info("No US presence on record.")
    else:
        pr = presence.iloc[0]
        st.metric("US troops assigned (DMDC)", "—" if pd.isna(pr["troops_assigned"]) else f"{int(pr['troops_assigned']):,}",
                  help=f"{pr['assigned_as_of'] or ''}; DMDC counts exclude rotational forces. Source: {pr['assigned_source'] or '—'}")
        st.metric("Approx. present incl. rotational (estimate)", "—" if pd.isna(pr["troops_present_approx"]) else f"~{int(pr['troops_present_approx']):,}",
                  help=f"Source: {pr['present_source'] or '—'}")
        st.caption(f"Bases/sites (Vine list, ~2018): {'—' if pd.isna(pr['n_bases']) else int(pr['n_bases'])} · {pr['access_agreements'] or ''}")
arms = data.query("partner_arms_history", (("iso3", iso3),))
with p2:
    recent = arms[arms["year"] >= 2020]
    st.metric("US arms delivered 2020–24 (TIV m)", f"{recent['us_tiv_m'].sum():,.0f}", help="SIPRI trend-indicator value: volume of capability, not price. SIPRI Arms Transfers Database, Feb 2026.")
    total = recent["total_imports_tiv_m"].sum()
    st.metric("US share of imports 2020–24", "—" if total == 0 else f"{100 * recent['us_tiv_m'].sum() / total:.0f}%")
governance = data.query("partner_governance", (("iso3", iso3),))
with p3:
    if governance.empty:
        st.info("No Freedom House score on record.")
    else:
        g = governance.iloc[-1]
        st.metric(f"Freedom House {int(g['edition'])} (data {int(g['data_year'])})", f"{int(g['fh_total'])}/100 · {g['fh_status']}")

with st.expander("Every source behind this profile"):
    sources = history[["publisher", "source_title", "vintage"]].drop_duplicates()
    st.dataframe(sources, hide_index=True, width="stretch")
    if not judgements.empty:
        cited = sorted({widgets.cited_sources(ref) for ref in judgements["source_ref"]})
        st.caption("Judgement sources: " + widgets.plain("; ".join(cited), limit=4000))
