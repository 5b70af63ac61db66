"""One scenario end to end: weights → partner scores → tiers → gates → queue → delivery schedule.

This is the chain no MCDA tool or data publisher offers: it connects the analyst's weights to
capacity-limited delivery dates and compares them with first-come-first-served. Inputs are plain
arrays (the UI converts query results); the output keeps every intermediate result so pages can
show and explain any step.

With every weight at zero there is no partner weighting: all partners score the same, nothing is
ranked or tiered, and the priority queue *is* first-come-first-served (``fcfs_mode``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from scoring.coverage import CoverageResult, CoverageRule, apply_coverage
from scoring.criteria import CRITERIA, JUDGED_COLUMNS, STALE_RULES
from scoring.engine import CrossCheck, ScoreResult, ScoringConfig, cross_check, score_partners
from scoring.features import DecisionMatrix, build_matrix, derive_features, stale_mask
from scoring.gates import BLOCK_PARTNER, OrderGates, PartnerGates, order_gates, partner_gates
from scoring.delivery import CATEGORY_LEAD_MONTHS, DEFAULT_LEAD_MONTHS, plan_deliveries, priority_draws
from scoring.schedule import CapacityInvestment, CapacityPlan, PolicyComparison, capacity_per_quarter, quarter_number
from scoring.scenario import Investment, Production, Scenario
from scoring.tiers import TierResult, assign_tiers


@dataclass(frozen=True)
class PartnerInputs:
    """Per-partner inputs: codes, feature columns (as in the ``partner_features`` query), flags."""

    iso3: tuple[str, ...]
    columns: Mapping[str, np.ndarray]
    is_ally: np.ndarray  # NATO ally or MNNA


@dataclass(frozen=True)
class OrderBook:
    """Open orders competing for capacity (a backlog block has partner index ``BLOCK_PARTNER``)."""

    order_id: np.ndarray  # int
    partner_index: np.ndarray  # int, into PartnerInputs.iso3; -1 = "other customers, not itemised"
    line_index: np.ndarray  # int, into LineTable.line_id
    units: np.ndarray  # float, units still open
    contract_day: np.ndarray  # int, days since 1970-01-01
    sensitivity: np.ndarray  # str per order: 'low' | 'medium' | 'high'
    status: np.ndarray | None = None  # str per order: 'notified' | 'signed' | 'delivering' (None = all signed)


@dataclass(frozen=True)
class LineTable:
    """Production lines: current capacity and announced ramp."""

    line_id: tuple[str, ...]
    annual_capacity: np.ndarray
    capacity_year: np.ndarray
    target_capacity: np.ndarray  # NaN = no ramp
    target_year: np.ndarray  # NaN where no ramp
    unit_cost_musd: np.ndarray
    us_share: np.ndarray | None = None  # published US share of output per line; NaN = the scenario's default
    lead_months: np.ndarray | None = None  # published contract-to-first-delivery lead time; NaN = category default
    category: tuple[str, ...] | None = None


@dataclass(frozen=True, eq=False)
class Ranking:
    """What weighting the partners produced: scores, the TOPSIS cross-check, tiers (coverage rule
    applied) and the coverage of each partner's weight by observed data."""

    scores: ScoreResult
    cross: CrossCheck
    tiers: TierResult
    coverage: CoverageResult


@dataclass(frozen=True)
class ScenarioResult:
    """Everything one scenario produced."""

    scenario: Scenario
    matrix: DecisionMatrix
    ranking: Ranking | None  # None in FCFS mode (no criterion weighted)
    partner_gates: PartnerGates
    order_gates: OrderGates
    comparison: PolicyComparison
    capacity: np.ndarray  # (n_lines, horizon) units per quarter available to foreign orders
    partner_score: np.ndarray  # (n,) 0–100 queue score; all zero in FCFS mode
    investment_note: str
    stale: np.ndarray | None = None  # (n, m) figures older than the stale limit


