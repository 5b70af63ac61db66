"""Unit tests for scoring.queue: hand-worked queues, the held rule, tie-breaks and validation."""

from __future__ import annotations

import numpy as np
import pytest

from scoring.queue import QueueResult, rank_orders


def _lexsort_fcfs(line, date, oid):
    return np.lexsort((oid, date, line))


def _lexsort_priority(line, score, date, oid, held):
    return np.lexsort((oid, date, -np.asarray(score, dtype=float), held, line))


def test_two_orders_one_line_priority_reverses_fcfs():
    """A (contract 2020) came before B (2021); B's partner scores higher.

    FCFS: A then B → positions A 0, B 1. Priority: B then A → A 1, B 0.
    position_change = fcfs - priority: A 0 - 1 = -1 (moved down), B 1 - 0 = +1 (moved up).
    """
    result = rank_orders(
        order_line=[0, 0], score=[10.0, 90.0], contract_date=[2020, 2021], order_id=[1, 2]
    )
    assert isinstance(result, QueueResult)
    np.testing.assert_array_equal(result.fcfs_position, [0, 1])
    np.testing.assert_array_equal(result.priority_position, [1, 0])
    np.testing.assert_array_equal(result.position_change, [-1, 1])
    np.testing.assert_array_equal(result.fcfs_order, [0, 1])
    np.testing.assert_array_equal(result.priority_order, [1, 0])


def test_positions_count_within_each_line():
    """Two lines; positions restart at 0 on each line and permutations list line 0 first.

    Orders (index: line, score, date, id): 0: L1 50 d3 #10, 1: L0 20 d1 #11, 2: L1 80 d5 #12,
    3: L0 90 d2 #13, 4: L0 20 d0 #14.
    FCFS line 0 by date: 4 (d0), 1 (d1), 3 (d2); line 1: 0 (d3), 2 (d5) → order [4, 1, 3, 0, 2].
    Priority line 0 by score: 3 (90), then 20-score tie by date: 4 (d0), 1 (d1); line 1: 2 (80),
    0 (50) → order [3, 4, 1, 2, 0].
    """
    result = rank_orders(
        order_line=[1, 0, 1, 0, 0],
        score=[50, 20, 80, 90, 20],
        contract_date=[3, 1, 5, 2, 0],
        order_id=[10, 11, 12, 13, 14],
    )
    np.testing.assert_array_equal(result.fcfs_order, [4, 1, 3, 0, 2])
    np.testing.assert_array_equal(result.priority_order, [3, 4, 1, 2, 0])
    np.testing.assert_array_equal(result.fcfs_position, [0, 1, 1, 2, 0])
    np.testing.assert_array_equal(result.priority_position, [1, 2, 0, 0, 1])
    np.testing.assert_array_equal(result.position_change, [-1, -1, 1, 2, -1])


def test_equal_scores_and_no_holds_reproduce_fcfs():
    rng = np.random.default_rng(7)
    n = 500
    line = rng.integers(0, 5, n)
    date = rng.integers(0, 30, n)
    oid = rng.permutation(n)
    result = rank_orders(line, np.full(n, 42.0), date, oid, np.zeros(n, dtype=bool))
    np.testing.assert_array_equal(result.priority_order, result.fcfs_order)
    np.testing.assert_array_equal(result.priority_position, result.fcfs_position)
    assert not result.position_change.any()


def test_held_order_goes_to_the_back_of_its_line():
    """Three orders on line 0; the top scorer (index 0) is held.

    Cleared orders first by score: 1 (70), 2 (40); then the held order 0 (99) → [1, 2, 0].
    FCFS ignores the gate: by date [0, 1, 2].
    """
    result = rank_orders(
        order_line=[0, 0, 0],
        score=[99, 70, 40],
        contract_date=[1, 2, 3],
        order_id=[1, 2, 3],
        held=np.array([True, False, False]),
    )
    np.testing.assert_array_equal(result.priority_order, [1, 2, 0])
    np.testing.assert_array_equal(result.priority_position, [2, 0, 1])
    np.testing.assert_array_equal(result.fcfs_order, [0, 1, 2])


def test_held_orders_queue_among_themselves_by_priority():
    """Held orders 0 (score 10) and 2 (score 60) go behind cleared 1 (score 5), 60 before 10."""
    result = rank_orders(
        order_line=[0, 0, 0],
        score=[10, 5, 60],
        contract_date=[1, 2, 3],
        order_id=[1, 2, 3],
        held=np.array([True, False, True]),
    )
    np.testing.assert_array_equal(result.priority_order, [1, 2, 0])


