"""The analyst's scenario: session-state keys, defaults, presets, and the shareable URL.

Every choice that changes a result is a field of ``STATE_FIELDS``. A field that sets one scenario
setting names it (``target``, a field of one of ``scoring.scenario.Scenario``'s parts) and takes
its default from the model, so a new simple setting is the part's field plus one declaration here:
the sidebar widget, the URL parameter, the saved scenario, the exports and ``scenario_of`` follow. Its value lives in one
canonical dict in the session (``VALUES_KEY``), not in the widget's own key: Streamlit drops a
widget's state when the widget is not drawn (a page switch, a hidden control), and canonical values
survive that. Before a widget is drawn, :func:`bind` copies the canonical value into the widget key
and registers a callback that copies the user's change back.

The fields are mirrored into ``st.query_params`` so a copied link reopens the same view. Values
read from a URL are validated; anything invalid or tampered with falls back to its default and
the app shows a notice naming the parameter.
"""

from __future__ import annotations

import datetime as dt

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import streamlit as st

from scoring.criteria import BASING_SOURCES, CRITERIA, DEFAULT_PRESET, FRONTLINE_SOURCES, STALE_RULES, JUDGED_COLUMNS, PRESETS_BY_KEY
from scoring.engine import MISSING_RULES, NORMALISATIONS
from scoring.features import BASIS_LABELS
from scoring.delivery import HOLD_MODES, POLICIES
from scoring.scenario import PART_OF, Investment, Scenario
from scoring.tiers import DEFAULT_TIER_RULES

WEIGHT_MAX = 20
NOTICE_KEY = "_url_notice"
VALUES_KEY = "_scenario_values"
OVERRIDES_KEY = "edits"  # {(iso3, criterion): score}: judgement scores edited on the partner page


def weight_key(criterion_key: str) -> str:
    """Session-state key of a criterion's weight slider."""
    return f"w_{criterion_key}"


@dataclass(frozen=True)
class Field:
    """One piece of shareable state, declared once: its key (also its URL name and widget key), its
    default, how a URL string is parsed, and — for fields the sidebar draws from the declaration
    (:func:`ui.sidebar.field_input`) — the widget, label, range, step, options and help. A field
    with ``widget=None`` is drawn by hand (dynamic options) or is set outside a widget."""

    key: str
    default: Any
    parse: Callable[[str], Any]
    label: str = ""
    widget: str | None = None  # 'slider', 'radio', 'toggle' or None
    low: float | None = None
    high: float | None = None
    step: float | None = None
    options: Mapping[str, str] | None = None  # value -> label, for radios
    help: str | None = None
    horizontal: bool = False
    # The scenario setting this field sets (a field name of one of the scenario's parts, see
    # scoring.scenario.Scenario.changed) and the factor from the widget's unit to the setting's
    # (0.01: a percentage slider sets a share). Its default then comes from the part's own default,
    # so the model's default is declared once. None: the field feeds a setting through a rule of
    # ``scenario_of`` (gates switched on and off, tier cut-offs by mode, the as-of quarter, ...).
    target: str | None = None
    scale: float = 1.0

    def to_url(self, value: Any) -> str:
        if isinstance(value, dict):
            return ",".join(f"{iso3}:{criterion}:{score:g}" for (iso3, criterion), score in sorted(value.items()))
        if isinstance(value, tuple):  # hypothetical orders
            return ",".join(f"{iso3}:{line}:{units:g}:{date}" for iso3, line, units, date in value)
        if isinstance(value, bool):
            return "1" if value else "0"
        if isinstance(value, float):
            return f"{value:g}"
        return str(value)


_SCENARIO_DEFAULTS = Scenario(())


def model_default(target: str, scale: float = 1.0) -> Any:
    """The default of scenario setting ``target`` (in the widget's unit: divided by ``scale``)."""
    part = getattr(_SCENARIO_DEFAULTS, PART_OF[target])
    value = getattr(part, target)
    return value if scale == 1.0 else value / scale


