"""Data & sources: every table of the store with its sources, vintages and estimate flags."""

import streamlit as st

from data.store import TABLES
import pandas as pd

from scoring.pipeline import line_lead_months
from ui import books, data, widgets
from ui.page import bootstrap

bootstrap()

st.title("Data & sources")
st.caption(
    "Everything the dashboard computes comes from these tables, built from the project's curated seed "
    "files. Each row points to a source; estimates and analyst judgements are flagged."
)
status = data.store_status()
meta = data.query("store_meta")
if not meta.empty:
    st.caption(
        f"Store built {meta['built_at'].iloc[0]:%Y-%m-%d %H:%M} UTC from seeds version "
        f"`{meta['seeds_hash'].iloc[0]}`" + (f" · {status.message}" if status else " · read-only hosting")
    )

counts = data.query("table_counts")
cols = st.columns(5)
for i, row in enumerate(counts.itertuples()):
    cols[i % 5].metric(row.table_name.replace("_", " "), f"{row.n_rows:,}")

st.subheader("Sources")
sources = data.query("sources")
st.dataframe(
    sources,
    hide_index=True,
    width="stretch",
    column_config={"url": st.column_config.LinkColumn("url"), "is_judgement": st.column_config.CheckboxColumn("judgement")},
)
st.subheader("Which source stands behind each table")
st.dataframe(data.query("table_sources"), hide_index=True, width="stretch")

tab_partners, tab_spending, tab_orders, tab_lines, tab_judgement, tab_other = st.tabs(
    ["Partners", "Spending", "Orders", "Production lines", "Analyst judgements", "Other tables"]
)
with tab_partners:
    widgets.searchable_table(
        data.query("partners_table"), "Search partners", "data_partner_search", "name, ISO3 or region",
        "regions: analyst grouping (judgement); UN M49 subregions; centroids from 360info/geoBoundaries",
    )
with tab_spending:
    spending = data.table("spending")
    series = st.multiselect("Series", sorted(spending["series"].unique()), default=sorted(spending["series"].unique()), key="data_series")
    iso = st.text_input("Partner (ISO3)", key="data_spending_iso", placeholder="e.g. POL").strip().upper()
    view = spending[spending["series"].isin(series)]
    if iso:
        view = view[view["iso3"] == iso]
    st.caption("SIPRI: constant 2023 US$; NATO: constant 2015 US$. `is_estimate` marks NATO 2023–25 estimates and unverified pledges.")
    if view.empty:
        st.info("No spending rows for this selection.")
    else:
        st.dataframe(view, hide_index=True, width="stretch")
with tab_orders:
    widgets.order_book_browser()
with tab_lines:
    st.caption(
        "Line rates, targets, the published US share of output, lead times and backlogs. Each sourced figure is listed "
        "below with the verbatim quote that carries it; a line without a published US share uses the sidebar's default."
    )
    lines_frame = data.query("production_lines").copy()
    lead = line_lead_months(books.pipeline_inputs()[1])
    by_id = dict(zip(books.pipeline_inputs()[1].line_id, lead, strict=True))
    lines_frame["lead_time_used_months"] = lines_frame["line_id"].map(by_id)
    lines_frame["lead_time_basis"] = [
        "published" if pd.notna(v) else f"default for {c} (assumption)"
        for v, c in zip(lines_frame["lead_time_months"], lines_frame["category"], strict=True)
    ]
    lines_frame["us_share_basis"] = lines_frame["us_share"].map(
        lambda v: "published" if pd.notna(v) else "sidebar default (assumption)"
    )
    st.dataframe(lines_frame, hide_index=True, width="stretch", key="data_lines")
    st.markdown("**Sourced line facts**")
    st.dataframe(
        data.query("line_facts"),
        hide_index=True,
        width="stretch",
        column_config={"source_url": st.column_config.LinkColumn("Source", display_text="open")},
        key="data_line_facts",
    )
with tab_judgement:
    st.warning("Analyst judgements (Nov 2026), not published data: each score carries its rationale and the facts behind it.")
    st.dataframe(data.query("all_judgements"), hide_index=True, width="stretch")
with tab_other:
    shown = ("partner", "spending", "arms_order", "production_line", "strategic_assessment", "source")
    name = st.selectbox("Table", [t for t in TABLES if t not in shown], key="data_other_table")
    st.dataframe(data.table(name), hide_index=True, width="stretch")
