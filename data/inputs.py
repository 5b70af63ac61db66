"""Query results → the scoring pipeline's array inputs (one conversion for the app and the benchmarks).

The store speaks DataFrames; the engine in ``scoring/`` takes plain arrays in frozen dataclasses.
This is the only place that maps one onto the other.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.eligibility import EligibilityRule, PartnerEligibility, eligibility_on
from scoring.gates import BLOCK_PARTNER
from scoring.pipeline import LineTable, OrderBook, PartnerInputs


def partner_inputs(features: pd.DataFrame) -> PartnerInputs:
    """Partners from the ``partner_features`` query: every numeric column as float, NA as NaN."""
    columns = {
        name: features[name].to_numpy(dtype=float, na_value=np.nan)
        for name in features.columns
        if pd.api.types.is_numeric_dtype(features[name]) and not pd.api.types.is_bool_dtype(features[name])
    }
    is_ally = (features["nato_member"].fillna(False) | features["mnna"].fillna(False)).to_numpy(dtype=bool)
    return PartnerInputs(tuple(features["iso3"].astype(str)), columns, is_ally)


def line_table(lines: pd.DataFrame) -> LineTable:
    """Production lines from the ``production_lines`` query."""
    return LineTable(
        line_id=tuple(lines["line_id"].astype(str)),
        annual_capacity=lines["annual_capacity_units"].to_numpy(dtype=float),
        capacity_year=lines["capacity_year"].to_numpy(dtype=float),
        target_capacity=lines["target_capacity_units"].to_numpy(dtype=float, na_value=np.nan),
        target_year=lines["target_year"].to_numpy(dtype=float, na_value=np.nan),
        unit_cost_musd=lines["unit_cost_musd"].to_numpy(dtype=float),
        us_share=lines["us_share"].to_numpy(dtype=float, na_value=np.nan) if "us_share" in lines else None,
        lead_months=lines["lead_time_months"].to_numpy(dtype=float, na_value=np.nan) if "lead_time_months" in lines else None,
        category=tuple(lines["category"].astype(str)) if "category" in lines else None,
    )


def order_book(orders: pd.DataFrame, partners: PartnerInputs, lines: LineTable) -> OrderBook:
    """Open orders (``open_orders`` layout) indexed against ``partners`` and ``lines``."""
    partner_pos = {code: i for i, code in enumerate(partners.iso3)}
    line_pos = {code: i for i, code in enumerate(lines.line_id)}
    block = orders["is_block"].fillna(False).astype(bool) if "is_block" in orders else pd.Series(False, index=orders.index)
    unknown = orders["iso3"].map(partner_pos).isna() & ~block
    if unknown.any():
        codes = sorted(set(orders.loc[unknown, "iso3"].astype(str)))[:10]
        raise ValueError(f"Orders for partners outside the scored set (not eligible or unknown): {', '.join(codes)}")
    return OrderBook(
        order_id=orders["order_id"].to_numpy(dtype=np.int64),
        # A backlog block ("other customers, not itemised") has no partner: index BLOCK_PARTNER.
        partner_index=orders["iso3"].map(partner_pos).fillna(BLOCK_PARTNER).to_numpy(dtype=np.int64),
        line_index=orders["line_id"].map(line_pos).to_numpy(dtype=np.int64),
        units=orders["units_open"].to_numpy(dtype=float),
        contract_day=(pd.to_datetime(orders["contract_date"]) - pd.Timestamp("1970-01-01")).dt.days.to_numpy(dtype=np.int64),
        sensitivity=orders["sensitivity"].astype(str).to_numpy(),
        status=orders["status"].astype(str).to_numpy() if "status" in orders else None,
    )


def eligibility_state(rules: pd.DataFrame, vintage: pd.DataFrame) -> tuple[str, dict[str, PartnerEligibility]]:
    """The as-of date (the latest order or rule date in the store) and each listed partner's status."""
    parsed = [
        EligibilityRule(
            iso3=r.iso3, rule_id=r.rule_id, status=r.status, scope=r.scope,
            effective_from=r.effective_from if isinstance(r.effective_from, str) else None,
            effective_to=r.effective_to if isinstance(r.effective_to, str) else None,
            rule=r.rule, citation=r.citation, citation_url=r.citation_url,
        )
        for r in rules.itertuples(index=False)
    ]
    dates = [str(pd.Timestamp(v).date()) for v in vintage["latest_order_date"].dropna()]
    dates += [r.effective_from for r in parsed if r.effective_from]
    as_of = max(dates) if dates else "2026-01-01"
    return as_of, eligibility_on(parsed, as_of)


def split_by_eligibility(
    features: pd.DataFrame, status: dict[str, PartnerEligibility], rules: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(features of partners US law lets buy, with eligibility flags; the denied partners' list)."""
    state = features["iso3"].map(lambda code: status[code].status if code in status else "eligible")
    reason = features["iso3"].map(lambda code: status[code].reason if code in status else "")
    denied = state.eq("denied")
    allowed = features.loc[~denied].copy()
    allowed["eligibility"] = state[~denied].to_numpy()
    allowed["eligibility_reason"] = reason[~denied].to_numpy()
    allowed["restricted"] = allowed["eligibility"].eq("restricted").astype(float)
    listed = features.loc[denied, ["iso3", "name", "analyst_region"]].copy()
    listed["reason"] = reason[denied].to_numpy()
    urls = rules[rules["status"].eq("denied")].groupby("iso3")["citation_url"].agg(" ; ".join)
    cites = rules[rules["status"].eq("denied")].groupby("iso3")["citation"].agg(" ; ".join)
    listed["citation"] = listed["iso3"].map(cites).fillna("")
    listed["citation_url"] = listed["iso3"].map(urls).fillna("")
    return allowed.reset_index(drop=True), listed.sort_values("name").reset_index(drop=True)
