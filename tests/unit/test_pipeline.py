"""The end-to-end scenario chain on a small hand-made book."""

from __future__ import annotations

import numpy as np
import pytest

from scoring.criteria import CRITERIA, PRESETS_BY_KEY
from scoring.pipeline import LineTable, OrderBook, PartnerInputs, Scenario, run_scenario
from scoring.scenario import Investment

FEATURES = [
    "sipri_share", "sipri_trend", "sipri_usd_const_m", "pledge_pct", "nato_share", "nato_trend",
    "equipment_share", "us_troops", "us_tiv_recent", "us_import_share", "fh_total", "frontline",
    "us_plans_role", "basing_access", "interoperability", "industrial_investment", "end_use_risk",
]


def partners() -> PartnerInputs:
    """AAA spends and is strategic (strong); BBB is weak; CCC is middling with a poor FH score."""
    values = {name: np.array([4.0, 1.0, 2.0]) for name in FEATURES}
    values["fh_total"] = np.array([90.0, 80.0, 10.0])
    values["industrial_investment"] = np.array([1.0, 0.0, 0.5])
    values["end_use_risk"] = np.array([0.5, 1.0, 4.5])
    return PartnerInputs(("AAA", "BBB", "CCC"), values, np.array([True, True, False]))


def book() -> OrderBook:
    """One line, three orders of 10 units; BBB signed first, then CCC, then AAA."""
    return OrderBook(
        order_id=np.array([1, 2, 3]),
        partner_index=np.array([1, 2, 0]),
        line_index=np.array([0, 0, 0]),
        units=np.array([10.0, 10.0, 10.0]),
        contract_day=np.array([100, 200, 300]),
        sensitivity=np.array(["high", "high", "high"]),
    )


def lines() -> LineTable:
    """40 units a year, flat: 10 a quarter (before the domestic share)."""
    return LineTable(("line",), np.array([40.0]), np.array([2025.0]), np.array([np.nan]), np.array([np.nan]), np.array([5.0]))


def eo(**changes) -> Scenario:
    base = dict(weights=tuple(sorted(PRESETS_BY_KEY["eo"].weights.items())), domestic_share=0.0, start_year=2026,
                fence_quarters=0)
    base.update(changes)
    return Scenario(base.pop("weights")).changed(**base)


def test_priority_serves_the_strongest_partner_first() -> None:
    """FCFS: BBB q0, CCC q1, AAA q2. Priority: AAA q0 — a gain of two quarters."""
    result = run_scenario(partners(), book(), lines(), eo())
    assert result.comparison.fcfs_last_quarter.tolist() == [0, 1, 2]
    assert result.comparison.priority_last_quarter[2] == 0
    assert result.comparison.delay_quarters[2] == -2


def test_all_zero_weights_mean_first_come_first_served() -> None:
    zero = eo(weights=tuple((c.key, 0.0) for c in CRITERIA))
    result = run_scenario(partners(), book(), lines(), zero)
    assert result.ranking is None
    assert np.array_equal(result.comparison.priority_last_quarter, result.comparison.fcfs_last_quarter)


def test_a_held_order_is_suspended_or_delayed_never_delivered_while_held() -> None:
    """The human-rights floor holds CCC (FH 10). Suspended: it receives nothing in the horizon and its
    capacity goes to the others (AAA q0, BBB q1). Delayed by 4 quarters: it competes from q4 and,
    the line being free by then, is built in q4."""
    result = run_scenario(partners(), book(), lines(), eo(hr_floor=30.0))
    assert result.order_gates.held.tolist() == [False, True, False]
    assert "below the floor of 30" in result.order_gates.reasons[1]
    c = result.comparison
    assert c.suspended.tolist() == [False, True, False]
    assert c.priority_beyond_horizon[1] and c.priority_first_quarter[1] == c.horizon_quarters
    assert c.priority_last_quarter[[2, 0]].tolist() == [0, 1]
    delayed = run_scenario(partners(), book(), lines(), eo(hr_floor=30.0, hold_mode="delay", review_quarters=4)).comparison
    assert delayed.priority_first_quarter[1] == 4 and delayed.priority_last_quarter[1] == 4
    assert c.fcfs_last_quarter.tolist() == [0, 1, 2]  # the FCFS baseline has no gates


