"""The order book (through data.orderbook's row-by-row review)."""

from __future__ import annotations

import pandas as pd

from data import orderbook


def build_arms_order(
    raw: dict, cur: dict, domains: pd.DataFrame, line_ids: set[str], partners: set[str]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The reviewed public order book (``data/orderbook.py``): orders, their pages, the review log."""
    reviews = cur["order_reviews"]
    classes = dict(zip(domains["domain"], domains["source_class"], strict=True))
    orders, sources, log = orderbook.build_order_book(
        raw["record"], raw["orders"], reviews, classes, line_ids, partners
    )
    for col in ("quantity", "units_open", "delivered_units"):
        orders[col] = orders[col].astype("Int64")
    orders["value_busd"] = orders["value_busd"].astype(float)
    sources["rank"] = sources["rank"].astype(int)
    return orders, sources, log
