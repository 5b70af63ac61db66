"""The scoring engine: weights → normalised criteria → priority score, rank, tier, gates.

Structure (after scikit-criteria and pymcdm): ``score_partners`` validates its inputs once and
raises ``ValueError`` saying what to fix; the kernels below it (``normalise``, ``weighted_sum``,
``topsis``…) trust their input and work on arrays shaped ``(..., n_partners, n_criteria)`` so the
same code scores one scenario, a grid of "what would it take" scenarios, or Monte Carlo draws.
The result keeps every intermediate step (raw, normalised, filled, effective weights,
contributions) so the UI can explain any score criterion by criterion; contributions sum to the
score.

Scores are on a 0–100 scale. All normalisations map each criterion to [0, 1] with 1 = best
(cost criteria are inverted), so a score is the weighted share of the best attainable profile.

Missing values (documented rule, chosen by the analyst):
- ``'worst'``  — a missing value counts as the worst observed value (normalised 0): no credit
  for what is not on record. Default.
- ``'median'`` — a missing value counts as the median partner on that criterion.
- ``'reweight'`` — the criterion is dropped for that partner and its other weights are rescaled
  to sum to 1 (the partner is judged only on what is known).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from scoring.criteria import Criterion
from scoring.features import DecisionMatrix

Normalisation = Literal["minmax", "rank", "zscore"]
MissingRule = Literal["worst", "median", "reweight"]

NORMALISATIONS: dict[str, str] = {
    "minmax": "Min-max: (x − min) / (max − min)",
    "rank": "Percentile rank: (rank − 1) / (n − 1), ties averaged",
    "zscore": "Capped z-score: (clip(z, −3, 3) + 3) / 6",
}
MISSING_RULES: dict[str, str] = {
    "worst": "Missing = worst observed value (no credit for what is not on record)",
    "median": "Missing = median partner on that criterion",
    "reweight": "Missing criterion dropped; the partner's other weights rescaled to sum to 1",
}


# --------------------------------------------------------------------------------------------
# Validating boundary
# --------------------------------------------------------------------------------------------


def normalise_weights(weights: Mapping[str, float], criteria: Sequence[Criterion]) -> np.ndarray:
    """Weights in criterion order, scaled to sum to 1.

    Raises
    ------
    ValueError
        Unknown criterion, a negative or non-finite weight, or all weights zero.
    """
    known = {c.key for c in criteria}
    unknown = sorted(set(weights) - known)
    if unknown:
        raise ValueError(f"Unknown criterion {', '.join(map(repr, unknown))}; known: {sorted(known)}")
    vector = np.array([float(weights.get(c.key, 0.0)) for c in criteria])
    if not np.all(np.isfinite(vector)):
        raise ValueError("Weights must be finite numbers")
    negative = [c.key for c, w in zip(criteria, vector, strict=True) if w < 0]
    if negative:
        raise ValueError(f"Weights must be ≥ 0; negative for {', '.join(negative)}")
    total = vector.sum()
    if total <= 0:
        raise ValueError(
            "All weights are zero: give at least one criterion a positive weight "
            "(with no partner weighting the queue is first-come-first-served)"
        )
    return vector / total


@dataclass(frozen=True)
class ScoringConfig:
    """How to score: weights by criterion key, normalisation and missing-value rule."""

    weights: Mapping[str, float]
    normalisation: Normalisation = "minmax"
    missing: MissingRule = "worst"


@dataclass(frozen=True)
class ScoreResult:
    """Every step of a scoring run. Arrays are (n_partners, n_criteria) unless noted."""

    partners: tuple[str, ...]
    criteria: tuple[Criterion, ...]
    weights: np.ndarray  # (m,) normalised
    raw: np.ndarray
    normalised: np.ndarray  # oriented to 1 = best, NaN where missing
    filled: np.ndarray  # after the missing-value rule (reweight: missing → 0 with weight 0)
    effective_weights: np.ndarray  # per partner, rows sum to 1 (differs only under 'reweight')
    contributions: np.ndarray  # points; rows sum to score
    score: np.ndarray  # (n,) 0–100
    rank: np.ndarray  # (n,) 1 = highest priority
    missing: np.ndarray  # bool mask
    config: ScoringConfig = field(repr=False)

    def __post_init__(self) -> None:
        n, m = len(self.partners), len(self.criteria)
        if self.contributions.shape != (n, m) or self.score.shape != (n,) or self.rank.shape != (n,):
            raise AssertionError("a scoring result must have one row per partner and one column per criterion")


@dataclass(frozen=True)
class PreparedMatrix:
    """The weight-free part of scoring (transform, normalise, missing rule), reusable across weights."""

    matrix: DecisionMatrix
    normalisation: Normalisation
    missing_rule: MissingRule
    normalised: np.ndarray
    filled: np.ndarray
    observed: np.ndarray
    by_code: np.ndarray  # (n,) partner indices in code order: the rank tie-break (see rank_desc)


def prepare(matrix: DecisionMatrix, normalisation: Normalisation = "minmax", missing: MissingRule = "worst") -> PreparedMatrix:
    """Normalise ``matrix`` once for any number of weight vectors.

    Raises
    ------
    ValueError
        Empty matrix, or unknown normalisation or missing rule.
    """
    n, m = matrix.raw.shape
    if n == 0 or m == 0:
        raise ValueError("The decision matrix is empty: no partners or no criteria to score")
    if normalisation not in NORMALISATIONS:
        raise ValueError(f"Unknown normalisation {normalisation!r}; use one of {sorted(NORMALISATIONS)}")
    if missing not in MISSING_RULES:
        raise ValueError(f"Unknown missing-value rule {missing!r}; use one of {sorted(MISSING_RULES)}")
    normalised = normalise(transform(matrix.raw, matrix.criteria), matrix.criteria, normalisation)
    filled, observed = fill_missing(normalised, missing)
    by_code = np.argsort(np.asarray(matrix.partners), kind="stable")
    return PreparedMatrix(matrix, normalisation, missing, normalised, filled, observed, by_code)


def score_prepared(prepared: PreparedMatrix, weights: Mapping[str, float]) -> ScoreResult:
    """Score a prepared matrix with one weight vector.

    Raises
    ------
    ValueError
        Invalid weights (see :func:`normalise_weights`).
    """
    matrix = prepared.matrix
    vector = normalise_weights(weights, matrix.criteria)
    effective = effective_weights(vector, prepared.observed, prepared.missing_rule)
    contributions = 100.0 * effective * prepared.filled
    score = weighted_scores(vector, prepared.filled, prepared.observed, prepared.missing_rule)
    rank = rank_desc(score, matrix.partners, by_code=prepared.by_code)
    return ScoreResult(
        partners=matrix.partners,
        criteria=matrix.criteria,
        weights=vector,
        raw=matrix.raw,
        normalised=prepared.normalised,
        filled=prepared.filled,
        effective_weights=effective,
        contributions=contributions,
        score=score,
        rank=rank,
        missing=~prepared.observed,
        config=ScoringConfig(weights, prepared.normalisation, prepared.missing_rule),
    )


def score_partners(matrix: DecisionMatrix, config: ScoringConfig) -> ScoreResult:
    """Score every partner of ``matrix``: :func:`prepare` then :func:`score_prepared`.

    Raises
    ------
    ValueError
        Empty matrix, unknown normalisation or missing rule, or invalid weights (see
        :func:`normalise_weights`).
    """
    return score_prepared(prepare(matrix, config.normalisation, config.missing), config.weights)


# --------------------------------------------------------------------------------------------
# Kernels: trust their input, shaped (..., n, m)
# --------------------------------------------------------------------------------------------


def transform(raw: np.ndarray, criteria: Sequence[Criterion]) -> np.ndarray:
    """Clip to each criterion's bounds, then apply its transform (log1p of the non-negative part)."""
    out = np.array(raw, dtype=float, copy=True)
    for j, criterion in enumerate(criteria):
        if criterion.bounds is not None:
            out[..., j] = np.clip(out[..., j], *criterion.bounds)  # NaN stays NaN
        if criterion.transform == "log":
            out[..., j] = np.log1p(np.maximum(out[..., j], 0.0))
    return out


