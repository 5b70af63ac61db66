"""How robust is each conclusion? Weight stability intervals, Dirichlet Monte Carlo (rank
acceptability, tier probabilities), delivery-by-quarter probabilities, a predictability index and a
tornado — all vectorised over draws and candidates.

Conventions
-----------
- Weights are shares (sum 1). A criterion with zero weight stays at zero in every draw: the
  perturbation tests the weighting, not the choice of criteria.
- **Dirichlet draws** around the current shares ``w``: ``α = w · κ`` with concentration
  ``κ = 1 / spread²`` — a weight's coefficient of variation is then about ``spread·√((1−w)/w)``;
  spread 0 returns the base weights in every draw. Seeded (default seed 0).
- Tiers in draws follow the same rules as the scenario: the tier rule (threshold or quantile) and
  the coverage rules (``scoring.coverage``: not tiered below the minimum coverage; at most one tier
  above the worst-case tier).
- **Stability interval** of criterion ``j``: the range of its share (the others rescaled in
  proportion) over which the top-10 set and every partner's tier stay as they are now; found on a
  grid of ``grid`` points in [0, 1] and reported as the grid points just inside the change.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scoring.coverage import INSUFFICIENT, CoverageResult, CoverageRule, coverage_tiers
from scoring.engine import ScoreResult, rank_desc
from scoring.sensitivity import scores_for_weights
from scoring.tiers import TierRule, tiers_of

__all__ = [
    "RobustnessResult",
    "delivery_by_quarter",
    "dirichlet_weights",
    "predictability",
    "robustness",
    "stability_intervals",
    "tier_draws",
    "tornado_ranks",
    "tornado_rows",
]


def dirichlet_weights(weights: np.ndarray, n_draws: int, spread: float, seed: int = 0) -> np.ndarray:
    """``n_draws`` weight vectors (rows sum to 1) from a Dirichlet centred on ``weights``.

    Raises
    ------
    ValueError
        Negative or all-zero weights, ``n_draws`` < 1, or ``spread`` outside [0, 2].
    """
    w = np.asarray(weights, dtype=float)
    if (w < 0).any() or w.sum() <= 0:
        raise ValueError("Weights must be ≥ 0 and not all zero")
    if n_draws < 1:
        raise ValueError("At least one draw is needed")
    if not 0 <= spread <= 2:
        raise ValueError("The spread must be between 0 and 2")
    w = w / w.sum()
    if spread == 0:
        return np.broadcast_to(w, (n_draws, w.size)).copy()
    rng = np.random.default_rng(seed)
    alpha = w * (1.0 / spread**2)
    draws = np.zeros((n_draws, w.size))
    positive = alpha > 0
    draws[:, positive] = rng.gamma(alpha[positive], size=(n_draws, int(positive.sum())))
    total = draws.sum(axis=1, keepdims=True)
    degenerate = total[:, 0] <= 0
    draws[degenerate] = w
    total[degenerate] = 1.0
    return draws / total


def tier_draws(
    scores: np.ndarray, ranks: np.ndarray, weights: np.ndarray, normalised: np.ndarray,
    rule: TierRule, coverage: CoverageRule,
) -> np.ndarray:
    """Tier (1-3, or ``INSUFFICIENT``) of every partner under every weight vector (rows)."""
    return draw_coverage(scores, ranks, weights, normalised, rule, coverage).tier


def draw_coverage(
    scores: np.ndarray, ranks: np.ndarray, weights: np.ndarray, normalised: np.ndarray,
    rule: TierRule, coverage: CoverageRule,
) -> CoverageResult:
    """The scenario's tier and coverage rules in every draw (rows): tiers, and the queue score (the
    draw's score, or the worst-case score for a partner not tiered in that draw)."""
    raw, b1, b2 = tiers_of(scores, ranks, rule)
    return coverage_tiers(raw, b1, b2, scores, weights, normalised, coverage)


@dataclass(frozen=True)
class RobustnessResult:
    """Per partner over ``n_draws`` Dirichlet draws: rank acceptability (n, n): share of draws at
    each rank; tier probabilities (n, 4): tiers 1, 2, 3 and not tiered; P10/P90 rank; and the
    draws themselves (weights, scores, ranks, tiers, queue scores) for delivery dates and predictability."""

    n_draws: int
    spread: float
    acceptability: np.ndarray
    tier_probability: np.ndarray
    rank_p10: np.ndarray
    rank_p90: np.ndarray
    weights: np.ndarray
    scores: np.ndarray
    ranks: np.ndarray
    tiers: np.ndarray
    queue_scores: np.ndarray  # (n_draws, n): the score each partner queues at in each draw


def robustness(
    result: ScoreResult, rule: TierRule, coverage: CoverageRule, n_draws: int = 2000, spread: float = 0.3, seed: int = 0,
) -> RobustnessResult:
    """Dirichlet Monte Carlo of ranks and tiers around ``result``'s weights."""
    weights = dirichlet_weights(result.weights, n_draws, spread, seed)
    scores = scores_for_weights(result, weights)
    ranks = rank_desc(scores, result.partners)
    covered = draw_coverage(scores, ranks, weights, result.normalised, rule, coverage)
    tiers = covered.tier
    n = len(result.partners)
    acceptability = np.zeros((n, n))
    np.add.at(acceptability, (np.broadcast_to(np.arange(n), ranks.shape), ranks - 1), 1.0)
    acceptability /= n_draws
    tier_probability = np.stack([(tiers == t).mean(axis=0) for t in (1, 2, 3, INSUFFICIENT)], axis=1)
    p10, p90 = np.percentile(ranks, [10, 90], axis=0, method="nearest")
    return RobustnessResult(n_draws, spread, acceptability, tier_probability, p10, p90, weights, scores, ranks, tiers,
                            covered.queue_score)


