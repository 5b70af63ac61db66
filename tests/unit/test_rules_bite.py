"""Rules that a manual mutation test found unguarded (issue "Tests that bite", M4–M19), and further
survivors of ``benchmarks/mutation.py``: each test pins one rule on a tiny input with the expected
numbers worked out by hand in its docstring, so changing the rule in scoring/ fails the test."""

from __future__ import annotations

import numpy as np
import pytest

from scoring.criteria import CRITERIA, CRITERIA_BY_KEY, PRESETS_BY_KEY, Criterion
from scoring.engine import ScoringConfig, cross_check, rank_desc, score_partners
from scoring.features import DecisionMatrix, derive_features
from scoring.gates import GateConfig, order_gates, partner_gates
from scoring.levers import tier_levers
from scoring.pipeline import LineTable, OrderBook, PartnerInputs, Scenario, investment_credit, run_scenario
from scoring.scenario import Investment
from scoring.sensitivity import monte_carlo
from scoring.tiers import TierRule, assign_tiers

X = Criterion("x", "X", "Defense investment", "benefit", "pts", "x", "test", "test")
Y = Criterion("y", "Y", "Strategic value", "benefit", "pts", "y", "test", "test")


def gap_matrix() -> DecisionMatrix:
    """P0 has nothing, P1 has X = 1 and no Y on record, P2 is best on both.

    Min-max: X → 0, 0.5, 1; Y (observed for P0 and P2 only) → 0, NaN, 1."""
    raw = np.array([[0.0, 0.0], [1.0, np.nan], [2.0, 1.0]])
    return DecisionMatrix(("P0", "P1", "P2"), (X, Y), raw)


# ---- M4: TOPSIS ideal point weighted by the largest effective weight of each criterion -----------


def test_topsis_ideal_uses_each_criteria_largest_effective_weight() -> None:
    """'reweight', weights 1:1. Effective weights: P0 and P2 (½, ½); P1 (1, 0) (its Y is dropped).
    Weighted: P0 (0, 0), P1 (½, 0), P2 (½, ½). Column weight = largest effective weight: X 1, Y ½,
    so the ideal is (1·1, 1·½) = (1, ½) and the anti-ideal (0, 0).
    P1: d⁺ = √(¼ + ¼) = √½, d⁻ = ½ → closeness ½ / (½ + √½) = √2 − 1 = 41.42 %.
    P2: d⁺ = ½, d⁻ = √½ → √½ / (½ + √½) = 2 − √2 = 58.58 %. P0 sits on the anti-ideal: 0.
    (With the smallest weight per column instead, the ideal would be (½, 0) and P1 would score 100.)"""
    result = score_partners(gap_matrix(), ScoringConfig({"x": 1, "y": 1}, missing="reweight"))
    check = cross_check(result)
    assert check.topsis_score == pytest.approx([0.0, 100 * (np.sqrt(2) - 1), 100 * (2 - np.sqrt(2))])
    assert check.topsis_rank.tolist() == [3, 2, 1]


# ---- M6: a score exactly on the tier-1 boundary is in tier 1 ------------------------------------


def test_a_score_on_a_threshold_boundary_belongs_to_the_upper_tier() -> None:
    """Boundaries 60/40 ('score ≥ top → tier 1, score ≥ key → tier 2'): 60 → 1, 59.99 → 2, 40 → 2,
    39.99 → 3. The partner just under a boundary is 0.01 points short of the next tier."""
    score = np.array([60.0, 59.99, 40.0, 39.99])
    tiers = assign_tiers(score, np.array([1, 2, 3, 4]), TierRule("threshold", 60, 40))
    assert tiers.tier.tolist() == [1, 2, 2, 3]
    assert tiers.points_to_next[1] == pytest.approx(0.01) and tiers.points_to_next[3] == pytest.approx(0.01)


# ---- M7: Monte Carlo quantile tiers: the best k1 ranks are tier 1, the next up to k2 tier 2 -------


def test_monte_carlo_quantile_tiers_take_exactly_the_requested_shares() -> None:
    """Four partners on one criterion (0, 1, 2, 3 → scores 0, 33⅓, 66⅔, 100; ranks 4, 3, 2, 1). Quantile
    rule 25 % / 50 %: k1 = round(0.25·4) = 1, k2 = round(0.5·4) = 2, so rank 1 is tier 1, rank 2 tier 2,
    ranks 3–4 tier 3 in every draw (one criterion: the weights cannot reorder anyone)."""
    m = DecisionMatrix(("P0", "P1", "P2", "P3"), (X,), np.array([[0.0], [1.0], [2.0], [3.0]]))
    result = score_partners(m, ScoringConfig({"x": 1}))
    mc = monte_carlo(result, TierRule("quantile", 0.25, 0.5), n_draws=20, spread=0.5)
    assert mc.tier_share.tolist() == [[0, 0, 1], [0, 0, 1], [0, 1, 0], [1, 0, 0]]
    assert mc.same_tier_share.tolist() == [1.0, 1.0, 1.0, 1.0]


# ---- M8: Monte Carlo draws keep the 'reweight' rule ----------------------------------------------


def test_monte_carlo_draws_score_a_partner_only_on_what_is_on_record_under_reweight() -> None:
    """'reweight': P1 has only X on record (normalised ½), so whatever the drawn weights its score is
    100 · ½ = 50; P2 is best on both (100) and P0 worst on both (0). Under 'worst' P1's missing Y
    would count as 0 and its score would move with the X weight (25 at equal weights)."""
    result = score_partners(gap_matrix(), ScoringConfig({"x": 1, "y": 1}, missing="reweight"))
    assert result.score.tolist() == pytest.approx([0.0, 50.0, 100.0])
    mc = monte_carlo(result, TierRule("threshold", 60, 40), n_draws=30, spread=0.8, seed=3)
    assert mc.scores == pytest.approx(np.tile([0.0, 50.0, 100.0], (30, 1)))
    assert mc.tier_share[1].tolist() == [0.0, 1.0, 0.0]


# ---- M9: raising spending shrinks the distance to pledge ------------------------------------------


def test_what_it_takes_counts_the_pledge_gap_closing_as_spending_rises() -> None:
    """Share of GDP (benefit) and distance to pledge (cost), weights 1:1. AAA spends 1 % with a 1-point
    gap; BBB 3 % and no gap; CCC 0 % and a 2-point gap. Scores: AAA = 50·⅓ + 50·(1 − ½) = 41⅔ (tier 2),
    BBB 100, CCC 0. Raising AAA's share by d closes its gap to 1 − d: score = 50(1+d)/3 + 50(1+d)/2
    = 41⅔ (1 + d) ≥ 60 once d ≥ 0.44 → the first 0.05 step is 0.45 (score 60.42; 0.40 gives 58.33).
    Were the gap to grow instead, the score would fall and no rise would ever lift AAA."""
    criteria = (CRITERIA_BY_KEY["share_gdp"], CRITERIA_BY_KEY["pledge_gap"])
    m = DecisionMatrix(("AAA", "BBB", "CCC"), criteria, np.array([[1.0, 1.0], [3.0, 0.0], [0.0, 2.0]]))
    result = score_partners(m, ScoringConfig({"share_gdp": 1, "pledge_gap": 1}))
    assert result.score == pytest.approx([125 / 3, 100.0, 0.0])
    (spending,) = tier_levers(m, result, TierRule("threshold", 60, 40), 2, 0)
    assert spending.lever.key == "spending"
    assert spending.move == pytest.approx(0.45)
    assert spending.new_value == pytest.approx(1.45)


# ---- M10, M11: gates ------------------------------------------------------------------------------


def test_end_use_ceiling_holds_only_partners_above_it() -> None:
    """Ceiling 3: risks 2 and 3 are cleared (not above), 3.5 is held — with nothing else holding it."""
    gates = partner_gates(np.array([90.0, 90.0, 90.0]), np.array([2.0, 3.0, 3.5]), GateConfig(end_use_ceiling=3.0))
    assert gates.held.tolist() == [False, False, True]
    assert gates.reasons[:2] == ("", "")
    assert "above the ceiling of 3.0" in gates.reasons[2]


def test_a_held_partners_orders_are_held_on_every_line_not_only_sensitive_ones() -> None:
    """P1 is below the human-rights floor: all three of its orders (low, medium and high
    sensitivity) are held with the floor as the reason; P0's low-sensitivity order is cleared."""
    config = GateConfig(hr_floor=30)
    partners = partner_gates(np.array([90.0, 10.0]), np.array([0.0, 0.0]), config)
    orders = order_gates(
        np.array([0, 1, 1, 1]), np.array(["low", "low", "medium", "high"]), np.array([True, True]),
        np.array([50.0, 50.0]), partners, config,
    )
    assert orders.held.tolist() == [False, True, True, True]
    assert orders.reasons[0] == ""
    assert all("below the floor of 30" in r for r in orders.reasons[1:])


# ---- M14, M17: the scenario chain ----------------------------------------------------------------

FEATURES = [
    "sipri_share", "sipri_trend", "sipri_usd_const_m", "pledge_pct", "nato_share", "nato_trend",
    "equipment_share", "us_troops", "us_tiv_recent", "us_import_share", "fh_total", "frontline",
    "us_plans_role", "basing_access", "interoperability", "industrial_investment", "end_use_risk",
]


def two_partners() -> PartnerInputs:
    values = {name: np.array([3.0, 1.0]) for name in FEATURES}
    values["fh_total"] = np.array([90.0, 80.0])
    values["end_use_risk"] = np.array([1.0, 1.0])
    values["industrial_investment"] = np.array([1.0, 0.0])
    return PartnerInputs(("AAA", "BBB"), values, np.array([True, True]))


def one_order() -> OrderBook:
    return OrderBook(np.array([1]), np.array([0]), np.array([0]), np.array([10.0]), np.array([100]), np.array(["low"]))


def one_line(us_share: float = np.nan, lead_months: float = np.nan) -> LineTable:
    """40 units a year, flat since 2025: 10 a quarter before the domestic share; US$ 5m a unit."""
    return LineTable(
        ("line",), np.array([40.0]), np.array([2025.0]), np.array([np.nan]), np.array([np.nan]), np.array([5.0]),
        us_share=np.array([us_share]), lead_months=np.array([lead_months]),
    )


def scenario(**changes) -> Scenario:
    base = dict(weights=tuple(sorted(PRESETS_BY_KEY["eo"].weights.items())), start_year=2026, fence_quarters=0)
    base.update(changes)
    return Scenario(base.pop("weights")).changed(**base)


def test_the_domestic_share_comes_off_the_capacity_foreign_orders_share() -> None:
    """10 units a quarter; the scenario keeps 25 % for US demand → 7.5 a quarter for foreign orders.
    A line's published US share (50 %) takes precedence over the scenario's default → 5."""
    result = run_scenario(two_partners(), one_order(), one_line(), scenario(domestic_share=0.25))
    assert result.capacity[0, :8] == pytest.approx(np.full(8, 7.5))
    published = run_scenario(two_partners(), one_order(), one_line(us_share=0.5), scenario(domestic_share=0.25))
    assert published.capacity[0, :8] == pytest.approx(np.full(8, 5.0))


def test_investment_credit_is_one_point_per_billion_a_year_discounted_per_year_away() -> None:
    """BBB funds 200 units a year at US$ 5m: US$ 1 bn a year = 1 point. With a 12-month lead time a
    2026 pledge produces from 2027 Q1, one year after the 2026 Q1 start: 1 × 0.9 = 0.9 points, added to
    BBB's investment judgement (0 → 0.9). A 2 000-unit pledge (9 points) is capped at the scale's 5."""
    lines = one_line(lead_months=12.0)
    funded = scenario(investment=Investment("line", "BBB", 200.0, 2026))
    assert investment_credit(funded.production, lines) == pytest.approx(0.9)
    result = run_scenario(two_partners(), one_order(), lines, funded)
    j = result.matrix.column("industrial_investment")
    assert result.matrix.raw[:, j] == pytest.approx([1.0, 0.9])
    big = run_scenario(two_partners(), one_order(), lines, scenario(investment=Investment("line", "BBB", 2000.0, 2026)))
    assert big.matrix.raw[1, j] == pytest.approx(5.0)


# ---- M16: the NATO spending basis --------------------------------------------------------------


def test_nato_basis_takes_natos_share_and_trend_where_nato_publishes_them() -> None:
    """AAA has NATO figures (2.5 %, +0.4), BBB none. 'nato': AAA 2.5 / +0.4, BBB keeps SIPRI 1.5 / +0.2;
    distance to a 3 % pledge: 0.5 and 1.5. 'sipri': 2.0 / +0.1 and 1.5 / +0.2; gaps 1.0 and 1.5."""
    columns = {
        "sipri_share": np.array([2.0, 1.5]), "sipri_trend": np.array([0.1, 0.2]),
        "sipri_usd_const_m": np.array([100.0, 50.0]), "pledge_pct": np.array([3.0, 3.0]),
        "nato_share": np.array([2.5, np.nan]), "nato_trend": np.array([0.4, np.nan]),
    }
    nato = derive_features(columns, "nato")
    assert nato["share_gdp"].tolist() == [2.5, 1.5]
    assert nato["share_trend"].tolist() == [0.4, 0.2]
    assert nato["pledge_gap"].tolist() == [0.5, 1.5]
    sipri = derive_features(columns, "sipri")
    assert sipri["share_gdp"].tolist() == [2.0, 1.5]
    assert sipri["share_trend"].tolist() == [0.1, 0.2]
    assert sipri["pledge_gap"].tolist() == [1.0, 1.5]


# ---- M19: rank_desc compares scores at 1e-9 points, not whole points -----------------------------


def test_rank_desc_separates_scores_that_differ_by_a_fraction_of_a_point() -> None:
    """50.4 beats 50.1 although 'A' sorts before 'B'; only a difference below 1e-9 is a tie
    (then broken by code: 'A' first)."""
    assert rank_desc(np.array([50.1, 50.4]), ("A", "B")).tolist() == [2, 1]
    assert rank_desc(np.array([50.0 + 1e-12, 50.0]), ("B", "A")).tolist() == [2, 1]
    assert rank_desc(np.array([70.0, 50.4, 50.1]), ("C", "B", "A")).tolist() == [1, 2, 3]


# ---- further survivors of benchmarks/mutation.py: what it takes (scoring.levers) ------------------


def lever_case(keys, codes, raw, weights):
    m = DecisionMatrix(tuple(codes), tuple(CRITERIA_BY_KEY[k] for k in keys), np.array(raw, dtype=float))
    return m, score_partners(m, ScoringConfig(weights))


def levers_by_key(m, result, rule, tier, i):
    return {r.lever.key: r for r in tier_levers(m, result, rule, tier, i)}


def test_purchases_lever_multiplies_the_volume() -> None:
    """One log criterion (US arms purchases): volumes 0, e²−1, e−1 → log1p 0, 2, 1 → scores 0, 100, 50.
    C (tier 2) needs log1p(v) ≥ 1.2, v ≥ e^1.2 − 1 = 2.320, a factor of 1.350 on e − 1: the first
    factor on the 0.1 grid is ×1.4 (×1.3 gives log1p 1.174 → 58.7). B (tier 1, the maximum) keeps 100
    until it falls below C, then scores log1p(v)/1: below 60 once v < e^0.6 − 1 = 0.822, i.e. divided by
    more than 7.77 → ÷7.8 (÷7.7 leaves 0.830 → 60.4)."""
    e = np.e
    m, result = lever_case(["us_arms_purchases"], "ABC", [[0.0], [e**2 - 1], [e - 1]], {"us_arms_purchases": 1})
    rule = TierRule("threshold", 60, 40)
    up = levers_by_key(m, result, rule, 2, 2)["purchases"]
    assert up.current == pytest.approx(e - 1)
    assert up.move == pytest.approx(1.4) and up.new_value == pytest.approx((e - 1) * 1.4)
    down = levers_by_key(m, result, rule, 1, 1)["purchases"]
    assert down.move == pytest.approx(7.8) and down.new_value == pytest.approx((e**2 - 1) / 7.8)


def test_a_cost_lever_moves_down_to_rise_and_up_to_slip() -> None:
    """End-use risk (cost) 5, 0, 3 → normalised 0, 1, 0.4 → scores 0, 100, 40. Tier 1 from 55: C must
    cut its risk to ≤ 2.25 → 2.2 on the 0.1 grid (a cut of 0.8; 2.3 gives 54). With tier 1 from 56, B
    (risk 0, the best) slips once its risk passes 3 (C becomes the best) and 1 − (r − 3)/2 < 0.56, i.e.
    r > 3.88 → 3.9."""
    m, result = lever_case(["end_use_risk"], "ABC", [[5.0], [0.0], [3.0]], {"end_use_risk": 1})
    cut = levers_by_key(m, result, TierRule("threshold", 55, 40), 2, 2)["end_use"]
    assert cut.move == pytest.approx(0.8) and cut.new_value == pytest.approx(2.2)
    slip = levers_by_key(m, result, TierRule("threshold", 56, 40), 1, 1)["end_use"]
    assert slip.move == pytest.approx(3.9) and slip.new_value == pytest.approx(3.9)


