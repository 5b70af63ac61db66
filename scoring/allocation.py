"""Delivery dates a planner would believe: quarter-by-quarter allocation with arrivals, time
fences, real holds and allocation policies.

Why not one cumulative sum
--------------------------
``scoring.schedule`` finds every completion quarter with one cumulative sum, which is exact only
when every order is in the backlog at the start: an order placed later would be served from
capacity that went unused before it arrived, i.e. production that nobody ordered would be banked.
Here capacity is allocated quarter by quarter: what a line does not use in a quarter is lost.

The model (quarter ``t = 0 .. horizon-1`` from the as-of quarter)
-----------------------------------------------------------------
- **Arrival**: an order competes from its arrival quarter (signature + the line's contract-to-
  first-delivery lead time, computed by the caller) and never receives a unit before it.
- **Time fence**: a line's production inside its fence (``fence[l]`` quarters from the as-of
  quarter) is committed: in those quarters the line serves its orders in ``fence_sequence``
  (first-come-first-served) under every policy, so units already scheduled keep their slots; the
  policy re-sequences only production beyond the fence. ``fence = 0`` is no fence.
- **Holds**: a ``blocked`` order receives nothing (suspended); a delayed hold is an arrival moved
  later by the caller.
- **Policies** beyond the fence:
  - ``'sequence'``: strict order of ``sequence`` (FCFS or strict priority).
  - ``'groups'`` (tier shares): each quarter's capacity is split across groups (tiers 1, 2, 3,
    then the rest) by ``group_share``; within a group orders are served in ``sequence`` order;
    capacity a group does not use flows down to the next; what is left after the last group goes
    to any order still waiting, in ``sequence`` order (no capacity idles while an order waits).
  - ``'fair'`` (score-weighted fair share): each quarter a line's capacity is split across its
    waiting orders in proportion to ``weight``, capped at what each still needs; the remainder is
    served in ``sequence`` order.
- Units and capacities are int64 fixed point (``RESOLUTION`` per unit), so no round-off moves a
  delivery across a quarter boundary.

Implementation: one loop over quarters (≤ a few hundred); each step is a handful of vectorised
operations over all orders of all lines (and all draws of a batch, the leading axis), with line
segments located once. Lines must be contiguous in every sequence (as the queue permutations of
``scoring.queue`` are: line first).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["MODES", "RESOLUTION", "AllocationResult", "allocate"]

RESOLUTION = 1_000_000
MODES = ("sequence", "groups", "fair")
NO_DELIVERY = -1


@dataclass(frozen=True, eq=False)
class AllocationResult:
    """Per draw (rows) and order (columns, input order): first and last delivery quarter (the
    horizon as a sentinel when not reached; ``NO_DELIVERY`` for an order with nothing to deliver),
    beyond-horizon flags, units delivered within the horizon, and optionally the units delivered
    per quarter (``per_quarter``, shape (n_orders, horizon), only for a single draw)."""

    first_quarter: npt.NDArray[np.int64]
    last_quarter: npt.NDArray[np.int64]
    beyond_horizon: npt.NDArray[np.bool_]
    delivered: npt.NDArray[np.float64]
    horizon_quarters: int
    per_quarter: npt.NDArray[np.float64] | None = None


def allocate(
    line: npt.ArrayLike,
    units: npt.ArrayLike,
    arrival: npt.ArrayLike,
    sequence: npt.ArrayLike,
    capacity: npt.ArrayLike,
    *,
    fence: npt.ArrayLike | None = None,
    fence_sequence: npt.ArrayLike | None = None,
    blocked: npt.ArrayLike | None = None,
    mode: str = "sequence",
    group: npt.ArrayLike | None = None,
    group_share: npt.ArrayLike | None = None,
    weight: npt.ArrayLike | None = None,
    keep_per_quarter: bool = False,
) -> AllocationResult:
    """Allocate every line's quarterly capacity to its orders (see the module docstring).

    Parameters
    ----------
    line, units
        Per order: line index (row of ``capacity``) and units to deliver (≥ 0).
    arrival
        Per order (or per draw and order): first quarter the order may receive units (≥ 0).
    sequence
        Queue order, a permutation of the orders with lines contiguous; shape (n,) or
        (n_draws, n) for a batch of draws.
    capacity
        Units per line (rows) and quarter (columns) available to these orders.
    fence, fence_sequence
        Per line: quarters from the start inside the committed fence (default 0); the order the
        fence serves, one for all draws (default the first draw's ``sequence``; same line layout).
    blocked
        Per order (or per draw and order): True = suspended, receives nothing.
    mode, group, group_share, weight
        The policy beyond the fence; ``group`` (0-based group per order, or per draw and order)
        and ``group_share`` (one share per group, summing to 1) for ``'groups'``; ``weight`` (> 0
        per order, or per draw and order) for ``'fair'``.
    keep_per_quarter
        Also return the units delivered per order and quarter (single draw only).

    Raises
    ------
    ValueError
        Shapes that do not match, a line index with no capacity row, negative or non-finite
        units, capacities or arrivals, a sequence that is not a line-contiguous permutation, an
        unknown mode or missing policy inputs.
    """
    line_a = np.asarray(line, dtype=np.int64)
    n = line_a.size
    cap = np.asarray(capacity, dtype=float)
    if cap.ndim != 2:
        raise ValueError("capacity must be a (lines, quarters) array")
    n_lines, horizon = cap.shape
    if n and (line_a.min() < 0 or line_a.max() >= n_lines):
        raise ValueError("an order's line has no capacity row")
    units_a = np.asarray(units, dtype=float)
    if units_a.shape != (n,) or not (np.isfinite(units_a).all() and (units_a >= 0).all()):
        raise ValueError("units must be one finite number ≥ 0 per order")
    if not (np.isfinite(cap).all() and (cap >= 0).all()):
        raise ValueError("capacities must be finite and ≥ 0")
    seq = np.atleast_2d(np.asarray(sequence, dtype=np.int64))
    draws = seq.shape[0]
    if seq.shape[1] != n or not (np.sort(seq, axis=1) == np.arange(n)).all():
        raise ValueError("sequence must be a permutation of the orders (per draw)")
    pos_line = line_a[seq[0]]
    if n and not ((line_a[seq] == pos_line).all() and (np.diff(pos_line) >= 0).all()):
        raise ValueError("sequences must keep each line's orders contiguous, lines in order")
    arr = np.broadcast_to(np.asarray(arrival, dtype=np.int64), (draws, n))
    if (arr < 0).any():
        raise ValueError("arrival quarters must be ≥ 0")
    fence_a = np.zeros(n_lines, dtype=np.int64) if fence is None else np.asarray(fence, dtype=np.int64)
    if fence_a.shape != (n_lines,) or (fence_a < 0).any():
        raise ValueError("fence must be one whole number of quarters ≥ 0 per line")
    fseq = seq[0] if fence_sequence is None else np.asarray(fence_sequence, dtype=np.int64)
    if fseq.shape != (n,) or (n and not (line_a[fseq] == pos_line).all()):
        raise ValueError("fence_sequence must have the same line layout as sequence")
    block = np.zeros((draws, n), dtype=bool) if blocked is None else np.broadcast_to(np.asarray(blocked, dtype=bool), (draws, n))
    if mode not in MODES:
        raise ValueError(f"Unknown allocation mode {mode!r}; use one of {MODES}")
    if mode == "groups":
        if group is None or group_share is None:
            raise ValueError("tier shares need a group per order and a share per group")
        shares = np.asarray(group_share, dtype=float)
        if (shares < 0).any() or not np.isclose(shares.sum(), 1.0):
            raise ValueError("group shares must be ≥ 0 and sum to 1")
        grp = np.broadcast_to(np.asarray(group, dtype=np.int64), (draws, n))
        if n and (grp.min() < 0 or grp.max() >= shares.size):
            raise ValueError("an order's group has no share")
    if mode == "fair":
        if weight is None:
            raise ValueError("fair share needs a weight per order")
        wts = np.broadcast_to(np.asarray(weight, dtype=float), (draws, n))
        if not (np.isfinite(wts).all() and (wts > 0).all()):
            raise ValueError("fair-share weights must be finite and > 0")
    if keep_per_quarter and draws != 1:
        raise ValueError("per-quarter deliveries are kept for a single draw only")

    counts = np.bincount(pos_line, minlength=n_lines)
    ends = np.cumsum(counts)
    starts = ends - counts
    cap_fp = np.floor(cap * RESOLUTION + 0.5).astype(np.int64)
    need = np.floor(units_a * RESOLUTION + 0.5).astype(np.int64)
    rows = np.arange(draws)[:, None]
    # Everything below runs in the positions of the policy sequence (per draw) and of the fence.
    rem = np.broadcast_to(need, (draws, n)).copy()
    first = np.full((draws, n), horizon, dtype=np.int64)
    last = np.full((draws, n), horizon, dtype=np.int64)
    per_q = np.zeros((n, horizon), dtype=np.int64) if keep_per_quarter else None
    arr_p, block_p = np.take_along_axis(arr, seq, 1), np.take_along_axis(block, seq, 1)
    arr_f, block_f = arr[:, fseq], block[:, fseq]
    grp_p = np.take_along_axis(grp, seq, 1) if mode == "groups" else None
    wts_p = np.take_along_axis(wts, seq, 1) if mode == "fair" else None
    last_fence = int(fence_a.max()) if n_lines else 0
    for q in range(horizon):
        if not rem.any():
            break
        cap_q = cap_fp[:, q]
        inside = (fence_a > q)[pos_line]  # positions on lines still inside their fence
        give = np.zeros((draws, n), dtype=np.int64)
        if q < last_fence and inside.any():
            rem_f = rem[rows, fseq]
            d = np.where(inside & (arr_f <= q) & ~block_f, rem_f, 0)
            gf = _fill(d, cap_q, pos_line, starts, ends)
            give[:, fseq] += gf
        outside = ~inside
        if outside.any():
            rem_p = np.take_along_axis(rem, seq, 1)
            d = np.where(outside & (arr_p <= q) & ~block_p, rem_p, 0)
            if mode == "sequence":
                gp = _fill(d, cap_q, pos_line, starts, ends)
            elif mode == "groups":
                gp = _fill_groups(d, cap_q, pos_line, starts, ends, grp_p, shares)
            else:
                gp = _fill_fair(d, cap_q, pos_line, starts, ends, wts_p)
            scattered = np.zeros_like(give)
            np.put_along_axis(scattered, seq, gp, 1)
            give += scattered
        if not give.any():
            continue
        got = give > 0
        first = np.where(got & (first == horizon), q, first)
        rem -= give
        last = np.where(got & (rem == 0), q, last)
        if per_q is not None:
            per_q[:, q] = give[0]
    nothing = need == 0
    first[:, nothing] = NO_DELIVERY
    last[:, nothing] = NO_DELIVERY
    beyond = last >= horizon
    delivered = (need[None, :] - rem) / RESOLUTION
    squeeze = np.asarray(sequence).ndim == 1
    out = [first, last, beyond, delivered]
    if squeeze:
        out = [a[0] for a in out]
    for a in out:
        a.setflags(write=False)
    return AllocationResult(
        out[0], out[1], out[2], out[3], int(horizon), None if per_q is None else per_q / RESOLUTION
    )


def _fill(d: np.ndarray, cap_q: np.ndarray, pos_line: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Serve demand ``d`` (draws, positions) in position order against each line's capacity."""
    cs = np.cumsum(d, axis=1)
    base = np.where(starts > 0, cs[:, np.maximum(starts - 1, 0)], 0)  # (draws, lines)
    before = cs - d - base[:, pos_line]
    return np.clip(cap_q[pos_line][None, :] - before, 0, d)


def _line_sums(x: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    cs = np.concatenate((np.zeros((x.shape[0], 1), dtype=x.dtype), np.cumsum(x, axis=1)), axis=1)
    return cs[:, ends] - cs[:, starts]


def _fill_groups(
    d: np.ndarray, cap_q: np.ndarray, pos_line: np.ndarray, starts: np.ndarray, ends: np.ndarray,
    grp: np.ndarray, shares: np.ndarray,
) -> np.ndarray:
    """Tier shares: each group its share of the line's capacity (unused flows down), then the
    remainder to anyone still waiting, in position order."""
    draws = d.shape[0]
    total = np.broadcast_to(cap_q, (draws, cap_q.size)).astype(np.int64)
    give = np.zeros_like(d)
    carry = np.zeros_like(total)
    allotted = np.zeros_like(total)
    for g, share in enumerate(shares):
        quota = np.floor(total * share).astype(np.int64) if g < shares.size - 1 else total - allotted
        allotted = allotted + quota
        available = quota + carry
        dg = np.where(grp == g, d, 0)
        gg = _fill_rows(dg, available, pos_line, starts)
        give += gg
        carry = available - _line_sums(gg, starts, ends)
    rest = d - give
    if carry.any() and rest.any():
        give += _fill_rows(rest, carry, pos_line, starts)
    return give


def _fill_fair(
    d: np.ndarray, cap_q: np.ndarray, pos_line: np.ndarray, starts: np.ndarray, ends: np.ndarray, w: np.ndarray,
) -> np.ndarray:
    """Score-weighted fair share: capacity split by weight among waiting orders (capped at need),
    the remainder served in position order."""
    waiting = d > 0
    wsum = _line_sums(np.where(waiting, w, 0.0), starts, ends)  # (draws, lines)
    share = np.where(waiting, w / np.where(wsum > 0, wsum, 1.0)[:, pos_line], 0.0)
    first_pass = np.minimum(np.floor(share * cap_q[pos_line][None, :]).astype(np.int64), d)
    left = np.broadcast_to(cap_q, wsum.shape) - _line_sums(first_pass, starts, ends)
    rest = d - first_pass
    return first_pass + _fill_rows(rest, left, pos_line, starts)


def _fill_rows(d: np.ndarray, cap_rows: np.ndarray, pos_line: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """As ``_fill`` with a capacity per draw and line (draws, lines)."""
    cs = np.cumsum(d, axis=1)
    base = np.where(starts > 0, cs[:, np.maximum(starts - 1, 0)], 0)
    before = cs - d - base[:, pos_line]
    return np.clip(np.take_along_axis(cap_rows, np.broadcast_to(pos_line, d.shape), 1) - before, 0, d)
