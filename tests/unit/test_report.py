"""Hand-computed checks of the burn-down figures (scoring.report) and a loop check."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