def test_a_lever_already_at_the_end_of_its_range_says_so() -> None:
    """Share 5, 0, 2.5 and risk 5, 0, 2.5, weights 3:1 → A 75 (tier 1), B 25, C 50. A's end-use risk is
    already the worst possible (5): it cannot slip further that way."""
    m, result = lever_case(
        ["share_gdp", "end_use_risk"], "ABC", [[5.0, 5.0], [0.0, 0.0], [2.5, 2.5]], {"share_gdp": 3, "end_use_risk": 1}
    )
    assert result.score == pytest.approx([75.0, 25.0, 50.0])
    levers = tier_levers(m, result, TierRule("threshold", 60, 40), 1, 0)
    assert [r.lever.key for r in levers] == ["spending", "end_use"]
    end_use = levers[1]
    assert (end_use.current, end_use.move, end_use.new_value) == (5.0, None, None)
    assert end_use.note == "already at the end of its range"


def test_quantile_levers_cross_by_rank_with_ties_broken_by_code() -> None:
    """Share of GDP 4, 2, 0, 1 for AAA, BBB, CCC, ZZZ; quantile 25 %/50 %: AAA tier 1, BBB tier 2, CCC and
    ZZZ tier 3. ZZZ must pass BBB (2) strictly — a tie goes to the earlier code — so 2.05 (+1.05); BBB
    must pass AAA: 4.05 (+2.05); AAA slips to rank 2 only below BBB's 2 (it wins a tie): 1.95 (−2.05)."""
    m, result = lever_case(["share_gdp"], ("AAA", "BBB", "CCC", "ZZZ"), [[4.0], [2.0], [0.0], [1.0]], {"share_gdp": 1})
    rule = TierRule("quantile", 0.25, 0.5)
    assert assign_tiers(result.score, result.rank, rule).tier.tolist() == [1, 2, 3, 3]
    climb = levers_by_key(m, result, rule, 3, 3)["spending"]
    assert climb.move == pytest.approx(1.05) and climb.new_value == pytest.approx(2.05)
    top = levers_by_key(m, result, rule, 2, 1)["spending"]
    assert top.move == pytest.approx(2.05) and top.new_value == pytest.approx(4.05)
    slip = levers_by_key(m, result, rule, 1, 0)["spending"]
    assert slip.move == pytest.approx(2.05) and slip.new_value == pytest.approx(1.95)


def test_spending_rise_moves_the_trend_and_absolute_spending_with_it() -> None:
    """Trend: share 1, 3, 0 and trend 0, +1, −1 (equal weights): A = 50·⅓ + 50·½ = 41⅔; a rise d lifts
    both: 50(1+d)/3 + 50(1+d)/2 ≥ 60 from d = 0.45 (as for the pledge gap above).
    Absolute spending (log): share 1, 3, 0 and spending e−1, e³−1, 0 → log1p 1, 3, 0: A = 33⅓. A rise d
    scales A's spending by (1 + d): 50(1+d)/3 + 50·log1p((e−1)(1+d))/3 ≥ 39 first at d = 0.25 (39.95;
    d = 0.20 gives 38.65). Without the companion the share alone would need d = 0.35."""
    m, result = lever_case(
        ["share_gdp", "share_trend"], "ABC", [[1.0, 0.0], [3.0, 1.0], [0.0, -1.0]], {"share_gdp": 1, "share_trend": 1}
    )
    assert levers_by_key(m, result, TierRule("threshold", 60, 40), 2, 0)["spending"].move == pytest.approx(0.45)
    e = np.e
    m, result = lever_case(
        ["share_gdp", "spend_abs"], "ABC", [[1.0, e - 1], [3.0, e**3 - 1], [0.0, 0.0]], {"share_gdp": 1, "spend_abs": 1}
    )
    assert result.score[0] == pytest.approx(100 / 3)
    assert levers_by_key(m, result, TierRule("threshold", 60, 39), 3, 0)["spending"].move == pytest.approx(0.25)


def test_levers_reject_an_unknown_partner_or_an_untiered_partner() -> None:
    m, result = lever_case(["share_gdp"], "ABC", [[1.0], [2.0], [3.0]], {"share_gdp": 1})
    rule = TierRule("threshold", 60, 40)
    for index in (3, -1):
        with pytest.raises(ValueError) as error:
            tier_levers(m, result, rule, 2, index)
        assert str(error.value) == f"Partner index {index} outside 0..2"
    with pytest.raises(ValueError) as error:
        tier_levers(m, result, rule, 4, 0)
    assert str(error.value) == "Levers apply to tiered partners (tiers 1-3)"
    assert [r.lever.key for r in tier_levers(m, result, rule, 3, 0)] == ["spending"]


# ---- Monte Carlo weight draws (scoring.sensitivity) ---------------------------------------------


def test_weight_draws_stay_within_the_spread_and_zero_weights_stay_zero() -> None:
    """Weights 1, 1, 0 with spread 0.5: each positive weight is multiplied by a factor in [0.5, 1.5],
    then rows are rescaled to sum to 1, so the first weight's share lies in [0.5/2, 1.5/2] = [¼, ¾]
    and the ratio of the first two in [⅓, 3]; the zero weight stays 0. Same seed, same draws."""
    from scoring.sensitivity import draw_weights

    draws = draw_weights(np.array([1.0, 1.0, 0.0]), 400, 0.5, seed=7)
    assert draws.shape == (400, 3)
    assert draws.sum(axis=1) == pytest.approx(np.ones(400))
    assert np.all(draws[:, 2] == 0.0)
    assert draws[:, 0].min() >= 0.25 and draws[:, 0].max() <= 0.75
    assert draws[:, 0].min() < 0.3 and draws[:, 0].max() > 0.7  # the whole band is used
    ratio = draws[:, 0] / draws[:, 1]
    assert ratio.min() >= 1 / 3 and ratio.max() <= 3
    assert np.array_equal(draws, draw_weights(np.array([1.0, 1.0, 0.0]), 400, 0.5, seed=7))
    assert not np.array_equal(draws, draw_weights(np.array([1.0, 1.0, 0.0]), 400, 0.5, seed=8))
    assert draw_weights(np.array([2.0, 6.0]), 3, 0.0).tolist() == [[0.25, 0.75]] * 3


@pytest.mark.parametrize(
    ("weights", "n_draws", "spread", "message"),
    [
        ([1.0], 10, 1.0, "The perturbation spread must be in [0, 1)"),
        ([1.0], 10, -0.1, "The perturbation spread must be in [0, 1)"),
        ([1.0], 0, 0.5, "At least one draw is needed"),
        ([0.0, 0.0], 10, 0.5, "Weights must be ≥ 0 and not all zero"),
        ([2.0, -1.0], 10, 0.5, "Weights must be ≥ 0 and not all zero"),
    ],
)
def test_weight_draws_reject_invalid_arguments(weights, n_draws, spread, message) -> None:
    from scoring.sensitivity import draw_weights

    with pytest.raises(ValueError) as error:
        draw_weights(np.array(weights), n_draws, spread)
    assert str(error.value) == message
    assert draw_weights(np.array([1.0]), 1, 0.0).tolist() == [[1.0]]  # the edges that are allowed
    assert draw_weights(np.array([1.0, 0.0]), 1, 0.99).tolist() == [[1.0, 0.0]]


def test_monte_carlo_reports_rank_percentiles_and_tier_shares_per_partner() -> None:
    """Two criteria, two partners: P0 best on X only (1, 0), P1 best on Y only (0, 1); weights X 3 : Y 1
    with spread 0.5 — X's share is 3u/(3u + v) with u, v in [0.5, 1.5], never below 1.5/3 = ½, so P0
    (score 100·wX) is never behind P1 (100·wY): P0 rank 1 in every draw, P1 rank 2. Threshold 60/40:
    P0's score 100·wX lies in [50, 90] → tier 1 in some draws, tier 2 in the others, never tier 3;
    P1's lies in [10, 50] → tiers 2 or 3. Unperturbed: P0 75 (tier 1), P1 25 (tier 3)."""
    m = DecisionMatrix(("P0", "P1"), (X, Y), np.array([[1.0, 0.0], [0.0, 1.0]]))
    result = score_partners(m, ScoringConfig({"x": 3, "y": 1}))
    mc = monte_carlo(result, TierRule("threshold", 60, 40), n_draws=500, spread=0.5, seed=1)
    assert (mc.n_draws, mc.spread) == (500, 0.5)
    assert mc.ranks.shape == (500, 2) and mc.scores.shape == (500, 2)
    assert mc.rank_p05.tolist() == [1, 2] and mc.rank_median.tolist() == [1, 2] and mc.rank_p95.tolist() == [1, 2]
    assert mc.scores.sum(axis=1) == pytest.approx(np.full(500, 100.0))
    assert mc.scores[:, 0].min() >= 50 and mc.scores[:, 0].max() <= 90
    assert mc.tier_share.sum(axis=1) == pytest.approx([1.0, 1.0])
    assert mc.tier_share[0, 2] == 0 and 0 < mc.tier_share[0, 0] < 1
    assert mc.tier_share[1, 0] == 0 and 0 < mc.tier_share[1, 2] < 1
    assert mc.same_tier_share.tolist() == [mc.tier_share[0, 0], mc.tier_share[1, 2]]
    tier1 = (mc.scores[:, 0] >= 60).mean()
    assert mc.tier_share[0, 0] == tier1 and mc.tier_share[0, 1] == pytest.approx(1 - tier1)
    with pytest.raises(ValueError, match="Tier thresholds"):
        monte_carlo(result, TierRule("threshold", 30, 60))


# ---- Dirichlet robustness (scoring.robustness) ---------------------------------------------------


def test_dirichlet_draws_centre_on_the_weights_with_the_documented_spread() -> None:
    """Spread 0.2 → concentration κ = 1/0.2² = 25; for shares (½, ½) each weight is Beta(12.5, 12.5):
    mean ½, standard deviation √(¼ / 26) = 0.098. Spread 0 returns the (normalised) weights; a zero
    weight stays 0; the same seed gives the same draws."""
    from scoring.robustness import dirichlet_weights

    draws = dirichlet_weights(np.array([1.0, 1.0, 0.0]), 4000, 0.2, seed=5)
    assert draws.sum(axis=1) == pytest.approx(np.ones(4000))
    assert np.all(draws[:, 2] == 0.0)
    assert draws[:, 0].mean() == pytest.approx(0.5, abs=0.01)
    assert draws[:, 0].std() == pytest.approx(np.sqrt(0.25 / 26), rel=0.1)
    assert np.array_equal(draws, dirichlet_weights(np.array([1.0, 1.0, 0.0]), 4000, 0.2, seed=5))
    assert dirichlet_weights(np.array([2.0, 6.0]), 2, 0.0).tolist() == [[0.25, 0.75], [0.25, 0.75]]
    wide = dirichlet_weights(np.array([1.0, 3.0]), 2000, 2.0, seed=1)  # κ = ¼: the widest spread allowed
    assert wide.sum(axis=1) == pytest.approx(np.ones(2000)) and wide[:, 1].std() > 0.3


@pytest.mark.parametrize(
    ("weights", "n_draws", "spread", "message"),
    [
        ([1.0, -1.0], 5, 0.3, "Weights must be ≥ 0 and not all zero"),
        ([0.0, 0.0], 5, 0.3, "Weights must be ≥ 0 and not all zero"),
        ([1.0], 0, 0.3, "At least one draw is needed"),
        ([1.0], 5, 2.01, "The spread must be between 0 and 2"),
        ([1.0], 5, -0.01, "The spread must be between 0 and 2"),
    ],
)
def test_dirichlet_draws_reject_invalid_arguments(weights, n_draws, spread, message) -> None:
    from scoring.robustness import dirichlet_weights

    with pytest.raises(ValueError) as error:
        dirichlet_weights(np.array(weights), n_draws, spread)
    assert str(error.value) == message


def coverage_case():
    """Five partners, three criteria weighted 0.4/0.4/0.2 (normalised values, NaN = missing):
    P0 (1, 1, 1) → worst-case score 100; P1 (1, —, —): 40 % of the weight observed, below the 60 %
    minimum → not tiered; P2 (0.3, 0.3, —): 80 % observed, worst case 24 (tier 3); P3 (½, ½, ½) → 50;
    P4 (0, 0, 0) → 0."""
    normalised = np.array([[1, 1, 1], [1, np.nan, np.nan], [0.3, 0.3, np.nan], [0.5, 0.5, 0.5], [0, 0, 0]], dtype=float)
    return normalised, np.array([[0.4, 0.4, 0.2], [0.4, 0.4, 0.2]])


def test_tier_draws_apply_the_tier_rule_and_both_coverage_rules() -> None:
    """Threshold 60/40, scores 100, 90, 70, 50, 0: raw tiers 1, 1, 1, 2, 3. P1 is not tiered (4). P2's
    raw tier 1 is capped one above its worst-case tier 3 → 2. P3 stays 2, P4 3.
    Quantile 40 %/60 % (k1 = 2, k2 = 3), first draw ranks 1..5: raw 1, 1, 2, 3, 3; boundaries = the 2nd
    and 3rd scores (90, 70): worst-case tiers 1, 3, 3, 3, 3 → P0 1, P1 not tiered, P2 2, P3 3, P4 3.
    Second draw, scores 60, 90, 100, 50, 0 (ranks 3, 2, 1, 4, 5): raw 2, 1, 1, 3, 3; boundaries 90 and
    60; P0's worst case 100 ≥ 90 keeps its 2, P2's raw 1 is capped to 2."""
    from scoring.coverage import CoverageRule
    from scoring.robustness import tier_draws

    normalised, weights = coverage_case()
    scores = np.array([[100.0, 90, 70, 50, 0], [60, 90, 100, 50, 0]])
    ranks = np.array([[1, 2, 3, 4, 5], [3, 2, 1, 4, 5]])
    threshold = tier_draws(scores, ranks, weights, normalised, TierRule("threshold", 60, 40), CoverageRule())
    assert threshold[0].tolist() == [1, 4, 2, 2, 3]
    quantile = tier_draws(scores, ranks, weights, normalised, TierRule("quantile", 0.4, 0.6), CoverageRule())
    assert quantile.tolist() == [[1, 4, 2, 3, 3], [2, 4, 2, 3, 3]]
    lenient = tier_draws(scores, ranks, weights, normalised, TierRule("threshold", 60, 40), CoverageRule(0.4, 1))
    assert lenient[0].tolist() == [1, 1, 2, 2, 3]  # P1 now tiered: 40 % ≥ 40 %, one criterion observed
    strict = tier_draws(scores, ranks, weights, normalised, TierRule("threshold", 60, 40), CoverageRule(0.8, 3))
    assert strict[0].tolist() == [1, 4, 4, 2, 3]  # P2 has only two of the three criteria


def two_rivals():
    """P0 is best on X only, P1 on Y only; weights X 3 : Y 1 → P0 75 (tier 1 at 60/40), P1 25 (tier 3)."""
    m = DecisionMatrix(("P0", "P1"), (X, Y), np.array([[1.0, 0.0], [0.0, 1.0]]))
    return score_partners(m, ScoringConfig({"x": 3, "y": 1}))


def test_robustness_without_spread_is_certain_and_with_spread_counts_every_draw() -> None:
    """Spread 0: every draw is the base (75/25), so P0 is rank 1 and tier 1 with probability 1, P1 rank 2
    and tier 3; P10 = P90 = the base rank. With spread, the shares are the counts over the draws: each
    partner's rank shares and each rank's partner shares sum to 1."""
    from scoring.coverage import CoverageRule
    from scoring.robustness import robustness

    result = two_rivals()
    rule = TierRule("threshold", 60, 40)
    still = robustness(result, rule, CoverageRule(0.5, 1), n_draws=50, spread=0.0)
    assert still.acceptability.tolist() == [[1.0, 0.0], [0.0, 1.0]]
    assert still.tier_probability.tolist() == [[1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0]]
    assert still.rank_p10.tolist() == [1, 2] and still.rank_p90.tolist() == [1, 2]
    assert (still.n_draws, still.spread) == (50, 0.0)
    moving = robustness(result, rule, CoverageRule(0.5, 1), n_draws=400, spread=0.5, seed=2)
    assert moving.weights.shape == (400, 2) and moving.scores.shape == (400, 2) and moving.tiers.shape == (400, 2)
    assert moving.acceptability.sum(axis=0) == pytest.approx([1.0, 1.0])
    assert moving.acceptability.sum(axis=1) == pytest.approx([1.0, 1.0])
    assert moving.acceptability[0, 0] == pytest.approx((moving.ranks[:, 0] == 1).mean())
    assert 0.5 < moving.acceptability[0, 0] < 1.0
    assert moving.tier_probability[0, 0] == pytest.approx((moving.scores[:, 0] >= 60).mean())
    assert moving.tier_probability.sum(axis=1) == pytest.approx([1.0, 1.0])
    assert moving.scores[:, 0] == pytest.approx(100 * moving.weights[:, 0])
    assert moving.rank_p10[1] <= moving.rank_p90[1]


def test_predictability_is_the_mean_absolute_move_over_the_draws_that_compete() -> None:
    """Base quarters 2, 3, 2, −1 (the last does not compete). Draws (1, 3, −1, 5) and (3, 3, 4, 6):
    column 0 moves 1 and 1 → 1; column 1 never moves → 0; column 2 competes in one draw only, moving
    2 → 2; column 3 has no base → NaN."""
    from scoring.robustness import predictability

    out = predictability(np.array([[1, 3, -1, 5], [3, 3, 4, 6]]), np.array([2, 3, 2, -1]))
    assert out[:3].tolist() == [1.0, 0.0, 2.0] and np.isnan(out[3])


