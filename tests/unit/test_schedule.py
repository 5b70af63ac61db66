"""Unit tests for scoring.schedule with hand-computed expectations."""

from __future__ import annotations

import numpy as np
import pytest

from scoring.schedule import (
    NO_DELIVERY,
    CapacityInvestment,
    CapacityPlan,
    PolicyComparison,
    ScheduleResult,
    capacity_per_quarter,
    compare_policies,
    deliveries_by_quarter,
    line_deliveries_by_quarter,
    quarter_calendar,
    quarter_label,
    quarter_labels,
    schedule,
)


def _plan(**overrides) -> CapacityPlan:
    args = {
        "annual_capacity": [40.0],
        "capacity_year": [2026],
        "target_capacity": [np.nan],
        "target_year": [np.nan],
        "start_year": 2026,
        "start_quarter": 1,
        "horizon_quarters": 8,
    }
    args.update(overrides)
    return CapacityPlan(**args)


# --------------------------------------------------------------------------------------------
# Schedules worked by hand
# --------------------------------------------------------------------------------------------

TEN_PER_QUARTER = np.full((1, 6), 10.0)


def test_fcfs_example_a_before_b():
    """Capacity 10/quarter; A = 15 units first, then B = 10 units.

    Cumulative capacity C = 10, 20, 30, …
    A: 0 units ahead, ends at 15 → first t with C > 0 is 0; first t with C ≥ 15 is 1 → 0..1.
    B: 15 units ahead, ends at 25 → first C > 15 is t=1; first C ≥ 25 is t=2 → 1..2.
    """
    result = schedule([0, 0], [15, 10], [0, 1], TEN_PER_QUARTER)
    assert isinstance(result, ScheduleResult)
    np.testing.assert_array_equal(result.first_quarter, [0, 1])
    np.testing.assert_array_equal(result.last_quarter, [1, 2])
    assert not result.beyond_horizon.any()
    assert result.horizon_quarters == 6


def test_priority_example_b_before_a():
    """Same book with B served first: B 0 ahead, ends at 10 → 0..0; A 10 ahead, ends at 25.

    A: first C > 10 is t=1; first C ≥ 25 is t=2 → 1..2.
    """
    result = schedule([0, 0], [15, 10], [1, 0], TEN_PER_QUARTER)
    np.testing.assert_array_equal(result.first_quarter, [1, 0])
    np.testing.assert_array_equal(result.last_quarter, [2, 0])


def test_compare_policies_example():
    """A (contract earlier, score 10) and B (score 90): FCFS A, B; priority B, A.

    From the two tests above: A ends in quarter 1 under FCFS and 2 under priority (delay +1);
    B ends in quarter 2 under FCFS and 0 under priority (delay -2).
    """
    result = compare_policies(
        order_line=[0, 0],
        units=[15, 10],
        score=[10.0, 90.0],
        contract_date=[100, 200],
        order_id=[1, 2],
        capacity_per_quarter=TEN_PER_QUARTER,
    )
    assert isinstance(result, PolicyComparison)
    np.testing.assert_array_equal(result.fcfs_position, [0, 1])
    np.testing.assert_array_equal(result.priority_position, [1, 0])
    np.testing.assert_array_equal(result.position_change, [-1, 1])
    np.testing.assert_array_equal(result.fcfs_first_quarter, [0, 1])
    np.testing.assert_array_equal(result.fcfs_last_quarter, [1, 2])
    np.testing.assert_array_equal(result.priority_first_quarter, [1, 0])
    np.testing.assert_array_equal(result.priority_last_quarter, [2, 0])
    np.testing.assert_array_equal(result.delay_quarters, [1, -2])
    columns = result.as_columns()
    assert set(columns) >= {"delay_quarters", "fcfs_last_quarter", "priority_beyond_horizon"}
    assert all(len(v) == 2 for v in columns.values())


def test_compare_policies_held_order_waits_behind_cleared_orders():
    """B scores higher but is held: priority queue A, B — identical to FCFS here."""
    result = compare_policies(
        [0, 0], [15, 10], [10.0, 90.0], [100, 200], [1, 2], TEN_PER_QUARTER,
        held=np.array([False, True]),
    )
    np.testing.assert_array_equal(result.priority_last_quarter, [1, 2])
    np.testing.assert_array_equal(result.delay_quarters, [0, 0])


