"""Hand-computed checks of the region slip roll-up (Compare page) and the tornado rows (Robustness page)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.compare import group_slips
from scoring.robustness import tornado_rows


def test_group_slips_by_hand() -> None:
    # group 0: slips +2 ($1bn) and 0 ($3bn) -> 2 orders, 1 moved, $4bn, (2*1 + 0*3)/4 = 0.5
    # group 1: slip -4 (no value) and NaN (not in both scenarios, left out) -> 1 order, 1 moved, $0, NaN
    # group 2: nothing; group -1 (no region): left out
    out = group_slips(np.array([0, 0, 1, 1, -1]), np.array([2.0, 0.0, -4.0, np.nan, 9.0]),
                      np.array([1.0, 3.0, np.nan, 5.0, 1.0]), 3)
    assert out.orders.tolist() == [2, 1, 0]
    assert out.moved.tolist() == [1, 1, 0]
    assert out.value.tolist() == [4.0, 0.0, 0.0]
    assert out.value_weighted_slip[0] == 0.5
    assert np.isnan(out.value_weighted_slip[1:]).all()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.one_of(st.none(), st.integers(-8, 8)), st.floats(0, 10)),
                min_size=1, max_size=40))
def test_group_slips_matches_a_loop(rows) -> None:
    group = np.array([g for g, _, _ in rows])
    slip = np.array([np.nan if s is None else float(s) for _, s, _ in rows])
    value = np.array([v for _, _, v in rows])
    out = group_slips(group, slip, value, 4)
    for k in range(4):
        mine = [(s, v) for g, s, v in rows if g == k and s is not None]
        assert out.orders[k] == len(mine)
        assert out.moved[k] == sum(1 for s, _ in mine if s != 0)
        total = sum(v for _, v in mine)
        assert np.isclose(out.value[k], total)
        if total > 0:
            assert np.isclose(out.value_weighted_slip[k], sum(s * v for s, v in mine) / total)
        else:
            assert np.isnan(out.value_weighted_slip[k])


def test_tornado_rows_by_hand() -> None:
    # base rank 10; criterion 1 has no weight and is left out; swings: c0 |8-10|+|13-10| = 5,
    # c2 |10-10|+|11-10| = 1, c3 |6-10|+|10-10| = 4 -> narrowest first: c2, c3, c0
    spans = np.array([[8, 13], [1, 30], [10, 11], [6, 10]])
    rows, down, up = tornado_rows(spans, 10, np.array([0.3, 0.0, 0.2, 0.5]))
    assert rows.tolist() == [2, 3, 0]
    assert down.tolist() == [0, -4, -2]
    assert up.tolist() == [1, 0, 3]


def test_group_slips_with_an_idle_last_group_and_a_group_without_value() -> None:
    """Groups 0..2: group 0 has slips +2 (value 1) and 0 (value 3) → 1 moved, mean 2×1/4 = 0.5; group 1's
    only order has no value (counts, weighs nothing: mean NaN); group 2 has no order."""
    from scoring.compare import group_slips

    out = group_slips(np.array([0, 0, 1]), np.array([2.0, 0.0, -1.0]), np.array([1.0, 3.0, np.nan]), 3)
    assert out.orders.tolist() == [2, 1, 0] and out.moved.tolist() == [1, 1, 0]
    assert out.value.tolist() == [4.0, 0.0, 0.0]
    assert out.value_weighted_slip[0] == 0.5 and np.isnan(out.value_weighted_slip[1:]).all()


def test_partner_changes_between_fcfs_and_a_tiered_scenario_are_not_tier_changes() -> None:
    """Reference under FCFS (tier 0 = no tiers) against a tiered scenario, and the other way round: no
    tier change is reported (not comparable), but the rows are changed. A partner absent from the
    reference has no reference rank."""
    from scoring.compare import partner_changes

    tiered = partner_changes(("A", "B", "C"), np.array([1.0, 2.0, 3.0]), np.array([1, 2, 3]),
                             ("A", "B"), np.array([np.nan, np.nan]), np.array([0, 0]))
    assert tiered.tier_change.tolist() == [0, 0, 0] and tiered.changed.tolist() == [True, True, True]
    assert np.isnan(tiered.reference_rank[2])
    back = partner_changes(("A", "B"), np.array([np.nan, np.nan]), np.array([0, 0]),
                           ("A", "B"), np.array([1.0, 2.0]), np.array([1, 3]))
    assert back.tier_change.tolist() == [0, 0]
    same = partner_changes(("A", "B"), np.array([1.0, 2.0]), np.array([1, 3]), ("B", "A"), np.array([2.0, 1.0]), np.array([3, 1]))
    assert same.tier_change.tolist() == [0, 0] and same.changed.tolist() == [False, False]
    moved = partner_changes(("A", "B"), np.array([2.0, 1.0]), np.array([2, 1]), ("A", "B"), np.array([1.0, 2.0]), np.array([1, 2]))
    assert moved.tier_change.tolist() == [1, -1] and moved.rank_change.tolist() == [-1.0, 1.0]
