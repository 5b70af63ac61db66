"""The sidebar: preset, criterion weight sliders, method, gates and production settings.

Every widget is bound to a scenario field with ``state.bind`` (its value restored from the
canonical state, its changes remembered), so presets, links and page switches can set it. The
share of the total weight each group carries is shown inside its expander.
"""

from __future__ import annotations

import streamlit as st

from scoring.criteria import BASING_SOURCES, CRITERIA, FRONTLINE_SOURCES, GROUPS, STALE_RULES, PRESETS, PRESETS_BY_KEY
from scoring.delivery import HOLD_MODES, POLICIES
from scoring.engine import MISSING_RULES, NORMALISATIONS
from scoring.features import BASIS_LABELS
from ui import state

PRESET_LABELS: dict[str, str] = {**{p.key: p.name for p in PRESETS}, "custom": "Custom weights"}


def render_sidebar() -> None:
    """Draw every scenario control in the sidebar."""
    with st.sidebar:
        _scenario_controls()
        st.selectbox(
            "Weight preset",
            options=list(PRESET_LABELS),
            format_func=PRESET_LABELS.__getitem__,
            **state.bind("preset"),
            help="A named weight set; moving any slider switches to custom weights.",
        )
        preset = PRESETS_BY_KEY.get(state.value("preset"))
        # Fixed element positions: conditional content goes inside containers, so a preset change
        # does not shift (and re-mount) every widget below it.
        st.caption(preset.rationale if preset is not None else "Your own weights: moved from a preset by hand or set by a link.")
        weights = state.current_weights()
        total = sum(weights.values())
        with st.container():
            if total <= 0:
                st.info("All weights are zero: no partner weighting — the queue is first-come-first-served.")
        st.markdown("**Criterion weights** (relative; shown as share of the total)")
        for group in GROUPS:
            members = [c for c in CRITERIA if c.group == group]
            group_share = sum(weights[c.key] for c in members) / total if total > 0 else 0.0
            # A static label keeps the expander (and whether it is open) stable while sliders move.
            with st.expander(group, expanded=group == GROUPS[0]):
                st.caption(f"{group_share:.0%} of the total weight")
                for criterion in members:
                    label = criterion.name + (" (judgement)" if criterion.judgement else "")
                    st.slider(
                        label,
                        min_value=0,
                        max_value=state.WEIGHT_MAX,
                        step=1,
                        **state.bind(state.weight_key(criterion.key)),
                        help=f"{criterion.description} Source: {criterion.source}. "
                        f"{'Higher is better' if criterion.direction == 'benefit' else 'Higher is worse (cost)'}.",
                    )
        with st.expander("Method"):
            st.radio("Spending basis", list(BASIS_LABELS), format_func=BASIS_LABELS.__getitem__, **state.bind("basis"))
            st.radio("Normalisation", list(NORMALISATIONS), format_func=NORMALISATIONS.__getitem__, **state.bind("normalisation"))
            st.radio("Missing values", list(MISSING_RULES), format_func=MISSING_RULES.__getitem__, **state.bind("missing"))
            st.slider(
                "Minimum coverage to be tiered (% of the weight observed)",
                0,
                100,
                step=5,
                **state.bind("min_coverage"),
                help="A partner whose observed data carry less of the weight than this (or who has fewer than two "
                "observed weighted criteria) is listed as 'insufficient data', not tiered, and queued at its "
                "worst-case score.",
            )
            st.radio(
                "Frontline geography from",
                list(FRONTLINE_SOURCES),
                format_func=FRONTLINE_SOURCES.__getitem__,
                **state.bind("frontline_source"),
                help="Measured: distance from the partner's territory to the nearest Russian, Belarusian, Chinese, "
                "North Korean or Iranian territory. Judged: the analyst's score of the contested front.",
            )
            st.slider(
                "A figure is stale after (years)",
                1,
                30,
                **state.bind("stale_years"),
                help="Counted back from the schedule's start year. Stale figures are flagged in the ranking (e.g. the "
                "UAE's latest published spending share is from 2014).",
            )
            st.radio("Stale figures", list(STALE_RULES), format_func=STALE_RULES.__getitem__, **state.bind("stale_rule"))
            st.radio(
                "Basing and access from",
                list(BASING_SOURCES),
                format_func=BASING_SOURCES.__getitem__,
                **state.bind("basing_source"),
                help="Judged: the analyst's score of basing and access agreements (DCA/EDCA, rotations). Measured: the "
                "number of US sites on D. Vine's list (~2018; older than five years, so flagged stale).",
            )
            st.radio(
                "Tiers by",
                ["threshold", "quantile"],
                format_func={"threshold": "Score thresholds", "quantile": "Shares of partners"}.__getitem__,
                **state.bind("tier_mode"),
                horizontal=True,
            )
            if state.value("tier_mode") == "threshold":
                st.slider("Tier 1 from (points)", 0.0, 100.0, step=1.0, **state.bind("tier_top_pts"))
                st.slider("Tier 2 from (points)", 0.0, 100.0, step=1.0, **state.bind("tier_key_pts"))
            else:
                st.slider("Tier 1: top share of partners (%)", 1, 100, **state.bind("tier_top_share"))
                st.slider("Tiers 1–2: top share of partners (%)", 1, 100, **state.bind("tier_key_share"))
        with st.expander("Gates"):
            st.toggle("Human-rights floor", **state.bind("gate_hr"), help="Hold partners below a Freedom House total.")
            if state.value("gate_hr"):
                st.slider("Freedom House total at least", 0, 100, **state.bind("gate_hr_floor"))
            st.toggle("End-use risk ceiling", **state.bind("gate_eu"), help="Hold partners above an end-use risk score (judgement).")
            if state.value("gate_eu"):
                st.slider("End-use risk at most (0–5)", 0.0, 5.0, step=0.5, **state.bind("gate_eu_ceiling"))
            st.toggle(
                "Sensitive-technology rule",
                **state.bind("gate_tech"),
                help="High-sensitivity platforms only to NATO allies and MNNAs with at least this score.",
            )
            if state.value("gate_tech"):
                st.slider("Minimum priority score", 0, 100, **state.bind("gate_tech_min"))
            st.toggle(
                "Risk veto (worst band holds)",
                **state.bind("risk_veto"),
                help="Instead of weighing risk against the other criteria, hold any partner in the worst band of a "
                "risk component: Freedom House 'Not Free', or end-use risk ≥ 4 of 5 (the Cato Institute Arms Sales "
                "Risk Index proposal).",
            )
            st.toggle(
                "Hold restricted partners",
                **state.bind("hold_restricted"),
                help="Hold partners US law allows only case by case (22 CFR 126.1(d)(2), partial UN embargoes). "
                "Denied partners (126.1(d)(1), Russia, State Sponsors of Terrorism) are never scored or queued.",
            )
        with st.expander("Production"):
            st.slider(
                "US domestic demand, % of capacity (default)",
                0,
                95,
                step=5,
                **state.bind("domestic_share"),
                help="Share of a line's output committed to US forces where no share is published (a labelled "
                "assumption); lines with a published US share use it (see the Data page).",
            )
            vintage = data_vintage_label()
            options = [state.AS_OF_DATA] + [f"{y}-Q{q}" for y in range(2024, 2036) for q in range(1, 5)]
            st.selectbox(
                "As of (schedule starts)", options,
                format_func=lambda v: f"Data vintage ({vintage})" if v == state.AS_OF_DATA else v.replace("-", " "),
                **state.bind("as_of"),
                help="The quarter the schedule starts from: by default the order book's vintage (its latest "
                "notification or signature).",
            )
        with st.expander("Delivery rules"):
            st.radio("Allocation policy", list(POLICIES), format_func=POLICIES.__getitem__, **state.bind("policy"),
                     help="Strict priority: by score. Tier shares: each quarter's capacity split across tiers, FCFS "
                     "within a tier, unused share flows down. Fair share: capacity split by score among waiting orders.")
            if state.value("policy") == "tier_share":
                st.slider("Tier 1 share of capacity (%)", 0, 100, step=5, **state.bind("share_t1"))
                st.slider("Tier 2 share (%)", 0, 100, step=5, **state.bind("share_t2"))
                st.slider("Tier 3 share (%)", 0, 100, step=5, **state.bind("share_t3"))
                rest = 100 - state.value("share_t1") - state.value("share_t2") - state.value("share_t3")
                st.caption(
                    f"The rest ({max(rest, 0)}%) goes to partners not tiered and to backlog blocks; unused capacity "
                    "flows down, then to anyone still waiting." if rest >= 0 else
                    "The shares add up to more than 100%: they are scaled down in proportion."
                )
            st.selectbox(
                "Time fence", ["lead"] + [str(q) for q in range(0, 21)],
                format_func=lambda v: "Each line's lead time" if v == "lead" else ("None (0)" if v == "0" else f"{v} quarters"),
                **state.bind("fence"),
                help="Production inside the fence is committed: already-scheduled units keep their first-come-first-"
                "served slots under every policy; the policy re-sequences only what lies beyond.",
            )
            st.toggle("Include notified (unsigned) orders", **state.bind("include_notified"),
                      help="Off: only signed and delivering orders compete. On: notified orders enter at their "
                      "notification date plus the lag below.")
            if state.value("include_notified"):
                st.slider("Notification-to-signature lag (months, assumption)", 0, 60, **state.bind("notify_lag"))
            st.radio("A held order is", list(HOLD_MODES), format_func=HOLD_MODES.__getitem__, **state.bind("hold_mode"))
            if state.value("hold_mode") == "delay":
                st.slider("Review period (quarters)", 0, 40, **state.bind("review_quarters"))
            st.toggle("Partner funds extra capacity", **state.bind("invest_on"), help="Investment for capacity, e.g. a Gulf partner funding THAAD output.")
            if state.value("invest_on"):
                _investment_controls()
    state.sync_url()


