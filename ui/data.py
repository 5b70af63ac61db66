"""Cached access to the store for the pages: one connection per process, cached query results.

The connection is a ``st.cache_resource`` (never mutated); every query result is a
``st.cache_data`` keyed by plain values. The store is built on first start if it is missing or
older than the seeds, and the app says so; when hosted read-only (``ARMS_PRIORITY_READ_ONLY=1``)
it is only opened. Every failure becomes a clear message on the page, never a traceback.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from data import queries
from data.inputs import eligibility_state, split_by_eligibility
from data.store import StoreError, StoreStatus, connect, default_db_path, ensure_store

READ_ONLY_ENV = "ARMS_PRIORITY_READ_ONLY"


def _setting(name: str) -> str:
    """A setting from the environment, else from ``st.secrets`` (hosted), else ''."""
    value = os.environ.get(name, "")
    if value:
        return value
    try:
        return str(st.secrets.get(name, ""))
    except (FileNotFoundError, st.errors.StreamlitSecretNotFoundError):  # no secrets file
        return ""


def db_path() -> Path:
    configured = _setting("ARMS_PRIORITY_DB")
    return Path(configured) if configured else default_db_path()


_OPEN: dict[str, duckdb.DuckDBPyConnection] = {}  # the connection each store path is open with


@st.cache_resource(show_spinner="Opening the data store…", max_entries=2)
def _store(path: str, read_only_hosting: bool, stamp: int) -> tuple[duckdb.DuckDBPyConnection, StoreStatus | None]:
    # DuckDB keeps one database instance per path and process: the connection to a replaced file
    # must be closed, or a new connect() would reuse the old file's instance.
    previous = _OPEN.pop(path, None)
    if previous is not None:
        previous.close()
    status = None if read_only_hosting else ensure_store(Path(path))
    con = connect(Path(path), read_only=True)
    _OPEN[path] = con
    return con, status


def store_stamp() -> int:
    """The store file's version as seen by this process (modification time): a store rebuilt
    underneath a running server is a new file, so every cache keyed by the stamp moves on to it."""
    try:
        return os.stat(db_path()).st_mtime_ns
    except OSError:
        return 0


def _opened() -> tuple[duckdb.DuckDBPyConnection, StoreStatus | None]:
    read_only = _setting(READ_ONLY_ENV) == "1"
    stamp = store_stamp()
    opened = _store(str(db_path()), read_only, stamp)
    if stamp == 0 and store_stamp():  # the store was built by this first open: key by the new file,
        rebuilt = _store(str(db_path()), read_only, store_stamp())  # keeping what the first open did
        opened = (rebuilt[0], opened[1] if opened[1] is not None and opened[1].action != "current" else rebuilt[1])
    return opened


# The cached functions below never call st.* themselves: Streamlit would replay such calls to every
# later session from the cache. Failures surface as exceptions and become messages in the wrappers.


@st.cache_data(show_spinner=False, max_entries=256)
def _query_at(name: str, params: tuple[tuple[str, Any], ...], stamp: int) -> pd.DataFrame:
    return queries.run(_opened()[0], name, dict(params))


def _query(name: str, params: tuple[tuple[str, Any], ...]) -> pd.DataFrame:
    return _query_at(name, params, store_stamp())


@st.cache_data(show_spinner=False, max_entries=4)
def _partner_features_at(stamp: int) -> pd.DataFrame:
    return queries.partner_features(_opened()[0])


def _partner_features() -> pd.DataFrame:
    return _partner_features_at(store_stamp())


@st.cache_data(show_spinner=False, max_entries=32)
def _table_at(name: str, stamp: int) -> pd.DataFrame:
    return queries.table_rows(_opened()[0], name)


def _table(name: str) -> pd.DataFrame:
    return _table_at(name, store_stamp())


def _or_stop(what: str, call, *args):  # noqa: ANN001, ANN202 - thin error boundary
    try:
        return call(*args)
    except (StoreError, OSError) as exc:
        st.error(f"The data store could not be opened. {exc}")
    except duckdb.Error as exc:
        st.error(f"{what} failed against the store: {str(exc).splitlines()[0]}. Rebuild it with: python -m data.build --force")
    st.stop()


def store_notice() -> None:
    """Once per session: say that the store was built or rebuilt at start (never from a cache)."""
    if st.session_state.get("_store_notice_shown"):
        return
    st.session_state["_store_notice_shown"] = True
    status = _or_stop("Opening the store", _opened)[1]
    if status is not None and status.action != "current":
        st.toast(status.message)


def store_status() -> StoreStatus | None:
    """What the first open of the store did (None when hosted read-only)."""
    return _or_stop("Opening the store", _opened)[1]


def query(name: str, params: tuple[tuple[str, Any], ...] = ()) -> pd.DataFrame:
    """A named query's result (cached); ``params`` as (name, value) pairs so it can be cached."""
    return _or_stop(f"The query {name!r}", _query, name, params)


