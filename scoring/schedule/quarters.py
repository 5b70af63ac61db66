"""The calendar: quarter numbers, quarter indices counted from a start quarter, and their labels."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from scoring.schedule.validation import _whole_number

__all__ = ["quarter_calendar", "quarter_label", "quarter_labels", "quarter_number"]


def quarter_number(year: int, quarter: int) -> int:
    """The absolute quarter number of ``year`` Q``quarter`` (1–4): quarters since year 0, so
    differences are quarters between dates (2026 Q1 → 8104, 2027 Q1 → 8108). The one calendar rule
    every schedule, capacity plan and investment start uses."""
    return year * 4 + quarter - 1


def quarter_calendar(
    start_year: int, start_quarter: int, index: npt.ArrayLike
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Calendar year and quarter (1..4) of quarter indices counted from the start quarter.

    Pure arithmetic, for any integer index (mask ``NO_DELIVERY`` and beyond-horizon sentinels
    yourself).

    Raises
    ------
    ValueError
        ``start_quarter`` outside 1..4 or non-integer arguments.
    """
    start = _start_quarter_number(start_year, start_quarter)
    idx = np.asarray(index)
    if idx.dtype.kind not in "iu":
        raise ValueError(f"quarter index must be integer (got dtype {idx.dtype})")
    absolute = start + idx.astype(np.int64)
    return absolute // 4, absolute % 4 + 1


def quarter_label(start_year: int, start_quarter: int, index: int) -> str:
    """Label such as ``'2027 Q3'`` for one quarter index counted from the start quarter.

    Raises
    ------
    ValueError
        ``start_quarter`` outside 1..4, or ``index`` not an integer ≥ 0 (``NO_DELIVERY`` has no
        quarter).
    """
    idx = _whole_number("index", index)
    if idx < 0:
        raise ValueError(f"quarter index must be ≥ 0 (got {idx}; -1 means nothing to deliver)")
    absolute = _start_quarter_number(start_year, start_quarter) + idx
    return f"{absolute // 4} Q{absolute % 4 + 1}"


def quarter_labels(
    start_year: int, start_quarter: int, index: npt.ArrayLike, *, missing: str = "—"
) -> npt.NDArray[np.str_]:
    """Vectorised ``quarter_label``; negative indices (``NO_DELIVERY``) get ``missing``.

    Raises
    ------
    ValueError
        ``start_quarter`` outside 1..4 or a non-integer index array.
    """
    years, quarters = quarter_calendar(start_year, start_quarter, index)
    labels = np.strings.add(np.strings.add(years.astype(np.str_), " Q"), quarters.astype(np.str_))
    return np.where(np.asarray(index) < 0, missing, labels)


def _start_quarter_number(start_year: int, start_quarter: int) -> int:
    year = _whole_number("start_year", start_year)
    quarter = _whole_number("start_quarter", start_quarter)
    if not 1 <= quarter <= 4:
        raise ValueError(f"start_quarter must be 1, 2, 3 or 4 (got {quarter})")
    return quarter_number(year, quarter)
