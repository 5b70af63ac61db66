"""Partner ranking: scores, tiers, the weighted-sum vs TOPSIS cross-check, and why each partner ranks where it does."""

import streamlit as st

from scoring.coverage import INSUFFICIENT
from scoring.tiers import TIER_NAMES, TIER_SHORT
from ui import charts, data, model, scenarios, state, widgets
from ui.page import bootstrap

bootstrap()

ELIGIBILITY_LABELS = {"eligible": "", "restricted": "restricted"}

st.title("Partner ranking")
scenario = state.current_scenario()
result = model.run(scenario)
if result.ranking is None:
    widgets.fcfs_notice()
    st.stop()

ranking = model.ranking_table(scenario)
tiers = result.ranking.tiers
cross = result.ranking.cross
assert tiers is not None and cross is not None

c1, c2, c3, c4, c5 = st.columns(5)
ref_counts = model.ranking_table(scenarios.reference_scenario()[0])["tier_num"].value_counts()
for col, tier in zip((c1, c2, c3, c4), (1, 2, 3, INSUFFICIENT), strict=True):
    n_tier = int((ranking["tier_num"] == tier).sum())
    col.metric(TIER_SHORT[tier], n_tier, delta=n_tier - int(ref_counts.get(tier, 0)), delta_color="off",
               help=TIER_NAMES[tier] + " — delta against the reference scenario")
c5.metric(
    "TOPSIS keeps of the top 10",
    f"{cross.top10_overlap:.0%}",
    help=f"Within the top 30: {cross.top30_overlap:.0%} kept, Kendall τ = {cross.top30_tau:.2f}; over all partners "
    f"τ = {cross.kendall_tau:.2f}, Spearman ρ = {cross.spearman_rho:.2f}.",
)
st.caption(cross.verdict())
st.caption(
    f"Tier boundaries: tier 1 from {tiers.boundaries[0]:.1f} points, tier 2 from {tiers.boundaries[1]:.1f} points "
    f"({'score thresholds' if scenario.tier_rule.mode == 'threshold' else 'shares of partners'}). "
    "Scores are 0–100: the weighted share of the best profile on record. "
    f"Partners with less than {scenario.method.min_coverage:.0%} of the weight on observed data (or fewer than two observed "
    "weighted criteria) are not tiered; a tiered partner sits at most one tier above its worst-case tier "
    f"(missing values counted at worst). Eligibility under US law as of {data.eligibility_as_of()}."
)

left, right = st.columns([1, 1])
with left:
    view = widgets.region_filter(ranking)
with right:
    tier_options = [TIER_SHORT[t] for t in (1, 2, 3, INSUFFICIENT)]
    tier_choice = st.multiselect("Tier", tier_options, default=tier_options, key="ranking_tiers")
view = view[view["tier"].isin(tier_choice)]
reference, ref_label = scenarios.reference_scenario()
deltas = model.partner_deltas(scenario, reference).set_index("iso3")
view = view.assign(
    rank_change=view["iso3"].map(deltas["rank_change"]),
    tier_before=view["iso3"].map(deltas["ref_tier"]),
    changed=view["iso3"].map(deltas["changed"]).map({True: "●", False: ""}),
)
st.caption(f"Δ rank and tier before: against the reference ({ref_label}); ● marks a partner whose rank or tier changed.")
flagged = view.loc[view["gate_flagged"].astype(bool), "name"].tolist()
if flagged:
    st.caption(
        f"Flagged, not held ({len(flagged)} partner(s); why in the Gate column): no data for a gate that is on, or "
        f"restricted by US law: {widgets.plain(', '.join(flagged[:12]), limit=600)}{' …' if len(flagged) > 12 else '.'}"
    )
if view.empty:
    widgets.empty_notice("partners")