def test_lines_are_independent():
    """Line 0: 10/q, line 1: 3/q. Order 1 (line 1, 7 units): C = 3, 6, 9 → quarters 0..2."""
    cap = np.array([[10.0] * 4, [3.0] * 4])
    result = schedule([0, 1, 0], [15, 7, 10], [2, 1, 0], cap)
    np.testing.assert_array_equal(result.first_quarter, [1, 0, 0])
    np.testing.assert_array_equal(result.last_quarter, [2, 2, 0])


def test_interleaved_sequence_is_regrouped_by_line():
    cap = np.array([[10.0] * 4, [3.0] * 4])
    grouped = schedule([0, 1, 0, 1], [15, 7, 10, 2], [0, 2, 1, 3], cap)
    interleaved = schedule([0, 1, 0, 1], [15, 7, 10, 2], [1, 0, 3, 2], cap)
    np.testing.assert_array_equal(grouped.first_quarter, interleaved.first_quarter)
    np.testing.assert_array_equal(grouped.last_quarter, interleaved.last_quarter)


def test_order_exactly_filling_a_quarter_lets_the_next_start_next_quarter():
    """A = 10 fills quarter 0 exactly (C[0] = 10 ≥ 10); B has 10 ahead: first C > 10 is t=1."""
    result = schedule([0, 0], [10, 5], [0, 1], TEN_PER_QUARTER)
    np.testing.assert_array_equal(result.first_quarter, [0, 1])
    np.testing.assert_array_equal(result.last_quarter, [0, 1])


def test_zero_capacity_quarters_are_skipped():
    """Capacity 10, 0, 0, 10: an order of 15 starts in 0 and ends in 3."""
    result = schedule([0], [15], [0], np.array([[10.0, 0.0, 0.0, 10.0]]))
    np.testing.assert_array_equal(result.first_quarter, [0])
    np.testing.assert_array_equal(result.last_quarter, [3])


def test_beyond_horizon_uses_the_sentinel():
    """Horizon 3 quarters of 10 = 30 units. A (25) ends in 2; B (10) starts in 2 but would end
    in 3 → last = 3 = horizon, beyond; C (5) cannot start → first = last = 3, beyond."""
    result = schedule([0, 0, 0], [25, 10, 5], [0, 1, 2], np.full((1, 3), 10.0))
    np.testing.assert_array_equal(result.first_quarter, [0, 2, 3])
    np.testing.assert_array_equal(result.last_quarter, [2, 3, 3])
    np.testing.assert_array_equal(result.beyond_horizon, [False, True, True])


def test_line_without_capacity_never_delivers():
    result = schedule([1], [5], [0], np.array([[10.0, 10.0], [0.0, 0.0]]))
    np.testing.assert_array_equal(result.first_quarter, [2])
    np.testing.assert_array_equal(result.last_quarter, [2])
    assert result.beyond_horizon.all()


def test_zero_unit_orders_get_no_delivery_and_take_no_capacity():
    result = schedule([0, 0, 0], [0, 10, 0], [0, 1, 2], TEN_PER_QUARTER)
    np.testing.assert_array_equal(result.first_quarter, [NO_DELIVERY, 0, NO_DELIVERY])
    np.testing.assert_array_equal(result.last_quarter, [NO_DELIVERY, 0, NO_DELIVERY])
    assert not result.beyond_horizon.any()


def test_float_round_off_does_not_slip_a_quarter():
    """0.7 + 0.1 + 0.2 is 0.9999999999999999 in floating point; 1 unit still ends in quarter 2."""
    result = schedule([0], [1.0], [0], np.array([[0.7, 0.1, 0.2, 1.0]]))
    np.testing.assert_array_equal(result.last_quarter, [2])


def test_fractional_units_and_capacity():
    """2.5 units/quarter; 6 units: C = 2.5, 5, 7.5 → quarters 0..2."""
    result = schedule([0], [6.0], [0], np.full((1, 4), 2.5))
    np.testing.assert_array_equal(result.last_quarter, [2])


