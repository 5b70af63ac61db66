"""How robust is a conclusion? Weight perturbation (Monte Carlo) and "what it would take".

- :func:`monte_carlo` redraws the weights many times around the analyst's choice (each positive
  weight multiplied by an independent uniform factor in [1 − spread, 1 + spread], then rescaled)
  and reports, per partner, the spread of its rank and how often it stays in its tier. Zero
  weights stay zero: the perturbation tests the weighting, not the choice of criteria.
- (moved) what it would take now lives in ``scoring.levers``; the smallest rise in a partner's defence spending (share of GDP,
  everything else held) that lifts it into the next tier up, re-scoring every partner for each
  candidate rise (other partners' normalised values move when a maximum moves).

Both are vectorised over candidates/draws with the same kernels as the engine.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from scoring.engine import ScoreResult, fill_missing, normalise, rank_desc, transform, weighted_scores
from scoring.tiers import TierRule, assign_tiers, tiers_of


@dataclass(frozen=True)
class MonteCarloResult:
    """Per-partner rank spread and tier stability over ``n_draws`` weight draws."""

    n_draws: int
    spread: float
    rank_p05: np.ndarray
    rank_median: np.ndarray
    rank_p95: np.ndarray
    tier_share: np.ndarray  # (n, 3): share of draws in tier 1, 2, 3
    same_tier_share: np.ndarray  # (n,) share of draws in the tier of the unperturbed result
    ranks: np.ndarray  # (n_draws, n)
    scores: np.ndarray  # (n_draws, n): reuse them (e.g. delivery dates per draw) instead of redrawing


def draw_weights(weights: np.ndarray, n_draws: int, spread: float, seed: int = 0) -> np.ndarray:
    """``n_draws`` perturbed weight vectors (rows sum to 1).

    Raises
    ------
    ValueError
        ``spread`` outside [0, 1), ``n_draws`` < 1, or weights that do not sum to a positive value.
    """
    if not 0 <= spread < 1:
        raise ValueError("The perturbation spread must be in [0, 1)")
    if n_draws < 1:
        raise ValueError("At least one draw is needed")
    w = np.asarray(weights, dtype=float)
    if w.sum() <= 0 or np.any(w < 0):
        raise ValueError("Weights must be ≥ 0 and not all zero")
    rng = np.random.default_rng(seed)
    factors = rng.uniform(1.0 - spread, 1.0 + spread, size=(n_draws, w.size))
    drawn = w * factors
    return drawn / drawn.sum(axis=1, keepdims=True)


def scores_for_weights(result: ScoreResult, weight_draws: np.ndarray) -> np.ndarray:
    """Scores (n_draws, n) for many weight vectors on ``result``'s normalised matrix (the engine's
    kernel, ``weighted_scores``)."""
    return weighted_scores(weight_draws, result.filled, ~result.missing, result.config.missing)


def monte_carlo(
    result: ScoreResult,
    rule: TierRule,
    n_draws: int = 1000,
    spread: float = 0.5,
    seed: int = 0,
) -> MonteCarloResult:
    """Perturb the weights and measure rank spread and tier stability.

    Raises
    ------
    ValueError
        Invalid spread, draws or tier rule.
    """
    rule.validate()
    weights = draw_weights(result.weights, n_draws, spread, seed)
    scores = scores_for_weights(result, weights)
    ranks = rank_desc(scores, result.partners)
    n = len(result.partners)
    tiers, _, _ = tiers_of(scores, ranks, rule)
    tier_share = np.stack([(tiers == t).mean(axis=0) for t in (1, 2, 3)], axis=1)
    base_tier = assign_tiers(result.score, result.rank, rule).tier
    same = tier_share[np.arange(n), base_tier - 1]
    p05, p50, p95 = np.percentile(ranks, [5, 50, 95], axis=0)
    return MonteCarloResult(n_draws, spread, p05, p50, p95, tier_share, same, ranks, scores)


def _score_batch(raw: np.ndarray, result: ScoreResult, columns: Sequence[int] | None = None) -> np.ndarray:
    """Scores (K, n) for a batch of raw matrices (K, n, m) with ``result``'s configuration.

    ``columns``: the only criteria in which the batch differs from ``result.raw`` (the caller
    guarantees it). Transform and normalisation work criterion by criterion, so only those columns
    are recomputed and the others are taken from ``result.normalised`` — the same numbers (exactly
    for min-max and rank; z-scores to the last bits of a sum taken in another order, ~1e-13 points),
    without normalising K copies of the whole matrix."""
    config = result.config
    if columns is None:
        normalised = normalise(transform(raw, result.criteria), result.criteria, config.normalisation)
    else:
        cols = list(columns)
        subset = tuple(result.criteria[j] for j in cols)
        normalised = np.broadcast_to(result.normalised, raw.shape).copy()
        normalised[..., cols] = normalise(transform(raw[..., cols], subset), subset, config.normalisation)
    filled, observed = fill_missing(normalised, config.missing)
    return weighted_scores(result.weights, filled, observed, config.missing)



