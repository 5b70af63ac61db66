"""Invariants of the scoring engine, checked on generated matrices (hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from scoring.criteria import CRITERIA
from scoring.engine import ScoringConfig, score_partners
from scoring.features import DecisionMatrix
from scoring.tiers import TierRule, assign_tiers

M = len(CRITERIA)
values = st.floats(min_value=0, max_value=1e4, allow_nan=False, allow_infinity=False)
maybe_missing = st.one_of(values, st.just(float("nan")))


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[DecisionMatrix, ScoringConfig]:
    n = draw(st.integers(min_value=2, max_value=12))
    raw = draw(arrays(np.float64, (n, M), elements=maybe_missing))
    weights = draw(st.lists(st.integers(min_value=0, max_value=20), min_size=M, max_size=M).filter(lambda w: sum(w) > 0))
    config = ScoringConfig(
        {c.key: float(w) for c, w in zip(CRITERIA, weights, strict=True)},
        normalisation=draw(st.sampled_from(["minmax", "rank", "zscore"])),
        missing=draw(st.sampled_from(["worst", "median", "reweight"])),
    )
    return DecisionMatrix(tuple(f"P{i:02d}" for i in range(n)), CRITERIA, raw), config


@settings(max_examples=150, deadline=None)
@given(scenarios(), st.floats(min_value=0.01, max_value=1000))
def test_scaling_all_weights_leaves_ranking_unchanged(case, factor: float) -> None:
    matrix, config = case
    scaled = ScoringConfig({k: w * factor for k, w in config.weights.items()}, config.normalisation, config.missing)
    a, b = score_partners(matrix, config), score_partners(matrix, scaled)
    assert np.allclose(a.score, b.score)
    assert np.array_equal(a.rank, b.rank)


@settings(max_examples=150, deadline=None)
@given(scenarios(), st.data())
def test_improving_a_benefit_criterion_never_lowers_own_score(case, data: st.DataObject) -> None:
    matrix, config = case
    n = len(matrix.partners)
    i = data.draw(st.integers(0, n - 1))
    benefit = [j for j, c in enumerate(CRITERIA) if c.direction == "benefit"]
    j = data.draw(st.sampled_from(benefit))
    if np.isnan(matrix.raw[i, j]):
        return
    bump = data.draw(st.floats(min_value=0.0, max_value=1e4))
    better = matrix.raw.copy()
    better[i, j] += bump
    before = score_partners(matrix, config).score[i]
    after = score_partners(DecisionMatrix(matrix.partners, matrix.criteria, better), config).score[i]
    assert after >= before - 1e-9


@settings(max_examples=150, deadline=None)
@given(scenarios())
def test_contributions_sum_to_score_and_scores_in_range(case) -> None:
    matrix, config = case
    result = score_partners(matrix, config)
    assert np.allclose(result.contributions.sum(axis=1), result.score)
    assert np.all(result.score >= -1e-9) and np.all(result.score <= 100 + 1e-9)
    assert sorted(result.rank.tolist()) == list(range(1, len(matrix.partners) + 1))


@settings(max_examples=150, deadline=None)
@given(
    scenarios(),
    st.sampled_from(["threshold", "quantile"]),
    st.floats(0.05, 1.0),
    st.floats(0.05, 1.0),
)
def test_tiers_partition_the_partners(case, mode: str, a: float, b: float) -> None:
    matrix, config = case
    result = score_partners(matrix, config)
    low, high = sorted((a, b))
    rule = TierRule(mode, 100 * high, 100 * low) if mode == "threshold" else TierRule(mode, low, high)
    tiers = assign_tiers(result.score, result.rank, rule)
    assert set(tiers.tier.tolist()) <= {1, 2, 3}
    assert len(tiers.tier) == len(matrix.partners)
    # Higher priority never sits in a lower tier than a partner it outranks.
    order = np.argsort(result.rank)
    assert np.all(np.diff(tiers.tier[order]) >= 0)
