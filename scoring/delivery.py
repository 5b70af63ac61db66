"""The delivery plan of one scenario: which orders compete, when they arrive, and their dates under
first-come-first-served and under the analyst's allocation policy.

Rules (each applied here once)
------------------------------
- **Competing orders**: signed and delivering orders compete; notified-but-unsigned orders only
  when the analyst switches them on, and then from their notification date plus a typical
  notification-to-signature lag (a labelled assumption). Delivered and cancelled orders are not
  in the book. A backlog block ("other customers, not itemised") competes from its date.
- **Arrival**: an order competes from its signature (or assumed signature) month plus its line's
  contract-to-first-delivery lead time, counted in quarters from the as-of quarter (0 if already
  past). An order already delivering competes from the start.
- **Time fence**: each line's first ``fence`` quarters serve orders first-come-first-served under
  every policy (committed production).
- **Holds** (gates): ``'suspend'`` — a held order receives nothing (its value is at risk and its
  capacity goes to others); ``'delay'`` — it arrives ``review_quarters`` later, then competes.
  The FCFS baseline is the pre-2026 rule: no gates.
- **Policies**: ``'priority'`` (strict priority by score, ties by contract date and id),
  ``'tier_share'`` (each quarter's capacity split across tiers 1, 2, 3 and the rest by the
  analyst's shares; FCFS within a tier; unused share flows down), ``'fair_share'`` (capacity
  split by score among waiting orders; the rest FCFS).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from scoring.allocation import AllocationResult, allocate
from scoring.queue import QueueResult, priority_orders, rank_orders
from scoring.schedule import NO_DELIVERY, PolicyComparison, ScheduleResult, quarter_number

__all__ = [
    "CATEGORY_LEAD_MONTHS",
    "HOLD_MODES",
    "POLICIES",
    "DeliveryRules",
    "arrival_quarters",
    "plan_deliveries",
]

POLICIES: dict[str, str] = {
    "priority": "Strict priority",
    "tier_share": "Tier shares",
    "fair_share": "Score-weighted fair share",
}
HOLD_MODES: dict[str, str] = {
    "suspend": "Suspended while held",
    "delay": "Delayed by a review period",
}
CATEGORY_LEAD_MONTHS: dict[str, float] = {
    # Labelled assumptions where no lead time is published (sourced lead times override them):
    # contract award to first delivery, typical of each kind of line.
    "fighter": 36, "helicopter": 30, "air_defense": 30, "ECS": 36, "missile": 24, "munition": 12,
    "artillery": 12, "armor": 24, "naval": 48, "uas": 24,
}
DEFAULT_LEAD_MONTHS = 24.0


@dataclass(frozen=True)
class DeliveryRules:
    """The analyst's delivery settings (validated by ``validate``)."""

    policy: str = "priority"
    tier_shares: tuple[float, float, float] = (0.5, 0.3, 0.2)  # tiers 1-3; the rest gets 1 - sum
    fence_quarters: int | None = None  # None = each line's lead time
    include_notified: bool = False
    notify_lag_months: int = 12
    hold_mode: str = "suspend"
    review_quarters: int = 4

    def validate(self) -> None:
        if self.policy not in POLICIES:
            raise ValueError(f"Unknown allocation policy {self.policy!r}; use one of {sorted(POLICIES)}")
        if self.hold_mode not in HOLD_MODES:
            raise ValueError(f"Unknown hold mode {self.hold_mode!r}; use one of {sorted(HOLD_MODES)}")
        shares = np.asarray(self.tier_shares, dtype=float)
        if shares.shape != (3,) or (shares < 0).any() or shares.sum() > 1 + 1e-9:
            raise ValueError("Tier shares are three shares ≥ 0 that add up to at most 100 %")
        if self.fence_quarters is not None and not 0 <= self.fence_quarters <= 40:
            raise ValueError("The time fence is 0–40 quarters")
        if not 0 <= self.notify_lag_months <= 60 or not 0 <= self.review_quarters <= 40:
            raise ValueError("The notification lag is 0–60 months and the review period 0–40 quarters")


