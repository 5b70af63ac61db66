"""Small shared widgets: the partner picker, filters, the FCFS notice, download buttons."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from scoring.report import short_platform
from ui import data, state


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|$<>~])")


def plain(text: object, limit: int = 600) -> str:
    """Text shown through markdown as literal text: special characters escaped (no links, images,
    LaTeX from '$' signs or HTML), newlines flattened, cut to ``limit`` characters."""
    value = " ".join(str(text).split())
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    return _MARKDOWN_SPECIAL.sub(r"\\\1", value)


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


def unmoved_notice(metric: str, quarters: int, fence: int | None) -> str:
    """Why a regional map of changes vs FCFS is neutral everywhere: the time fence commits the first
    quarters of every line's output, which then stays first-come-first-served."""
    committed = ("each line's lead time" if fence is None else f"{fence} quarters")
    what = (f"no region's share of deliveries in the first {quarters} quarters moves"
            if metric == "early_share_change" else "no region's deliveries move on average")
    if fence == 0:
        return (f"Against first-come-first-served, {what}: with no time fence, the weights leave every region's "
                "deliveries where they were. Change the weights or the delivery rules to see where the policy moves them.")
    return (
        f"Against first-come-first-served, {what}. The time fence ({committed}, under Delivery rules) commits the "
        "production inside it: already-scheduled units keep their slots under every policy, and the priority rule "
        "re-sequences only what lies beyond. Widen the early window, shorten the fence, or change the weights to see "
        "where the policy starts to move deliveries."
    )


def empty_notice(what: str) -> None:
    st.info(f"No {what} match the current filters.")


