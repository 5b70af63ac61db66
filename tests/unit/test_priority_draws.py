"""The batched Monte Carlo schedule equals compare_policies draw by draw."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.schedule import compare_policies, priority_schedules


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 25), st.integers(1, 4), st.integers(1, 6), st.integers(0, 10_000))
def test_batched_draws_equal_the_per_draw_engine(n: int, n_lines: int, k: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    line = rng.integers(0, n_lines, n)
    units = rng.integers(0, 30, n).astype(float)
    date = rng.integers(0, 5, n)  # many equal dates: tie-breaks matter
    oid = rng.permutation(n)
    held = rng.random(n) < 0.2
    capacity = rng.uniform(0.0, 8.0, (n_lines, 12))  # short horizon: some orders run past it
    scores = rng.integers(0, 4, (k, n)).astype(float)  # many equal scores
    draws = priority_schedules(line, units, scores, date, oid, capacity, held)
    for d in range(k):
        one = compare_policies(line, units, scores[d], date, oid, capacity, held)
        assert np.array_equal(draws.priority_position[d], one.priority_position)
        assert np.array_equal(draws.priority_first_quarter[d], one.priority_first_quarter)
        assert np.array_equal(draws.priority_last_quarter[d], one.priority_last_quarter)


def test_score_shape_is_checked() -> None:
    with pytest.raises(ValueError, match="order_scores must be"):
        priority_schedules([0, 0], [1.0, 1.0], np.zeros((3, 5)), [1, 2], [1, 2], np.ones((1, 4)))