def test_the_time_fence_keeps_committed_production_in_fcfs_order() -> None:
    """A 2-quarter fence: q0 and q1 go to BBB and CCC as under FCFS; AAA's priority only counts
    from q2 — so under priority every order finishes as under FCFS."""
    result = run_scenario(partners(), book(), lines(), eo(fence_quarters=2))
    c = result.comparison
    assert c.priority_last_quarter.tolist() == c.fcfs_last_quarter.tolist() == [0, 1, 2]


def test_orders_arrive_after_signature_plus_lead_time_and_notified_ones_wait() -> None:
    """Signed 2026-12-01 on a line with a 24-month lead time (the category default): the order
    competes from 2028 Q4, i.e. quarter 11 from 2026 Q1, and no earlier. A notified order does
    not compete unless asked, then from its date plus the 12-month lag."""
    day = int((np.datetime64("2026-12-01") - np.datetime64("1970-01-01")).astype(int))
    late = OrderBook(
        order_id=np.array([1, 2]), partner_index=np.array([0, 1]), line_index=np.array([0, 0]),
        units=np.array([10.0, 10.0]), contract_day=np.array([day, day]),
        sensitivity=np.array(["low", "low"]), status=np.array(["signed", "notified"]),
    )
    c = run_scenario(partners(), late, lines(), eo()).comparison
    assert c.arrival_quarter.tolist() == [11, -1]
    assert c.fcfs_first_quarter[0] == 11 and c.priority_first_quarter[0] == 11
    assert c.competing.tolist() == [True, False] and c.fcfs_last_quarter[1] == -1
    with_notified = run_scenario(partners(), late, lines(), eo(include_notified=True)).comparison
    assert with_notified.arrival_quarter.tolist() == [11, 15]


def test_sensitive_technology_rule_holds_non_allies() -> None:
    result = run_scenario(partners(), book(), lines(), eo(sensitive_tech_min_score=0.0))
    assert result.order_gates.held.tolist() == [False, True, False]
    assert "neither a NATO ally nor an MNNA" in result.order_gates.reasons[1]


def test_investment_adds_capacity_after_the_expansion_lead_time_with_a_discounted_credit() -> None:
    """BBB funds +160 units a year from 2026 (US$800m a year at US$5m a unit). The line's lead time
    is the 24-month default, so the capacity produces from 2028 Q1 (quarter 8): 10 → 50 a quarter
    from then, not before. Credit: 0.8 points × 0.9² (two years away) = 0.648."""
    from scoring.pipeline import investment_credit, investment_start

    plain = run_scenario(partners(), book(), lines(), eo())
    scenario = eo(investment=Investment("line", "BBB", 160.0, 2026))
    funded = run_scenario(partners(), book(), lines(), scenario)
    assert investment_start(scenario.production, lines()) == (2028, 1)
    assert funded.capacity[0, 7] == pytest.approx(10.0) and funded.capacity[0, 8] == pytest.approx(50.0)
    assert investment_credit(scenario.production, lines()) == pytest.approx(0.648)
    assert funded.partner_score[1] > plain.partner_score[1]
    assert "BBB funds +160 units/yr" in funded.investment_note and "2028 Q1" in funded.investment_note
    far = eo(investment=Investment("line", "BBB", 160.0, 2040))
    assert investment_credit(far.production, lines()) == pytest.approx(0.8 * 0.9**16)  # a 2040 pledge buys little today