def test_empty_book():
    none = np.array([], dtype=int)
    result = schedule(none, np.array([]), none, TEN_PER_QUARTER)
    assert result.first_quarter.size == 0
    comparison = compare_policies(
        np.array([], dtype=int), [], [], np.array([], dtype=int), np.array([], dtype=int),
        TEN_PER_QUARTER,
    )
    assert comparison.delay_quarters.size == 0


def test_deliveries_by_quarter_example():
    """FCFS A (15) then B (10) at 10/quarter: A gets 10, 5; B gets 5 (quarter 1), 5 (quarter 2)."""
    delivered = deliveries_by_quarter([0, 0], [15, 10], [0, 1], np.full((1, 4), 10.0))
    np.testing.assert_allclose(delivered, [[10, 5, 0, 0], [0, 5, 5, 0]])


def test_deliveries_by_quarter_refuses_large_books():
    with pytest.raises(ValueError, match="meant for small order books"):
        deliveries_by_quarter([0] * 10, [1] * 10, list(range(10)), TEN_PER_QUARTER, max_cells=50)


def test_line_deliveries_by_quarter():
    """Line 0 has 25 units open at 10/q → 10, 10, 5, 0; line 1 has 4 at 3/q → 3, 1, 0, 0."""
    cap = np.array([[10.0] * 4, [3.0] * 4])
    delivered = line_deliveries_by_quarter([0, 1, 0], [15, 4, 10], cap)
    np.testing.assert_allclose(delivered, [[10, 10, 5, 0], [3, 1, 0, 0]])


# --------------------------------------------------------------------------------------------
# Capacity plans worked by hand
# --------------------------------------------------------------------------------------------


def test_flat_capacity_is_a_quarter_of_the_annual_rate():
    cap = capacity_per_quarter(_plan())
    assert cap.shape == (1, 8)
    np.testing.assert_allclose(cap, 10.0)


def test_linear_ramp_at_quarter_mid_points():
    """100/yr in 2025 → 500/yr in 2029; figures sit at mid-year (2025.5 → 2029.5).

    rate(m) = 100 + 400 * (m - 2025.5) / 4 for a quarter mid-point m between the two, so
    - 2025 Q1 (m = 2025.125) and Q2 (2025.375) are before 2025.5: 100/yr → 25 per quarter;
    - 2025 Q3 (2025.625): 100 + 100 * 0.125 = 112.5/yr → 28.125;
    - 2025 Q4 (2025.875): 137.5/yr → 34.375;
    - 2027 Q1 (2027.125): 100 + 100 * 1.625 = 262.5/yr → 65.625;
    - 2029 Q2 (2029.375): 487.5/yr → 121.875;
    - 2029 Q3 (2029.625) and later: the target, 500/yr → 125.
    """
    plan = _plan(
        annual_capacity=[100.0],
        capacity_year=[2025],
        target_capacity=[500.0],
        target_year=[2029],
        start_year=2025,
        horizon_quarters=24,
    )
    cap = capacity_per_quarter(plan)[0]
    expected = {
        0: 25.0, 1: 25.0, 2: 28.125, 3: 34.375, 8: 65.625, 17: 121.875, 18: 125.0, 23: 125.0
    }
    for quarter, value in expected.items():
        assert cap[quarter] == pytest.approx(value), quarter


def test_ramp_with_a_later_start_quarter():
    """Starting 2027 Q1 (index 0) the same ramp gives 65.625, as in the test above."""
    plan = _plan(
        annual_capacity=[100.0], capacity_year=[2025], target_capacity=[500.0],
        target_year=[2029], start_year=2027, start_quarter=1, horizon_quarters=2,
    )
    assert capacity_per_quarter(plan)[0, 0] == pytest.approx(65.625)


def test_target_reached_in_its_own_year_is_a_step():
    """target_year == capacity_year: annual rate before that year's mid-point, target after."""
    plan = _plan(
        annual_capacity=[40.0], capacity_year=[2026], target_capacity=[80.0],
        target_year=[2026], horizon_quarters=4,
    )
    np.testing.assert_allclose(capacity_per_quarter(plan)[0], [10, 10, 20, 20])


def test_domestic_share_halves_capacity():
    full = capacity_per_quarter(_plan())
    half = capacity_per_quarter(_plan(domestic_share=0.5))
    np.testing.assert_allclose(half, full / 2)