def downloads(scenario, key: str) -> None:
    """CSV, XLSX and a one-page HTML briefing of the current scenario, named after it and dated.

    The files are built only when a button is clicked (deferred ``data`` callables), so the
    downloads cost nothing on a slider move. The workbook's Scenario sheet carries the share link
    (as a query string) and the data vintage.
    """
    import datetime as dt
    import urllib.parse

    from ui import cache, export, model, scenarios

    preset = str(state.value("preset"))
    loaded = st.session_state.get("_loaded_scenario")
    name = loaded["name"] if loaded else ("custom weights" if preset == "custom" else preset)
    stem = export.file_stem(name, dt.date.today())
    link = "?" + urllib.parse.urlencode(state.params_of(state.values()))
    year, quarter = data.vintage_quarter()
    vintage = f"order book {year} Q{quarter}; eligibility as of {data.eligibility_as_of()}"
    c1, c2, c3, c4 = st.columns(4)
    c1.download_button(
        "Queue & schedule (CSV)",
        cache.deferred(lambda: export.csv_bytes(model.order_table(scenario), export.QUEUE_COLUMNS)),
        f"{stem}_queue.csv", "text/csv", key=f"{key}_queue_csv", on_click="ignore",
    )
    c2.download_button(
        "Scores (CSV)",
        cache.deferred(lambda: export.csv_bytes(model.ranking_table(scenario).merge(
            model.contributions_wide(scenario), on="iso3", how="left"), export.SCORE_COLUMNS + model.contribution_columns())),
        f"{stem}_scores.csv", "text/csv", key=f"{key}_scores_csv", on_click="ignore",
    )
    c3.download_button(
        "Everything (Excel)",
        cache.deferred(lambda: export.workbook(
            scenario, preset, model.order_table(scenario), model.ranking_table(scenario), data.query("sources"),
            url=link, vintage=vintage,
        )),
        f"{stem}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx", on_click="ignore",
    )

    reference, ref_label = scenarios.reference_scenario()  # read now: the click runs outside this session's run

    def briefing() -> bytes:
        return export.briefing_html(
            name, link, vintage, model.ranking_table(scenario), model.order_table(scenario),
            model.what_changed(scenario), model.reference_summary(scenario, reference, ref_label),
        )

    c4.download_button("Briefing (HTML)", cache.deferred(briefing), f"{stem}_briefing.html", "text/html", key=f"{key}_html", on_click="ignore")


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
    from ui import books, cache, export, model

    upload = books.active_upload()
    generation = st.session_state.setdefault("_upload_generation", 0)
    with st.expander("Use your own order book (CSV)", expanded=upload is not None):
        if upload is not None:
            st.info(
                f"In use: **{plain(upload['name'], 120)}** ({upload['rows']:,} orders, analyst-supplied, not from the store). "
                "Uploaded books stay in this session and are not part of a shared link."
            )
            if st.button("Back to the store's order book", key="queue_upload_clear"):
                st.session_state.pop(books.UPLOAD_KEY, None)
                st.session_state["_upload_generation"] = generation + 1  # a fresh, empty uploader
                st.rerun()
        st.caption(
            "Columns: iso3, line_id, units, contract_date (YYYY-MM-DD); optional order_id, value_busd, description. "
            "Partner codes and line ids as on the Data & sources page. A file with any problem is rejected whole."
        )
        st.download_button(
            "Template: the store's open orders in this format",
            cache.deferred(lambda: export.book_template(model.order_table(scenario))),
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
                books.register_upload(file.name, file.getvalue())
            except UploadError as exc:
                rejected = (marker, exc.problems)
                st.session_state["_upload_rejected"] = rejected
            else:
                st.session_state[books.UPLOAD_KEY]["marker"] = marker
                st.rerun()
        st.error("This order book was not loaded:\n" + "\n".join(f"- {plain(p, 240)}" for p in rejected[1]))


SOURCE_CLASS_LABELS: dict[str, str] = {
    "official": "official",
    "trade_press": "defence trade press",
    "wire_major": "wire / major outlet",
    "other": "other (low confidence)",
    "excluded": "excluded",
}


def _order_columns() -> dict:
    """Column settings shared by the order tables (figures, dates and the best source)."""
    return {
        "quantity": st.column_config.NumberColumn("Qty", format="%d", width=55),
        "units_open": st.column_config.NumberColumn("Open", format="%d", width=55),
        "delivered_units": st.column_config.NumberColumn("Delivered", format="%d", width=70),
        "notified_date": st.column_config.DateColumn("Notified", width=90),
        "signed_date": st.column_config.DateColumn("Signed", width=90),
        "value_busd": st.column_config.NumberColumn("US$ bn", format="%.2f", width=65),
        "best_source_class": st.column_config.TextColumn("Best source", width=120),
        "best_source_url": st.column_config.LinkColumn("Source", display_text="open", width=60),
    }


def order_history(iso3: str, name: str) -> None:
    """A partner's whole US order history (delivered, open, notified, cancelled), best source first."""
    history = data.query("partner_orders", (("iso3", iso3),))
    st.subheader("US order history")
    if history.empty:
        st.info(f"No US order of {name} is in the public order book.")
        return
    counts = history["status"].value_counts()
    st.caption(
        f"{len(history)} orders in the public record: "
        + ", ".join(f"{int(n)} {status}" for status, n in counts.items())
        + ". Delivered and cancelled orders are history and do not compete for capacity; notified values are "
        "ceilings for whole packages."
    )
    st.dataframe(
        history.assign(best_source_class=history["best_source_class"].map(SOURCE_CLASS_LABELS),
                       platform=history["platform"].map(_short_platform)),
        hide_index=True,
        width="stretch",
        column_order=["description", "platform", "status", "quantity", "units_open", "delivered_units", "notified_date",
                      "signed_date", "value_busd", "value_basis", "confidence", "best_source_class", "best_source_url"],
        column_config={
            **_order_columns(),
            "description": st.column_config.TextColumn("Item", width=190),
            "platform": st.column_config.TextColumn("Line", width=190),
            "status": st.column_config.TextColumn("Status", width=80),
            "value_basis": st.column_config.TextColumn("Value basis", width=110),
            "confidence": st.column_config.TextColumn("Confidence", width=80),
        },
        key=f"order_history_{iso3}",
    )


def order_book_browser() -> None:
    """The whole public order book with filters (status, line, partner, confidence, source class), each
    order's pages (best source first, with its class and quote) and the review record."""
    orders = data.query("all_orders")
    summary = data.query("order_review_summary")
    kept = int(summary.loc[~summary["verdict"].eq("dropped") & summary["curation"].eq(""), "n_records"].sum())
    dropped = int(summary["n_records"].sum()) - kept
    st.caption(
        f"{len(orders)} orders in the public record ({kept} records kept after a row-by-row review of "
        f"{int(summary['n_records'].sum())}; {dropped} dropped as duplicates, as not a distinct order, or because only "
        "excluded sources carried them). Delivered and cancelled orders are history: they never compete for capacity. "
        "Notified values are ceilings for whole packages, never a backlog value."
    )
    c1, c2, c3, c4, c5 = st.columns(5)
    statuses = c1.multiselect("Status", sorted(orders["status"].unique()), key="data_orders_status")
    lines = c2.multiselect("Line", sorted(orders["platform"].dropna().unique()), key="data_orders_line")
    partners = c3.multiselect("Partner", sorted(orders["partner"].unique()), key="data_orders_partner")
    confidence = c4.multiselect("Confidence", ["high", "medium", "low"], key="data_orders_confidence")
    classes = c5.multiselect(
        "Best source class", list(SOURCE_CLASS_LABELS)[:-1], format_func=SOURCE_CLASS_LABELS.__getitem__,
        key="data_orders_class",
    )
    view = orders
    for column, chosen in (("status", statuses), ("platform", lines), ("partner", partners),
                           ("confidence", confidence), ("best_source_class", classes)):
        if chosen:
            view = view[view[column].isin(chosen)]
    st.caption(f"{len(view)} orders match.")
    if view.empty:
        st.info("No orders match these filters.")
        return
    event = st.dataframe(
        view.assign(best_source_class=view["best_source_class"].map(SOURCE_CLASS_LABELS), platform=view["platform"].map(_short_platform)),
        hide_index=True,
        width="stretch",
        height=380,
        column_order=["partner", "description", "platform", "status", "quantity", "units_open", "delivered_units",
                      "notified_date", "signed_date", "value_busd", "value_basis", "confidence", "estimated_fields",
                      "best_source_class", "best_source_url", "best_quote"],
        column_config={
            **_order_columns(),
            "partner": st.column_config.TextColumn("Partner", width=110),
            "description": st.column_config.TextColumn("Item", width=170),
            "platform": st.column_config.TextColumn("Line", width=190),
            "estimated_fields": st.column_config.TextColumn("Estimated", width=90, help="Figures no retrieved page carries"),
            "best_quote": st.column_config.TextColumn("Quote carrying the figures", width=300),
        },
        on_select="rerun",
        selection_mode="single-row",
        key="data_orders_table",
    )
    rows = event.selection.rows if event is not None else []
    if not rows:
        st.caption("Select an order to see every page cited for it and its review.")
        return
    order = view.iloc[rows[0]]
    pages = data.query("order_sources", (("order_id", int(order["order_id"])),))
    st.markdown(f"**Sources of order {int(order['order_id'])}** ({order['record_id']}), best class first")
    st.dataframe(
        pages.assign(source_class=pages["source_class"].map(SOURCE_CLASS_LABELS)),
        hide_index=True,
        width="stretch",
        column_config={"url": st.column_config.LinkColumn("Page", display_text="open")},
        key="data_order_pages",
    )
    st.caption(f"Review ({order['review_verdict']}): {plain(order['review_note'] or '—')}")


def levers(scenario, iso3: str, key: str) -> None:
    """What it would take: each lever the partner controls, and the move that changes its tier."""
    from ui import model

    heading, table = model.levers_for(scenario, iso3)
    st.markdown(f"**What it would take.** {heading}")
    if table.empty:
        return
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            "lever": st.column_config.TextColumn("Lever", width=220),
            "now": st.column_config.TextColumn("Now", width=80),
            "change": st.column_config.TextColumn("Move needed", width=150),
            "to": st.column_config.TextColumn("To", width=80),
            "note": st.column_config.TextColumn("", width=220),
        },
        key=f"{key}_levers_{iso3}",
    )