def normalise(values: np.ndarray, criteria: Sequence[Criterion], method: Normalisation) -> np.ndarray:
    """Map each criterion to [0, 1] over partners (axis −2), 1 = best; NaN stays NaN.

    A criterion with no spread (all observed values equal) maps to 0.5 for everyone observed.
    """
    x = np.asarray(values, dtype=float)
    observed = ~np.isnan(x)
    count = observed.sum(axis=-2, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "minmax":
            low = np.where(observed, x, np.inf).min(axis=-2, keepdims=True)
            high = np.where(observed, x, -np.inf).max(axis=-2, keepdims=True)
            spread = high - low
            out = np.where(spread > 0, (x - low) / np.where(spread > 0, spread, 1.0), 0.5)
        elif method == "rank":
            ranks = average_ranks(x)
            out = np.where(count > 1, (ranks - 1.0) / np.maximum(count - 1, 1), 0.5)
        elif method == "zscore":
            total = np.where(observed, x, 0.0).sum(axis=-2, keepdims=True)
            mean = total / np.maximum(count, 1)
            dev = np.where(observed, x - mean, 0.0)
            std = np.sqrt((dev**2).sum(axis=-2, keepdims=True) / np.maximum(count, 1))
            z = np.where(std > 0, dev / np.where(std > 0, std, 1.0), 0.0)
            out = (np.clip(z, -3.0, 3.0) + 3.0) / 6.0
        else:  # pragma: no cover - validated at the boundary
            raise ValueError(f"Unknown normalisation {method!r}")
    cost = np.array([c.direction == "cost" for c in criteria])
    out = np.where(cost, 1.0 - out, out)
    return np.where(observed, out, np.nan)


def average_ranks(x: np.ndarray) -> np.ndarray:
    """1-based ranks along axis −2 with ties averaged; NaN ranks as NaN (sorted last)."""
    order = np.argsort(x, axis=-2, kind="stable")
    sorted_x = np.take_along_axis(x, order, axis=-2)
    n = x.shape[-2]
    positions = np.arange(1, n + 1, dtype=float).reshape((n, 1))
    positions = np.broadcast_to(positions, x.shape)
    # Average the positions of equal values: group boundaries where the sorted value changes.
    new_group = np.ones(x.shape, dtype=bool)
    new_group[..., 1:, :] = sorted_x[..., 1:, :] != sorted_x[..., :-1, :]
    group_id = np.cumsum(new_group, axis=-2) - 1
    # Scatter-add positions per group over a flattened batch axis (groups are contiguous).
    flat_shape = (-1, n, x.shape[-1])
    gid = group_id.reshape(flat_shape)
    pos = positions.reshape(flat_shape)
    batch = gid.shape[0]
    s = np.zeros((batch, n, x.shape[-1]))
    c = np.zeros((batch, n, x.shape[-1]))
    b_idx = np.arange(batch)[:, None, None]
    m_idx = np.arange(x.shape[-1])[None, None, :]
    np.add.at(s, (b_idx, gid, m_idx), pos)
    np.add.at(c, (b_idx, gid, m_idx), 1.0)
    mean_pos = np.take_along_axis(s / np.maximum(c, 1.0), gid, axis=-2).reshape(x.shape)
    ranks = np.empty(x.shape)
    np.put_along_axis(ranks, order, mean_pos, axis=-2)
    return np.where(np.isnan(x), np.nan, ranks)


def fill_missing(normalised: np.ndarray, rule: MissingRule) -> tuple[np.ndarray, np.ndarray]:
    """Apply the missing-value rule; returns (filled values, observed mask)."""
    observed = ~np.isnan(normalised)
    if rule == "median":
        median = np.nanmedian(np.where(observed.any(axis=-2, keepdims=True), normalised, 0.0), axis=-2, keepdims=True)
        filled = np.where(observed, normalised, median)
    else:  # 'worst' and 'reweight' both put 0 in the gap; 'reweight' also zeroes its weight
        filled = np.where(observed, normalised, 0.0)
    return filled, observed


def effective_weights(weights: np.ndarray, observed: np.ndarray, rule: MissingRule) -> np.ndarray:
    """Per-partner weights (rows sum to 1). Only 'reweight' differs from the global weights."""
    base = np.broadcast_to(weights, observed.shape).astype(float)
    if rule != "reweight":
        return np.array(base)
    kept = np.where(observed, base, 0.0)
    total = kept.sum(axis=-1, keepdims=True)
    # A partner with none of the weighted criteria on record keeps zero weight everywhere.
    return np.where(total > 0, kept / np.where(total > 0, total, 1.0), 0.0)


def weighted_scores(weights: np.ndarray, filled: np.ndarray, observed: np.ndarray, missing: MissingRule) -> np.ndarray:
    """The score kernel, once for the scenario and every batch of weights or matrices: 0–100 points,
    ``100 · Σ_j w_j·x_ij / Σ_j w_j`` over the criteria that count for partner ``i`` (every criterion, or
    under 'reweight' only those on record; a partner with none of them scores 0).

    ``weights`` is ``(m,)`` or ``(k, m)``; ``filled`` (after the missing-value rule) and ``observed`` are
    ``(..., n, m)``. Returns ``(..., n)`` for one weight vector, ``(k, n)`` for ``k`` of them.
    """
    w = np.asarray(weights, dtype=float)
    filled = np.asarray(filled, dtype=float)
    mask = np.asarray(observed, dtype=float) if missing == "reweight" else np.ones(filled.shape)
    numerator = (mask * filled) @ w.T
    denominator = mask @ w.T
    scores = 100.0 * np.where(denominator > 0, numerator / np.where(denominator > 0, denominator, 1.0), 0.0)
    return np.swapaxes(scores, -1, -2) if w.ndim == 2 else scores


def rank_desc(score: np.ndarray, partners: Sequence[str], *, by_code: np.ndarray | None = None) -> np.ndarray:
    """1-based rank by score descending along the last axis (one row per draw if 2-D); ties broken by
    partner code so ranks are stable: the one rank rule of the scenario and every batch.

    Scores are compared at 1e-9 points so floating-point noise does not break a true tie. ``by_code``
    (the partner indices in code order, ``PreparedMatrix.by_code``) saves sorting the codes again.
    """
    score = np.asarray(score, dtype=float)
    n = score.shape[-1]
    if by_code is None:
        by_code = np.argsort(np.asarray(partners), kind="stable")
    keyed = -np.round(score[..., by_code], 9)
    order = by_code[np.argsort(keyed, axis=-1, kind="stable")]
    rank = np.empty(order.shape, dtype=np.int64)
    np.put_along_axis(rank, order, np.broadcast_to(np.arange(1, n + 1), order.shape), axis=-1)
    return rank


def topsis(filled: np.ndarray, effective: np.ndarray) -> np.ndarray:
    """TOPSIS closeness (0–100) on the normalised, oriented matrix.

    Ideal = best observed value per criterion, anti-ideal = worst; closeness = d⁻ / (d⁺ + d⁻).
    """
    weighted = filled * effective
    column_weight = effective.max(axis=-2, keepdims=True)
    ideal = (filled.max(axis=-2, keepdims=True)) * column_weight
    anti = (filled.min(axis=-2, keepdims=True)) * column_weight
    d_plus = np.sqrt(((weighted - ideal) ** 2).sum(axis=-1))
    d_minus = np.sqrt(((weighted - anti) ** 2).sum(axis=-1))
    denominator = d_plus + d_minus
    return 100.0 * np.where(denominator > 0, d_minus / np.where(denominator > 0, denominator, 1.0), 0.5)


def kendall_tau(a: np.ndarray, b: np.ndarray) -> float:
    """Kendall's tau-b between two score vectors (1 = same order, −1 = reversed)."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    i, j = np.triu_indices(len(a), k=1)
    da = np.sign(a[i] - a[j])
    db = np.sign(b[i] - b[j])
    concordant_minus_discordant = float((da * db).sum())
    n_a = float(np.count_nonzero(da))
    n_b = float(np.count_nonzero(db))
    if n_a == 0 or n_b == 0:
        return float("nan")
    return concordant_minus_discordant / np.sqrt(n_a * n_b)


def spearman_rho(a: np.ndarray, b: np.ndarray) -> float:
    """Spearman's rank correlation (average ranks for ties)."""
    ra = average_ranks(np.asarray(a, dtype=float)[:, None])[:, 0]
    rb = average_ranks(np.asarray(b, dtype=float)[:, None])[:, 0]
    if np.std(ra) == 0 or np.std(rb) == 0:
        return float("nan")
    return float(np.corrcoef(ra, rb)[0, 1])


@dataclass(frozen=True)
class CrossCheck:
    """Weighted sum against TOPSIS on the same inputs, overall and where it matters (the top)."""

    topsis_score: np.ndarray
    topsis_rank: np.ndarray
    kendall_tau: float
    spearman_rho: float
    top10_overlap: float = float("nan")  # share of the WSM top 10 that TOPSIS also puts in its top 10
    top30_overlap: float = float("nan")
    top30_tau: float = float("nan")  # Kendall tau of both scores over the WSM top 30

    @property
    def robust(self) -> bool:
        """The rule for calling a ranking robust to the method: the top agrees, not just the tail."""
        return self.top10_overlap >= 0.8 and self.top30_tau >= 0.8

    def verdict(self) -> str:
        """A sentence on the agreement that never overstates it."""
        text = (
            f"TOPSIS keeps {self.top10_overlap:.0%} of the weighted-sum top 10 and {self.top30_overlap:.0%} of the "
            f"top 30 (Kendall τ = {self.top30_tau:.2f} within the top 30; {self.kendall_tau:.2f} over all partners)"
        )
        if self.robust:
            return text + ": the top of the ranking is robust to the method."
        return (
            text + ": the top of the ranking depends on the method — TOPSIS rewards partners close to the best "
            "value on every criterion, the weighted sum lets strength on one criterion offset weakness on another."
        )


def top_k_agreement(score_a: np.ndarray, score_b: np.ndarray, rank_a: np.ndarray, rank_b: np.ndarray, k: int) -> float:
    """Share of the top ``k`` by ``rank_a`` that are also in the top ``k`` by ``rank_b``."""
    k = min(k, len(rank_a))
    if k == 0:
        return float("nan")
    top_a = set(np.flatnonzero(rank_a <= k).tolist())
    top_b = set(np.flatnonzero(rank_b <= k).tolist())
    return len(top_a & top_b) / k


def cross_check(result: ScoreResult) -> CrossCheck:
    """TOPSIS scores and ranks for ``result`` and their agreement with the weighted sum."""
    closeness = topsis(result.filled, result.effective_weights)
    topsis_rank = rank_desc(closeness, result.partners)
    top30 = result.rank <= min(30, len(result.rank))
    return CrossCheck(
        topsis_score=closeness,
        topsis_rank=topsis_rank,
        kendall_tau=kendall_tau(result.score, closeness),
        spearman_rho=spearman_rho(result.score, closeness),
        top10_overlap=top_k_agreement(result.score, closeness, result.rank, topsis_rank, 10),
        top30_overlap=top_k_agreement(result.score, closeness, result.rank, topsis_rank, 30),
        top30_tau=kendall_tau(result.score[top30], closeness[top30]),
    )
