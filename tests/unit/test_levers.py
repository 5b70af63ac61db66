"""What it would take, lever by lever: hand-computed moves that cross a tier boundary."""

from __future__ import annotations

import numpy as np
import pytest

from scoring.criteria import CRITERIA_BY_KEY
from scoring.engine import ScoringConfig, score_partners
from scoring.features import DecisionMatrix
from scoring.levers import tier_levers
from scoring.tiers import TierRule, assign_tiers

CRITERIA = (CRITERIA_BY_KEY["share_gdp"], CRITERIA_BY_KEY["governance"])
# Share of GDP is clipped to 0–5 and min-max normalised over partners (A and D set the range 0–5
# with B); Freedom House 0–100 likewise. Equal weights: score = 50 × (share/5 + FH/100).
RAW = np.array([[5.0, 100.0], [0.0, 0.0], [1.0, 50.0], [5.0, 100.0]])
RULE = TierRule("threshold", 60.0, 40.25)


@pytest.fixture(scope="module")
def scored():
    matrix = DecisionMatrix(("A", "B", "C", "D"), CRITERIA, RAW)
    result = score_partners(matrix, ScoringConfig({"share_gdp": 1, "governance": 1}))
    tiers = assign_tiers(result.score, result.rank, RULE)
    return matrix, result, tiers


def test_scores_are_as_hand_computed(scored) -> None:
    _, result, tiers = scored
    assert result.score.tolist() == pytest.approx([100.0, 0.0, 35.0, 100.0])
    assert tiers.tier.tolist() == [1, 3, 3, 1]


def test_the_smallest_rise_of_each_lever_that_lifts_a_tier_three_partner(scored) -> None:
    matrix, result, _ = scored
    levers = {r.lever.key: r for r in tier_levers(matrix, result, RULE, 3, 2)}
    # 50 × (x + 0.5) ≥ 40.25 needs x ≥ 0.305: share 1.55 (+0.55 on the 0.05 grid); 1.50 gives 40.0.
    assert levers["spending"].move == pytest.approx(0.55)
    assert levers["spending"].new_value == pytest.approx(1.55)
    # 50 × (0.2 + g/100) ≥ 40.25 needs g ≥ 60.5: 61 (+11 points).
    assert levers["governance"].move == pytest.approx(11.0)
    assert set(levers) == {"spending", "governance"}  # only criteria in the matrix are levers


def test_how_far_a_tier_one_partner_may_slip(scored) -> None:
    matrix, result, _ = scored
    levers = {r.lever.key: r for r in tier_levers(matrix, result, RULE, 1, 0)}
    # 50 × (x + 1) < 60 needs x < 0.2: share below 1.0, i.e. a fall of 4.05 points (to 0.95).
    assert levers["spending"].move == pytest.approx(4.05)
    # 50 × (1 + g/100) < 60 needs g < 20: a fall of 81 points (to 19).
    assert levers["governance"].move == pytest.approx(81.0)


def test_a_lever_without_weight_or_figure_says_so(scored) -> None:
    matrix, _, _ = scored
    result = score_partners(matrix, ScoringConfig({"share_gdp": 1, "governance": 0}))
    levers = {r.lever.key: r for r in tier_levers(matrix, result, RULE, 3, 1)}
    assert levers["governance"].move is None and "no weight" in levers["governance"].note
    gap = DecisionMatrix(("A", "B", "C", "D"), CRITERIA, np.where([[0, 0], [0, 0], [1, 0], [0, 0]], np.nan, RAW))
    result = score_partners(gap, ScoringConfig({"share_gdp": 1, "governance": 1}))
    levers = {r.lever.key: r for r in tier_levers(gap, result, RULE, 3, 2)}
    assert levers["spending"].move is None and "no figure" in levers["spending"].note