def test_domestic_share_per_line():
    plan = _plan(
        annual_capacity=[40.0, 40.0], capacity_year=[2026, 2026], target_capacity=[np.nan] * 2,
        target_year=[np.nan] * 2, domestic_share=[0.0, 0.75],
    )
    np.testing.assert_allclose(capacity_per_quarter(plan)[:, 0], [10.0, 2.5])


def test_investment_adds_from_its_start_quarter():
    """+20/yr from 2026 Q3 on line 0 → +5 per quarter from index 2; not cut by domestic share."""
    plan = _plan(domestic_share=0.5)  # 40/yr * 0.5 / 4 = 5 per quarter
    investment = CapacityInvestment(
        line=0, extra_units_per_year=20.0, start_year=2026, start_quarter=3, funder=4
    )
    cap = capacity_per_quarter(plan, [investment])
    np.testing.assert_allclose(cap[0], [5, 5, 10, 10, 10, 10, 10, 10])


def test_investments_accumulate_and_early_ones_cover_the_whole_horizon():
    plan = _plan(
        annual_capacity=[40.0, 40.0], capacity_year=[2026, 2026], target_capacity=[np.nan] * 2,
        target_year=[np.nan] * 2, horizon_quarters=4,
    )
    investments = [
        CapacityInvestment(1, 8.0, 2020, 1, 0),  # before the start: every quarter +2
        CapacityInvestment(1, 4.0, 2026, 4, 1),  # +1 from index 3
    ]
    cap = capacity_per_quarter(plan, investments)
    np.testing.assert_allclose(cap[0], [10, 10, 10, 10])
    np.testing.assert_allclose(cap[1], [12, 12, 12, 13])


def test_plan_arrays_are_normalised_and_read_only():
    plan = _plan(domestic_share=0.25)
    assert plan.n_lines == 1
    assert plan.domestic_share.shape == (1,)
    with pytest.raises(ValueError, match="read-only"):
        plan.annual_capacity[0] = 1.0


# --------------------------------------------------------------------------------------------
# Calendar helpers
# --------------------------------------------------------------------------------------------


def test_quarter_label():
    assert quarter_label(2026, 3, 0) == "2026 Q3"
    assert quarter_label(2026, 3, 1) == "2026 Q4"
    assert quarter_label(2026, 3, 2) == "2027 Q1"
    assert quarter_label(2026, 1, 160) == "2066 Q1"
    with pytest.raises(ValueError, match="≥ 0"):
        quarter_label(2026, 1, NO_DELIVERY)


def test_quarter_labels_and_calendar_are_vectorised():
    index = np.array([0, 5, NO_DELIVERY])
    years, quarters = quarter_calendar(2027, 4, index[:2])
    np.testing.assert_array_equal(years, [2027, 2029])
    np.testing.assert_array_equal(quarters, [4, 1])
    np.testing.assert_array_equal(quarter_labels(2027, 4, index), ["2027 Q4", "2029 Q1", "—"])
    with pytest.raises(ValueError, match="start_quarter"):
        quarter_calendar(2027, 0, index)


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"units": [5, -1]}, "units must be finite and ≥ 0"),
        ({"units": [5, np.nan]}, "units must be finite and ≥ 0"),
        ({"units": [True, False]}, "units must be a numeric array"),
        ({"units": [5]}, "one value per order"),
        ({"order_line": [0, 2]}, "must index a row of capacity_per_quarter"),
        ({"order_line": [0, -1]}, "must index a row of capacity_per_quarter"),
        ({"order_line": [0.0, 1.0]}, "order_line must be an integer array"),
        ({"sequence": [0, 0]}, "permutation"),
        ({"sequence": [0, 2]}, "order indices 0..1"),
        ({"sequence": [0]}, "exactly once"),
        ({"capacity_per_quarter": [10.0, 10.0]}, "2-D"),
        ({"capacity_per_quarter": [[10.0, -1.0], [1.0, 1.0]]}, "finite and ≥ 0"),
        ({"capacity_per_quarter": [[10.0, np.inf], [1.0, 1.0]]}, "finite and ≥ 0"),
        ({"units": [1e12, 1.0]}, "exceed"),
    ],
)
def test_schedule_validation_errors(kwargs, message):
    args = {
        "order_line": [0, 1],
        "units": [5, 5],
        "sequence": [1, 0],
        "capacity_per_quarter": [[10.0, 10.0], [1.0, 1.0]],
    }
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        schedule(**args)


