"""Boundaries and refusals a reader relies on, each with a hand-checked expectation: what a preset
spreads, which year a NATO figure carries, where a capacity ramp may start, which argument a refusal
names, and the exact size limit of a dense delivery table."""

from __future__ import annotations

import numpy as np
import pytest

from scoring.criteria import CRITERIA, PRESETS_BY_KEY, _group_equal
from scoring.delivery import DeliveryRules, priority_draws
from scoring.features import derive_features
from scoring.schedule import (
    CapacityInvestment, CapacityPlan, capacity_per_quarter, deliveries_by_quarter, priority_schedules,
)


def test_group_weights_are_spread_equally_over_each_groups_criteria() -> None:
    groups = {c.group for c in CRITERIA}
    group = sorted(groups)[0]
    members = [c.key for c in CRITERIA if c.group == group]
    spread = _group_equal({group: 12.0})
    assert set(spread) == set(members)
    assert all(v == pytest.approx(12.0 / len(members)) for v in spread.values())
    assert _group_equal({}) == {}
    for preset in PRESETS_BY_KEY.values():
        assert all(v >= 0 for v in preset.weights.values())


def test_the_nato_basis_takes_the_nato_figures_year_too() -> None:
    """Partner 0 has a NATO share (2.1 % in 2025) and a SIPRI one (1.8 % in 2023): on the NATO basis its
    share and its year are NATO's; partner 1 has no NATO figure and keeps SIPRI's (2.5 %, 2022)."""
    base = {name: np.array([1.0, 1.0]) for name in (
        "sipri_trend", "sipri_usd_const_m", "pledge_pct", "equipment_share", "us_troops", "us_tiv_recent",
        "us_import_share", "fh_total", "frontline", "us_plans_role", "basing_access", "interoperability",
        "industrial_investment", "end_use_risk")}
    columns = base | {
        "sipri_share": np.array([1.8, 2.5]), "sipri_year": np.array([2023.0, 2022.0]),
        "nato_share": np.array([2.1, np.nan]), "nato_year": np.array([2025.0, np.nan]), "nato_trend": np.array([0.4, np.nan]),
    }
    nato = derive_features(columns, "nato")
    assert nato["share_gdp"].tolist() == [2.1, 2.5]
    assert nato["share_year"].tolist() == [2025.0, 2022.0]
    sipri = derive_features(columns, "sipri")
    assert sipri["share_gdp"].tolist() == [1.8, 2.5] and sipri["share_year"].tolist() == [2023.0, 2022.0]


def _plan(**changes) -> CapacityPlan:
    base = dict(annual_capacity=np.array([40.0]), capacity_year=np.array([2025.0]), target_capacity=np.array([80.0]),
                target_year=np.array([2025.0]), start_year=2026, start_quarter=1, domestic_share=0.0, horizon_quarters=8)
    base.update(changes)
    return CapacityPlan(**base)


def test_a_ramp_may_reach_its_target_in_the_capacity_year_but_not_before() -> None:
    assert _plan().n_lines == 1  # target in the same year as the current rate: allowed
    with pytest.raises(ValueError, match=r"target_year must not be before capacity_year \(lines \[0\]\)"):
        _plan(target_year=np.array([2024.0]))
    with pytest.raises(ValueError, match=r"^start_quarter must be an integer"):
        _plan(start_quarter=1.0)


def test_capacity_refusals_name_what_is_wrong() -> None:
    with pytest.raises(ValueError, match=r"^plan must be a CapacityPlan \(got dict\)$"):
        capacity_per_quarter({}, ())  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"^investments must be CapacityInvestment objects \(got 3\)$"):
        capacity_per_quarter(_plan(), (3,))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"^CapacityInvestment.start_quarter must be an integer"):
        CapacityInvestment(line=0, extra_units_per_year=4.0, start_year=2026, start_quarter="1", funder=0)  # type: ignore[arg-type]


def test_batched_draws_name_the_argument_they_refuse_and_return_empty_shapes() -> None:
    cap = np.ones((1, 4))
    with pytest.raises(ValueError, match=r"^order_scores must be finite$"):
        priority_schedules([0], [1.0], np.array([[np.nan]]), [1], [1], cap)
    with pytest.raises(ValueError, match=r"^contract_date"):
        priority_schedules([0], [1.0], np.array([[1.0]]), [1.5], [1], cap)
    with pytest.raises(ValueError, match=r"^order_id"):
        priority_schedules([0], [1.0], np.array([[1.0]]), [1], [1.5], cap)
    empty = priority_schedules(np.zeros(0, dtype=int), np.zeros(0), np.zeros((3, 0)), np.zeros(0, dtype=int),
                               np.zeros(0, dtype=int), cap)
    assert empty.priority_position.shape == empty.priority_first_quarter.shape == empty.priority_last_quarter.shape == (3, 0)
    assert empty.horizon_quarters == 4
    with pytest.raises(ValueError, match=r"^order_scores must be finite$"):
        priority_draws([0], [1.0], np.array([[np.inf]]), [19_000], [1], ["signed"], [0.0], cap, (2026, 1), DeliveryRules())


