"""The quarter-by-quarter allocation against an independent, unit-by-unit simulator."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.allocation import allocate
from scoring.queue import rank_orders
from scoring.schedule import schedule


def simulate(line, units, arrival, order, capacity, fence, fence_order, blocked, mode="sequence",
             group=None, shares=None, weight=None):
    """Reference: every quarter, every line, hand out capacity in whole steps of 1/1000 unit by
    plain Python loops, following the rules in the module docstring literally."""
    n_lines, horizon = capacity.shape
    step = 1000  # work in thousandths (inputs below are multiples of 0.001)
    rem = [int(round(u * step)) for u in units]
    given = [[0] * horizon for _ in units]
    for q in range(horizon):
        for l in range(n_lines):
            cap = int(round(capacity[l, q] * step))
            in_fence = q < fence[l]
            seq = [i for i in (fence_order if in_fence else order) if line[i] == l]
            waiting = [i for i in seq if arrival[i] <= q and not blocked[i] and rem[i] > 0]
            if in_fence or mode == "sequence":
                for i in waiting:
                    take = min(cap, rem[i]); rem[i] -= take; given[i][q] += take; cap -= take
            elif mode == "groups":
                carry = 0
                total = cap
                allotted = 0
                for g, share in enumerate(shares):
                    quota = int(np.floor(total * share)) if g < len(shares) - 1 else total - allotted
                    allotted += quota
                    avail = quota + carry
                    for i in [i for i in waiting if group[i] == g]:
                        take = min(avail, rem[i]); rem[i] -= take; given[i][q] += take; avail -= take
                    carry = avail
                for g in range(len(shares)):  # leftover goes back to groups still waiting, in tier order
                    for i in [i for i in waiting if group[i] == g]:
                        take = min(carry, rem[i]); rem[i] -= take; given[i][q] += take; carry -= take
    return rem, given


def to_first_last(given, units, horizon):
    first, last = [], []
    for i, row in enumerate(given):
        if units[i] == 0:
            first.append(-1); last.append(-1); continue
        qs = [q for q, v in enumerate(row) if v > 0]
        first.append(qs[0] if qs else horizon)
        total = 0
        done = horizon
        for q, v in enumerate(row):
            total += v
            if total >= round(units[i] * 1000) and v > 0:
                done = q
                break
        last.append(done)
    return first, last


@st.composite
def books(draw):
    n_lines = draw(st.integers(1, 3))
    n = draw(st.integers(1, 12))
    horizon = draw(st.integers(2, 10))
    line = np.array(draw(st.lists(st.integers(0, n_lines - 1), min_size=n, max_size=n)))
    units = np.array(draw(st.lists(st.integers(0, 40), min_size=n, max_size=n)), dtype=float) / 4
    arrival = np.array(draw(st.lists(st.integers(0, horizon), min_size=n, max_size=n)))
    capacity = np.array(draw(st.lists(st.lists(st.integers(0, 12), min_size=horizon, max_size=horizon),
                                       min_size=n_lines, max_size=n_lines)), dtype=float) / 2
    score = np.array(draw(st.lists(st.integers(0, 5), min_size=n, max_size=n)), dtype=float)
    date = np.array(draw(st.lists(st.integers(0, 30), min_size=n, max_size=n)))
    fence = np.array(draw(st.lists(st.integers(0, horizon), min_size=n_lines, max_size=n_lines)))
    blocked = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    group = np.array(draw(st.lists(st.integers(0, 2), min_size=n, max_size=n)))
    return line, units, arrival, capacity, score, date, fence, blocked, group


@settings(max_examples=200, deadline=None)
@given(books(), st.sampled_from(["sequence", "groups"]))
def test_allocation_equals_the_unit_by_unit_simulator(book, mode) -> None:
    line, units, arrival, capacity, score, date, fence, blocked, group = book
    n_lines = capacity.shape[0]
    queue = rank_orders(line, score, date, np.arange(len(line)), n_lines=n_lines)
    order = queue.fcfs_order if mode == "groups" else queue.priority_order
    shares = np.array([0.5, 0.3, 0.2])
    result = allocate(line, units, arrival, order, capacity, fence=fence, fence_sequence=queue.fcfs_order,
                      blocked=blocked, mode=mode, group=group, group_share=shares, keep_per_quarter=True)
    rem, given = simulate(line, units, arrival, list(order), capacity, fence, list(queue.fcfs_order), blocked,
                          mode, group, list(shares))
    horizon = capacity.shape[1]
    first, last = to_first_last(given, units, horizon)
    assert result.first_quarter.tolist() == first
    assert result.last_quarter.tolist() == last
    per_q = result.per_quarter
    assert np.allclose(per_q * 1000, np.array(given, dtype=float).reshape(per_q.shape))
    # Invariants: nothing before arrival, no quarter above capacity, nothing to a suspended order,
    # every unit delivered at most once, all of it unless the horizon ends first.
    for i in range(len(line)):
        assert per_q[i, : min(arrival[i], horizon)].sum() == 0
        if blocked[i]:
            assert per_q[i].sum() == 0
    for l in range(n_lines):
        assert (per_q[line == l].sum(axis=0) <= capacity[l] + 1e-9).all()
    assert (result.delivered <= units + 1e-9).all()
    done = ~result.beyond_horizon & (units > 0)
    assert np.allclose(result.delivered[done], units[done])


@settings(max_examples=100, deadline=None)
@given(books())
def test_fenced_production_is_the_same_under_every_policy(book) -> None:
    line, units, arrival, capacity, score, date, fence, blocked, group = book
    queue = rank_orders(line, score, date, np.arange(len(line)), n_lines=capacity.shape[0])
    runs = [
        allocate(line, units, arrival, seq, capacity, fence=fence, fence_sequence=queue.fcfs_order,
                 mode=mode, group=group, group_share=[0.5, 0.3, 0.2], keep_per_quarter=True)
        for seq, mode in ((queue.fcfs_order, "sequence"), (queue.priority_order, "sequence"), (queue.fcfs_order, "groups"))
    ]
    for l, f in enumerate(fence):
        on_line = line == l
        for other in runs[1:]:
            assert np.allclose(other.per_quarter[on_line, :f], runs[0].per_quarter[on_line, :f])


@settings(max_examples=100, deadline=None)
@given(books())
def test_no_fence_no_arrivals_strict_order_equals_the_cumulative_engine(book) -> None:
    line, units, _, capacity, score, date, _, _, _ = book
    queue = rank_orders(line, score, date, np.arange(len(line)), n_lines=capacity.shape[0])
    for seq in (queue.fcfs_order, queue.priority_order):
        new = allocate(line, units, np.zeros(len(line), dtype=int), seq, capacity)
        old = schedule(line, units, seq, capacity)
        assert new.first_quarter.tolist() == old.first_quarter.tolist()
        assert new.last_quarter.tolist() == old.last_quarter.tolist()


def test_fair_share_splits_by_weight_then_serves_the_rest_in_order() -> None:
    # One line, 10 units a quarter, three orders of 12 units with weights 3:1:1 → quarter 0 gives
    # 6, 2, 2; quarter 1 gives 6, 2, 2 (A done: 12); quarter 2: B and C split 10 by 1:1 → 5 each.
    result = allocate([0, 0, 0], [12, 12, 12], [0, 0, 0], [0, 1, 2], [[10, 10, 10, 10]], mode="fair",
                      weight=[3, 1, 1], keep_per_quarter=True)
    assert result.per_quarter.tolist() == [[6, 6, 0, 0], [2, 2, 5, 3], [2, 2, 5, 3]]
    assert result.last_quarter.tolist() == [1, 3, 3]


def test_a_batch_of_draws_equals_one_draw_at_a_time() -> None:
    rng = np.random.default_rng(3)
    line = rng.integers(0, 2, 30)
    units = rng.integers(0, 20, 30).astype(float)
    arrival = rng.integers(0, 6, 30)
    capacity = rng.integers(0, 15, (2, 12)).astype(float)
    seqs = [rank_orders(line, rng.random(30), np.arange(30), np.arange(30), n_lines=2).priority_order for _ in range(5)]
    fcfs = rank_orders(line, np.zeros(30), np.arange(30), np.arange(30), n_lines=2).fcfs_order
    batch = allocate(line, units, arrival, np.stack(seqs), capacity, fence=[2, 0], fence_sequence=fcfs)
    for k, seq in enumerate(seqs):
        one = allocate(line, units, arrival, seq, capacity, fence=[2, 0], fence_sequence=fcfs)
        assert batch.last_quarter[k].tolist() == one.last_quarter.tolist()


@settings(max_examples=200, deadline=None)
@given(books())
def test_the_one_pass_fifo_path_equals_the_simulator(book) -> None:
    """Arrivals that never decrease along each line's queue (as signature + a per-line lead time
    gives under FCFS) take the one-pass path; it must agree with the unit-by-unit simulator."""
    line, units, arrival, capacity, score, date, _, _, _ = book
    assert_fifo_path_matches_the_simulator(line, units, arrival, capacity, date)


def assert_fifo_path_matches_the_simulator(line, units, arrival, capacity, date) -> None:
    """Give each line's orders non-decreasing arrivals in FCFS order, check that the one-pass path
    applies, and compare it with the simulator (quarters, per-quarter units, units delivered)."""
    from scoring.allocation import _fifo_applies

    n_lines, horizon = capacity.shape
    queue = rank_orders(line, np.zeros(len(line)), date, np.arange(len(line)), n_lines=n_lines)
    order = queue.fcfs_order
    monotone = np.empty_like(arrival)
    for l in range(n_lines):
        members = [i for i in order if line[i] == l]
        monotone[members] = np.sort(arrival[members])
    assert _fifo_applies(line, monotone, order, order, np.zeros(n_lines, dtype=int))
    result = allocate(line, units, monotone, order, capacity, keep_per_quarter=True)
    _, given_ = simulate(line, units, monotone, list(order), capacity, np.zeros(n_lines, dtype=int), list(order),
                         np.zeros(len(line), dtype=bool))
    first, last = to_first_last(given_, units, horizon)
    assert result.first_quarter.tolist() == first and result.last_quarter.tolist() == last
    assert result.beyond_horizon.tolist() == [q >= horizon for q in last]
    assert np.allclose(result.per_quarter * 1000, np.array(given_, dtype=float).reshape(result.per_quarter.shape))
    assert np.allclose(result.delivered, result.per_quarter.sum(axis=1))
