"""Figures the pages report about a schedule, computed once here: the backlog burn-down (order value
still to deliver per group and quarter) and where its chart should end, and short platform names.

Pure numpy; the pages only draw what these return.
"""

from __future__ import annotations

import re

import numpy as np

__all__ = ["backlog_remaining", "burn_down_end", "short_platform"]


def backlog_remaining(
    delivered: np.ndarray, units_open: np.ndarray, value_per_unit: np.ndarray, groups: np.ndarray, n_groups: int,
) -> np.ndarray:
    """Order value still to deliver at the end of each quarter, per group.

    ``delivered`` is (orders, quarters) units delivered per quarter, ``units_open`` each order's
    units still to deliver at the start, ``value_per_unit`` the value one unit of each order
    retires, ``groups`` each order's group code in ``0..n_groups-1``. Returns a (n_groups,
    quarters) array: each group's open value minus what it has received so far. Value that is never
    delivered (a suspended order, or beyond the horizon) stays in the backlog.
    """
    delivered = np.asarray(delivered, dtype=float)
    groups = np.asarray(groups, dtype=np.int64)
    n = len(groups)
    if delivered.ndim != 2 or delivered.shape[0] != n or len(value_per_unit) != n or len(units_open) != n:
        raise ValueError("delivered must be (orders, quarters) with one open quantity, value and group per order")
    per_unit = np.asarray(value_per_unit, dtype=float)
    per_group = np.zeros((n_groups, delivered.shape[1]))
    np.add.at(per_group, groups, delivered * per_unit[:, None])
    totals = np.zeros(n_groups)
    np.add.at(totals, groups, np.asarray(units_open, dtype=float) * per_unit)
    return totals[:, None] - np.cumsum(per_group, axis=1)


def burn_down_end(*delivered: np.ndarray, after: int = 1) -> int:
    """How many quarters a burn-down chart needs: up to the last quarter in which any of the given
    schedules delivers anything, plus ``after`` quarters showing the flat end — never more than the
    horizon, at least one quarter. A backlog that cleared in quarter 9 (index 8) is drawn for 10."""
    last = -1
    horizon = 1
    for units in delivered:
        units = np.asarray(units)
        horizon = max(horizon, units.shape[1])
        active = np.flatnonzero((units > 0).any(axis=0))
        if active.size:
            last = max(last, int(active[-1]))
    return int(min(horizon, max(1, last + 1 + after)))


_QUALIFIER = re.compile(r"\s*\([^)]*\)\s*$")


def short_platform(name: str) -> str:
    """A platform name without its trailing parenthesised qualifier, for tables and chart labels
    ("Patriot fire unit / battery (radar, ECS, launchers)" → "Patriot fire unit / battery"); a
    name that is only a qualifier is kept whole."""
    short = _QUALIFIER.sub("", name)
    return short or name
