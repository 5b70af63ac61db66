"""Robustness analyses: Dirichlet draws, acceptability, tiers in draws, delivery-by-quarter,
predictability, stability intervals (endpoints really flip the outcome) and the tornado."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.coverage import CoverageRule, apply_coverage
from scoring.criteria import Criterion
from scoring.engine import ScoringConfig, score_partners
from scoring.features import DecisionMatrix
from scoring.robustness import (
    delivery_by_quarter, dirichlet_weights, predictability, robustness, stability_intervals, tier_draws, tornado_ranks,
)
from scoring.engine import rank_desc
from scoring.sensitivity import scores_for_weights
from scoring.tiers import TierRule, assign_tiers

CRIT = tuple(Criterion(f"c{j}", f"C{j}", "Defense investment", "benefit", "x", f"c{j}", "t", "t") for j in range(3))


def scored(seed: int = 0, n: int = 30, missing: float = 0.1):
    rng = np.random.default_rng(seed)
    raw = rng.random((n, 3)) * 10
    raw[rng.random((n, 3)) < missing] = np.nan
    matrix = DecisionMatrix(tuple(f"P{i:02d}" for i in range(n)), CRIT, raw)
    return score_partners(matrix, ScoringConfig({"c0": 5, "c1": 3, "c2": 2}, "minmax", "worst"))


def test_zero_spread_draws_are_the_base_and_zero_weights_stay_zero() -> None:
    w = np.array([0.5, 0.3, 0.2, 0.0])
    assert np.allclose(dirichlet_weights(w, 5, 0.0), w)
    drawn = dirichlet_weights(w, 500, 0.5, seed=1)
    assert np.allclose(drawn.sum(axis=1), 1.0) and (drawn[:, 3] == 0).all()
    assert np.allclose(drawn.mean(axis=0), w, atol=0.03)  # centred on the base
    assert np.array_equal(dirichlet_weights(w, 50, 0.5, seed=7), dirichlet_weights(w, 50, 0.5, seed=7))


def test_acceptability_rows_sum_to_one_and_tiers_match_the_scenario_at_the_base() -> None:
    result = scored()
    rule, cov = TierRule("threshold", 60, 40), CoverageRule(0.6)
    rob = robustness(result, rule, cov, n_draws=400, spread=0.3)
    assert np.allclose(rob.acceptability.sum(axis=1), 1.0) and np.allclose(rob.acceptability.sum(axis=0), 1.0)
    assert np.allclose(rob.tier_probability.sum(axis=1), 1.0)
    base = robustness(result, rule, cov, n_draws=3, spread=0.0)
    expected = apply_coverage(assign_tiers(result.score, result.rank, rule), result.score, result.weights,
                              result.normalised, cov).tier
    assert (base.tiers == expected).all()


@settings(max_examples=50, deadline=None)
@given(st.lists(st.lists(st.integers(-1, 20), min_size=6, max_size=6), min_size=1, max_size=40))
def test_delivery_probability_is_monotone_in_the_quarter(rows) -> None:
    last = np.array(rows)
    probs = [delivery_by_quarter(last, q)[0] for q in range(-1, 22)]
    for earlier, later in zip(probs, probs[1:], strict=False):
        ok = ~np.isnan(earlier)
        assert (later[ok] >= earlier[ok]).all()


def test_predictability_is_zero_when_nothing_moves() -> None:
    base = np.array([3, 5, -1])
    assert predictability(np.tile(base, (4, 1)), base)[:2].tolist() == [0.0, 0.0]
    assert predictability(np.array([[4, 5, -1], [2, 5, -1]]), base)[0] == 1.0


@pytest.mark.parametrize("hold", ["both", "top", "tiers"])
@pytest.mark.parametrize("mode", ["threshold", "quantile"])
def test_stability_endpoints_really_flip_the_outcome(mode, hold) -> None:
    result = scored(seed=3)
    rule = TierRule("threshold", 60, 40) if mode == "threshold" else TierRule("quantile", 0.2, 0.5)
    cov = CoverageRule(0.6)
    grid = 201
    w = result.weights / result.weights.sum()

    def outcome(j: int, share: float):
        others = np.where(np.arange(3) == j, 0.0, w)
        cand = others * (1 - share) / (1 - w[j])
        cand[j] = share
        scores = scores_for_weights(result, cand[None, :])
        ranks = rank_desc(scores, result.partners)
        return (ranks[0] <= 10), tier_draws(scores, ranks, cand[None, :], result.normalised, rule, cov)[0]

    def same(a, b) -> bool:
        top = (a[0] == b[0]).all()
        tiers = (a[1] == b[1]).all()
        return bool(top if hold == "top" else tiers if hold == "tiers" else top and tiers)

    for j, (current, lo, hi) in enumerate(stability_intervals(result, rule, cov, grid=grid, hold=hold)):
        assert lo <= current + 1e-9 and current <= hi + 1e-9
        base = outcome(j, current)
        for inside in (lo, hi):
            assert same(outcome(j, inside), base)
        step = 1 / (grid - 1)
        for outside in (lo - step, hi + step):
            if 0 <= outside < 1:
                assert not same(outcome(j, outside), base)


def test_tornado_moves_rank_the_way_the_weight_pulls() -> None:
    # Partner 0 is best on c0 and worst elsewhere: more weight on c0 can only help it.
    raw = np.array([[10.0, 0.0, 0.0], [5.0, 5.0, 5.0], [0.0, 10.0, 10.0], [4.0, 6.0, 3.0]])
    matrix = DecisionMatrix(("A", "B", "C", "D"), CRIT, raw)
    result = score_partners(matrix, ScoringConfig({"c0": 1, "c1": 1, "c2": 1}))
    spans = tornado_ranks(result, 0, 0.5)
    assert spans[0, 1] <= spans[0, 0]  # c0 up → rank no worse
    assert spans[1, 0] <= spans[1, 1]  # c1 down → rank no worse


def test_tornado_weights_change_one_weight_at_a_time() -> None:
    from scoring.robustness import tornado_weights

    w = np.array([0.5, 0.3, 0.2])
    cand = tornado_weights(w, 0.5)
    assert cand.shape == (6, 3) and np.allclose(cand.sum(axis=1), 1.0)
    # Row 0: w0 × 0.5 = 0.25, then rescaled with 0.3 and 0.2: 0.25 / 0.75.
    assert cand[0, 0] == pytest.approx(0.25 / 0.75) and cand[1, 0] == pytest.approx(0.75 / 1.25)
    assert np.allclose(tornado_weights(w, 0.0), w)


def test_zero_weights_take_no_randomness_and_one_draw_is_allowed() -> None:
    """A zero weight draws nothing, so the other criteria's draws are those of the same seed without it;
    one draw is enough (zero is refused)."""
    with_zero = dirichlet_weights(np.array([1.0, 0.0, 3.0]), 200, 0.4, seed=3)
    without = dirichlet_weights(np.array([1.0, 3.0]), 200, 0.4, seed=3)
    assert np.array_equal(with_zero[:, [0, 2]], without) and (with_zero[:, 1] == 0).all()
    assert dirichlet_weights(np.array([2.0, 2.0]), 1, 0.3).shape == (1, 2)
    with pytest.raises(ValueError, match="one draw"):
        dirichlet_weights(np.array([2.0, 2.0]), 0, 0.3)


def test_robustness_defaults_seed_and_rank_percentiles() -> None:
    """2,000 draws at spread 0.3 and seed 0 by default (what the Robustness page states); the same seed
    gives the same draws, another seed others; P10/P90 are observed ranks (nearest); the queue scores
    are the draws' own scores for tiered partners."""
    result = scored(4, n=12)
    rule, cov = TierRule("threshold", 60, 40), CoverageRule(0.0)
    base = robustness(result, rule, cov)
    assert base.n_draws == 2000 and base.spread == 0.3 and base.ranks.shape == (2000, 12)
    assert np.array_equal(base.weights, robustness(result, rule, cov, seed=0).weights)
    assert not np.array_equal(base.weights, robustness(result, rule, cov, seed=1).weights)
    assert np.array_equal(base.weights, dirichlet_weights(result.weights, 2000, 0.3, 0))
    assert base.rank_p10.tolist() == np.percentile(base.ranks, 10, axis=0, method="nearest").tolist()
    assert base.rank_p90.tolist() == np.percentile(base.ranks, 90, axis=0, method="nearest").tolist()
    tiered = base.tiers != 4
    assert np.allclose(base.queue_scores[tiered], base.scores[tiered])
    wide = robustness(result, rule, cov, n_draws=300, spread=1.0, seed=2)
    assert wide.spread == 1.0 and np.array_equal(wide.weights, dirichlet_weights(result.weights, 300, 1.0, 2))


