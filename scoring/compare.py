"""What changed between two scenarios: partners' ranks and tiers, orders' delivery quarters,
regions' early deliveries — computed once here for every page, the "what changed" text and the
comparison view.

Sign convention (everywhere): a **negative** quarter change is **earlier**, positive is later; a
positive rank change is a move **up** the ranking (rank 12 → 9 is +3).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["GroupSlips", "OrderChanges", "PartnerChanges", "group_slips", "order_changes", "partner_changes"]


@dataclass(frozen=True)
class PartnerChanges:
    """Per partner of the current scenario: rank and tier in the reference (NaN / 0 if absent
    there), rank change (+ = up), tier change (− = to a better tier), changed at all."""

    reference_rank: np.ndarray
    reference_tier: np.ndarray
    rank_change: np.ndarray
    tier_change: np.ndarray
    changed: np.ndarray

    @property
    def n_tier_changes(self) -> int:
        return int((self.tier_change != 0).sum())


def partner_changes(
    partners: tuple[str, ...], rank: np.ndarray, tier: np.ndarray,
    ref_partners: tuple[str, ...], ref_rank: np.ndarray, ref_tier: np.ndarray,
) -> PartnerChanges:
    """Align the reference's partners to the current ones (by code) and compare.

    ``tier`` uses 1-3 (4 = not tiered, 0 = FCFS: no tiers); a change between "no tiers" and a
    tier is reported as a tier change of 0 (not comparable) but still marks the row changed.
    """
    position = {code: i for i, code in enumerate(ref_partners)}
    idx = np.array([position.get(code, -1) for code in partners], dtype=np.int64)
    found = idx >= 0
    r_rank = np.where(found, np.asarray(ref_rank, dtype=float)[np.maximum(idx, 0)], np.nan)
    r_tier = np.where(found, np.asarray(ref_tier, dtype=np.int64)[np.maximum(idx, 0)], 0)
    cur_rank = np.asarray(rank, dtype=float)
    cur_tier = np.asarray(tier, dtype=np.int64)
    comparable = (r_tier > 0) & (cur_tier > 0)
    tier_change = np.where(comparable, cur_tier - r_tier, 0)
    rank_change = r_rank - cur_rank  # + = moved up
    changed = (np.nan_to_num(rank_change) != 0) | (cur_tier != r_tier)
    return PartnerChanges(r_rank, r_tier, rank_change, tier_change, changed)


@dataclass(frozen=True)
class OrderChanges:
    """Per order of the current scenario: its completion quarter in the reference (``missing`` if
    absent or not competing there), the change (− = earlier), moved at all."""

    reference_last: np.ndarray
    change: np.ndarray
    moved: np.ndarray
    comparable: np.ndarray


def order_changes(
    order_id: np.ndarray, last: np.ndarray, competing: np.ndarray,
    ref_order_id: np.ndarray, ref_last: np.ndarray, ref_competing: np.ndarray,
) -> OrderChanges:
    """Align the reference's orders to the current ones (by id) and compare completion quarters."""
    ref_pos = {int(k): i for i, k in enumerate(np.asarray(ref_order_id))}
    idx = np.array([ref_pos.get(int(k), -1) for k in np.asarray(order_id)], dtype=np.int64)
    safe = np.maximum(idx, 0)
    comparable = (idx >= 0) & np.asarray(competing, dtype=bool) & np.asarray(ref_competing, dtype=bool)[safe]
    reference_last = np.where(idx >= 0, np.asarray(ref_last)[safe], -1)
    change = np.where(comparable, np.asarray(last) - reference_last, 0)
    return OrderChanges(reference_last, change, change != 0, comparable)


def group_shift(values: np.ndarray, reference_values: np.ndarray) -> np.ndarray:
    """Change of a per-group figure against the reference (NaN where either is missing)."""
    return np.asarray(values, dtype=float) - np.asarray(reference_values, dtype=float)


@dataclass(frozen=True)
class GroupSlips:
    """Per group (e.g. region): orders compared, orders that moved, their notified value (US$ bn) and
    the value-weighted mean slip in quarters (NaN where the group has no valued order)."""

    orders: np.ndarray
    moved: np.ndarray
    value: np.ndarray
    value_weighted_slip: np.ndarray


def group_slips(group: np.ndarray, slip: np.ndarray, value: np.ndarray, n_groups: int) -> GroupSlips:
    """Roll order slips (quarters, B − A; NaN = not in both scenarios, left out) up to groups
    ``0..n_groups-1`` (a negative group = no group, left out); orders without a value count in
    ``orders``/``moved`` but weigh 0."""
    group_a = np.asarray(group, dtype=np.int64)
    slip_a = np.asarray(slip, dtype=float)
    keep = ~np.isnan(slip_a) & (group_a >= 0)
    g, s = group_a[keep], slip_a[keep]
    v = np.nan_to_num(np.asarray(value, dtype=float)[keep], nan=0.0)
    orders = np.bincount(g, minlength=n_groups)
    moved = np.bincount(g, weights=(s != 0).astype(float), minlength=n_groups).astype(np.int64)
    total = np.bincount(g, weights=v, minlength=n_groups)
    weighted = np.bincount(g, weights=s * v, minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(total > 0, weighted / np.where(total > 0, total, 1.0), np.nan)
    return GroupSlips(orders, moved, total, mean)
