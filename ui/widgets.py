"""Small shared widgets: the partner picker, filters, the FCFS notice, download buttons."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import data


def partner_picker(label: str = "Partner", key: str = "partner") -> str:
    """Select one partner by name; the choice is shared across pages and kept in the URL."""
    partners = data.query("partners_table")
    names = dict(zip(partners["iso3"], partners["name"], strict=True))
    codes = sorted(names, key=names.__getitem__)
    if st.session_state.get(key) not in names:
        st.session_state[key] = "POL" if "POL" in names else codes[0]
    return str(st.selectbox(label, codes, format_func=lambda c: f"{names[c]} ({c})", key=key))


def region_filter(frame: pd.DataFrame, key: str = "region_filter", column: str = "analyst_region") -> pd.DataFrame:
    """Filter rows by analyst region (state kept in the URL)."""
    options = ["All regions", *sorted(frame[column].dropna().unique())]
    if st.session_state.get(key) not in options:
        st.session_state[key] = "All regions"
    choice = st.selectbox("Region", options, key=key)
    return frame if choice == "All regions" else frame[frame[column] == choice]


def fcfs_notice() -> None:
    st.info(
        "All criterion weights are zero: no partner weighting. Partners are not ranked or tiered and "
        "the queue is first-come-first-served. Pick a preset or move a slider to weight partners."
    )


def empty_notice(what: str) -> None:
    st.info(f"No {what} match the current filters.")