def test_the_funder_can_claim_a_share_of_the_output_it_paid_for() -> None:
    """Three 10-unit orders already waiting a year ahead, 10 units a quarter; BBB funds +160 a year
    from 2024 (producing from 2026 Q1) and claims half: 20 of the 50 units each quarter go to BBB's
    order first. BBB's order then completes in quarter 0 whatever its place in the queue."""
    late_book = OrderBook(
        order_id=np.array([1, 2, 3, 4]), partner_index=np.array([0, 2, 0, 1]), line_index=np.array([0, 0, 0, 0]),
        units=np.array([40.0, 40.0, 40.0, 10.0]), contract_day=np.array([100, 200, 300, 400]),
        sensitivity=np.array(["low"] * 4),
    )
    scenario = eo(investment=Investment("line", "BBB", 160.0, 2024), funder_share=0.5, weights=tuple((c.key, 0.0) for c in CRITERIA))
    c = run_scenario(partners(), late_book, lines(), scenario).comparison
    assert c.fcfs_last_quarter[3] == 0 and c.priority_last_quarter[3] == 0
    without = run_scenario(partners(), late_book, lines(), eo(investment=Investment("line", "BBB", 160.0, 2024),
                                                             weights=tuple((c.key, 0.0) for c in CRITERIA))).comparison
    assert without.fcfs_last_quarter[3] > 0  # in the shared pool it waits behind 120 earlier units
    assert np.allclose(c.fcfs_per_quarter.sum(axis=0)[:3], [50, 50, 30])  # 130 units: no capacity lost


def test_investment_on_unknown_line_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown production line"):
        run_scenario(partners(), book(), lines(), eo(investment=Investment("nope", "BBB", 40.0, 2026)))


def test_edited_judgements_change_the_score_and_are_validated() -> None:
    plain = run_scenario(partners(), book(), lines(), eo())
    edited = run_scenario(partners(), book(), lines(), eo(overrides=(("BBB", "frontline", 5.0),)))
    assert edited.partner_score[1] > plain.partner_score[1]
    with pytest.raises(ValueError, match="not an analyst-judgement criterion"):
        run_scenario(partners(), book(), lines(), eo(overrides=(("BBB", "fh_total", 5.0),)))
    with pytest.raises(ValueError, match="0–5"):
        run_scenario(partners(), book(), lines(), eo(overrides=(("BBB", "frontline", 9.0),)))


def test_stale_figures_are_flagged_or_treated_as_missing() -> None:
    """A spending share from 2014 is stale in 2026 under a five-year limit; under 'missing' it no
    longer counts, so the partner's score changes and its coverage falls."""
    from scoring.criteria import CRITERIA
    from scoring.features import derive_features, stale_mask

    columns = {
        "sipri_share": np.array([5.6, 2.0]), "sipri_trend": np.array([0.1, 0.2]),
        "sipri_usd_const_m": np.array([20000.0, 9000.0]), "pledge_pct": np.array([np.nan, np.nan]),
        "sipri_year": np.array([2014.0, 2024.0]), "fh_edition": np.array([2025.0, 2025.0]),
    }
    features = derive_features(columns, "sipri")
    stale = stale_mask(features, CRITERIA, 2026, 5)
    keys = [c.key for c in CRITERIA]
    assert stale[0, keys.index("share_gdp")] and stale[0, keys.index("spend_abs")]
    assert not stale[1].any()
    assert not stale_mask(features, CRITERIA, 2026, 12).any()


