"""Tiers, gates and "what it would take": hand-computed cases."""

from __future__ import annotations

import numpy as np
import pytest

from scoring.criteria import Criterion
from scoring.engine import ScoringConfig, score_partners
from scoring.features import DecisionMatrix
from scoring.gates import GateConfig, order_gates, partner_gates
from scoring.levers import tier_levers
from scoring.sensitivity import monte_carlo
from scoring.tiers import TierRule, assign_tiers


def test_threshold_tiers_and_distances() -> None:
    """Boundaries 60/40. Scores 70, 50, 20 → tiers 1, 2, 3; P1 needs 10 points, P2 needs 20."""
    tiers = assign_tiers(np.array([70.0, 50.0, 20.0]), np.array([1, 2, 3]), TierRule("threshold", 60, 40))
    assert list(tiers.tier) == [1, 2, 3]
    assert np.isnan(tiers.points_to_next[0])
    assert tiers.points_to_next[1:].tolist() == [10.0, 20.0]


def test_quantile_tiers_follow_rank() -> None:
    """Ten partners, top 20% and cumulative 50%: ranks 1–2 tier 1, 3–5 tier 2, 6–10 tier 3.
    The tier-1 boundary is the 2nd best score (90); the rank-3 partner (80) needs 10 points."""
    score = np.array([100.0, 90, 80, 70, 60, 50, 40, 30, 20, 10])
    tiers = assign_tiers(score, np.arange(1, 11), TierRule("quantile", 0.2, 0.5))
    assert list(tiers.tier) == [1, 1, 2, 2, 2, 3, 3, 3, 3, 3]
    assert tiers.boundaries == (90.0, 60.0)
    assert tiers.points_to_next[2] == 10.0


def test_tier_rule_validation() -> None:
    with pytest.raises(ValueError, match="key-participant"):
        assign_tiers(np.array([1.0]), np.array([1]), TierRule("threshold", 30, 60))
    with pytest.raises(ValueError, match="share"):
        assign_tiers(np.array([1.0]), np.array([1]), TierRule("quantile", 0.6, 0.3))


def test_partner_gates_with_reasons() -> None:
    gates = partner_gates(
        np.array([90.0, 10.0, np.nan]), np.array([1.0, 4.5, 2.0]), GateConfig(hr_floor=30, end_use_ceiling=4)
    )
    assert gates.held.tolist() == [False, True, False]
    assert gates.flagged.tolist() == [False, False, True]
    assert "below the floor of 30" in gates.reasons[1]
    assert "above the ceiling" in gates.reasons[1]
    assert "no Freedom House score" in gates.reasons[2]
    assert gates.reasons[0] == ""


def test_sensitive_technology_gate() -> None:
    """Orders: ally high-sensitivity (score 50 ≥ 40: cleared), non-ally high (held),
    ally high with score 30 (held), non-ally medium (cleared)."""
    partners = partner_gates(np.array([90.0, 90, 90]), np.array([0.0, 0, 0]), GateConfig())
    orders = order_gates(
        np.array([0, 1, 2, 1]),
        np.array(["high", "high", "high", "medium"]),
        np.array([True, False, True]),
        np.array([50.0, 80, 30]),
        partners,
        GateConfig(sensitive_tech_min_score=40),
    )
    assert orders.held.tolist() == [False, True, True, False]
    assert "neither a NATO ally nor an MNNA" in orders.reasons[1]
    assert "needs a priority score ≥ 40" in orders.reasons[2]


def _spend_matrix() -> DecisionMatrix:
    share = Criterion("share_gdp", "Share", "Defense investment", "benefit", "%", "share_gdp", "t", "t")
    front = Criterion("frontline", "Front", "Strategic value", "benefit", "0-5", "frontline", "t", "t")
    raw = np.array([[4.0, 5.0], [2.0, 1.0], [1.0, 0.0]])
    return DecisionMatrix(("AAA", "BBB", "CCC"), (share, front), raw)


def test_what_it_takes_by_hand() -> None:
    """Equal weights, boundaries 60/40. BBB: share 2 → (2−1)/3 = 1/3, front 1/5 → score
    50·(1/3) + 50·0.2 = 26.67, tier 3. Reaching 40 needs 50·(s−1)/3 ≥ 30 → s ≥ 2.8 while AAA
    (4) stays the maximum: a rise of 0.80 points."""
    m = _spend_matrix()
    result = score_partners(m, ScoringConfig({"share_gdp": 1, "frontline": 1}))
    levers = {r.lever.key: r for r in tier_levers(m, result, TierRule("threshold", 60, 40), 3, 1)}
    assert levers["spending"].move == pytest.approx(0.80)
    assert levers["spending"].new_value == pytest.approx(2.80)


def test_what_it_takes_unreachable_when_spending_has_no_weight() -> None:
    m = _spend_matrix()
    result = score_partners(m, ScoringConfig({"share_gdp": 0, "frontline": 1}))
    levers = {r.lever.key: r for r in tier_levers(m, result, TierRule("threshold", 60, 40), 3, 1)}
    assert levers["spending"].move is None
    assert "no weight" in levers["spending"].note


def test_monte_carlo_with_zero_spread_reproduces_ranks() -> None:
    m = _spend_matrix()
    result = score_partners(m, ScoringConfig({"share_gdp": 1, "frontline": 1}))
    mc = monte_carlo(result, TierRule("threshold", 60, 40), n_draws=50, spread=0.0)
    assert np.array_equal(mc.rank_median, result.rank)
    assert np.allclose(mc.same_tier_share, 1.0)


