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

The order's own text sets no human-rights test: human rights and end-use risk stay in the review through the
standing **Conventional Arms Transfer policy** (NSPM-10 of 2018, re-adopted by EO 14268 of April 2025) and the
**Arms Export Control Act** with its statutory limits (Leahy law, FAA §502B). The result is an implicit
**tier system** — top-tier investors and strategic pivots, key participants, ordinary partners — on production
lines whose backlogs (155mm shells, Javelin, PAC-3, F-35) run past 2028. Critics warn that strategically placed but
poor partners (Georgia, Kosovo) are marginalised and that a moving priority loses the predictability of a fixed queue.
"""
)

st.header("Who may buy: eligibility under US law")
st.markdown(
    f"""
Eligibility is decided on **{data.eligibility_as_of()}** (the data vintage: the latest dated order or rule in the
store) from dated rules, each with its citation:

- **Denied** — never scored, ranked, tiered, mapped as priority or queued; an uploaded order for one is rejected:
  22 CFR 126.1(d)(1) policy of denial (Belarus, Burma, China, Cuba, Iran, North Korea, Syria, Venezuela); Russia
  (126.1(d)(2), whose only carve-out is government space cooperation); the State Sponsors of Terrorism (126.1(c)(2),
  AECA §40: Cuba, Iran, North Korea, Syria); Afghanistan (its carve-out names a government that no longer exists).
- **Restricted** — scored but flagged everywhere, and held if the sidebar says so: the other 126.1(d)(2) countries
  (case-by-case carve-outs) and partial UN Security Council embargoes; Cyprus once its yearly suspension lapses
  (30 Sep 2026, no renewal found in the sources).
- **Eligible** — everyone else, including Cambodia since its removal from 126.1 on 7 Nov 2025.

The current 126.1(d) tables were rebuilt from an older full eCFR text plus every amending Federal Register rule found
(latest: FR 2025-19822, 7 Nov 2025). **Statutory reference tiers**: NATO+5 (AECA §36: NATO members, Japan,
Australia, South Korea, Israel, New Zealand), Major Non-NATO Allies (22 U.S.C. 2321k, with designation years,
incl. Colombia and Qatar 2022, Kenya 2024, Saudi Arabia 2025/26, Peru 2026), everyone else; the ranking page
compares the model's tiers with them.
"""
)
rules = data.query("eligibility_rules")
st.dataframe(
    rules[["partner", "status", "rule", "scope", "effective_from", "effective_to", "citation", "citation_url"]],
    hide_index=True,
    width="stretch",
    column_config={"citation_url": st.column_config.LinkColumn("Source", display_text="open")},
    key="methods_eligibility",
)

st.header("Criteria: measured and judged")
st.markdown(
    "Published data measure every criterion they can; analyst judgement is the labelled fallback. **Measured**: "
    "spending (SIPRI, NATO), trend, equipment share, distance to pledge, **frontline geography** (distance from the "
    "partner's territory to the nearest Russian, Belarusian, Chinese, North Korean or Iranian territory, from country "
    "outlines: 5 at a shared border, 0 at 2,000 km or more), US troops present (DMDC, sourced rotational figures), US "
    "arms purchases and import share (SIPRI TIV), Freedom House. **Judged** (0–5, each with a rationale and at least "
    "one cited page or dataset, editable on the partner page): role in US plans, basing and access, interoperability, "
    "investment in US production, end-use risk — and frontline geography if the sidebar asks for the judged version."
)
st.dataframe(
    pd.DataFrame(
        [
            {
                "criterion": c.name, "group": c.group, "direction": c.direction, "unit": c.unit,
                "transform": c.transform, "measured or judged": "judged" if c.judgement else "measured",
                "source": c.source, "meaning": c.description,
            }
            for c in CRITERIA
        ]
    ),
    hide_index=True,
    width="stretch",
)
st.markdown(
    """