def test_a_lead_time_fence_in_batched_draws_follows_each_lines_lead_time() -> None:
    """Two orders on one line, 1 unit a quarter, both signed long ago; the line's lead time is 6 months,
    so with the fence at the lead time (fence_quarters None) the first 2 quarters are committed
    first-come-first-served: the earlier signer (order 0) is served first even though order 1 scores
    higher; with no fence (0) the higher score goes first."""
    args = ([0, 0], [1.0, 1.0], np.array([[1.0, 9.0]]), [100, 200], [1, 2], ["signed", "signed"], [6.0, 6.0],
            np.ones((1, 6)), (2026, 1))
    fenced = priority_draws(*args, DeliveryRules(fence_quarters=None))
    open_ = priority_draws(*args, DeliveryRules(fence_quarters=0))
    assert fenced[0].tolist() == [0, 1] and open_[0].tolist() == [1, 0]


def test_a_dense_delivery_table_may_fill_its_limit_exactly() -> None:
    line, units, seq = np.zeros(4, dtype=int), np.ones(4), np.arange(4)
    cap = np.ones((1, 5))
    assert deliveries_by_quarter(line, units, seq, cap, max_cells=20).shape == (4, 5)
    with pytest.raises(ValueError, match="max_cells=19"):
        deliveries_by_quarter(line, units, seq, cap, max_cells=19)


def test_the_cross_check_compares_exactly_the_top_10_and_top_30_on_a_large_set() -> None:
    """40 partners scored on three criteria: the cross-check's overlaps and top-30 Kendall τ equal the
    same figures computed by hand from the two rankings (rank ≤ 10, ≤ 30)."""
    from scoring.criteria import Criterion
    from scoring.engine import ScoringConfig, cross_check, kendall_tau, score_partners
    from scoring.features import DecisionMatrix

    crit = tuple(Criterion(f"c{j}", f"C{j}", "Defense investment", "benefit", "x", f"c{j}", "t", "t") for j in range(3))
    rng = np.random.default_rng(11)
    matrix = DecisionMatrix(tuple(f"P{i:02d}" for i in range(40)), crit, rng.random((40, 3)) ** 3 * 10)
    result = score_partners(matrix, ScoringConfig({"c0": 6, "c1": 3, "c2": 1}))
    cross = cross_check(result)

    def overlap(k: int) -> float:
        return len(set(np.flatnonzero(result.rank <= k)) & set(np.flatnonzero(cross.topsis_rank <= k))) / k

    assert cross.top10_overlap == overlap(10) and cross.top30_overlap == overlap(30)
    top30 = result.rank <= 30
    assert top30.sum() == 30
    assert cross.top30_tau == pytest.approx(kendall_tau(result.score[top30], cross.topsis_score[top30]))
    # the data separate the boundaries: a top 29 would give another τ
    assert kendall_tau(result.score[result.rank <= 29], cross.topsis_score[result.rank <= 29]) != pytest.approx(cross.top30_tau)


def test_topsis_gives_50_when_every_partner_is_alike() -> None:
    from scoring.engine import topsis

    assert topsis(np.full((3, 2), 0.4), np.full((3, 2), 0.5)).tolist() == [50.0, 50.0, 50.0]


def test_schedule_inputs_are_refused_with_their_own_names() -> None:
    from scoring.schedule import schedule

    cap = np.ones((1, 4))
    with pytest.raises(ValueError, match=r"^sequence must be an integer array \(got dtype float64\); drop rows with "
                       r"missing values and cast with \.astype\(int\)$"):
        schedule([0, 0], [1.0, 1.0], np.array([0.0, 1.0]), cap)
    with pytest.raises(ValueError, match=r"^sequence must be a permutation: every order index exactly once$"):
        schedule([0, 0], [1.0, 1.0], [1, 1], cap)
    with pytest.raises(ValueError, match=r"^sequence must be a 1-D array with one value per order \(got ndim=2\)$"):
        schedule([0, 0], [1.0, 1.0], [[0, 1]], cap)
    with pytest.raises(ValueError, match=r"^contract_date must be a numeric array|^contract_date must be an integer array"):
        priority_schedules([0], [1.0], np.array([[1.0]]), np.array(["2026-01-01"]), [1], cap)
    # a permutation that checks out: indices given in any integer type
    assert schedule([0, 0], [1.0, 1.0], np.array([1, 0], dtype=np.uint8), cap).last_quarter.tolist() == [1, 0]