def delivery_by_quarter(last_quarters: np.ndarray, by_quarter: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per order (columns of ``last_quarters``, draws in rows; negative = does not compete):
    probability of completing by ``by_quarter`` (inclusive), and the P10 / P90 completion quarter."""
    last = np.asarray(last_quarters)
    competing = (last >= 0).all(axis=0)
    p_by = np.where(competing, (last <= by_quarter).mean(axis=0), np.nan)
    p10, p90 = np.percentile(np.where(last < 0, 0, last), [10, 90], axis=0, method="nearest")
    return p_by, np.where(competing, p10, -1), np.where(competing, p90, -1)


def predictability(draws: np.ndarray, base: np.ndarray) -> np.ndarray:
    """Mean absolute change across draws (rows) against the base, per column: the critics'
    'a moving priority loses predictability', made measurable (zero under FCFS)."""
    d, b = np.asarray(draws, dtype=float), np.asarray(base, dtype=float)
    valid = (d >= 0) & (b >= 0)[None, :]
    diff = np.where(valid, np.abs(d - b[None, :]), 0.0)
    count = valid.sum(axis=0)
    return np.where(count > 0, diff.sum(axis=0) / np.maximum(count, 1), np.nan)


def stability_intervals(
    result: ScoreResult, rule: TierRule, coverage: CoverageRule, grid: int = 201, top_k: int = 10,
    hold: str = "both",
) -> list[tuple[float, float, float]]:
    """Per criterion: (current share, lowest share, highest share) over which the outcome held
    stays unchanged (others rescaled in proportion): ``hold`` = 'top' (the top-``top_k`` set),
    'tiers' (every partner's tier) or 'both'. Criteria whose share is 0 get (0, 0, highest share
    before a change)."""
    if hold not in ("top", "tiers", "both"):
        raise ValueError("hold is 'top', 'tiers' or 'both'")
    w = np.asarray(result.weights, dtype=float)
    w = w / w.sum()
    shares = np.linspace(0.0, 1.0, grid)
    base_scores = scores_for_weights(result, w[None, :])
    base_ranks = rank_desc(base_scores, result.partners)
    base_tiers = tier_draws(base_scores, base_ranks, w[None, :], result.normalised, rule, coverage)[0]
    base_top = base_ranks[0] <= top_k
    out = []
    for j in range(w.size):
        rest = 1.0 - w[j]
        others = np.where(np.arange(w.size) == j, 0.0, w)
        scale = np.where(rest > 0, (1.0 - shares) / (rest if rest > 0 else 1.0), 0.0)
        cand = others[None, :] * scale[:, None]
        cand[:, j] = shares
        valid = cand.sum(axis=1) > 0
        cand[~valid] = w
        scores = scores_for_weights(result, cand)
        ranks = rank_desc(scores, result.partners)
        tiers = tier_draws(scores, ranks, cand, result.normalised, rule, coverage)
        same_top = ((ranks <= top_k) == base_top).all(axis=1)
        same_tiers = (tiers == base_tiers).all(axis=1)
        same = (same_top if hold == "top" else same_tiers if hold == "tiers" else same_top & same_tiers) & valid
        here = int(np.argmin(np.abs(shares - w[j])))
        same[here] = True  # the current weights themselves
        lo = here
        while lo > 0 and same[lo - 1]:
            lo -= 1
        hi = here
        while hi < grid - 1 and same[hi + 1]:
            hi += 1
        out.append((float(w[j]), float(shares[lo]), float(shares[hi])))
    return out


def tornado_weights(weights: np.ndarray, change: float = 0.25) -> np.ndarray:
    """(2m, m) weight vectors: each weight alone × (1 − change), then × (1 + change), rescaled."""
    w = np.asarray(weights, dtype=float)
    m = w.size
    cand = np.repeat(w[None, :], 2 * m, axis=0)
    for j in range(m):
        cand[2 * j, j] *= 1.0 - change
        cand[2 * j + 1, j] *= 1.0 + change
    return cand / cand.sum(axis=1, keepdims=True)


def tornado_ranks(result: ScoreResult, partner_index: int, change: float = 0.25) -> np.ndarray:
    """(m, 2): the partner's rank when each weight alone is multiplied by (1 − change) and by
    (1 + change), the others rescaled so the shares sum to 1."""
    cand = tornado_weights(result.weights, change)
    ranks = rank_desc(scores_for_weights(result, cand), result.partners)
    return ranks[:, partner_index].reshape(-1, 2)



def tornado_rows(spans: np.ndarray, base: float, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The rows of a tornado chart from ``spans`` (criteria × [weight down, weight up]) around ``base``:
    indices of the criteria that carry weight, narrowest swing first (a tornado draws the widest on
    top), and each one's change with the weight down and up."""
    spans_a = np.asarray(spans, dtype=float)
    down, up = spans_a[:, 0] - base, spans_a[:, 1] - base
    used = np.flatnonzero(np.asarray(weights, dtype=float) > 0)
    order = used[np.argsort(np.abs(down[used]) + np.abs(up[used]), kind="stable")]
    return order, down[order], up[order]
