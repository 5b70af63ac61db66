"""Hand-computed checks of the burn-down figures (scoring.report) and a loop check."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import report
from scoring.report import backlog_remaining, burn_down_end, short_platform


def test_backlog_remaining_by_hand() -> None:
    # order 0 (group 0): 2 units, $1bn each, delivered 1 + 1 in quarters 0 and 1
    # order 1 (group 1): 3 units, $0.5bn each, delivered 0, 2, 1 in quarters 0-2
    # order 2 (group 0): 1 unit of $4bn, never delivered (suspended) -> stays in group 0's backlog
    delivered = np.array([[1, 1, 0], [0, 2, 1], [0, 0, 0]])
    out = backlog_remaining(delivered, np.array([2, 3, 1]), np.array([1.0, 0.5, 4.0]), np.array([0, 1, 0]), 2)
    assert out.tolist() == [[5.0, 4.0, 4.0], [1.5, 0.5, 0.0]]


def test_backlog_remaining_rejects_misaligned_inputs() -> None:
    with pytest.raises(ValueError):
        backlog_remaining(np.zeros((2, 3)), np.ones(2), np.ones(3), np.zeros(2, dtype=int), 1)


def test_burn_down_end_stops_after_the_last_delivery() -> None:
    fcfs = np.zeros((2, 100))
    fcfs[0, 3] = 1  # FCFS finishes in quarter index 3
    policy = np.zeros((2, 100))
    policy[1, 8] = 2  # the policy's last delivery is in quarter index 8
    assert burn_down_end(fcfs, policy) == 10  # quarters 0..8 plus one flat quarter
    assert burn_down_end(fcfs) == 5
    assert burn_down_end(fcfs, after=0) == 4
    assert burn_down_end(np.zeros((1, 40))) == 1  # nothing delivered: one quarter, not the horizon
    late = np.zeros((1, 6))
    late[0, 5] = 1
    assert burn_down_end(late) == 6  # never past the horizon


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2), st.floats(0, 5), st.lists(st.integers(0, 4), min_size=5, max_size=5)),
                min_size=1, max_size=12))
def test_backlog_remaining_matches_a_loop(rows) -> None:
    groups = np.array([g for g, _, _ in rows])
    value = np.array([v for _, v, _ in rows])
    delivered = np.array([d for _, _, d in rows])
    units = delivered.sum(axis=1) + 1  # one unit of each order is never delivered
    out = backlog_remaining(delivered, units, value, groups, 3)
    for g in range(3):
        total = sum(v * (sum(d) + 1) for gg, v, d in rows if gg == g)
        for q in range(5):
            done = sum(v * sum(d[: q + 1]) for gg, v, d in rows if gg == g)
            assert out[g, q] == pytest.approx(total - done, abs=1e-9)


def test_short_platform() -> None:
    assert short_platform("Patriot fire unit / battery (radar, ECS, launchers)") == "Patriot fire unit / battery"
    assert short_platform("F-15EX Eagle II (and export F-15IA/QA family)") == "F-15EX Eagle II"
    assert short_platform("M1A2 SEPv3 Abrams") == "M1A2 SEPv3 Abrams"
    assert short_platform("(classified)") == "(classified)"


# --- group roll-ups, delivery windows and the summary paragraph (hand-computed) ----------------


def test_value_weighted_delay_by_hand() -> None:
    # group 0: values 2 and 1, delays -4 and +2 -> (2*-4 + 1*2) / 3 = -2; group 1: a missing value
    # counts as 0 and an order without a delay adds value but no delay -> 0 / 3 = 0; group 2 empty.
    total, mean, count = report.value_weighted_delay(
        np.array([2.0, 1.0, np.nan, 3.0]), np.array([-4.0, 2.0, 5.0, np.nan]), np.array([0, 0, 1, 1]), 3
    )
    assert total.tolist() == [3.0, 3.0, 0.0]
    assert mean[:2].tolist() == [-2.0, 0.0] and np.isnan(mean[2])
    assert count.tolist() == [2, 2, 0]


def test_early_value_counts_only_the_first_quarters() -> None:
    delivered = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 4.0]])
    per_unit = np.array([10.0, 1.0])
    assert report.early_value(delivered, per_unit, 2).tolist() == [30.0, 0.0]
    assert report.early_value(delivered, per_unit, 0).tolist() == [0.0, 0.0]
    assert report.early_value(delivered, per_unit, 5).tolist() == [60.0, 4.0]


def test_front_of_the_queue_is_the_first_third_of_each_line_rounded_up() -> None:
    position = np.array([1, 2, 3, 1, 2, 3, 4, 5, 6, 7, np.nan, 1, 2, 3, 4, 5, 6])
    lines = np.array(["a"] * 3 + ["b"] * 7 + ["c"] + ["d"] * 6)
    front = report.top_of_queue(position, lines)
    # a: 3 orders -> 1 in front; b: 7 -> ceil(7/3) = 3; c: no position (not competing); d: 6 -> 2.
    assert front.tolist() == [True, False, False] + [True] * 3 + [False] * 4 + [False] + [True, True] + [False] * 4


def test_group_rollup_by_hand() -> None:
    rolled = report.group_rollup(
        groups=np.array([0, 0, 1]), n_groups=2, value=np.array([2.0, 1.0, 3.0]), delay=np.array([-4.0, 2.0, 0.0]),
        early_fcfs=np.array([1.0, 1.0, 2.0]), early_priority=np.array([3.0, 0.0, 1.0]), front=np.array([True, False, True]),
    )
    assert rolled.orders.tolist() == [2, 1]
    assert rolled.value.tolist() == [3.0, 3.0]
    assert rolled.early_share_fcfs.tolist() == [50.0, 50.0]  # 2 of 4 each
    assert rolled.early_share_priority.tolist() == [75.0, 25.0]  # 3 of 4, 1 of 4
    assert rolled.early_share_change.tolist() == [25.0, -25.0]
    assert rolled.top_value.tolist() == [2.0, 3.0]
    assert rolled.value_weighted_delay.tolist() == [-2.0, 0.0]
    assert rolled.mean_delay.tolist() == [-1.0, 0.0]


def test_group_rollup_with_no_early_delivery_has_zero_shares() -> None:
    rolled = report.group_rollup(np.array([0, 1]), 2, np.array([1.0, 1.0]), np.array([0.0, 0.0]),
                                 np.zeros(2), np.zeros(2), np.array([False, False]))
    assert rolled.early_share_fcfs.tolist() == [0.0, 0.0] and rolled.early_share_change.tolist() == [0.0, 0.0]


def test_completion_window_takes_observed_quarters() -> None:
    last = np.array([[1, 5], [2, 6], [3, 7], [4, 8], [5, 9]])  # 5 draws x 2 orders
    low, high = report.completion_window(last, 0, 100)
    assert low.tolist() == [1, 5] and high.tolist() == [5, 9]
    mid, _ = report.completion_window(last, 50, 50)
    assert mid.tolist() == [3, 7]
    low, high = report.completion_window(np.array([[1], [2], [3], [4]]), 40, 60)
    assert low.dtype == np.int64 and {int(low[0]), int(high[0])} <= {1, 2, 3, 4}  # never an interpolated 2.2


def test_what_changed_reads_the_numbers() -> None:
    text = report.what_changed(
        competing=10, leaders=["Poland", "Japan"], tier1=3, earlier=4, later=2,
        best=report.Move("Poland", "F-35A", -3), worst=report.Move("Georgia", "Javelin", 5), held=1,
        cross_verdict="TOPSIS agrees.",
    )
    assert text == (
        "Under these weights Poland and Japan lead the ranking; 3 partners reach tier 1. "
        "Of 10 competing orders, 4 finish earlier and 2 later than under first-come-first-served; "
        "the largest gain is Poland's F-35A (3 quarters sooner), the largest loss Georgia's Javelin (5 quarters later). "
        "1 orders are held by a gate and wait behind every cleared order. TOPSIS agrees."
    )
    single = report.what_changed(5, ["Poland"], 1, 0, 0, None, None, 0, None)
    assert single == ("Under these weights Poland leads the ranking; 1 partners reach tier 1. "
                      "Of 5 competing orders, 0 finish earlier and 0 later than under first-come-first-served.")
    fcfs = report.what_changed(7, None, 0, 0, 0, None, None, 0, None)
    assert "7 competing orders" in fcfs and "first-come-first-served" in fcfs and "lead" not in fcfs


def test_reference_summary_names_the_first_tier_moves_and_the_extreme_orders() -> None:
    moves = [("Poland", "2", "1"), ("Japan", "1", "2"), ("Georgia", "3", "2"), ("Kosovo", "3", "2"), ("Chile", "2", "3")]
    text = report.reference_summary("Balanced", 5, moves, 3, 40, report.Move("Poland", "F-35A", -2), report.Move("Chile", "Javelin", 4))
    assert text == (
        "Against the reference (Balanced): 5 partners change tier — Poland (2 → 1), Japan (1 → 2), Georgia (3 → 2), "
        "Kosovo (3 → 2) …; 3 of 40 competing orders move (earliest gain: Poland's F-35A, -2 q; largest slip: Chile's Javelin, +4 q)."
    )
    assert report.reference_summary("FCFS", 0, [], 0, 40, None, None) == (
        "Against the reference (FCFS): 0 partners change tier; no competing order's completion quarter moves."
    )
    assert report.reference_summary("mine", None, [], 0, 0, None, None) == "Against the reference (mine): no change — this is the reference."


def test_value_per_unit_by_hand() -> None:
    """$2bn over 4 open units = 0.5; an order with nothing open or no published value retires nothing."""
    out = report.value_per_unit(np.array([2.0, 3.0, np.nan, 1.5]), np.array([4.0, 0.0, 5.0, 3.0]))
    assert out.tolist() == [0.5, 0.0, 0.0, 0.5]


def test_quarter_end_years_from_the_start_quarter() -> None:
    assert report.quarter_end_years(2026, 1, 3).tolist() == [2026.25, 2026.5, 2026.75]
    assert report.quarter_end_years(2027, 4, 2).tolist() == [2028.0, 2028.25]


def test_burn_down_by_hand() -> None:
    """Order 0 (group 0): 2 units, $2bn; order 1 (group 1): 1 unit, $1bn. FCFS builds order 0 in q0, q1 and
    order 1 in q2; the policy builds order 1 in q0 and order 0 in q1, q2. The axis stops one quarter
    after the last delivery (q2) under either: 4 quarters, from 2026 Q3 (2026.75 … 2027.5)."""
    fcfs = np.zeros((2, 10))
    fcfs[0, 0] = fcfs[0, 1] = 1
    fcfs[1, 2] = 1
    policy = np.zeros((2, 10))
    policy[1, 0] = 1
    policy[0, 1] = policy[0, 2] = 1
    out = report.burn_down((fcfs, policy), np.array([2.0, 1.0]), np.array([2.0, 1.0]), np.array([0, 1]), 2, 2026, 3)
    assert out.years.tolist() == [2026.75, 2027.0, 2027.25, 2027.5]
    assert out.remaining[0].tolist() == [[1.0, 0.0, 0.0, 0.0], [1.0, 1.0, 0.0, 0.0]]
    assert out.remaining[1].tolist() == [[2.0, 1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0]]


def test_delivery_spread_by_hand() -> None:
    """Four draws of two orders. Order 0 completes in q 3, 5, 4, 9: 5th–95th percentile (nearest) 3 and 9;
    before its FCFS quarter 5 in two draws of four. Order 1 always in q2, FCFS q2: never earlier."""
    last = np.array([[3, 2], [5, 2], [4, 2], [9, 2]])
    low, high, earlier = report.delivery_spread(last, np.array([5, 2]))
    assert low.tolist() == [3, 2] and high.tolist() == [9, 2]
    assert earlier.tolist() == [0.5, 0.0]


def test_extreme_moves_pick_the_largest_gain_and_loss_among_the_selected() -> None:
    partner = np.array(["Poland", "Kuwait", "Japan", "Romania", "Qatar"])
    platform = np.array(["HIMARS", "AH-64E", "SM-3", "F-35A", "PAC-3"])
    change = np.array([-2.0, 9.0, -5.0, -5.0, 9.0])
    best, worst = report.extreme_moves(partner, platform, change, change < 0, change > 0)
    assert best == report.Move("Japan", "SM-3", -5), "the first of two equal gains"
    assert worst == report.Move("Qatar", "PAC-3", 9), "the last of two equal losses"
    only_small = report.extreme_moves(partner, platform, change, np.array([1, 0, 0, 0, 0], dtype=bool),
                                      np.zeros(5, dtype=bool))
    assert only_small == (report.Move("Poland", "HIMARS", -2), None)
    assert report.extreme_moves(partner, platform, change, np.zeros(5, dtype=bool), np.zeros(5, dtype=bool)) == (None, None)


def test_group_rollup_with_missing_values_idle_groups_and_plain_lists() -> None:
    """Groups 0, 1, 2 of which 2 has no order: its counts are 0 and its means NaN. Order 1 has no
    published value (counts as 0, also at the front of the queue) and order 2 no delay (it does not
    compete): group 0's value-weighted delay is (2 × −3) / 2 = −3, its plain mean (−3 + 1) / 2 = −1;
    group 1's plain mean has no timed order (NaN). Early values 1 + 3 of 4 and 4 + 0 of 4."""
    rolled = report.group_rollup(
        groups=[0, 0, 1], n_groups=3, value=[2, float("nan"), 5], delay=[-3, 1, float("nan")],
        early_fcfs=[1, 2, 1], early_priority=[3, 0, 1], front=[1, 1, 0],
    )
    assert rolled.orders.tolist() == [2, 1, 0]
    assert rolled.value.tolist() == [2.0, 5.0, 0.0]
    assert rolled.top_value.tolist() == [2.0, 0.0, 0.0], "a missing value adds nothing at the front either"
    assert rolled.early_fcfs.tolist() == [3.0, 1.0, 0.0] and rolled.early_priority.tolist() == [3.0, 1.0, 0.0]
    assert rolled.early_share_fcfs.tolist() == [75.0, 25.0, 0.0]
    # group 1's value (5) counts in its total but its order adds no delay: 0 / 5 (documented above)
    assert rolled.value_weighted_delay[:2].tolist() == [-3.0, 0.0] and np.isnan(rolled.value_weighted_delay[2])
    assert rolled.mean_delay[0] == -1.0 and np.isnan(rolled.mean_delay[1:]).all()


