"""Methods: the policy in brief, criteria and formulas, data vintages, limitations, how to cite."""

import pandas as pd
import streamlit as st

from scoring.criteria import CRITERIA, PRESETS
from scoring.engine import MISSING_RULES, NORMALISATIONS
from ui import data
from ui.page import bootstrap

bootstrap()

st.title("Methods")

st.header("The policy in brief")
st.markdown(
    """
The *America First Arms Transfer Strategy* (executive order, February 2026; Federal Register 6 February) ends
first-come-first-served as the organising rule of US arms sales. Partners' orders move up when the partner

1. **invests in its own defence** — spending level and growth;
2. **holds strategic value** — frontline geography, basing and logistics for US operations, a role in US plans;
3. **contributes to US economic security** — buys American, brings capital into US production lines.

Human rights, national security and foreign policy remain part of the review. The result is an implicit
**tier system** — top-tier investors and strategic pivots, key participants, ordinary partners — on production
lines whose backlogs (155mm shells, Javelin, PAC-3, F-35) run past 2028. Critics warn that strategically placed but
poor partners (Georgia, Kosovo) are marginalised and that a moving priority loses the predictability of a fixed queue.
"""
)

st.header("Criteria")
st.dataframe(
    pd.DataFrame(
        [
            {
                "criterion": c.name, "group": c.group, "direction": c.direction, "unit": c.unit,
                "transform": c.transform, "analyst judgement": c.judgement, "source": c.source, "meaning": c.description,
            }
            for c in CRITERIA
        ]
    ),
    hide_index=True,
    width="stretch",
)
st.subheader("Presets")
for preset in PRESETS:
    st.markdown(f"- **{preset.name}** — {preset.rationale}")

st.header("Formulas")
st.markdown("**Normalisation** (per criterion, over all partners; cost criteria inverted as 1 − x):")
for text in NORMALISATIONS.values():
    st.markdown(f"- {text}")
st.markdown("Magnitudes (absolute spending, US troops, TIV) are log-transformed, log(1 + x), before normalising.")
st.markdown("**Missing values** (the analyst's choice; missing inputs are counted and shown for every partner):")
for text in MISSING_RULES.values():
    st.markdown(f"- {text}")
st.latex(r"\text{score}_i = 100 \sum_j w_j\, v_{ij}, \qquad \sum_j w_j = 1,\ w_j \ge 0")
st.markdown(
    "Each term $100\\,w_j v_{ij}$ is criterion *j*'s contribution: contributions sum to the score. "
    "**TOPSIS** cross-check: closeness $d^-_i/(d^+_i + d^-_i)$ to the best and worst weighted profiles; the agreement "
    "of the two rankings is reported as Kendall's τ-b and Spearman's ρ."
)
st.markdown(
    """
**Tiers**: score thresholds (points) or shares of partners by rank. Each partner's distance to the next boundary is
shown; *what it would take* re-scores every partner for rises in its defence share of GDP (0.05-point steps up to
+10 points; the 5-year trend rises by the same amount, absolute spending in proportion, the distance to pledge
shrinks) and reports the smallest rise that lifts it one tier, or that spending alone cannot.

**Gates** (optional): a Freedom House floor and an end-use risk ceiling hold a partner's orders; the
sensitive-technology rule holds orders for high-sensitivity platforms unless the partner is a NATO ally or MNNA with
at least a minimum score. A held order is not cancelled: it waits behind every cleared order on its line.

**Queue**: on each production line, first-come-first-served orders by contract date (then order id); the priority
rule orders by gate status, then score (higher first), then contract date. **Schedule**: each line's annual rate
ramps linearly from its current figure to the announced target and year, minus the share reserved for US forces;
every open order is in the backlog at the start quarter and is built in queue order, partial deliveries allowed
(cumulative demand against cumulative capacity, searched per order — no per-unit loop). A partner may fund extra
capacity on a line: the extra output joins the shared pool and the funder's *investment in US production* score
rises by one point per US$1 bn a year of funded output (a modelling rule).

**Robustness**: every positive weight is multiplied by an independent uniform factor in [1 − s, 1 + s], 1,000 draws;
the rank band (5th–95th percentile) and the share of draws keeping each partner's tier are shown.
"""
)

st.header("Data vintages")
st.dataframe(data.query("sources")[["publisher", "title", "vintage", "is_judgement"]], hide_index=True, width="stretch")

st.header("Known limitations")
st.markdown(
    """
- **SIPRI TIV measures volume, not price**: the US-purchases criterion counts capability delivered, not dollars paid.
- **DMDC troop counts exclude rotational and deployed forces** (e.g. ~10,000 US troops in Poland vs ~370 assigned);
  the presence criterion uses press estimates of presence where they exist, flagged as estimates. The shared DMDC
  file double-counts South Korea and Italy; the published DMDC figures are used instead.
- **NATO's 2025 figures are estimates** from press summaries of NATO's August 2025 release; SIPRI and NATO define
  military spending differently — choose one basis in the sidebar.
- **The order book is partial**: notable orders from press reporting of DSCA notifications and contracts, not the full
  FMS case list; delivered-to-date quantities of orders in delivery are mostly unknown (flagged as estimates).
- **Capacity figures** are press-reported line rates; some are estimates (flagged). Domestic demand is one share for
  every line, an assumption.
- **Strategic scores are analyst judgements**: each has a rationale and sources and can be edited on the partner page.
"""
)

st.header("How to cite")
st.code(
    "Arms-sale priority analyst (2026). Scenario dashboard of the America First Arms Transfer Strategy. "
    "Data: SIPRI Military Expenditure Database (2025); SIPRI Arms Transfers Database (Feb 2026); NATO, Defence "
    "Expenditure of NATO Countries (2014-2024); World Bank WDI; Freedom House, Freedom in the World 2025; DMDC via "
    "troopdata (Allen, Flynn, Machain & Stravers).",
    language=None,
)