def test_stability_intervals_by_hand() -> None:
    """X's share s (Y gets 1 − s): P0 scores 100·s, P1 100·(1 − s). Tiers 62.3/40 stay (P0 tier 1, P1
    tier 3) while s ≥ 0.623 and 1 − s < 0.4: on the 0.005 grid from 0.625 up to 1. Y's share t: P0 keeps
    tier 1 while 100(1 − t) ≥ 62.3, t ≤ 0.377 → 0 to 0.375. The top-1 set {P0} holds while s ≥ ½ (at ½ the
    tie goes to the earlier code, P0)."""
    from scoring.coverage import CoverageRule
    from scoring.robustness import stability_intervals

    result = two_rivals()
    rule = TierRule("threshold", 62.3, 40)
    tiers = stability_intervals(result, rule, CoverageRule(0.5, 1), hold="tiers")
    assert tiers == [pytest.approx((0.75, 0.625, 1.0)), pytest.approx((0.25, 0.0, 0.375))]
    top = stability_intervals(result, rule, CoverageRule(0.5, 1), top_k=1, hold="top")
    assert top == [pytest.approx((0.75, 0.5, 1.0)), pytest.approx((0.25, 0.0, 0.5))]
    both = stability_intervals(result, rule, CoverageRule(0.5, 1), top_k=1)
    assert both == [pytest.approx((0.75, 0.625, 1.0)), pytest.approx((0.25, 0.0, 0.375))]
    coarse = stability_intervals(result, rule, CoverageRule(0.5, 1), grid=5, hold="tiers")
    assert coarse == [pytest.approx((0.75, 0.75, 1.0)), pytest.approx((0.25, 0.0, 0.25))]
    with pytest.raises(ValueError) as error:
        stability_intervals(result, rule, CoverageRule(0.5, 1), hold="rank")
    assert str(error.value) == "hold is 'top', 'tiers' or 'both'"


# ---- TOPSIS and the method cross-check (scoring.engine) -----------------------------------------


def test_topsis_kernel_by_hand_on_one_and_on_a_batch_of_matrices() -> None:
    """Filled values (1, 0.2), (0.5, 0.4), (0.2, 0.1), weights ½ each. Weighted: (.5, .1), (.25, .2),
    (.1, .05); ideal = column maxima (.5, .2), anti-ideal = column minima (.1, .05).
    P0: d⁺ = .1, d⁻ = √(.4² + .05²) = .40311 → 80.123. P1: d⁺ = .25, d⁻ = √(2·.15²) = .21213 → 45.903.
    P2 is the anti-ideal → 0. Identical partners (d⁺ = d⁻ = 0) get 50. A batch (K, n, m) scores each
    matrix on its own: the second, with the rows reversed, gives the reversed closeness."""
    from scoring.engine import topsis

    filled = np.array([[1.0, 0.2], [0.5, 0.4], [0.2, 0.1]])
    weights = np.full((3, 2), 0.5)
    expected = [100 * 0.403113 / 0.503113, 100 * 0.212132 / 0.462132, 0.0]
    assert topsis(filled, weights) == pytest.approx(expected, abs=1e-4)
    batch = topsis(np.stack([filled, filled[::-1]]), np.stack([weights, weights]))
    assert batch.shape == (2, 3)
    assert batch[0] == pytest.approx(expected, abs=1e-4) and batch[1] == pytest.approx(expected[::-1], abs=1e-4)
    assert topsis(np.full((2, 2), 0.5), np.full((2, 2), 0.5)).tolist() == [50.0, 50.0]


def test_top_k_agreement_counts_the_shared_members_of_both_top_k_sets() -> None:
    """Ranks (1, 2, 3, 4) and (2, 1, 4, 3): the top 2 are the same pair (1.0); top 3 share two of three
    (⅔); a k beyond the partners is cut to 4 (1.0); no partners → NaN."""
    from scoring.engine import top_k_agreement

    a, b = np.array([1, 2, 3, 4]), np.array([2, 1, 4, 3])
    assert top_k_agreement(None, None, a, b, 2) == 1.0
    assert top_k_agreement(None, None, a, b, 3) == pytest.approx(2 / 3)
    assert top_k_agreement(None, None, a, b, 1) == 0.0
    assert top_k_agreement(None, None, a, b, 10) == 1.0
    assert np.isnan(top_k_agreement(None, None, np.array([], dtype=int), np.array([], dtype=int), 10))


def test_cross_check_reports_topsis_ranks_and_agreement() -> None:
    """The reweight case above: weighted sum 0, 50, 100; TOPSIS 0, 41.4, 58.6 — the same order, so both
    correlations are 1, both top-k overlaps 1 (k cut to 3 partners) and the ranking is called robust."""
    check = cross_check(score_partners(gap_matrix(), ScoringConfig({"x": 1, "y": 1}, missing="reweight")))
    assert check.topsis_rank.tolist() == [3, 2, 1]
    assert (check.kendall_tau, check.spearman_rho) == (pytest.approx(1.0), pytest.approx(1.0))
    assert (check.top10_overlap, check.top30_overlap, check.top30_tau) == (1.0, 1.0, pytest.approx(1.0))
    assert check.robust


def test_cross_check_verdict_never_overstates_the_agreement() -> None:
    """Robust needs top-10 overlap ≥ 0.8 and top-30 τ ≥ 0.8, both."""
    from scoring.engine import CrossCheck

    def check(overlap: float, tau: float) -> CrossCheck:
        return CrossCheck(np.zeros(2), np.array([1, 2]), 0.5, 0.6, top10_overlap=overlap, top30_overlap=0.5, top30_tau=tau)

    head = "TOPSIS keeps 80% of the weighted-sum top 10 and 50% of the top 30 (Kendall τ = 0.80 within the top 30; 0.50 over all partners)"
    assert check(0.8, 0.8).robust
    assert check(0.8, 0.8).verdict() == head + ": the top of the ranking is robust to the method."
    assert not check(0.7, 0.9).robust and not check(0.9, 0.7).robust
    assert check(0.8, 0.79).verdict() == (
        "TOPSIS keeps 80% of the weighted-sum top 10 and 50% of the top 30 (Kendall τ = 0.79 within the top 30; "
        "0.50 over all partners): the top of the ranking depends on the method — TOPSIS rewards partners close "
        "to the best value on every criterion, the weighted sum lets strength on one criterion offset weakness "
        "on another."
    )


# ---- geography: densified outlines and nearest distances (scoring.geography) ---------------------

ONE_DEGREE_KM = 6371.0088 * np.pi / 180  # 111.195 km of great circle


def test_ring_points_densify_each_edge_to_at_most_the_step() -> None:
    """An edge of 1° along the equator (111.2 km) with a 20 km step: floor(111.2 / 20) = 5 extra points,
    7 in all, evenly 111.2 / 6 = 18.5 km apart, all on the unit sphere. A third coordinate is ignored;
    an empty ring adds nothing and a one-point ring adds its point without stopping the others."""
    from scoring.geography import ring_points

    points = ring_points([[[0.0, 0.0], [1.0, 0.0]]])
    assert points.shape == (7, 3)
    assert np.linalg.norm(points, axis=1) == pytest.approx(np.ones(7))
    lon = np.sort(np.degrees(np.arctan2(points[:, 1], points[:, 0])))
    assert lon == pytest.approx(np.linspace(0.0, 1.0, 7), abs=1e-4)  # chord interpolation: even to ~1e-5°
    assert np.array_equal(ring_points([[[0.0, 0.0, 9.0], [1.0, 0.0, 9.0]]]), points)
    assert ring_points([np.zeros((0, 2)), [[5.0, 5.0]], [[0.0, 0.0], [1.0, 0.0]]]).shape == (8, 3)
    assert ring_points([[[0.0, 0.0]]]).tolist() == [[1.0, 0.0, 0.0]]
    assert ring_points([]).shape == (0, 3)
    assert ring_points([[[0.0, 0.0], [1.0, 0.0]]], step_km=60.0).shape == (3, 3)  # floor(111.2 / 60) = 1


def test_nearest_distance_is_the_great_circle_gap_in_whole_km_and_zero_below_touch() -> None:
    """On the equator: a partner at 0° and adversaries at 1° (111.2 km → 111) and at −0.23° (25.6 km,
    just beyond the 25 km touch → 26). Within 25 km (0.2°, 22.2 km) it counts as touching: 0. An
    adversary listed as a partner is skipped, and so is a partner without points."""
    from scoring.geography import nearest_distance_km, ring_points

    def at(lon: float) -> np.ndarray:
        return ring_points([[[lon, 0.0]]])

    far = nearest_distance_km({"RUS": at(5.0), "AAA": at(0.0), "BBB": np.zeros((0, 3))}, {"RUS": at(5.0), "CHN": at(1.0)})
    assert far == {"AAA": ("CHN", 111.0)}
    assert type(far["AAA"][1]) is float
    near = nearest_distance_km({"AAA": at(0.0)}, {"CHN": at(1.0), "IRN": at(-0.23)})
    assert near == {"AAA": ("IRN", 26.0)}
    touching = nearest_distance_km({"AAA": at(0.0)}, {"CHN": at(1.0), "IRN": at(0.2)})
    assert touching == {"AAA": ("IRN", 0.0)}
    assert nearest_distance_km({"AAA": at(0.0)}, {"CHN": np.zeros((0, 3))}) == {}
    chunked = nearest_distance_km({"AAA": np.concatenate([at(3.0), at(0.5)])}, {"CHN": at(1.0), "IRN": at(4.5)}, chunk=1)
    assert chunked == {"AAA": ("CHN", round(0.5 * ONE_DEGREE_KM))}


# ---- batched strict-priority delivery per draw (scoring.delivery.priority_draws) -----------------


def test_priority_draws_serve_each_draws_order_with_fence_holds_and_arrivals() -> None:
    """One line making 10 units a quarter; three signed 10-unit orders A, B, C (signed in that order,
    long arrived) and a notified order D that does not compete. Draw 0 ranks A > B > C: quarters 0, 1, 2;
    draw 1 ranks C > B > A: 2, 1, 0. A one-quarter fence commits quarter 0 first-come-first-served (A):
    draw 1 then gives C quarter 1 and B quarter 2. B held and suspended never completes (the horizon, 8);
    held with a 2-quarter review delay it arrives in quarter 2 and completes then."""
    from scoring.delivery import NO_DELIVERY, DeliveryRules, priority_draws

    book = dict(
        line=[0, 0, 0, 0], units=[10.0, 10.0, 10.0, 10.0], contract_day=[100, 200, 300, 400], order_id=[1, 2, 3, 4],
        status=["signed", "signed", "signed", "notified"], lead_months=[12.0] * 4, capacity=np.full((1, 8), 10.0),
        start=(2026, 1),
    )
    scores = np.array([[3.0, 2.0, 1.0, 9.0], [1.0, 2.0, 3.0, 9.0]])
    plain = priority_draws(order_scores=scores, rules=DeliveryRules("priority", fence_quarters=0), **book)
    assert plain.tolist() == [[0, 1, 2, NO_DELIVERY], [2, 1, 0, NO_DELIVERY]]
    fenced = priority_draws(order_scores=scores, rules=DeliveryRules("priority", fence_quarters=1), **book)
    assert fenced.tolist() == [[0, 1, 2, NO_DELIVERY], [0, 2, 1, NO_DELIVERY]]
    held = [False, True, False, False]
    suspended = priority_draws(order_scores=scores, rules=DeliveryRules("priority", fence_quarters=0), held=held, **book)
    assert suspended.tolist() == [[0, 8, 1, NO_DELIVERY], [1, 8, 0, NO_DELIVERY]]
    delayed = priority_draws(
        order_scores=scores, rules=DeliveryRules("priority", fence_quarters=0, hold_mode="delay", review_quarters=2),
        held=held, **book,
    )
    assert delayed.tolist() == [[0, 2, 1, NO_DELIVERY], [1, 2, 0, NO_DELIVERY]]


# ---- what changed between two scenarios (scoring.compare) ----------------------------------------


def test_partner_changes_align_by_code_and_sign_moves_up_as_positive() -> None:
    """Current AAA rank 1 tier 1, BBB rank 3 tier 2, CCC rank 2 tier 3, NEW rank 4 tier 3 (absent in the
    reference). Reference (other order): BBB 2/1, AAA 1/1, CCC 3/0 (FCFS: no tier). BBB fell 2 → 3 (−1)
    and to a worse tier (+1); CCC rose 3 → 2 (+1), its tier change is not comparable (0) but it changed;
    AAA is unchanged; NEW has no reference rank (NaN) and tier 0."""
    from scoring.compare import partner_changes

    out = partner_changes(
        ("AAA", "BBB", "CCC", "NEW"), np.array([1, 3, 2, 4]), np.array([1, 2, 3, 3]),
        ("BBB", "AAA", "CCC"), np.array([2, 1, 3]), np.array([1, 1, 0]),
    )
    assert out.reference_rank[:3].tolist() == [1.0, 2.0, 3.0] and np.isnan(out.reference_rank[3])
    assert out.reference_tier.tolist() == [1, 1, 0, 0]
    assert out.rank_change[:3].tolist() == [0.0, -1.0, 1.0] and np.isnan(out.rank_change[3])
    assert out.tier_change.tolist() == [0, 1, 0, 0]
    assert out.changed.tolist() == [False, True, True, True]
    assert out.n_tier_changes == 1


def test_order_changes_compare_completion_quarters_of_orders_competing_in_both() -> None:
    """Orders 7, 8, 9, 10 now complete in quarters 2, 5, 3, 4; the reference has 9 (q 3), 7 (q 4) and 8
    (q 1, but not competing there), not 10. Order 7 is two quarters earlier (−2); 8 is not comparable;
    9 did not move; 10 is new (reference −1)."""
    from scoring.compare import group_shift, order_changes

    out = order_changes(
        np.array([7, 8, 9, 10]), np.array([2, 5, 3, 4]), np.array([True, True, True, True]),
        np.array([9, 7, 8]), np.array([3, 4, 1]), np.array([True, True, False]),
    )
    assert out.reference_last.tolist() == [4, 1, 3, -1]
    assert out.change.tolist() == [-2, 0, 0, 0]
    assert out.moved.tolist() == [True, False, False, False]
    assert out.comparable.tolist() == [True, False, True, False]
    not_now = order_changes(np.array([7]), np.array([2]), np.array([False]), np.array([7]), np.array([4]), np.array([True]))
    assert not_now.comparable.tolist() == [False] and not_now.change.tolist() == [0]
    shift = group_shift(np.array([3, 5]), np.array([1.5, np.nan]))
    assert shift[0] == 1.5 and np.isnan(shift[1])


# ---- schedule: investments, quarter labels, per-order columns (scoring.schedule) -----------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((-1, 10.0, 2026, 1, 0), "CapacityInvestment line and funder must be indices ≥ 0"),
        ((0, 10.0, 2026, 1, -1), "CapacityInvestment line and funder must be indices ≥ 0"),
        ((1.5, 10.0, 2026, 1, 0), "CapacityInvestment.line must be an integer (got 1.5)"),
        ((0, 10.0, 2026, 1, True), "CapacityInvestment.funder must be an integer (got True)"),
        ((0, "10", 2026, 1, 0), "extra_units_per_year must be a number (got '10')"),
        ((0, True, 2026, 1, 0), "extra_units_per_year must be a number (got True)"),
        ((0, -1.0, 2026, 1, 0), "extra_units_per_year must be finite and ≥ 0 (got -1.0)"),
        ((0, float("inf"), 2026, 1, 0), "extra_units_per_year must be finite and ≥ 0 (got inf)"),
        ((0, 10.0, 2026, 5, 0), "CapacityInvestment.start_quarter must be 1..4 (got 5)"),
        ((0, 10.0, 2026, 0, 0), "CapacityInvestment.start_quarter must be 1..4 (got 0)"),
        ((0, 10.0, 2026.0, 1, 0), "start_year must be an integer (got 2026.0)"),
    ],
)
def test_capacity_investment_rejects_what_it_cannot_schedule(args, message) -> None:
    from scoring.schedule import CapacityInvestment

    with pytest.raises(ValueError) as error:
        CapacityInvestment(*args)
    assert str(error.value) == message


def test_capacity_investment_normalises_numpy_numbers() -> None:
    """numpy integers and floats are accepted and stored as plain int / float; 0 units and quarters 1
    and 4 are allowed."""
    from scoring.schedule import CapacityInvestment

    inv = CapacityInvestment(np.int64(2), np.float32(12.5), np.int64(2027), np.int64(4), np.int64(1))
    assert (inv.line, inv.extra_units_per_year, inv.start_year, inv.start_quarter, inv.funder) == (2, 12.5, 2027, 4, 1)
    assert [type(v) for v in (inv.line, inv.extra_units_per_year, inv.start_year, inv.start_quarter, inv.funder)] == [
        int, float, int, int, int,
    ]
    assert CapacityInvestment(0, 0, 2026, 1, 0).extra_units_per_year == 0.0