def run_scenario(
    partners: PartnerInputs, book: OrderBook, lines: LineTable, scenario: Scenario
) -> ScenarioResult:
    """Run the whole chain for one scenario.

    Raises
    ------
    ValueError
        Invalid weights (other than all zero, which means FCFS), tier rule, gates, capacity
        plan, an investment on an unknown line or partner, or an inconsistent order book.
    """
    columns = _with_overrides(partners.columns, partners.iso3, scenario.overrides)
    columns = _with_investment_credit(columns, partners.iso3, scenario, lines)
    features = derive_features(columns, scenario.method.basis, scenario.method.frontline_source, scenario.method.basing_source)
    matrix = build_matrix(partners.iso3, features, CRITERIA)
    if scenario.method.stale_rule not in STALE_RULES:
        raise ValueError(f"Unknown stale-figure rule {scenario.method.stale_rule!r}; use one of {sorted(STALE_RULES)}")
    stale = stale_mask(features, CRITERIA, scenario.production.start_year, scenario.method.stale_years) & ~np.isnan(matrix.raw)
    if scenario.method.stale_rule == "missing" and stale.any():
        matrix = replace(matrix, raw=np.where(stale, np.nan, matrix.raw))
    ranking: Ranking | None = None
    if scenario.fcfs_mode:
        partner_score = np.zeros(len(partners.iso3))
    else:
        config = ScoringConfig(scenario.weight_map, scenario.method.normalisation, scenario.method.missing)
        scores = score_partners(matrix, config)
        cross = cross_check(scores)
        raw_tiers = assign_tiers(scores.score, scores.rank, scenario.tier_rule)
        coverage = apply_coverage(
            raw_tiers, scores.score, scores.weights, scores.normalised, CoverageRule(scenario.method.min_coverage)
        )
        tiers = replace(
            raw_tiers,
            tier=coverage.tier,
            points_to_next=np.where(coverage.sufficient, raw_tiers.points_to_next, np.nan),
        )
        partner_score = coverage.queue_score
        ranking = Ranking(scores, cross, tiers, coverage)
    gates = scenario.gates
    restricted = _col(columns, "restricted") > 0 if "restricted" in columns else None
    not_free = _col(columns, "fh_not_free") if "fh_not_free" in columns else None
    p_gates = partner_gates(_col(columns, "fh_total"), _col(columns, "end_use_risk"), gates, restricted, not_free)
    o_gates = order_gates(book.partner_index, book.sensitivity, partners.is_ally, partner_score, p_gates, gates)
    plan = capacity_plan(lines, scenario)
    investments, note = _investments(scenario, partners, lines)
    capacity = capacity_per_quarter(plan, investments)
    order_score = order_scores(partner_score, book.partner_index)
    comparison = plan_deliveries(
        book.line_index,
        book.units,
        order_score,
        book.contract_day,
        book.order_id,
        book.status if book.status is not None else np.full(len(book.units), "signed"),
        line_lead_months(lines)[book.line_index] if len(book.units) else np.zeros(0),
        capacity,
        scenario.production.start,
        scenario.delivery_rules,
        held=o_gates.held,
        group=order_groups(ranking.tiers.tier if ranking is not None else None, book.partner_index),
        keep_per_quarter=len(book.units) <= DENSE_LIMIT_ORDERS,
        reserved=_reserved(scenario, investments, capacity, book),
    )
    return ScenarioResult(scenario, matrix, ranking, p_gates, o_gates, comparison, capacity, partner_score, note, stale)


def capacity_plan(lines: LineTable, scenario: Scenario) -> CapacityPlan:
    """The lines' capacity ramps on the scenario's time axis, with its domestic share."""
    return CapacityPlan(
        annual_capacity=lines.annual_capacity,
        capacity_year=lines.capacity_year,
        target_capacity=lines.target_capacity,
        target_year=lines.target_year,
        start_year=scenario.production.start_year,
        start_quarter=scenario.production.start_quarter,
        domestic_share=domestic_shares(lines, scenario.production.domestic_share),
        horizon_quarters=scenario.production.horizon_quarters,
    )


DENSE_LIMIT_ORDERS = 5_000  # 25x the public book; dense arrays are n x 160 quarters x 2 policies (13 MB here)
"""Per-order, per-quarter deliveries (burn-down, early shares) are kept only up to this book size."""


def line_lead_months(lines: LineTable) -> np.ndarray:
    """Each line's contract-to-first-delivery lead time: published, else its category's labelled default."""
    n = len(lines.line_id)
    published = np.full(n, np.nan) if lines.lead_months is None else np.asarray(lines.lead_months, dtype=float)
    categories = lines.category or ("",) * n
    default = np.array([CATEGORY_LEAD_MONTHS.get(c, DEFAULT_LEAD_MONTHS) for c in categories])
    return np.where(np.isnan(published), default, published)