def test_an_outcome_that_never_changes_is_stable_over_the_whole_range() -> None:
    """Three partners and the top 10: the top-10 set is everyone whatever the weights, so each
    criterion's interval is the whole range 0–100 %."""
    result = scored(5, n=3, missing=0.0)
    for current, lo, hi in stability_intervals(result, TierRule("threshold", 60, 40), CoverageRule(0.0), grid=11, hold="top"):
        assert (lo, hi) == (0.0, 1.0) and 0 < current < 1
    with pytest.raises(ValueError, match="hold"):
        stability_intervals(result, TierRule("threshold", 60, 40), CoverageRule(0.0), hold="rank")


def test_monte_carlo_defaults_and_rank_percentiles() -> None:
    from scoring.sensitivity import draw_weights, monte_carlo

    result = scored(6, n=10)
    mc = monte_carlo(result, TierRule("threshold", 60, 40))
    assert mc.n_draws == 1000 and mc.spread == 0.5
    assert np.array_equal(mc.ranks, monte_carlo(result, TierRule("threshold", 60, 40), seed=0).ranks)
    weights = draw_weights(result.weights, 1000, 0.5, 0)
    assert np.array_equal(mc.ranks, rank_desc(scores_for_weights(result, weights), result.partners))
    p05, p50, p95 = np.percentile(mc.ranks, [5, 50, 95], axis=0)
    assert mc.rank_p05.tolist() == p05.tolist() and mc.rank_median.tolist() == p50.tolist()
    assert mc.rank_p95.tolist() == p95.tolist()


def test_predictability_counts_quarter_zero_and_leaves_out_only_what_does_not_compete() -> None:
    """Base completion quarters 0 and 2 (and -1: not competing); draws [1, 2, 5] and [0, -1, 3]: column 0
    moves 1 and 0 → 0.5 (quarter 0 is a real quarter); column 1 moves 0 in its one valid draw; column 2's
    base does not compete → NaN."""
    out = predictability(np.array([[1, 2, 5], [0, -1, 3]]), np.array([0, 2, -1]))
    assert out[:2].tolist() == [0.5, 0.0] and np.isnan(out[2])
