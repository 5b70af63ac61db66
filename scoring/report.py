"""Figures the pages report about a schedule, computed once here: the backlog burn-down (order value
still to deliver per group and quarter) and where its chart should end, value-weighted moves per
group, the regional roll-up, delivery windows across weight draws, the "what changed" paragraph,
and short platform names.

Pure numpy and Python; ``ui.model`` only shapes what these return into tables, the pages draw them.
Sign convention everywhere: a delay is policy completion minus FCFS completion, in quarters
(negative = earlier).
"""

from __future__ import annotations

import re

import numpy as np

from dataclasses import dataclass

__all__ = [
    "BurnDown", "GroupRollup", "Move", "backlog_remaining", "burn_down", "burn_down_end", "completion_window",
    "delivery_spread", "early_value", "extreme_moves", "group_rollup", "quarter_end_years", "reference_summary",
    "short_platform", "top_of_queue", "value_per_unit", "value_weighted_delay", "what_changed",
]


def value_per_unit(value: np.ndarray, units_open: np.ndarray) -> np.ndarray:
    """The order value (US$ bn) one delivered unit retires: value / units still open; 0 for an order
    with no open units or no published value (it then adds nothing to a value-weighted figure)."""
    value = np.asarray(value, dtype=float)
    units = np.asarray(units_open, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_unit = np.where(units > 0, value / np.where(units > 0, units, 1.0), 0.0)
    return np.nan_to_num(per_unit, nan=0.0)


def quarter_end_years(start_year: int, start_quarter: int, n_quarters: int) -> np.ndarray:
    """Decimal years at the end of each of ``n_quarters`` quarters from the start quarter
    (2026 Q1 → 2026.25, 2026.5, …): the x axis of a burn-down."""
    return start_year + (start_quarter - 1) / 4.0 + (np.arange(n_quarters) + 1) / 4.0


@dataclass(frozen=True)
class BurnDown:
    """Order value still to deliver per group at the end of each quarter, under each schedule."""

    years: np.ndarray  # (quarters,) decimal year at each quarter's end
    remaining: tuple[np.ndarray, ...]  # one (n_groups, quarters) array per schedule, in input order


def burn_down(
    schedules: tuple[np.ndarray, ...], units_open: np.ndarray, value: np.ndarray, groups: np.ndarray, n_groups: int,
    start_year: int, start_quarter: int,
) -> BurnDown:
    """The burn-down of several schedules of the same orders (``(orders, quarters)`` units delivered per
    quarter each): value still open per group, drawn until one quarter after the last delivery under
    any of them (``burn_down_end``). Units are not comparable across lines (shells against jets), so the
    burn-down is in order value: each delivered unit retires its order's ``value_per_unit``."""
    per_unit = value_per_unit(value, units_open)
    last = burn_down_end(*schedules)
    remaining = tuple(backlog_remaining(s, units_open, per_unit, groups, n_groups)[:, :last] for s in schedules)
    return BurnDown(quarter_end_years(start_year, start_quarter, last), remaining)


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


def value_weighted_delay(
    value: np.ndarray, delay: np.ndarray, groups: np.ndarray, n_groups: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per group: total value, value-weighted mean delay (quarters; NaN where the group's value is
    zero) and number of orders. A missing value counts as zero value; an order without a delay (it
    does not compete) adds its value to the total but nothing to the weighted sum."""
    value = np.nan_to_num(np.asarray(value, dtype=float), nan=0.0)
    delay = np.asarray(delay, dtype=float)
    groups = np.asarray(groups, dtype=np.int64)
    total = np.bincount(groups, weights=value, minlength=n_groups)
    weighted = np.bincount(groups, weights=np.where(np.isnan(delay), 0.0, value * delay), minlength=n_groups)
    count = np.bincount(groups, minlength=n_groups)
    return total, _ratio(weighted, total), count


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """numerator / denominator where the denominator is positive, NaN elsewhere."""
    return np.divide(numerator, denominator, out=np.full(len(denominator), np.nan), where=denominator > 0)


def early_value(delivered: np.ndarray, value_per_unit: np.ndarray, first_quarters: int) -> np.ndarray:
    """Per order: the value delivered in the first ``first_quarters`` quarters of a schedule."""
    delivered = np.asarray(delivered, dtype=float)
    return (delivered[:, : max(0, int(first_quarters))] * np.asarray(value_per_unit, dtype=float)[:, None]).sum(axis=1)


def top_of_queue(position: np.ndarray, lines: np.ndarray, parts: int = 3) -> np.ndarray:
    """Orders in the front 1/``parts`` of their own line's queue: position (1 = first) at most
    ceil(orders on the line / parts). A line of 7 orders has its first 3 at the front, of 6 its first 2."""
    position = np.asarray(position, dtype=float)
    _, codes, counts = np.unique(np.asarray(lines), return_inverse=True, return_counts=True)
    return position <= np.ceil(counts[codes] / parts)


@dataclass(frozen=True)
class GroupRollup:
    """Per group (e.g. analyst region): orders, value, value delivered early under each policy and its
    share of all early value (percent), value at the front of the queues, delays."""

    orders: np.ndarray
    value: np.ndarray
    early_fcfs: np.ndarray
    early_priority: np.ndarray
    early_share_fcfs: np.ndarray
    early_share_priority: np.ndarray
    early_share_change: np.ndarray
    top_value: np.ndarray
    value_weighted_delay: np.ndarray
    mean_delay: np.ndarray


def group_rollup(
    groups: np.ndarray, n_groups: int, value: np.ndarray, delay: np.ndarray,
    early_fcfs: np.ndarray, early_priority: np.ndarray, front: np.ndarray,
) -> GroupRollup:
    """Roll per-order figures up to groups. Early shares are each group's percentage of the early
    value of all groups together (an empty total counts as 1, so shares are then zero)."""
    groups = np.asarray(groups, dtype=np.int64)
    value = np.nan_to_num(np.asarray(value, dtype=float), nan=0.0)
    delay = np.asarray(delay, dtype=float)
    total, weighted_delay, count = value_weighted_delay(value, delay, groups, n_groups)
    fcfs = np.bincount(groups, weights=np.asarray(early_fcfs, dtype=float), minlength=n_groups)
    priority = np.bincount(groups, weights=np.asarray(early_priority, dtype=float), minlength=n_groups)
    share_fcfs = 100 * fcfs / (fcfs.sum() or 1.0)
    share_priority = 100 * priority / (priority.sum() or 1.0)
    top = np.bincount(groups, weights=np.where(np.asarray(front, dtype=bool), value, 0.0), minlength=n_groups)
    timed = ~np.isnan(delay)  # the plain mean is over orders with a delay
    n_timed = np.bincount(groups, weights=timed.astype(float), minlength=n_groups)
    mean_delay = _ratio(np.bincount(groups, weights=np.where(timed, delay, 0.0), minlength=n_groups), n_timed)
    return GroupRollup(count, total, fcfs, priority, share_fcfs, share_priority, share_priority - share_fcfs,
                       top, weighted_delay, mean_delay)


def completion_window(last: np.ndarray, low: float = 5, high: float = 95) -> tuple[np.ndarray, np.ndarray]:
    """Per order (columns of ``last``, draws in rows): the ``low``–``high`` percentile completion
    quarters across weight draws, as observed quarters (nearest rank, never interpolated)."""
    last = np.asarray(last)
    return tuple(np.percentile(last, q, axis=0, method="nearest").astype(np.int64) for q in (low, high))  # type: ignore[return-value]


def delivery_spread(last: np.ndarray, fcfs_last: np.ndarray, low: float = 5, high: float = 95) -> tuple[
    np.ndarray, np.ndarray, np.ndarray
]:
    """Per order (columns of ``last``, weight draws in rows): the ``low``–``high`` percentile completion
    quarters (``completion_window``) and the share of draws in which it completes before its FCFS
    completion quarter ``fcfs_last``."""
    last = np.asarray(last)
    first, final = completion_window(last, low, high)
    return first, final, (last < np.asarray(fcfs_last)[None, :]).mean(axis=0)


@dataclass(frozen=True)
class Move:
    """One order's move against FCFS, for the summary: who, what, by how many quarters."""

    partner: str
    platform: str
    quarters: int  # policy minus FCFS (negative = earlier)


def extreme_moves(
    partner: np.ndarray, platform: np.ndarray, change: np.ndarray, gains: np.ndarray, losses: np.ndarray,
) -> tuple[Move | None, Move | None]:
    """The largest gain (the most negative ``change`` among the orders ``gains`` selects; the first such
    order on a tie) and the largest loss (the most positive among ``losses``; the last on a tie), or
    None where the selection is empty."""
    change = np.asarray(change, dtype=float)

    def pick(mask: np.ndarray, largest: bool) -> Move | None:
        idx = np.flatnonzero(np.asarray(mask, dtype=bool))
        if idx.size == 0:
            return None
        values = change[idx]
        at = idx[np.flatnonzero(values == values.max())[-1]] if largest else idx[int(np.argmin(values))]
        return Move(str(partner[at]), str(platform[at]), int(change[at]))

    return pick(gains, largest=False), pick(losses, largest=True)


def what_changed(
    competing: int, leaders: list[str] | None, tier1: int, earlier: int, later: int,
    best: Move | None, worst: Move | None, held: int, cross_verdict: str | None,
) -> str:
    """The one-paragraph summary of a scenario, written from its numbers. ``leaders`` is None in FCFS
    mode (no partner weighting), else the top of the ranking (at least one name)."""
    if leaders is None:
        return (
            f"With no partner weighting, the {competing} competing orders in the book are served in contract order "
            "(first-come-first-served): this is the baseline every other scenario is compared with."
        )
    lead = f"{', '.join(leaders[:-1])} and {leaders[-1]} lead" if len(leaders) > 1 else f"{leaders[0]} leads"
    parts = [
        f"Under these weights {lead} the ranking; {tier1} partners reach tier 1.",
        f"Of {competing} competing orders, {earlier} finish earlier and {later} later than under first-come-first-served",
    ]
    if best is not None:
        parts[-1] += f"; the largest gain is {best.partner}'s {best.platform} ({-best.quarters} quarters sooner)"
    if worst is not None:
        parts[-1] += f", the largest loss {worst.partner}'s {worst.platform} ({worst.quarters} quarters later)"
    parts[-1] += "."
    if held:
        parts.append(f"{held} orders are held by a gate and wait behind every cleared order.")
    if cross_verdict:
        parts.append(cross_verdict)
    return " ".join(parts)


def reference_summary(
    label: str, tier_changes: int | None, tier_moves: list[tuple[str, str, str]], moved: int, comparable: int,
    best: Move | None, worst: Move | None, named: int = 4,
) -> str:
    """One sentence on what changed against the reference scenario ``label``. ``tier_changes`` is None
    when the scenario is the reference; ``tier_moves`` lists (partner, reference tier, tier), the
    first ``named`` of them are named; ``moved`` of ``comparable`` competing orders change their
    completion quarter, ``best`` and ``worst`` are the earliest gain and the largest slip."""
    if tier_changes is None:
        return f"Against the reference ({label}): no change — this is the reference."
    names = [f"{name} ({before} → {after})" for name, before, after in tier_moves[:named]]
    parts = [f"Against the reference ({label}): {tier_changes} partners change tier"
             + (f" — {', '.join(names)}{' …' if tier_changes > named else ''}" if names else "")]
    if moved and best is not None and worst is not None:
        parts.append(
            f"{moved} of {comparable} competing orders move (earliest gain: {best.partner}'s {best.platform}, "
            f"{best.quarters:+d} q; largest slip: {worst.partner}'s {worst.platform}, {worst.quarters:+d} q)"
        )
    else:
        parts.append("no competing order's completion quarter moves")
    return "; ".join(parts) + "."
