"""Hard gates: rules that hold a partner's orders regardless of its score, each with a reason.

The order keeps human rights and end use in the review. Gates make those rules explicit and
optional:

- **Human-rights floor**: a partner whose Freedom House total is below the floor is held. A
  partner with no Freedom House score is *not* held but flagged (the floor cannot be applied).
- **End-use risk ceiling**: a partner whose analyst end-use/diversion risk score is above the
  ceiling is held.
- **Risk veto** (optional, the Cato Institute's Arms Sales Risk Index proposal): instead of weighing
  risk against the other criteria, a partner in the worst band of any risk component is held — rated
  "Not Free" by Freedom House, or an end-use risk of ``VETO_END_USE`` (4) or more on the 0–5 scale.
- **Restricted partners** (optional): a partner that US law allows only case by case (22 CFR
  126.1(d)(2), a partial UN embargo; see ``scoring.eligibility``) is held when the analyst asks.
- **Sensitive technology**: orders on high-sensitivity lines (F-35, PAC-3, THAAD, …) go only to
  NATO allies and Major Non-NATO Allies whose priority score reaches a minimum; other such orders
  are held.

A held order is not cancelled: in the queue it moves behind every cleared order on its line
(see ``scoring.queue``). Every decision carries a reason string for the UI.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

VETO_END_USE = 4.0
"""Worst band of the 0–5 end-use risk scale ('documented diversion or misuse' and above)."""

BLOCK_PARTNER = -1
"""Partner index of a backlog block ("other customers, not itemised"): no partner, no gate."""


@dataclass(frozen=True)
class GateConfig:
    """Which gates are on and their parameters (None = gate off)."""

    hr_floor: float | None = None  # Freedom House total, 0–100
    end_use_ceiling: float | None = None  # analyst score 0–5
    sensitive_tech_min_score: float | None = None  # priority points, 0–100
    hold_restricted: bool = False  # hold partners that US law allows only case by case
    risk_veto: bool = False  # hold partners in the worst band of any risk component

    def validate(self) -> None:
        """Raises ``ValueError`` for out-of-range parameters."""
        if self.hr_floor is not None and not 0 <= self.hr_floor <= 100:
            raise ValueError("The human-rights floor is a Freedom House total between 0 and 100")
        if self.end_use_ceiling is not None and not 0 <= self.end_use_ceiling <= 5:
            raise ValueError("The end-use risk ceiling is a score between 0 and 5")
        if self.sensitive_tech_min_score is not None and not 0 <= self.sensitive_tech_min_score <= 100:
            raise ValueError("The sensitive-technology minimum is a priority score between 0 and 100")


@dataclass(frozen=True)
class PartnerGates:
    """Per partner: held or not, flagged or not, and why."""

    held: np.ndarray  # (n,) bool
    flagged: np.ndarray  # (n,) bool: a gate could not be applied (missing data)
    reasons: tuple[str, ...]  # '' when cleared and not flagged


def partner_gates(
    fh_total: np.ndarray,
    end_use_risk: np.ndarray,
    config: GateConfig,
    restricted: np.ndarray | None = None,
    not_free: np.ndarray | None = None,
) -> PartnerGates:
    """Apply the partner-level gates (``restricted``: True for case-by-case-only partners;
    ``not_free``: 1 where Freedom House rates the partner Not Free, 0 otherwise, NaN if unrated).

    Raises
    ------
    ValueError
        Invalid gate parameters or arrays of different lengths.
    """
    config.validate()
    fh = np.asarray(fh_total, dtype=float)
    risk = np.asarray(end_use_risk, dtype=float)
    if fh.shape != risk.shape:
        raise ValueError("Freedom House and end-use risk arrays must have one value per partner")
    held = np.zeros(fh.shape, dtype=bool)
    flagged = np.zeros(fh.shape, dtype=bool)
    reasons: list[list[str]] = [[] for _ in range(len(fh))]
    if config.hr_floor is not None:
        below = fh < config.hr_floor
        no_score = np.isnan(fh)
        held |= below
        flagged |= no_score
        for i in np.flatnonzero(below):
            reasons[i].append(
                f"Held: Freedom House 2025 total {fh[i]:.0f} is below the floor of {config.hr_floor:.0f}"
            )
        for i in np.flatnonzero(no_score):
            reasons[i].append("Flagged: no Freedom House score, the human-rights floor was not applied")
    if config.end_use_ceiling is not None:
        above = risk > config.end_use_ceiling
        held |= above
        flagged |= np.isnan(risk)
        for i in np.flatnonzero(above):
            reasons[i].append(
                f"Held: end-use risk {risk[i]:.1f}/5 (analyst judgement) is above the ceiling of "
                f"{config.end_use_ceiling:.1f}"
            )
        for i in np.flatnonzero(np.isnan(risk)):
            reasons[i].append("Flagged: no end-use risk assessment, the ceiling was not applied")
    if config.risk_veto:
        nf = np.full(fh.shape, np.nan) if not_free is None else np.asarray(not_free, dtype=float)
        worst_fh = nf == 1
        worst_risk = risk >= VETO_END_USE
        for i in np.flatnonzero(worst_fh | worst_risk):
            parts = (["rated Not Free by Freedom House"] if worst_fh[i] else []) + (
                [f"end-use risk {risk[i]:.1f}/5 is in the worst band (≥ {VETO_END_USE:.0f})"] if worst_risk[i] else []
            )
            reasons[i].append("Held by the risk veto: " + " and ".join(parts))
        held |= worst_fh | worst_risk
    if restricted is not None:
        case_by_case = np.asarray(restricted, dtype=bool)
        if case_by_case.shape != fh.shape:
            raise ValueError("The restricted flags must have one value per partner")
        for i in np.flatnonzero(case_by_case):
            if config.hold_restricted:
                reasons[i].append("Held: US law allows transfers to this partner only case by case (restricted)")
            else:
                reasons[i].append("Flagged: restricted by US law (case-by-case review only)")
        if config.hold_restricted:
            held |= case_by_case
        flagged |= case_by_case
    return PartnerGates(held, flagged, tuple("; ".join(r) for r in reasons))


@dataclass(frozen=True)
class OrderGates:
    """Per order: held or not and why ('' when cleared)."""

    held: np.ndarray  # (n_orders,) bool
    reasons: np.ndarray  # (n_orders,) object array of str


def order_gates(
    order_partner: np.ndarray,
    order_sensitivity: np.ndarray,
    partner_is_ally: np.ndarray,
    partner_score: np.ndarray,
    partners: PartnerGates,
    config: GateConfig,
) -> OrderGates:
    """Apply the order-level gates: partner holds carry over, plus the sensitive-technology rule.

    Reasons are built per partner and gathered per order, so a book of a million orders costs
    array operations, not a Python loop per order.

    Parameters
    ----------
    order_partner
        Index of each order's partner into the partner arrays.
    order_sensitivity
        Each order's line sensitivity: 'low', 'medium' or 'high'.
    partner_is_ally
        True for NATO allies and Major Non-NATO Allies.
    partner_score
        Priority score per partner (0–100).

    Raises
    ------
    ValueError
        Invalid parameters or an order pointing at an unknown partner.
    """
    config.validate()
    idx = np.asarray(order_partner, dtype=int)
    n_partners = len(partners.held)
    if idx.size and (idx.min() < BLOCK_PARTNER or idx.max() >= n_partners):
        raise ValueError("An order points at a partner that is not in the scored set")
    block = idx == BLOCK_PARTNER  # "other customers, not itemised": no partner, never held
    idx = np.where(block, 0, idx) if n_partners else idx
    # Everything depends only on (partner, high-sensitivity or not): decide per partner, then gather.
    partner_reason = np.where(partners.held, np.asarray(partners.reasons, dtype=object), "")
    held_high, reason_high = partners.held, partner_reason
    if config.sensitive_tech_min_score is not None:
        ally = np.asarray(partner_is_ally, dtype=bool)
        score = np.asarray(partner_score, dtype=float)
        minimum = config.sensitive_tech_min_score
        tech_reason = np.array(
            [
                "Held: high-sensitivity platform, partner is neither a NATO ally nor an MNNA"
                if not ally[i]
                else f"Held: high-sensitivity platform needs a priority score ≥ {minimum:.0f} (partner has {score[i]:.1f})"
                if score[i] < minimum
                else ""
                for i in range(n_partners)
            ],
            dtype=object,
        )
        tech_block = tech_reason != ""
        held_high = partners.held | tech_block
        reason_high = np.where(
            partners.held & tech_block, partner_reason + "; " + tech_reason, np.where(tech_block, tech_reason, partner_reason)
        )
    high = np.asarray(order_sensitivity) == "high"
    if not n_partners:
        return OrderGates(np.zeros(idx.size, dtype=bool), np.full(idx.size, "", dtype=object))
    held = np.where(high, held_high[idx], partners.held[idx]) & ~block
    reasons = np.where(block, "", np.where(high, reason_high[idx], partner_reason[idx]))
    return OrderGates(held, reasons)