def int_field(key: str, default: int | None, low: int, high: int, label: str = "", *, step: int = 1,
              help: str | None = None, widget: str = "slider", target: str | None = None,  # noqa: A002 - Streamlit's own keyword
              scale: float = 1.0) -> Field:
    """A whole number in ``low..high``; drawn as a slider (or ``widget="number"``) when it has a label.
    With a ``target`` the default is the scenario's own (``default`` None)."""
    if default is None:
        default = int(round(model_default(_required(target, key), scale)))
    return Field(key, default, _int_in(low, high), label, widget if label else None, low, high, step, help=help,
                 target=target, scale=scale)


def float_field(key: str, default: float, low: float, high: float, label: str = "", *, step: float = 1.0,
                help: str | None = None) -> Field:  # noqa: A002
    """A number in ``low..high``; drawn as a slider when it has a label."""
    return Field(key, default, _float_in(low, high), label, "slider" if label else None, float(low), float(high),
                 float(step), help=help)


def choice_field(key: str, options: Mapping[str, str], label: str = "", *, help: str | None = None,  # noqa: A002
                 horizontal: bool = False, target: str | None = None, default: str | None = None) -> Field:
    """One of ``options`` (value -> label); drawn as a radio when it has a label. The default is the
    scenario's own when the field has a ``target``."""
    if default is None:
        default = str(model_default(_required(target, key)))
    return Field(key, default, _choice(options), label, "radio" if label else None, options=options, help=help,
                 horizontal=horizontal, target=target)


def flag_field(key: str, label: str = "", *, help: str | None = None, target: str | None = None) -> Field:  # noqa: A002
    """On/off (``1``/``0`` in a link); drawn as a toggle when it has a label. Off by default, or the
    scenario's own default when the field has a ``target``."""
    default = bool(model_default(target)) if target else False
    return Field(key, default, _flag, label, "toggle" if label else None, help=help, target=target)


def _required(target: str | None, key: str) -> str:
    if target is None:
        raise TypeError(f"Field {key!r} needs a default or a target")
    return target