def cited_sources(ref: str) -> str:
    """A judgement's ``source_ref`` for display: dataset ids become 'Publisher: title (vintage, URL)',
    page URLs stay as they are."""
    sources = data.query("sources").set_index("source_id")
    out = []
    for token in (t.strip() for t in str(ref or "").split(";")):
        if not token:
            continue
        if token in sources.index:
            row = sources.loc[token]
            out.append(f"{row['publisher']}: {row['title']} ({row['vintage']}, {row['url']})")
        else:
            out.append(token)
    return "; ".join(out)


def delivery_quote(scenario) -> None:
    """The delivery-date quote: insert hypothetical orders and see when they arrive under FCFS and
    every allocation policy, and whom they displace. Kept in the link and in the exports."""
    import datetime as dt

    from ui import model

    st.subheader("Delivery-date quote")
    st.caption(
        "If a partner signs for this many units on this date, when do they arrive? Hypothetical orders are "
        "marked HYPOTHETICAL everywhere (tables, downloads) and kept in the shared link."
    )
    hypothetical = list(state.value(state.HYPO_KEY))
    partners = data.partner_features()[["iso3", "name"]].sort_values("name")
    names = dict(zip(partners["iso3"], partners["name"], strict=True))
    lines = data.query("production_lines")
    platforms = dict(zip(lines["line_id"], lines["platform"], strict=True))
    year, quarter = scenario.production.start_year, scenario.production.start_quarter
    with st.form("quote_form", border=True):
        c1, c2, c3, c4 = st.columns([2, 2, 1, 1.4])
        iso3 = c1.selectbox("Partner", list(names), format_func=lambda c: f"{names[c]} ({c})",
                            index=list(names).index("MAR") if "MAR" in names else 0, key="quote_partner")
        line_id = c2.selectbox("Line", list(platforms), format_func=platforms.__getitem__,
                               index=list(platforms).index("javelin") if "javelin" in platforms else 0, key="quote_line")
        units = c3.number_input("Units", 1, 100_000, 200, key="quote_units")
        signed = c4.date_input("Signed", dt.date(year, 3 * quarter - 2, 1), min_value=dt.date(2000, 1, 1),
                               max_value=dt.date(2040, 12, 31), key="quote_date")
        added = st.form_submit_button("Add hypothetical order", disabled=len(hypothetical) >= state.MAX_HYPOTHETICAL)
    if added:
        hypothetical.append((iso3, line_id, float(units), signed.isoformat()))
        state.set_value(state.HYPO_KEY, tuple(hypothetical))
        st.rerun()
    if not hypothetical:
        st.caption("No hypothetical order yet.")
        return
    quote, displaced = model.delivery_quote(scenario)
    st.dataframe(
        quote, hide_index=True, width="stretch",
        column_config={
            "order_id": st.column_config.NumberColumn("Order", format="%d", width=70),
            "units_open": st.column_config.NumberColumn("Units", format="%d", width=60),
            "contract_date": st.column_config.DateColumn("Signed", width=90),
            "fcfs_first": "FCFS: first", "fcfs_last": "FCFS: last",
        },
        key="quote_table",
    )
    if displaced.empty:
        st.caption("It displaces no order under the current policy.")
    else:
        st.markdown(f"**Orders it displaces under the current policy** ({len(displaced)}; + = later)")
        st.dataframe(
            displaced, hide_index=True, width="stretch",
            column_config={
                "priority_last_before": "Done without it", "priority_last_after": "Done with it",
                "slip_quarters": st.column_config.NumberColumn("Slip (quarters)", format="%+d"),
            },
            key="quote_displaced",
        )
    if st.button(f"Remove the {len(hypothetical)} hypothetical order(s)", key="quote_clear"):
        state.set_value(state.HYPO_KEY, ())
        st.rerun()


