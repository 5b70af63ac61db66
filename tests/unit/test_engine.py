"""Scoring engine: hand-computed expectations and validation messages."""

from __future__ import annotations

import numpy as np
import pytest

from scoring.criteria import Criterion
from scoring.engine import (
    ScoringConfig,
    cross_check,
    kendall_tau,
    normalise,
    normalise_weights,
    score_partners,
    spearman_rho,
)
from scoring.features import DecisionMatrix

SPEND = Criterion("spend", "Spend", "Defense investment", "benefit", "%", "spend", "test", "test")
RISK = Criterion("risk", "Risk", "Risk", "cost", "0-5", "risk", "test", "test", judgement=True)
SIZE = Criterion("size", "Size", "Defense investment", "benefit", "US$", "size", "test", "test", transform="log")


def matrix(raw: list[list[float]], criteria=(SPEND, RISK)) -> DecisionMatrix:
    return DecisionMatrix(tuple(f"P{i}" for i in range(len(raw))), tuple(criteria), np.array(raw, dtype=float))


def test_weighted_sum_min_max_by_hand() -> None:
    """Three partners, spend (benefit) 1/2/4, risk (cost) 0/5/1, weights 3:1.

    Min-max: spend → 0, 1/3, 1; risk → 1 − (0, 1, 0.2) = 1, 0, 0.8.
    Weights → 0.75, 0.25. Scores: P0 = 0.25·1 = 25; P1 = 0.75/3 = 25; P2 = 0.75 + 0.2 = 95.
    P0 and P1 tie at 25; the tie breaks by partner code, so P0 ranks 2nd and P1 3rd.
    """
    result = score_partners(matrix([[1, 0], [2, 5], [4, 1]]), ScoringConfig({"spend": 3, "risk": 1}))
    assert np.allclose(result.score, [25.0, 25.0, 95.0])
    assert list(result.rank) == [2, 3, 1]
    assert np.allclose(result.contributions, [[0, 25], [25, 0], [75, 20]])
    assert np.allclose(result.contributions.sum(axis=1), result.score)


def test_percentile_rank_normalisation_averages_ties() -> None:
    """Values 10, 20, 20, 40 → ranks 1, 2.5, 2.5, 4 → (r − 1)/3 = 0, 0.5, 0.5, 1."""
    out = normalise(np.array([[10.0], [20.0], [20.0], [40.0]]), (SPEND,), "rank")
    assert np.allclose(out[:, 0], [0, 0.5, 0.5, 1])


def test_zscore_normalisation_is_capped() -> None:
    """Values −1, 1 (mean 0, population std 1): z = −1, 1 → (z + 3)/6 = 1/3, 2/3."""
    out = normalise(np.array([[-1.0], [1.0]]), (SPEND,), "zscore")
    assert np.allclose(out[:, 0], [1 / 3, 2 / 3])
    outlier = normalise(np.array([[0.0]] * 99 + [[1000.0]]), (SPEND,), "zscore")
    assert outlier.max() <= 1.0 and outlier.min() >= 0.0


def test_log_transform_before_min_max() -> None:
    """Sizes 0, e−1, e²−1 → log1p 0, 1, 2 → min-max 0, 0.5, 1."""
    result = score_partners(
        matrix([[0.0], [np.e - 1], [np.e**2 - 1]], criteria=(SIZE,)), ScoringConfig({"size": 1})
    )
    assert np.allclose(result.score, [0, 50, 100])


