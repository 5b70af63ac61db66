"""SYNTHETIC — benchmark only. Seeded generator of fake partners, production lines and order books.

Nothing produced here is real data and nothing here is ever shown in the dashboard: partner codes
are ``SYN000``…, line ids ``syn_line_00``…, and every object carries :data:`LABEL`. The generator
exists only so the engine can be timed at sizes the real order book (tens of orders) never
reaches: 1k, 100k and 1M orders across 200 partners and 30 production lines.

Shapes follow the real inputs (``scoring.pipeline.PartnerInputs`` / ``OrderBook`` /
``LineTable``; partner columns named as in the ``partner_features`` query), with distributions
chosen to exercise the code paths, not to resemble any country:

- partners: every criterion input on record (no NaN), so the same 200 × 15 matrix can be handed
  to pymcdm, which does not accept missing values; judgement scores on the 0–5 half-point grid
  (ties inside a criterion); a share of partners below a Freedom House floor of 20 (held by the
  human-rights gate) and ~40 % allies;
- orders: partners drawn with a skewed (Zipf-like) frequency, lines with uneven load, contract
  dates over 2005–2026 (many orders share a date, so the order-id tie-break matters), order ids a
  random permutation (unrelated to dates), units mostly whole with ~10 % half units and ~0.05 %
  zero-unit orders (the "nothing to deliver" sentinel);
- lines: capacity sized from each line's synthetic backlog so that lines clear in 3 to 60 years
  (some orders run past the 160-quarter horizon), 60 % with an announced ramp, ~1/3 flagged
  high-sensitivity.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scoring.criteria import CRITERIA
from scoring.features import DecisionMatrix, build_matrix, derive_features
from scoring.pipeline import LineTable, OrderBook, PartnerInputs, Scenario
from scoring.criteria import PRESETS_BY_KEY

LABEL = "SYNTHETIC — benchmark only"

N_PARTNERS = 200
N_LINES = 30
HR_FLOOR = 20.0
SENSITIVE_MIN_SCORE = 40.0


@dataclass(frozen=True)
class SyntheticWorld:
    """SYNTHETIC — benchmark only: partners, lines and an order book generated from one seed."""

    partners: PartnerInputs
    lines: LineTable
    book: OrderBook
    seed: int
    label: str = LABEL


def synthetic_partners(n_partners: int = N_PARTNERS, seed: int = 0) -> PartnerInputs:
    """SYNTHETIC — benchmark only: a complete partner feature table (no missing values)."""
    rng = np.random.default_rng([seed, 1])
    n = n_partners
    share = np.round(rng.lognormal(np.log(1.8), 0.55, n), 2)
    judgement = lambda: rng.integers(0, 11, n) / 2.0  # noqa: E731 - 0..5 in half points
    nato = rng.random(n) < 0.15  # partners with NATO figures (share and trend)
    columns = {
        "lat": rng.uniform(-50, 65, n),
        "lon": rng.uniform(-170, 175, n),
        "sipri_share": share,
        "sipri_year": np.full(n, 2024.0),
        "sipri_trend": np.round(rng.normal(0.2, 0.6, n), 2),
        "sipri_usd_const_m": np.round(rng.lognormal(np.log(4000), 1.8, n), 1),
        "nato_share": np.where(nato, np.round(share + rng.normal(0, 0.1, n), 2), np.nan),
        "nato_trend": np.where(nato, np.round(rng.normal(0.3, 0.4, n), 2), np.nan),
        "equipment_share": np.round(rng.uniform(5, 45, n), 1),
        "pledge_pct": np.round(rng.choice([2.0, 2.5, 3.0, 3.5, 5.0], n), 1),
        "us_troops": np.round(rng.lognormal(np.log(150), 2.0, n)),
        "n_bases": rng.integers(0, 40, n).astype(float),
        "us_tiv_recent": np.round(rng.lognormal(np.log(300), 2.0, n), 1),
        "us_import_share": np.round(rng.uniform(0, 100, n), 1),
        "fh_total": rng.integers(3, 101, n).astype(float),
        "frontline": judgement(),
        "us_plans_role": judgement(),
        "basing_access": judgement(),
        "interoperability": judgement(),
        "industrial_investment": judgement(),
        "end_use_risk": judgement(),
    }
    iso3 = tuple(f"SYN{i:03d}" for i in range(n))
    is_ally = rng.random(n) < 0.4
    return PartnerInputs(iso3, columns, is_ally)


def synthetic_matrix(partners: PartnerInputs, basis: str | None = None) -> DecisionMatrix:
    """SYNTHETIC — benchmark only: the raw 200 × 15 decision matrix of ``partners``.

    ``basis`` is the spending basis (default: the one ``scoring.pipeline.Scenario`` defaults to).
    """
    features = derive_features(partners.columns, basis or Scenario.__dataclass_fields__["basis"].default)
    matrix = build_matrix(partners.iso3, features, CRITERIA)
    if np.isnan(matrix.raw).any():  # pragma: no cover - the generator fills every input
        raise AssertionError("synthetic matrix has missing values")
    return matrix


def synthetic_orders(
    n_orders: int, n_partners: int = N_PARTNERS, n_lines: int = N_LINES, seed: int = 0
) -> OrderBook:
    """SYNTHETIC — benchmark only: ``n_orders`` open orders (see the module docstring)."""
    rng = np.random.default_rng([seed, 2, n_orders])
    partner_weight = 1.0 / (np.arange(n_partners) + 5.0)
    partner_weight = rng.permutation(partner_weight / partner_weight.sum())
    line_weight = rng.uniform(0.2, 1.0, n_lines)
    line_weight /= line_weight.sum()
    partner_index = rng.choice(n_partners, size=n_orders, p=partner_weight).astype(np.int64)
    line_index = rng.choice(n_lines, size=n_orders, p=line_weight).astype(np.int64)
    units = np.maximum(1.0, np.round(rng.lognormal(np.log(12), 1.1, n_orders)))
    units[rng.random(n_orders) < 0.10] += 0.5
    units[rng.random(n_orders) < 0.0005] = 0.0
    day0, day1 = 12784, 20634  # 2005-01-01 .. 2026-06-30 as days since 1970-01-01
    contract_day = rng.integers(day0, day1 + 1, n_orders).astype(np.int64)
    order_id = (rng.permutation(n_orders) + 100_000).astype(np.int64)
    sensitivity_of_line = _line_sensitivity(n_lines, seed)
    return OrderBook(
        order_id=order_id,
        partner_index=partner_index,
        line_index=line_index,
        units=units,
        contract_day=contract_day,
        sensitivity=sensitivity_of_line[line_index],
    )


def _line_sensitivity(n_lines: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng([seed, 3])
    return rng.choice(np.array(["low", "medium", "high"]), size=n_lines, p=[0.35, 0.3, 0.35])


def synthetic_lines(book: OrderBook, n_lines: int = N_LINES, seed: int = 0) -> LineTable:
    """SYNTHETIC — benchmark only: line capacities sized so each line clears in 3–60 years."""
    rng = np.random.default_rng([seed, 4])
    backlog = np.bincount(book.line_index, weights=book.units, minlength=n_lines)
    years_to_clear = rng.uniform(3, 60, n_lines)
    annual = np.round(np.maximum(backlog, 1.0) / years_to_clear / 0.7, 3)  # 30 % kept for US forces
    ramp = rng.random(n_lines) < 0.6
    target = np.where(ramp, np.round(annual * rng.uniform(1.2, 2.5, n_lines), 3), np.nan)
    target_year = np.where(ramp, rng.integers(2027, 2033, n_lines).astype(float), np.nan)
    return LineTable(
        line_id=tuple(f"syn_line_{j:02d}" for j in range(n_lines)),
        annual_capacity=annual,
        capacity_year=np.full(n_lines, 2025.0),
        target_capacity=target,
        target_year=target_year,
        unit_cost_musd=np.round(rng.lognormal(np.log(5), 1.5, n_lines), 2),
    )


def synthetic_world(n_orders: int, seed: int = 0) -> SyntheticWorld:
    """SYNTHETIC — benchmark only: 200 partners, 30 lines and ``n_orders`` orders."""
    partners = synthetic_partners(N_PARTNERS, seed)
    book = synthetic_orders(n_orders, N_PARTNERS, N_LINES, seed)
    lines = synthetic_lines(book, N_LINES, seed)
    return SyntheticWorld(partners, lines, book, seed)


def benchmark_scenario(gates: bool = True) -> Scenario:
    """The scenario every synthetic case runs: the EO preset, with the human-rights floor and the
    sensitive-technology rule on (so some orders are held) unless ``gates`` is False."""
    weights = tuple(sorted(PRESETS_BY_KEY["eo"].weights.items()))
    return Scenario(weights).changed(
        hr_floor=HR_FLOOR if gates else None,
        sensitive_tech_min_score=SENSITIVE_MIN_SCORE if gates else None,
    )
