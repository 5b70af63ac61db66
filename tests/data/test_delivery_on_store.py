"""Delivery dates on the real book: arrivals after signature plus lead time, committed production
kept under every policy, held orders suspended."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from data import inputs, queries
from data.store import connect
from scoring.criteria import PRESETS_BY_KEY
from scoring.delivery import POLICIES, arrival_quarters
from scoring.pipeline import Scenario, line_lead_months, run_scenario


@pytest.fixture(scope="module")
def world(store_path: Path):
    con = connect(store_path)
    features = queries.partner_features(con)
    rules = queries.run(con, "eligibility_rules", {})
    _, status = inputs.eligibility_state(rules, queries.run(con, "data_vintage", {}))
    allowed, _ = inputs.split_by_eligibility(features, status, rules)
    lines_frame = queries.run(con, "production_lines", {})
    orders = queries.run(con, "open_orders", {})
    con.close()
    partners = inputs.partner_inputs(allowed)
    lines = inputs.line_table(lines_frame)
    return partners, inputs.order_book(orders, partners, lines), lines, orders


def run(world, **changes):
    partners, book, lines, _ = world
    base = dict(weights=tuple(sorted(PRESETS_BY_KEY["eo"].weights.items())), start_year=2026, start_quarter=1)
    base.update(changes)
    return run_scenario(partners, book, lines, Scenario(base.pop("weights")).changed(**base))


@pytest.mark.parametrize("policy", list(POLICIES))
def test_no_order_is_delivered_before_signature_plus_lead_time(world, policy) -> None:
    _, book, lines, orders = world
    c = run(world, policy=policy, include_notified=True).comparison
    lead = line_lead_months(lines)[book.line_index]
    earliest = arrival_quarters(book.contract_day, lead, np.where(book.status == "notified", 12.0, 0.0), 2026, 1)
    earliest = np.where(book.status == "delivering", 0, earliest)
    for per_quarter in (c.fcfs_per_quarter, c.priority_per_quarter):
        for i in np.flatnonzero(c.competing):
            assert per_quarter[i, : earliest[i]].sum() == 0, orders.iloc[i]["order_id"]


@pytest.mark.parametrize("policy", list(POLICIES))
def test_orders_in_delivery_keep_their_near_term_deliveries(world, policy) -> None:
    _, book, lines, _ = world
    c = run(world, policy=policy).comparison
    fence = np.ceil(line_lead_months(lines) / 3).astype(int)
    for i in np.flatnonzero(book.status == "delivering"):
        f = fence[book.line_index[i]]
        assert np.allclose(c.priority_per_quarter[i, :f], c.fcfs_per_quarter[i, :f])


def test_a_suspended_order_receives_nothing_and_shows_its_value_at_risk(world) -> None:
    _, book, _, orders = world
    result = run(world, hr_floor=40.0)
    c = result.comparison
    suspended = c.suspended & c.competing
    assert suspended.any()
    assert (c.priority_per_quarter[suspended].sum(axis=1) == 0).all()
    assert c.priority_beyond_horizon[suspended].all()
    assert pd.Series(orders["value_busd"].to_numpy()[suspended]).sum() > 0