def test_describe_levers_reads_each_move_in_its_unit_and_direction() -> None:
    """Tier 2 lifts (+, ×), tier 1 drops (−, ÷); end-use risk reads the other way (lower is better);
    a lever with no move shows a dash."""
    from scoring.levers import LEVERS, LeverResult, describe_levers, not_tiered_note

    by_criterion = {lever.criterion: lever for lever in LEVERS}
    additive = next(lever for lever in LEVERS if not lever.multiplicative and lever.criterion != "end_use_risk")
    factor = next(lever for lever in LEVERS if lever.multiplicative)
    risk = by_criterion["end_use_risk"]
    rows = [
        LeverResult(additive, 2.0, 0.5, 2.5, ""),
        LeverResult(factor, 1000.0, 1.5, 1500.0, ""),
        LeverResult(risk, 3.0, 1.0, 2.0, ""),
        LeverResult(additive, None, None, None, "not on record"),
    ]
    heading, lift = describe_levers(rows, tier=2)
    assert heading.startswith("What would lift it into tier 1")
    assert [r["change"] for r in lift] == [f"+0.5 {additive.unit}", "×1.5", f"−1 {risk.unit}", "—"]
    assert [r["now"] for r in lift] == ["2.00", "1,000.00", "3.00", "—"]
    assert [r["to"] for r in lift] == ["2.50", "1,500.00", "2.00", "—"]
    assert lift[3]["note"] == "not on record" and lift[0]["lever"] == additive.label
    heading, drop = describe_levers(rows, tier=1)
    assert heading.startswith("What would drop it to tier 2")
    assert [r["change"] for r in drop] == [f"−0.5 {additive.unit}", "÷1.5", f"+1 {risk.unit}", "—"]
    assert describe_levers(rows, tier=3)[0].startswith("What would lift it into tier 2")
    assert not_tiered_note(0.45, 0.6) == (
        "Not tiered: only 45% of the weight rests on observed data (minimum 60%). "
        "Published figures for its missing criteria would tier it."
    )


def test_raising_the_spending_share_moves_its_companions() -> None:
    """A partner at 2.0 % of GDP raising it by 0.5 points: its 5-year trend rises by the same 0.5 (a NaN
    trend stays NaN), absolute spending scales by 2.5 / 2.0, and the distance to the pledge shrinks by
    0.5 but never below zero. Other partners are untouched."""
    from scoring.criteria import CRITERIA
    from scoring.features import DecisionMatrix
    from scoring.levers import _move_spending_companions

    keys = [c.key for c in CRITERIA]
    raw = np.full((2, len(keys)), np.nan)
    raw[0, keys.index("share_trend")], raw[0, keys.index("spend_abs")], raw[0, keys.index("pledge_gap")] = 0.3, 8000.0, 0.4
    raw[1, keys.index("share_trend")], raw[1, keys.index("spend_abs")], raw[1, keys.index("pledge_gap")] = 0.1, 500.0, 1.0
    matrix = DecisionMatrix(("AAA", "BBB"), CRITERIA, raw)
    batch = np.repeat(raw[None, :, :], 2, axis=0)
    _move_spending_companions(matrix, batch, 0, np.array([0.5, 0.25]), 2.0)
    assert batch[:, 0, keys.index("share_trend")].tolist() == [0.8, 0.55]
    assert batch[:, 0, keys.index("spend_abs")].tolist() == [10_000.0, 9_000.0]
    assert batch[:, 0, keys.index("pledge_gap")].tolist() == [0.0, pytest.approx(0.15)]
    assert np.array_equal(batch[:, 1], np.repeat(raw[None, 1], 2, axis=0), equal_nan=True)
    no_spend = np.repeat(raw[None, :, :], 1, axis=0)
    _move_spending_companions(matrix, no_spend, 0, np.array([0.5]), 0.0)  # no share on record: no scaling
    assert no_spend[0, 0, keys.index("spend_abs")] == 8000.0