def test_quarter_labels_count_quarters_from_the_start() -> None:
    """2026 Q3 + 2 quarters = 2027 Q1; 2026 Q4 + 1 = 2027 Q1; 2026 Q4 + 5 = 2028 Q1. −1 (nothing to
    deliver) has no label."""
    from scoring.schedule import quarter_calendar, quarter_label, quarter_labels

    assert quarter_label(2026, 1, 0) == "2026 Q1"
    assert quarter_label(2026, 3, 2) == "2027 Q1"
    assert quarter_label(2026, 4, 1) == "2027 Q1"
    years, quarters = quarter_calendar(2026, 4, np.array([0, 1, 5]))
    assert years.tolist() == [2026, 2027, 2028] and quarters.tolist() == [4, 1, 1]
    assert quarter_labels(2026, 2, np.array([0, -1, 3])).tolist() == ["2026 Q2", "—", "2027 Q1"]
    with pytest.raises(ValueError) as error:
        quarter_label(2026, 1, -1)
    assert str(error.value) == "quarter index must be ≥ 0 (got -1; -1 means nothing to deliver)"
    for quarter in (0, 5):
        with pytest.raises(ValueError) as error:
            quarter_label(2026, quarter, 0)
        assert str(error.value) == f"start_quarter must be 1, 2, 3 or 4 (got {quarter})"
    with pytest.raises(ValueError) as error:
        quarter_label(2026.5, 1, 0)
    assert str(error.value) == "start_year must be an integer (got 2026.5)"


def test_policy_comparison_columns_name_every_per_order_field() -> None:
    """The per-order table of a scenario: the delivery fields (competing, arrival, suspended) and the
    ten queue/schedule fields, each under its own name, and nothing else."""
    comparison = run_scenario(two_partners(), one_order(), one_line(), scenario()).comparison
    columns = comparison.as_columns()
    names = [
        "fcfs_position", "priority_position", "position_change", "fcfs_first_quarter", "fcfs_last_quarter",
        "fcfs_beyond_horizon", "priority_first_quarter", "priority_last_quarter", "priority_beyond_horizon",
        "delay_quarters",
    ]
    assert list(columns) == ["competing", "arrival_quarter", "suspended", *names]
    for name in names + ["competing", "arrival_quarter", "suspended"]:
        assert columns[name] is getattr(comparison, name)


# ---- delivery policies and rules (scoring.delivery) ---------------------------------------------


def deliveries(rules, units, score, per_quarter, group=None):
    from scoring.delivery import plan_deliveries

    n = len(units)
    return plan_deliveries(
        [0] * n, units, score, [100, 200, 300][:n], [1, 2, 3][:n], ["signed"] * n, [12.0] * n,
        np.full((1, 8), per_quarter), (2026, 1), rules, group=group,
    )


def test_tier_shares_split_each_quarter_and_pass_unused_capacity_down() -> None:
    """10 units a quarter; A (tier 1), B (tier 2), C (tier 3) each need 20 (signed in that order).
    Shares 50/30/20: each quarter A 5, B 3, C 2 → A done after quarter 3 (4 × 5). In quarter 4 A's 5 flow
    down to B (3 + 5 = 8, its last 8: done) and C gets 2 (10 so far); quarter 5 gives C the last 10.
    FCFS: A in quarters 0–1, B 2–3, C 4–5. With shares 50/30/0 the rest (20 %) goes to the group after
    tier 3 (here C, not tiered), the same split."""
    from scoring.delivery import DeliveryRules

    out = deliveries(DeliveryRules("tier_share", fence_quarters=0), [20.0] * 3, [90.0, 50.0, 10.0], 10.0, [0, 1, 2])
    assert out.fcfs_last_quarter.tolist() == [1, 3, 5]
    assert out.priority_last_quarter.tolist() == [3, 4, 5]
    assert out.priority_first_quarter.tolist() == [0, 0, 0]
    assert out.delay_quarters.tolist() == [2, 1, 0]
    rest = deliveries(DeliveryRules("tier_share", (0.5, 0.3, 0.0), fence_quarters=0), [20.0] * 3, [90.0, 50.0, 10.0],
                      10.0, [0, 1, 3])
    assert rest.priority_last_quarter.tolist() == [3, 4, 5]


def test_fair_share_splits_capacity_by_score_plus_one_capped_at_need() -> None:
    """12 units a quarter; A, B, C need 12 each with scores 2, 1, 0 → weights 3 : 2 : 1. Quarters 0 and
    1: A 6, B 4, C 2 → A done in quarter 1. Quarter 2: B's share 8 is capped at the 4 it needs, C gets 4
    plus the 4 left over → both done. FCFS: A q0, B q1, C q2."""
    from scoring.delivery import DeliveryRules

    out = deliveries(DeliveryRules("fair_share", fence_quarters=0), [12.0] * 3, [2.0, 1.0, 0.0], 12.0)
    assert out.fcfs_last_quarter.tolist() == [0, 1, 2]
    assert out.priority_last_quarter.tolist() == [1, 2, 2]
    assert out.priority_first_quarter.tolist() == [0, 0, 0]


def test_arrival_is_the_contract_month_plus_lead_time_counted_from_the_start_quarter() -> None:
    """Signed 15 Nov 2025, start 2026 Q1: +3 months = Feb 2026 (Q1 → 0); +5 = Apr 2026 (Q2 → 1); +0.5
    rounded up to 1 month plus 12 extra = Dec 2026 (Q4 → 3); a contract long past arrives at 0."""
    from scoring.delivery import arrival_quarters

    day = int((np.datetime64("2025-11-15") - np.datetime64("1970-01-01")).astype(int))
    out = arrival_quarters([day, day, day, 0], [3.0, 5.0, 0.5, 12.0], [0.0, 0.0, 12.0, 0.0], 2026, 1)
    assert out.tolist() == [0, 1, 3, 0]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"policy": "lottery"}, "Unknown allocation policy 'lottery'; use one of ['fair_share', 'priority', 'tier_share']"),
        ({"hold_mode": "cancel"}, "Unknown hold mode 'cancel'; use one of ['delay', 'suspend']"),
        ({"tier_shares": (0.6, 0.3, 0.2)}, "Tier shares are three shares ≥ 0 that add up to at most 100 %"),
        ({"tier_shares": (0.5, -0.1, 0.2)}, "Tier shares are three shares ≥ 0 that add up to at most 100 %"),
        ({"tier_shares": (0.5, 0.5)}, "Tier shares are three shares ≥ 0 that add up to at most 100 %"),
        ({"fence_quarters": 41}, "The time fence is 0–40 quarters"),
        ({"fence_quarters": -1}, "The time fence is 0–40 quarters"),
        ({"notify_lag_months": 61}, "The notification lag is 0–60 months and the review period 0–40 quarters"),
        ({"notify_lag_months": -1}, "The notification lag is 0–60 months and the review period 0–40 quarters"),
        ({"review_quarters": 41}, "The notification lag is 0–60 months and the review period 0–40 quarters"),
        ({"review_quarters": -1}, "The notification lag is 0–60 months and the review period 0–40 quarters"),
    ],
)
def test_delivery_rules_reject_values_outside_their_ranges(changes, message) -> None:
    from scoring.delivery import DeliveryRules

    with pytest.raises(ValueError) as error:
        DeliveryRules(**changes).validate()
    assert str(error.value) == message


def test_delivery_rules_accept_the_edges_of_their_ranges() -> None:
    from scoring.delivery import DeliveryRules

    for rules in (
        DeliveryRules("tier_share", (0.5, 0.3, 0.2), 40, True, 60, "delay", 40),
        DeliveryRules("fair_share", (0.0, 0.0, 0.0), 0, False, 0, "suspend", 0),
        DeliveryRules(fence_quarters=None),
    ):
        rules.validate()


# ---- the scenario chain's results and helpers (scoring.pipeline) ---------------------------------


def share_only(**changes) -> Scenario:
    return scenario(weights=(("share_gdp", 1.0),), **changes)


def test_run_scenario_returns_every_step_on_a_one_criterion_scenario() -> None:
    """Share of GDP only (NATO basis: AAA 3 %, BBB 1 %): min-max → AAA 100, BBB 0; TOPSIS agrees (100, 0).
    Tiers 60/40: AAA 1, BBB 3, 40 points short of tier 2; one weighted criterion on record → both
    tiered. The queue score is the score; no year columns → nothing stale."""
    result = run_scenario(two_partners(), one_order(), one_line(), share_only())
    j = result.matrix.column("share_gdp")
    assert result.matrix.criteria == CRITERIA and result.matrix.raw[:, j].tolist() == [3.0, 1.0]
    assert result.ranking.scores.score.tolist() == [100.0, 0.0]
    assert result.ranking.cross.topsis_score.tolist() == [100.0, 0.0]
    assert result.ranking.tiers.tier.tolist() == [1, 3] and result.ranking.coverage.tier.tolist() == [1, 3]
    assert np.isnan(result.ranking.tiers.points_to_next[0]) and result.ranking.tiers.points_to_next[1] == pytest.approx(40.0)
    assert result.partner_score.tolist() == [100.0, 0.0]
    assert result.stale.shape == (2, len(CRITERIA)) and not result.stale.any()
    assert result.scenario == share_only()


def test_stale_figures_are_kept_and_flagged_or_dropped_as_missing() -> None:
    """AAA's SIPRI figures are from 2015, more than 5 years before 2026: stale (share, trend and pledge gap
    follow the share's year, absolute spending SIPRI's year). 'flag' keeps 3 % (AAA 100, BBB 0). 'missing' drops it: BBB alone on record
    (no spread → 0.5 → 50, tier 2); AAA has nothing on record and is not tiered (4)."""
    from dataclasses import replace

    base = two_partners()
    columns = dict(base.columns)
    columns["sipri_year"] = np.array([2015.0, 2024.0])
    partners = replace(base, columns=columns)
    keys = [c.key for c in CRITERIA]
    flagged = run_scenario(partners, one_order(), one_line(), share_only(stale_rule="flag"))
    assert [keys[j] for j in np.flatnonzero(flagged.stale[0])] == ["share_gdp", "share_trend", "spend_abs", "pledge_gap"]
    assert not flagged.stale[1].any()
    assert flagged.ranking.scores.score.tolist() == [100.0, 0.0]
    dropped = run_scenario(partners, one_order(), one_line(), share_only(stale_rule="missing"))
    assert np.isnan(dropped.matrix.raw[0, keys.index("share_gdp")])
    assert dropped.ranking.scores.score.tolist() == [0.0, 50.0]
    assert dropped.ranking.tiers.tier.tolist() == [4, 2]
    with pytest.raises(ValueError) as error:
        run_scenario(partners, one_order(), one_line(), share_only(stale_rule="drop"))
    assert str(error.value) == "Unknown stale-figure rule 'drop'; use one of ['flag', 'missing']"


def test_restricted_and_not_free_columns_reach_the_partner_gates() -> None:
    """AAA is restricted (case by case) and BBB rated Not Free: holding restricted partners holds AAA
    only; the risk veto holds BBB only; with neither gate on, both are only flagged or cleared."""
    from dataclasses import replace

    base = two_partners()
    columns = dict(base.columns)
    columns["restricted"] = np.array([1.0, 0.0])
    columns["fh_not_free"] = np.array([0.0, 1.0])
    partners = replace(base, columns=columns)
    assert run_scenario(partners, one_order(), one_line(), share_only(hold_restricted=True)).partner_gates.held.tolist() == [True, False]
    assert run_scenario(partners, one_order(), one_line(), share_only(risk_veto=True)).partner_gates.held.tolist() == [False, True]
    plain = run_scenario(partners, one_order(), one_line(), share_only()).partner_gates
    assert plain.held.tolist() == [False, False] and plain.flagged.tolist() == [True, False]


def test_order_scores_give_a_backlog_block_the_median_partner_score() -> None:
    """Partner scores 80, 20, 50; orders of partners 0, block, 2, 1 → 80, median 50, 50, 20. Per draw
    (rows) the same; no orders → an empty row per draw; no partners → a block scores 0."""
    from scoring.pipeline import order_scores

    assert order_scores(np.array([80.0, 20.0, 50.0]), np.array([0, -1, 2, 1])).tolist() == [80.0, 50.0, 50.0, 20.0]
    draws = order_scores(np.array([[80.0, 20.0, 50.0], [10.0, 30.0, 90.0]]), np.array([0, -1]))
    assert draws.tolist() == [[80.0, 50.0], [10.0, 30.0]]
    assert order_scores(np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([], dtype=int)).shape == (2, 0)
    assert order_scores(np.zeros(0), np.array([-1])).tolist() == [0.0]
    assert order_scores(np.array([5, 7]), np.array([1, 0])).tolist() == [7.0, 5.0]


def test_order_groups_map_tiers_to_groups_and_blocks_to_the_rest() -> None:
    """Tiers 1, 3, 4 (not tiered) for partners 0–2; orders of 0, 1, 2 and a block → groups 0, 2, 3, 3;
    without tiers (FCFS) every order is in group 3."""
    from scoring.pipeline import order_groups

    assert order_groups(np.array([1, 3, 4]), np.array([0, 1, 2, -1])).tolist() == [0, 2, 3, 3]
    assert order_groups(np.array([2]), np.array([0])).tolist() == [1]
    assert order_groups(None, np.array([0, 1])).tolist() == [3, 3]
    assert order_groups(np.array([1]), np.array([], dtype=int)).tolist() == []


def test_line_defaults_fill_what_is_not_published() -> None:
    """Lead time: published 6 months kept; unpublished → the category default (fighter 36, munition
    12) or 24 without a category. US share: published 50 % kept, else the scenario's 30 %."""
    from scoring.pipeline import domestic_shares, line_lead_months

    lines = LineTable(
        ("a", "b", "c"), np.array([4.0, 4.0, 4.0]), np.array([2025.0] * 3), np.array([np.nan] * 3), np.array([np.nan] * 3),
        np.array([1.0] * 3), us_share=np.array([np.nan, 0.5, np.nan]), lead_months=np.array([6.0, np.nan, np.nan]),
        category=("fighter", "fighter", "munition"),
    )
    assert line_lead_months(lines).tolist() == [6.0, 36.0, 12.0]
    assert domestic_shares(lines, 0.3).tolist() == [0.3, 0.5, 0.3]
    bare = LineTable(("a",), np.array([4.0]), np.array([2025.0]), np.array([np.nan]), np.array([np.nan]), np.array([1.0]))
    assert line_lead_months(bare).tolist() == [24.0]
    assert domestic_shares(bare, 0.3).tolist() == [0.3]


# ---- gates: parameters, boundaries and the reasons shown (scoring.gates) --------------------------


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (GateConfig(hr_floor=-1), "The human-rights floor is a Freedom House total between 0 and 100"),
        (GateConfig(hr_floor=100.5), "The human-rights floor is a Freedom House total between 0 and 100"),
        (GateConfig(end_use_ceiling=-0.1), "The end-use risk ceiling is a score between 0 and 5"),
        (GateConfig(end_use_ceiling=5.1), "The end-use risk ceiling is a score between 0 and 5"),
        (GateConfig(sensitive_tech_min_score=-1), "The sensitive-technology minimum is a priority score between 0 and 100"),
        (GateConfig(sensitive_tech_min_score=101), "The sensitive-technology minimum is a priority score between 0 and 100"),
    ],
)
def test_gate_parameters_outside_their_scales_are_refused(config, message) -> None:
    with pytest.raises(ValueError) as error:
        config.validate()
    assert str(error.value) == message


def test_gate_parameters_at_the_ends_of_their_scales_are_accepted() -> None:
    for config in (GateConfig(0, 0, 0), GateConfig(100, 5, 100), GateConfig()):
        config.validate()


def test_partner_gates_combine_and_explain_every_hold() -> None:
    """Floor 30, ceiling 4: P0 (FH 10, risk 1) is held by the floor only; P1 (FH 90, risk 4.5) by the
    ceiling only; P2 (FH 30, risk 4) sits on both limits and is cleared; P3 has neither figure and is
    flagged twice; P4 (FH 20, risk 5) is held by both, reasons joined by '; '."""
    fh = np.array([10.0, 90.0, 30.0, np.nan, 20.0])
    risk = np.array([1.0, 4.5, 4.0, np.nan, 5.0])
    gates = partner_gates(fh, risk, GateConfig(hr_floor=30, end_use_ceiling=4))
    assert gates.held.tolist() == [True, True, False, False, True]
    assert gates.flagged.tolist() == [False, False, False, True, False]
    assert gates.reasons == (
        "Held: Freedom House 2025 total 10 is below the floor of 30",
        "Held: end-use risk 4.5/5 (analyst judgement) is above the ceiling of 4.0",
        "",
        "Flagged: no Freedom House score, the human-rights floor was not applied; "
        "Flagged: no end-use risk assessment, the ceiling was not applied",
        "Held: Freedom House 2025 total 20 is below the floor of 30; "
        "Held: end-use risk 5.0/5 (analyst judgement) is above the ceiling of 4.0",
    )


def test_risk_veto_and_restricted_holds_add_to_the_other_gates() -> None:
    """Veto: P0 Not Free with risk 4.5 → both reasons; P1 free with risk 3 cleared; P2 unrated (NaN) with
    risk 4 → the risk band only. Without Not Free ratings the veto still holds on risk alone. Restricted
    P1 held on request, after P0 was already held by the floor (holds accumulate)."""
    veto = partner_gates(np.array([10.0, 80.0, 50.0]), np.array([4.5, 3.0, 4.0]), GateConfig(risk_veto=True),
                         not_free=np.array([1.0, 0.0, np.nan]))
    assert veto.held.tolist() == [True, False, True]
    assert veto.reasons == (
        "Held by the risk veto: rated Not Free by Freedom House and end-use risk 4.5/5 is in the worst band (≥ 4)",
        "",
        "Held by the risk veto: end-use risk 4.0/5 is in the worst band (≥ 4)",
    )
    unrated = partner_gates(np.array([10.0, 80.0]), np.array([4.5, 3.0]), GateConfig(risk_veto=True))
    assert unrated.held.tolist() == [True, False]
    assert unrated.reasons[0] == "Held by the risk veto: end-use risk 4.5/5 is in the worst band (≥ 4)"
    both = partner_gates(np.array([10.0, 80.0, 90.0]), np.array([1.0, 1.0, 1.0]), GateConfig(hr_floor=30, hold_restricted=True),
                         restricted=np.array([0, 1, 0]))
    assert both.held.tolist() == [True, True, False]
    assert both.flagged.tolist() == [False, True, False]
    assert both.reasons[1] == "Held: US law allows transfers to this partner only case by case (restricted)"
    flagged_only = partner_gates(np.array([80.0]), np.array([1.0]), GateConfig(), restricted=np.array([1]))
    assert flagged_only.reasons == ("Flagged: restricted by US law (case-by-case review only)",)