def order_groups(tier: np.ndarray | None, partner_index: np.ndarray) -> np.ndarray:
    """Tier group per order for tier shares: 0-2 = tiers 1-3; 3 = the rest (insufficient data,
    backlog blocks, FCFS mode)."""
    idx = np.asarray(partner_index, dtype=np.int64)
    if tier is None or idx.size == 0:
        return np.full(idx.size, 3, dtype=np.int64)
    t = np.asarray(tier, dtype=np.int64)[np.where(idx == BLOCK_PARTNER, 0, idx)]
    return np.where((idx == BLOCK_PARTNER) | (t > 3), 3, t - 1)


def domestic_shares(lines: LineTable, default: float) -> np.ndarray:
    """Each line's share of output kept for the US: the published share, else ``default``."""
    n = len(lines.line_id)
    if lines.us_share is None:
        return np.full(n, float(default))
    published = np.asarray(lines.us_share, dtype=float)
    return np.where(np.isnan(published), float(default), published)


def order_scores(partner_score: np.ndarray, partner_index: np.ndarray) -> np.ndarray:
    """Each order's priority score: its partner's, and for a backlog block (buyers unknown) the
    median partner score. ``partner_score`` may carry leading batch axes (one row per draw)."""
    scores = np.asarray(partner_score, dtype=float)
    idx = np.asarray(partner_index, dtype=np.int64)
    if idx.size == 0:
        return np.zeros(scores.shape[:-1] + (0,))
    block = idx == BLOCK_PARTNER
    out = scores[..., np.where(block, 0, idx)] if scores.shape[-1] else np.zeros(scores.shape[:-1] + idx.shape)
    if block.any():
        median = np.median(scores, axis=-1, keepdims=True) if scores.shape[-1] else 0.0
        out = np.where(block, median, out)
    return out


def priority_completions(
    book: OrderBook, lines: LineTable, result: ScenarioResult, scenario: Scenario, partner_scores: np.ndarray,
) -> np.ndarray | None:
    """Strict-priority completion quarter of every order (columns) under each row of ``partner_scores``
    (``(k, n_partners)``: Monte Carlo draws, tornado steps), with the scenario's arrivals, fence,
    capacity and its gate decisions held fixed (a held order stays held in every row). None for an
    empty book or one above ``DENSE_LIMIT_ORDERS`` (the dense draws would not fit)."""
    n = len(book.units)
    if n == 0 or n > DENSE_LIMIT_ORDERS:
        return None
    status = book.status if book.status is not None else np.full(n, "signed")
    return priority_draws(
        book.line_index, book.units, order_scores(partner_scores, book.partner_index), book.contract_day, book.order_id,
        status, line_lead_months(lines)[book.line_index], result.capacity, scenario.production.start,
        scenario.delivery_rules, held=result.order_gates.held,
    )


def _reserved(
    scenario: Scenario, investments: Sequence[CapacityInvestment], capacity: np.ndarray, book: OrderBook
) -> tuple[np.ndarray, np.ndarray] | None:
    """The funder's claim: (capacity reserved per line and quarter, mask of the funder's orders on
    the funded line), or None."""
    if not investments or scenario.production.funder_share <= 0:
        return None
    inv = investments[0]
    reserved = np.zeros_like(capacity)
    start = quarter_number(inv.start_year, inv.start_quarter) - quarter_number(*scenario.production.start)
    reserved[inv.line, max(start, 0):] = scenario.production.funder_share * inv.extra_units_per_year / 4
    mine = (book.partner_index == inv.funder) & (book.line_index == inv.line)
    return reserved, mine


def _col(columns: Mapping[str, np.ndarray], name: str) -> np.ndarray:
    values = np.asarray(columns[name], dtype=float)
    return values


CREDIT_DISCOUNT_PER_YEAR = 0.9
"""Investment credit rule: a funded output of US$ 1 bn a year is worth one point of 'investment in
US production', discounted by 10 % for every year between the as-of quarter and the quarter the
funded capacity starts producing (a modelling rule, shown with the result)."""


def investment_start(production: Production, lines: LineTable) -> tuple[int, int]:
    """(year, quarter) the funded capacity starts producing: funding from Q1 of the pledge year plus
    the line's expansion lead time (its contract-to-first-delivery lead time)."""
    investment = _funded(production)
    lead = float(line_lead_months(lines)[lines.line_id.index(investment.line_id)])
    month = int(investment.year) * 12 + int(np.ceil(lead))
    return month // 12, (month % 12) // 3 + 1