def arrival_quarters(
    contract_day: npt.ArrayLike, lead_months: npt.ArrayLike, extra_months: npt.ArrayLike,
    start_year: int, start_quarter: int,
) -> npt.NDArray[np.int64]:
    """Quarter (from the start) an order may first receive units: its contract month plus lead
    time (and any extra months), 0 if that is already past."""
    days = np.asarray(contract_day, dtype=np.int64)
    month = (np.datetime64("1970-01-01") + days.astype("timedelta64[D]")).astype("datetime64[M]").astype(np.int64)
    months = month + np.ceil(np.asarray(lead_months, dtype=float) + np.asarray(extra_months, dtype=float)).astype(np.int64)
    absolute_quarter = quarter_number(1970, 1) + months // 3  # months since January 1970
    return np.maximum(absolute_quarter - quarter_number(start_year, start_quarter), 0)


def plan_deliveries(
    line: npt.ArrayLike,
    units: npt.ArrayLike,
    score: npt.ArrayLike,
    contract_day: npt.ArrayLike,
    order_id: npt.ArrayLike,
    status: npt.ArrayLike,
    lead_months: npt.ArrayLike,
    capacity: npt.ArrayLike,
    start: tuple[int, int],
    rules: DeliveryRules,
    *,
    held: npt.ArrayLike | None = None,
    group: npt.ArrayLike | None = None,
    keep_per_quarter: bool = False,
    reserved: tuple[npt.ArrayLike, npt.ArrayLike] | None = None,
) -> PolicyComparison:
    """Positions and delivery quarters of every order under FCFS and under ``rules.policy``.

    ``group`` is each order's tier group (0, 1, 2 = tiers 1-3, 3 = the rest) for tier shares;
    ``lead_months`` each order's line lead time. Orders that do not compete get position -1 and
    ``NO_DELIVERY`` quarters (``competing`` is False). ``reserved`` = (capacity per line and quarter
    reserved for some orders, mask of those orders): a funder's claim on the output it paid for.
    The reserved capacity serves those orders first (in FCFS order, from their arrival); what they
    do not use returns to the line in the same quarter; the rest of their units compete as usual.

    Raises
    ------
    ValueError
        Invalid rules or inputs (see ``allocate`` and ``rank_orders``).
    """
    rules.validate()
    line_a = np.asarray(line, dtype=np.int64)
    n = line_a.size
    cap = np.asarray(capacity, dtype=float)
    n_lines, horizon = cap.shape
    units_a = np.asarray(units, dtype=float)
    held_a = np.zeros(n, dtype=bool) if held is None else np.asarray(held, dtype=bool)
    competing, arrival = _competing_arrivals(units_a, status, contract_day, lead_months, start, rules)
    idx = np.flatnonzero(competing)
    sub = {
        "line": line_a[idx], "units": units_a[idx], "score": np.asarray(score, dtype=float)[idx],
        "day": np.asarray(contract_day, dtype=np.int64)[idx], "id": np.asarray(order_id, dtype=np.int64)[idx],
        "arrival": arrival[idx], "held": held_a[idx],
    }
    fence = _fence(rules, lead_months, line_a, n_lines)
    queue = rank_orders(sub["line"], sub["score"], sub["day"], sub["id"], n_lines=n_lines)
    arrival_p, blocked = _under_review(sub["arrival"], sub["held"], rules)
    claim_f = claim_p = None
    if reserved is not None:
        reserved_cap = np.asarray(reserved[0], dtype=float)
        owners = np.asarray(reserved[1], dtype=bool)[idx]
        claim_f = allocate(sub["line"], np.where(owners, sub["units"], 0.0), sub["arrival"], queue.fcfs_order,
                           reserved_cap, keep_per_quarter=True)
        claim_p = allocate(sub["line"], np.where(owners, sub["units"], 0.0), arrival_p, queue.fcfs_order,
                           reserved_cap, blocked=blocked, keep_per_quarter=True)
    fcfs = _after_claim(claim_f, sub, cap, keep_per_quarter,
                        lambda u, c, keep: allocate(sub["line"], u, sub["arrival"], queue.fcfs_order, c, keep_per_quarter=keep))
    common = {"fence": fence, "fence_sequence": queue.fcfs_order, "blocked": blocked}
    if rules.policy == "priority":
        sequence, position = queue.priority_order, queue.priority_position
        policy = _after_claim(claim_p, sub, cap, keep_per_quarter,
                              lambda u, c, keep: allocate(sub["line"], u, arrival_p, sequence, c, keep_per_quarter=keep, **common))
    elif rules.policy == "tier_share":
        grp = np.asarray(group, dtype=np.int64)[idx] if group is not None else np.zeros(idx.size, dtype=np.int64)
        shares = np.append(np.asarray(rules.tier_shares, dtype=float), 0.0)
        shares[3] = max(0.0, 1.0 - shares[:3].sum())
        if shares.sum() <= 0:
            shares[:] = [0, 0, 0, 1]
        shares = shares / shares.sum()
        # Position: tier group first, then FCFS within the line (the order the policy serves).
        tiered = rank_orders(sub["line"], -grp.astype(float), sub["day"], sub["id"], n_lines=n_lines)
        sequence, position = queue.fcfs_order, tiered.priority_position
        policy = _after_claim(claim_p, sub, cap, keep_per_quarter,
                              lambda u, c, keep: allocate(sub["line"], u, arrival_p, sequence, c, mode="groups", group=grp,
                                                          group_share=shares, keep_per_quarter=keep, **common))
    else:
        sequence, position = queue.fcfs_order, queue.priority_position
        policy = _after_claim(claim_p, sub, cap, keep_per_quarter,
                              lambda u, c, keep: allocate(sub["line"], u, arrival_p, sequence, c, mode="fair",
                                                          weight=sub["score"] + 1.0, keep_per_quarter=keep, **common))
    return _comparison(n, idx, queue, position, fcfs, policy, horizon, competing, arrival, blocked)