def test_partner_gates_refuse_arrays_of_different_lengths() -> None:
    with pytest.raises(ValueError) as error:
        partner_gates(np.array([1.0, 2.0]), np.array([1.0]), GateConfig())
    assert str(error.value) == "Freedom House and end-use risk arrays must have one value per partner"
    with pytest.raises(ValueError) as error:
        partner_gates(np.array([1.0, 2.0]), np.array([1.0, 2.0]), GateConfig(), restricted=np.array([True]))
    assert str(error.value) == "The restricted flags must have one value per partner"


def test_order_gates_on_sensitive_lines_give_both_reasons_and_refuse_unknown_partners() -> None:
    """Minimum 40 on high-sensitivity lines: a score of exactly 40 clears; P1 (held by the floor, score
    30) gets both reasons on a high line and the floor's alone on a low one. An order pointing past the
    last partner, or below the backlog-block code −1, is refused. No partners, no orders: empty."""
    config = GateConfig(hr_floor=30, sensitive_tech_min_score=40)
    partners = partner_gates(np.array([90.0, 10.0]), np.array([0.0, 0.0]), config)
    orders = order_gates(np.array([0, 1, 1]), np.array(["high", "high", "low"]), np.array([True, True]),
                         np.array([40.0, 30.0]), partners, config)
    assert orders.held.tolist() == [False, True, True]
    assert orders.reasons.tolist() == [
        "",
        "Held: Freedom House 2025 total 10 is below the floor of 30; "
        "Held: high-sensitivity platform needs a priority score ≥ 40 (partner has 30.0)",
        "Held: Freedom House 2025 total 10 is below the floor of 30",
    ]
    for bad in ([2], [-2]):
        with pytest.raises(ValueError) as error:
            order_gates(np.array(bad), np.array(["low"]), np.array([True, True]), np.array([1.0, 1.0]), partners, config)
        assert str(error.value) == "An order points at a partner that is not in the scored set"
    none = partner_gates(np.zeros(0), np.zeros(0), GateConfig())
    empty = order_gates(np.zeros(0, dtype=int), np.zeros(0, dtype=str), np.zeros(0, dtype=bool), np.zeros(0), none, GateConfig())
    assert empty.held.shape == (0,) and empty.held.dtype == bool
    assert empty.reasons.shape == (0,) and empty.reasons.dtype == object


def four_orders(rules, **kw):
    """One line, 10 units a quarter; A, B, C (10 units each, signed in that order, scores 1, 3, 2) and a
    notified order D that does not compete."""
    from scoring.delivery import plan_deliveries

    return plan_deliveries(
        [0] * 4, [10.0] * 4, [1.0, 3.0, 2.0, 9.0], [100, 200, 300, 400], [1, 2, 3, 4], ["signed"] * 3 + ["notified"],
        [12.0] * 4, np.full((1, 8), 10.0), (2026, 1), rules, **kw,
    )


def test_plan_deliveries_reports_positions_quarters_and_orders_for_every_order() -> None:
    """FCFS serves A, B, C in quarters 0, 1, 2; strict priority B, C, A → 0, 1, 2 for B, C, A. Positions
    (0 = first): FCFS 0, 1, 2, priority 2, 0, 1 → A moved back 2, B and C up 1. Delays: A +2, B −1, C −1.
    D: position −1, no delivery, delay 0, last in both full orders. Read-only arrays; per-quarter
    deliveries on request."""
    from scoring.delivery import DeliveryRules

    out = four_orders(DeliveryRules("priority", fence_quarters=0), keep_per_quarter=True)
    assert out.fcfs_position.tolist() == [0, 1, 2, -1]
    assert out.priority_position.tolist() == [2, 0, 1, -1]
    assert out.position_change.tolist() == [-2, 1, 1, 0]
    assert out.fcfs_first_quarter.tolist() == [0, 1, 2, -1] and out.fcfs_last_quarter.tolist() == [0, 1, 2, -1]
    assert out.priority_first_quarter.tolist() == [2, 0, 1, -1] and out.priority_last_quarter.tolist() == [2, 0, 1, -1]
    assert out.delay_quarters.tolist() == [2, -1, -1, 0]
    assert out.fcfs_order.tolist() == [0, 1, 2, 3] and out.priority_order.tolist() == [1, 2, 0, 3]
    assert out.competing.tolist() == [True, True, True, False]
    assert out.arrival_quarter.tolist() == [0, 0, 0, -1]
    assert out.suspended.tolist() == [False] * 4
    assert out.fcfs_beyond_horizon.tolist() == [False] * 4 and out.priority_beyond_horizon.tolist() == [False] * 4
    assert not out.delay_quarters.flags.writeable and not out.priority_position.flags.writeable
    assert out.fcfs_per_quarter[:, :3].tolist() == [[10, 0, 0], [0, 10, 0], [0, 0, 10], [0, 0, 0]]
    assert out.priority_per_quarter[:, :3].tolist() == [[0, 0, 10], [10, 0, 0], [0, 10, 0], [0, 0, 0]]
    assert four_orders(DeliveryRules("priority", fence_quarters=0)).fcfs_per_quarter is None


def test_default_fence_is_each_lines_lead_time_and_suspended_orders_wait_beyond_the_horizon() -> None:
    """Without a fence setting the fence is the line's lead time: 12 months = 4 quarters, which covers
    all three orders' deliveries → priority changes nothing. A held (suspended) A never completes under
    priority: the horizon (8), beyond it; B and C move up."""
    from scoring.delivery import DeliveryRules

    assert four_orders(DeliveryRules("priority")).priority_last_quarter.tolist() == [0, 1, 2, -1]
    held = four_orders(DeliveryRules("priority", fence_quarters=0), held=[True, False, False, False])
    assert held.priority_last_quarter.tolist() == [8, 0, 1, -1]
    assert held.priority_beyond_horizon.tolist() == [True, False, False, False]
    assert held.suspended.tolist() == [True, False, False, False]


def test_a_funders_claim_is_served_first_under_every_policy() -> None:
    """A reserved 4 units a quarter for A (A's orders only): A gets 4, 4, 2 → done in quarter 2 under
    every policy; B and C share the other 6 (then 8). Priority: B 6 + 4 (done q1), C 2 + 8 (done q2).
    Fair share (weights 4 : 3): B and C both finish in quarter 2, both from quarter 0."""
    from scoring.delivery import DeliveryRules

    claim = (np.full((1, 8), 4.0), np.array([True, False, False, False]))
    strict = four_orders(DeliveryRules("priority", fence_quarters=0), reserved=claim)
    assert strict.fcfs_last_quarter.tolist() == [2, 1, 2, -1]
    assert strict.priority_first_quarter.tolist() == [0, 0, 1, -1]
    assert strict.priority_last_quarter.tolist() == [2, 1, 2, -1]
    fair = four_orders(DeliveryRules("fair_share", fence_quarters=0), reserved=claim)
    assert fair.priority_first_quarter.tolist() == [0, 0, 0, -1]
    assert fair.priority_last_quarter.tolist() == [2, 2, 2, -1]
    shares = four_orders(DeliveryRules("tier_share", fence_quarters=0), reserved=claim, group=[0, 0, 0, 0])
    assert shares.priority_last_quarter.tolist() == [2, 1, 2, -1]


def plan(**changes):
    from scoring.schedule import CapacityPlan

    base = dict(annual_capacity=np.array([40.0]), capacity_year=np.array([2025.0]), target_capacity=np.array([np.nan]),
                target_year=np.array([np.nan]), start_year=2026, start_quarter=1)
    base.update(changes)
    return CapacityPlan(**base)


def test_capacity_ramps_linearly_between_mid_years_and_investments_add_on_top() -> None:
    """40 a year in 2025 → 80 in 2027: rates sit at mid-years (2025.5, 2027.5). 2026 Q1's mid-point
    2026.125 is 0.625 of 2 years in → 52.5 a year → 13.125 a quarter, +1.25 a quarter after, 20 from
    2027 Q3. Ramp to 80 in 2026: 0.625 of 1 year → 65 → 16.25. Target in the capacity year itself: a step
    at 2025.5 (2025 Q2 still 10, Q3 20). Flat 40 with half kept at home → 5; 8 funded units a year from
    2026 Q3 add 2 a quarter, not reduced by the domestic share."""
    from scoring.schedule import CapacityInvestment, capacity_per_quarter

    ramps = plan(annual_capacity=np.array([40.0, 40.0, 40.0]), capacity_year=np.array([2025.0] * 3),
                 target_capacity=np.array([80.0, 80.0, np.nan]), target_year=np.array([2027.0, 2026.0, np.nan]),
                 domestic_share=np.array([0.0, 0.0, 0.5]), horizon_quarters=8)
    capacity = capacity_per_quarter(ramps, [CapacityInvestment(2, 8.0, 2026, 3, 0)])
    assert capacity[0].tolist() == pytest.approx([13.125, 14.375, 15.625, 16.875, 18.125, 19.375, 20.0, 20.0])
    assert capacity[1].tolist() == pytest.approx([16.25, 18.75, 20.0, 20.0, 20.0, 20.0, 20.0, 20.0])
    assert capacity[2].tolist() == pytest.approx([5.0, 5.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0])
    step = plan(target_capacity=np.array([80.0]), target_year=np.array([2025.0]), start_year=2025, horizon_quarters=4)
    assert capacity_per_quarter(step)[0].tolist() == pytest.approx([10.0, 10.0, 20.0, 20.0])
    with pytest.raises(ValueError) as error:
        capacity_per_quarter(plan(), [CapacityInvestment(1, 8.0, 2026, 3, 0)])
    assert str(error.value) == "Investment on line 1, but the plan has 1 lines (indices 0..0)"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"annual_capacity": np.zeros(0), "capacity_year": np.zeros(0), "target_capacity": np.zeros(0),
          "target_year": np.zeros(0)}, "CapacityPlan needs at least one production line"),
        ({"annual_capacity": np.array([-1.0])}, "annual_capacity must be a finite number ≥ 0 for every line"),
        ({"annual_capacity": np.array([np.inf])}, "annual_capacity must be a finite number ≥ 0 for every line"),
        ({"annual_capacity": np.array([[40.0]])},
         "annual_capacity must be a 1-D numeric array with one value per line (got ndim=2, dtype=float64)"),
        ({"capacity_year": np.array([2025.0, 2026.0])}, "capacity_year has 2 values but annual_capacity has 1 lines"),
        ({"target_capacity": np.array([1.0, 2.0])}, "target_capacity has 2 values but annual_capacity has 1 lines"),
        ({"target_year": np.array([1.0, 2.0])}, "target_year has 2 values but annual_capacity has 1 lines"),
        ({"capacity_year": np.array([2025.5])}, "capacity_year must be a whole year for every line"),
        ({"target_capacity": np.array([-5.0]), "target_year": np.array([2027.0])},
         "target_capacity must be ≥ 0 and finite, or NaN for no ramp"),
        ({"target_capacity": np.array([80.0]), "target_year": np.array([2027.5])},
         "target_year must be a whole year wherever target_capacity is given"),
        ({"target_capacity": np.array([80.0]), "target_year": np.array([np.nan])},
         "target_year must be a whole year wherever target_capacity is given"),
        ({"target_capacity": np.array([80.0]), "target_year": np.array([2024.0])},
         "target_year must not be before capacity_year (lines [0])"),
        ({"domestic_share": np.array([0.1, 0.2])}, "domestic_share must be one number or one per line (1); got shape (2,)"),
        ({"domestic_share": np.array([[0.1]])}, "domestic_share must be one number or one per line (1); got shape (1, 1)"),
        ({"domestic_share": 1.0}, "domestic_share must be in [0, 1): the share of production kept for US domestic "
                                  "demand (1 would leave nothing for foreign orders)"),
        ({"domestic_share": -0.1}, "domestic_share must be in [0, 1): the share of production kept for US domestic "
                                   "demand (1 would leave nothing for foreign orders)"),
        ({"start_quarter": 5}, "start_quarter must be 1, 2, 3 or 4 (got 5)"),
        ({"horizon_quarters": 0}, "horizon_quarters must be at least 1 (got 0)"),
        ({"horizon_quarters": 8.0}, "horizon_quarters must be an integer (got 8.0)"),
    ],
)
def test_capacity_plan_rejects_inputs_it_cannot_schedule(changes, message) -> None:
    with pytest.raises(ValueError) as error:
        plan(**changes)
    assert str(error.value) == message


def test_capacity_plan_accepts_the_edges_and_freezes_its_arrays() -> None:
    """Zero capacity, a zero target in the capacity year itself and no domestic share are all valid;
    the stored arrays are read-only copies (one domestic share per line)."""
    ok = plan(annual_capacity=np.array([0.0]), target_capacity=np.array([0.0]), target_year=np.array([2025.0]),
              domestic_share=0.0, horizon_quarters=1)
    assert ok.n_lines == 1 and ok.domestic_share.tolist() == [0.0]
    assert not ok.annual_capacity.flags.writeable and not ok.domestic_share.flags.writeable
    assert (ok.start_year, ok.start_quarter, ok.horizon_quarters) == (2026, 1, 1)


def test_an_investment_note_credit_and_reserved_share_by_hand() -> None:
    """AAA (investment judgement 1.0) funds 200 units a year (US$ 1 bn) from 2026 on a line with a
    12-month lead time: capacity from 2027 Q1, credit 0.9 → 1.9. Keeping half of the funded output
    reserves 200 × ½ / 4 = 25 units a quarter for AAA's orders from 2027 Q1 (quarter 4); all of it, 50;
    none, no reservation. The note says which."""
    from scoring.pipeline import _investments, _reserved

    lines = one_line(lead_months=12.0)
    tail = ("Score credit: +0.90 points of investment in US production (US$ 1 bn a year = 1 point, discounted "
            "10 % a year until the capacity produces).")
    head = "AAA funds +200 units/yr on line from 2026; after the line's expansion lead time the capacity produces from 2027 Q1. "
    for share, middle, per_quarter in (
        (0.0, "The funded output joins the line's shared pool. ", None),
        (0.5, "50% of the funded output is reserved for AAA's own orders, the rest joins the shared pool. ", 25.0),
        (1.0, "100% of the funded output is reserved for AAA's own orders, the rest joins the shared pool. ", 50.0),
    ):
        s = scenario(investment=Investment("line", "AAA", 200.0, 2026), funder_share=share)
        result = run_scenario(two_partners(), one_order(), lines, s)
        assert result.investment_note == head + middle + tail
        assert result.matrix.raw[:, result.matrix.column("industrial_investment")].tolist() == pytest.approx([1.9, 0.0])
        investments, _ = _investments(s, two_partners(), lines)
        reserved = _reserved(s, investments, result.capacity, one_order())
        if per_quarter is None:
            assert reserved is None
        else:
            assert reserved[0][0, :6].tolist() == [0.0, 0.0, 0.0, 0.0, per_quarter, per_quarter]
            assert reserved[1].tolist() == [True]
    assert run_scenario(two_partners(), one_order(), lines, scenario()).investment_note == ""


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"investment": Investment("line", "AAA", 200.0, 2026), "funder_share": 1.01}, "The funder's share of the funded output is 0–100 %"),
        ({"investment": Investment("line", "AAA", 200.0, 2026), "funder_share": -0.1}, "The funder's share of the funded output is 0–100 %"),
        ({"investment": Investment("line", "ZZZ", 1.0, 2026)}, "Investment by unknown partner 'ZZZ'"),
        ({"investment": Investment("nope", "AAA", 1.0, 2026)}, "Investment on unknown production line 'nope'"),
        ({"overrides": (("AAA", "end_use_risk", 5.5),)}, "Judgement scores are 0–5 (got 5.5 for AAA end_use_risk)"),
        ({"overrides": (("AAA", "end_use_risk", -0.5),)}, "Judgement scores are 0–5 (got -0.5 for AAA end_use_risk)"),
        ({"overrides": (("ZZZ", "end_use_risk", 1.0),)}, "Edited judgement for unknown partner 'ZZZ'"),
        ({"overrides": (("AAA", "sipri_share", 1.0),)}, "'sipri_share' is not an analyst-judgement criterion and cannot be edited"),
    ],
)
def test_scenario_edits_outside_the_rules_are_refused(changes, message) -> None:
    with pytest.raises(ValueError) as error:
        run_scenario(two_partners(), one_order(), one_line(lead_months=12.0), scenario(**changes))
    assert str(error.value) == message


def test_judgement_edits_at_the_ends_of_the_scale_are_applied() -> None:
    """BBB's end-use risk edited to 0 and to 5 (the ends of the 0–5 scale); AAA keeps its 1."""
    for value in (0.0, 5.0):
        result = run_scenario(two_partners(), one_order(), one_line(), scenario(overrides=(("BBB", "end_use_risk", value),)))
        assert result.matrix.raw[:, result.matrix.column("end_use_risk")].tolist() == [1.0, value]


