"""Input checks shared by the schedule functions, and the fixed-point scale they convert to."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

_RESOLUTION = 1_000_000
"""Fixed-point scale: units and capacities are resolved to 1 / _RESOLUTION of a unit."""


_MAX_TOTAL_UNITS = 1e12
"""Largest total of open units plus capacity over the horizon that int64 fixed point holds."""


def _validate_schedule(
    order_line: npt.ArrayLike,
    units: npt.ArrayLike,
    capacity_per_quarter: npt.ArrayLike,
    sequence: npt.ArrayLike | None = None,
) -> tuple[
    npt.NDArray[np.intp], npt.NDArray[np.int64], npt.NDArray[np.intp], npt.NDArray[np.int64]
]:
    """Check the schedule inputs; return line, fixed-point units, sequence, cumulative capacity."""
    cap = np.asarray(capacity_per_quarter)
    if cap.ndim != 2 or cap.shape[0] < 1 or cap.shape[1] < 1:
        raise ValueError(
            "capacity_per_quarter must be a 2-D array (lines × quarters) with at least one line "
            f"and one quarter (got shape {cap.shape})"
        )
    if cap.dtype.kind not in "iuf":
        raise ValueError(f"capacity_per_quarter must be numeric (got dtype {cap.dtype})")
    cap = cap.astype(np.float64, copy=False)
    if not (np.isfinite(cap).all() and (cap >= 0).all()):
        raise ValueError("capacity_per_quarter must be finite and ≥ 0 in every line and quarter")
    n_lines = cap.shape[0]
    line = _order_vector("order_line", order_line, integer=True)
    n = line.size
    units_arr = _order_vector("units", units, integer=False)
    if units_arr.size != n:
        raise ValueError(
            f"order_line and units must have one value per order (lengths {n} and "
            f"{units_arr.size})"
        )
    if n:
        if int(line.min()) < 0 or int(line.max()) >= n_lines:
            raise ValueError(
                f"order_line must index a row of capacity_per_quarter (0..{n_lines - 1}); found "
                f"{int(line.min()) if line.min() < 0 else int(line.max())}"
            )
        if not (np.isfinite(units_arr).all() and (units_arr >= 0).all()):
            raise ValueError(
                "units must be finite and ≥ 0 for every order (the units still to deliver)"
            )
    cum = np.cumsum(cap, axis=1)
    if float(units_arr.sum()) + float(cum[:, -1].sum()) > _MAX_TOTAL_UNITS:
        raise ValueError(
            f"Total open units plus total capacity exceed {_MAX_TOTAL_UNITS:.0e}; express units "
            "in larger lots or shorten the horizon"
        )
    if sequence is None:
        seq = np.arange(n, dtype=np.intp)
    else:
        seq = _order_vector("sequence", sequence, integer=True)
        if seq.size != n:
            raise ValueError(
                f"sequence must list every order exactly once (length {seq.size}, {n} orders)"
            )
        if n:
            if int(seq.min()) < 0 or int(seq.max()) >= n:
                raise ValueError(f"sequence entries must be order indices 0..{n - 1}")
            if not (np.bincount(seq, minlength=n) == 1).all():
                raise ValueError("sequence must be a permutation: every order index exactly once")
    scaled = units_arr * float(_RESOLUTION)  # float64 (a new array)
    units_fp = np.rint(scaled, out=scaled).astype(np.int64)
    cum_cap = np.rint(cum * _RESOLUTION).astype(np.int64)
    return line.astype(np.intp, copy=False), units_fp, seq.astype(np.intp, copy=False), cum_cap


def _order_vector(name: str, values: npt.ArrayLike, *, integer: bool) -> npt.NDArray[np.generic]:
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise ValueError(
            f"{name} must be a 1-D array with one value per order (got ndim={arr.ndim})"
        )
    if arr.size == 0:
        return arr.astype(np.int64 if integer else np.float64)
    kinds = "iu" if integer else "iuf"
    if arr.dtype.kind not in kinds:
        what = "an integer" if integer else "a numeric"
        raise ValueError(
            f"{name} must be {what} array (got dtype {arr.dtype}); drop rows with missing values"
            + (" and cast with .astype(int)" if integer else "")
        )
    return arr


def _whole_number(name: str, value: object) -> int:
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | np.integer):
        raise ValueError(f"{name} must be an integer (got {value!r})")
    return int(value)


def _line_vector(name: str, values: object, n_lines: int | None = None) -> npt.NDArray[np.float64]:
    arr = np.asarray(values)
    if arr.ndim != 1 or arr.dtype.kind not in "iuf":
        raise ValueError(
            f"{name} must be a 1-D numeric array with one value per line "
            f"(got ndim={arr.ndim}, dtype={arr.dtype})"
        )
    if n_lines is not None and arr.size != n_lines:
        raise ValueError(f"{name} has {arr.size} values but annual_capacity has {n_lines} lines")
    return np.array(arr, dtype=np.float64)