def test_value_weighted_delay_takes_plain_lists_and_a_zero_value_group() -> None:
    """Group 1's only order has value 0: its mean is NaN (no value to weigh), not a division error."""
    total, mean, count = report.value_weighted_delay([1, 0], [4, 2], [0, 1], 2)
    assert total.tolist() == [1.0, 0.0] and count.tolist() == [1, 1]
    assert mean[0] == 4.0 and np.isnan(mean[1])


def test_what_changed_names_three_leaders_and_states_the_fcfs_baseline_in_full() -> None:
    three = report.what_changed(9, ["Poland", "Japan", "Norway"], 2, 1, 0, report.Move("Japan", "SM-3", -2), None, 0, None)
    assert three == (
        "Under these weights Poland, Japan and Norway lead the ranking; 2 partners reach tier 1. "
        "Of 9 competing orders, 1 finish earlier and 0 later than under first-come-first-served; "
        "the largest gain is Japan's SM-3 (2 quarters sooner)."
    )
    only_loss = report.what_changed(4, ["A", "B"], 0, 0, 1, None, report.Move("B", "PAC-3", 3), 2, "Same top.")
    assert only_loss == (
        "Under these weights A and B lead the ranking; 0 partners reach tier 1. "
        "Of 4 competing orders, 0 finish earlier and 1 later than under first-come-first-served, "
        "the largest loss B's PAC-3 (3 quarters later). 2 orders are held by a gate and wait behind every cleared order. "
        "Same top."
    )
    assert report.what_changed(7, None, 0, 0, 0, None, None, 0, None) == (
        "With no partner weighting, the 7 competing orders in the book are served in contract order "
        "(first-come-first-served): this is the baseline every other scenario is compared with."
    )