def test_missing_rules() -> None:
    """P1 has no spend figure. Spend 0 / NaN / 10; risk 0 / 0 / 5. Equal weights.

    worst: P1 spend → 0; risk normalised 1, 1, 0 → P1 = 0.5·0 + 0.5·1 = 50.
    median: observed spend normalised 0 and 1 → median 0.5 → P1 = 25 + 50 = 75.
    reweight: P1 judged on risk only → 100.
    """
    raw = [[0, 0], [np.nan, 0], [10, 5]]
    weights = {"spend": 1, "risk": 1}
    assert score_partners(matrix(raw), ScoringConfig(weights, missing="worst")).score[1] == pytest.approx(50)
    assert score_partners(matrix(raw), ScoringConfig(weights, missing="median")).score[1] == pytest.approx(75)
    reweighted = score_partners(matrix(raw), ScoringConfig(weights, missing="reweight"))
    assert reweighted.score[1] == pytest.approx(100)
    assert reweighted.missing[1, 0] and not reweighted.missing[1, 1]
    assert np.allclose(reweighted.contributions.sum(axis=1), reweighted.score)


def test_constant_criterion_maps_to_half() -> None:
    result = score_partners(matrix([[2, 1], [2, 3]]), ScoringConfig({"spend": 1}))
    assert np.allclose(result.score, [50, 50])


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ({"spend": 1, "nope": 1}, "Unknown criterion"),
        ({"spend": -1, "risk": 2}, "≥ 0"),
        ({"spend": 0, "risk": 0}, "All weights are zero"),
        ({"spend": float("nan")}, "finite"),
    ],
)
def test_weight_validation(weights: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        normalise_weights(weights, (SPEND, RISK))


def test_empty_matrix_is_rejected() -> None:
    empty = DecisionMatrix((), (SPEND,), np.zeros((0, 1)))
    with pytest.raises(ValueError, match="empty"):
        score_partners(empty, ScoringConfig({"spend": 1}))


def test_unknown_method_is_rejected() -> None:
    with pytest.raises(ValueError, match="normalisation"):
        score_partners(matrix([[1, 1]]), ScoringConfig({"spend": 1}, normalisation="softmax"))  # type: ignore[arg-type]


def test_rank_correlations_by_hand() -> None:
    """Orders 1,2,3,4 vs 1,2,4,3: one discordant pair of six → tau = (5 − 1)/6 = 2/3;
    Spearman: d² = 0,0,1,1 → 1 − 6·2/(4·15) = 0.8."""
    assert kendall_tau(np.array([1, 2, 3, 4.0]), np.array([1, 2, 4, 3.0])) == pytest.approx(2 / 3)
    assert spearman_rho(np.array([1, 2, 3, 4.0]), np.array([1, 2, 4, 3.0])) == pytest.approx(0.8)


def test_topsis_agrees_on_a_dominating_partner() -> None:
    """P2 is best on both criteria, P0 worst on both: TOPSIS closeness 100 and 0."""
    result = score_partners(matrix([[1, 5], [2, 3], [4, 0]]), ScoringConfig({"spend": 1, "risk": 1}))
    check = cross_check(result)
    assert check.topsis_score[2] == pytest.approx(100)
    assert check.topsis_score[0] == pytest.approx(0)
    assert check.kendall_tau == pytest.approx(1.0)


def test_presets_are_reproducible_with_the_sliders() -> None:
    """Every preset weight is a whole number in the sliders' 0–20 range, for known criteria."""
    from scoring.criteria import CRITERION_KEYS, PRESETS

    for preset in PRESETS:
        assert set(preset.weights) <= set(CRITERION_KEYS), preset.key
        for key, weight in preset.weights.items():
            assert float(weight).is_integer() and 0 <= weight <= 20, (preset.key, key, weight)


def test_bounds_clip_before_normalising() -> None:
    """Shares 2, 4, 34 with a 0–5 bound: 34 counts as 5 → min-max 0, 2/3, 1 (not 0, 0.0625, 1)."""
    share = Criterion("s", "S", "Defense investment", "benefit", "%", "s", "t", "t", bounds=(0.0, 5.0))
    result = score_partners(matrix([[2.0], [4.0], [34.0]], criteria=(share,)), ScoringConfig({"s": 1}))
    assert np.allclose(result.score, [0, 200 / 3, 100])
