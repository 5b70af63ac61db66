"""Property-based tests (Hypothesis) for scoring.queue and scoring.schedule on small books."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.queue import rank_orders
from scoring.schedule import (
    NO_DELIVERY,
    compare_policies,
    deliveries_by_quarter,
    line_deliveries_by_quarter,
    schedule,
)

SETTINGS = settings(max_examples=120, deadline=None)


@st.composite
def books(draw, *, max_orders=14, integer_capacity=True, min_capacity=0):
    """A small order book: lines, partners, orders and a quarterly capacity matrix."""
    n_lines = draw(st.integers(1, 3))
    horizon = draw(st.integers(1, 10))
    n_partners = draw(st.integers(1, 4))
    n = draw(st.integers(0, max_orders))
    if integer_capacity:
        cells = st.integers(min_capacity, 12).map(float)
    else:
        cells = st.floats(float(min_capacity), 12.0, allow_nan=False, allow_subnormal=False)
    capacity = np.array(
        draw(st.lists(st.lists(cells, min_size=horizon, max_size=horizon), min_size=n_lines,
                      max_size=n_lines)),
        dtype=float,
    )
    ints = lambda lo, hi: st.lists(st.integers(lo, hi), min_size=n, max_size=n)  # noqa: E731
    partner_score = np.array(draw(st.lists(st.integers(0, 3), min_size=n_partners,
                                           max_size=n_partners)), dtype=float)
    partner = np.array(draw(ints(0, n_partners - 1)), dtype=np.int64)
    return {
        "order_line": np.array(draw(ints(0, n_lines - 1)), dtype=np.int64),
        "units": np.array(draw(ints(0, 25)), dtype=float),
        "partner": partner,
        "partner_score": partner_score,
        "score": partner_score[partner],
        "contract_date": np.array(draw(ints(0, 5)), dtype=np.int64),
        "order_id": np.array(draw(st.permutations(range(100, 100 + n))), dtype=np.int64),
        "held": np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool),
        "capacity": capacity,
    }


def _simulate(order_line, units, sequence, capacity):
    """Reference: fill each line's orders in sequence order, quarter by quarter (Python loops)."""
    n_lines, horizon = capacity.shape
    first = np.full(len(units), NO_DELIVERY)
    last = np.full(len(units), NO_DELIVERY)
    quarter = [0] * n_lines
    left = [capacity[line, 0] for line in range(n_lines)]
    for i in sequence:
        line, need = order_line[i], units[i]
        if need == 0:
            continue
        started = None
        while need > 0:
            while quarter[line] < horizon and left[line] == 0:
                quarter[line] += 1
                left[line] = capacity[line, quarter[line]] if quarter[line] < horizon else 0
            if quarter[line] >= horizon:
                break
            take = min(need, left[line])
            need -= take
            left[line] -= take
            started = quarter[line] if started is None else started
        first[i] = horizon if started is None else started
        last[i] = quarter[line] if need == 0 else horizon
    return first, last


@SETTINGS
@given(books(), st.randoms(use_true_random=False))
def test_schedule_matches_quarter_by_quarter_simulation(book, rnd):
    sequence = list(range(len(book["units"])))
    rnd.shuffle(sequence)  # any permutation, lines interleaved
    result = schedule(book["order_line"], book["units"], sequence, book["capacity"])
    first, last = _simulate(book["order_line"], book["units"], sequence, book["capacity"])
    np.testing.assert_array_equal(result.first_quarter, first)
    np.testing.assert_array_equal(result.last_quarter, last)
    np.testing.assert_array_equal(result.beyond_horizon, last >= book["capacity"].shape[1])


@SETTINGS
@given(books(integer_capacity=False))
def test_no_quarter_delivers_more_than_capacity(book):
    queue = rank_orders(book["order_line"], book["score"], book["contract_date"], book["order_id"],
                        book["held"])
    delivered = deliveries_by_quarter(book["order_line"], book["units"], queue.priority_order,
                                      book["capacity"])
    per_line = np.zeros_like(book["capacity"])
    np.add.at(per_line, book["order_line"], delivered)
    assert (delivered >= -1e-9).all()
    assert (per_line <= book["capacity"] + 1e-6).all()
    # A busy line is work-conserving: per-line output does not depend on the queue order.
    np.testing.assert_allclose(
        per_line, line_deliveries_by_quarter(book["order_line"], book["units"], book["capacity"]),
        atol=1e-6,
    )


