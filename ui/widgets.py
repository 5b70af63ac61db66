"""Small shared widgets: the partner picker, filters, the FCFS notice, download buttons."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import data, state


def partner_picker(label: str = "Partner", key: str = "partner") -> str:
    """Select one partner by name; the choice is shared across pages and kept in the URL."""
    partners = data.query("partners_table")
    names = dict(zip(partners["iso3"], partners["name"], strict=True))
    codes = sorted(names, key=names.__getitem__)
    if state.value(key) not in names:
        state.set_value(key, "POL" if "POL" in names else codes[0])
    return str(st.selectbox(label, codes, format_func=lambda c: f"{names[c]} ({c})", **state.bind(key)))


def region_filter(frame: pd.DataFrame, key: str = "region_filter", column: str = "analyst_region") -> pd.DataFrame:
    """Filter rows by analyst region (state kept in the URL)."""
    options = ["All regions", *sorted(frame[column].dropna().unique())]
    if state.value(key) not in options:
        state.set_value(key, "All regions")
    choice = st.selectbox("Region", options, **state.bind(key))
    return frame if choice == "All regions" else frame[frame[column] == choice]


def fcfs_notice() -> None:
    st.info(
        "All criterion weights are zero: no partner weighting. Partners are not ranked or tiered and "
        "the queue is first-come-first-served. Pick a preset or move a slider to weight partners."
    )


def empty_notice(what: str) -> None:
    st.info(f"No {what} match the current filters.")


def downloads(scenario, key: str) -> None:
    """CSV and XLSX downloads of the current queue, schedule and scores.

    The files are built only when a button is clicked (deferred ``data`` callables), so the
    downloads cost nothing on a slider move.
    """
    from ui import export, model

    preset = str(state.value("preset"))
    c1, c2, c3 = st.columns(3)
    c1.download_button(
        "Queue & schedule (CSV)",
        lambda: export.csv_bytes(model.order_table(scenario), export.QUEUE_COLUMNS),
        "arms_queue.csv", "text/csv", key=f"{key}_queue_csv", on_click="ignore",
    )
    c2.download_button(
        "Scores (CSV)",
        lambda: export.csv_bytes(model.ranking_table(scenario), export.SCORE_COLUMNS),
        "arms_scores.csv", "text/csv", key=f"{key}_scores_csv", on_click="ignore",
    )
    c3.download_button(
        "Everything (Excel)",
        lambda: export.workbook(
            scenario, preset, model.order_table(scenario), model.ranking_table(scenario), data.query("sources")
        ),
        "arms_priority_scenario.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx", on_click="ignore",
    )


def searchable_table(frame: pd.DataFrame, label: str, key: str, placeholder: str, caption: str) -> None:
    """A table with a free-text search over every column (literal, case-insensitive)."""
    search = st.text_input(label, key=key, placeholder=placeholder)
    if search:
        mask = frame.apply(lambda col: col.astype(str).str.contains(search, case=False, regex=False)).any(axis=1)
        frame = frame[mask]
    st.caption(f"{len(frame)} rows · {caption}")
    if frame.empty:
        st.info("Nothing matches this search.")
    else:
        st.dataframe(frame, hide_index=True, width="stretch")


def order_book_upload(scenario) -> None:
    """Let the analyst replace the store's order book with a CSV for this session (validated whole)."""
    from data.upload import UploadError
    from ui import export, model

    upload = model.active_upload()
    generation = st.session_state.setdefault("_upload_generation", 0)
    with st.expander("Use your own order book (CSV)", expanded=upload is not None):
        if upload is not None:
            st.info(
                f"In use: **{upload['name']}** ({upload['rows']:,} orders, analyst-supplied, not from the store). "
                "Uploaded books stay in this session and are not part of a shared link."
            )
            if st.button("Back to the store's order book", key="queue_upload_clear"):
                st.session_state.pop(model.UPLOAD_KEY, None)
                st.session_state["_upload_generation"] = generation + 1  # a fresh, empty uploader
                st.rerun()
        st.caption(
            "Columns: iso3, line_id, units, contract_date (YYYY-MM-DD); optional order_id, value_busd, description. "
            "Partner codes and line ids as on the Data & sources page. A file with any problem is rejected whole."
        )
        st.download_button(
            "Template: the store's open orders in this format",
            lambda: export.book_template(model.order_table(scenario)),
            "order_book_template.csv", "text/csv", key="queue_template", on_click="ignore",
        )
        file = st.file_uploader("Order book CSV", type=["csv"], key=f"queue_upload_file_{generation}")
        if file is None:
            return
        marker = (file.name, file.size, file.file_id)
        if upload is not None and upload.get("marker") == marker:
            return
        rejected = st.session_state.get("_upload_rejected")
        if rejected is None or rejected[0] != marker:
            try:
                model.register_upload(file.name, file.getvalue())
            except UploadError as exc:
                rejected = (marker, exc.problems)
                st.session_state["_upload_rejected"] = rejected
            else:
                st.session_state[model.UPLOAD_KEY]["marker"] = marker
                st.rerun()
        st.error("This order book was not loaded:\n" + "\n".join(f"- {p}" for p in rejected[1]))
