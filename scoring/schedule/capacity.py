"""Production capacity per line and quarter: the ramped rate, the domestic share, partner-funded
investment (the conventions are in the package docstring, ``scoring.schedule``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from scoring.schedule.quarters import quarter_number
from scoring.schedule.validation import _line_vector, _whole_number

__all__ = ["CapacityInvestment", "CapacityPlan", "capacity_per_quarter"]


@dataclass(frozen=True, eq=False)
class CapacityPlan:
    """Production capacity of every line and the schedule's time axis.

    Array-likes are accepted and stored as read-only float64 arrays of length ``n_lines``
    (``domestic_share`` is broadcast to one value per line). Validated on construction.

    Attributes
    ----------
    annual_capacity
        Production rate in units per year at ``capacity_year`` (≥ 0).
    capacity_year
        Year the ``annual_capacity`` figure refers to (integer values).
    target_capacity
        Announced rate in units per year reached at ``target_year``; NaN = no ramp.
    target_year
        Year the target is reached (integer values, ≥ ``capacity_year``); ignored (may be NaN)
        where ``target_capacity`` is NaN.
    start_year, start_quarter
        First quarter of the schedule (quarter index 0), ``start_quarter`` in 1..4.
    domestic_share
        Share of each quarter's production already committed to US domestic demand, in
        [0, 1); one value for all lines or one per line.
    horizon_quarters
        Number of quarters scheduled (default 160 = 40 years).

    Raises
    ------
    ValueError
        Per-line arrays that are not 1-D, are empty or differ in length; negative or non-finite
        capacities; non-integer years; a target year before the capacity year or missing where
        a target is given; ``domestic_share`` outside [0, 1); ``start_quarter`` outside 1..4;
        ``horizon_quarters`` < 1.
    """

    annual_capacity: npt.NDArray[np.float64]
    capacity_year: npt.NDArray[np.float64]
    target_capacity: npt.NDArray[np.float64]
    target_year: npt.NDArray[np.float64]
    start_year: int
    start_quarter: int
    domestic_share: float | npt.NDArray[np.float64] = 0.0
    horizon_quarters: int = 160

    def __post_init__(self) -> None:
        annual = _line_vector("annual_capacity", self.annual_capacity)
        n_lines = annual.size
        if n_lines == 0:
            raise ValueError("CapacityPlan needs at least one production line")
        cap_year = _line_vector("capacity_year", self.capacity_year, n_lines)
        target = _line_vector("target_capacity", self.target_capacity, n_lines)
        target_year = _line_vector("target_year", self.target_year, n_lines)
        if not (np.isfinite(annual).all() and (annual >= 0).all()):
            raise ValueError("annual_capacity must be a finite number ≥ 0 for every line")
        if not (np.isfinite(cap_year).all() and (cap_year == np.round(cap_year)).all()):
            raise ValueError("capacity_year must be a whole year for every line")
        ramp = ~np.isnan(target)
        if not (np.isfinite(target[ramp]).all() and (target[ramp] >= 0).all()):
            raise ValueError("target_capacity must be ≥ 0 and finite, or NaN for no ramp")
        ty = target_year[ramp]
        if not (np.isfinite(ty).all() and (ty == np.round(ty)).all()):
            raise ValueError("target_year must be a whole year wherever target_capacity is given")
        if (ty < cap_year[ramp]).any():
            bad = np.flatnonzero(ramp)[ty < cap_year[ramp]].tolist()
            raise ValueError(f"target_year must not be before capacity_year (lines {bad})")
        share = np.asarray(self.domestic_share, dtype=np.float64)
        if share.ndim > 1 or (share.ndim == 1 and share.size != n_lines):
            raise ValueError(
                f"domestic_share must be one number or one per line ({n_lines}); "
                f"got shape {share.shape}"
            )
        if not (np.isfinite(share).all() and (share >= 0).all() and (share < 1).all()):
            raise ValueError(
                "domestic_share must be in [0, 1): the share of production kept for US "
                "domestic demand (1 would leave nothing for foreign orders)"
            )
        share = np.broadcast_to(share, (n_lines,)).copy()
        start_year = _whole_number("start_year", self.start_year)
        start_quarter = _whole_number("start_quarter", self.start_quarter)
        if not 1 <= start_quarter <= 4:
            raise ValueError(f"start_quarter must be 1, 2, 3 or 4 (got {start_quarter})")
        horizon = _whole_number("horizon_quarters", self.horizon_quarters)
        if horizon < 1:
            raise ValueError(f"horizon_quarters must be at least 1 (got {horizon})")
        for name, arr in (
            ("annual_capacity", annual),
            ("capacity_year", cap_year),
            ("target_capacity", target),
            ("target_year", target_year),
            ("domestic_share", share),
        ):
            arr.setflags(write=False)
            object.__setattr__(self, name, arr)
        object.__setattr__(self, "start_year", start_year)
        object.__setattr__(self, "start_quarter", start_quarter)
        object.__setattr__(self, "horizon_quarters", horizon)

    @property
    def n_lines(self) -> int:
        """Number of production lines."""
        return int(self.annual_capacity.size)


@dataclass(frozen=True)
class CapacityInvestment:
    """A partner-funded capacity increase on one line (investment for capacity).

    Attributes
    ----------
    line
        Index of the production line (checked against the plan in ``capacity_per_quarter``).
    extra_units_per_year
        Additional production in units per year (≥ 0), from the start quarter onward.
    start_year, start_quarter
        First quarter with the extra production (``start_quarter`` in 1..4). An investment
        starting before the plan's start adds to every scheduled quarter.
    funder
        Index of the funding partner. Recorded for display only: the extra units join the
        line's shared pool, and the funder's benefit comes through its priority score.

    Raises
    ------
    ValueError
        A negative line or funder index, a negative or non-finite ``extra_units_per_year``,
        non-integer indices or years, or ``start_quarter`` outside 1..4.
    """

    line: int
    extra_units_per_year: float
    start_year: int
    start_quarter: int
    funder: int

    def __post_init__(self) -> None:
        line = _whole_number("CapacityInvestment.line", self.line)
        funder = _whole_number("CapacityInvestment.funder", self.funder)
        if line < 0 or funder < 0:
            raise ValueError("CapacityInvestment line and funder must be indices ≥ 0")
        extra = self.extra_units_per_year
        if isinstance(extra, bool) or not isinstance(extra, int | float | np.integer | np.floating):
            raise ValueError(f"extra_units_per_year must be a number (got {extra!r})")
        if not (np.isfinite(extra) and extra >= 0):
            raise ValueError(f"extra_units_per_year must be finite and ≥ 0 (got {extra})")
        quarter = _whole_number("CapacityInvestment.start_quarter", self.start_quarter)
        if not 1 <= quarter <= 4:
            raise ValueError(f"CapacityInvestment.start_quarter must be 1..4 (got {quarter})")
        object.__setattr__(self, "line", line)
        object.__setattr__(self, "funder", funder)
        object.__setattr__(self, "extra_units_per_year", float(extra))
        object.__setattr__(self, "start_year", _whole_number("start_year", self.start_year))
        object.__setattr__(self, "start_quarter", quarter)


def capacity_per_quarter(
    plan: CapacityPlan, investments: Sequence[CapacityInvestment] = ()
) -> npt.NDArray[np.float64]:
    """Units available to foreign orders per line and quarter.

    ``(ramped annual rate at the quarter's mid-point) / 4 * (1 - domestic_share)`` plus
    ``extra_units_per_year / 4`` of every investment on the line from its start quarter on
    (see the module docstring for the conventions).

    Parameters
    ----------
    plan
        The validated capacity plan.
    investments
        Partner-funded capacity increases (any number, several per line allowed).

    Returns
    -------
    numpy.ndarray
        Float array of shape ``(plan.n_lines, plan.horizon_quarters)``.

    Raises
    ------
    ValueError
        ``plan`` is not a ``CapacityPlan``, an investment is not a ``CapacityInvestment``, or an
        investment names a line the plan does not have.
    """
    if not isinstance(plan, CapacityPlan):
        raise ValueError(f"plan must be a CapacityPlan (got {type(plan).__name__})")
    investments = tuple(investments)
    for inv in investments:
        if not isinstance(inv, CapacityInvestment):
            raise ValueError(f"investments must be CapacityInvestment objects (got {inv!r})")
        if inv.line >= plan.n_lines:
            raise ValueError(
                f"Investment on line {inv.line}, but the plan has {plan.n_lines} lines "
                f"(indices 0..{plan.n_lines - 1})"
            )
    return _capacity_kernel(plan, investments)


def _capacity_kernel(
    plan: CapacityPlan, investments: tuple[CapacityInvestment, ...]
) -> npt.NDArray[np.float64]:
    start = quarter_number(plan.start_year, plan.start_quarter)
    absolute = start + np.arange(plan.horizon_quarters)
    mid_year = absolute / 4 + 0.125  # the quarter's mid-point, e.g. 2027 Q3 → 2027.625
    cy = plan.capacity_year[:, None] + 0.5  # a year's figure sits at its mid-point
    no_ramp = np.isnan(plan.target_capacity)
    ty = np.where(no_ramp, plan.capacity_year, plan.target_year)[:, None] + 0.5
    span = ty - cy
    elapsed = mid_year[None, :] - cy
    with np.errstate(divide="ignore", invalid="ignore"):
        # span 0 (target reached in the capacity year itself): a step at that year's mid-point.
        ramp = np.where(span > 0, np.clip(elapsed / span, 0.0, 1.0), (elapsed >= 0).astype(float))
    target = np.where(no_ramp, plan.annual_capacity, plan.target_capacity)
    annual = plan.annual_capacity[:, None] + (target - plan.annual_capacity)[:, None] * ramp
    capacity = annual / 4 * (1.0 - plan.domestic_share)[:, None]
    if investments:
        lines = np.array([inv.line for inv in investments], dtype=np.intp)
        extra = np.array([inv.extra_units_per_year for inv in investments]) / 4
        inv_start = np.array([quarter_number(inv.start_year, inv.start_quarter) for inv in investments])
        added = np.where(absolute[None, :] >= inv_start[:, None], extra[:, None], 0.0)
        np.add.at(capacity, lines, added)
    return capacity
