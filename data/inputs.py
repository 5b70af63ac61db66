"""Query results → the scoring pipeline's array inputs (one conversion for the app and the benchmarks).

The store speaks DataFrames; the engine in ``scoring/`` takes plain arrays in frozen dataclasses.
This is the only place that maps one onto the other.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

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
    )


def order_book(orders: pd.DataFrame, partners: PartnerInputs, lines: LineTable) -> OrderBook:
    """Open orders (``open_orders`` layout) indexed against ``partners`` and ``lines``."""
    partner_pos = {code: i for i, code in enumerate(partners.iso3)}
    line_pos = {code: i for i, code in enumerate(lines.line_id)}
    return OrderBook(
        order_id=orders["order_id"].to_numpy(dtype=np.int64),
        partner_index=orders["iso3"].map(partner_pos).to_numpy(dtype=np.int64),
        line_index=orders["line_id"].map(line_pos).to_numpy(dtype=np.int64),
        units=orders["units_open"].to_numpy(dtype=float),
        contract_day=(pd.to_datetime(orders["contract_date"]) - pd.Timestamp("1970-01-01")).dt.days.to_numpy(dtype=np.int64),
        sensitivity=orders["sensitivity"].astype(str).to_numpy(),
    )