else:
    columns = ["changed", "rank", "rank_change", "name", "analyst_region", "score", "tier", "tier_before", "next_tier",
               "coverage", "eligibility", "reference_tier", "topsis_rank", "missing_criteria"]
    if view["gate_note"].astype(bool).any():
        columns.append("gate_note")
    if "stale_inputs" in view and view["stale_inputs"].astype(bool).any():
        columns.append("stale_inputs")
    next_tier = [
        "not tiered" if t == INSUFFICIENT else "top tier" if v != v else f"+{v:.1f} pts"
        for t, v in zip(view["tier_num"], view["points_to_next"], strict=True)
    ]
    st.dataframe(
        view.assign(next_tier=next_tier, eligibility=view["eligibility"].map(ELIGIBILITY_LABELS))[columns],
        hide_index=True,
        width="stretch",
        height=420,
        column_config={
            "rank": st.column_config.NumberColumn("#", format="%d", width=40),
            "changed": st.column_config.TextColumn("", width=20),
            "rank_change": st.column_config.NumberColumn("Δ rank", format="%+d", width=55, help="Positive = moved up against the reference"),
            "tier_before": st.column_config.TextColumn("Tier in ref.", width=80),
            "name": st.column_config.TextColumn("Partner", width=150),
            "analyst_region": st.column_config.TextColumn("Region", width=150),
            "score": st.column_config.ProgressColumn("Score", min_value=0, max_value=100, format="%.1f", width=120),
            "tier": st.column_config.TextColumn("Tier", width=55),
            "next_tier": st.column_config.TextColumn("To next tier", width=85, help="Points needed to reach the next tier up"),
            "topsis_rank": st.column_config.NumberColumn("TOPSIS #", format="%d", width=70, help="Rank under TOPSIS on the same inputs"),
            "missing_criteria": st.column_config.NumberColumn("Missing", width=62, help="Criteria with no value on record (see the missing-value rule)"),
            "coverage": st.column_config.ProgressColumn(
                "Observed", min_value=0, max_value=100, format="%.0f%%", width=90,
                help="Share of the weight that rests on observed data (not on the missing-value rule)",
            ),
            "eligibility": st.column_config.TextColumn("US law", width=80, help="Restricted: case-by-case review only (22 CFR 126.1(d)(2), partial UN embargo)"),
            "reference_tier": st.column_config.TextColumn("Statutory tier", width=120, help="NATO+5 (AECA §36), Major Non-NATO Ally, or other"),
            "gate_note": "Gate",
            "stale_inputs": st.column_config.TextColumn(
                "Stale inputs", width=160,
                help=f"Figures older than {scenario.method.stale_years} years before {scenario.production.start_year} "
                f"({'treated as missing' if scenario.method.stale_rule == 'missing' else 'flagged, still used'})",
            ),
        },
        key="ranking_table",
    )

widgets.downloads(scenario, "ranking")

st.subheader("Model tiers against the statutory reference tiers")
st.caption(
    "NATO+5 (AECA §36: NATO members, Japan, Australia, South Korea, Israel, New Zealand — shorter congressional "
    "review, higher thresholds), Major Non-NATO Allies (22 U.S.C. 2321k, with designation years), everyone else. "
    "Each cell counts partners; the diagonal-like pattern shows how far the model's tiers follow the law's."
)
crosstab = model.reference_crosstab(scenario)
st.dataframe(crosstab, width="stretch", key="ranking_reference_crosstab")

denied = data.not_eligible()
with st.expander(f"Not eligible under US law ({len(denied)} partners): never scored, ranked, tiered or queued"):
    st.dataframe(
        denied[["name", "iso3", "reason", "citation", "citation_url"]],
        hide_index=True,
        width="stretch",
        column_config={
            "name": "Partner", "reason": "Rule (scope)", "citation": "Citation",
            "citation_url": st.column_config.LinkColumn("Source", display_text="open"),
        },
        key="ranking_not_eligible",
    )

names = dict(zip(ranking["iso3"], ranking["name"], strict=True))
contrib = model.contributions_table(scenario)
st.subheader("What makes up each score")
st.plotly_chart(
    charts.titled(charts.contribution_bars(contrib[contrib["iso3"].isin(view["iso3"])], names), "What makes up each score", widgets.scenario_label()),
    config=charts.CONFIG, width="stretch",
    key="ranking_contrib_chart",
)

st.subheader("Explain one partner")
iso3 = widgets.partner_picker()
row = ranking[ranking["iso3"] == iso3].iloc[0]
st.markdown(
    f"**{row['name']}** ranks **{int(row['rank'])}** of {len(ranking)} with **{row['score']:.1f}** points — "
    f"{TIER_NAMES[int(row['tier_num'])]}."
)
widgets.levers(scenario, iso3, "ranking")
detail = contrib[contrib["iso3"] == iso3]
st.dataframe(
    detail[["criterion_name", "group", "judgement", "raw", "unit", "normalised", "missing", "weight", "contribution"]],
    hide_index=True,
    width="stretch",
    column_config={
        "criterion_name": "Criterion",
        "judgement": st.column_config.CheckboxColumn("Judgement"),
        "raw": st.column_config.NumberColumn("Raw value", format="%.2f"),
        "normalised": st.column_config.NumberColumn("Normalised (1 = best)", format="%.2f"),
        "missing": st.column_config.CheckboxColumn("Missing"),
        "weight": st.column_config.NumberColumn("Weight", format="%.3f"),
        "contribution": st.column_config.NumberColumn("Points", format="%.2f"),
    },
    key="ranking_detail",
)

st.subheader("How robust is the ranking?")
st.caption(
    "Each positive weight is multiplied by a random factor between 1 − spread and 1 + spread (1,000 draws); "
    "the bars show where each partner's rank lands (5th–95th percentile)."
)
spread = st.select_slider("Weight perturbation (± share)", options=[0.1, 0.25, 0.5, 0.75], value=0.5, key="ranking_spread")
mc = model.robustness(scenario, 1000, float(spread))
top = mc.head(30)
st.plotly_chart(charts.rank_spread(top), config=charts.CONFIG, width="stretch", key="ranking_mc_chart")
stable = (mc["same_tier_share"] >= 0.9).mean()
st.caption(f"{stable:.0%} of partners keep their tier in at least 90% of draws.")