def investment_credit(production: Production, lines: LineTable) -> float:
    """Points of 'investment in US production' the scenario's investment earns (see the rule above)."""
    investment = _funded(production)
    unit_cost = float(lines.unit_cost_musd[lines.line_id.index(investment.line_id)])
    start_year, start_quarter = investment_start(production, lines)
    years_away = max(0.0, (quarter_number(start_year, start_quarter) - quarter_number(*production.start)) / 4)
    return investment.units * unit_cost / 1000.0 * CREDIT_DISCOUNT_PER_YEAR**years_away


def _funded(production: Production) -> Investment:
    if production.investment is None:
        raise ValueError("The scenario funds no capacity")
    return production.investment


def _investments(
    scenario: Scenario, partners: PartnerInputs, lines: LineTable
) -> tuple[Sequence[CapacityInvestment], str]:
    if scenario.production.investment is None:
        return (), ""
    line_id, iso3, units, year = scenario.production.investment
    if line_id not in lines.line_id:
        raise ValueError(f"Investment on unknown production line {line_id!r}")
    if iso3 not in partners.iso3:
        raise ValueError(f"Investment by unknown partner {iso3!r}")
    if not 0 <= scenario.production.funder_share <= 1:
        raise ValueError("The funder's share of the funded output is 0–100 %")
    start_year, start_quarter = investment_start(scenario.production, lines)
    investment = CapacityInvestment(
        line=lines.line_id.index(line_id),
        extra_units_per_year=float(units),
        start_year=start_year,
        start_quarter=start_quarter,
        funder=partners.iso3.index(iso3),
    )
    credit = investment_credit(scenario.production, lines)
    note = (
        f"{iso3} funds +{units:g} units/yr on {line_id} from {year}; after the line's expansion lead time the "
        f"capacity produces from {start_year} Q{start_quarter}. "
        + (f"{scenario.production.funder_share:.0%} of the funded output is reserved for {iso3}'s own orders, the rest joins "
           "the shared pool. " if scenario.production.funder_share > 0 else "The funded output joins the line's shared pool. ")
        + f"Score credit: +{credit:.2f} points of investment in US production (US$ 1 bn a year = 1 point, "
        f"discounted 10 % a year until the capacity produces)."
    )
    return (investment,), note


JUDGEMENT_FEATURES = frozenset(JUDGED_COLUMNS)


def _with_overrides(
    columns: Mapping[str, np.ndarray], iso3: Sequence[str], overrides: Sequence[tuple[str, str, float]]
) -> Mapping[str, np.ndarray]:
    """Feature columns with the analyst's edited judgement scores applied.

    Raises
    ------
    ValueError
        An override for an unknown partner, a criterion that is not a judgement, or a score
        outside 0–5.
    """
    if not overrides:
        return columns
    out = dict(columns)
    position = {code: i for i, code in enumerate(iso3)}
    for code, feature, score in overrides:
        if code not in position:
            raise ValueError(f"Edited judgement for unknown partner {code!r}")
        if feature not in JUDGEMENT_FEATURES:
            raise ValueError(f"{feature!r} is not an analyst-judgement criterion and cannot be edited")
        if not 0 <= score <= 5:
            raise ValueError(f"Judgement scores are 0–5 (got {score} for {code} {feature})")
        column = np.array(np.asarray(out[feature], dtype=float), copy=True)
        column[position[code]] = score
        out[feature] = column
    return out


def _with_investment_credit(
    columns: Mapping[str, np.ndarray], iso3: Sequence[str], scenario: Scenario, lines: LineTable
) -> Mapping[str, np.ndarray]:
    """Feature columns with the funder's 'investment in US production' raised by its investment.

    The judgement score (0–5) rises by one point per US$ 1 bn a year of funded output (extra units
    × unit cost), discounted by ``CREDIT_DISCOUNT_PER_YEAR`` per year until the funded capacity
    produces, capped at 5 — a documented modelling rule, not a fact.
    """
    if scenario.production.investment is None or scenario.production.investment[1] not in iso3:
        return columns
    line_id, partner, units, _ = scenario.production.investment
    if line_id not in lines.line_id:
        return columns  # rejected with a message in _investments
    out = dict(columns)
    credit = np.array(np.asarray(columns["industrial_investment"], dtype=float), copy=True)
    i = list(iso3).index(partner)
    base = 0.0 if np.isnan(credit[i]) else float(credit[i])
    credit[i] = min(5.0, base + investment_credit(scenario.production, lines))
    out["industrial_investment"] = credit
    return out
