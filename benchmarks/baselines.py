"""What an analyst would otherwise use, run on the same inputs as the engine.

- :func:`naive_pipeline`: pandas scoring (column min-max, weighted sum), ``sort_values`` queues
  and a **per-order ``iterrows`` loop** that fills each line quarter by quarter, partial
  deliveries allowed — the straightforward spreadsheet-to-pandas translation of the schedule.
  Units and capacities are expressed once in the engine's fixed-point micro-units (the
  cumulative capacity rounded to 1e-6 of a unit, as ``scoring.schedule`` does) so that orders
  ending exactly on a quarter boundary compare equal; the loop itself is unchanged by this.
- :func:`pymcdm_scores`: pymcdm's Weighted Sum Model (``pymcdm.methods.WSM`` with min-max
  normalisation) called once per scenario with its default input validation, as an analyst
  would call it, on the same log-transformed 200 × 15 matrix.
- :func:`numpy_reference`: a plain numpy version (two ``np.lexsort`` queues, one cumulative sum
  and a ``np.searchsorted`` per line) — not a baseline to beat by a factor but the "plain numpy
  sort + cumulative sum" machine reference the issue quotes (~0.37 s for 1M orders).

:func:`compare_with_engine` checks that a baseline and ``scoring.schedule.compare_policies``
give identical queues (permutations and positions) and schedules (first/last quarters,
beyond-horizon flags, delay) on the same input.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scoring.criteria import Criterion
from scoring.schedule import NO_DELIVERY, PolicyComparison

RESOLUTION = 1_000_000  # the engine's fixed point (scoring.schedule._RESOLUTION)


# --------------------------------------------------------------------------------------------
# Naive pandas pipeline
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NaiveResult:
    """Per-order arrays in input order (like ``PolicyComparison``) plus the partner scores."""

    partner_score: np.ndarray
    fcfs_order: np.ndarray
    priority_order: np.ndarray
    fcfs_position: np.ndarray
    priority_position: np.ndarray
    fcfs_first_quarter: np.ndarray
    fcfs_last_quarter: np.ndarray
    priority_first_quarter: np.ndarray
    priority_last_quarter: np.ndarray
    delay_quarters: np.ndarray
    horizon_quarters: int


def naive_scores(raw: np.ndarray, partners: Sequence[str], criteria: Sequence[Criterion],
                 weights: Mapping[str, float]) -> pd.Series:
    """Partner scores (0–100) the pandas way: clip/log columns, min-max per column, weighted sum.

    Matches the engine's 'minmax' normalisation with the 'worst' missing rule on a complete
    matrix (the synthetic and pymcdm cases have no missing values; NaN counts as worst here too).
    """
    frame = pd.DataFrame(raw, index=list(partners), columns=[c.key for c in criteria])
    total = sum(weights.get(c.key, 0.0) for c in criteria)
    score = pd.Series(0.0, index=frame.index)
    for c in criteria:
        col = frame[c.key]
        bounds = getattr(c, "bounds", None)
        if bounds is not None:
            col = col.clip(*bounds)
        if c.transform == "log":
            col = np.log1p(col.clip(lower=0))
        spread = col.max() - col.min()
        norm = (col - col.min()) / spread if spread > 0 else pd.Series(0.5, index=col.index)
        if c.direction == "cost":
            norm = 1 - norm
        score += 100 * (weights.get(c.key, 0.0) / total) * norm.fillna(0.0)
    return score


def naive_pipeline(
    raw: np.ndarray,
    partners: Sequence[str],
    criteria: Sequence[Criterion],
    weights: Mapping[str, float],
    order_id: np.ndarray,
    partner_index: np.ndarray,
    line_index: np.ndarray,
    units: np.ndarray,
    contract_day: np.ndarray,
    held: np.ndarray,
    capacity: np.ndarray,
    scores: np.ndarray | None = None,
) -> NaiveResult:
    """Score partners, queue every line both ways and schedule each order in a Python loop.

    ``scores`` (one per partner) skips the pandas scoring and queues on exactly these scores —
    used to compare queues and schedules on identical input where partners tie on score.
    """
    if scores is None:
        scores = naive_scores(raw, partners, criteria, weights)
    else:
        scores = pd.Series(np.asarray(scores, dtype=float), index=list(partners))
    orders = pd.DataFrame(
        {
            "order_id": order_id,
            "partner": np.asarray(partners)[partner_index],
            "line": line_index,
            "units": units,
            "contract_day": contract_day,
            "held": held,
        }
    )
    orders["score"] = orders["partner"].map(scores)
    orders["row"] = np.arange(len(orders))
    fcfs = orders.sort_values(["line", "contract_day", "order_id", "row"])
    priority = orders.sort_values(
        ["line", "held", "score", "contract_day", "order_id", "row"],
        ascending=[True, True, False, True, True, True],
    )
    # The engine's fixed point: per-quarter capacity = differences of the rounded cumulative sum.
    cum = np.rint(np.cumsum(capacity, axis=1) * RESOLUTION).astype(np.int64)
    per_quarter = np.diff(cum, axis=1, prepend=0).tolist()
    horizon = capacity.shape[1]
    f_pos, f_first, f_last = _naive_schedule(fcfs, per_quarter, horizon)
    p_pos, p_first, p_last = _naive_schedule(priority, per_quarter, horizon)
    return NaiveResult(
        partner_score=scores.to_numpy(),
        fcfs_order=fcfs["row"].to_numpy(),
        priority_order=priority["row"].to_numpy(),
        fcfs_position=f_pos,
        priority_position=p_pos,
        fcfs_first_quarter=f_first,
        fcfs_last_quarter=f_last,
        priority_first_quarter=p_first,
        priority_last_quarter=p_last,
        delay_quarters=p_last - f_last,
        horizon_quarters=horizon,
    )


def _naive_schedule(queue: pd.DataFrame, per_quarter: list[list[int]], horizon: int):
    """Walk the queue order by order, filling each line's quarters in turn."""
    n = len(queue)
    position = np.empty(n, dtype=np.int64)
    first = np.empty(n, dtype=np.int64)
    last = np.empty(n, dtype=np.int64)
    served: dict[int, int] = {}  # orders already queued per line
    cursor: dict[int, tuple[int, int]] = {}  # line -> (current quarter, capacity left in it)
    for _, row in queue.iterrows():
        i = int(row["row"])
        line = int(row["line"])
        position[i] = served.get(line, 0)
        served[line] = position[i] + 1
        need = int(round(float(row["units"]) * RESOLUTION))
        if need == 0:
            first[i] = last[i] = NO_DELIVERY
            continue
        t, left = cursor.get(line, (0, per_quarter[line][0]))
        while left == 0 and t < horizon:  # skip quarters already used up (or with no output)
            t += 1
            left = per_quarter[line][t] if t < horizon else 0
        if t >= horizon:
            first[i] = last[i] = horizon
            cursor[line] = (t, left)
            continue
        first[i] = t
        while True:
            take = min(need, left)
            need -= take
            left -= take
            if need == 0:
                last[i] = t
                break
            t += 1
            if t >= horizon:
                last[i] = horizon
                break
            left = per_quarter[line][t]
        cursor[line] = (t, left)
    return position, first, last


