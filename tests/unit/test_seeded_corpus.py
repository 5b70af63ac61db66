"""A fixed corpus of seeded random books run through the kernels and compared with the independent
simulators of the property tests.

The hypothesis tests explore new books on every run; this corpus is the same on every run and does
not shrink when hypothesis is capped (the mutation runs cap it at a few examples). Every case is an
exact comparison with a plain-Python reference: the unit-by-unit allocation simulator, the
quarter-by-quarter schedule simulator, and the single-draw engines for the batched draws.
"""

from __future__ import annotations

import numpy as np
import pytest

from scoring.allocation import allocate
from scoring.delivery import DeliveryRules, plan_deliveries, priority_draws
from scoring.queue import rank_orders
from scoring.schedule import compare_policies, deliveries_by_quarter, priority_schedules, schedule
from tests.unit.test_allocation_properties import assert_fifo_path_matches_the_simulator, simulate, to_first_last
from tests.unit.test_schedule_properties import _simulate

SEEDS = range(24)


def book(seed: int):
    """A small book like the property tests': up to 3 lines, 12 orders, 10 quarters, quarter units."""
    rng = np.random.default_rng(seed)
    n_lines, n, horizon = int(rng.integers(1, 4)), int(rng.integers(1, 13)), int(rng.integers(2, 11))
    return dict(
        line=rng.integers(0, n_lines, n),
        units=rng.integers(0, 41, n).astype(float) / 4,
        arrival=rng.integers(0, horizon + 1, n),
        capacity=rng.integers(0, 13, (n_lines, horizon)).astype(float) / 2,
        score=rng.integers(0, 6, n).astype(float),
        date=rng.integers(0, 31, n),
        fence=rng.integers(0, horizon + 1, n_lines),
        blocked=rng.random(n) < 0.25,
        group=rng.integers(0, 3, n),
    )


@pytest.mark.parametrize("mode", ["sequence", "groups"])
@pytest.mark.parametrize("seed", SEEDS)
def test_allocation_equals_the_simulator_on_the_corpus(seed: int, mode: str) -> None:
    b = book(seed)
    line, units, arrival, capacity = b["line"], b["units"], b["arrival"], b["capacity"]
    queue = rank_orders(line, b["score"], b["date"], np.arange(len(line)), n_lines=capacity.shape[0])
    order = queue.fcfs_order if mode == "groups" else queue.priority_order
    shares = [0.5, 0.3, 0.2]
    result = allocate(line, units, arrival, order, capacity, fence=b["fence"], fence_sequence=queue.fcfs_order,
                      blocked=b["blocked"], mode=mode, group=b["group"], group_share=shares, keep_per_quarter=True)
    _, given = simulate(line, units, arrival, list(order), capacity, b["fence"], list(queue.fcfs_order), b["blocked"],
                        mode, b["group"], shares)
    first, last = to_first_last(given, units, capacity.shape[1])
    assert result.first_quarter.tolist() == first
    assert result.last_quarter.tolist() == last
    assert result.beyond_horizon.tolist() == [q >= capacity.shape[1] for q in last]
    assert np.allclose(result.per_quarter * 1000, np.array(given, dtype=float).reshape(result.per_quarter.shape))
    assert np.allclose(result.delivered * 1000, np.array(given, dtype=float).reshape(result.per_quarter.shape).sum(axis=1))
    assert not result.first_quarter.flags.writeable and not result.last_quarter.flags.writeable


@pytest.mark.parametrize("seed", SEEDS)
def test_the_one_pass_fifo_path_equals_the_simulator_on_the_corpus(seed: int) -> None:
    b = book(seed)
    assert_fifo_path_matches_the_simulator(b["line"], b["units"], b["arrival"], b["capacity"], b["date"])


@pytest.mark.parametrize("seed", SEEDS)
def test_the_schedule_kernel_equals_the_quarter_simulator_on_the_corpus(seed: int) -> None:
    """Whole units on whole-unit capacity, as the quarter-by-quarter simulator expects."""
    rng = np.random.default_rng(1000 + seed)
    b = book(seed)
    line, capacity = b["line"], np.floor(b["capacity"])
    units = rng.integers(0, 12, len(line)).astype(float)
    sequence = rng.permutation(len(line))
    got = schedule(line, units, sequence, capacity)
    first, last = _simulate(line, units, sequence, capacity)
    assert got.first_quarter.tolist() == first.tolist() and got.last_quarter.tolist() == last.tolist()
    assert got.beyond_horizon.tolist() == (last >= capacity.shape[1]).tolist()
    per_q = deliveries_by_quarter(line, units, sequence, capacity)
    assert np.allclose(per_q.sum(axis=1), np.where(got.beyond_horizon, per_q.sum(axis=1), units))
    for ln in range(capacity.shape[0]):
        assert (per_q[line == ln].sum(axis=0) <= capacity[ln] + 1e-9).all()


@pytest.mark.parametrize("seed", SEEDS)
def test_batched_priority_schedules_equal_one_draw_at_a_time_on_the_corpus(seed: int) -> None:
    b = book(seed)
    rng = np.random.default_rng(2000 + seed)
    line, units, capacity = b["line"], b["units"], b["capacity"]
    scores = rng.integers(0, 4, (3, len(line))).astype(float)
    oid = rng.permutation(len(line))
    draws = priority_schedules(line, units, scores, b["date"], oid, capacity, b["blocked"])
    for d in range(3):
        one = compare_policies(line, units, scores[d], b["date"], oid, capacity, b["blocked"])
        assert draws.priority_position[d].tolist() == one.priority_position.tolist()
        assert draws.priority_first_quarter[d].tolist() == one.priority_first_quarter.tolist()
        assert draws.priority_last_quarter[d].tolist() == one.priority_last_quarter.tolist()
        assert one.delay_quarters.tolist() == (one.priority_last_quarter - one.fcfs_last_quarter).tolist()


