"""The schedule kernel: one queue sequence against each line's cumulative capacity gives every
order's first and last delivery quarter (and, for small books, its deliveries per quarter)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from scoring.schedule.validation import _RESOLUTION, _validate_schedule

__all__ = ["NO_DELIVERY", "ScheduleResult", "deliveries_by_quarter", "line_deliveries_by_quarter", "schedule"]

NO_DELIVERY = -1
"""Quarter index given to orders with 0 units open (nothing to deliver)."""


_DEFAULT_MAX_CELLS = 5_000_000
"""Default cap on n_orders × horizon for the dense ``deliveries_by_quarter`` matrix."""


@dataclass(frozen=True, eq=False)
class ScheduleResult:
    """Delivery quarters of every order (input order), counted from the plan's start quarter.

    Attributes
    ----------
    first_quarter
        Quarter the order's first unit is built; ``horizon_quarters`` if it does not start
        within the horizon; ``NO_DELIVERY`` (-1) for an order with 0 units.
    last_quarter
        Quarter the order's last unit is built; ``horizon_quarters`` (sentinel) if it does not
        complete within the horizon; ``NO_DELIVERY`` for an order with 0 units.
    beyond_horizon
        True when the order does not complete within the horizon.
    horizon_quarters
        Number of quarters scheduled.
    per_quarter
        Units delivered per order and quarter, where the caller asked for them (small books).
    """

    first_quarter: npt.NDArray[np.int64]
    last_quarter: npt.NDArray[np.int64]
    beyond_horizon: npt.NDArray[np.bool_]
    horizon_quarters: int
    per_quarter: npt.NDArray[np.float64] | None = None  # (n_orders, horizon) units delivered, small books only


def schedule(
    order_line: npt.ArrayLike,
    units: npt.ArrayLike,
    sequence: npt.ArrayLike,
    capacity_per_quarter: npt.ArrayLike,
) -> ScheduleResult:
    """Deliver each line's orders in queue order against the line's quarterly capacity.

    Parameters
    ----------
    order_line
        Production-line index of each order (row of ``capacity_per_quarter``).
    units
        Units still to deliver per order (finite, ≥ 0; fractions allowed).
    sequence
        Queue order: a permutation of ``0 .. n_orders - 1`` such as ``QueueResult.fcfs_order``
        or ``priority_order``. Only the relative order of orders on the same line matters.
    capacity_per_quarter
        Units available per line (rows) and quarter (columns), e.g. from
        ``capacity_per_quarter(plan, investments)``.

    Returns
    -------
    ScheduleResult
        First and last delivery quarter and the beyond-horizon flag, per order.

    Raises
    ------
    ValueError
        Arrays of the wrong shape or length, non-integer line indices or sequence, a line index
        with no row in ``capacity_per_quarter``, negative or non-finite units or capacities,
        a sequence that is not a permutation, or totals too large for exact arithmetic.
    """
    line, units_fp, seq, cum_cap = _validate_schedule(
        order_line, units, capacity_per_quarter, sequence
    )
    return _schedule_kernel(line, units_fp, seq, cum_cap)


def deliveries_by_quarter(
    order_line: npt.ArrayLike,
    units: npt.ArrayLike,
    sequence: npt.ArrayLike,
    capacity_per_quarter: npt.ArrayLike,
    *,
    max_cells: int = _DEFAULT_MAX_CELLS,
) -> npt.NDArray[np.float64]:
    """Units delivered to every order in every quarter (dense), for burn-down charts.

    Delivered to order ``i`` through quarter ``t`` is ``clip(C[l, t] - before_i, 0, units_i)``
    (cumulative capacity minus the demand queued ahead, capped at the order's size); the
    per-quarter deliveries are its differences. Meant for real order books (tens of orders):
    the result has ``n_orders × horizon`` cells, so it refuses books larger than ``max_cells``;
    use ``schedule`` or ``line_deliveries_by_quarter`` for large books.

    Parameters
    ----------
    order_line, units, sequence, capacity_per_quarter
        As for ``schedule``.
    max_cells
        Largest ``n_orders × horizon`` allowed (default 5,000,000).

    Returns
    -------
    numpy.ndarray
        Float array ``(n_orders, horizon)`` in input order; row ``i`` sums to ``units[i]`` when
        the order completes within the horizon, and is non-zero only from ``first_quarter`` to
        ``last_quarter``.

    Raises
    ------
    ValueError
        Everything ``schedule`` rejects, and books larger than ``max_cells``.
    """
    line, units_fp, seq, cum_cap = _validate_schedule(
        order_line, units, capacity_per_quarter, sequence
    )
    cells = line.size * cum_cap.shape[1]
    if cells > max_cells:
        raise ValueError(
            f"deliveries_by_quarter would build {line.size:,} orders × {cum_cap.shape[1]} "
            f"quarters = {cells:,} cells (max_cells={max_cells:,}); it is meant for small order "
            "books: use schedule() or line_deliveries_by_quarter() instead"
        )
    g = _group_by_line(line, units_fp, seq, cum_cap.shape[0])
    before = np.empty(line.size, dtype=np.int64)
    before[g.sequence] = g.through - g.seq_units
    through = np.clip(cum_cap[line] - before[:, None], 0, units_fp[:, None])
    delivered = np.diff(through, axis=1, prepend=0)
    return delivered / _RESOLUTION


def line_deliveries_by_quarter(
    order_line: npt.ArrayLike, units: npt.ArrayLike, capacity_per_quarter: npt.ArrayLike
) -> npt.NDArray[np.float64]:
    """Units delivered per line and quarter (any queue order: a busy line delivers at capacity).

    Under the backlog assumption a line delivers its full capacity each quarter until its
    total open units are built, whatever the queue order, so this is cheap for any book size.
    The line's remaining backlog at the end of quarter ``t`` is its total open units minus the
    cumulative sum of row ``l`` through ``t``.

    Parameters
    ----------
    order_line, units, capacity_per_quarter
        As for ``schedule``.

    Returns
    -------
    numpy.ndarray
        Float array ``(n_lines, horizon)``.

    Raises
    ------
    ValueError
        Everything ``schedule`` rejects (except the sequence, which is not needed).
    """
    line, units_fp, _, cum_cap = _validate_schedule(order_line, units, capacity_per_quarter)
    total = np.zeros(cum_cap.shape[0], dtype=np.int64)
    np.add.at(total, line, units_fp)
    through = np.minimum(cum_cap, total[:, None])
    return np.diff(through, axis=1, prepend=0) / _RESOLUTION


@dataclass(frozen=True, eq=False)
class _Grouped:
    """The queue sequence regrouped by line, with cumulative demand (fixed point)."""

    sequence: npt.NDArray[np.intp]  # order indices, line 0's orders first, queue order kept
    seq_line: npt.NDArray[np.intp]  # line of each entry of ``sequence``
    seq_units: npt.NDArray[np.int64]  # units of each entry
    through: npt.NDArray[np.int64]  # demand on the line up to and including the entry
    line_total: npt.NDArray[np.int64]  # total demand per line


def _group_by_line(
    line: npt.NDArray[np.intp],
    units_fp: npt.NDArray[np.int64],
    sequence: npt.NDArray[np.intp],
    n_lines: int,
) -> _Grouped:
    seq_line = line[sequence]
    if seq_line.size > 1 and (seq_line[1:] < seq_line[:-1]).any():
        key = seq_line.astype(np.int16) if n_lines <= np.iinfo(np.int16).max else seq_line
        regroup = np.argsort(key, kind="stable")  # radix sort for 16-bit keys: O(n)
        sequence = sequence[regroup]
        seq_line = seq_line[regroup]
    seq_units = units_fp[sequence]
    cum = np.cumsum(seq_units)
    ends = np.cumsum(np.bincount(seq_line, minlength=n_lines))  # one past each line's block
    end_cum = np.where(ends > 0, cum[np.maximum(ends - 1, 0)], 0) if cum.size else ends * 0
    line_total = np.diff(end_cum, prepend=0)
    cum -= (end_cum - line_total)[seq_line]  # minus the units of all earlier lines
    return _Grouped(sequence, seq_line, seq_units, cum, line_total)


def _schedule_kernel(
    line: npt.NDArray[np.intp],
    units_fp: npt.NDArray[np.int64],
    sequence: npt.NDArray[np.intp],
    cum_cap: npt.NDArray[np.int64],
) -> ScheduleResult:
    g = _group_by_line(line, units_fp, sequence, cum_cap.shape[0])
    first_s, last_s = _search_quarters(cum_cap, g.line_total, g.seq_line, g.through, g.seq_units)
    n = line.size
    first = np.empty(n, dtype=np.int64)
    last = np.empty(n, dtype=np.int64)
    first[g.sequence] = first_s
    last[g.sequence] = last_s
    horizon = int(cum_cap.shape[1])
    beyond = last >= horizon
    for arr in (first, last, beyond):
        arr.setflags(write=False)
    return ScheduleResult(first, last, beyond, horizon)


def _search_quarters(
    cum_cap: npt.NDArray[np.int64],
    line_total: npt.NDArray[np.int64],
    seq_line: npt.NDArray[np.intp],
    through: npt.NDArray[np.int64],
    seq_units: npt.NDArray[np.int64],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """First and last delivery quarter of each queued entry: the capacity search, once for the single
    schedule and the batched draws (``through`` and ``seq_units`` are ``(n,)`` or ``(k, n)``, ``seq_line``
    the line of each of the ``n`` queue slots).

    An entry's first unit is built in the first quarter whose cumulative capacity exceeds the demand
    ahead of it (``through - seq_units``), its last in the first quarter whose cumulative capacity
    reaches ``through``; ``horizon`` when that never happens, ``NO_DELIVERY`` for an empty entry.
    Line ``l``'s cumulative capacity is shifted by an offset so that the concatenation is monotone and
    every value of line ``l`` (capacity or demand, both ≤ width[l] - 1) lies below line ``l+1``'s first
    value: one searchsorted then serves all lines and never lands in another line.
    """
    horizon = cum_cap.shape[1]
    width = np.maximum(cum_cap[:, -1], line_total) + 1
    offset = np.concatenate((np.zeros(1, dtype=np.int64), np.cumsum(width)[:-1]))
    flat = (cum_cap + offset[:, None]).ravel()
    shifted = through + offset[seq_line]
    row_start = seq_line * horizon
    first = np.searchsorted(flat, shifted - seq_units, side="right") - row_start
    last = np.searchsorted(flat, shifted, side="left") - row_start
    empty = seq_units == 0
    first[empty] = NO_DELIVERY
    last[empty] = NO_DELIVERY
    return first, last