def test_batched_ranks_match_a_plain_sort_with_ties() -> None:
    """rank_desc on a (draws, n) batch: every row ranked as Python's sorted() on (-score, code)."""
    from scoring.engine import rank_desc

    rng = np.random.default_rng(3)
    partners = ("ZZZ", "AAA", "MMM", "BBB", "CCC", "YYY")
    scores = rng.integers(0, 4, size=(50, 6)).astype(float)  # many ties
    batched = rank_desc(scores, partners)
    for row, got in zip(scores, batched, strict=True):
        order = sorted(range(6), key=lambda i: (-row[i], partners[i]))
        expected = [0] * 6
        for position, i in enumerate(order, start=1):
            expected[i] = position
        assert got.tolist() == expected
        assert rank_desc(row, partners).tolist() == expected


def test_risk_veto_holds_the_worst_band_of_either_risk_component() -> None:
    """Freedom House Not Free (1) or end-use risk ≥ 4 holds; 3.9 and Partly Free do not; an unrated
    partner (NaN) is not held by the Freedom House part."""
    fh = np.array([80.0, 10.0, 60.0, 55.0, np.nan])
    risk = np.array([1.0, 1.0, 4.0, 3.9, 1.0])
    not_free = np.array([0.0, 1.0, 0.0, 0.0, np.nan])
    off = partner_gates(fh, risk, GateConfig(), not_free=not_free)
    assert not off.held.any()
    on = partner_gates(fh, risk, GateConfig(risk_veto=True), not_free=not_free)
    assert on.held.tolist() == [False, True, True, False, False]
    assert "Not Free" in on.reasons[1] and "worst band" in on.reasons[2]


def test_restricted_partners_are_flagged_and_held_only_when_asked() -> None:
    fh, risk = np.array([70.0, 70.0]), np.array([1.0, 1.0])
    restricted = np.array([False, True])
    flagged = partner_gates(fh, risk, GateConfig(), restricted)
    assert flagged.held.tolist() == [False, False] and flagged.flagged.tolist() == [False, True]
    assert flagged.reasons[1].startswith("Flagged: restricted")
    held = partner_gates(fh, risk, GateConfig(hold_restricted=True), restricted)
    assert held.held.tolist() == [False, True] and held.reasons[1].startswith("Held: US law")


def test_a_backlog_block_is_never_held() -> None:
    """Partner index -1 (other customers, not itemised) clears every gate, even a held partner's."""
    partners = partner_gates(np.array([10.0]), np.array([1.0]), GateConfig(hr_floor=50))
    gates = order_gates(np.array([0, -1]), np.array(["low", "high"]), np.array([True]), np.array([50.0]), partners,
                        GateConfig(hr_floor=50, sensitive_tech_min_score=90))
    assert gates.held.tolist() == [True, False]
    assert gates.reasons[1] == ""


def test_gates_add_up_rather_than_replace_each_other() -> None:
    """Four partners: A below the human-rights floor (FH 20), B above the end-use ceiling (4.5), C rated
    Not Free (veto), D restricted and held as such, E with no FH score (flagged, then restricted too).
    Each gate holds its own partner, whatever the gates after it find, and flags accumulate."""
    from scoring.gates import GateConfig, partner_gates

    fh = np.array([20.0, 80.0, 70.0, 90.0, np.nan])
    risk = np.array([1.0, 4.5, 1.0, 1.0, 1.0])
    config = GateConfig(hr_floor=30.0, end_use_ceiling=4.0, risk_veto=True, hold_restricted=True)
    gates = partner_gates(fh, risk, config, restricted=np.array([0, 0, 0, 1, 1]), not_free=np.array([0, 0, 1, 0, 0]))
    assert gates.held.tolist() == [True, True, True, True, True]
    assert gates.flagged.tolist() == [False, False, False, True, True]
    assert gates.reasons[0].startswith("Held: Freedom House 2025 total 20")
    assert gates.reasons[1].startswith("Held: end-use risk 4.5/5") and "worst band" in gates.reasons[1]
    assert gates.reasons[2] == "Held by the risk veto: rated Not Free by Freedom House"
    assert gates.reasons[4].startswith("Flagged: no Freedom House score") and "restricted" in gates.reasons[4]
    only_hr = partner_gates(fh, risk, GateConfig(hr_floor=30.0), restricted=np.array([0, 0, 0, 1, 1]))
    assert only_hr.held.tolist() == [True, False, False, False, False]
    assert only_hr.flagged.tolist() == [False, False, False, True, True]


def test_order_gates_with_blocks_and_reasons_joined() -> None:
    """Orders of partner 0 (held by a partner gate and not an ally: both reasons on a high-sensitivity
    order, only the partner's on a low one), of partner 1 (ally, score 30 < 40: held on high only),
    and an 'other customers' block (never held, no reason)."""
    from scoring.gates import BLOCK_PARTNER, GateConfig, PartnerGates, order_gates

    partners = PartnerGates(np.array([True, False]), np.array([False, False]), ("Held: floor", ""))
    gates = order_gates(
        [0, 0, 1, 1, BLOCK_PARTNER], np.array(["high", "low", "high", "medium", "high"]), [0, 1], [10, 30],
        partners, GateConfig(sensitive_tech_min_score=40.0),
    )
    assert gates.held.tolist() == [True, True, True, False, False]
    assert gates.reasons[0] == "Held: floor; Held: high-sensitivity platform, partner is neither a NATO ally nor an MNNA"
    assert gates.reasons[1] == "Held: floor"
    assert gates.reasons[2] == "Held: high-sensitivity platform needs a priority score ≥ 40 (partner has 30.0)"
    assert gates.reasons[3] == "" and gates.reasons[4] == ""
    with pytest.raises(ValueError, match="not in the scored set"):
        order_gates([2], np.array(["low"]), [0, 1], [10, 30], partners, GateConfig())