def _competing_arrivals(
    units: np.ndarray, status: npt.ArrayLike, contract_day: npt.ArrayLike, lead_months: npt.ArrayLike,
    start: tuple[int, int], rules: DeliveryRules,
) -> tuple[np.ndarray, np.ndarray]:
    """Which orders compete for capacity (open units; notified ones only if ``rules.include_notified``)
    and the quarter each can first take output: contract day + line lead (+ the notification lag for
    notified orders); orders already delivering can take output now (quarter 0)."""
    status_a = np.asarray(status).astype(str)
    notified = status_a == "notified"
    competing = (units > 0) & (~notified | rules.include_notified)
    extra = np.where(notified, float(rules.notify_lag_months), 0.0)
    arrival = arrival_quarters(contract_day, np.asarray(lead_months, dtype=float), extra, *start)
    return competing, np.where(status_a == "delivering", 0, arrival)


def _under_review(arrival: np.ndarray, held: np.ndarray, rules: DeliveryRules) -> tuple[np.ndarray, np.ndarray]:
    """Arrival under the policy and the blocked mask: orders held for review wait ``review_quarters``
    (hold mode 'delay') or take nothing (hold mode 'suspend')."""
    delay = np.where(held & (rules.hold_mode == "delay"), rules.review_quarters, 0)
    return arrival + delay, held & (rules.hold_mode == "suspend")


def _after_claim(claim, sub, cap, keep_per_quarter, run):
    """Run an allocation after a reserved claim: the line's capacity minus what the claim used, the
    claimants' units minus what they received; first/last quarters and deliveries combined."""
    if claim is None:
        return run(sub["units"], cap, keep_per_quarter)
    used = np.zeros_like(cap)
    np.add.at(used, sub["line"], claim.per_quarter)
    rest = run(np.maximum(sub["units"] - claim.delivered, 0.0), np.maximum(cap - used, 0.0), True)
    horizon = cap.shape[1]
    got_claim = claim.delivered > 0
    got_rest = rest.last_quarter != NO_DELIVERY
    first = np.where(got_claim & got_rest, np.minimum(claim.first_quarter, rest.first_quarter),
                     np.where(got_claim, claim.first_quarter, rest.first_quarter))
    last = np.where(got_rest, rest.last_quarter, np.where(got_claim, claim.last_quarter, rest.last_quarter))
    nothing = sub["units"] == 0
    first = np.where(nothing, NO_DELIVERY, first)
    last = np.where(nothing, NO_DELIVERY, last)
    per_q = claim.per_quarter + rest.per_quarter
    return AllocationResult(first, last, last >= horizon, claim.delivered + rest.delivered, horizon,
                            per_q if keep_per_quarter else None)


def _fence(rules: DeliveryRules, lead_months: npt.ArrayLike, line: np.ndarray, n_lines: int) -> np.ndarray:
    if rules.fence_quarters is not None:
        return np.full(n_lines, int(rules.fence_quarters), dtype=np.int64)
    per_line = np.zeros(n_lines, dtype=np.int64)
    lead = np.asarray(lead_months, dtype=float)
    if line.size:
        np.maximum.at(per_line, line, np.ceil(lead / 3.0).astype(np.int64))
    return per_line


