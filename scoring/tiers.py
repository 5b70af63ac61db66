"""Tiers of the implicit system the order creates, and each partner's distance to a boundary.

Tier 1 = top-tier investors and strategic pivots, tier 2 = key participants, tier 3 = ordinary
partners. Two rules, the analyst's choice:

- ``'threshold'``: fixed score boundaries (points on the 0–100 scale): score ≥ ``top`` → tier 1,
  score ≥ ``key`` → tier 2, else tier 3.
- ``'quantile'``: fixed shares of partners: the best ``top`` share (by rank) is tier 1, the best
  ``key`` share (cumulative) is tiers 1–2. The boundary is then the score of the last partner
  inside the upper tier, so a partner below needs to pass that score.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

TierMode = Literal["threshold", "quantile"]

TIER_NAMES: dict[int, str] = {
    1: "Tier 1 · top investors & strategic pivots",
    2: "Tier 2 · key participants",
    3: "Tier 3 · ordinary partners",
    4: "Insufficient data · not tiered (too little of the weight rests on observed data)",
}
TIER_SHORT: dict[int, str] = {1: "Tier 1", 2: "Tier 2", 3: "Tier 3", 4: "Insufficient data"}


@dataclass(frozen=True)
class TierRule:
    """How tiers are cut. Threshold: points (0–100). Quantile: shares of partners (0–1)."""

    mode: TierMode = "threshold"
    top: float = 60.0
    key: float = 40.0

    def validate(self) -> None:
        """Raises ``ValueError`` if the rule is inconsistent."""
        if self.mode not in ("threshold", "quantile"):
            raise ValueError(f"Unknown tier mode {self.mode!r}; use 'threshold' or 'quantile'")
        if self.mode == "threshold":
            if not 0 <= self.key <= self.top <= 100:
                raise ValueError("Tier thresholds need 0 ≤ key-participant ≤ top-tier ≤ 100 points")
        elif not 0 < self.top <= self.key <= 1:
            raise ValueError("Tier shares need 0 < top-tier share ≤ cumulative tiers 1–2 share ≤ 1")


DEFAULT_TIER_RULES: dict[str, TierRule] = {
    "threshold": TierRule("threshold", 60.0, 40.0),
    "quantile": TierRule("quantile", 0.15, 0.45),
}


@dataclass(frozen=True)
class TierResult:
    """Tier per partner, the boundaries used, and distances to them (points)."""

    tier: np.ndarray  # (n,) 1, 2 or 3
    boundaries: tuple[float, float]  # score needed for tier 1, for tier 2
    points_to_next: np.ndarray  # (n,) points to rise one tier; NaN in tier 1


def boundaries_for(score: np.ndarray, rule: TierRule) -> tuple[float, float]:
    """Score boundaries (tier 1, tier 2) implied by ``rule`` for these scores.

    Raises
    ------
    ValueError
        Empty scores or an inconsistent rule.
    """
    b1, b2 = cutoff_scores(np.asarray(score, dtype=float)[None, :], rule)
    return float(b1[0, 0]), float(b2[0, 0])


def tier_sizes(rule: TierRule, n: int) -> tuple[int, int]:
    """Quantile mode: how many of ``n`` partners (by rank) are in tier 1, and in tiers 1–2 together:
    the requested shares rounded, at least one partner in tier 1, never more than ``n``."""
    k1 = min(n, max(1, int(round(rule.top * n))))
    k2 = min(n, max(k1, int(round(rule.key * n))))
    return k1, k2


def cutoff_scores(scores: np.ndarray, rule: TierRule) -> tuple[np.ndarray, np.ndarray]:
    """Score boundaries (tier 1, tier 2) of each row of ``scores`` ``(k, n)``, shaped ``(k, 1)``:
    the rule's thresholds, or in quantile mode the scores of the last partner inside each tier.

    Raises
    ------
    ValueError
        No partners (quantile mode) or an inconsistent rule.
    """
    rule.validate()
    rows = scores.shape[:-1] + (1,)
    if rule.mode == "threshold":
        return np.full(rows, float(rule.top)), np.full(rows, float(rule.key))
    n = scores.shape[-1]
    if n == 0:
        raise ValueError("No partners to put in tiers")
    k1, k2 = tier_sizes(rule, n)
    ordered = -np.sort(-scores, axis=-1)
    return ordered[..., k1 - 1 : k1], ordered[..., k2 - 1 : k2]


def tier_by_boundaries(score: np.ndarray, b1: np.ndarray | float, b2: np.ndarray | float) -> np.ndarray:
    """Tier 1 at or above ``b1``, tier 2 at or above ``b2``, else tier 3."""
    return np.where(score >= b1, 1, np.where(score >= b2, 2, 3))


def tiers_of(scores: np.ndarray, ranks: np.ndarray, rule: TierRule) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The tier rule, once for the scenario and every batch of draws: tier of every partner in every
    row of ``scores``/``ranks`` ``(k, n)``, with the rows' boundaries ``(k, 1)`` (``cutoff_scores``).
    Threshold mode compares scores with the boundaries; quantile mode follows rank, so ties at a
    boundary are split by the stable rank and the tier sizes are exactly the requested shares.

    Raises
    ------
    ValueError
        No partners (quantile mode) or an inconsistent rule.
    """
    scores = np.asarray(scores, dtype=float)
    b1, b2 = cutoff_scores(scores, rule)
    if rule.mode == "threshold":
        return tier_by_boundaries(scores, b1, b2).astype(int), b1, b2
    k1, k2 = tier_sizes(rule, scores.shape[-1])
    ranks = np.asarray(ranks)
    return np.where(ranks <= k1, 1, np.where(ranks <= k2, 2, 3)).astype(int), b1, b2


def assign_tiers(score: np.ndarray, rank: np.ndarray, rule: TierRule) -> TierResult:
    """Tier of every partner, with its distance to the next boundary up.

    In quantile mode tiers follow rank (ties at a boundary are split by the stable rank), so the
    tier sizes are exactly the requested shares.

    Raises
    ------
    ValueError
        Empty scores or an inconsistent rule.
    """
    score = np.asarray(score, dtype=float)
    tiers, b1s, b2s = tiers_of(score[None, :], np.asarray(rank)[None, :], rule)
    tier, b1, b2 = tiers[0], float(b1s[0, 0]), float(b2s[0, 0])
    upper = np.where(tier == 3, b2, b1)
    points_to_next = np.where(tier == 1, np.nan, np.maximum(upper - score, 0.0))
    return TierResult(tier.astype(int), (b1, b2), points_to_next)