# ---- rank statistics and tornado (scoring.engine, scoring.sensitivity, scoring.robustness) --------


def test_rank_correlations_by_hand_with_ties_and_constant_inputs() -> None:
    """a = 1, 2, 3, 4 against b = 0, 0, 1, 1: Kendall τ-b: 6 pairs, a orders all 6, b orders 4, all
    concordant → 4 / √(6·4) = 0.8165. Spearman on average ranks (1, 2, 3, 4) and (1.5, 1.5, 3.5, 3.5):
    covariance 1, deviations 1.118 and 1 → 0.8944. Two points in the same or the opposite order: ±1. A
    constant series has no order: NaN."""
    from scoring.engine import kendall_tau, spearman_rho

    assert kendall_tau([1, 2, 3, 4], [0, 0, 1, 1]) == pytest.approx(4 / np.sqrt(24))
    assert spearman_rho([1, 2, 3, 4], [0, 0, 1, 1]) == pytest.approx(1 / np.sqrt(1.25))
    assert kendall_tau([1, 2], [1, 2]) == 1.0 and kendall_tau([1, 2], [2, 1]) == -1.0
    assert np.isnan(kendall_tau([1, 1, 1], [1, 2, 3])) and np.isnan(kendall_tau([1, 2, 3], [5, 5, 5]))
    assert np.isnan(spearman_rho([1, 1, 1], [1, 2, 3])) and np.isnan(spearman_rho([1, 2, 3], [5, 5, 5]))


def test_rank_desc_compares_at_1e9_points_and_break_ties_by_code() -> None:
    """3e-10 points is noise (below 1e-9): a tie, broken by code ('A' first); 3e-9 is a real gap. One
    row or several, the same ranks."""
    from scoring.engine import rank_desc

    assert rank_desc(np.array([50.0, 50.0 + 3e-10]), ("A", "B")).tolist() == [1, 2]
    assert rank_desc(np.array([50.0, 50.0 + 3e-9]), ("A", "B")).tolist() == [2, 1]
    assert rank_desc(np.array([1.0, 3.0, 2.0]), ("C", "A", "B")).tolist() == [3, 1, 2]
    assert rank_desc(np.array([[1.0, 3.0, 2.0], [2.0, 2.0, 2.0]]), ("C", "A", "B")).tolist() == [[3, 1, 2], [3, 1, 2]]


def test_tornado_weights_and_ranks_by_hand() -> None:
    """Weights 1 : 3, change 25 %: X × 0.75 → (0.75, 3)/3.75 = (0.2, 0.8); X × 1.25 → (1.25, 3)/4.25;
    Y × 0.75 → (1, 2.25)/3.25; Y × 1.25 → (1, 3.75)/4.75. Rivals at 55/45 % (P0 best on X, P1 on Y):
    X down to 41.25 : 45 puts P1 first; Y up to 56.25 : 55 too; the other two moves keep P0 first."""
    from scoring.robustness import tornado_ranks, tornado_weights

    w = tornado_weights(np.array([1, 3]))
    assert w == pytest.approx(np.array([[0.2, 0.8], [1.25 / 4.25, 3 / 4.25], [1 / 3.25, 2.25 / 3.25], [1 / 4.75, 3.75 / 4.75]]))
    m = DecisionMatrix(("P0", "P1"), (X, Y), np.array([[1.0, 0.0], [0.0, 1.0]]))
    result = score_partners(m, ScoringConfig({"x": 55, "y": 45}))
    assert tornado_ranks(result, 1).tolist() == [[1, 2], [2, 1]]
    assert tornado_ranks(result, 0).tolist() == [[2, 1], [1, 2]]
    assert tornado_ranks(result, 1, change=0.05).tolist() == [[2, 2], [2, 2]]


def test_fair_share_keeps_the_fence_first_come_first_served_and_skips_suspended_orders() -> None:
    """As above (12 a quarter, three 12-unit orders, weights 3 : 2 : 1). A one-quarter fence gives quarter
    0 to A (first signed, done); from quarter 1 B and C share 2 : 1 → B 8, C 4; quarter 2 B takes its last
    4, C 4 + the 4 left → both done. B suspended (held): A and C share 3 : 1 → A 9 + 3, C 3 + 9, both done
    in quarter 1 and B never (the horizon, 8); with the fence A takes quarter 0 whole and C quarter 1."""
    from scoring.delivery import DeliveryRules, plan_deliveries

    fenced = deliveries(DeliveryRules("fair_share", fence_quarters=1), [12.0] * 3, [2.0, 1.0, 0.0], 12.0)
    assert fenced.priority_last_quarter.tolist() == [0, 2, 2]

    def held_b(fence: int):
        return plan_deliveries([0] * 3, [12.0] * 3, [2.0, 1.0, 0.0], [100, 200, 300], [1, 2, 3], ["signed"] * 3,
                               [12.0] * 3, np.full((1, 8), 12.0), (2026, 1), DeliveryRules("fair_share", fence_quarters=fence),
                               held=[False, True, False])

    assert held_b(0).priority_last_quarter.tolist() == [1, 8, 1] and held_b(0).priority_first_quarter.tolist() == [0, 8, 0]
    assert held_b(1).priority_last_quarter.tolist() == [0, 8, 1] and held_b(1).priority_first_quarter.tolist() == [0, 8, 1]


def test_priority_schedules_by_hand_per_draw() -> None:
    """Line 0 makes 10 a quarter, line 1 5. Orders: o0 (line 0, 15 units), o1 (line 0, 10), o2 (line 1, 5),
    o3 (line 1, nothing left), contract dates in that order. Draw 0 scores 1, 2, 1, 1: line 0 serves o1
    (quarter 0) then o0 (units 10–25: quarters 1–2); line 1 o2 first (tie, earlier contract), quarter 0;
    o3 has nothing to deliver (−1). Draw 1 scores 3, 2, 0, 5: o0 first (quarters 0–1), o1 (1–2); o3 ahead
    of o2. o0 held goes behind o1 in both draws. 100 units for o0 cannot be made within 6 quarters: the
    horizon (6) stands for 'later', also for o1 queued behind it."""
    from scoring.schedule import priority_schedules

    cap = np.array([[10.0] * 6, [5.0] * 6])
    scores = np.array([[1.0, 2.0, 1.0, 1.0], [3.0, 2.0, 0.0, 5.0]])
    ids = [1, 2, 3, 4]
    draws = priority_schedules([0, 0, 1, 1], [15.0, 10.0, 5.0, 0.0], scores, ids, ids, cap)
    assert draws.horizon_quarters == 6
    assert draws.priority_position.tolist() == [[1, 0, 0, 1], [0, 1, 1, 0]]
    assert draws.priority_first_quarter.tolist() == [[1, 0, 0, -1], [0, 1, 0, -1]]
    assert draws.priority_last_quarter.tolist() == [[2, 0, 0, -1], [1, 2, 0, -1]]
    held = priority_schedules([0, 0, 1, 1], [15.0, 10.0, 5.0, 0.0], scores, ids, ids, cap, held=[True, False, False, False])
    assert held.priority_position.tolist() == [[1, 0, 0, 1], [1, 0, 1, 0]]
    assert held.priority_last_quarter.tolist() == [[2, 0, 0, -1], [2, 0, 0, -1]]
    big = priority_schedules([0, 0, 1, 1], [100.0, 10.0, 5.0, 0.0], scores, ids, ids, cap)
    assert big.priority_first_quarter.tolist() == [[1, 0, 0, -1], [0, 6, 0, -1]]
    assert big.priority_last_quarter.tolist() == [[6, 0, 0, -1], [6, 6, 0, -1]]
    assert priority_schedules([0, 0, 1, 1], [15.0, 10.0, 5.0, 0.0], np.zeros((0, 4)), ids, ids, cap).priority_last_quarter.shape == (0, 4)


@pytest.mark.parametrize(
    ("scores", "dates", "held", "message"),
    [
        (np.zeros((2, 3)), [1, 2], None, "order_scores must be (n_draws, 2) — one score per draw and order (got (2, 3))"),
        (np.zeros(2), [1, 2], None, "order_scores must be (n_draws, 2) — one score per draw and order (got (2,))"),
        (np.array([[0.0, np.inf]]), [1, 2], None, "order_scores must be finite"),
        (np.zeros((1, 2)), [1], None, "contract_date and order_id must have one value per order"),
        (np.zeros((1, 2)), [1, 2], [True], "held must have one value per order"),
    ],
)
def test_priority_schedules_reject_misshapen_inputs(scores, dates, held, message) -> None:
    from scoring.schedule import priority_schedules

    with pytest.raises(ValueError) as error:
        priority_schedules([0, 0], [1.0, 1.0], scores, dates, [1, 2], np.ones((1, 4)), held=held)
    assert str(error.value) == message


# ---- features, report and the remaining helpers -------------------------------------------------


def feature_columns(**extra):
    columns = {
        "iso3": np.array(["AAA", "BBB", "CCC"]),
        "sipri_share": np.array([2.0, np.nan, 6.0]), "sipri_trend": np.array([0.1, 0.2, 0.3]),
        "sipri_usd_const_m": np.array([100.0, 50.0, 10.0]), "pledge_pct": np.array([3.0, 2.0, 3.5]),
        "sipri_year": np.array([2024.0, 2024.0, 2023.0]), "adversary_km": np.array([0.0, 1000.0, 3000.0]),
        "frontline": np.array([4.0, 1.0, 2.0]), "vine_sites": np.array([50.0, 7.0, 0.0]),
        "basing_access": np.array([3.0, 2.0, 1.0]), "fh_edition": np.array([2025.0, 2025.0, 2024.0]),
    }
    columns.update(extra)
    return columns


def test_derived_features_by_hand() -> None:
    """Distance to pledge: 3 − 2 = 1; no share → NaN; 6 % is above a 3.5 % pledge → 0. Measured front:
    5 × (1 − d/2000) for 0, 1000, 3000 km → 5, 2.5, 0; judged: the analyst's 4, 1, 2. Basing judged:
    the analyst's 3, 2, 1 and no vintage; measured from the Vine list: 5·log1p(sites)/log1p(50) capped at 5
    → 5, 5·log1p(7)/log1p(50) = 2.644, 0, vintage 2018. The share's year is NaN where there is no share;
    Freedom House's data year is the edition's year − 1."""
    from math import log1p

    f = derive_features(feature_columns(), "sipri", "measured", "judged")
    assert f["pledge_gap"][[0, 2]].tolist() == [1.0, 0.0] and np.isnan(f["pledge_gap"][1])
    assert f["frontline_exposure"].tolist() == [5.0, 2.5, 0.0]
    assert f["basing_measure"].tolist() == [3.0, 2.0, 1.0] and np.isnan(f["basing_year"]).all()
    assert f["share_year"][[0, 2]].tolist() == [2024.0, 2023.0] and np.isnan(f["share_year"][1])
    assert f["fh_data_year"].tolist() == [2024.0, 2024.0, 2023.0]
    assert f["spend_abs"].tolist() == [100.0, 50.0, 10.0]
    judged = derive_features(feature_columns(), "sipri", "judged", "measured")
    assert judged["frontline_exposure"].tolist() == [4.0, 1.0, 2.0]
    assert judged["basing_measure"].tolist() == pytest.approx([5.0, 5 * log1p(7) / log1p(50), 0.0])
    assert judged["basing_year"].tolist() == [2018.0] * 3
    assert derive_features(feature_columns(vine_sites=np.array([500.0, 0.0, 0.0])), basing="measured")["basing_measure"][0] == 5.0
    bare = {k: v for k, v in feature_columns().items() if k in ("sipri_share", "sipri_trend", "sipri_usd_const_m", "pledge_pct")}
    f = derive_features(bare, "sipri", "measured", "measured")
    assert np.isnan(f["frontline_exposure"]).all() and np.isnan(f["fh_data_year"]).all()
    assert np.isnan(f["basing_measure"]).all() and np.isnan(f["share_year"]).all()
    assert "iso3" not in derive_features(feature_columns())


def test_feature_values_that_are_not_numbers_become_missing() -> None:
    f = derive_features(feature_columns(sipri_share=[None, "2.5", "n/a"]), "sipri")
    assert np.isnan(f["share_gdp"][0]) and f["share_gdp"][1] == 2.5 and np.isnan(f["share_gdp"][2])
    assert f["share_trend"].tolist() == [0.1, 0.2, 0.3]
    f = derive_features(feature_columns(sipri_share=["n/a", "2.5", None]), "sipri")
    assert np.isnan(f["share_gdp"][0]) and f["share_gdp"][1] == 2.5 and np.isnan(f["share_gdp"][2])


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: derive_features(feature_columns(), "imf"), "Unknown spending basis 'imf'; use one of ['nato', 'sipri']"),
        (lambda: derive_features(feature_columns(), basing="guess"), "Unknown basing source 'guess'; use one of ['judged', 'measured']"),
        (lambda: derive_features(feature_columns(), frontline="guess"), "Unknown frontline source 'guess'; use one of ['judged', 'measured']"),
        (lambda: derive_features({"sipri_share": [1.0], "sipri_usd_const_m": [1.0]}),
         "Feature table lacks columns: sipri_trend, pledge_pct"),
    ],
)
def test_derive_features_says_what_is_wrong(call, message) -> None:
    with pytest.raises(ValueError) as error:
        call()
    assert str(error.value) == message


def test_build_matrix_takes_each_criterions_feature_and_checks_lengths() -> None:
    from scoring.features import build_matrix

    m = build_matrix(("A", "B"), {"x": [1, 2], "y": np.array([3.0, np.nan])}, (X, Y))
    assert m.partners == ("A", "B") and m.criteria == (X, Y)
    assert m.raw[:, 0].tolist() == [1.0, 2.0] and m.raw[0, 1] == 3.0 and np.isnan(m.raw[1, 1])
    assert m.column("y") == 1
    with pytest.raises(ValueError) as error:
        build_matrix(("A", "B"), {"x": [1, 2]}, (X, Y))
    assert str(error.value) == "No feature 'y' for criterion 'y'"
    with pytest.raises(ValueError) as error:
        build_matrix(("A", "B", "C"), {"x": [1, 2], "y": [1, 2]}, (X, Y))
    assert str(error.value) == "Feature 'x' has 2 values for 3 partners"
    with pytest.raises(ValueError) as error:
        m.column("z")
    assert str(error.value) == "Unknown criterion 'z'"


def test_orders_compete_from_signature_plus_lead_time_and_notified_ones_after_the_lag() -> None:
    """Signed 15 Jan 2026, 12-month lead time: arrival 2027 Q1 (quarter 4). Notified (counted on request)
    waits 12 more months: quarter 8. Already delivering: now (0). Nothing open: does not compete."""
    from scoring.delivery import DeliveryRules, plan_deliveries

    day = int((np.datetime64("2026-01-15") - np.datetime64("1970-01-01")).astype(int))
    out = plan_deliveries(
        [0] * 4, [10.0, 10.0, 10.0, 0.0], [1.0] * 4, [day] * 4, [1, 2, 3, 4], ["signed", "notified", "delivering", "signed"],
        [12.0] * 4, np.full((1, 16), 10.0), (2026, 1),
        DeliveryRules("priority", fence_quarters=0, include_notified=True, notify_lag_months=12),
    )
    assert out.competing.tolist() == [True, True, True, False]
    assert out.arrival_quarter.tolist() == [4, 8, 0, -1]
    assert out.priority_last_quarter.tolist() == [4, 8, 0, -1]


def test_delivery_by_quarter_counts_draws_of_orders_that_always_compete() -> None:
    """Three draws of completion quarters: order 0 completes in 1, 2, 4 → by quarter 3 in 2 of 3 draws;
    P10/P90 (nearest) 1 and 4. Order 1: 3, 5, 3 → ⅔, P10 3, P90 5. Order 2 does not compete in two draws:
    NaN and −1."""
    from scoring.robustness import delivery_by_quarter

    p, p10, p90 = delivery_by_quarter(np.array([[1, 3, -1], [2, 5, -1], [4, 3, 2]]), 3)
    assert p[:2].tolist() == pytest.approx([2 / 3, 2 / 3]) and np.isnan(p[2])
    assert p10.tolist() == [1, 3, -1] and p90.tolist() == [4, 5, -1]
    p, _, _ = delivery_by_quarter(np.array([[0, 3], [1, 4]]), 0)
    assert p.tolist() == [0.5, 0.0]


def test_group_slips_roll_up_value_weighted_slips() -> None:
    """Group 0: slips 2 (US$ 1 bn) and 0 (3 bn) → 2 orders, 1 moved, 4 bn, mean slip (2·1 + 0·3)/4 = 0.5.
    Group 1: one order without a value (counts, weighs 0) → NaN mean; an order without a group and one
    not in both scenarios (NaN slip) are left out; group 2 is empty."""
    from scoring.compare import group_slips

    g = group_slips(np.array([0, 0, 1, -1, 1]), np.array([2, 0, -1, 5, np.nan]), np.array([1.0, 3.0, np.nan, 9, 2.0]), 3)
    assert g.orders.tolist() == [2, 1, 0] and g.moved.tolist() == [1, 1, 0]
    assert g.value.tolist() == [4.0, 0.0, 0.0]
    assert g.value_weighted_slip[0] == 0.5 and np.isnan(g.value_weighted_slip[1:]).all()