def _scenario_controls() -> None:
    """Reference scenario, undo/reset, save and open saved scenarios (names and notes escaped)."""
    from ui import scenarios
    from ui.widgets import plain

    loaded = st.session_state.get("_loaded_scenario")
    if loaded:
        st.caption(f"Opened saved scenario **{plain(loaded['name'], 80)}** (`{loaded['id']}`).")
    c1, c2 = st.columns(2)
    # Callbacks (run before the script) so the restored values reach every widget in the same run.
    c1.button("Undo", icon=":material/undo:", width="stretch", key="scenario_undo", on_click=state.undo,
              disabled=len(st.session_state.get(state.HISTORY_KEY, [])) < 2,
              help="Step back to the previous state of this session")
    c2.button("Reset", icon=":material/restart_alt:", width="stretch", key="scenario_reset", on_click=state.reset,
              help="Back to the state this session started from")
    with st.expander("Reference & saved scenarios"):
        options = scenarios.reference_options()
        if state.value(scenarios.REF_KEY) not in options:
            state.set_value(scenarios.REF_KEY, "start")
        st.selectbox("Compare every page with", list(options), format_func=options.__getitem__,
                     **state.bind(scenarios.REF_KEY),
                     help="Deltas on every page (metrics, rank and tier changes, order moves, regional shifts) are "
                     "against this reference; the 'What changed' paragraph compares with it and with FCFS.")
        st.button("Pin the current state as reference", key="scenario_pin", on_click=scenarios.pin_current)
        with st.form("save_scenario", clear_on_submit=True, border=False):
            st.text_input("Name", max_chars=80, key="scenario_name")
            st.text_area("Notes", max_chars=2000, height=80, key="scenario_notes")
            st.form_submit_button("Save this scenario", on_click=scenarios.save_from_form)
        problem = st.session_state.pop("_save_problem", None)
        if problem:
            st.error(plain(problem, 300))
        just = st.session_state.get("_just_saved")
        if just:
            st.success(f"Saved. Short link: `?scn={just}`")
        saved_list = scenarios.saved_list()
        if saved_list:
            labels = {s.scenario_id: f"{s.name[:50]} · {s.updated_at:%Y-%m-%d}" for s in saved_list}
            pick = st.selectbox("Saved scenarios", list(labels), format_func=labels.__getitem__, key="scenario_pick")
            chosen = next(s for s in saved_list if s.scenario_id == pick)
            if chosen.notes:
                st.caption(plain(chosen.notes, 400))
            st.caption(f"Short link: `?scn={chosen.scenario_id}` · data: {plain(chosen.vintage, 60)}")
            mine = scenarios.owns(chosen.scenario_id)
            b1, b2 = st.columns(2)
            b1.button("Open", key="scenario_open", width="stretch", on_click=scenarios.open_saved, args=(chosen,))
            # Only the session that saved a scenario may change it; one opened from a link is read-only.
            b2.button("Delete", key="scenario_delete", width="stretch", on_click=scenarios.delete_saved,
                      args=(chosen.scenario_id,), disabled=not mine)
            st.text_input("Rename to", max_chars=80, key="scenario_rename", disabled=not mine)
            st.button("Rename", key="scenario_rename_go", on_click=scenarios.rename_saved, args=(chosen.scenario_id,),
                      disabled=not mine)
            if not mine:
                st.caption("Opened from its link: read-only here — save a copy to change it.")
        else:
            st.caption("Scenarios you save, or open from a link, are listed here; other visitors' are not.")