def test_compare_policies_validates_queue_inputs():
    with pytest.raises(ValueError, match="score must be finite"):
        compare_policies([0], [1], [np.nan], [1], [1], TEN_PER_QUARTER)
    with pytest.raises(ValueError, match="must index a row"):
        compare_policies([3], [1], [1.0], [1], [1], TEN_PER_QUARTER)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"domestic_share": 1.0}, r"domestic_share must be in \[0, 1\)"),
        ({"domestic_share": -0.1}, r"domestic_share must be in \[0, 1\)"),
        ({"domestic_share": [0.1, 0.2]}, "one number or one per line"),
        ({"annual_capacity": [-5.0]}, "annual_capacity must be a finite number ≥ 0"),
        ({"annual_capacity": []}, "at least one production line"),
        ({"capacity_year": [2026, 2027]}, "capacity_year has 2 values"),
        ({"capacity_year": [2026.5]}, "whole year"),
        ({"target_capacity": [80.0], "target_year": [2025]}, "must not be before capacity_year"),
        ({"target_capacity": [80.0], "target_year": [np.nan]}, "target_year must be a whole year"),
        ({"target_capacity": [-1.0], "target_year": [2030]}, "target_capacity must be ≥ 0"),
        ({"start_quarter": 5}, "start_quarter must be 1, 2, 3 or 4"),
        ({"start_year": 2026.0}, "start_year must be an integer"),
        ({"horizon_quarters": 0}, "horizon_quarters must be at least 1"),
    ],
)
def test_plan_validation_errors(overrides, message):
    with pytest.raises(ValueError, match=message):
        _plan(**overrides)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"extra_units_per_year": -1.0}, "finite and ≥ 0"),
        ({"extra_units_per_year": float("nan")}, "finite and ≥ 0"),
        ({"start_quarter": 0}, "start_quarter must be 1..4"),
        ({"line": -1}, "indices ≥ 0"),
        ({"funder": 1.5}, "funder must be an integer"),
    ],
)
def test_investment_validation_errors(kwargs, message):
    args = {
        "line": 0, "extra_units_per_year": 10.0, "start_year": 2028, "start_quarter": 1, "funder": 0
    }
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        CapacityInvestment(**args)


def test_investment_on_unknown_line():
    with pytest.raises(ValueError, match="plan has 1 lines"):
        capacity_per_quarter(_plan(), [CapacityInvestment(3, 10.0, 2028, 1, 0)])
    with pytest.raises(ValueError, match="must be a CapacityPlan"):
        capacity_per_quarter("plan")  # type: ignore[arg-type]


def test_quarter_number_counts_quarters_between_dates() -> None:
    from scoring.schedule import quarter_number

    assert quarter_number(2026, 1) == 2026 * 4 == 8104
    assert quarter_number(2027, 1) - quarter_number(2026, 1) == 4
    assert quarter_number(2026, 4) - quarter_number(2026, 1) == 3
    assert quarter_number(2027, 1) - quarter_number(2026, 4) == 1


def test_the_calendar_names_what_it_refuses() -> None:
    """Each refusal names the argument at fault, so a caller's mistake reads plainly."""
    from scoring.schedule import quarter_calendar, quarter_label

    with pytest.raises(ValueError, match=r"^quarter index must be integer \(got dtype float64\)$"):
        quarter_calendar(2026, 1, np.array([0.5]))
    with pytest.raises(ValueError, match=r"^index must be an integer \(got 1\.5\)$"):
        quarter_label(2026, 1, 1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"^start_quarter must be an integer \(got '2'\)$"):
        quarter_label(2026, "2", 0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"^start_year must be an integer \(got True\)$"):
        quarter_label(True, 1, 0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"^start_quarter must be 1, 2, 3 or 4 \(got 5\)$"):
        quarter_label(2026, 5, 0)
    assert quarter_label(2026, 4, 1) == "2027 Q1"
    years, quarters = quarter_calendar(2026, 3, np.array([0, 1, 2, 6], dtype=np.uint8))
    assert years.tolist() == [2026, 2026, 2027, 2028] and quarters.tolist() == [3, 4, 1, 1]
