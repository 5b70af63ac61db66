"""The priority rule's schedule under many score vectors at once (Monte Carlo draws)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from scoring.queue import fcfs_order, priority_orders
from scoring.schedule.kernel import _search_quarters
from scoring.schedule.validation import _order_vector, _validate_schedule

__all__ = ["PriorityDraws", "priority_schedules"]


@dataclass(frozen=True, eq=False)
class PriorityDraws:
    """Priority-rule completion quarters of every order under many score vectors (Monte Carlo).

    Arrays are ``(n_draws, n_orders)`` in input order; quarters follow ``ScheduleResult``.
    """

    priority_position: npt.NDArray[np.int64]
    priority_first_quarter: npt.NDArray[np.int64]
    priority_last_quarter: npt.NDArray[np.int64]
    horizon_quarters: int


def priority_schedules(
    order_line: npt.ArrayLike,
    units: npt.ArrayLike,
    order_scores: npt.ArrayLike,
    contract_date: npt.ArrayLike,
    order_id: npt.ArrayLike,
    capacity_per_quarter: npt.ArrayLike,
    held: npt.ArrayLike | None = None,
) -> PriorityDraws:
    """Queue and schedule the priority rule for every row of ``order_scores`` in one pass.

    Same result, draw by draw, as ``compare_policies``' priority columns, without a Python loop
    over draws: the FCFS order (the tie-break) is computed once; each draw is a stable argsort of
    ``-score`` over it followed by a stable argsort on ``2·line + held`` (the engine's two-pass
    key) along axis 1. Every draw keeps the lines' blocks in the same place, so the demand ahead
    of each order is one cumulative sum along axis 1, and one ``searchsorted`` over the
    offset-concatenated cumulative capacities finds every first and last quarter. Meant for small
    books (the dense ``(n_draws, n_orders)`` arrays).

    Parameters
    ----------
    order_scores
        ``(n_draws, n_orders)``: the score of each order's partner in each draw (finite).
    order_line, units, contract_date, order_id, capacity_per_quarter, held
        As for ``compare_policies`` (contract dates as integer ordinals).

    Raises
    ------
    ValueError
        Everything ``compare_policies`` rejects, and a score array of the wrong shape or with
        non-finite values.
    """
    line, units_fp, _, cum_cap = _validate_schedule(order_line, units, capacity_per_quarter)
    n = line.size
    scores = np.asarray(order_scores, dtype=np.float64)
    if scores.ndim != 2 or scores.shape[1] != n:
        raise ValueError(f"order_scores must be (n_draws, {n}) — one score per draw and order (got {scores.shape})")
    if not np.isfinite(scores).all():
        raise ValueError("order_scores must be finite")
    date = _order_vector("contract_date", contract_date, integer=True)
    oid = _order_vector("order_id", order_id, integer=True)
    if date.size != n or oid.size != n:
        raise ValueError("contract_date and order_id must have one value per order")
    held_arr = None if held is None else np.asarray(held, dtype=bool)
    if held_arr is not None and held_arr.shape != (n,):
        raise ValueError("held must have one value per order")
    k = scores.shape[0]
    n_lines, horizon = cum_cap.shape
    if n == 0 or k == 0:
        empty_result = np.zeros((k, n), dtype=np.int64)
        return PriorityDraws(empty_result, empty_result.copy(), empty_result.copy(), horizon)
    order = priority_orders(fcfs_order(line, date, oid), line, scores, held_arr, n_lines)
    # Every draw keeps the lines' blocks in the same place (line 0's orders first, ...).
    seq_line = line[order[0]]
    counts = np.bincount(line, minlength=n_lines)
    starts = np.cumsum(counts) - counts
    seq_units = units_fp[order]
    cum = np.cumsum(seq_units, axis=1)
    # Demand queued before each line's block (lines without orders have no block: index clipped, unused).
    block_start = np.concatenate((np.zeros((k, 1), dtype=np.int64), cum[:, :-1]), axis=1)[:, np.minimum(starts, n - 1)]
    through = cum - block_start[:, seq_line]
    line_total = np.zeros(n_lines, dtype=np.int64)
    np.add.at(line_total, line, units_fp)
    first_s, last_s = _search_quarters(cum_cap, line_total, seq_line, through, seq_units)
    within = np.arange(n) - starts[seq_line]
    rows = np.arange(k)[:, None]
    first = np.empty((k, n), dtype=np.int64)
    last = np.empty((k, n), dtype=np.int64)
    position = np.empty((k, n), dtype=np.int64)
    first[rows, order] = first_s
    last[rows, order] = last_s
    position[rows, order] = np.broadcast_to(within, (k, n))
    return PriorityDraws(position, first, last, horizon)
