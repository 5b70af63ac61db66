"""What it would take: every criterion a partner can move itself, one at a time, and how far it
must move to rise one tier — or, for a tier-1 partner, how far it may slip before it drops.

A *lever* is a change the partner controls: its defence spending (share of GDP, with the trend,
absolute spending and distance to pledge moving with it, as in ``scoring.sensitivity``), the
equipment share of its budget, its purchases of US arms (volume and US share of imports),
interoperability with US systems, investment in US production, governance and end-use risk.
Geography, basing and US plans are not levers: a partner does not move them by itself.

Each lever is tried on a grid of steps, every partner re-scored for every step in one batched
array operation (others held as they are), and the smallest step that crosses the tier boundary is
reported. Quantile tiers are crossed by rank (the boundary moves with the other partners' scores
too, which the re-scoring captures).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scoring.engine import ScoreResult, rank_desc
from scoring.features import DecisionMatrix
from scoring.sensitivity import _score_batch
from scoring.tiers import TierRule, boundaries_for, tier_sizes

__all__ = ["LEVERS", "Lever", "LeverResult", "tier_levers"]


@dataclass(frozen=True)
class Lever:
    """One change a partner controls: the criterion it moves, the unit and the grid of steps."""

    key: str
    label: str
    criterion: str
    unit: str
    step: float
    limit: float  # the largest move tried (in ``unit``)
    floor: float  # bounds of the raw value
    ceiling: float
    multiplicative: bool = False  # steps are factors (×) rather than additions


LEVERS: tuple[Lever, ...] = (
    Lever("spending", "Defence spending", "share_gdp", "points of GDP", 0.05, 10.0, 0.0, 100.0),
    Lever("equipment", "Equipment share of the budget", "equipment_share", "points", 0.5, 40.0, 0.0, 100.0),
    Lever("purchases", "US arms purchases (volume)", "us_arms_purchases", "×", 0.1, 10.0, 0.0, np.inf, True),
    Lever("import_share", "US share of arms imports", "us_import_share", "points", 1.0, 100.0, 0.0, 100.0),
    Lever("interoperability", "Interoperability with US systems", "interoperability", "points of 5", 0.1, 5.0, 0.0, 5.0),
    Lever("investment", "Investment in US production", "industrial_investment", "points of 5", 0.1, 5.0, 0.0, 5.0),
    Lever("governance", "Freedom House score", "governance", "points of 100", 1.0, 100.0, 0.0, 100.0),
    Lever("end_use", "End-use risk", "end_use_risk", "points of 5", 0.1, 5.0, 0.0, 5.0),
)


@dataclass(frozen=True)
class LeverResult:
    """How far one lever must move (None: not far enough within its range, or not available)."""

    lever: Lever
    current: float | None
    move: float | None  # positive size of the move in the lever's unit (a factor if multiplicative)
    new_value: float | None
    note: str


def tier_levers(
    matrix: DecisionMatrix, result: ScoreResult, rule: TierRule, tier: int, partner_index: int
) -> list[LeverResult]:
    """For a partner in ``tier`` 2 or 3: the smallest move of each lever that lifts it one tier.
    For tier 1: the smallest move in the harmful direction that drops it to tier 2.

    Raises
    ------
    ValueError
        Partner index out of range or a tier outside 1..3.
    """
    n = len(matrix.partners)
    if not 0 <= partner_index < n:
        raise ValueError(f"Partner index {partner_index} outside 0..{n - 1}")
    if tier not in (1, 2, 3):
        raise ValueError("Levers apply to tiered partners (tiers 1-3)")
    keys = [c.key for c in matrix.criteria]
    weights = dict(zip(keys, result.weights, strict=True))
    cost = {c.key: c.direction == "cost" for c in matrix.criteria}
    # Each lever's batch differs from the scored matrix only in its own column (and the spending
    # companions): renormalise just those when ``result`` scored this very matrix.
    same_matrix = np.array_equal(matrix.raw, result.raw, equal_nan=True)
    companions = [keys.index(k) for k in ("share_trend", "spend_abs", "pledge_gap") if k in keys]
    out: list[LeverResult] = []
    for lever in LEVERS:
        if lever.criterion not in keys:
            continue
        j = keys.index(lever.criterion)
        current = matrix.raw[partner_index, j]
        if weights[lever.criterion] <= 0:
            out.append(LeverResult(lever, _opt(current), None, None, "carries no weight in this scenario"))
            continue
        if np.isnan(current):
            out.append(LeverResult(lever, None, None, None, "no figure on record to move"))
            continue
        better = -1.0 if cost[lever.criterion] else 1.0
        direction = better if tier > 1 else -better
        steps = np.arange(1, int(round(lever.limit / lever.step)) + 1) * lever.step
        if lever.multiplicative:
            factors = 1.0 + steps if direction > 0 else 1.0 / (1.0 + steps)
            values = np.clip(current * factors, lever.floor, lever.ceiling)
        else:
            values = np.clip(current + direction * steps, lever.floor, lever.ceiling)
        keep = np.concatenate([[True], values[1:] != values[:-1]]) & (values != current)
        steps, values = steps[keep], values[keep]
        if values.size == 0:
            out.append(LeverResult(lever, float(current), None, None, "already at the end of its range"))
            continue
        raw = np.broadcast_to(matrix.raw, (len(values), *matrix.raw.shape)).copy()
        raw[:, partner_index, j] = values
        if lever.key == "spending":
            _move_spending_companions(matrix, raw, partner_index, values - current, current)
        columns = None
        if same_matrix:
            columns = sorted({j, *companions}) if lever.key == "spending" else [j]
        scores = _score_batch(raw, result, columns)
        crossed = _crossed(scores, result, rule, matrix.partners, partner_index, tier)
        hits = np.flatnonzero(crossed)
        if hits.size == 0:
            out.append(LeverResult(lever, float(current), None, None, "not enough within its range"))
            continue
        k = int(hits[0])
        move = float(1.0 + steps[k]) if lever.multiplicative else float(steps[k])
        out.append(LeverResult(lever, float(current), move, float(values[k]), ""))
    return out


def _move_spending_companions(
    matrix: DecisionMatrix, raw: np.ndarray, i: int, delta: np.ndarray, share: float
) -> None:
    keys = [c.key for c in matrix.criteria]
    if "share_trend" in keys:
        raw[:, i, keys.index("share_trend")] += delta  # NaN stays NaN
    if "spend_abs" in keys and share > 0:
        raw[:, i, keys.index("spend_abs")] *= (share + delta) / share
    if "pledge_gap" in keys:
        j = keys.index("pledge_gap")
        raw[:, i, j] = np.maximum(raw[:, i, j] - delta, 0.0)


def _crossed(
    scores: np.ndarray, result: ScoreResult, rule: TierRule, partners: tuple[str, ...], i: int, tier: int
) -> np.ndarray:
    """Per step: has the partner crossed its boundary (up from tier 2/3, down from tier 1)?"""
    n = len(partners)
    if rule.mode == "threshold":
        b1, b2 = boundaries_for(result.score, rule)
        if tier == 1:
            return scores[:, i] < b1
        return scores[:, i] >= (b1 if tier == 2 else b2)
    ranks = rank_desc(scores, partners)
    k1, k2 = tier_sizes(rule, n)
    if tier == 1:
        return ranks[:, i] > k1
    return ranks[:, i] <= (k1 if tier == 2 else k2)


def _opt(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def not_tiered_note(share: float, min_share: float) -> str:
    """Why a partner is not tiered (coverage below the minimum share of the weight, both 0–1)."""
    return (
        f"Not tiered: only {100 * share:.0f}% of the weight rests on observed data (minimum "
        f"{100 * min_share:.0f}%). Published figures for its missing criteria would tier it."
    )


def describe_levers(rows: list[LeverResult], tier: int) -> tuple[str, list[dict[str, str]]]:
    """The heading and one row of text per lever (lever, now, change, to, note) for a partner in
    ``tier``: what would drop a tier-1 partner to tier 2, or lift any other one tier. A change reads
    ×/÷ for a multiplicative lever, else +/− in the lever's unit (− for end-use risk when rising,
    since lower risk scores better)."""
    heading = (
        "What would drop it to tier 2 (each lever alone, everything else held):" if tier == 1
        else f"What would lift it into tier {tier - 1} (each lever alone, everything else held):"
    )
    rising = tier > 1

    def change(r: LeverResult) -> str:
        if r.move is None:
            return "—"
        if r.lever.multiplicative:
            return f"{'×' if rising else '÷'}{r.move:.1f}"
        sign = "+" if rising != (r.lever.criterion == "end_use_risk") else "−"
        return f"{sign}{r.move:g} {r.lever.unit}"

    return heading, [
        {
            "lever": r.lever.label,
            "now": "—" if r.current is None else f"{r.current:,.2f}",
            "change": change(r),
            "to": "—" if r.new_value is None else f"{r.new_value:,.2f}",
            "note": r.note,
        }
        for r in rows
    ]
