"""Saved scenarios, the reference scenario and undo, for the pages: thin wrappers around
``data.scenarios`` (storage) and ``ui.state`` (values ↔ link parameters). No analytics here."""

from __future__ import annotations

from typing import Any

import streamlit as st

from data.scenarios import SavedScenario, ScenarioError, ScenarioStore, open_store, valid_id
from scoring.criteria import PRESETS, PRESETS_BY_KEY
from scoring.pipeline import Scenario
from ui import state

REF_KEY = "ref"
PINNED_KEY = "_pinned_params"


@st.cache_resource(show_spinner=False)
def store() -> ScenarioStore:
    """The configured scenario store (PostgreSQL for replicas, else the embedded DuckDB file)."""
    return open_store()


def load(scenario_id: str) -> tuple[SavedScenario | None, str]:
    """(the saved scenario, '') or (None, why not) — never an exception."""
    if not valid_id(str(scenario_id)):
        return None, "The scenario link is not valid (scn must be an 8-character id); the default view is shown."
    try:
        return store().get(scenario_id), ""
    except ScenarioError as exc:
        return None, f"{exc} The default view is shown."


OWN_KEY, SEEN_KEY = "_own_scenarios", "_seen_scenarios"
MAX_LISTED = 50


@st.cache_data(show_spinner=False, ttl=15, max_entries=1)
def _all_saved() -> list[SavedScenario]:
    """Every saved scenario (re-read at most every 15 s, and at once after this server writes
    one): the sidebar draws the list on every rerun, and opening the store each time cost ~50 ms.
    Never shown as such — see :func:`saved_list`."""
    try:
        return store().list()
    except ScenarioError:
        return []


def note_scenario(scenario_id: str, own: bool) -> None:
    """Remember a scenario in this session: saved here (``own``: may be renamed and deleted here)
    or opened from its link (read-only here)."""
    for key in (OWN_KEY, SEEN_KEY) if own else (SEEN_KEY,):
        ids: list[str] = st.session_state.setdefault(key, [])
        if scenario_id not in ids:
            ids.insert(0, scenario_id)
            del ids[MAX_LISTED:]


def owns(scenario_id: str) -> bool:
    return scenario_id in st.session_state.get(OWN_KEY, [])


def saved_list() -> list[SavedScenario]:
    """The saved scenarios this session knows: those it saved and those it opened from a link.

    A hosted dashboard is shared by strangers: nobody sees, opens, renames or deletes another
    visitor's scenarios unless they were given its link (an 8-character id out of 32^8)."""
    known = set(st.session_state.get(SEEN_KEY, []))
    if not known:
        return []
    listed = [s for s in _all_saved() if s.scenario_id in known]
    missing = known - {s.scenario_id for s in listed}
    for scenario_id in sorted(missing):  # saved on another replica less than 15 s ago
        saved, _ = load(scenario_id)
        if saved is not None:
            listed.append(saved)
    return sorted(listed, key=lambda s: (s.updated_at, s.scenario_id), reverse=True)


def save_current(name: str, notes: str) -> SavedScenario:
    from ui import data

    year, quarter = data.vintage_quarter()
    return store().save(name, notes, state.params_of(state.values()), vintage=f"order book {year} Q{quarter}")


# --------------------------------------------------------------------------------------------
# The reference scenario
# --------------------------------------------------------------------------------------------

def reference_options() -> dict[str, str]:
    """Reference choices: the session's starting state, any preset, FCFS, a pinned state, saved ones."""
    options = {"start": "Where this session started", "pinned": "The state I pinned"}
    options |= {f"preset:{p.key}": f"Preset: {p.name}" for p in PRESETS}
    options |= {f"saved:{s.scenario_id}": f"Saved: {s.name[:40]}" for s in saved_list()}
    return options


def reference_params(choice: str) -> dict[str, str] | None:
    """Link parameters of the chosen reference (None if it no longer exists)."""
    if choice == "start":
        return st.session_state.get(state.START_KEY, {})
    if choice == "pinned":
        return st.session_state.get(PINNED_KEY) or st.session_state.get(state.START_KEY, {})
    if choice.startswith("preset:"):
        key = choice.split(":", 1)[1]
        preset = PRESETS_BY_KEY.get(key)
        if preset is None:
            return None
        current = state.params_of(state.values())
        ui_only = {k: v for k, v in current.items() if not k.startswith("w_") and k != "preset"}
        return ui_only | {"preset": key} | {
            state.weight_key(c): str(int(round(w))) for c, w in preset.weights.items()
        }
    if choice.startswith("saved:"):
        saved, _ = load(choice.split(":", 1)[1])
        return None if saved is None else saved.params
    return None


def reference_scenario() -> tuple[Scenario, str]:
    """The reference scenario and its label (the session start if the choice vanished)."""
    choice = str(state.value(REF_KEY))
    options = reference_options()
    params = reference_params(choice)
    if params is None:
        choice, params = "start", st.session_state.get(state.START_KEY, {})
    parsed, _ = state.parse_params(params)
    if parsed["invest_on"]:  # a saved reference may fund a line or name a funder a store rebuild removed
        from ui import data

        state.settle_names(parsed, data.known_partners(), data.known_lines())
    return state.scenario_of(parsed), options.get(choice, choice)


def pin_current() -> None:
    st.session_state[PINNED_KEY] = state.params_of(state.values())
    state.set_value(REF_KEY, "pinned")


def values_of(params: dict[str, str]) -> dict[str, Any]:
    return state.parse_params(params)[0]


def open_saved(saved: SavedScenario) -> None:
    """Make a saved scenario the session's state (a button callback)."""
    state.apply_params(saved.params)
    st.session_state["_loaded_scenario"] = {"id": saved.scenario_id, "name": saved.name}


def save_from_form() -> None:
    """Save the current state under the form's name and notes (a form-submit callback)."""
    try:
        saved = save_current(st.session_state.get("scenario_name", ""), st.session_state.get("scenario_notes", ""))
    except ScenarioError as exc:
        st.session_state["_save_problem"] = str(exc)
        st.session_state.pop("_just_saved", None)  # never show an earlier save's link as if this one worked
    else:
        st.session_state["_just_saved"] = saved.scenario_id
        note_scenario(saved.scenario_id, own=True)
        _all_saved.clear()


def delete_saved(scenario_id: str) -> None:
    if not owns(scenario_id):
        st.session_state["_save_problem"] = "Only the session that saved a scenario can delete it."
        return
    try:
        store().delete(scenario_id)
    except ScenarioError as exc:
        st.session_state["_save_problem"] = str(exc)
    for key in (OWN_KEY, SEEN_KEY):
        ids = st.session_state.get(key, [])
        if scenario_id in ids:
            ids.remove(scenario_id)
    _all_saved.clear()


def rename_saved(scenario_id: str) -> None:
    if not owns(scenario_id):
        st.session_state["_save_problem"] = "Only the session that saved a scenario can rename it; save a copy instead."
        return
    try:
        store().rename(scenario_id, st.session_state.get("scenario_rename", ""))
    except ScenarioError as exc:
        st.session_state["_save_problem"] = str(exc)
    _all_saved.clear()
