"""FCFS against the priority rule: both queues and both schedules of one book."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt

from scoring.queue import QueueResult, rank_orders
from scoring.schedule.kernel import ScheduleResult, _schedule_kernel
from scoring.schedule.validation import _validate_schedule

__all__ = ["PolicyComparison", "compare_policies"]


@dataclass(frozen=True, eq=False)
class PolicyComparison:
    """FCFS versus priority: one queue and the two schedules it gives, per order (input order).

    ``queue`` holds both positions and both sequences; ``fcfs`` and ``priority`` the two schedules
    (quarter indices and sentinels as in ``ScheduleResult``). The per-order views below read from
    them; nothing is copied. ``delay_quarters`` is ``priority.last_quarter - fcfs.last_quarter``
    (positive = delivered later under the priority rule; 0 for an order that does not compete).
    Where either schedule runs beyond the horizon the sentinel makes the delay a bound, not a value
    (check the two ``*_beyond_horizon`` flags).

    ``scoring.delivery`` adds what its rules decide: which orders compete, when each arrives, and
    which are suspended (None from ``compare_policies``, where every order competes from the start).
    """

    queue: QueueResult
    fcfs: ScheduleResult
    priority: ScheduleResult
    competing: npt.NDArray[np.bool_] | None = None
    arrival_quarter: npt.NDArray[np.int64] | None = None
    suspended: npt.NDArray[np.bool_] | None = None

    # Views of the queue.
    @property
    def fcfs_position(self) -> npt.NDArray[np.int64]:
        return self.queue.fcfs_position

    @property
    def priority_position(self) -> npt.NDArray[np.int64]:
        return self.queue.priority_position

    @property
    def position_change(self) -> npt.NDArray[np.int64]:
        return self.queue.position_change

    @property
    def fcfs_order(self) -> npt.NDArray[np.intp]:
        return self.queue.fcfs_order

    @property
    def priority_order(self) -> npt.NDArray[np.intp]:
        return self.queue.priority_order

    # Views of the two schedules.
    @property
    def fcfs_first_quarter(self) -> npt.NDArray[np.int64]:
        return self.fcfs.first_quarter

    @property
    def fcfs_last_quarter(self) -> npt.NDArray[np.int64]:
        return self.fcfs.last_quarter

    @property
    def fcfs_beyond_horizon(self) -> npt.NDArray[np.bool_]:
        return self.fcfs.beyond_horizon

    @property
    def priority_first_quarter(self) -> npt.NDArray[np.int64]:
        return self.priority.first_quarter

    @property
    def priority_last_quarter(self) -> npt.NDArray[np.int64]:
        return self.priority.last_quarter

    @property
    def priority_beyond_horizon(self) -> npt.NDArray[np.bool_]:
        return self.priority.beyond_horizon

    @property
    def horizon_quarters(self) -> int:
        return self.fcfs.horizon_quarters

    @property
    def fcfs_per_quarter(self) -> npt.NDArray[np.float64] | None:
        return self.fcfs.per_quarter

    @property
    def priority_per_quarter(self) -> npt.NDArray[np.float64] | None:
        return self.priority.per_quarter

    @cached_property
    def delay_quarters(self) -> npt.NDArray[np.int64]:
        delay = self.priority.last_quarter - self.fcfs.last_quarter
        if self.competing is not None:
            delay = np.where(self.competing, delay, 0)
        delay.setflags(write=False)
        return delay

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
    return PolicyComparison(queue, fcfs, prio)
