"""The sidebar: preset, criterion weight sliders, method, gates and production settings.

Every widget is bound to a scenario field with ``state.bind`` (its value restored from the
canonical state, its changes remembered), so presets, links and page switches can set it. Fields
that declare their widget in ``state.STATE_FIELDS`` are drawn from that declaration
(:func:`field_input`); only the controls with dynamic options (as-of quarter, time fence,
investment line and partner, preset, reference) are written out here. The share of the total
weight each group carries is shown inside its expander.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from scoring.criteria import CRITERIA, GROUPS, PRESETS, PRESETS_BY_KEY
from ui import state

PRESET_LABELS: dict[str, str] = {**{p.key: p.name for p in PRESETS}, "custom": "Custom weights"}


def render_sidebar() -> None:
    """Draw every scenario control in the sidebar."""
    _settle_settings()
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
                    field_input(state.weight_key(criterion.key))
        for slug, label, draw in SETTINGS_GROUPS:
            _lazy_group(slug, label, draw)
    state.sync_url()


def _settle_settings() -> None:
    """Settings that depend on what exists now fall back on every whole-app run, whether or not
    their group is open (a link or a saved scenario may name a reference, a line or a partner that
    is gone): the reference to the session's start, the funded line and its funder to the first."""
    from ui import data, scenarios

    if state.value(scenarios.REF_KEY) not in scenarios.reference_options():
        state.set_value(scenarios.REF_KEY, "start")
    if state.value("invest_on"):
        state.settle_names(state.values(), data.known_partners(), data.known_lines())


OPEN_KEY = "sidebar_open_{}"  # an expander's open state, by group slug
OPEN_GROUPS_KEY = "_open_groups"  # the groups left open, kept across pages (a widget's state is not)


def _note_open(slug: str) -> None:
    opened: set[str] = st.session_state.setdefault(OPEN_GROUPS_KEY, set())
    if st.session_state.get(OPEN_KEY.format(slug)):
        opened.add(slug)
    else:
        opened.discard(slug)


@st.fragment
def _lazy_group(slug: str, label: str, draw: Callable[[], None]) -> None:
    """One settings group: an expander whose widgets are drawn only while it is open.

    The expander tracks its open state (an ``on_change`` callback), and as a fragment its opening
    or closing reruns only this group; the open state is remembered across runs and pages. A widget
    inside the group reruns the fragment too: its callback (bound with ``state.group_widgets``, or a
    button's ``_then_app``) asks for a whole-app rerun, which is started here before anything is
    drawn — so a message the callback left (a refused save) is shown by the whole-app run. In a
    whole-app run the request was already taken by ``state.take_app_rerun`` at the top of the
    frame, so this never loops."""
    if state.take_app_rerun():
        st.rerun(scope="app")
    key = OPEN_KEY.format(slug)
    # The open state is kept in the session, not only in the expander's widget state: Streamlit
    # gives the expander another identity in a fragment run than in a whole-app run (and on each
    # page), so its widget state alone would close the group at the next weight change.
    wanted = slug in st.session_state.get(OPEN_GROUPS_KEY, ())
    if st.session_state.get(state.REBIND_KEY, True) or st.session_state.get(key) != wanted:
        st.session_state[key] = wanted
    with st.expander(label, key=key, on_change=_note_open, args=(slug,)) as box:
        if box.open:
            with state.group_widgets():
                draw()


def _method_controls() -> None:
    for key in ("basis", "normalisation", "missing", "min_coverage", "frontline_source", "stale_years",
                "stale_rule", "basing_source", "tier_mode"):
        field_input(key)
    if state.value("tier_mode") == "threshold":
        field_input("tier_top_pts")
        field_input("tier_key_pts")
    else:
        field_input("tier_top_share")
        field_input("tier_key_share")


def _gate_controls() -> None:
    for toggle, amount in (("gate_hr", "gate_hr_floor"), ("gate_eu", "gate_eu_ceiling"), ("gate_tech", "gate_tech_min")):
        field_input(toggle)
        if state.value(toggle):
            field_input(amount)
    field_input("risk_veto")
    field_input("hold_restricted")


def _production_controls() -> None:
    field_input("domestic_share")
    vintage = data_vintage_label()
    options = [state.AS_OF_DATA] + [f"{y}-Q{q}" for y in range(2024, 2036) for q in range(1, 5)]
    st.selectbox(
        "As of (schedule starts)", options,
        format_func=lambda v: f"Data vintage ({vintage})" if v == state.AS_OF_DATA else v.replace("-", " "),
        **state.bind("as_of"),
        help="The quarter the schedule starts from: by default the order book's vintage (its latest "
        "notification or signature).",
    )