def test_priority_completions_reorder_the_queue_row_by_row() -> None:
    """One line, 10 units a quarter, three orders of 10 (BBB signed first, then CCC, then AAA).
    Row 0 scores AAA > BBB > CCC: AAA q0, BBB q1, CCC q2. Row 1 reverses it: CCC q0, BBB q1, AAA q2.
    The scenario's own queue scores reproduce its single strict-priority schedule."""
    from scoring.pipeline import DENSE_LIMIT_ORDERS, priority_completions

    scenario = eo()
    result = run_scenario(partners(), book(), lines(), scenario)
    rows = np.array([[90.0, 50.0, 10.0], [10.0, 50.0, 90.0]])  # partner scores AAA, BBB, CCC
    last = priority_completions(book(), lines(), result, scenario, rows)
    assert last is not None
    # orders in book order: BBB, CCC, AAA
    assert last.tolist() == [[1, 2, 0], [1, 0, 2]]
    own = priority_completions(book(), lines(), result, scenario, result.partner_score[None, :])
    assert own is not None and own[0].tolist() == result.comparison.priority_last_quarter.tolist()
    empty = OrderBook(np.array([], dtype=np.int64), np.array([], dtype=np.intp), np.array([], dtype=np.intp),
                      np.array([]), np.array([], dtype=np.int64), np.array([], dtype=str))
    assert priority_completions(empty, lines(), result, scenario, rows) is None
    n = DENSE_LIMIT_ORDERS + 1
    big = OrderBook(np.arange(n), np.zeros(n, dtype=np.intp), np.zeros(n, dtype=np.intp), np.ones(n),
                    np.arange(n), np.full(n, "low"))
    assert priority_completions(big, lines(), result, scenario, rows) is None


def test_priority_completions_keep_the_scenarios_holds() -> None:
    """The human-rights floor (30) holds CCC (FH 10): suspended in every row, whatever its score
    (its completion is the horizon sentinel), while AAA and BBB share the line by score."""
    scenario = eo(hr_floor=30.0, hold_mode="suspend")
    from scoring.pipeline import priority_completions

    result = run_scenario(partners(), book(), lines(), scenario)
    assert result.order_gates.held.tolist() == [False, True, False]
    last = priority_completions(book(), lines(), result, scenario, np.array([[10.0, 50.0, 99.0], [90.0, 50.0, 99.0]]))
    assert last is not None
    horizon = result.comparison.horizon_quarters
    assert last[:, 1].tolist() == [horizon, horizon]
    assert last[:, [0, 2]].tolist() == [[0, 1], [1, 0]]


def test_funded_capacity_starts_after_the_lines_lead_time_in_the_right_quarter() -> None:
    """Funding from January 2026 plus a 20-month lead time: September 2027 (month 8 of the year,
    counted from 0) → 2027 Q3; 14 months → March 2027 → 2027 Q1; 10.2 months round up to 11 →
    December 2026 → 2026 Q4. Without a published lead time the line's category default applies."""
    import dataclasses

    from scoring.pipeline import DEFAULT_LEAD_MONTHS, Production, investment_start, line_lead_months

    def with_lead(months: float) -> LineTable:
        return dataclasses.replace(lines(), lead_months=np.array([months]))

    funded = Production(investment=Investment("line", "BBB", 40.0, 2026))
    assert investment_start(funded, with_lead(20.0)) == (2027, 3)
    assert investment_start(funded, with_lead(14.0)) == (2027, 1)
    assert investment_start(funded, with_lead(10.2)) == (2026, 4), "a part month counts as a whole one"
    assert line_lead_months(lines()).tolist() == [DEFAULT_LEAD_MONTHS]
    with pytest.raises(ValueError, match="funds no capacity"):
        investment_start(Production(), lines())


def test_a_funder_with_no_investment_score_starts_from_zero() -> None:
    """AAA funds 200 units a year of a US$ 5 m line = US$ 1 bn a year, producing from 2027 Q1 (12-month
    lead): one year away → 0.9 points. With no published investment score (NaN) AAA gets 0 + 0.9."""
    columns = dict(partners().columns)
    columns["industrial_investment"] = np.array([np.nan, 0.0, 0.5])
    bare = PartnerInputs(partners().iso3, columns, partners().is_ally)
    import dataclasses

    twelve = dataclasses.replace(lines(), lead_months=np.array([12.0]))
    weights = (("industrial_investment", 1.0), ("governance", 1.0))
    scenario = eo(weights=weights, investment=Investment("line", "AAA", 200.0, 2026))
    result = run_scenario(bare, book(), twelve, scenario)
    j = result.matrix.column("industrial_investment")
    assert result.matrix.raw[:, j].tolist() == pytest.approx([0.9, 0.0, 0.5])


