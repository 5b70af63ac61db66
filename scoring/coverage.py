"""Coverage: how much of a partner's score rests on observed data, and the rule that keeps thin
data from promoting a partner.

``coverage`` is the share of the (normalised) weight that falls on criteria the partner has a
value for. Two rules follow, both applied after the missing-value rule:

1. **Insufficient data.** A partner is *not tiered* (tier ``INSUFFICIENT``, listed apart) when its
   coverage is below ``min_share`` (default 60 % of the weight), or when it has fewer than
   ``min_criteria`` observed criteria among the weighted ones (so no partner is tiered on one
   criterion alone while two or more carry weight). In the queue such a partner is served at its
   *worst-case* score (every missing criterion counted at the worst value), whatever the
   missing-value rule: a gap in the data never buys priority.
2. **At most one tier from imputation.** A tiered partner can sit at most one tier above the tier
   of its worst-case score. Filling gaps with medians or re-weighting can lift a partner one tier,
   never two.

Tier numbers: 1, 2, 3 as in ``scoring.tiers``; ``INSUFFICIENT`` (4) = not tiered.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scoring.engine import weighted_scores
from scoring.tiers import TierResult, tier_by_boundaries

__all__ = ["INSUFFICIENT", "CoverageRule", "CoverageResult", "apply_coverage", "coverage_share", "coverage_tiers", "worst_scores"]

INSUFFICIENT = 4


@dataclass(frozen=True)
class CoverageRule:
    """Minimum observed share of the weight (0–1) and minimum observed weighted criteria."""

    min_share: float = 0.6
    min_criteria: int = 2

    def validate(self) -> None:
        if not 0 <= self.min_share <= 1:
            raise ValueError("The minimum coverage is a share of the weight between 0 and 1 (0–100 %)")
        if self.min_criteria < 1:
            raise ValueError("The minimum number of observed criteria is at least 1")


@dataclass(frozen=True)
class CoverageResult:
    """Per partner: observed share of the weight, observed weighted criteria, sufficient or not,
    the worst-case score, the final tier and the queue score."""

    share: np.ndarray
    n_observed: np.ndarray
    sufficient: np.ndarray
    worst_score: np.ndarray
    tier: np.ndarray
    queue_score: np.ndarray
    capped: np.ndarray  # tier lowered by the one-tier rule


def coverage_share(weights: np.ndarray, observed: np.ndarray) -> np.ndarray:
    """Share of the weight on observed criteria, per partner (rows of ``observed``)."""
    w = np.asarray(weights, dtype=float)
    total = w.sum()
    if total <= 0:
        return np.ones(observed.shape[0])
    return (np.asarray(observed, dtype=float) @ w) / total


def apply_coverage(
    tiers: TierResult,
    score: np.ndarray,
    weights: np.ndarray,
    normalised: np.ndarray,
    rule: CoverageRule,
) -> CoverageResult:
    """Apply both coverage rules to a tiering (see the module docstring).

    ``normalised`` is the oriented 0–1 matrix with NaN where a value is missing; ``weights`` the
    normalised weight vector the scores used.
    """
    b1, b2 = tiers.boundaries
    batch = coverage_tiers(
        np.asarray(tiers.tier)[None, :], np.array([[b1]]), np.array([[b2]]), np.asarray(score, dtype=float)[None, :],
        np.asarray(weights, dtype=float)[None, :], normalised, rule,
    )
    return CoverageResult(*(field[0] for field in (batch.share, batch.n_observed, batch.sufficient, batch.worst_score,
                                                   batch.tier, batch.queue_score, batch.capped)))


def worst_scores(weights: np.ndarray, normalised: np.ndarray) -> np.ndarray:
    """Worst-case score of every partner (rows of ``weights``: one per draw): every missing criterion
    counted at the worst value (0), whatever the missing-value rule (the engine's score kernel)."""
    return weighted_scores(weights, np.nan_to_num(normalised, nan=0.0), ~np.isnan(normalised), "worst")


def coverage_tiers(
    tier: np.ndarray, b1: np.ndarray, b2: np.ndarray, score: np.ndarray, weights: np.ndarray,
    normalised: np.ndarray, rule: CoverageRule,
) -> CoverageResult:
    """Both coverage rules, once for the scenario (one row) and every batch of weight draws (``k``
    rows): ``tier``/``score`` ``(k, n)`` before the rules, the rows' tier boundaries ``b1``/``b2``
    ``(k, 1)``, ``weights`` ``(k, m)``; every field of the result is ``(k, n)``."""
    rule.validate()
    w = np.atleast_2d(np.asarray(weights, dtype=float))
    observed = ~np.isnan(normalised)
    total = w.sum(axis=1, keepdims=True)
    share = np.where(total > 0, (w @ observed.T.astype(float)) / np.where(total > 0, total, 1.0), 1.0)
    weighted = w > 0
    n_observed = weighted.astype(np.int64) @ observed.T.astype(np.int64)
    need = np.minimum(rule.min_criteria, weighted.sum(axis=1))[:, None]
    sufficient = (share >= rule.min_share - 1e-12) & (n_observed >= need)
    worst = worst_scores(w, normalised)
    capped_tier = np.maximum(tier, tier_by_boundaries(worst, b1, b2) - 1)
    capped = sufficient & (capped_tier != tier)
    final = np.where(sufficient, capped_tier, INSUFFICIENT).astype(int)
    queue_score = np.where(sufficient, score, worst)
    return CoverageResult(share, n_observed, sufficient, worst, final, queue_score, capped)