def test_a_fourth_quarter_start_and_whole_python_numbers_in_the_plan() -> None:
    plan = _plan(start_year=np.int64(2026), start_quarter=np.int32(4), horizon_quarters=np.int16(8))
    assert (plan.start_year, plan.start_quarter, plan.horizon_quarters) == (2026, 4, 8)
    assert all(type(v) is int for v in (plan.start_year, plan.start_quarter, plan.horizon_quarters))
    with pytest.raises(ValueError, match=r"target_capacity"):
        _plan(target_capacity=np.array([-1.0]))
    with pytest.raises(ValueError, match=r"target_year must be a whole year"):
        _plan(target_year=np.array([2025.5]))


def test_exactly_the_minimum_coverage_is_enough() -> None:
    """Two criteria weighted 3:2, a partner observed on the first only: 60 % of the weight. With the
    minimum at 60 % (and one observed criterion required) it is tiered; at 61 % it is not."""
    from scoring.coverage import INSUFFICIENT, CoverageRule, coverage_tiers

    normalised = np.array([[1.0, np.nan], [0.5, 0.5]])
    args = (np.array([[1, 2]]), np.array([[60.0]]), np.array([[40.0]]), np.array([[60.0, 50.0]]), np.array([[0.6, 0.4]]),
            normalised)
    at = coverage_tiers(*args, CoverageRule(0.6, 1))
    above = coverage_tiers(*args, CoverageRule(0.61, 1))
    assert at.share[0].tolist() == pytest.approx([0.6, 1.0])
    assert at.tier[0, 0] != INSUFFICIENT and above.tier[0, 0] == INSUFFICIENT and above.tier[0, 1] != INSUFFICIENT


def test_plan_deliveries_on_lines_without_orders_and_tier_share_positions() -> None:
    """Three lines, orders only on line 0: the queue still knows all three lines. Under tier shares a
    tier-1 order queues ahead of an earlier-signed tier-3 order (positions by tier group, then date)."""
    from scoring.delivery import plan_deliveries

    rules = DeliveryRules(policy="tier_share", tier_shares=(1.0, 0.0, 0.0), fence_quarters=0)
    out = plan_deliveries([0, 0], [4.0, 4.0], [10.0, 90.0], [100, 200], [1, 2], ["signed", "signed"], [0.0, 0.0],
                          np.full((3, 6), 4.0), (2026, 1), rules, group=[2, 0])
    assert out.priority_position.tolist() == [1, 0] and out.fcfs_position.tolist() == [0, 1]
    assert out.priority_last_quarter.tolist() == [1, 0]


def test_a_funders_claim_by_hand() -> None:
    """One line of 2 units a quarter, 1 of them reserved for the funder's orders. Order 0 (the funder's,
    3 units) draws 1 a quarter from its claim: q0, q1, q2. Order 1 (another partner's, 2 units, signed
    first) gets what the claim leaves: 1 in q0 and 1 in q1. The funder's order 2 has nothing open: no
    delivery. A claim the funder cannot use returns to the line in the same quarter."""
    from scoring.delivery import plan_deliveries

    reserved = np.ones((1, 8))
    out = plan_deliveries([0, 0, 0], [3.0, 2.0, 0.0], [90.0, 10.0, 90.0], [200, 100, 300], [1, 2, 3],
                          ["signed"] * 3, [0.0] * 3, np.full((1, 8), 2.0), (2026, 1), DeliveryRules(fence_quarters=0),
                          reserved=(reserved, np.array([True, False, True])), keep_per_quarter=True)
    assert out.fcfs_first_quarter.tolist() == [0, 0, -1] and out.fcfs_last_quarter.tolist() == [2, 1, -1]
    assert out.fcfs_per_quarter[0, :3].tolist() == [1.0, 1.0, 1.0] and out.fcfs_per_quarter[1, :3].tolist() == [1.0, 1.0, 0.0]
    # the claim serves all three of the funder's units, so only order 1 competes for the rest, whatever the policy
    assert out.priority_last_quarter.tolist() == [2, 1, -1]
    unused = plan_deliveries([0], [2.0], [10.0], [100], [1], ["signed"], [0.0], np.full((1, 8), 2.0), (2026, 1),
                             DeliveryRules(fence_quarters=0), reserved=(reserved, np.array([False])))
    assert unused.fcfs_last_quarter.tolist() == [0], "the unclaimed reserve serves the other partner at once"