@pytest.mark.parametrize("hold_mode", ["suspend", "delay"])
@pytest.mark.parametrize("seed", SEEDS)
def test_priority_draws_equal_the_single_plan_on_the_corpus(seed: int, hold_mode: str) -> None:
    """The batched strict-priority draws (Monte Carlo, tornado) give, row by row, the completion
    quarters of a single strict-priority plan with the same arrivals, fence and holds."""
    b = book(seed)
    rng = np.random.default_rng(3000 + seed)
    n = len(b["line"])
    status = rng.choice(np.array(["signed", "delivering", "notified"]), n)
    lead = rng.integers(0, 25, n).astype(float)
    day = (b["date"] * 30 + 20_000).astype(np.int64)  # days since 1970: around 2024-2026
    rules = DeliveryRules(policy="priority", fence_quarters=int(rng.integers(0, 3)), include_notified=bool(seed % 2),
                          hold_mode=hold_mode, review_quarters=2)
    scores = rng.integers(0, 4, (3, n)).astype(float)
    oid = rng.permutation(n)
    last = priority_draws(b["line"], b["units"], scores, day, oid, status, lead, b["capacity"], (2026, 1), rules,
                          held=b["blocked"])
    for d in range(3):
        one = plan_deliveries(b["line"], b["units"], scores[d], day, oid, status, lead, b["capacity"], (2026, 1), rules,
                              held=b["blocked"])
        assert last[d].tolist() == one.priority_last_quarter.tolist()


def simulate_fair(line, units, arrival, order, capacity, fence, fence_order, blocked, weight):
    """Reference for score-weighted fair share, in the kernel's fixed point (1e-6 unit), by plain loops:
    inside a line's fence its waiting orders are served first-come-first-served; beyond it each waiting
    order first gets floor(weight / sum of waiting weights × capacity), capped at its need, and what is
    left is served in ``order``. Returns the units given per order and quarter (fixed point)."""
    scale = 1_000_000
    n_lines, horizon = capacity.shape
    rem = [int(np.floor(u * scale + 0.5)) for u in units]
    given = [[0] * horizon for _ in units]
    for q in range(horizon):
        for ln in range(n_lines):
            cap = int(np.floor(capacity[ln, q] * scale + 0.5))
            inside = q < fence[ln]
            seq = [i for i in (fence_order if inside else order) if line[i] == ln]
            waiting = [i for i in seq if arrival[i] <= q and not blocked[i] and rem[i] > 0]
            if inside:
                for i in waiting:
                    take = min(cap, rem[i]); rem[i] -= take; given[i][q] += take; cap -= take
                continue
            total = float(sum(weight[i] for i in waiting))
            first = {i: min(int(np.floor(weight[i] / (total if total > 0 else 1.0) * cap)), rem[i]) for i in waiting}
            left = cap - sum(first.values())
            for i in waiting:
                take = first[i] + min(left, rem[i] - first[i])
                left -= take - first[i]
                rem[i] -= take; given[i][q] += take
    return given


@pytest.mark.parametrize("seed", SEEDS)
def test_fair_share_equals_its_simulator_on_the_corpus(seed: int) -> None:
    b = book(seed)
    line, units, arrival, capacity = b["line"], b["units"], b["arrival"], b["capacity"]
    n_lines, horizon = capacity.shape
    queue = rank_orders(line, b["score"], b["date"], np.arange(len(line)), n_lines=n_lines)
    weight = b["score"] + 1.0
    result = allocate(line, units, arrival, queue.priority_order, capacity, fence=b["fence"],
                      fence_sequence=queue.fcfs_order, blocked=b["blocked"], mode="fair", weight=weight,
                      keep_per_quarter=True)
    given = simulate_fair(line, units, arrival, list(queue.priority_order), capacity, b["fence"],
                          list(queue.fcfs_order), b["blocked"], weight)
    assert np.allclose(result.per_quarter * 1_000_000, np.array(given, dtype=float).reshape(result.per_quarter.shape))
    for i, row in enumerate(given):
        need = int(np.floor(units[i] * 1_000_000 + 0.5))
        if need == 0:
            assert result.first_quarter[i] == result.last_quarter[i] == -1
            continue
        got = [q for q, v in enumerate(row) if v > 0]
        done = [q for q in range(horizon) if sum(row[: q + 1]) >= need]
        assert result.first_quarter[i] == (got[0] if got else horizon)
        assert result.last_quarter[i] == (done[0] if done else horizon)
    batch = allocate(line, units, arrival, np.stack([queue.priority_order, queue.fcfs_order]), capacity, fence=b["fence"],
                     fence_sequence=queue.fcfs_order, blocked=b["blocked"], mode="fair", weight=weight)
    again = allocate(line, units, arrival, queue.fcfs_order, capacity, fence=b["fence"], fence_sequence=queue.fcfs_order,
                     blocked=b["blocked"], mode="fair", weight=weight)
    assert batch.last_quarter[0].tolist() == result.last_quarter.tolist()
    assert batch.last_quarter[1].tolist() == again.last_quarter.tolist()
