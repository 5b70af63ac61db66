"""The analyst's scenario: session-state keys, defaults, presets, and the shareable URL.

Every choice that changes a result lives in ``st.session_state`` under a key listed in
``STATE_FIELDS`` and is mirrored into ``st.query_params`` so a copied link reopens the same view.
Values read from a URL are validated; anything invalid or tampered with falls back to its default
and the app shows a notice naming the parameter.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import streamlit as st

from scoring.criteria import CRITERIA, DEFAULT_PRESET, PRESETS_BY_KEY
from scoring.engine import MISSING_RULES, NORMALISATIONS
from scoring.features import BASIS_LABELS
from scoring.pipeline import Scenario
from scoring.tiers import DEFAULT_TIER_RULES

WEIGHT_MAX = 20
NOTICE_KEY = "_url_notice"
OVERRIDES_KEY = "judgement_overrides"  # {(iso3, criterion): score}, edited on the partner page


def weight_key(criterion_key: str) -> str:
    """Session-state key of a criterion's weight slider."""
    return f"w_{criterion_key}"


@dataclass(frozen=True)
class Field:
    """One piece of shareable state: its key, default and how to parse it from a URL string."""

    key: str
    default: Any
    parse: Callable[[str], Any]

    def to_url(self, value: Any) -> str:
        if isinstance(value, bool):
            return "1" if value else "0"
        if isinstance(value, float):
            return f"{value:g}"
        return str(value)


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


def _text(text: str) -> str:
    if len(text) > 40:
        raise ValueError("too long")
    return text


_eo = PRESETS_BY_KEY[DEFAULT_PRESET].weights
STATE_FIELDS: tuple[Field, ...] = (
    Field("preset", DEFAULT_PRESET, _choice(tuple(PRESETS_BY_KEY) + ("custom",))),
    *(Field(weight_key(c.key), int(_eo.get(c.key, 0)), _int_in(0, WEIGHT_MAX)) for c in CRITERIA),
    Field("normalisation", "minmax", _choice(NORMALISATIONS)),
    Field("missing", "worst", _choice(MISSING_RULES)),
    Field("basis", "sipri", _choice(BASIS_LABELS)),
    Field("tier_mode", "threshold", _choice(("threshold", "quantile"))),
    Field("tier_top_pts", DEFAULT_TIER_RULES["threshold"].top, _float_in(0, 100)),
    Field("tier_key_pts", DEFAULT_TIER_RULES["threshold"].key, _float_in(0, 100)),
    Field("tier_top_share", int(100 * DEFAULT_TIER_RULES["quantile"].top), _int_in(1, 100)),
    Field("tier_key_share", int(100 * DEFAULT_TIER_RULES["quantile"].key), _int_in(1, 100)),
    Field("gate_hr", False, _flag),
    Field("gate_hr_floor", 30, _int_in(0, 100)),
    Field("gate_eu", False, _flag),
    Field("gate_eu_ceiling", 3.5, _float_in(0, 5)),
    Field("gate_tech", False, _flag),
    Field("gate_tech_min", 40, _int_in(0, 100)),
    Field("domestic_share", 30, _int_in(0, 95)),
    Field("start_year", 2026, _int_in(2025, 2035)),
    Field("invest_on", False, _flag),
    Field("invest_line", "thaad", _text),
    Field("invest_partner", "SAU", _text),
    Field("invest_units", 48, _int_in(1, 5000)),
    Field("invest_year", 2028, _int_in(2026, 2040)),
    Field("region_filter", "All regions", _text),
    Field("line_filter", "All lines", _text),
    Field("partner", "POL", _text),
)
FIELDS_BY_KEY: dict[str, Field] = {f.key: f for f in STATE_FIELDS}


def init_state() -> None:
    """Set defaults once per session, then apply the URL (once), noting invalid parameters."""
    if st.session_state.get("_state_ready"):
        return
    for field in STATE_FIELDS:
        st.session_state.setdefault(field.key, field.default)
    rejected: list[str] = []
    params = st.query_params.to_dict()
    unknown = sorted(set(params) - set(FIELDS_BY_KEY))
    rejected.extend(f"{name} (unknown parameter)" for name in unknown)
    for name, text in params.items():
        field = FIELDS_BY_KEY.get(name)
        if field is None:
            continue
        try:
            st.session_state[field.key] = field.parse(text)
        except (ValueError, TypeError) as exc:
            rejected.append(f"{name}={text[:40]!r} ({exc})")
    if "preset" not in params and any(weight_key(c.key) in params for c in CRITERIA):
        st.session_state["preset"] = "custom"
    if rejected:
        st.session_state[NOTICE_KEY] = (
            "Some link parameters were invalid and were replaced by their defaults: " + "; ".join(rejected)
        )
    st.session_state["_state_ready"] = True


def sync_url() -> None:
    """Mirror the current state into the URL (only values that differ from the defaults)."""
    wanted = {
        f.key: f.to_url(st.session_state[f.key])
        for f in STATE_FIELDS
        if f.key in st.session_state and st.session_state[f.key] != f.default
    }
    current = st.query_params.to_dict()
    if current != wanted:
        st.query_params.from_dict(wanted)


def apply_preset() -> None:
    """Callback of the preset selector: set every weight slider to the preset's weights."""
    key = st.session_state["preset"]
    preset = PRESETS_BY_KEY.get(key)
    if preset is None:
        return
    for criterion in CRITERIA:
        st.session_state[weight_key(criterion.key)] = int(round(preset.weights.get(criterion.key, 0)))


def mark_custom() -> None:
    """Callback of a weight slider: the weights no longer match a preset."""
    st.session_state["preset"] = "custom"


def current_weights() -> dict[str, float]:
    """Slider weights by criterion key (relative, not yet normalised)."""
    return {c.key: float(st.session_state[weight_key(c.key)]) for c in CRITERIA}


def current_scenario() -> Scenario:
    """The scenario the sidebar describes, as a hashable value for the cached pipeline."""
    s = st.session_state
    if s["tier_mode"] == "threshold":
        top, key = float(s["tier_top_pts"]), float(s["tier_key_pts"])
    else:
        top, key = s["tier_top_share"] / 100.0, s["tier_key_share"] / 100.0
    overrides: dict[tuple[str, str], float] = s.get(OVERRIDES_KEY, {})
    investment = (
        (str(s["invest_line"]), str(s["invest_partner"]), float(s["invest_units"]), int(s["invest_year"]))
        if s["invest_on"]
        else None
    )
    return Scenario(
        weights=tuple(sorted(current_weights().items())),
        normalisation=s["normalisation"],
        missing=s["missing"],
        basis=s["basis"],
        tier_mode=s["tier_mode"],
        tier_top=top,
        tier_key=key,
        hr_floor=float(s["gate_hr_floor"]) if s["gate_hr"] else None,
        end_use_ceiling=float(s["gate_eu_ceiling"]) if s["gate_eu"] else None,
        sensitive_min_score=float(s["gate_tech_min"]) if s["gate_tech"] else None,
        domestic_share=s["domestic_share"] / 100.0,
        start_year=int(s["start_year"]),
        investment=investment,
        overrides=tuple(sorted((iso3, criterion, float(score)) for (iso3, criterion), score in overrides.items())),
    )