def scenario_label() -> str:
    """A short name for the current scenario (saved name, preset, or custom) for chart titles."""
    from scoring.criteria import PRESETS_BY_KEY

    loaded = st.session_state.get("_loaded_scenario")
    if loaded:
        return str(loaded["name"])[:60]
    preset = PRESETS_BY_KEY.get(str(state.value("preset")))
    return preset.name if preset else "custom weights"


def _short_platform(name: object) -> object:
    """A line's name without its trailing qualifier for the tables (missing names stay missing)."""
    return short_platform(name) if isinstance(name, str) else name


def whole(value: object) -> str:
    """A whole number for a table cell; a missing value reads "—", never "None" or "nan". A signed
    whole number (a rank change) is ``signed(value, 0)``."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return "—"
    return f"{int(round(float(value))):d}"


def signed(value: object, digits: int = 1) -> str:
    """A signed figure for a metric: "+1.5", "−1.5" with a true minus sign, "0.0" without a sign
    when it rounds to zero (never "−0.0"), "—" when missing."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return "—"
    number = round(float(value), digits)
    if number == 0:
        return f"{0.0:.{digits}f}"
    return f"{number:+.{digits}f}".replace("-", "\u2212")


def dark_theme() -> bool:
    """Whether the visitor's browser shows the dark theme (charts that draw their own background,
    like the offline maps, follow it); light when the browser has not said."""
    try:
        return getattr(st.context.theme, "type", None) == "dark"
    except Exception:  # outside a browser session (bare script runs)
        return False