def known_partners() -> set[str]:
    """ISO3 codes of every partner in the store."""
    return set(query("partners_table")["iso3"])


def known_lines() -> list[str]:
    """Ids of every production line in the store, in the store's order."""
    return query("production_lines")["line_id"].tolist()


def uploaded_open_orders(book: pd.DataFrame, name: str) -> pd.DataFrame:
    """A validated upload's open orders, read through the store's SQL (not cached: the caller keeps
    the result in the uploading session's state)."""
    from data.upload import uploaded_open_orders as through_sql

    return _or_stop("Reading the uploaded order book", lambda: through_sql(_opened()[0], book, name))


def _features_and_eligibility() -> tuple[pd.DataFrame, pd.DataFrame, str]:
    return _features_and_eligibility_at(store_stamp())


@st.cache_resource(show_spinner=False, max_entries=2)
def _features_and_eligibility_at(stamp: int) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    features = _partner_features()
    rules = _query("eligibility_rules", ())
    as_of, status = eligibility_state(rules, _query("data_vintage", ()))
    return (*split_by_eligibility(features, status, rules), as_of)


def partner_features() -> pd.DataFrame:
    """Scoring inputs of every partner US law lets buy (see ``partner_features`` in
    data/sql/queries.sql); denied partners are left out (see ``not_eligible``), restricted ones are
    flagged in the ``eligibility`` column and the numeric ``restricted`` column (1 = restricted)."""
    frame = _or_stop("Reading the partner features", _features_and_eligibility)[0]
    if frame.empty:
        st.error("The store holds no partners. Rebuild it with: python -m data.build --force")
        st.stop()
    return frame


def not_eligible() -> pd.DataFrame:
    """Partners US law denies on the as-of date: never scored, ranked, tiered or queued."""
    return _or_stop("Reading the partner features", _features_and_eligibility)[1]


def eligibility_as_of() -> str:
    """The date eligibility is decided on: the data vintage (latest order or rule date)."""
    return _or_stop("Reading the partner features", _features_and_eligibility)[2]


def table(name: str) -> pd.DataFrame:
    """A whole store table for the Data page."""
    return _or_stop(f"Reading table {name!r}", _table, name)


def vintage_quarter() -> tuple[int, int]:
    """The order book's vintage as (year, quarter): the quarter of its latest notification or signature.
    Read a few times per rerun (scenario, reference, labels): kept per store version."""
    return _or_stop("Reading the data vintage", _vintage_quarter_at, store_stamp())


@st.cache_resource(show_spinner=False, max_entries=4)
def _vintage_quarter_at(stamp: int) -> tuple[int, int]:
    vintage = _query("data_vintage", ())
    value = vintage["latest_order_date"].iloc[0] if not vintage.empty else None
    if value is None or pd.isna(value):
        return 2026, 1
    latest = pd.Timestamp(value)
    return int(latest.year), int((latest.month - 1) // 3 + 1)