def _int_in(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        value = int(text)
        if not low <= value <= high:
            raise ValueError(f"{value} outside {low}..{high}")
        return value

    return parse


def _float_in(low: float, high: float) -> Callable[[str], float]:
    def parse(text: str) -> float:
        value = float(text)
        if not low <= value <= high:
            raise ValueError(f"{value} outside {low}..{high}")
        return value

    return parse


def _choice(options: Mapping[str, Any] | tuple[str, ...]) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if text not in options:
            raise ValueError(f"{text!r} not one of {sorted(options)}")
        return text

    return parse


def _flag(text: str) -> bool:
    if text not in ("0", "1"):
        raise ValueError(f"{text!r} is not 0 or 1")
    return text == "1"


AS_OF_DATA = "data"


def _as_of(text: str) -> str:
    """'data' (the order book's vintage) or a quarter 'YYYY-Qn' between 2024 and 2035."""
    if text == AS_OF_DATA:
        return text
    year, sep, quarter = text.partition("-Q")
    if not (sep and year.isdigit() and quarter.isdigit() and 2024 <= int(year) <= 2035 and 1 <= int(quarter) <= 4):
        raise ValueError(f"{text[:20]!r} is not 'data' or a quarter such as 2026-Q3")
    return f"{int(year)}-Q{int(quarter)}"


def _fence(text: str) -> str:
    """'lead' (each line's lead time) or a number of quarters 0..40."""
    if text == "lead":
        return text
    value = int(text)
    if not 0 <= value <= 40:
        raise ValueError(f"{value} outside 0..40")
    return str(value)


def _reference(text: str) -> str:
    """'start', 'pinned', 'preset:<key>' or 'saved:<8-character id>'."""
    if text in ("start", "pinned"):
        return text
    kind, _, rest = text.partition(":")
    if kind == "preset" and rest in PRESETS_BY_KEY:
        return text
    if kind == "saved" and len(rest) == 8 and rest.isalnum() and rest.islower():
        return text
    raise ValueError("not a reference (start, pinned, preset:<key>, saved:<id>)")


MAX_HYPOTHETICAL = 10
HYPO_KEY = "hypo"


def _hypothetical(text: str) -> tuple[tuple[str, str, float, str], ...]:
    """Hypothetical orders from 'MAR:javelin:200:2026-10-01,GEO:javelin:50:2027-01-01'."""
    out = []
    for item in filter(None, text.split(",")):
        parts = item.split(":")
        if len(parts) != 4:
            raise ValueError(f"{item[:40]!r} is not ISO3:line:units:YYYY-MM-DD")
        iso3, line_id, units_text, date_text = parts
        if not (len(iso3) == 3 and iso3.isalpha() and iso3.isupper()):
            raise ValueError(f"{iso3[:10]!r} is not an ISO3 code")
        if not (0 < len(line_id) <= 20 and line_id.replace("_", "").isalnum()):
            raise ValueError(f"{line_id[:20]!r} is not a line id")
        units = float(units_text)
        if not (units == units and 1 <= units <= 100_000):
            raise ValueError("hypothetical units must be 1–100,000")
        date = dt.date.fromisoformat(date_text)
        if not 2000 <= date.year <= 2040:
            raise ValueError("hypothetical signature dates run 2000–2040")
        out.append((iso3, line_id, units, date.isoformat()))
    if len(out) > MAX_HYPOTHETICAL:
        raise ValueError(f"at most {MAX_HYPOTHETICAL} hypothetical orders")
    return tuple(out)


def _text(text: str) -> str:
    if len(text) > 40:
        raise ValueError("too long")
    return text


def _edits(text: str) -> dict[tuple[str, str], float]:
    """Edited judgements from 'POL:frontline:4,GEO:us_plans_role:3'."""
    judged = set(JUDGED_COLUMNS)
    edits: dict[tuple[str, str], float] = {}
    for item in filter(None, text.split(",")):
        parts = item.split(":")
        if len(parts) != 3:
            raise ValueError(f"{item!r} is not ISO3:criterion:score")
        iso3, criterion, score_text = parts
        if not (len(iso3) == 3 and iso3.isalpha() and iso3.isupper()):
            raise ValueError(f"{iso3!r} is not an ISO3 code")
        if criterion not in judged:
            raise ValueError(f"{criterion!r} is not a judgement criterion")
        score = float(score_text)
        if not 0 <= score <= 5:
            raise ValueError(f"score {score} outside 0..5")
        edits[(iso3, criterion)] = score
    return edits


_eo = PRESETS_BY_KEY[DEFAULT_PRESET].weights
TIER_MODES = {"threshold": "Score thresholds", "quantile": "Shares of partners"}
STATE_FIELDS: tuple[Field, ...] = (
    Field("preset", DEFAULT_PRESET, _choice(tuple(PRESETS_BY_KEY) + ("custom",))),
    *(int_field(weight_key(c.key), int(_eo.get(c.key, 0)), 0, WEIGHT_MAX, c.name + (" (judgement)" if c.judgement else ""),
                help=f"{c.description} Source: {c.source}. "
                f"{'Higher is better' if c.direction == 'benefit' else 'Higher is worse (cost)'}.")
      for c in CRITERIA),
    choice_field("normalisation", NORMALISATIONS, "Normalisation", target="normalisation"),
    choice_field("missing", MISSING_RULES, "Missing values", target="missing"),
    choice_field("basis", BASIS_LABELS, "Spending basis", target="basis"),
    choice_field("tier_mode", TIER_MODES, "Tiers by", horizontal=True, target="mode"),
    float_field("tier_top_pts", DEFAULT_TIER_RULES["threshold"].top, 0, 100, "Tier 1 from (points)"),
    float_field("tier_key_pts", DEFAULT_TIER_RULES["threshold"].key, 0, 100, "Tier 2 from (points)"),
    int_field("tier_top_share", int(100 * DEFAULT_TIER_RULES["quantile"].top), 1, 100, "Tier 1: top share of partners (%)"),
    int_field("tier_key_share", int(100 * DEFAULT_TIER_RULES["quantile"].key), 1, 100, "Tiers 1–2: top share of partners (%)"),
    flag_field("gate_hr", "Human-rights floor", help="Hold partners below a Freedom House total."),
    int_field("gate_hr_floor", 30, 0, 100, "Freedom House total at least"),
    flag_field("gate_eu", "End-use risk ceiling", help="Hold partners above an end-use risk score (judgement)."),
    float_field("gate_eu_ceiling", 3.5, 0, 5, "End-use risk at most (0–5)", step=0.5),
    flag_field("gate_tech", "Sensitive-technology rule",
               help="High-sensitivity platforms only to NATO allies and MNNAs with at least this score."),
    int_field("gate_tech_min", 40, 0, 100, "Minimum priority score"),
    flag_field("hold_restricted", "Hold restricted partners", target="hold_restricted",
               help="Hold partners US law allows only case by case (22 CFR 126.1(d)(2), partial UN embargoes). "
               "Denied partners (126.1(d)(1), Russia, State Sponsors of Terrorism) are never scored or queued."),
    flag_field("risk_veto", "Risk veto (worst band holds)", target="risk_veto",
               help="Instead of weighing risk against the other criteria, hold any partner in the worst band of a "
               "risk component: Freedom House 'Not Free', or end-use risk ≥ 4 of 5 (the Cato Institute Arms Sales "
               "Risk Index proposal)."),
    int_field("min_coverage", None, 0, 100, "Minimum coverage to be tiered (% of the weight observed)", step=5,
              target="min_coverage", scale=0.01,
              help="A partner whose observed data carry less of the weight than this (or who has fewer than two "
              "observed weighted criteria) is listed as 'insufficient data', not tiered, and queued at its "
              "worst-case score."),
    choice_field("frontline_source", FRONTLINE_SOURCES, "Frontline geography from", target="frontline_source",
                 help="Measured: distance from the partner's territory to the nearest Russian, Belarusian, Chinese, "
                 "North Korean or Iranian territory. Judged: the analyst's score of the contested front."),
    choice_field("basing_source", BASING_SOURCES, "Basing and access from", target="basing_source",
                 help="Judged: the analyst's score of basing and access agreements (DCA/EDCA, rotations). Measured: the "
                 "number of US sites on D. Vine's list (~2018; older than five years, so flagged stale)."),
    int_field("stale_years", None, 1, 30, "A figure is stale after (years)", target="stale_years",
              help="Counted back from the schedule's start year. Stale figures are flagged in the ranking (e.g. the "
              "UAE's latest published spending share is from 2014)."),
    choice_field("stale_rule", STALE_RULES, "Stale figures", target="stale_rule"),
    int_field("domestic_share", None, 0, 95, "US domestic demand, % of capacity (default)", step=5,
              target="domestic_share", scale=0.01,
              help="Share of a line's output committed to US forces where no share is published (a labelled "
              "assumption); lines with a published US share use it (see the Data page)."),
    Field("as_of", AS_OF_DATA, _as_of),
    choice_field("policy", POLICIES, "Allocation policy", target="policy",
                 help="Strict priority: by score. Tier shares: each quarter's capacity split across tiers, FCFS "
                 "within a tier, unused share flows down. Fair share: capacity split by score among waiting orders."),
    int_field("share_t1", round(100 * model_default("tier_shares")[0]), 0, 100, "Tier 1 share of capacity (%)", step=5),
    int_field("share_t2", round(100 * model_default("tier_shares")[1]), 0, 100, "Tier 2 share (%)", step=5),
    int_field("share_t3", round(100 * model_default("tier_shares")[2]), 0, 100, "Tier 3 share (%)", step=5),
    Field("fence", "lead", _fence),
    flag_field("include_notified", "Include notified (unsigned) orders", target="include_notified",
               help="Off: only signed and delivering orders compete. On: notified orders enter at their "
               "notification date plus the lag below."),
    int_field("notify_lag", None, 0, 60, "Notification-to-signature lag (months, assumption)", target="notify_lag_months"),
    choice_field("hold_mode", HOLD_MODES, "A held order is", target="hold_mode"),
    int_field("review_quarters", None, 0, 40, "Review period (quarters)", target="review_quarters"),
    flag_field("invest_on", "Partner funds extra capacity", help="Investment for capacity, e.g. a Gulf partner funding THAAD output."),
    Field("invest_line", "thaad", _text),
    Field("invest_partner", "SAU", _text),
    int_field("invest_units", 48, 1, 5000, "Extra units per year", widget="number"),
    int_field("invest_year", 2028, 2026, 2040, "Funding from (year)",
              help="The capacity produces after the line's expansion lead time; the score credit is discounted "
              "10 % a year until then."),
    int_field("invest_claim", 0, 0, 100, "Funder's claim on the funded output (%)", step=5,
              help="Share of the funded output reserved for the funder's own orders on the line; the rest (and "
              "anything the funder does not need) joins the shared pool."),
    Field("region_filter", "All regions", _text),
    Field("line_filter", "All lines", _text),
    Field("partner", "POL", _text),
    Field(OVERRIDES_KEY, {}, _edits),
    Field(HYPO_KEY, (), _hypothetical),
    Field("ref", "start", _reference),
)
FIELDS_BY_KEY: dict[str, Field] = {f.key: f for f in STATE_FIELDS}


def values() -> dict[str, Any]:
    """The canonical value of every field (created with the defaults on first use)."""
    store = st.session_state.get(VALUES_KEY)
    if store is None:
        store = defaults()
        st.session_state[VALUES_KEY] = store
    return store


def value(key: str) -> Any:
    """One field's current value."""
    return values()[key]


def set_value(key: str, new: Any) -> None:
    """Set one field (outside a widget, e.g. a map click)."""
    values()[key] = new


APP_RERUN_KEY = "_app_rerun_requested"


def request_app_rerun() -> None:
    """Ask for a whole-app rerun: a widget in a sidebar fragment changed the scenario."""
    st.session_state[APP_RERUN_KEY] = True


def take_app_rerun() -> bool:
    """Whether a whole-app rerun was requested since the last call (and clear the request). The
    frame takes it at the top of every whole-app run, so only a fragment run still finds it set."""
    return bool(st.session_state.pop(APP_RERUN_KEY, False))


_IN_GROUP: ContextVar[bool] = ContextVar("in_settings_group", default=False)


@contextmanager
def group_widgets() -> Iterator[None]:
    """Widgets bound inside this block live in a sidebar settings group (a fragment): their
    changes ask for a whole-app rerun. Widgets elsewhere (a page's own fragment included) do not."""
    token = _IN_GROUP.set(True)
    try:
        yield
    finally:
        _IN_GROUP.reset(token)


def _remember(key: str, app: bool = False) -> None:
    # A widget state for an identity the session no longer holds (a stale client, or the first runs
    # of a freshly started server, when the page layout is still being settled) has no value under
    # its key: nothing to remember, rather than an error for the whole run.
    if key in st.session_state:
        values()[key] = st.session_state[key]
    if app:
        request_app_rerun()


def _remember_weight(key: str) -> None:
    _remember(key)
    values()["preset"] = "custom"


def _remember_preset() -> None:
    _remember("preset")
    preset = PRESETS_BY_KEY.get(values()["preset"])
    if preset is not None:
        for criterion in CRITERIA:
            values()[weight_key(criterion.key)] = int(round(preset.weights.get(criterion.key, 0)))


def bind(key: str) -> dict[str, Any]:
    """Widget keyword arguments for field ``key``: its value is restored, its changes remembered.

    The widget's state is written only when it differs from the canonical value (first run, a
    preset, undo, a link, a page whose widgets Streamlit cleaned up): writing it on every run would
    send the value back to the browser each time, and a run still in flight would then overwrite
    an input the analyst made meanwhile."""
    canonical = values()[key]
    if st.session_state.get(REBIND_KEY, True) or key not in st.session_state or st.session_state[key] != canonical:
        st.session_state[key] = canonical
    if key == "preset":
        callback, args = _remember_preset, ()
    elif key.startswith("w_"):
        callback, args = _remember_weight, (key,)
    else:
        callback, args = _remember, (key, _IN_GROUP.get())
    return {"key": key, "on_change": callback, "args": args}


REBIND_KEY, PAGE_KEY = "_rebind_widgets", "_bound_page"


def note_page() -> None:
    """Called once per run before any widget is bound: on the first run and after a page switch
    every bound widget is written again. Streamlit derives a widget's identity from the page it is
    drawn on, so the sidebar's widgets are new widgets on another page and would otherwise come up
    at their minimum rather than at the analyst's values."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    page = getattr(ctx, "page_script_hash", "") if ctx is not None else ""
    st.session_state[REBIND_KEY] = st.session_state.get(PAGE_KEY) != page
    st.session_state[PAGE_KEY] = page


def end_of_run() -> None:
    """Called when a whole-app run ends: every widget drawn after a page switch has been written by
    now, so a settings group's own (fragment) run before the next whole-app run does not write its
    widgets again (an input the analyst made meanwhile would be sent back over)."""
    st.session_state[REBIND_KEY] = False


def defaults() -> dict[str, Any]:
    """Every field at its default (mutable defaults copied)."""
    return {f.key: (dict(f.default) if isinstance(f.default, dict) else f.default) for f in STATE_FIELDS}


def parse_params(params: Mapping[str, str]) -> tuple[dict[str, Any], list[str]]:
    """Field values from URL parameters (defaults where absent or invalid) and what was rejected."""
    parsed = defaults()
    rejected: list[str] = []
    for name in sorted(set(params) - set(FIELDS_BY_KEY) - {SCENARIO_PARAM}):
        rejected.append(f"{name[:40]} (unknown parameter)")
    for name, text in params.items():
        field = FIELDS_BY_KEY.get(name)
        if field is None:
            continue
        try:
            parsed[field.key] = field.parse(text)
        except (ValueError, TypeError) as exc:
            rejected.append(f"{name}={text[:40]!r} ({str(exc)[:80]})")
    if "preset" not in params and any(weight_key(c.key) in params for c in CRITERIA):
        parsed["preset"] = "custom"
    rejected.extend(_cross_field_fallbacks(parsed))
    return parsed, rejected


def _cross_field_fallbacks(parsed: dict[str, Any]) -> list[str]:
    """Fields valid one by one but inconsistent together fall back to their defaults, with a note."""
    notes: list[str] = []
    if parsed["tier_top_pts"] < parsed["tier_key_pts"]:
        notes.append("tier_top_pts / tier_key_pts (tier 1 must start at or above tier 2)")
        parsed["tier_top_pts"], parsed["tier_key_pts"] = FIELDS_BY_KEY["tier_top_pts"].default, FIELDS_BY_KEY["tier_key_pts"].default
    if parsed["tier_top_share"] > parsed["tier_key_share"]:
        notes.append("tier_top_share / tier_key_share (the tier-1 share cannot exceed the tiers 1-2 share)")
        parsed["tier_top_share"], parsed["tier_key_share"] = (
            FIELDS_BY_KEY["tier_top_share"].default, FIELDS_BY_KEY["tier_key_share"].default)
    return notes


def params_of(store: Mapping[str, Any]) -> dict[str, str]:
    """The URL parameters of a set of values (only those that differ from the defaults)."""
    return {f.key: f.to_url(store[f.key]) for f in STATE_FIELDS if store[f.key] != f.default}


def apply_params(params: Mapping[str, str]) -> list[str]:
    """Replace the session's values by those of ``params`` (a saved scenario, an undo step);
    returns what was rejected."""
    parsed, rejected = parse_params(params)
    store = values()
    store.clear()
    store.update(parsed)
    return rejected


SCENARIO_PARAM = "scn"  # ?scn=<id> opens a saved scenario
START_KEY = "_start_params"
HISTORY_KEY = "_history"
HISTORY_MAX = 30


def init_state() -> None:
    """Create the canonical values once per session and apply the URL (once), noting invalid parameters.
    A ``?scn=<id>`` link opens that saved scenario."""
    if st.session_state.get("_state_ready"):
        return
    params = st.query_params.to_dict()
    notes: list[str] = []
    scenario_id = params.get(SCENARIO_PARAM)
    if scenario_id is not None:
        from ui import scenarios

        saved, problem = scenarios.load(scenario_id)
        if saved is None:
            notes.append(problem)
        else:
            params = saved.params
            st.session_state["_loaded_scenario"] = {"id": saved.scenario_id, "name": saved.name}
            scenarios.note_scenario(saved.scenario_id, own=False)
    parsed, rejected = parse_params(params)
    store = values()
    store.update(parsed)
    if rejected:
        notes.append("Some link parameters were invalid and were replaced by their defaults: " + "; ".join(rejected))
    if notes:
        st.session_state[NOTICE_KEY] = " ".join(notes)
    st.session_state[START_KEY] = params_of(store)
    st.session_state[HISTORY_KEY] = [params_of(store)]
    st.session_state["_state_ready"] = True


def remember_history() -> None:
    """Append the current state to the session's history when it changed (for undo)."""
    history: list[dict[str, str]] = st.session_state.setdefault(HISTORY_KEY, [])
    now = params_of(values())
    if not history or history[-1] != now:
        history.append(now)
        del history[:-HISTORY_MAX]


def undo() -> bool:
    """Step back to the previous state of this session; False when there is none."""
    history: list[dict[str, str]] = st.session_state.get(HISTORY_KEY, [])
    if len(history) < 2:
        return False
    history.pop()
    apply_params(history[-1])
    return True


def reset() -> None:
    """Back to the state the session started from."""
    apply_params(st.session_state.get(START_KEY, {}))


def sync_url() -> None:
    """Mirror the current state into the URL (only values that differ from the defaults)."""
    wanted = params_of(values())
    current = st.query_params.to_dict()
    if current != wanted:
        st.query_params.from_dict(wanted)


def _data_version() -> int:
    from ui import data

    return data.store_stamp()


def as_of_quarter(value: str) -> tuple[int, int]:
    """(year, quarter) of the as-of setting: the order book's vintage for 'data'."""
    if value == AS_OF_DATA:
        from ui import data

        return data.vintage_quarter()
    year, _, quarter = value.partition("-Q")
    return int(year), int(quarter)


def current_weights() -> dict[str, float]:
    """Slider weights by criterion key (relative, not yet normalised)."""
    store = values()
    return {c.key: float(store[weight_key(c.key)]) for c in CRITERIA}


def current_scenario() -> Scenario:
    """The scenario the sidebar describes, as a hashable value for the cached pipeline."""
    return scenario_of(values())


def scenario_of(s: Mapping[str, Any]) -> Scenario:
    """The scenario a set of field values describes."""
    if s["tier_mode"] == "threshold":
        top, key = float(s["tier_top_pts"]), float(s["tier_key_pts"])
    else:
        top, key = s["tier_top_share"] / 100.0, s["tier_key_share"] / 100.0
    overrides: dict[tuple[str, str], float] = s[OVERRIDES_KEY]
    investment = (
        Investment(str(s["invest_line"]), str(s["invest_partner"]), float(s["invest_units"]), int(s["invest_year"]))
        if s["invest_on"]
        else None
    )
    start = as_of_quarter(s["as_of"])
    shares = [s["share_t1"], s["share_t2"], s["share_t3"]]
    total = sum(shares)
    tier_shares = (shares[0] / max(100, total), shares[1] / max(100, total), shares[2] / max(100, total))  # over 100 % in all is scaled down
    settings = {f.target: s[f.key] if f.scale == 1.0 else s[f.key] * f.scale for f in STATE_FIELDS if f.target}
    # The settings that come from more than one field, or need a rule, are set here.
    return Scenario(
        weights=tuple(sorted((c.key, float(s[weight_key(c.key)])) for c in CRITERIA)),
        overrides=tuple(sorted((iso3, criterion, float(score)) for (iso3, criterion), score in overrides.items())),
        book=(st.session_state.get("uploaded_book") or {}).get("key", "store"),
        data_version=_data_version(),
        hypothetical=tuple(s[HYPO_KEY]),
    ).changed(
        **settings,
        top=top,
        key=key,
        hr_floor=float(s["gate_hr_floor"]) if s["gate_hr"] else None,
        end_use_ceiling=float(s["gate_eu_ceiling"]) if s["gate_eu"] else None,
        sensitive_tech_min_score=float(s["gate_tech_min"]) if s["gate_tech"] else None,
        tier_shares=tier_shares,
        fence_quarters=None if s["fence"] == "lead" else int(s["fence"]),
        start_year=start[0],
        start_quarter=start[1],
        investment=investment,
        funder_share=s["invest_claim"] / 100.0 if s["invest_on"] else 0.0,
    )


def settle_names(store: dict[str, Any], partners: set[str], lines: list[str]) -> list[str]:
    """Replace, in a set of field values, the partner and production-line codes the store does not
    hold (a link, a saved scenario or a reference made before a store rebuild): judgement edits for
    an unknown partner are dropped, a selected partner, funder or funded line falls back to its
    default (or the first one held). Returns what was replaced, for a notice."""
    dropped: list[str] = []
    edits: dict[tuple[str, str], float] = store[OVERRIDES_KEY]
    for key in [k for k in edits if k[0] not in partners]:
        del edits[key]
        dropped.append(f"edit for {key[0]}")
    for field in ("partner", "invest_partner"):
        if partners and store[field] not in partners:
            dropped.append(f"{field}={store[field]!r}")
            store[field] = FIELDS_BY_KEY[field].default if FIELDS_BY_KEY[field].default in partners else min(partners)
    if lines and store["invest_line"] not in lines:
        dropped.append(f"invest_line={store['invest_line']!r}")
        store["invest_line"] = FIELDS_BY_KEY["invest_line"].default if FIELDS_BY_KEY["invest_line"].default in lines else lines[0]
    return dropped


def drop_unknown_names(known_partners: Callable[[], set[str]], known_lines: Callable[[], list[str]]) -> None:
    """After the URL is read: forget edits and selections naming partners or production lines not in
    the store, with a notice. Once per session, on its first run (the store is read only then); the
    session's starting state (the default reference, the first undo step) is taken again after it."""
    if st.session_state.get("_partners_checked"):
        return
    known, lines = known_partners(), known_lines()  # may stop the run (store unreadable): checked next time
    st.session_state["_partners_checked"] = True
    store = values()
    dropped = settle_names(store, known, lines)
    if dropped:
        note = "Unknown partner or production-line codes in the link were ignored: " + ", ".join(dropped)
        previous = st.session_state.get(NOTICE_KEY)
        st.session_state[NOTICE_KEY] = f"{previous} {note}" if previous else note
        st.session_state[START_KEY] = params_of(store)
        st.session_state[HISTORY_KEY] = [params_of(store)]