def test_reference_summary_ellipsis_only_when_more_moves_than_named() -> None:
    moves = [("Poland", "2", "1"), ("Japan", "1", "2")]
    exact = report.reference_summary("EO", 2, moves, 0, 10, None, None, named=2)
    assert exact == "Against the reference (EO): 2 partners change tier — Poland (2 → 1), Japan (1 → 2); no competing order's completion quarter moves."
    more = report.reference_summary("EO", 3, moves, 0, 10, None, None, named=2)
    assert "Japan (1 → 2) …;" in more
    half = report.reference_summary("EO", 0, [], 2, 10, report.Move("Poland", "F-35A", -1), None)
    assert half.endswith("no competing order's completion quarter moves."), "a summary needs both extremes"
    none_moved = report.reference_summary("EO", 0, [], 0, 10, report.Move("P", "x", -1), report.Move("Q", "y", 1))
    assert none_moved.endswith("no competing order's completion quarter moves.")


def test_completion_windows_default_to_the_5th_and_95th_percentiles() -> None:
    """101 draws completing in quarters 0..100: the 5th and 95th percentiles are quarters 5 and 95
    (the 6th and 96th would be 6 and 96)."""
    last = np.arange(101)[:, None]
    low, high = report.completion_window(last)
    assert (low.tolist(), high.tolist()) == ([5], [95])
    first, final, _ = report.delivery_spread(last, np.array([10]))
    assert (first.tolist(), final.tolist()) == (low.tolist(), high.tolist())
    narrow = report.delivery_spread(last, np.array([10]), 25, 75)
    assert (narrow[0].tolist(), narrow[1].tolist()) == (report.completion_window(last, 25, 75)[0].tolist(),
                                                        report.completion_window(last, 25, 75)[1].tolist())


def test_extreme_moves_take_the_last_of_several_equal_losses() -> None:
    partner = np.array(["A", "B", "C", "D"])
    change = np.array([4.0, 4.0, 1.0, 4.0])
    _, worst = report.extreme_moves(partner, partner, change, np.zeros(4, dtype=bool), change > 0)
    assert worst == report.Move("D", "D", 4)


def test_backlog_remaining_rejects_a_wrong_number_of_rows_alone() -> None:
    with pytest.raises(ValueError):
        backlog_remaining(np.zeros((3, 4)), np.ones(2), np.ones(2), np.zeros(2, dtype=int), 1)
    with pytest.raises(ValueError):
        backlog_remaining(np.zeros(2), np.ones(2), np.ones(2), np.zeros(2, dtype=int), 1)
