"""The sidebar: preset, criterion weight sliders, method, gates and production settings.

Widgets are bound to session-state keys from ``ui.state`` (no ``value=`` arguments, so the URL and
presets can set them); the effective normalised weight of each criterion is shown under its group.
"""

from __future__ import annotations

import streamlit as st

from scoring.criteria import CRITERIA, GROUPS, PRESETS, PRESETS_BY_KEY
from scoring.engine import MISSING_RULES, NORMALISATIONS
from scoring.features import BASIS_LABELS
from ui import state

PRESET_LABELS: dict[str, str] = {**{p.key: p.name for p in PRESETS}, "custom": "Custom weights"}


def render_sidebar() -> None:
    """Draw every scenario control in the sidebar."""
    with st.sidebar:
        st.selectbox(
            "Weight preset",
            options=list(PRESET_LABELS),
            format_func=PRESET_LABELS.__getitem__,
            key="preset",
            on_change=state.apply_preset,
            help="A named weight set; moving any slider switches to custom weights.",
        )
        preset = PRESETS_BY_KEY.get(st.session_state["preset"])
        if preset is not None:
            st.caption(preset.rationale)
        weights = state.current_weights()
        total = sum(weights.values())
        if total <= 0:
            st.info("All weights are zero: no partner weighting — the queue is first-come-first-served.")
        st.markdown("**Criterion weights** (relative; shown as share of the total)")
        for group in GROUPS:
            members = [c for c in CRITERIA if c.group == group]
            group_share = sum(weights[c.key] for c in members) / total if total > 0 else 0.0
            with st.expander(f"{group} · {group_share:.0%}", expanded=group == GROUPS[0]):
                for criterion in members:
                    label = criterion.name + (" (judgement)" if criterion.judgement else "")
                    st.slider(
                        label,
                        min_value=0,
                        max_value=state.WEIGHT_MAX,
                        step=1,
                        key=state.weight_key(criterion.key),
                        on_change=state.mark_custom,
                        help=f"{criterion.description} Source: {criterion.source}. "
                        f"{'Higher is better' if criterion.direction == 'benefit' else 'Higher is worse (cost)'}.",
                    )
        with st.expander("Method"):
            st.radio("Spending basis", list(BASIS_LABELS), format_func=BASIS_LABELS.__getitem__, key="basis")
            st.radio("Normalisation", list(NORMALISATIONS), format_func=NORMALISATIONS.__getitem__, key="normalisation")
            st.radio("Missing values", list(MISSING_RULES), format_func=MISSING_RULES.__getitem__, key="missing")
            st.radio(
                "Tiers by",
                ["threshold", "quantile"],
                format_func={"threshold": "Score thresholds", "quantile": "Shares of partners"}.__getitem__,
                key="tier_mode",
                horizontal=True,
            )
            if st.session_state["tier_mode"] == "threshold":
                st.slider("Tier 1 from (points)", 0.0, 100.0, step=1.0, key="tier_top_pts")
                st.slider("Tier 2 from (points)", 0.0, 100.0, step=1.0, key="tier_key_pts")
            else:
                st.slider("Tier 1: top share of partners (%)", 1, 100, key="tier_top_share")
                st.slider("Tiers 1–2: top share of partners (%)", 1, 100, key="tier_key_share")
        with st.expander("Gates"):
            st.toggle("Human-rights floor", key="gate_hr", help="Hold partners below a Freedom House total.")
            if st.session_state["gate_hr"]:
                st.slider("Freedom House total at least", 0, 100, key="gate_hr_floor")
            st.toggle("End-use risk ceiling", key="gate_eu", help="Hold partners above an end-use risk score (judgement).")
            if st.session_state["gate_eu"]:
                st.slider("End-use risk at most (0–5)", 0.0, 5.0, step=0.5, key="gate_eu_ceiling")
            st.toggle(
                "Sensitive-technology rule",
                key="gate_tech",
                help="High-sensitivity platforms only to NATO allies and MNNAs with at least this score.",
            )
            if st.session_state["gate_tech"]:
                st.slider("Minimum priority score", 0, 100, key="gate_tech_min")
        with st.expander("Production"):
            st.slider(
                "US domestic demand, % of capacity",
                0,
                95,
                step=5,
                key="domestic_share",
                help="Share of every line's output already committed to US forces (assumption, same for all lines).",
            )
            st.slider("Schedule starts (Q1 of)", 2025, 2035, key="start_year")
            st.toggle("Partner funds extra capacity", key="invest_on", help="Investment for capacity, e.g. a Gulf partner funding THAAD output.")
            if st.session_state["invest_on"]:
                _investment_controls()
    state.sync_url()


def _investment_controls() -> None:
    from ui import data

    lines = data.query("production_lines")
    partners = data.query("partners_table")
    line_ids = lines["line_id"].tolist()
    names = dict(zip(lines["line_id"], lines["platform"], strict=True))
    codes = partners["iso3"].tolist()
    partner_names = dict(zip(partners["iso3"], partners["name"], strict=True))
    if st.session_state["invest_line"] not in names:
        st.session_state["invest_line"] = line_ids[0]
    if st.session_state["invest_partner"] not in partner_names:
        st.session_state["invest_partner"] = codes[0]
    st.selectbox("Line", line_ids, format_func=names.__getitem__, key="invest_line")
    st.selectbox("Funded by", codes, format_func=partner_names.__getitem__, key="invest_partner")
    st.number_input("Extra units per year", 1, 5000, key="invest_units")
    st.slider("From year", 2026, 2040, key="invest_year")