@SETTINGS
@given(books(integer_capacity=False))
def test_deliveries_agree_with_schedule(book):
    queue = rank_orders(book["order_line"], book["score"], book["contract_date"], book["order_id"])
    args = (book["order_line"], book["units"], queue.fcfs_order, book["capacity"])
    delivered = deliveries_by_quarter(*args)
    result = schedule(*args)
    quarters = np.arange(book["capacity"].shape[1])
    for i in range(len(book["units"])):
        active = np.flatnonzero(delivered[i] > 0)
        if result.first_quarter[i] == NO_DELIVERY:
            assert active.size == 0
            continue
        within = (quarters >= result.first_quarter[i]) & (quarters <= result.last_quarter[i])
        assert not (delivered[i] > 0)[~within].any()
        if active.size:
            assert active[0] == result.first_quarter[i]
            if not result.beyond_horizon[i]:
                assert active[-1] == result.last_quarter[i]
        if result.beyond_horizon[i]:
            assert delivered[i].sum() < book["units"][i] + 1e-6
        else:
            np.testing.assert_allclose(delivered[i].sum(), book["units"][i], atol=1e-6)


@SETTINGS
@given(books(min_capacity=1))
def test_every_unit_is_delivered_exactly_once_when_the_horizon_suffices(book):
    # Capacity ≥ 1 per quarter; extend the horizon with 1-unit quarters until it covers the book.
    extra = int(book["units"].sum()) + 1
    capacity = np.hstack([book["capacity"], np.ones((book["capacity"].shape[0], extra))])
    queue = rank_orders(book["order_line"], book["score"], book["contract_date"], book["order_id"],
                        book["held"])
    for sequence in (queue.fcfs_order, queue.priority_order):
        delivered = deliveries_by_quarter(book["order_line"], book["units"], sequence, capacity)
        np.testing.assert_allclose(delivered.sum(axis=1), book["units"], atol=1e-9)
        result = schedule(book["order_line"], book["units"], sequence, capacity)
        assert not result.beyond_horizon.any()


@SETTINGS
@given(books())
def test_equal_scores_and_no_holds_give_identical_queues_and_schedules(book):
    n = len(book["units"])
    result = compare_policies(book["order_line"], book["units"], np.full(n, 50.0),
                              book["contract_date"], book["order_id"], book["capacity"],
                              held=np.zeros(n, dtype=bool))
    np.testing.assert_array_equal(result.priority_order, result.fcfs_order)
    np.testing.assert_array_equal(result.priority_position, result.fcfs_position)
    np.testing.assert_array_equal(result.priority_first_quarter, result.fcfs_first_quarter)
    np.testing.assert_array_equal(result.priority_last_quarter, result.fcfs_last_quarter)
    assert not result.delay_quarters.any()
    assert not result.position_change.any()


@SETTINGS
@given(books(), st.data())
def test_raising_a_partners_score_never_delays_its_own_orders(book, data):
    n_partners = book["partner_score"].size
    favoured = data.draw(st.integers(0, n_partners - 1), label="favoured partner")
    raise_by = data.draw(st.floats(0.1, 10.0), label="raise")
    raised = book["partner_score"].copy()
    raised[favoured] += raise_by
    common = (book["order_line"], book["units"])
    tail = (book["contract_date"], book["order_id"], book["capacity"], book["held"])
    before = compare_policies(*common, book["score"], *tail)
    after = compare_policies(*common, raised[book["partner"]], *tail)
    own = book["partner"] == favoured
    assert (after.priority_last_quarter[own] <= before.priority_last_quarter[own]).all()
    assert (after.priority_first_quarter[own] <= before.priority_first_quarter[own]).all()
    assert (after.priority_position[own] <= before.priority_position[own]).all()
    # FCFS ignores scores.
    np.testing.assert_array_equal(after.fcfs_last_quarter, before.fcfs_last_quarter)


@SETTINGS
@given(books(max_orders=30), st.booleans())
def test_positions_are_a_permutation_within_each_line(book, huge_ids):
    order_id = book["order_id"] * (2**45 if huge_ids else 1)  # huge ids: lexsort fallback path
    queue = rank_orders(book["order_line"], book["score"], book["contract_date"], order_id,
                        book["held"])
    line = book["order_line"]
    for position, order in (
        (queue.fcfs_position, queue.fcfs_order),
        (queue.priority_position, queue.priority_order),
    ):
        for current in np.unique(line):
            on_line = line == current
            np.testing.assert_array_equal(np.sort(position[on_line]), np.arange(on_line.sum()))
        assert np.array_equal(np.sort(order), np.arange(len(line)))
        assert (np.diff(line[order]) >= 0).all()  # permutations are grouped by line
    np.testing.assert_array_equal(
        queue.fcfs_order, np.lexsort((order_id, book["contract_date"], line))
    )
    np.testing.assert_array_equal(
        queue.priority_order,
        np.lexsort((order_id, book["contract_date"], -book["score"], book["held"], line)),
    )
    np.testing.assert_array_equal(
        queue.position_change, queue.fcfs_position - queue.priority_position
    )
