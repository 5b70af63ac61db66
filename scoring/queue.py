"""Order queues on each production line: the 2026 priority rule versus first-come-first-served.

The job
-------
Every open arms-sale order waits on one production line (PAC-3 MSE, THAAD interceptors, F-35…).
Before 2026 a line worked its orders **first-come-first-served** (FCFS): by contract date, then
order id. Under the 2026 "America First" rule a partner priority score (computed elsewhere in
``scoring``; higher = served first) reorders every line's queue, and the gates in
``scoring.gates`` can *hold* an order. This module turns per-order arrays into each order's
position in its line's queue under both rules, and how far the new rule moved it.

Queue keys (sorted ascending, the first column most significant)
-----------------------------------------------------------------
- FCFS:     ``(line, contract_date, order_id)``
- priority: ``(line, held, -score, contract_date, order_id)``

**Held orders.** An order held by a gate is not cancelled: under the priority rule it goes to the
*back* of its line's queue, after every cleared order on that line whatever their scores. Held
orders on the same line queue among themselves in ordinary priority order (score, then contract
date, then order id), so an order that clears a gate later slots back in by score. FCFS is the
pre-2026 baseline and has no gates: ``held`` does not affect it.

With all scores equal and nothing held the priority key reduces to the FCFS key, so the two queues
are identical (``position_change`` is all zero). Orders that tie on every key column keep their
input order (every sort here is stable), so results are deterministic even with duplicate ids.

Implementation
--------------
``rank_orders`` validates its input once and raises ``ValueError`` saying what to fix; the kernels
below it trust their input. A five-key ``np.lexsort`` of a million orders takes ~0.5 s on the
target machine (two cores), too slow for an interactive dashboard, so the kernels compute exactly
the same permutations another way:

- FCFS: line, contract date (offset from the earliest), order id (offset from the smallest) and
  the row index are packed into one ``uint64`` when their bit widths fit in 64 bits (30 lines,
  40 years of dates and ids spanning up to ~2^24 with a million rows do). Sorting the packed
  *values* (a SIMD sort) and reading the row index back from the low bits gives the stable
  lexicographic order in ~60 ms. When the widths do not fit the kernel falls back to
  ``np.lexsort``.
- Priority: a stable argsort of ``-score`` over the FCFS-sorted rows (ties keep FCFS order, i.e.
  contract date then id), then a stable radix argsort on ``2 * line + held``.

The unit tests check both paths against ``np.lexsort`` on the full keys.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["QueueResult", "rank_orders"]


@dataclass(frozen=True, eq=False)
class QueueResult:
    """Each order's place in its line's queue under FCFS and under the priority rule.

    All arrays have one entry per order, in input order, except the two permutations. Arrays are
    read-only.

    Attributes
    ----------
    fcfs_position
        0-based position within the order's line under FCFS (0 = served first).
    priority_position
        0-based position within the order's line under the priority rule.
    position_change
        ``fcfs_position - priority_position``: positive = moved up the queue (served earlier
        under the priority rule), negative = moved down.
    fcfs_order
        Permutation of order indices sorted by the FCFS key ``(line, contract_date, order_id)``;
        orders of line 0 come first, then line 1, and so on.
    priority_order
        Permutation sorted by the priority key ``(line, held, -score, contract_date, order_id)``.
    """

    fcfs_position: npt.NDArray[np.int64]
    priority_position: npt.NDArray[np.int64]
    position_change: npt.NDArray[np.int64]
    fcfs_order: npt.NDArray[np.intp]
    priority_order: npt.NDArray[np.intp]


# --------------------------------------------------------------------------------------------
# Validating boundary
# --------------------------------------------------------------------------------------------


def rank_orders(
    order_line: npt.ArrayLike,
    score: npt.ArrayLike,
    contract_date: npt.ArrayLike,
    order_id: npt.ArrayLike,
    held: npt.ArrayLike | None = None,
    *,
    n_lines: int | None = None,
) -> QueueResult:
    """Queue positions of every order under FCFS and under the priority rule.

    Parameters
    ----------
    order_line
        Production-line index of each order, integers in ``0 .. n_lines - 1``.
    score
        Priority score of each order's partner (finite; higher = served first).
    contract_date
        Contract date of each order: an integer ordinal (e.g. days since 1970-01-01) or a
        ``datetime64`` array (converted to days). Earlier = served first under FCFS and among
        equal scores.
    order_id
        Integer order id, the final tie-break (smaller first).
    held
        Boolean per order, True when a gate holds the order (it goes to the back of its line's
        priority queue). ``None`` = nothing held.
    n_lines
        Number of production lines; when given, every ``order_line`` must be below it. Default:
        the largest line index + 1.

    Returns
    -------
    QueueResult
        Positions, position changes and both permutations.

    Raises
    ------
    ValueError
        Arrays that are not 1-D or differ in length; a non-integer ``order_line``,
        ``contract_date`` or ``order_id``; a line index that is negative or not below
        ``n_lines``; a non-finite score; a missing (NaT) contract date; a ``held`` array that is
        not boolean.
    """
    line, score_arr, date, oid, held_arr, lines = _validate(
        order_line, score, contract_date, order_id, held, n_lines
    )
    return _rank_kernel(line, score_arr, date, oid, held_arr, lines)


def _validate(
    order_line: npt.ArrayLike,
    score: npt.ArrayLike,
    contract_date: npt.ArrayLike,
    order_id: npt.ArrayLike,
    held: npt.ArrayLike | None,
    n_lines: int | None,
) -> tuple[
    npt.NDArray[np.intp],
    npt.NDArray[np.float64],
    npt.NDArray[np.integer],
    npt.NDArray[np.integer],
    npt.NDArray[np.bool_] | None,
    int,
]:
    line = _int_vector("order_line", order_line)
    n = line.size
    score_arr = np.asarray(score)
    if score_arr.ndim != 1 or score_arr.dtype.kind not in "iuf":
        raise ValueError(
            f"score must be a 1-D array of numbers (got ndim={score_arr.ndim}, "
            f"dtype={score_arr.dtype})"
        )
    score_arr = score_arr.astype(np.float64, copy=False)
    date_raw = np.asarray(contract_date)
    if date_raw.ndim == 1 and date_raw.dtype.kind == "M":
        if np.isnat(date_raw).any():
            raise ValueError("contract_date has missing dates (NaT); every open order needs one")
        date = date_raw.astype("datetime64[D]").astype(np.int64)
    else:
        date = _int_vector("contract_date", date_raw, hint="days since 1970-01-01 or datetime64")
    oid = _int_vector("order_id", order_id)
    held_arr: npt.NDArray[np.bool_] | None = None
    if held is not None:
        held_arr = np.asarray(held)
        if held_arr.ndim != 1 or held_arr.dtype != np.bool_:
            raise ValueError(
                f"held must be a 1-D boolean array (got ndim={held_arr.ndim}, "
                f"dtype={held_arr.dtype}); pass None when no gate is applied"
            )
    lengths = {
        "order_line": n,
        "score": score_arr.size,
        "contract_date": date.size,
        "order_id": oid.size,
    }
    if held_arr is not None:
        lengths["held"] = held_arr.size
    if len(set(lengths.values())) != 1:
        raise ValueError(f"Per-order arrays must have the same length; got {lengths}")
    if not np.isfinite(score_arr).all():
        raise ValueError("score must be finite for every order (no NaN or infinity)")
    if n_lines is not None:
        if isinstance(n_lines, bool) or not isinstance(n_lines, int | np.integer) or n_lines < 1:
            raise ValueError(f"n_lines must be a positive integer (got {n_lines!r})")
        n_lines = int(n_lines)
    if n:
        lo, hi = int(line.min()), int(line.max())
        if lo < 0:
            raise ValueError(f"order_line must be a line index ≥ 0 (found {lo})")
        if n_lines is not None and hi >= n_lines:
            raise ValueError(
                f"order_line {hi} is not a known production line: indices must be below "
                f"n_lines={n_lines}"
            )
        lines = n_lines if n_lines is not None else hi + 1
    else:
        lines = n_lines if n_lines is not None else 0
    return line.astype(np.intp, copy=False), score_arr, date, oid, held_arr, lines


def _int_vector(name: str, values: npt.ArrayLike, hint: str = "") -> npt.NDArray[np.integer]:
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise ValueError(
            f"{name} must be a 1-D array with one value per order (got ndim={arr.ndim})"
        )
    if arr.size == 0:
        return arr.astype(np.int64)
    if arr.dtype.kind not in "iu":
        extra = f" ({hint})" if hint else ""
        raise ValueError(
            f"{name} must be an integer array{extra}, got dtype {arr.dtype}; drop rows with "
            f"missing values and cast with .astype(int)"
        )
    return arr


# --------------------------------------------------------------------------------------------
# Kernels (trust their input)
# --------------------------------------------------------------------------------------------


def _rank_kernel(
    line: npt.NDArray[np.intp],
    score: npt.NDArray[np.float64],
    date: npt.NDArray[np.integer],
    oid: npt.NDArray[np.integer],
    held: npt.NDArray[np.bool_] | None,
    n_lines: int,
) -> QueueResult:
    n = line.size
    fcfs = _fcfs_order(line, date, oid)
    prio = _priority_order(fcfs, line, score, held, n_lines)
    # Both permutations list line 0's orders first, then line 1's…, so the position of the k-th
    # sorted row within its line is the same for both: k minus the start of its line's block.
    counts = np.bincount(line, minlength=n_lines)
    starts = np.cumsum(counts) - counts
    within = np.arange(n, dtype=np.int64) - np.repeat(starts, counts)
    fcfs_pos = np.empty(n, dtype=np.int64)
    fcfs_pos[fcfs] = within
    prio_pos = np.empty(n, dtype=np.int64)
    prio_pos[prio] = within
    change = fcfs_pos - prio_pos
    for arr in (fcfs_pos, prio_pos, change, fcfs, prio):
        arr.setflags(write=False)
    return QueueResult(fcfs_pos, prio_pos, change, fcfs, prio)


def _span(values: npt.NDArray[np.integer]) -> tuple[int, int]:
    """Smallest value and the bit width of ``max - min`` (Python ints: no overflow)."""
    lo = int(values.min())
    return lo, (int(values.max()) - lo).bit_length()


def _fcfs_order(
    line: npt.NDArray[np.intp], date: npt.NDArray[np.integer], oid: npt.NDArray[np.integer]
) -> npt.NDArray[np.intp]:
    """Stable order by (line, date, oid)."""
    n = line.size
    if n == 0:
        return np.empty(0, dtype=np.intp)
    date_lo, date_bits = _span(date)
    oid_lo, oid_bits = _span(oid)
    line_bits = int(line.max()).bit_length()
    row_bits = (n - 1).bit_length()
    if line_bits + date_bits + oid_bits + row_bits > 64:
        return np.lexsort((oid, date, line)).astype(np.intp, copy=False)
    # Packed key: | line | date - min | id - min | row index |, most significant first. The
    # row index makes every key unique, so an unstable value sort yields the stable order.
    packed = np.arange(n, dtype=np.uint64)
    part = np.empty(n, dtype=np.uint64)
    fields = (
        (oid, oid_lo, row_bits),
        (date, date_lo, row_bits + oid_bits),
        (line, 0, row_bits + oid_bits + date_bits),
    )
    for values, lo, shift in fields:
        np.copyto(part, values, casting="unsafe")
        # Two's-complement wrap-around: (v - lo) mod 2**64 is the true difference, < 2**bits.
        part -= np.uint64(lo % 2**64)
        part <<= np.uint64(shift)
        packed |= part
    packed.sort()
    packed &= np.uint64((1 << row_bits) - 1)  # row indices < 2**63: reinterpret, no copy
    return packed.view(np.intp)


def _priority_order(
    fcfs: npt.NDArray[np.intp],
    line: npt.NDArray[np.intp],
    score: npt.NDArray[np.float64],
    held: npt.NDArray[np.bool_] | None,
    n_lines: int,
) -> npt.NDArray[np.intp]:
    """Stable order by (line, held, -score, date, oid), given the FCFS order."""
    return priority_orders(fcfs, line, score[None, :], held, n_lines)[0]


def fcfs_order(
    line: npt.NDArray[np.intp], date: npt.NDArray[np.integer], oid: npt.NDArray[np.integer]
) -> npt.NDArray[np.intp]:
    """The FCFS queue of validated inputs: stable order by (line, contract date, order id)."""
    return _fcfs_order(line, date, oid)


def priority_orders(
    fcfs: npt.NDArray[np.intp],
    line: npt.NDArray[np.intp],
    scores: npt.NDArray[np.float64],
    held: npt.NDArray[np.bool_] | None,
    n_lines: int,
) -> npt.NDArray[np.intp]:
    """The priority rule's queue for every row of ``scores`` ``(k, n)``: stable order by (line, held,
    -score, date, oid), given the FCFS order (the tie-break). The one priority-order rule, used by the
    single queue (k = 1) and the Monte Carlo draws alike; trusts its (validated) input."""
    k = scores.shape[0]
    if fcfs.size == 0:
        return np.empty((k, 0), dtype=np.intp)
    neg_score = scores[:, fcfs]  # a new array
    np.negative(neg_score, out=neg_score)
    by_score = fcfs[np.argsort(neg_score, axis=1, kind="stable")]
    group_dtype = np.int16 if 2 * n_lines < np.iinfo(np.int16).max else np.int64
    group = line[by_score].astype(group_dtype)
    if held is not None:
        group *= 2
        group += held[by_score]
    # Stable argsort of a 16-bit key is a radix sort: O(n).
    return np.take_along_axis(by_score, np.argsort(group, axis=1, kind="stable"), axis=1)