# --------------------------------------------------------------------------------------------
# Plain numpy reference
# --------------------------------------------------------------------------------------------


def numpy_reference(
    score: np.ndarray,
    order_id: np.ndarray,
    line_index: np.ndarray,
    units: np.ndarray,
    contract_day: np.ndarray,
    held: np.ndarray,
    capacity: np.ndarray,
) -> dict[str, np.ndarray]:
    """Both queues by ``np.lexsort``; each schedule by one cumulative sum and ``searchsorted``."""
    n_lines, horizon = capacity.shape
    cum_cap = np.rint(np.cumsum(capacity, axis=1) * RESOLUTION).astype(np.int64)
    units_fp = np.rint(units * RESOLUTION).astype(np.int64)
    out: dict[str, np.ndarray] = {}
    keys = {
        "fcfs": (order_id, contract_day, line_index),
        "priority": (order_id, contract_day, -score, held, line_index),
    }
    for policy, key in keys.items():
        order = np.lexsort(key)
        seq_line = line_index[order]
        seq_units = units_fp[order]
        cum = np.cumsum(seq_units)
        starts = np.searchsorted(seq_line, np.arange(n_lines))
        line_start_cum = np.where(starts > 0, cum[np.maximum(starts - 1, 0)], 0)
        through = cum - line_start_cum[seq_line]
        before = through - seq_units
        first = np.empty(len(order), dtype=np.int64)
        last = np.empty(len(order), dtype=np.int64)
        for line in range(n_lines):
            lo, hi = starts[line], (starts[line + 1] if line + 1 < n_lines else len(order))
            first[lo:hi] = np.searchsorted(cum_cap[line], before[lo:hi], side="right")
            last[lo:hi] = np.searchsorted(cum_cap[line], through[lo:hi], side="left")
        empty = seq_units == 0
        first[empty] = NO_DELIVERY
        last[empty] = NO_DELIVERY
        position = np.arange(len(order)) - starts[seq_line]
        for name, values in (("first_quarter", first), ("last_quarter", last), ("position", position)):
            arr = np.empty(len(order), dtype=np.int64)
            arr[order] = values
            out[f"{policy}_{name}"] = arr
        out[f"{policy}_order"] = order
    out["delay_quarters"] = out["priority_last_quarter"] - out["fcfs_last_quarter"]
    return out


# --------------------------------------------------------------------------------------------
# pymcdm
# --------------------------------------------------------------------------------------------


def pymcdm_method():
    """pymcdm's WSM with min-max normalisation (the engine's 'minmax')."""
    from pymcdm import normalizations
    from pymcdm.methods import WSM

    return WSM(normalizations.minmax_normalization)


def pymcdm_scores(method, transformed: np.ndarray, weights: np.ndarray, types: np.ndarray):
    """One scenario as an analyst calls pymcdm: preferences (0–1) and ranks (1 = best)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # dominance warnings; the check itself still runs
        preference = method(transformed, weights, types)
    return preference, method.rank(preference)


# --------------------------------------------------------------------------------------------
# Identity checks
# --------------------------------------------------------------------------------------------

_FIELDS = (
    "fcfs_order",
    "priority_order",
    "fcfs_position",
    "priority_position",
    "fcfs_first_quarter",
    "fcfs_last_quarter",
    "priority_first_quarter",
    "priority_last_quarter",
    "delay_quarters",
)


def compare_with_engine(engine: PolicyComparison, other) -> list[str]:
    """Names of the queue/schedule fields where ``other`` differs from the engine ([] = identical).

    ``other`` is a :class:`NaiveResult` or the dict of :func:`numpy_reference`.
    """
    get = other.get if isinstance(other, dict) else lambda name: getattr(other, name)
    diffs = []
    for name in _FIELDS:
        a = np.asarray(getattr(engine, name))
        b = np.asarray(get(name))
        if a.shape != b.shape or not np.array_equal(a, b):
            bad = int((a != b).sum()) if a.shape == b.shape else -1
            diffs.append(f"{name} ({bad} differ)")
    return diffs