**Coverage**: the share of the weight that rests on observed data. A partner below the minimum (sidebar, default
60 %) or with fewer than two observed weighted criteria is *insufficient data*: listed, not tiered, and queued at its
worst-case score (missing criteria counted at worst) whatever the missing-value rule. A tiered partner sits at most
one tier above the tier of its worst-case score, so imputation can lift a partner one tier, never two.
"""
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
    "of the two rankings is reported where it matters — the share of the weighted-sum top 10 and top 30 that TOPSIS "
    "keeps, and Kendall's τ-b within the top 30 — besides τ-b and Spearman's ρ over all partners. The ranking is "
    "called robust to the method only when TOPSIS keeps at least 80 % of the top 10 and τ within the top 30 is at "
    "least 0.8; otherwise the page says the top depends on the method (TOPSIS rewards profiles close to the best on "
    "every criterion; the weighted sum lets strength on one criterion offset weakness on another)."
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

**Queue**: on each production line, first-come-first-served orders by contract date (signature, else
notification; then order id); strict priority orders by score, then contract date.

**Delivery dates** (`scoring/allocation.py`, `scoring/delivery.py`). The schedule starts at the **as-of quarter**
(by default the order book's vintage: the quarter of its latest notification or signature; movable in the sidebar).
Each line's annual rate ramps linearly from its published figure to the announced target and year; the published US
share of a line's output is kept for US forces (elsewhere one default share, a labelled assumption). Capacity is
allocated **quarter by quarter**: what a line does not use in a quarter is lost, never banked for later orders.

- **Who competes**: signed and delivering orders. Notified, unsigned orders only when switched on, and then from their
  notification date plus a notification-to-signature lag (default 12 months, an assumption). Delivered and cancelled
  orders never compete. An order in delivery whose contract date is not published takes its line's oldest date.
- **Arrival**: an order receives nothing before its signature month plus its line's contract-to-first-delivery lead
  time — published for Patriot fire units (36 months), Stinger (30) and HIMARS (24); elsewhere a labelled default per
  kind of line (fighters 36, helicopters 30, air defence 30, missiles 24, munitions and artillery 12, armour 24,
  naval 48, drones 24). Orders already delivering compete from the as-of quarter.
- **Time fence**: production inside each line's fence (by default its lead time from the as-of quarter; settable, 0 =
  none) keeps its first-come-first-served slots under every policy — jets and tanks on the assembly line are not
  reshuffled; the policy re-sequences only what lies beyond.
- **Policies** beyond the fence: *strict priority* (by score); *tier shares* (each quarter's capacity split across
  tiers 1, 2, 3 and the rest by settable shares, FCFS within a tier, unused share flows down, then back to anyone still
  waiting); *score-weighted fair share* (capacity split by score among waiting orders, the rest FCFS). Every page
  compares the chosen policy with FCFS.
- **Holds**: a held order (gates) is *suspended* — it receives nothing while held, its value is at risk and its
  capacity goes to others — or *delayed* by a review period of N quarters. The FCFS baseline has no gates.
- **Investment for capacity**: funded output arrives after the line's expansion lead time (its lead time) from Q1 of
  the funding year; the funder may claim a settable share of it for its own orders on the line (unused claim returns to
  the pool); the funder's *investment in US production* score rises by one point per US$1 bn a year of funded output,
  **discounted 10 % a year** until the capacity produces (a modelling rule) — a 2040 pledge buys little priority today.
- **Delivery-date quote**: hypothetical orders (partner, line, units, signature date) are inserted into the book,
  marked hypothetical everywhere, kept in the link, and shown under FCFS and every policy with the orders they displace.

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
- **The order book is the public record, not the full FMS case list**: over 200 orders from DSCA notices, contracts and
  press reporting, each reviewed against its pages (verdict, corrections, the quote carrying the quantity, source
  class). Notified values are ceilings for whole packages; a value shared by several rows was split pro rata or left
  empty. Where no delivered count is published, every unit of an order in delivery is counted open (flagged).
- **Capacity figures** are published line rates with their quotes (Data page); some are compiler estimates (flagged).
  The US share of a line's output is published for a few lines; elsewhere one default share (sidebar) applies.
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