def test_held_on_one_line_does_not_affect_another_line():
    result = rank_orders(
        order_line=[0, 1, 1],
        score=[10, 20, 30],
        contract_date=[1, 1, 1],
        order_id=[1, 2, 3],
        held=np.array([True, False, False]),
    )
    np.testing.assert_array_equal(result.priority_position, [0, 1, 0])


def test_score_ties_break_on_date_then_id():
    """Same score: earlier contract first; same date too: smaller id first."""
    result = rank_orders(
        order_line=[0, 0, 0, 0],
        score=[5.0, 5.0, 5.0, 9.0],
        contract_date=[3, 1, 1, 9],
        order_id=[1, 8, 4, 2],
    )
    np.testing.assert_array_equal(result.priority_order, [3, 2, 1, 0])
    np.testing.assert_array_equal(result.fcfs_order, [2, 1, 0, 3])


def test_datetime64_contract_dates_are_accepted():
    dates = np.array(["2024-05-01", "2023-01-15", "2024-05-01"], dtype="datetime64[D]")
    result = rank_orders([0, 0, 0], [1.0, 1.0, 1.0], dates, [3, 2, 1])
    np.testing.assert_array_equal(result.fcfs_order, [1, 2, 0])
    ns = dates.astype("datetime64[ns]")
    result_ns = rank_orders([0, 0, 0], [1.0] * 3, ns, [3, 2, 1])
    np.testing.assert_array_equal(result_ns.fcfs_order, [1, 2, 0])


@pytest.mark.parametrize(
    "oid_scale",
    [1, 2**40],  # 2**40 spreads ids over too many bits to pack: exercises the lexsort fallback
)
def test_matches_lexsort_reference(oid_scale):
    rng = np.random.default_rng(3)
    n = 2_000
    line = rng.integers(0, 7, n)
    score = rng.integers(0, 5, n).astype(float)  # many ties
    date = rng.integers(-50, 50, n)  # negative ordinals are fine
    oid = (rng.permutation(n).astype(np.int64) - 1000) * oid_scale
    held = rng.random(n) < 0.2
    result = rank_orders(line, score, date, oid, held)
    np.testing.assert_array_equal(result.fcfs_order, _lexsort_fcfs(line, date, oid))
    np.testing.assert_array_equal(
        result.priority_order, _lexsort_priority(line, score, date, oid, held)
    )


def test_uint64_ids_near_the_top_of_the_range():
    oid = np.array([2**64 - 1, 2**63, 5], dtype=np.uint64)
    result = rank_orders([0, 0, 0], [1.0] * 3, [0, 0, 0], oid)
    np.testing.assert_array_equal(result.fcfs_order, [2, 1, 0])


def test_duplicate_ids_keep_input_order():
    result = rank_orders([0, 0, 0], [1.0] * 3, [0, 0, 0], [7, 7, 7])
    np.testing.assert_array_equal(result.fcfs_order, [0, 1, 2])
    np.testing.assert_array_equal(result.priority_order, [0, 1, 2])


def test_empty_book():
    none = np.array([], dtype=int)
    result = rank_orders(none, [], none, none)
    assert result.fcfs_position.size == 0
    assert result.priority_order.size == 0


def test_n_lines_allows_empty_lines():
    result = rank_orders([2, 2], [1.0, 2.0], [0, 1], [1, 2], n_lines=4)
    np.testing.assert_array_equal(result.priority_position, [1, 0])


def test_result_arrays_are_read_only():
    result = rank_orders([0, 0], [1.0, 2.0], [0, 1], [1, 2])
    with pytest.raises(ValueError, match="read-only"):
        result.fcfs_position[0] = 5


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"score": [1.0]}, "same length"),
        ({"held": np.array([True])}, "same length"),
        ({"order_line": [0, -1]}, "≥ 0"),
        ({"order_line": [0.0, 1.0]}, "order_line must be an integer array"),
        ({"order_line": [[0, 1]]}, "1-D"),
        ({"score": [1.0, np.nan]}, "finite"),
        ({"score": [1.0, np.inf]}, "finite"),
        ({"score": ["a", "b"]}, "score must be a 1-D array of numbers"),
        ({"contract_date": [1.5, 2.0]}, "contract_date must be an integer array"),
        (
            {"contract_date": np.array(["2024-01-01", "NaT"], dtype="datetime64[D]")},
            "NaT",
        ),
        ({"order_id": ["x", "y"]}, "order_id must be an integer array"),
        ({"held": [0, 1]}, "held must be a 1-D boolean array"),
        ({"n_lines": 1}, "not a known production line"),
        ({"n_lines": 0}, "n_lines must be a positive integer"),
    ],
)
def test_validation_errors(kwargs, message):
    args = {
        "order_line": [0, 1],
        "score": [1.0, 2.0],
        "contract_date": [1, 2],
        "order_id": [1, 2],
    }
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        rank_orders(**args)
