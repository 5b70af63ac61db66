"""The public order book in the store: sourced, quoted, consistent, and loading the lines."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from data import inputs, orderbook, queries
from data.store import SEEDS_DIR, build_store, connect
from scoring.pipeline import Scenario, order_scores, run_scenario
from scoring.criteria import PRESETS_BY_KEY

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="module")
def tables(store_path: Path) -> dict[str, pd.DataFrame]:
    con = connect(store_path)
    out = {name: con.execute(f"SELECT * FROM {name}").df() for name in  # noqa: S608 - fixed names
           ("arms_order", "order_source", "source_domain", "order_review", "production_line", "partner")}
    out["open_orders"] = queries.run(con, "open_orders", {})
    con.close()
    return out


def test_the_book_holds_at_least_200_reviewed_orders(tables) -> None:
    orders, review = tables["arms_order"], tables["order_review"]
    assert len(orders) >= 200
    assert set(orders["record_id"]) <= set(review["record_id"])
    assert set(review.loc[review["verdict"].ne("dropped") & review["curation"].isna(), "record_id"]) == set(orders["record_id"])


def test_every_order_has_a_source_that_is_not_excluded(tables) -> None:
    orders, sources = tables["arms_order"], tables["order_source"]
    best = sources[sources["rank"] == 1].set_index("order_id")
    assert set(best.index) == set(orders["order_id"])
    assert not best["source_class"].eq("excluded").any(), "an excluded source never carries an order alone"
    assert (orders.set_index("order_id")["best_source_url"] == best["url"]).all()
    low = orders["best_source_class"].eq("other")
    assert orders.loc[low, "confidence"].eq("low").all(), "an order resting on an 'other' source is low confidence"


def test_within_a_class_the_page_carrying_the_quote_comes_first(tables) -> None:
    """An order's pages are listed best class first; within a class, a page with the quote that states
    the figure precedes one without, so the 'best source' shown for an order is one that carries it
    whenever its class has such a page (18 orders listed an unquoted page first before this rule)."""
    sources = tables["order_source"].sort_values(["order_id", "rank"])
    classes = list(orderbook.SOURCE_CLASSES)
    for order_id, pages in sources.groupby("order_id"):
        key = [(classes.index(c), not (isinstance(q, str) and q.strip())) for c, q in zip(pages["source_class"], pages["quote"])]
        assert key == sorted(key), (order_id, key)


def test_a_lines_sources_are_listed_best_class_first(tables) -> None:
    """A production line's compiled source list is ordered by class (official, trade press, major
    wire, other, excluded last), so its first source is never adversary state media, a mirror or a
    content farm, and every line with an excluded page also cites a better one (the 155mm line
    listed a forum repost first before this rule)."""
    classes = dict(zip(tables["source_domain"]["domain"], tables["source_domain"]["source_class"], strict=True))
    order = list(orderbook.SOURCE_CLASSES)
    for line_id, urls in zip(tables["production_line"]["line_id"], tables["production_line"]["source_urls"], strict=True):
        listed = [u for u in str(urls).split(";") if u.strip()] if isinstance(urls, str) else []
        ranks = [order.index(orderbook.classify(u, classes) or "other") for u in listed]
        assert ranks == sorted(ranks), (line_id, ranks)
        if ranks:
            assert order[ranks[0]] != "excluded", line_id


def test_every_quantity_is_stated_by_a_quote_or_flagged_an_estimate(tables) -> None:
    orders, sources = tables["arms_order"], tables["order_source"]
    quotes = sources[sources["source_class"].ne("excluded")].groupby("order_id")["quote"].apply(
        lambda q: [str(x) for x in q.dropna()]
    )
    for row in orders[orders["quantity"].notna()].itertuples():
        carried = orderbook.quote_carries(float(row.quantity), quotes.get(row.order_id, []), pods=row.line_id == "gmlrs")
        flagged = isinstance(row.estimated_fields, str) and "quantity" in row.estimated_fields
        assert carried or flagged, (row.record_id, row.quantity)


def test_status_agrees_with_dates_and_delivered_units(tables) -> None:
    o = tables["arms_order"]
    assert o.loc[o["status"].eq("notified"), "signed_date"].isna().all()
    history = o["status"].isin(["delivered", "cancelled"])
    assert (o.loc[history, "units_open"].fillna(0) == 0).all()
    counted = o["delivered_units"].notna() & o["quantity"].notna()
    delivering = o[counted & o["status"].eq("delivering")]
    assert ((delivering["delivered_units"] > 0) & (delivering["delivered_units"] < delivering["quantity"])).all()
    done = o[counted & o["status"].eq("delivered")]
    assert (done["delivered_units"] == done["quantity"]).all()
    both = o["signed_date"].notna() & o["notified_date"].notna()
    assert (o.loc[both, "signed_date"] >= o.loc[both, "notified_date"]).all()
    assert not o["notes"].fillna("").str.contains("from memory", case=False).any()
    assert not o["review_note"].fillna("").str.contains("from memory", case=False).any()


def test_history_never_competes_for_capacity(tables) -> None:
    open_ids = set(tables["open_orders"]["order_id"])
    o = tables["arms_order"]
    assert not open_ids & set(o.loc[o["status"].isin(["delivered", "cancelled"]), "order_id"])


def test_every_line_has_open_orders_or_a_sourced_statement(tables) -> None:
    per_line = tables["open_orders"].groupby("line_id")["order_id"].count()
    lines = tables["production_line"].set_index("line_id")
    for line_id, line in lines.iterrows():
        if per_line.get(line_id, 0) == 0:
            assert isinstance(line["public_orders_note"], str) and line["public_orders_source_url"].startswith("http"), line_id
    assert int((per_line >= 3).sum()) >= 20


def test_the_policys_own_cases_are_in_the_queue(tables) -> None:
    open_orders = tables["open_orders"]
    region = tables["partner"].set_index("iso3")["analyst_region"]
    javelin = open_orders[open_orders["line_id"].eq("javelin")]
    assert javelin["iso3"].map(region).eq("NATO Eastern Flank").sum() >= 2
    thaad = open_orders[open_orders["line_id"].eq("thaad")]
    assert set(thaad["iso3"]) >= {"SAU", "QAT", "ARE"}
    assert open_orders.loc[open_orders["line_id"].eq("pac3_mse"), "iso3"].nunique() >= 8


# Ten spot values across lines, each equal to what its quote states (quotes as stored in order_source):
SPOT = [
    # record, line, quantity, value (US$ bn or None), words the quote must contain
    ("airdefense-000", "pac3_mse", 60, None, "60 Patriot Advanced Capability-3"),      # Bahrain, The Defense Post 2019
    ("airdefense-028", "thaad", 360, None, "360 interceptor missiles"),                # Saudi Arabia, Nov 2018
    ("airdefense-054", "amraam", 745, 1.69, "745 AIM-120C-8"),                         # Poland, Stars and Stripes 2024
    ("fires-015", "himars", 18, None, "18 M142 HIMARS"),                                 # Poland, Feb 2023 notice
    ("fires-045", "gmlrs", 1968, None, "132 M31A2"),                                     # Canada: 328 pods × 6 rockets
    ("fires-059", "tomahawk", 400, 2.35, "200 Block V Tomahawks and 200 Block IV"),     # Japan, Jan 2024
    ("aircraft-000", "f35a", 32, 4.6, "32 F-35A"),                                      # Poland, LOA Jan 2020
    ("aircraft-006", "f35a", 105, None, "63 F-35A"),                                    # Japan: 63 + 42
    ("aircraft-062", "abrams_sepv3", 250, 1.148, "250 of the newest version"),          # Poland, GDLS Jul 2022
    ("aircraft-041", "ch47f", 12, 0.426, "12"),                                         # Egypt: $426M for 12 (fixed)
]


@pytest.mark.parametrize(("record_id", "line_id", "quantity", "value", "words"), SPOT)
def test_spot_values_equal_their_quotes(tables, record_id, line_id, quantity, value, words) -> None:
    o = tables["arms_order"].set_index("record_id").loc[record_id]
    assert o["line_id"] == line_id
    assert o["quantity"] == quantity
    if value is not None:
        assert o["value_busd"] == pytest.approx(value)
    quotes = tables["order_source"].query("order_id == @o.order_id")["quote"].dropna().str.cat(sep=" ")
    assert words in quotes


def test_a_published_backlog_beyond_the_itemised_orders_becomes_a_labelled_block(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, seeds)
    lines = pd.read_csv(seeds / "production_line.csv", dtype=str, keep_default_na=False)
    lines.loc[lines["line_id"] == "f16b70", "backlog_foreign_units"] = "300"  # itemised open: 188 jets
    lines.to_csv(seeds / "production_line.csv", index=False)
    db = tmp_path / "s.duckdb"
    build_store(db, seeds)
    con = connect(db)
    open_orders = queries.run(con, "open_orders", {})
    features = queries.partner_features(con)
    line_table = inputs.line_table(queries.run(con, "production_lines", {}))
    con.close()
    blocks = open_orders[open_orders["is_block"]]
    assert len(blocks) == 1
    block = blocks.iloc[0]
    itemised = open_orders[(open_orders["line_id"] == "f16b70") & ~open_orders["is_block"]]["units_open"].sum()
    assert block["units_open"] == 300 - itemised
    assert pd.isna(block["iso3"]) and block["partner"] == "Other customers (not itemised)"
    assert str(block["contract_date"])[:10] == lines.loc[lines["line_id"] == "f16b70", "backlog_as_of"].iloc[0]
    partners = inputs.partner_inputs(features)
    book = inputs.order_book(open_orders, partners, line_table)
    result = run_scenario(partners, book, line_table, Scenario(tuple(PRESETS_BY_KEY["eo"].weights.items())))
    scores = order_scores(result.partner_score, book.partner_index)
    k = int(np.flatnonzero(open_orders["is_block"].to_numpy())[0])
    assert scores[k] == pytest.approx(np.median(result.partner_score))
    assert not result.order_gates.held[k]


@pytest.mark.skipif(not (SHARED / "facts" / "orders_public_record.csv").is_file(), reason="needs ../shared (raw inputs)")
def test_curation_regenerates_the_seeds_byte_for_byte(tmp_path: Path) -> None:
    from data import curate

    curate.curate(SHARED.resolve(), tmp_path)
    for seed in SEEDS_DIR.glob("*.csv"):
        assert (tmp_path / seed.name).read_bytes() == seed.read_bytes(), seed.name
