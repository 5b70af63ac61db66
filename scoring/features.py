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

from scoring.criteria import BASING_FULL_SITES, BASING_SOURCES, CRITERIA, FRONTLINE_SOURCES, Criterion
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
    basing: str = "judged",
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
    if basing not in BASING_SOURCES:
        raise ValueError(f"Unknown basing source {basing!r}; use one of {sorted(BASING_SOURCES)}")
    if frontline not in FRONTLINE_SOURCES:
        raise ValueError(f"Unknown frontline source {frontline!r}; use one of {sorted(FRONTLINE_SOURCES)}")
    required = ("sipri_share", "sipri_trend", "sipri_usd_const_m", "pledge_pct")
    missing = [name for name in required if name not in columns]
    if missing:
        raise ValueError(f"Feature table lacks columns: {', '.join(missing)}")
    f = {name: _as_float(values) for name, values in columns.items() if name not in _TEXT_COLUMNS}
    share = f["sipri_share"].copy()
    trend = f["sipri_trend"].copy()
    nan = np.full(share.shape, np.nan)
    share_year = f.get("sipri_year", nan).copy()
    if basis == "nato":
        nato_share, nato_trend = f.get("nato_share"), f.get("nato_trend")
        if nato_share is not None:
            has_nato = ~np.isnan(nato_share)
            share[has_nato] = nato_share[has_nato]
            if "nato_year" in f:
                share_year[has_nato] = f["nato_year"][has_nato]
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
        share_year=np.where(np.isnan(share), np.nan, share_year),
        fh_data_year=f["fh_edition"] - 1 if "fh_edition" in f else nan,
        basing_year=np.full(share.shape, float(VINE_YEAR)) if basing == "measured" else nan,
        basing_measure=(
            np.minimum(5.0, 5.0 * np.log1p(f["vine_sites"]) / np.log1p(BASING_FULL_SITES))
            if basing == "measured" and "vine_sites" in f
            else f.get("basing_access", np.full(share.shape, np.nan))
        ),
    )
    return derived


_TEXT_COLUMNS = frozenset(
    {"iso3", "name", "analyst_region", "un_subregion", "theater", "fh_status", "nato_is_estimate",
     "nearest_adversary", "geo_method", "eligibility", "eligibility_reason"}
)


VINE_YEAR = 2018
"""Vintage of D. Vine's list of US bases abroad (troopdata)."""


def stale_mask(
    features: Mapping[str, np.ndarray], criteria: Sequence[Criterion], reference_year: int, max_age: int
) -> np.ndarray:
    """(n, m) True where a criterion's raw value refers to a year more than ``max_age`` years before
    ``reference_year`` (criteria without a year feature are never stale)."""
    n = len(next(iter(features.values())))
    out = np.zeros((n, len(criteria)), dtype=bool)
    for j, criterion in enumerate(criteria):
        if criterion.year_feature and criterion.year_feature in features:
            years = np.asarray(features[criterion.year_feature], dtype=float)
            out[:, j] = years < reference_year - max_age  # NaN years compare False
    return out


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
