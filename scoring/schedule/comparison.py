"""FCFS against the priority rule: both queues and both schedules of one book."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from scoring.queue import rank_orders
from scoring.schedule.kernel import _schedule_kernel
from scoring.schedule.validation import _validate_schedule

__all__ = ["PolicyComparison", "compare_policies"]


@dataclass(frozen=True, eq=False)
class PolicyComparison:
    """FCFS versus priority queue and schedule, per order (input order).

    Quarter indices follow ``ScheduleResult`` (sentinels included). ``delay_quarters`` is
    ``priority_last_quarter - fcfs_last_quarter``: positive = delivered later under the
    priority rule. Where either schedule runs beyond the horizon the sentinel makes the delay a
    bound, not a value (check the two ``*_beyond_horizon`` flags); 0-unit orders get 0.
    """

    fcfs_position: npt.NDArray[np.int64]
    priority_position: npt.NDArray[np.int64]
    position_change: npt.NDArray[np.int64]
    fcfs_first_quarter: npt.NDArray[np.int64]
    fcfs_last_quarter: npt.NDArray[np.int64]
    fcfs_beyond_horizon: npt.NDArray[np.bool_]
    priority_first_quarter: npt.NDArray[np.int64]
    priority_last_quarter: npt.NDArray[np.int64]
    priority_beyond_horizon: npt.NDArray[np.bool_]
    delay_quarters: npt.NDArray[np.int64]
    fcfs_order: npt.NDArray[np.intp]
    priority_order: npt.NDArray[np.intp]
    horizon_quarters: int
    # Set by scoring.delivery (arrivals, fences, holds, policies); None from compare_policies.
    competing: npt.NDArray[np.bool_] | None = None
    arrival_quarter: npt.NDArray[np.int64] | None = None
    suspended: npt.NDArray[np.bool_] | None = None
    fcfs_per_quarter: npt.NDArray[np.float64] | None = None  # (n_orders, horizon) for small books
    priority_per_quarter: npt.NDArray[np.float64] | None = None

    def as_columns(self) -> dict[str, npt.NDArray[np.generic]]:
        """Per-order columns (everything but the permutations), e.g. for ``pd.DataFrame``."""
        extra = {
            name: value
            for name, value in (("competing", self.competing), ("arrival_quarter", self.arrival_quarter),
                                ("suspended", self.suspended))
            if value is not None
        }
        return extra | {
            "fcfs_position": self.fcfs_position,
            "priority_position": self.priority_position,
            "position_change": self.position_change,
            "fcfs_first_quarter": self.fcfs_first_quarter,
            "fcfs_last_quarter": self.fcfs_last_quarter,
            "fcfs_beyond_horizon": self.fcfs_beyond_horizon,
            "priority_first_quarter": self.priority_first_quarter,
            "priority_last_quarter": self.priority_last_quarter,
            "priority_beyond_horizon": self.priority_beyond_horizon,
            "delay_quarters": self.delay_quarters,
        }


def compare_policies(
    order_line: npt.ArrayLike,
    units: npt.ArrayLike,
    score: npt.ArrayLike,
    contract_date: npt.ArrayLike,
    order_id: npt.ArrayLike,
    capacity_per_quarter: npt.ArrayLike,
    held: npt.ArrayLike | None = None,
) -> PolicyComparison:
    """Queue and schedule every order under FCFS and under the priority rule.

    Parameters
    ----------
    order_line, score, contract_date, order_id, held
        As for ``scoring.queue.rank_orders``.
    units, capacity_per_quarter
        As for ``schedule``.

    Returns
    -------
    PolicyComparison
        Positions, first/last quarters under both policies and the delay.

    Raises
    ------
    ValueError
        Everything ``rank_orders`` or ``schedule`` rejects.
    """
    line, units_fp, _, cum_cap = _validate_schedule(order_line, units, capacity_per_quarter)
    queue = rank_orders(
        line, score, contract_date, order_id, held, n_lines=int(cum_cap.shape[0])
    )
    fcfs = _schedule_kernel(line, units_fp, queue.fcfs_order, cum_cap)
    prio = _schedule_kernel(line, units_fp, queue.priority_order, cum_cap)
    delay = prio.last_quarter - fcfs.last_quarter
    delay.setflags(write=False)
    return PolicyComparison(
        fcfs_position=queue.fcfs_position,
        priority_position=queue.priority_position,
        position_change=queue.position_change,
        fcfs_first_quarter=fcfs.first_quarter,
        fcfs_last_quarter=fcfs.last_quarter,
        fcfs_beyond_horizon=fcfs.beyond_horizon,
        priority_first_quarter=prio.first_quarter,
        priority_last_quarter=prio.last_quarter,
        priority_beyond_horizon=prio.beyond_horizon,
        delay_quarters=delay,
        fcfs_order=queue.fcfs_order,
        priority_order=queue.priority_order,
        horizon_quarters=fcfs.horizon_quarters,
    )
