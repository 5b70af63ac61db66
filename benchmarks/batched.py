"""PROTOTYPE (benchmark only): priority queue + schedule for many score draws at once.

``scoring.schedule.compare_policies`` queues and schedules one score vector per call, so a Monte
Carlo over 10,000 weight draws that also wants delivery dates calls it 10,000 times (validation,
FCFS queue and FCFS schedule included every time). This module does the same arithmetic for all
draws in one pass, for a small order book (the embedded book has tens of orders):

- the FCFS order does not depend on scores: computed once, exactly as ``scoring.queue`` does;
- per draw, a stable argsort of ``-score`` over the FCFS-sorted rows, then a stable argsort on
  ``2 * line + held`` — the engine's two-pass priority order, along axis 1 of a
  ``(n_draws, n_orders)`` array;
- every draw's queue lists the lines in the same blocks (same orders per line), so the demand
  ahead of each order is one ``cumsum`` along axis 1 minus the line block's start, and one
  ``np.searchsorted`` over the engine's offset-concatenated cumulative capacities finds every
  first/last quarter of every draw.

It is here to measure what a batched kernel in ``scoring.schedule`` would buy (P3 "with the
schedule"); ``benchmarks.engine_cases`` checks that it returns exactly what the per-draw
``compare_policies`` loop returns.
"""

from __future__ import annotations

import numpy as np

from scoring.schedule import NO_DELIVERY

RESOLUTION = 1_000_000


def fcfs_order(line: np.ndarray, date: np.ndarray, oid: np.ndarray) -> np.ndarray:
    """Stable FCFS order (line, contract date, order id) — the engine's key."""
    return np.lexsort((oid, date, line))


def priority_schedule_batch(
    line: np.ndarray,
    units: np.ndarray,
    order_scores: np.ndarray,
    date: np.ndarray,
    oid: np.ndarray,
    capacity: np.ndarray,
    held: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Priority positions and first/last delivery quarters for every draw.

    Parameters
    ----------
    line, units, date, oid, held
        Per-order arrays (length n), as for ``compare_policies``.
    order_scores
        ``(n_draws, n)`` score of each order's partner in each draw.
    capacity
        ``(n_lines, horizon)`` units per quarter.

    Returns
    -------
    dict
        ``priority_order`` (n_draws, n) permutations and ``priority_position``,
        ``priority_first_quarter``, ``priority_last_quarter`` (n_draws, n) in input order.
    """
    k, n = order_scores.shape
    n_lines, horizon = capacity.shape
    cum_cap = np.rint(np.cumsum(capacity, axis=1) * RESOLUTION).astype(np.int64)
    units_fp = np.rint(np.asarray(units, dtype=float) * RESOLUTION).astype(np.int64)
    fcfs = fcfs_order(line, date, oid)
    by_score = fcfs[np.argsort(-order_scores[:, fcfs], axis=1, kind="stable")]
    group = line[by_score] * 2
    if held is not None:
        group = group + held[by_score]
    order = np.take_along_axis(by_score, np.argsort(group, axis=1, kind="stable"), axis=1)

    seq_line = line[order[0]]  # identical in every row: the lines' blocks do not move
    counts = np.bincount(line, minlength=n_lines)
    starts = np.cumsum(counts) - counts
    seq_units = units_fp[order]
    cum = np.cumsum(seq_units, axis=1)
    block_start = np.concatenate((np.zeros((k, 1), dtype=np.int64), cum[:, :-1]), axis=1)[:, starts]
    through = cum - block_start[:, seq_line]
    line_total = np.bincount(line, weights=units_fp, minlength=n_lines).astype(np.int64)
    width = np.maximum(cum_cap[:, -1], line_total) + 1
    offset = np.concatenate((np.zeros(1, dtype=np.int64), np.cumsum(width)[:-1]))
    flat = (cum_cap + offset[:, None]).ravel()
    shifted = through + offset[seq_line]
    first_s = np.searchsorted(flat, shifted - seq_units, side="right") - seq_line * horizon
    last_s = np.searchsorted(flat, shifted, side="left") - seq_line * horizon
    empty = seq_units == 0
    first_s[empty] = NO_DELIVERY
    last_s[empty] = NO_DELIVERY
    within = np.arange(n) - starts[seq_line]
    rows = np.arange(k)[:, None]
    first = np.empty((k, n), dtype=np.int64)
    last = np.empty((k, n), dtype=np.int64)
    position = np.empty((k, n), dtype=np.int64)
    first[rows, order] = first_s
    last[rows, order] = last_s
    position[rows, order] = within
    return {
        "priority_order": order,
        "priority_position": position,
        "priority_first_quarter": first,
        "priority_last_quarter": last,
    }