def data_vintage_label() -> str:
    from ui import data

    year, quarter = data.vintage_quarter()
    return f"{year} Q{quarter}"


def _investment_controls() -> None:
    from ui import data

    lines = data.query("production_lines")
    partners = data.query("partners_table")
    line_ids = lines["line_id"].tolist()
    names = dict(zip(lines["line_id"], lines["platform"], strict=True))
    codes = partners["iso3"].tolist()
    partner_names = dict(zip(partners["iso3"], partners["name"], strict=True))
    if state.value("invest_line") not in names:
        state.set_value("invest_line", line_ids[0])
    if state.value("invest_partner") not in partner_names:
        state.set_value("invest_partner", codes[0])
    st.selectbox("Line", line_ids, format_func=names.__getitem__, **state.bind("invest_line"))
    st.selectbox("Funded by", codes, format_func=partner_names.__getitem__, **state.bind("invest_partner"))
    st.number_input("Extra units per year", 1, 5000, **state.bind("invest_units"))
    st.slider("Funding from (year)", 2026, 2040, **state.bind("invest_year"),
              help="The capacity produces after the line's expansion lead time; the score credit is discounted "
              "10 % a year until then.")
    st.slider("Funder's claim on the funded output (%)", 0, 100, step=5, **state.bind("invest_claim"),
              help="Share of the funded output reserved for the funder's own orders on the line; the rest (and "
              "anything the funder does not need) joins the shared pool.")
