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