# ---------------------------------------------------------------------------------------------
# The lever search renormalises only the columns a batch changes: the same scores as renormalising
# every column (property test against the full computation, every normalisation and missing rule).
# ---------------------------------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from scoring.criteria import CRITERIA as ALL_CRITERIA  # noqa: E402
from scoring.engine import MISSING_RULES, NORMALISATIONS  # noqa: E402
from scoring.sensitivity import _score_batch  # noqa: E402


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(2, 12),
    batch=st.integers(1, 6),
    normalisation=st.sampled_from(sorted(NORMALISATIONS)),
    missing=st.sampled_from(sorted(MISSING_RULES)),
    changed=st.sets(st.integers(0, len(ALL_CRITERIA) - 1), min_size=1, max_size=3),
)
def test_column_batch_scores_equal_the_full_batch(seed, n, batch, normalisation, missing, changed) -> None:
    rng = np.random.default_rng(seed)
    m = len(ALL_CRITERIA)
    raw = rng.uniform(-1.0, 120.0, size=(n, m)).round(2)
    raw[rng.random((n, m)) < 0.15] = np.nan
    raw[:, rng.integers(0, m)] = raw[0, 0]  # a column with no spread (or all missing)
    weights = {c.key: float(w) for c, w in zip(ALL_CRITERIA, rng.integers(0, 5, size=m), strict=True)}
    weights[ALL_CRITERIA[0].key] = 1.0
    result = score_partners(DecisionMatrix(tuple(f"P{i:02d}" for i in range(n)), ALL_CRITERIA, raw),
                            ScoringConfig(weights, normalisation=normalisation, missing=missing))
    cols = sorted(changed)
    moved = np.broadcast_to(raw, (batch, n, m)).copy()
    who = rng.integers(0, n, size=batch)
    moved[np.arange(batch)[:, None], who[:, None], cols] = rng.uniform(-5.0, 200.0, size=(batch, len(cols))).round(2)
    full = _score_batch(moved, result)
    np.testing.assert_allclose(_score_batch(moved, result, cols), full, rtol=0, atol=1e-9)


@pytest.mark.parametrize("seed", range(2))
@pytest.mark.parametrize("normalisation", sorted(NORMALISATIONS))
@pytest.mark.parametrize("missing", sorted(MISSING_RULES))
def test_lever_results_are_the_same_through_the_column_path(seed, normalisation, missing, monkeypatch) -> None:
    """Every lever's move for every tiered partner of a random 15-criterion matrix: the column path
    against the same search renormalising every column, under every normalisation and missing rule."""
    import scoring.levers as levers_module

    rng = np.random.default_rng(seed)
    n, m = 14, len(ALL_CRITERIA)
    raw = rng.uniform(0.0, 100.0, size=(n, m)).round(1)
    raw[rng.random((n, m)) < 0.1] = np.nan
    matrix = DecisionMatrix(tuple(f"P{i:02d}" for i in range(n)), ALL_CRITERIA, raw)
    result = score_partners(matrix, ScoringConfig({c.key: 1.0 + (j % 3) for j, c in enumerate(ALL_CRITERIA)},
                                                  normalisation=normalisation, missing=missing))
    rule = TierRule("quantile", 0.2, 0.5)
    tiers = assign_tiers(result.score, result.rank, rule).tier

    def run() -> list:
        return [[(r.lever.key, r.move, r.new_value, r.note) for r in tier_levers(matrix, result, rule, int(tiers[i]), i)]
                for i in range(n) if int(tiers[i]) in (1, 2, 3)]

    def run_other() -> list:  # a matrix the result did not score: the search must renormalise everything
        other = DecisionMatrix(matrix.partners, matrix.criteria, np.where(np.isnan(raw), raw, raw * 0.9 + 3.0))
        return [[(r.lever.key, r.move, r.new_value, r.note) for r in tier_levers(other, result, rule, int(tiers[i]), i)]
                for i in range(n) if int(tiers[i]) in (1, 2, 3)]

    fast, fallback = run(), run_other()
    full_batch = levers_module._score_batch
    monkeypatch.setattr(levers_module, "_score_batch", lambda raw, result, columns=None: full_batch(raw, result))
    assert fast == run()
    assert fallback == run_other()