def test_partners_not_tiered_have_no_distance_to_the_next_tier() -> None:
    """Minimum coverage 100 %: with two criteria weighted and CCC's second one missing, CCC is not
    tiered (tier 4) and its points to the next tier are NaN; the others keep theirs."""
    columns = dict(partners().columns)
    columns["end_use_risk"] = np.array([0.5, 1.0, np.nan])
    gappy = PartnerInputs(partners().iso3, columns, partners().is_ally)
    result = run_scenario(gappy, book(), lines(), eo(weights=(("share_gdp", 1.0), ("end_use_risk", 1.0)), min_coverage=1.0))
    assert result.ranking is not None
    assert result.ranking.tiers.tier.tolist()[2] == 4
    assert np.isnan(result.ranking.tiers.points_to_next[2])
    assert not np.isnan(result.ranking.tiers.points_to_next[[1]]).any()


def test_tier_groups_for_tier_shares() -> None:
    """Tiers 1, 3, 4 (not tiered) for partners 0-2: orders of partner 0 → group 0, partner 1 → 2,
    partner 2 → 3 (the rest), a backlog block → 3; no tiers (FCFS mode) → every order in group 3."""
    from scoring.pipeline import BLOCK_PARTNER, order_groups

    idx = np.array([0, 1, 2, BLOCK_PARTNER, 0])
    assert order_groups(np.array([1, 3, 4]), idx).tolist() == [0, 2, 3, 3, 0]
    assert order_groups(None, idx).tolist() == [3, 3, 3, 3, 3]
    assert order_groups(np.array([2]), np.array([], dtype=np.int64)).tolist() == []


def test_per_quarter_deliveries_are_kept_up_to_the_dense_limit_only() -> None:
    from scoring.pipeline import DENSE_LIMIT_ORDERS

    def book_of(n: int) -> OrderBook:
        return OrderBook(np.arange(n), np.arange(n) % 3, np.zeros(n, dtype=np.intp), np.ones(n), np.arange(n),
                         np.full(n, "low"))

    at_limit = run_scenario(partners(), book_of(DENSE_LIMIT_ORDERS), lines(), eo())
    above = run_scenario(partners(), book_of(DENSE_LIMIT_ORDERS + 1), lines(), eo())
    assert at_limit.comparison.fcfs_per_quarter is not None and at_limit.comparison.fcfs_per_quarter.shape[0] == DENSE_LIMIT_ORDERS
    assert above.comparison.fcfs_per_quarter is None and above.comparison.priority_per_quarter is None
    from scoring.pipeline import priority_completions

    rows = np.array([[1.0, 2.0, 3.0]])
    draws = priority_completions(book_of(DENSE_LIMIT_ORDERS), lines(), at_limit, eo(), rows)
    assert draws is not None and draws.shape == (1, DENSE_LIMIT_ORDERS), "a book of exactly the limit is drawn"
    assert priority_completions(book_of(DENSE_LIMIT_ORDERS + 1), lines(), above, eo(), rows) is None


def test_priority_completions_follow_the_books_status() -> None:
    """The same three orders with BBB's still only notified: it does not compete (NO_DELIVERY, -1) unless
    notified orders are included; a book without statuses counts every order as signed."""
    import dataclasses

    from scoring.pipeline import priority_completions

    notified = dataclasses.replace(book(), status=np.array(["notified", "signed", "signed"]))
    rows = np.array([[90.0, 50.0, 10.0]])
    for include, expected in ((False, [-1, 1, 0]), (True, [1, 2, 0])):  # included with no lag: as if signed
        scenario = eo(include_notified=include, notify_lag_months=0)
        result = run_scenario(partners(), notified, lines(), scenario)
        last = priority_completions(notified, lines(), result, scenario, rows)
        assert last is not None and last[0].tolist() == expected
    plain = run_scenario(partners(), book(), lines(), eo())
    assert priority_completions(book(), lines(), plain, eo(), rows)[0].tolist() == [1, 2, 0]
