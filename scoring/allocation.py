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
    back to groups still waiting, in tier order (no capacity idles while an order waits).
  - ``'fair'`` (score-weighted fair share): each quarter a line's capacity is split across its
    waiting orders in proportion to ``weight``, capped at what each still needs; the remainder is
    served in ``sequence`` order.
- Units and capacities are int64 fixed point (``RESOLUTION`` per unit), so no round-off moves a
  delivery across a quarter boundary.

Implementation: the fenced quarters run first (first-come-first-served, capacity outside the
fences zeroed), then the policy's quarters (capacity inside the fences zeroed); lines are
independent, so this equals switching rule line by line at each fence. Each phase is one loop over
quarters; a step is one cumulative sum over the orders in queue position (per draw, the leading
axis), the capacity of each segment (a line, or a line's tier group) located once, and updates
only where units were given. Orders join at their arrival quarter (bucketed once). Fair share has
no such short cut and runs the plain loop. Lines must be contiguous in every sequence (as the
queue permutations of ``scoring.queue`` are: line first).
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

    if mode == "groups" and draws > 1:
        raise ValueError("tier shares are allocated for one draw at a time")
    cap_fp = np.floor(cap * RESOLUTION + 0.5).astype(np.int64)
    need = np.floor(units_a * RESOLUTION + 0.5).astype(np.int64)
    if mode == "fair":
        return _allocate_loop(
            line_a, need, arr, seq, cap_fp, fence_a, fseq, block, pos_line, wts, keep_per_quarter, sequence, horizon
        )
    if mode == "sequence" and draws == 1 and not block.any() and _fifo_applies(line_a, arr[0], seq[0], fseq, fence_a):
        return _fifo(line_a, need, arr[0], seq[0], cap_fp, keep_per_quarter, np.asarray(sequence).ndim == 1)
    state = _State(draws, n, need, horizon, keep_per_quarter)
    inside = np.arange(horizon)[None, :] < fence_a[:, None]  # (lines, quarters) inside the fence
    last_fence = int(fence_a.max()) if n_lines else 0
    if last_fence > 0:  # committed production: first-come-first-served on every fenced line
        fence_cap = np.where(inside, cap_fp, 0)
        order = np.broadcast_to(fseq, (draws, n))
        _run_phase(state, order, pos_line, n_lines, arr, block, 0, min(last_fence, horizon),
                   lambda q, totals: np.broadcast_to(fence_cap[:, q], totals.shape))
    policy_cap = np.where(inside, 0, cap_fp)
    first_q = int(fence_a.min()) if n_lines else 0
    if mode == "sequence":
        _run_phase(state, seq, pos_line, n_lines, arr, block, first_q, horizon,
                   lambda q, totals: np.broadcast_to(policy_cap[:, q], totals.shape))
    else:
        g = np.asarray(grp[0], dtype=np.int64)
        n_groups = shares.size
        order = seq[0][np.lexsort((np.arange(n), g[seq[0]], line_a[seq[0]]))]
        seg = line_a[order] * n_groups + g[order]
        _run_phase(state, order[None, :], seg, n_lines * n_groups, arr, block, first_q, horizon,
                   lambda q, totals: _group_capacity(policy_cap[:, q], totals, shares))
    return state.result(need, np.asarray(sequence).ndim == 1)


def _fifo_applies(line, arrival, seq, fseq, fence) -> bool:
    """The one-pass path is exact when each line serves its orders in one fixed order (no fence,
    or a fence serving the same order) and arrivals never decrease along that order."""
    if not (fence == 0).all() and not np.array_equal(seq, fseq):
        return False
    arr = arrival[seq]
    same_line = line[seq][1:] == line[seq][:-1]
    return bool((arr[1:] >= arr[:-1])[same_line].all())


def _fifo(line, need, arrival, seq, cap_fp, keep_per_quarter, squeeze) -> AllocationResult:
    """First-in-first-out with release times and unbanked capacity, in one pass (no quarter loop).

    In cumulative-capacity units ``C`` of the order's line, order ``k`` (in queue order) starts at
    ``S_k = max(F_{k-1}, C(r_k − 1))`` — after its predecessor and never before its arrival
    quarter ``r_k`` — and ends at ``F_k = S_k + u_k``; unrolled, ``F_k = D_k + max_{j≤k}(C(r_j − 1)
    − D_{j−1})`` with ``D`` the cumulative units: a segment-wise prefix maximum. Its first and last
    quarters are then found by one search of the concatenated cumulative capacities."""
    n_lines, horizon = cap_fp.shape
    n = line.size
    cum = np.cumsum(cap_fp, axis=1)
    s_line = line[seq]
    s_units = need[seq]
    s_arr = np.minimum(arrival[seq], horizon)
    before_arrival = np.where(s_arr > 0, cum[s_line, np.maximum(s_arr - 1, 0)], 0)
    counts = np.bincount(s_line, minlength=n_lines)
    ends = np.cumsum(counts)
    starts = ends - counts
    through = np.cumsum(s_units)
    # Units already queued on each line before its first order (none for an empty book).
    base = np.where(starts > 0, through[np.maximum(starts - 1, 0)], 0) if n else np.zeros(n_lines, dtype=s_units.dtype)
    d = through - base[s_line]  # cumulative units on the line, this order included
    lead = before_arrival - (d - s_units)
    span = int(max(np.abs(lead).max(initial=0), 1)) * 2 + 1
    shifted = np.maximum.accumulate(lead + s_line * span)  # segments kept apart by their offsets
    finish = d + (shifted - s_line * span)
    start = finish - s_units
    # Lines laid end to end, each shifted past every value of the line before, so one search serves all.
    top = cum[:, -1].copy()
    if n:
        np.maximum.at(top, s_line, finish)
    width = top + 1
    offset = np.concatenate(([0], np.cumsum(width)[:-1])).astype(np.int64)
    flat = (cum + offset[:, None]).ravel()
    row0 = s_line * horizon
    first_s = np.searchsorted(flat, start + offset[s_line], side="right") - row0
    last_s = np.searchsorted(flat, finish + offset[s_line], side="left") - row0
    first_s = np.minimum(first_s, horizon)
    last_s = np.minimum(last_s, horizon)
    empty = s_units == 0
    first_s[empty] = NO_DELIVERY
    last_s[empty] = NO_DELIVERY
    first = np.empty(n, dtype=np.int64)
    last = np.empty(n, dtype=np.int64)
    first[seq] = first_s
    last[seq] = last_s
    through_h = np.clip(cum[s_line, -1] - start, 0, s_units) if n else np.zeros(0, dtype=np.int64)
    got = np.empty(n, dtype=np.int64)
    got[seq] = through_h
    per_q = None
    if keep_per_quarter:
        upto = np.clip(cum[s_line] - start[:, None], 0, s_units[:, None])
        per_seq = np.diff(upto, axis=1, prepend=0)
        per_q = np.empty((n, horizon), dtype=np.float64)
        per_q[seq] = per_seq / RESOLUTION
    beyond = last >= horizon
    delivered = got / RESOLUTION
    out = [first, last, beyond, delivered] if squeeze else [a[None, :] for a in (first, last, beyond, delivered)]
    for a in out:
        a.setflags(write=False)
    return AllocationResult(out[0], out[1], out[2], out[3], int(horizon), per_q)


class _State:
    """Remaining units, first and last delivery quarter per draw and order (order space)."""

    def __init__(self, draws: int, n: int, need: np.ndarray, horizon: int, keep: bool) -> None:
        self.rem = np.broadcast_to(need, (draws, n)).copy()
        self.first = np.full((draws, n), horizon, dtype=np.int64)
        self.last = np.full((draws, n), horizon, dtype=np.int64)
        self.horizon = horizon
        self.per_q = np.zeros((n, horizon), dtype=np.int64) if keep else None

    def result(self, need: np.ndarray, squeeze: bool) -> AllocationResult:
        nothing = need == 0
        self.first[:, nothing] = NO_DELIVERY
        self.last[:, nothing] = NO_DELIVERY
        beyond = self.last >= self.horizon
        delivered = (need[None, :] - self.rem) / RESOLUTION
        out = [self.first, self.last, beyond, delivered]
        if squeeze:
            out = [a[0] for a in out]
        for a in out:
            a.setflags(write=False)
        per_q = None if self.per_q is None else self.per_q / RESOLUTION
        return AllocationResult(out[0], out[1], out[2], out[3], int(self.horizon), per_q)


COMPACT_EVERY = 4
"""Quarters between compactions of a single-draw phase (finished orders are dropped from the scan)."""
COMPACT_MIN_ORDERS = 50_000


def _run_phase(state: _State, order, seg, n_seg, arr, block, q0, q1, capacity_of) -> None:
    """Serve, quarter by quarter from ``q0`` to ``q1``, the orders in ``order`` (draws, positions;
    segments contiguous and in order) against ``capacity_of(q, demand per segment)`` (draws,
    segments). Orders join at their arrival quarter; blocked orders never do.

    The draws are laid end to end in one flat array (draw ``b``'s segment ``s`` becomes flat
    segment ``b * n_seg + s``), so one cumulative sum serves every draw. Finished orders leave the
    scan every ``COMPACT_EVERY`` quarters once enough of them have finished."""
    draws, n = order.shape
    if n == 0 or q0 >= q1:
        return
    rows = np.arange(draws)[:, None]
    flat_order = (order + rows * n).ravel()  # flat index into the (draws, n) state arrays
    rem = state.rem.ravel()[flat_order]
    arr_p = arr.ravel()[flat_order] if arr.flags.c_contiguous else np.ascontiguousarray(arr).ravel()[flat_order]
    eligible = ~np.ascontiguousarray(block).ravel()[flat_order] & (rem > 0)
    fseg = (np.broadcast_to(seg, (draws, n)) + rows * n_seg).ravel()
    keep = eligible & (arr_p < q1)  # positions that will never receive anything leave at once
    flat_order, fseg, rem, arr_p = flat_order[keep], fseg[keep], rem[keep], arr_p[keep]
    d = np.where(arr_p <= q0, rem, 0)
    ev = np.flatnonzero(arr_p > q0)
    ev = ev[np.argsort(arr_p[ev], kind="stable")]
    ev_q = arr_p[ev]
    next_event = 0
    active_units = int(d.sum())
    total_seg = draws * n_seg
    layout = _segments(fseg, total_seg)
    first, last = state.first.ravel(), state.last.ravel()
    for q in range(q0, q1):
        if next_event < ev_q.size and ev_q[next_event] == q:
            stop = int(np.searchsorted(ev_q, q, side="right"))
            p = ev[next_event:stop]
            d[p] = rem[p]
            active_units += int(rem[p].sum())
            next_event = stop
        if active_units == 0:
            if next_event >= ev_q.size:
                break
            continue
        counts, has_before, prev, last_pos = layout
        cs = np.cumsum(d)
        base = np.where(has_before, cs[prev], 0)
        totals = np.where(counts > 0, cs[last_pos] - base, 0)
        cap_s = np.asarray(capacity_of(q, totals.reshape(draws, n_seg)), dtype=np.int64).ravel()
        # give = clip(capacity − demand ahead on the segment, 0, own demand)
        give = (cap_s + base)[fseg]
        np.subtract(cs, d, out=cs)
        np.subtract(give, cs, out=give)
        np.maximum(give, 0, out=give)
        np.minimum(give, d, out=give)
        p = np.flatnonzero(give)
        if p.size:
            amount = give[p]
            d[p] -= amount
            rem[p] -= amount
            active_units -= int(amount.sum())
            idx = flat_order[p]
            first[idx] = np.minimum(first[idx], q)
            done = rem[p] == 0
            last[idx[done]] = q
            if state.per_q is not None:
                state.per_q[idx, q] += amount  # single draw: flat index = order index
        if (q - q0) % COMPACT_EVERY == COMPACT_EVERY - 1 and rem.size >= COMPACT_MIN_ORDERS:
            live = rem > 0
            if live.sum() < 0.9 * live.size:
                state.rem.ravel()[flat_order] = rem
                new_pos = np.cumsum(live) - 1
                ev = new_pos[ev]  # pending arrivals are live
                flat_order, fseg, rem, d = flat_order[live], fseg[live], rem[live], d[live]
                layout = _segments(fseg, total_seg)
    state.rem.ravel()[flat_order] = rem


def _segments(seg: np.ndarray, n_seg: int):
    counts = np.bincount(seg, minlength=n_seg)
    ends = np.cumsum(counts)
    starts = ends - counts
    return counts, starts > 0, np.maximum(starts - 1, 0), np.maximum(ends - 1, 0)


def _group_capacity(total: np.ndarray, demand: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """Capacity per (line, group) segment for one quarter: each group its share of the line's
    capacity, unused share flowing down; what the last group leaves goes back up to groups still
    waiting, in tier order. ``demand`` (draws, lines × groups)."""
    n_groups = shares.size
    draws = demand.shape[0]
    dem = demand.reshape(draws, -1, n_groups)
    tot = np.broadcast_to(total, dem.shape[:2]).astype(np.int64)
    used = np.zeros_like(dem)
    carry = np.zeros_like(tot)
    allotted = np.zeros_like(tot)
    for g in range(n_groups):
        quota = np.floor(tot * shares[g]).astype(np.int64) if g < n_groups - 1 else tot - allotted
        allotted = allotted + quota
        avail = quota + carry
        used[:, :, g] = np.minimum(avail, dem[:, :, g])
        carry = avail - used[:, :, g]
    for g in range(n_groups):
        extra = np.minimum(carry, dem[:, :, g] - used[:, :, g])
        used[:, :, g] += extra
        carry = carry - extra
    return used.reshape(draws, -1)


def _allocate_loop(line_a, need, arr, seq, cap_fp, fence_a, fseq, block, pos_line, wts, keep_per_quarter, sequence, horizon):
    """Score-weighted fair share: the plain quarter loop over every order (its split depends on
    every waiting order's weight, so there is no short cut)."""
    draws, n = seq.shape
    n_lines = cap_fp.shape[0]
    counts = np.bincount(pos_line, minlength=n_lines)
    ends = np.cumsum(counts)
    starts = ends - counts
    rows = np.arange(draws)[:, None]
    state = _State(draws, n, need, horizon, keep_per_quarter)
    rem = state.rem
    arr_p, block_p = np.take_along_axis(arr, seq, 1), np.take_along_axis(block, seq, 1)
    arr_f, block_f = arr[:, fseq], block[:, fseq]
    wts_p = np.take_along_axis(wts, seq, 1)
    last_fence = int(fence_a.max()) if n_lines else 0
    for q in range(horizon):
        if not rem.any():
            break
        cap_q = cap_fp[:, q]
        inside = (fence_a > q)[pos_line]
        give = np.zeros((draws, n), dtype=np.int64)
        if q < last_fence and inside.any():
            d = np.where(inside & (arr_f <= q) & ~block_f, rem[rows, fseq], 0)
            give[:, fseq] += _fill(d, cap_q, pos_line, starts, ends)
        outside = ~inside
        if outside.any():
            d = np.where(outside & (arr_p <= q) & ~block_p, np.take_along_axis(rem, seq, 1), 0)
            scattered = np.zeros_like(give)
            np.put_along_axis(scattered, seq, _fill_fair(d, cap_q, pos_line, starts, ends, wts_p), 1)
            give += scattered
        if not give.any():
            continue
        got = give > 0
        state.first = np.where(got & (state.first == horizon), q, state.first)
        rem -= give
        state.last = np.where(got & (rem == 0), q, state.last)
        if state.per_q is not None:
            state.per_q[:, q] = give[0]
    return state.result(need, np.asarray(sequence).ndim == 1)


def _fill(d: np.ndarray, cap_q: np.ndarray, pos_line: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Serve demand ``d`` (draws, positions) in position order against each line's capacity."""
    cs = np.cumsum(d, axis=1)
    base = np.where(starts > 0, cs[:, np.maximum(starts - 1, 0)], 0)  # (draws, lines)
    before = cs - d - base[:, pos_line]
    return np.clip(cap_q[pos_line][None, :] - before, 0, d)


def _line_sums(x: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    cs = np.concatenate((np.zeros((x.shape[0], 1), dtype=x.dtype), np.cumsum(x, axis=1)), axis=1)
    return cs[:, ends] - cs[:, starts]


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