def test_backlog_remaining_and_burn_down_length_by_hand() -> None:
    """Group 0: 2 open units at 10 → 20, delivered 1, 1, 0 → 10, 0, 0. Group 1: 5 units at 1, delivered 0,
    2, 2 → 5, 3, 1. A burn-down is drawn to the last delivering quarter + 1 (+ ``after``), within the
    horizon and at least one quarter."""
    from scoring.report import backlog_remaining, burn_down_end

    out = backlog_remaining(np.array([[1.0, 1.0, 0.0], [0.0, 2.0, 2.0]]), np.array([2, 5]), np.array([10, 1]), np.array([0, 1]), 2)
    assert out.tolist() == [[10.0, 0.0, 0.0], [5.0, 3.0, 1.0]]
    with pytest.raises(ValueError) as error:
        backlog_remaining(np.zeros((2, 3)), np.zeros(2), np.zeros(1), np.array([0, 1]), 2)
    assert str(error.value) == "delivered must be (orders, quarters) with one open quantity, value and group per order"
    for bad in (np.zeros(3), np.zeros((3, 3))):
        with pytest.raises(ValueError):
            backlog_remaining(bad, np.zeros(2), np.zeros(2), np.array([0, 1]), 2)
    assert burn_down_end(np.zeros((2, 5))) == 1 and burn_down_end(np.zeros((2, 5)), after=2) == 2
    assert burn_down_end(np.array([[0, 0, 1, 0, 0]])) == 4
    assert burn_down_end(np.array([[0, 0, 0, 0, 1]])) == 5
    assert burn_down_end(np.array([[1]])) == 1
    assert burn_down_end(np.array([[0, 1, 0, 0, 0, 0]]), np.array([[0, 0, 0, 1, 0, 0]]), after=0) == 4


def test_allocation_of_a_large_book_with_late_arrivals_by_hand() -> None:
    """60 000 one-unit orders on one line making 10 000 a quarter, served in order: the first 40 000
    (arrived) take quarters 0–3, order i in quarter i // 10 000. The other 20 000 arrive in quarter 5:
    quarter 4 idles (unused capacity is lost), then 5 and 6. Big enough (≥ 50 000 orders) that finished
    orders are dropped from the scan along the way; the result must not depend on it."""
    from scoring.allocation import allocate

    n = 60_000
    i = np.arange(n)
    arrival = np.where(i < 40_000, 0, 5)
    out = allocate(np.zeros(n, dtype=np.int64), np.ones(n), arrival, i, np.full((1, 10), 10_000.0))
    expected = np.where(i < 40_000, i // 10_000, 5 + (i - 40_000) // 10_000)
    assert np.array_equal(np.asarray(out.last_quarter).ravel(), expected)
    assert np.array_equal(np.asarray(out.first_quarter).ravel(), expected)
    assert np.asarray(out.delivered).sum() == pytest.approx(n)


def test_allocation_of_a_large_book_with_a_suspended_order_by_hand() -> None:
    """The same book with the very last order suspended takes the quarter-by-quarter path (not the
    one-pass FIFO), where finished orders are dropped from the scan every 4 quarters: every other order
    completes as before, the suspended one never (the horizon, 10)."""
    from scoring.allocation import allocate

    n = 60_000
    i = np.arange(n)
    arrival = np.where(i < 40_000, 0, 5)
    expected = np.where(i < 40_000, i // 10_000, 5 + (i - 40_000) // 10_000)
    blocked = np.zeros(n, dtype=bool)
    blocked[-1] = True
    held = allocate(np.zeros(n, dtype=np.int64), np.ones(n), arrival, i, np.full((1, 10), 10_000.0), blocked=blocked)
    assert np.array_equal(np.asarray(held.last_quarter).ravel(), np.where(blocked, 10, expected))


# ---- tier rules (scoring.tiers) -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (TierRule("ranked", 60, 40), "Unknown tier mode 'ranked'; use 'threshold' or 'quantile'"),
        (TierRule("threshold", 60, -1), "Tier thresholds need 0 ≤ key-participant ≤ top-tier ≤ 100 points"),
        (TierRule("threshold", 40, 60), "Tier thresholds need 0 ≤ key-participant ≤ top-tier ≤ 100 points"),
        (TierRule("threshold", 100.5, 40), "Tier thresholds need 0 ≤ key-participant ≤ top-tier ≤ 100 points"),
        (TierRule("quantile", 0.0, 0.5), "Tier shares need 0 < top-tier share ≤ cumulative tiers 1–2 share ≤ 1"),
        (TierRule("quantile", 0.6, 0.5), "Tier shares need 0 < top-tier share ≤ cumulative tiers 1–2 share ≤ 1"),
        (TierRule("quantile", 0.2, 1.5), "Tier shares need 0 < top-tier share ≤ cumulative tiers 1–2 share ≤ 1"),
    ],
)
def test_tier_rules_outside_their_ranges_are_refused(rule, message) -> None:
    with pytest.raises(ValueError) as error:
        rule.validate()
    assert str(error.value) == message


def test_tier_rules_at_the_ends_of_their_ranges_are_accepted() -> None:
    """Thresholds 0 ≤ key ≤ top ≤ 100, equal allowed; shares 0 < top ≤ key ≤ 1, equal allowed. With both
    thresholds at 0 everyone is tier 1; at 100 only a perfect score is."""
    for rule in (TierRule("threshold", 0, 0), TierRule("threshold", 100, 100), TierRule("threshold", 50, 50),
                 TierRule("quantile", 1.0, 1.0), TierRule("quantile", 0.01, 0.01)):
        rule.validate()
    scores = np.array([100.0, 50.0, 0.0])
    assert assign_tiers(scores, np.array([1, 2, 3]), TierRule("threshold", 0, 0)).tier.tolist() == [1, 1, 1]
    assert assign_tiers(scores, np.array([1, 2, 3]), TierRule("threshold", 100, 100)).tier.tolist() == [1, 3, 3]


def test_quantile_boundaries_keep_at_least_one_partner_in_tier_one() -> None:
    """Five partners, top share 10 % → round(0.5) = 0, raised to 1: only the best is tier 1 and the
    boundary is its score (90); key share 40 % → 2: the second (70) is the tier-2 boundary. The
    rank-3 partner needs 70 − 50 = 20 points; the tier-2 partner (70) needs 90 − 70 = 20 to reach
    tier 1. One partner is tier 1 alone; no partners cannot be tiered."""
    from scoring.tiers import boundaries_for

    scores = np.array([50.0, 90.0, 70.0, 10.0, 30.0])
    rule = TierRule("quantile", 0.1, 0.4)
    assert boundaries_for(scores, rule) == (90.0, 70.0)
    tiers = assign_tiers(scores, np.array([3, 1, 2, 5, 4]), rule)
    assert tiers.tier.tolist() == [3, 1, 2, 3, 3]
    assert tiers.points_to_next[0] == 20.0 and tiers.points_to_next[2] == 20.0
    assert boundaries_for(np.array([42.0]), rule) == (42.0, 42.0)
    assert assign_tiers(np.array([42.0]), np.array([1]), rule).tier.tolist() == [1]
    with pytest.raises(ValueError) as error:
        boundaries_for(np.zeros(0), rule)
    assert str(error.value) == "No partners to put in tiers"


def test_a_partner_above_the_next_boundary_needs_nothing_more() -> None:
    """Quantile tiers follow rank, so a partner can score above the tier-1 boundary yet rank below the
    top share (a tie split by rank): it needs 0 points, never a negative number."""
    tiers = assign_tiers(np.array([80.0, 80.0]), np.array([1, 2]), TierRule("quantile", 0.5, 1.0))
    assert tiers.tier.tolist() == [1, 2]
    assert tiers.points_to_next[1] == 0.0


# ---- scoring engine boundary and kernels (scoring.engine) ---------------------------------------


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ({"x": 1, "zz": 1}, "Unknown criterion 'zz'; known: ['x', 'y']"),
        ({"x": float("nan")}, "Weights must be finite numbers"),
        ({"x": 1, "y": -2}, "Weights must be ≥ 0; negative for y"),
        ({"x": 0, "y": 0}, "All weights are zero: give at least one criterion a positive weight (with no partner "
                           "weighting the queue is first-come-first-served)"),
    ],
)
def test_invalid_weights_are_refused_with_what_to_fix(weights, message) -> None:
    with pytest.raises(ValueError) as error:
        score_partners(gap_matrix(), ScoringConfig(weights))
    assert str(error.value) == message


@pytest.mark.parametrize(
    ("matrix", "config", "message"),
    [
        (DecisionMatrix((), (X,), np.zeros((0, 1))), ScoringConfig({"x": 1}),
         "The decision matrix is empty: no partners or no criteria to score"),
        (DecisionMatrix(("A",), (), np.zeros((1, 0))), ScoringConfig({}),
         "The decision matrix is empty: no partners or no criteria to score"),
        (gap_matrix(), ScoringConfig({"x": 1}, normalisation="robust"),
         "Unknown normalisation 'robust'; use one of ['minmax', 'rank', 'zscore']"),
        (gap_matrix(), ScoringConfig({"x": 1}, missing="drop"),
         "Unknown missing-value rule 'drop'; use one of ['median', 'reweight', 'worst']"),
    ],
)
def test_invalid_scoring_setups_are_refused(matrix, config, message) -> None:
    with pytest.raises(ValueError) as error:
        score_partners(matrix, config)
    assert str(error.value) == message


def test_missing_value_rules_by_hand() -> None:
    """X = 1, —, 3, 5 → min-max 0, —, ½, 1. 'worst': the gap counts 0 → scores 0, 0, 50, 100. 'median':
    the median observed value ½ → 0, 50, 50, 100. 'reweight' with X the only criterion: P1 has nothing on
    record → zero weight everywhere → 0, and its effective weights are all 0."""
    m = DecisionMatrix(("P0", "P1", "P2", "P3"), (X, Y), np.array([[1.0, 0.0], [np.nan, 0.0], [3.0, 0.0], [5.0, 0.0]]))
    worst = score_partners(m, ScoringConfig({"x": 1}))
    assert worst.score.tolist() == [0.0, 0.0, 50.0, 100.0] and worst.missing[:, 0].tolist() == [False, True, False, False]
    assert score_partners(m, ScoringConfig({"x": 1}, missing="median")).score.tolist() == [0.0, 50.0, 50.0, 100.0]
    reweight = score_partners(m, ScoringConfig({"x": 1}, missing="reweight"))
    assert reweight.score.tolist() == [0.0, 0.0, 50.0, 100.0]
    assert reweight.effective_weights[1].tolist() == [0.0, 0.0] and reweight.effective_weights[0].tolist() == [1.0, 0.0]
    empty = DecisionMatrix(("P0", "P1"), (X, Y), np.array([[np.nan, 1.0], [np.nan, 0.0]]))
    assert score_partners(empty, ScoringConfig({"x": 1, "y": 1}, missing="median")).filled[:, 0].tolist() == [0.0, 0.0]


def test_normalisations_without_spread_put_everyone_at_the_middle() -> None:
    """All observed values equal (or a single one): 0.5 under every normalisation; NaN stays NaN. A cost
    criterion is turned round: risk 0, 5 → 1, 0."""
    from scoring.engine import normalise

    flat = np.array([[2.0], [2.0], [np.nan]])
    for method in ("minmax", "rank", "zscore"):
        out = normalise(flat, (X,), method)
        assert out[:2, 0].tolist() == [0.5, 0.5] and np.isnan(out[2, 0])
        single = normalise(np.array([[7.0], [np.nan]]), (X,), method)
        assert single[0, 0] == 0.5 and np.isnan(single[1, 0])
    risk = Criterion("risk", "Risk", "Risk", "cost", "0-5", "risk", "test", "test")
    assert normalise(np.array([[0.0], [5.0]]), (risk,), "minmax")[:, 0].tolist() == [1.0, 0.0]
    assert normalise(np.array([[0.0], [5.0]]), (risk,), "rank")[:, 0].tolist() == [1.0, 0.0]


def test_bounds_clip_raw_values_before_normalising() -> None:
    """Share of GDP counts up to NATO's 5 %: 34 % (a war economy), 5 % and 2.5 % → clipped 5, 5, 2.5 →
    min-max 1, 1, 0. Without the clip 34 % would push the others to 0.08 and 0."""
    from scoring.engine import transform

    share = (CRITERIA_BY_KEY["share_gdp"],)
    assert transform(np.array([[34.0], [5.0], [np.nan]]), share)[:, 0][:2].tolist() == [5.0, 5.0]
    m = DecisionMatrix(("UKR", "POL", "DEU"), share, np.array([[34.0], [5.0], [2.5]]))
    assert score_partners(m, ScoringConfig({"share_gdp": 1})).score.tolist() == [100.0, 100.0, 0.0]


# ---- queue validation: the exact messages the upload page shows (scoring.queue) -----------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"score": [1.0]}, "Per-order arrays must have the same length; got "
                           "{'order_line': 2, 'score': 1, 'contract_date': 2, 'order_id': 2}"),
        ({"held": np.array([True])}, "Per-order arrays must have the same length; got "
                                     "{'order_line': 2, 'score': 2, 'contract_date': 2, 'order_id': 2, 'held': 1}"),
        ({"order_line": [0, -1]}, "order_line must be a line index ≥ 0 (found -1)"),
        ({"order_line": [0.0, 1.0]}, "order_line must be an integer array, got dtype float64; drop rows with missing "
                                     "values and cast with .astype(int)"),
        ({"order_line": [[0, 1]]}, "order_line must be a 1-D array with one value per order (got ndim=2)"),
        ({"score": [1.0, np.nan]}, "score must be finite for every order (no NaN or infinity)"),
        ({"score": ["a", "b"]}, "score must be a 1-D array of numbers (got ndim=1, dtype=<U1)"),
        ({"contract_date": [1.5, 2.0]}, "contract_date must be an integer array (days since 1970-01-01 or datetime64), "
                                        "got dtype float64; drop rows with missing values and cast with .astype(int)"),
        ({"contract_date": np.array(["2024-01-01", "NaT"], dtype="datetime64[D]")},
         "contract_date has missing dates (NaT); every open order needs one"),
        ({"order_id": ["x", "y"]}, "order_id must be an integer array, got dtype <U1; drop rows with missing values "
                                   "and cast with .astype(int)"),
        ({"held": [0, 1]}, "held must be a 1-D boolean array (got ndim=1, dtype=int64); pass None when no gate is applied"),
        ({"n_lines": 1}, "order_line 1 is not a known production line: indices must be below n_lines=1"),
        ({"n_lines": 0}, "n_lines must be a positive integer (got 0)"),
        ({"n_lines": True}, "n_lines must be a positive integer (got True)"),
    ],
)
def test_queue_inputs_are_refused_with_the_exact_message(changes, message) -> None:
    from scoring.queue import rank_orders

    args = {"order_line": [0, 1], "score": [1.0, 2.0], "contract_date": [1, 2], "order_id": [1, 2]}
    args.update(changes)
    with pytest.raises(ValueError) as error:
        rank_orders(**args)
    assert str(error.value) == message


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"cap": np.ones(4)}, "capacity_per_quarter must be a 2-D array (lines × quarters) with at least one line and "
                              "one quarter (got shape (4,))"),
        ({"cap": np.ones((0, 4))}, "capacity_per_quarter must be a 2-D array (lines × quarters) with at least one line "
                                   "and one quarter (got shape (0, 4))"),
        ({"cap": np.ones((1, 0))}, "capacity_per_quarter must be a 2-D array (lines × quarters) with at least one line "
                                   "and one quarter (got shape (1, 0))"),
        ({"cap": np.array([["a"]])}, "capacity_per_quarter must be numeric (got dtype <U1)"),
        ({"cap": np.array([[1.0, -1.0]])}, "capacity_per_quarter must be finite and ≥ 0 in every line and quarter"),
        ({"cap": np.array([[1.0, np.inf]])}, "capacity_per_quarter must be finite and ≥ 0 in every line and quarter"),
        ({"units": [1.0]}, "order_line and units must have one value per order (lengths 2 and 1)"),
        ({"line": [0, 1]}, "order_line must index a row of capacity_per_quarter (0..0); found 1"),
        ({"line": [0, -1]}, "order_line must index a row of capacity_per_quarter (0..0); found -1"),
        ({"units": [1.0, -1.0]}, "units must be finite and ≥ 0 for every order (the units still to deliver)"),
        ({"units": [1.0, np.nan]}, "units must be finite and ≥ 0 for every order (the units still to deliver)"),
        ({"units": [1e16, 1.0]}, "Total open units plus total capacity exceed 1e+12; express units in larger lots or "
                                 "shorten the horizon"),
    ],
)
def test_schedule_inputs_are_refused_with_the_exact_message(changes, message) -> None:
    from scoring.schedule import schedule

    with pytest.raises(ValueError) as error:
        schedule(changes.get("line", [0, 0]), changes.get("units", [1.0, 2.0]), [0, 1], changes.get("cap", np.ones((1, 4))))
    assert str(error.value) == message


def test_schedule_accepts_zero_capacity_and_zero_units() -> None:
    """A line that makes nothing leaves its order beyond the horizon; an order with nothing open has no
    delivery quarter (−1)."""
    from scoring.schedule import schedule

    out = schedule([0, 0], [0.0, 2.0], [0, 1], np.zeros((1, 4)))
    assert out.last_quarter.tolist() == [-1, 4] and out.beyond_horizon.tolist() == [False, True]


# ---- coverage rules (scoring.coverage) ----------------------------------------------------------