def _delivery_controls() -> None:
    field_input("policy")
    if state.value("policy") == "tier_share":
        for key in ("share_t1", "share_t2", "share_t3"):
            field_input(key)
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
    field_input("include_notified")
    if state.value("include_notified"):
        field_input("notify_lag")
    field_input("hold_mode")
    if state.value("hold_mode") == "delay":
        field_input("review_quarters")
    field_input("invest_on")
    if state.value("invest_on"):
        _investment_controls()


def field_input(key: str) -> Any:
    """The widget a field declares in ``state.STATE_FIELDS`` (label, range, step, options, help),
    bound to its canonical value: ranges and labels are written once, in the declaration."""
    field = state.FIELDS_BY_KEY[key]
    common = {"help": field.help, **state.bind(key)}
    if field.widget == "slider":
        kind = float if isinstance(field.default, float) else int
        return st.slider(field.label, kind(field.low), kind(field.high), step=kind(field.step), **common)
    if field.widget == "number":
        return st.number_input(field.label, int(field.low), int(field.high), step=int(field.step), **common)
    if field.widget == "radio" and field.options is not None:
        options = field.options
        return st.radio(field.label, list(options), format_func=options.__getitem__, horizontal=field.horizontal, **common)
    if field.widget == "toggle":
        return st.toggle(field.label, **common)
    raise ValueError(f"field {key!r} declares no widget")


def _scenario_controls() -> None:
    """The opened scenario's name, undo and reset, then the reference and saved scenarios (lazy)."""
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
    _lazy_group("scenarios", "Reference & saved scenarios", _reference_controls)


def _then_app(callback: Callable[..., Any]) -> Callable[..., None]:
    """A button callback inside a lazy group that changes the scenario, the reference or the saved
    list: every page shows them, so the whole app reruns after it."""
    def run(*args: Any) -> None:
        callback(*args)
        state.request_app_rerun()
    return run


def _reference_controls() -> None:
    """Reference choice, pin, save, and the saved-scenario list (names and notes escaped)."""
    from ui import scenarios
    from ui.widgets import plain

    options = scenarios.reference_options()
    st.selectbox("Compare every page with", list(options), format_func=options.__getitem__,
                 **state.bind(scenarios.REF_KEY),
                 help="Deltas on every page (metrics, rank and tier changes, order moves, regional shifts) are "
                 "against this reference; the 'What changed' paragraph compares with it and with FCFS.")
    st.button("Pin the current state as reference", key="scenario_pin", on_click=_then_app(scenarios.pin_current))
    with st.form("save_scenario", clear_on_submit=True, border=False):
        st.text_input("Name", max_chars=80, key="scenario_name")
        st.text_area("Notes", max_chars=2000, height=80, key="scenario_notes")
        st.form_submit_button("Save this scenario", on_click=_then_app(scenarios.save_from_form))
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
        b1.button("Open", key="scenario_open", width="stretch", on_click=_then_app(scenarios.open_saved), args=(chosen,))
        # Only the session that saved a scenario may change it; one opened from a link is read-only.
        b2.button("Delete", key="scenario_delete", width="stretch", on_click=_then_app(scenarios.delete_saved),
                  args=(chosen.scenario_id,), disabled=not mine)
        st.text_input("Rename to", max_chars=80, key="scenario_rename", disabled=not mine)
        st.button("Rename", key="scenario_rename_go", on_click=_then_app(scenarios.rename_saved), args=(chosen.scenario_id,),
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
    st.selectbox("Line", line_ids, format_func=names.__getitem__, **state.bind("invest_line"))
    st.selectbox("Funded by", codes, format_func=partner_names.__getitem__, **state.bind("invest_partner"))
    for key in ("invest_units", "invest_year", "invest_claim"):
        field_input(key)


SETTINGS_GROUPS: tuple[tuple[str, str, Callable[[], None]], ...] = (
    ("method", "Method", _method_controls),
    ("gates", "Gates", _gate_controls),
    ("production", "Production", _production_controls),
    ("rules", "Delivery rules", _delivery_controls),
)
LAZY_GROUPS: tuple[str, ...] = ("scenarios", *(slug for slug, _, _ in SETTINGS_GROUPS))
