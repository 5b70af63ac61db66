"""Eligibility on the real store: denied states are never scored, ranked, tiered or queued."""

from __future__ import annotations

from pathlib import Path

import pytest

from data import inputs, orderbook, queries
from data.store import connect
from data.upload import UploadError, parse_order_book
from scoring.criteria import PRESETS_BY_KEY
from scoring.engine import MISSING_RULES
from scoring.pipeline import Scenario, run_scenario

DENIED = {"BLR", "MMR", "CHN", "CUB", "IRN", "PRK", "SYR", "VEN", "RUS", "AFG"}


@pytest.fixture(scope="module")
def split(store_path: Path):
    con = connect(store_path)
    features = queries.partner_features(con)
    rules = queries.run(con, "eligibility_rules", {})
    as_of, status = inputs.eligibility_state(rules, queries.run(con, "data_vintage", {}))
    allowed, denied = inputs.split_by_eligibility(features, status, rules)
    lines = inputs.line_table(queries.run(con, "production_lines", {}))
    orders = queries.run(con, "open_orders", {})
    con.close()
    return as_of, allowed, denied, lines, orders, rules


def test_denied_states_are_listed_with_their_rule_and_citation(split) -> None:
    _, allowed, denied, *_ = split
    present = DENIED & set(allowed["iso3"]) 
    assert not present
    assert DENIED <= set(denied["iso3"])
    assert denied["citation_url"].str.startswith("http").all()
    assert denied["reason"].str.len().gt(0).all()
    assert "126.1(d)(1)" in denied.set_index("iso3").loc["CHN", "reason"]


def test_restricted_partners_are_scored_and_flagged(split) -> None:
    as_of, allowed, *_ = split
    flags = allowed.set_index("iso3")["eligibility"]
    assert flags.loc["IRQ"] == "restricted" and flags.loc["LBN"] == "restricted"
    assert flags.loc["KHM"] == "eligible"  # removed from 126.1 on 7 Nov 2025
    assert flags.loc["CYP"] == ("restricted" if as_of >= "2026-10-01" else "eligible")
    assert flags.loc["POL"] == "eligible"


@pytest.mark.parametrize("missing", list(MISSING_RULES))
@pytest.mark.parametrize("preset", ["eo", "balanced", "strategic", "human_rights"])
def test_no_denied_state_is_ranked_tiered_or_queued(split, preset, missing) -> None:
    _, allowed, _, lines, orders, _ = split
    partners = inputs.partner_inputs(allowed)
    book = inputs.order_book(orders, partners, lines)
    scenario = Scenario(tuple(sorted(PRESETS_BY_KEY[preset].weights.items()))).changed(missing=missing)
    result = run_scenario(partners, book, lines, scenario)
    assert not DENIED & set(result.matrix.partners)
    assert not DENIED & set(orders["iso3"].dropna())
    assert result.ranking is not None and len(result.ranking.tiers.tier) == len(partners.iso3)


def test_holding_restricted_partners_holds_their_orders(split) -> None:
    _, allowed, _, lines, orders, _ = split
    partners = inputs.partner_inputs(allowed)
    book = inputs.order_book(orders, partners, lines)
    weights = tuple(sorted(PRESETS_BY_KEY["eo"].weights.items()))
    restricted = set(allowed.loc[allowed["eligibility"].eq("restricted"), "iso3"])
    ordered_by_restricted = orders["iso3"].isin(restricted).to_numpy()
    free = run_scenario(partners, book, lines, Scenario(weights))
    held = run_scenario(partners, book, lines, Scenario(weights).changed(hold_restricted=True))
    assert not free.order_gates.held[ordered_by_restricted].any()
    if ordered_by_restricted.any():
        assert held.order_gates.held[ordered_by_restricted].all()
    position = {code: i for i, code in enumerate(partners.iso3)}
    for code in restricted:
        assert held.partner_gates.held[position[code]]
        assert "case by case" in held.partner_gates.reasons[position[code]]


def test_an_uploaded_order_for_a_denied_state_is_rejected_with_the_rule(split) -> None:
    _, allowed, denied, *_ = split
    rules = dict(zip(denied["iso3"], denied["reason"], strict=True))
    content = b"iso3,line_id,units,contract_date\nPOL,javelin,5,2024-01-01\nIRN,javelin,5,2024-01-01\n"
    with pytest.raises(UploadError) as err:
        parse_order_book(content, set(allowed["iso3"]) | set(denied["iso3"]), {"javelin"}, rules)
    assert any("IRN is not eligible" in p and "126.1" in p and "row 3" in p for p in err.value.problems)


def test_every_partner_with_a_us_order_has_sourced_judgements(store_path: Path, split) -> None:
    _, allowed, *_ = split
    con = connect(store_path)
    judged = con.execute("SELECT iso3, count(*) AS n FROM strategic_assessment GROUP BY iso3").df().set_index("iso3")["n"]
    ordered = set(con.execute("SELECT DISTINCT iso3 FROM arms_order").df()["iso3"])
    recent = set(con.execute(
        "SELECT DISTINCT iso3 FROM us_arms_delivery WHERE year BETWEEN 2015 AND 2024 AND us_tiv_m > 0"
    ).df()["iso3"])
    refs = con.execute("SELECT source_ref FROM strategic_assessment").df()["source_ref"]
    sources = con.execute("SELECT source_id, url, is_judgement FROM source").df()
    domains = con.execute("SELECT domain, source_class FROM source_domain").df()
    con.close()
    need = (ordered | recent) & set(allowed["iso3"])
    assert all(judged.get(code, 0) == 6 for code in need), sorted(c for c in need if judged.get(c, 0) != 6)
    published = set(sources.loc[sources["url"].notna() & ~sources["is_judgement"], "source_id"])
    classes = dict(zip(domains["domain"], domains["source_class"], strict=True))
    for ref in refs:
        tokens = [t.strip() for t in ref.split(";") if t.strip()]
        assert tokens, "every judgement cites at least one source"
        for token in tokens:
            if token.startswith("http"):
                assert orderbook.classify(token, classes) not in (None, "excluded"), token
            else:
                assert token in published, f"internal key {token!r} in a judgement's sources"
