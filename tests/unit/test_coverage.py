"""Coverage: the share of the weight on observed data, and the rules that stop thin data promoting a partner."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.coverage import INSUFFICIENT, CoverageRule, apply_coverage, coverage_share
from scoring.criteria import Criterion
from scoring.engine import ScoringConfig, score_partners
from scoring.features import DecisionMatrix
from scoring.tiers import TierRule, assign_tiers

CRITERIA = tuple(
    Criterion(f"c{j}", f"C{j}", "Defense investment", "benefit", "x", f"c{j}", "test", "test") for j in range(4)
)


def tier_with_coverage(raw: np.ndarray, weights: dict[str, float], missing: str, rule: TierRule = TierRule()):
    partners = tuple(f"P{i:02d}" for i in range(raw.shape[0]))
    result = score_partners(DecisionMatrix(partners, CRITERIA, raw), ScoringConfig(weights, "minmax", missing))
    tiers = assign_tiers(result.score, result.rank, rule)
    return apply_coverage(tiers, result.score, result.weights, result.normalised, CoverageRule(0.6)), result


def test_coverage_share_is_the_observed_weight() -> None:
    observed = np.array([[True, True, False, False], [True, False, False, False]])
    weights = np.array([0.5, 0.25, 0.125, 0.125])
    assert coverage_share(weights, observed).tolist() == [0.75, 0.5]


def test_a_partner_on_one_figure_is_not_tiered_and_queues_at_its_worst_case() -> None:
    # P2 has only c0 (the best value): under 'reweight' it would score 100 and lead the ranking.
    raw = np.array([[1.0, 1.0, 1.0, 1.0], [0.0, 0.0, 0.0, 0.0], [1.0, np.nan, np.nan, np.nan]])
    cov, result = tier_with_coverage(raw, {"c0": 1, "c1": 1, "c2": 1, "c3": 1}, "reweight")
    assert result.score[2] == 100.0
    assert cov.tier.tolist() == [1, 3, INSUFFICIENT]
    assert cov.share[2] == 0.25
    assert cov.queue_score[2] == 25.0  # 100 × (1 × 0.25): missing criteria count as the worst value


def test_imputation_lifts_a_partner_at_most_one_tier() -> None:
    # P2 observes c0..c2 (75 % of the weight) at the best value, c3 missing: worst case 75 → tier 1 anyway.
    # P3 observes c0 at 1 and c1, c2 at 0.5 → reweight score 66.7 (tier 1), worst case 50 (tier 2): allowed.
    # P4 observes c0 = 1, c1 = c2 = 0 and misses c3: reweight 33.3 (tier 2), worst case 25 (tier 3): one tier up, allowed.
    raw = np.array(
        [[1, 1, 1, 1], [0, 0, 0, 0], [1, 1, 1, np.nan], [1, 0.5, 0.5, np.nan], [1, 0, 0, np.nan]], dtype=float
    )
    cov, result = tier_with_coverage(raw, {"c0": 1, "c1": 1, "c2": 1, "c3": 1}, "reweight", TierRule("threshold", 60, 30))
    assert cov.worst_score.round(1).tolist() == [100.0, 0.0, 75.0, 50.0, 25.0]
    assert cov.tier.tolist() == [1, 3, 1, 1, 2]
    assert not cov.capped.any()
    cov_low, _ = tier_with_coverage(raw, {"c0": 1, "c1": 1, "c2": 1, "c3": 1}, "reweight", TierRule("threshold", 30, 28))
    assert cov_low.tier[4] == 2 and cov_low.capped[4]  # reweight gives 33.3 (tier 1); worst 25 is tier 3 → capped at 2


matrices = st.integers(min_value=4, max_value=12).flatmap(
    lambda n: st.lists(
        st.lists(st.one_of(st.none(), st.floats(0, 10, allow_nan=False)), min_size=4, max_size=4),
        min_size=n, max_size=n,
    )
)
weight_sets = st.lists(st.integers(0, 20), min_size=4, max_size=4).filter(lambda w: sum(1 for x in w if x > 0) >= 2)


def _matrix(rows) -> np.ndarray:
    return np.array([[np.nan if v is None else v for v in row] for row in rows], dtype=float)


@settings(max_examples=150, deadline=None)
@given(matrices, weight_sets, st.sampled_from(["worst", "median", "reweight"]))
def test_no_partner_reaches_tier_one_on_one_criterion_alone(rows, weights, missing) -> None:
    raw = _matrix(rows)
    w = {f"c{j}": float(x) for j, x in enumerate(weights)}
    cov, _ = tier_with_coverage(raw, w, missing)
    weighted = np.array([x > 0 for x in weights])
    single = (~np.isnan(raw) & weighted).sum(axis=1) <= 1
    assert not (single & (cov.tier == 1)).any()


@settings(max_examples=150, deadline=None)
@given(matrices, weight_sets, st.sampled_from(["worst", "median", "reweight"]), st.data())
def test_removing_one_value_never_lifts_a_partner_two_tiers(rows, weights, missing, data) -> None:
    raw = _matrix(rows)
    observed = np.argwhere(~np.isnan(raw))
    if len(observed) == 0:
        return
    i, j = observed[data.draw(st.integers(0, len(observed) - 1))]
    w = {f"c{k}": float(x) for k, x in enumerate(weights)}
    before, _ = tier_with_coverage(raw, w, missing)
    thinner = raw.copy()
    thinner[i, j] = np.nan
    after, _ = tier_with_coverage(thinner, w, missing)
    if after.tier[i] == INSUFFICIENT:
        return  # not tiered at all: no promotion
    old = 3 if before.tier[i] == INSUFFICIENT else before.tier[i]
    assert after.tier[i] >= old - 1