def _scatter(n: int, idx: np.ndarray, values: np.ndarray, fill: int) -> np.ndarray:
    out = np.full(n, fill, dtype=values.dtype)
    out[idx] = values
    out.setflags(write=False)
    return out


def _comparison(n, idx, queue, position, fcfs, policy, horizon, competing, arrival, blocked) -> PolicyComparison:
    """The competing orders' queue and schedules scattered back to every order of the book (orders
    that do not compete: position -1, ``NO_DELIVERY``)."""
    def full_order(perm: np.ndarray) -> np.ndarray:
        rest = np.setdiff1d(np.arange(n), idx, assume_unique=True)
        return np.concatenate((idx[perm], rest)).astype(np.intp)

    def full_schedule(sub: AllocationResult) -> ScheduleResult:
        per_quarter = None
        if sub.per_quarter is not None:
            per_quarter = np.zeros((n, horizon))
            per_quarter[idx] = sub.per_quarter
        return ScheduleResult(
            _scatter(n, idx, sub.first_quarter, NO_DELIVERY), _scatter(n, idx, sub.last_quarter, NO_DELIVERY),
            _scatter(n, idx, sub.beyond_horizon, False), int(horizon), per_quarter,
        )

    suspended = np.zeros(n, dtype=bool)
    suspended[idx] = blocked
    both = fcfs.per_quarter is not None and policy.per_quarter is not None
    schedules = [full_schedule(s if both else replace(s, per_quarter=None)) for s in (fcfs, policy)]
    order_queue = QueueResult(
        _scatter(n, idx, queue.fcfs_position, -1), _scatter(n, idx, position, -1),
        _scatter(n, idx, queue.fcfs_position - position, 0), full_order(queue.fcfs_order), full_order(queue.priority_order),
    )
    return PolicyComparison(order_queue, schedules[0], schedules[1], competing=competing,
                            arrival_quarter=np.where(competing, arrival, NO_DELIVERY), suspended=suspended)


def priority_draws(
    line: npt.ArrayLike,
    units: npt.ArrayLike,
    order_scores: npt.ArrayLike,
    contract_day: npt.ArrayLike,
    order_id: npt.ArrayLike,
    status: npt.ArrayLike,
    lead_months: npt.ArrayLike,
    capacity: npt.ArrayLike,
    start: tuple[int, int],
    rules: DeliveryRules,
    *,
    held: npt.ArrayLike | None = None,
) -> npt.NDArray[np.int64]:
    """Strict-priority completion quarter of every order (columns, input order; ``NO_DELIVERY`` for
    orders that do not compete) under each row of ``order_scores`` (draws), with the same
    arrivals, fence and holds as ``plan_deliveries``: one batched allocation."""
    rules.validate()
    scores = np.atleast_2d(np.asarray(order_scores, dtype=float))
    line_a = np.asarray(line, dtype=np.int64)
    n = line_a.size
    cap = np.asarray(capacity, dtype=float)
    units_a = np.asarray(units, dtype=float)
    competing, arrival = _competing_arrivals(units_a, status, contract_day, lead_months, start, rules)
    idx = np.flatnonzero(competing)
    arrival = arrival[idx]
    held_a = (np.zeros(n, dtype=bool) if held is None else np.asarray(held, dtype=bool))[idx]
    arrival_p, blocked = _under_review(arrival, held_a, rules)
    day = np.asarray(contract_day, dtype=np.int64)[idx]
    ids = np.asarray(order_id, dtype=np.int64)[idx]
    n_lines = cap.shape[0]
    fcfs = rank_orders(line_a[idx], np.zeros(idx.size), day, ids, n_lines=n_lines).fcfs_order  # validates
    if not np.isfinite(scores).all():
        raise ValueError("order_scores must be finite")
    sequences = priority_orders(fcfs, line_a[idx].astype(np.intp), scores[:, idx], None, n_lines)
    result = allocate(
        line_a[idx], units_a[idx], arrival_p, sequences, cap,
        fence=_fence(rules, lead_months, line_a, n_lines), fence_sequence=fcfs, blocked=blocked,
    )
    out = np.full((scores.shape[0], n), NO_DELIVERY, dtype=np.int64)
    out[:, idx] = np.atleast_2d(result.last_quarter)
    return out
