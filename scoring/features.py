"""From the store's raw partner columns to one raw value per partner and criterion.

The store gives, per partner, both spending series (SIPRI for every country, NATO for allies) and
the other inputs. This module picks the spending basis the analyst chose, derives the trend and the
distance to pledge, and assembles the raw decision matrix. Missing stays missing (NaN): how a gap
is treated is the scoring engine's documented rule, never a silent zero here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from scoring.criteria import CRITERIA, FRONTLINE_SOURCES, Criterion
from scoring.geography import exposure_score

SpendingBasis = Literal["sipri", "nato"]

BASIS_LABELS: dict[str, str] = {
    "sipri": "SIPRI for every partner (one definition, latest year 2024)",
    "nato": "NATO figures for allies (2025 estimates), SIPRI for the rest",
}


@dataclass(frozen=True)
class DecisionMatrix:
    """Raw criterion values: one row per partner, one column per criterion, NaN where missing."""

    partners: tuple[str, ...]
    criteria: tuple[Criterion, ...]
    raw: np.ndarray

    def __post_init__(self) -> None:
        if self.raw.shape != (len(self.partners), len(self.criteria)):
            raise ValueError(
                f"raw has shape {self.raw.shape}, expected "
                f"({len(self.partners)}, {len(self.criteria)})"
            )

    def column(self, key: str) -> int:
        """Index of criterion ``key``."""
        for j, criterion in enumerate(self.criteria):
            if criterion.key == key:
                return j
        raise ValueError(f"Unknown criterion {key!r}")


def _as_float(values: Sequence[object] | np.ndarray) -> np.ndarray:
    """Column as float64 with None/NA as NaN."""
    array = np.asarray(values, dtype=object)
    out = np.full(array.shape, np.nan)
    for i, value in enumerate(array):
        if value is None:
            continue
        try:
            number = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            continue
        out[i] = number
    return out


def derive_features(
    columns: Mapping[str, Sequence[object] | np.ndarray],
    basis: SpendingBasis = "sipri",
    frontline: str = "measured",
) -> dict[str, np.ndarray]:
    """Pick the spending basis and derive trend, absolute spending and distance to pledge.

    Parameters
    ----------
    columns
        The partner feature table as columns (see the ``partner_features`` query).
    basis
        ``'sipri'``: SIPRI share and trend for every partner. ``'nato'``: NATO share and trend for
        allies where NATO publishes them, SIPRI otherwise.

    Raises
    ------
    ValueError
        Unknown basis or a required column is absent.
    """
    if basis not in BASIS_LABELS:
        raise ValueError(f"Unknown spending basis {basis!r}; use one of {sorted(BASIS_LABELS)}")
    if frontline not in FRONTLINE_SOURCES:
        raise ValueError(f"Unknown frontline source {frontline!r}; use one of {sorted(FRONTLINE_SOURCES)}")
    required = ("sipri_share", "sipri_trend", "sipri_usd_const_m", "pledge_pct")
    missing = [name for name in required if name not in columns]
    if missing:
        raise ValueError(f"Feature table lacks columns: {', '.join(missing)}")
    f = {name: _as_float(values) for name, values in columns.items() if name not in _TEXT_COLUMNS}
    share = f["sipri_share"].copy()
    trend = f["sipri_trend"].copy()
    if basis == "nato":
        nato_share, nato_trend = f.get("nato_share"), f.get("nato_trend")
        if nato_share is not None:
            has_nato = ~np.isnan(nato_share)
            share[has_nato] = nato_share[has_nato]
            if nato_trend is not None:
                trend[has_nato] = nato_trend[has_nato]
    pledge_gap = np.maximum(f["pledge_pct"] - share, 0.0)  # NaN where no pledge or no share
    derived = dict(f)
    derived.update(
        share_gdp=share,
        share_trend=trend,
        spend_abs=f["sipri_usd_const_m"],
        pledge_gap=pledge_gap,
        frontline_exposure=(
            exposure_score(f["adversary_km"]) if frontline == "measured" and "adversary_km" in f
            else f.get("frontline", np.full(share.shape, np.nan))
        ),
    )
    return derived


_TEXT_COLUMNS = frozenset(
    {"iso3", "name", "analyst_region", "un_subregion", "theater", "fh_status", "nato_is_estimate",
     "nearest_adversary", "geo_method", "eligibility", "eligibility_reason"}
)


def build_matrix(
    partners: Sequence[str],
    features: Mapping[str, np.ndarray],
    criteria: Sequence[Criterion] = CRITERIA,
) -> DecisionMatrix:
    """Assemble the raw decision matrix from derived features.

    Raises
    ------
    ValueError
        A criterion's feature is absent or a feature has the wrong length.
    """
    n = len(partners)
    raw = np.full((n, len(criteria)), np.nan)
    for j, criterion in enumerate(criteria):
        if criterion.feature not in features:
            raise ValueError(f"No feature {criterion.feature!r} for criterion {criterion.key!r}")
        column = np.asarray(features[criterion.feature], dtype=float)
        if column.shape != (n,):
            raise ValueError(
                f"Feature {criterion.feature!r} has {column.shape[0]} values for {n} partners"
            )
        raw[:, j] = column
    return DecisionMatrix(tuple(partners), tuple(criteria), raw)
