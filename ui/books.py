"""The scenario's order book: the store's open orders, or the session's uploaded book (validated by
``data.upload``, read through the store's SQL), plus the scenario's hypothetical orders; and the
pipeline's array inputs built from them once per store file."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from data import inputs
from data.upload import parse_order_book
from scoring.pipeline import LineTable, OrderBook, PartnerInputs, Scenario
from ui import data
from ui.cache import SESSION_RESULTS_KEY, STORE_BOOK, UPLOAD_KEY, _session, scenario_cache

__all__ = ["HYPOTHETICAL_ID", "STORE_BOOK", "UPLOAD_KEY", "active_upload", "order_source", "pipeline_inputs",
           "register_upload", "scenario_book"]


def pipeline_inputs() -> tuple[PartnerInputs, LineTable]:
    """The store's partners and production lines as arrays (built once per store file)."""
    return _pipeline_inputs(data.store_stamp())


@st.cache_resource(show_spinner=False, max_entries=2)
def _pipeline_inputs(stamp: int) -> tuple[PartnerInputs, LineTable]:
    return inputs.partner_inputs(data.partner_features()), inputs.line_table(data.query("production_lines"))


def _book_arrays(orders: pd.DataFrame) -> OrderBook:
    return inputs.order_book(orders, *pipeline_inputs())


def _store_book() -> tuple[pd.DataFrame, OrderBook]:
    return _store_book_at(data.store_stamp())


@st.cache_resource(show_spinner=False, max_entries=2)
def _store_book_at(stamp: int) -> tuple[pd.DataFrame, OrderBook]:
    orders = data.query("open_orders")
    return orders, _book_arrays(orders)


def _uploaded_book(name: str, content: bytes) -> tuple[pd.DataFrame, OrderBook]:
    """An uploaded book (validated by ``data.upload``) in the store's open-order layout. Not cached
    process-wide: the parsed book is kept in the uploading session's state (``register_upload``)."""
    denied = data.not_eligible()
    partners = data.query("partners_table")["iso3"]
    lines = data.query("production_lines")["line_id"]
    book = parse_order_book(content, set(partners), set(lines), dict(zip(denied["iso3"], denied["reason"], strict=True)))
    orders = data.uploaded_open_orders(book, name)
    return orders, _book_arrays(orders)


def register_upload(name: str, content: bytes) -> str:
    """Validate an uploaded book and make it this session's order book; returns its key.

    Raises
    ------
    UploadError
        The file is not a valid order book (nothing is kept).
    """
    digest = hashlib.sha256(content).hexdigest()[:16]
    with st.spinner("Checking the uploaded order book…"):
        parsed = _uploaded_book(name, content)
    st.session_state.pop(SESSION_RESULTS_KEY, None)  # results on a previous upload go with it
    st.session_state[UPLOAD_KEY] = {"key": digest, "name": name, "content": content, "rows": len(parsed[0]), "parsed": parsed}
    return digest


def active_upload() -> dict | None:
    """The uploaded book this session uses, or None for the store's order book."""
    return _session().get(UPLOAD_KEY)


def order_source(book: str) -> tuple[pd.DataFrame, OrderBook]:
    """Open orders (table and arrays) of the store (``'store'``) or of this session's upload."""
    upload = active_upload()
    if book == STORE_BOOK or upload is None or upload["key"] != book:
        return _store_book()
    if "parsed" not in upload:  # set by hand (tests) or from an older session: parse once, keep it
        upload["parsed"] = _uploaded_book(upload["name"], upload["content"])
    return upload["parsed"]


HYPOTHETICAL_ID = 990_000  # hypothetical orders get ids 990001, 990002, ...


def scenario_book(scenario: Scenario) -> tuple[pd.DataFrame, OrderBook]:
    """The scenario's order book: the store's (or the session's upload) plus its hypothetical orders."""
    if not scenario.hypothetical:
        return order_source(scenario.book)
    return _with_hypothetical(scenario.book, scenario.hypothetical)


@scenario_cache(max_entries=16, book_arg=0, ttl=None)
def _with_hypothetical(book_key: str, hypothetical: tuple[tuple[str, str, float, str], ...]) -> tuple[pd.DataFrame, OrderBook]:
    base, _ = order_source(book_key)
    partners = data.query("partners_table").set_index("iso3")
    lines = data.query("production_lines").set_index("line_id")
    rows = []
    for k, (iso3, line_id, units, signed) in enumerate(hypothetical, start=1):
        if iso3 not in partners.index or line_id not in lines.index:
            raise ValueError(f"Hypothetical order {k}: unknown partner {iso3!r} or line {line_id!r}")
        line = lines.loc[line_id]
        rows.append(
            {
                "order_id": HYPOTHETICAL_ID + k, "iso3": iso3, "partner": partners.loc[iso3, "name"],
                "analyst_region": partners.loc[iso3, "analyst_region"], "line_id": line_id,
                "platform": line["platform"], "sensitivity": line["sensitivity"],
                "description": f"HYPOTHETICAL: {units:g} {line['unit_name']}s signed {signed}",
                "units_open": float(units), "units_open_is_estimate": False, "quantity": float(units),
                "value_busd": float(units) * float(line["unit_cost_musd"]) / 1000.0, "value_basis": "unit cost × units",
                "contract_date": pd.Timestamp(signed), "date_precision": "day", "status": "signed",
                "confidence": "hypothetical", "best_source_url": None, "best_source_class": "hypothetical",
                "source_urls": "hypothetical order (delivery-date quote)", "is_block": False, "date_assumed": False,
            }
        )
    extra = pd.DataFrame(rows)
    frame = pd.concat([base.assign(hypothetical=False), extra.assign(hypothetical=True)], ignore_index=True)
    frame["contract_date"] = pd.to_datetime(frame["contract_date"])
    return frame, _book_arrays(frame)