def test_coverage_rules_by_hand() -> None:
    """The five partners of ``coverage_case`` with scores 100, 90, 70, 50, 0 (threshold tiers 1, 1, 1, 2, 3).
    Observed shares 1, 0.4, 0.8, 1, 1; observed weighted criteria 3, 1, 2, 3, 3 (two needed). P1 is not
    tiered and queues on its worst case (40). P2's worst case (24, tier 3) caps it one tier above: 2."""
    from scoring.coverage import CoverageRule, apply_coverage, coverage_share

    normalised, weights = coverage_case()
    w = weights[0]
    scores = np.array([100.0, 90.0, 70.0, 50.0, 0.0])
    tiers = assign_tiers(scores, np.array([1, 2, 3, 4, 5]), TierRule("threshold", 60, 40))
    out = apply_coverage(tiers, scores, w, normalised, CoverageRule())
    assert out.share.tolist() == pytest.approx([1.0, 0.4, 0.8, 1.0, 1.0])
    assert out.n_observed.tolist() == [3, 1, 2, 3, 3]
    assert out.sufficient.tolist() == [True, False, True, True, True]
    assert out.worst_score.tolist() == pytest.approx([100.0, 40.0, 24.0, 50.0, 0.0])
    assert out.tier.tolist() == [1, 4, 2, 2, 3]
    assert out.capped.tolist() == [False, False, True, False, False]
    assert out.queue_score.tolist() == pytest.approx([100.0, 40.0, 70.0, 50.0, 0.0])
    assert coverage_share(np.zeros(3), ~np.isnan(normalised)).tolist() == [1.0] * 5
    single = apply_coverage(tiers, scores, np.array([1.0, 0.0, 0.0]), normalised, CoverageRule())
    assert single.sufficient.tolist() == [True] * 5  # one weighted criterion: one observed is enough


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ((1.5, 2), "The minimum coverage is a share of the weight between 0 and 1 (0–100 %)"),
        ((-0.1, 2), "The minimum coverage is a share of the weight between 0 and 1 (0–100 %)"),
        ((0.5, 0), "The minimum number of observed criteria is at least 1"),
    ],
)
def test_coverage_rules_outside_their_ranges_are_refused(rule, message) -> None:
    from scoring.coverage import CoverageRule

    with pytest.raises(ValueError) as error:
        CoverageRule(*rule).validate()
    assert str(error.value) == message
    CoverageRule(0.0, 1).validate()
    CoverageRule(1.0, 1).validate()


# ---- presets and eligibility ------------------------------------------------------------------


def test_group_presets_spread_each_groups_weight_equally_over_its_criteria() -> None:
    """'Balanced': 30 points per group — Defence investment has 5 criteria (6 each), Strategic value 5
    (6 each), Economic security 3 (10 each), Risk 2 (15 each). 'Strategic value only': 50 over its 5 = 10
    each and nothing else."""
    balanced = PRESETS_BY_KEY["balanced"].weights
    by_group = {}
    for c in CRITERIA:
        by_group.setdefault(c.group, set()).add(balanced[c.key])
    assert by_group == {"Defense investment": {6.0}, "Strategic value": {6.0}, "Economic security": {10.0}, "Risk": {15.0}}
    strategic = PRESETS_BY_KEY["strategic"].weights
    assert {k: v for k, v in strategic.items() if v} == {
        c.key: 10.0 for c in CRITERIA if c.group == "Strategic value"
    }


def test_a_rule_of_a_single_day_is_valid_and_the_result_names_its_partner() -> None:
    """A rule that starts and ends on the same day is in force that day only; one that ends before it
    starts is refused."""
    from scoring.eligibility import EligibilityRule, eligibility_on

    def rule(start, end):
        return EligibilityRule("KHM", "d2", "restricted", "scope", start, end, "rule", "cite", "https://example.org")

    on = eligibility_on([rule("2026-01-01", "2026-01-01")], "2026-01-01")
    assert on["KHM"].iso3 == "KHM" and on["KHM"].status == "restricted"
    assert eligibility_on([rule("2026-01-01", "2026-01-01")], "2026-01-02") == {}
    with pytest.raises(ValueError) as error:
        eligibility_on([rule("2026-01-02", "2026-01-01")], "2026-01-01")
    assert str(error.value) == "Rule KHM d2 ends before it starts"


# ---- allocation inputs: the exact messages (scoring.allocation) ---------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"capacity": np.ones(4)}, "capacity must be a (lines, quarters) array"),
        ({"line": [0, 1]}, "an order's line has no capacity row"),
        ({"line": [-1, 0]}, "an order's line has no capacity row"),
        ({"units": [1.0]}, "units must be one finite number ≥ 0 per order"),
        ({"units": [1.0, -1.0]}, "units must be one finite number ≥ 0 per order"),
        ({"units": [1.0, np.nan]}, "units must be one finite number ≥ 0 per order"),
        ({"capacity": np.array([[1.0, -1.0, 1.0, 1.0]])}, "capacities must be finite and ≥ 0"),
        ({"capacity": np.array([[1.0, np.inf, 1.0, 1.0]])}, "capacities must be finite and ≥ 0"),
        ({"sequence": [0, 0]}, "sequence must be a permutation of the orders (per draw)"),
        ({"sequence": [0]}, "sequence must be a permutation of the orders (per draw)"),
        ({"line": [0, 1, 0], "units": [1.0] * 3, "arrival": [0] * 3, "sequence": [0, 1, 2], "capacity": np.ones((2, 4))},
         "sequences must keep each line's orders contiguous, lines in order"),
        ({"line": [1, 0], "capacity": np.ones((2, 4))}, "sequences must keep each line's orders contiguous, lines in order"),
        ({"arrival": [0, -1]}, "arrival quarters must be ≥ 0"),
        ({"fence": [-1]}, "fence must be one whole number of quarters ≥ 0 per line"),
        ({"fence": [1, 1]}, "fence must be one whole number of quarters ≥ 0 per line"),
        ({"fence_sequence": [0]}, "fence_sequence must have the same line layout as sequence"),
        ({"mode": "lottery"}, "Unknown allocation mode 'lottery'; use one of ('sequence', 'groups', 'fair')"),
        ({"mode": "groups"}, "tier shares need a group per order and a share per group"),
        ({"mode": "groups", "group": [0, 0]}, "tier shares need a group per order and a share per group"),
        ({"mode": "groups", "group": [0, 0], "group_share": [0.5, 0.6]}, "group shares must be ≥ 0 and sum to 1"),
        ({"mode": "groups", "group": [0, 0], "group_share": [1.5, -0.5]}, "group shares must be ≥ 0 and sum to 1"),
        ({"mode": "groups", "group": [0, 2], "group_share": [0.5, 0.5]}, "an order's group has no share"),
        ({"mode": "groups", "group": [-1, 0], "group_share": [0.5, 0.5]}, "an order's group has no share"),
        ({"mode": "fair"}, "fair share needs a weight per order"),
        ({"mode": "fair", "weight": [1.0, 0.0]}, "fair-share weights must be finite and > 0"),
        ({"mode": "fair", "weight": [1.0, np.inf]}, "fair-share weights must be finite and > 0"),
        ({"sequence": [[0, 1], [1, 0]], "keep_per_quarter": True}, "per-quarter deliveries are kept for a single draw only"),
        ({"sequence": [[0, 1], [1, 0]], "mode": "groups", "group": [0, 0], "group_share": [1.0]},
         "tier shares are allocated for one draw at a time"),
    ],
)
def test_allocation_inputs_are_refused_with_the_exact_message(changes, message) -> None:
    from scoring.allocation import allocate

    args = dict(line=[0, 0], units=[1.0, 2.0], arrival=[0, 0], sequence=[0, 1], capacity=np.ones((1, 4)))
    args.update(changes)
    positional = [args.pop(k) for k in ("line", "units", "arrival", "sequence", "capacity")]
    with pytest.raises(ValueError) as error:
        allocate(*positional, **args)
    assert str(error.value) == message


def test_allocation_accepts_the_edges_of_its_inputs() -> None:
    """Zero units (nothing to deliver: −1), zero capacity (beyond the horizon), a fence as long as the
    horizon, the last line index and shares exactly summing to 1 are all valid; one line, 1 unit a
    quarter, orders of 0 and 2 units: the second completes in quarter 1."""
    from scoring.allocation import allocate

    out = allocate([0, 0], [0.0, 2.0], [0, 0], [0, 1], np.ones((1, 4)), fence=[4])
    assert np.asarray(out.last_quarter).ravel().tolist() == [-1, 1]
    none = allocate([1, 1], [1.0, 1.0], [0, 0], [0, 1], np.vstack([np.ones(4), np.zeros(4)]))
    assert np.asarray(none.last_quarter).ravel().tolist() == [4, 4]
    shares = allocate([0, 0], [1.0, 1.0], [0, 0], [0, 1], np.full((1, 4), 2.0), mode="groups", group=[0, 1],
                      group_share=[0.5, 0.5])
    assert np.asarray(shares.last_quarter).ravel().tolist() == [0, 0]


def test_levers_that_cannot_lift_a_partner_say_why_and_the_others_are_still_tried() -> None:
    """Share 5, 2, 0 and FH 100, 50, 0 (equal weights): C scores 0. Tier 1 from 99: all its spending
    (to 5 %: 50 points) or all its FH (to 100: 50 points) is not enough. A lever without weight or
    without a figure is reported and the next lever is still tried: B lifts tier 2 → 1 by FH 30 (share
    NaN) or FH 10 (share weight 0). A lever at the end of its range does not stop the next either: C
    (FH 100, risk 5, tier 2 at 58.5) can only cut its risk: to 4.1 (0.9) → 50 + 9 = 59. A single 0.05
    step can be enough: 1 % → 1.05 % lifts A from 33.3 to 35 (tier 2 from 34); a successful lever's note
    is empty."""
    rule = TierRule("threshold", 99, 98)
    m, result = lever_case(["share_gdp", "governance"], "ABC", [[5.0, 100.0], [2.0, 50.0], [0.0, 0.0]],
                           {"share_gdp": 1, "governance": 1})
    out = tier_levers(m, result, rule, 3, 2)
    assert [(r.lever.key, r.current, r.move, r.new_value, r.note) for r in out] == [
        ("spending", 0.0, None, None, "not enough within its range"),
        ("governance", 0.0, None, None, "not enough within its range"),
    ]
    m, result = lever_case(["share_gdp", "governance"], "ABC", [[5.0, 100.0], [np.nan, 50.0], [0.0, 0.0]],
                           {"share_gdp": 1, "governance": 1})
    out = tier_levers(m, result, TierRule("threshold", 60, 40), 3, 1)
    assert [(r.lever.key, r.current, r.move, r.note) for r in out] == [
        ("spending", None, None, "no figure on record to move"), ("governance", 50.0, pytest.approx(30.0), ""),
    ]
    m, result = lever_case(["share_gdp", "governance"], "ABC", [[5.0, 100.0], [2.0, 50.0], [0.0, 0.0]],
                           {"share_gdp": 0, "governance": 1})
    out = tier_levers(m, result, TierRule("threshold", 60, 40), 2, 1)
    assert [(r.lever.key, r.current, r.move, r.note) for r in out] == [
        ("spending", 2.0, None, "carries no weight in this scenario"), ("governance", 50.0, pytest.approx(10.0), ""),
    ]
    m, result = lever_case(["governance", "end_use_risk"], "ABC", [[100.0, 0.0], [0.0, 5.0], [100.0, 5.0]],
                           {"governance": 1, "end_use_risk": 1})
    out = tier_levers(m, result, TierRule("threshold", 58.5, 40), 2, 2)
    assert [(r.lever.key, r.current, r.note) for r in out] == [
        ("governance", 100.0, "already at the end of its range"), ("end_use", 5.0, ""),
    ]
    assert out[1].move == pytest.approx(0.9) and out[1].new_value == pytest.approx(4.1)
    m, result = lever_case(["share_gdp"], "ABC", [[1.0], [3.0], [0.0]], {"share_gdp": 1})
    (first,) = tier_levers(m, result, TierRule("threshold", 60, 34), 3, 0)
    assert (first.move, first.new_value, first.note) == (pytest.approx(0.05), pytest.approx(1.05), "")


def test_normalisation_kernels_by_hand_on_a_batch() -> None:
    """Min-max with a spread below 1: 0 and 0.5 → 0 and 1. z-scores with a standard deviation below 1:
    −0.5, 0.5 → z = ∓1 → (z + 3)/6 = ⅓, ⅔; a missing value takes no part (−1, 1, NaN → ⅓, ⅔, NaN). One
    value far out (0 among ten 10s: z = −3.16) is capped at −3 → 0. A batch (2, n, m) normalises each
    matrix on its own, column by column."""
    from scoring.engine import normalise

    assert normalise(np.array([[0.0], [0.5]]), (X,), "minmax")[:, 0].tolist() == [0.0, 1.0]
    assert normalise(np.array([[-0.5], [0.5]]), (X,), "zscore")[:, 0].tolist() == pytest.approx([1 / 3, 2 / 3])
    gap = normalise(np.array([[-1.0], [1.0], [np.nan]]), (X,), "zscore")[:, 0]
    assert gap[:2].tolist() == pytest.approx([1 / 3, 2 / 3]) and np.isnan(gap[2])
    assert normalise(np.array([[0.0]] + [[10.0]] * 10), (X,), "zscore")[0, 0] == 0.0
    batch = np.array([[[0.0, 5.0], [2.0, 5.0], [4.0, 6.0]], [[1.0, 0.0], [1.0, 2.0], [3.0, np.nan]]])
    out = normalise(batch, (X, Y), "minmax")
    assert out[0].tolist() == [[0.0, 0.0], [0.5, 0.0], [1.0, 1.0]]
    assert out[1, :, 0].tolist() == [0.0, 0.0, 1.0] and out[1, :2, 1].tolist() == [0.0, 1.0] and np.isnan(out[1, 2, 1])
    z = normalise(batch, (X, Y), "zscore")
    assert z[0, :, 0].tolist() == pytest.approx([(3 - np.sqrt(1.5)) / 6, 0.5, (3 + np.sqrt(1.5)) / 6])
    assert z[1, :2, 1].tolist() == pytest.approx([1 / 3, 2 / 3])
    r = normalise(batch, (X, Y), "rank")
    assert r[1, :, 0].tolist() == [0.25, 0.25, 1.0] and r[1, :2, 1].tolist() == [0.0, 1.0]


def test_the_scenario_passes_its_sources_and_rules_down_the_chain() -> None:
    """Frontline measured from distance (0 km → 5, 3000 km → 0) or the analyst's judgement (3, 1);
    basing judged (3, 1) or measured from the Vine list (50 sites → 5, none → 0). Quantile tiers 50 %/100 %
    put AAA in tier 1 and BBB in tier 2. With every weight at zero (FCFS) there is no cross-check and no
    coverage either."""
    from dataclasses import replace

    base = two_partners()
    columns = dict(base.columns)
    columns["adversary_km"] = np.array([0.0, 3000.0])
    columns["vine_sites"] = np.array([50.0, 0.0])
    partners = replace(base, columns=columns)
    for front, basing, expected_front, expected_basing in (
        ("measured", "judged", [5.0, 0.0], [3.0, 1.0]), ("judged", "measured", [3.0, 1.0], [5.0, 0.0]),
    ):
        result = run_scenario(partners, one_order(), one_line(), scenario(frontline_source=front, basing_source=basing))
        assert result.matrix.raw[:, result.matrix.column("frontline")].tolist() == expected_front
        assert result.matrix.raw[:, result.matrix.column("basing_access")].tolist() == expected_basing
    quantile = run_scenario(base, one_order(), one_line(), share_only(mode="quantile", top=0.5, key=1.0))
    assert quantile.ranking is not None and quantile.ranking.tiers.tier.tolist() == [1, 2]
    fcfs = run_scenario(base, one_order(), one_line(), scenario(weights=tuple((c.key, 0.0) for c in CRITERIA)))
    assert fcfs.ranking is None
    assert fcfs.partner_score.tolist() == [0.0, 0.0]
    columns["sipri_share"] = np.array([3.0, np.nan])
    columns["nato_share"] = np.array([3.0, np.nan])
    median = run_scenario(replace(base, columns=columns), one_order(), one_line(),
                          scenario(weights=(("share_gdp", 1.0), ("governance", 1.0)), missing="median"))
    # Only AAA's share is on record (no spread → 0.5); FH 90, 80 → 1, 0. 'median' gives BBB's gap AAA's 0.5:
    # AAA 25 + 50 = 75, BBB 25 + 0 = 25 (under 'worst' BBB would score 0).
    assert median.ranking is not None and median.ranking.scores.score.tolist() == [75.0, 25.0]


def test_an_empty_order_book_gives_an_empty_schedule_not_an_error() -> None:
    """A book with no orders (every order filtered away, or an analyst's empty upload) schedules
    nothing: no positions, no quarters, and the partners are still scored (it used to raise
    IndexError in allocation._fifo)."""
    empty = OrderBook(np.array([], dtype=np.int64), np.array([], dtype=np.intp), np.array([], dtype=np.intp),
                      np.array([]), np.array([], dtype=np.int64), np.array([], dtype=str))
    result = run_scenario(two_partners(), empty, one_line(), scenario())
    assert result.comparison.fcfs_last_quarter.shape == (0,)
    assert result.comparison.priority_last_quarter.shape == (0,)
    assert result.ranking is not None and len(result.ranking.scores.score) == 2
