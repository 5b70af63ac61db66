"""Downloads: the current queue, schedule and scores as CSV and as one XLSX workbook.

The workbook records the scenario (every parameter), the data vintages and the generation time on
its own sheet, so a file passed around still says exactly what produced it.
"""

from __future__ import annotations

import dataclasses
import re
import datetime as dt
import io

import pandas as pd

from scoring.pipeline import Scenario

QUEUE_COLUMNS = [
    "order_id", "line_id", "platform", "partner", "iso3", "analyst_region", "tier", "score", "units_open",
    "units_open_is_estimate", "value_busd", "contract_date", "status", "fcfs_position", "priority_position",
    "position_change", "fcfs_first", "fcfs_last", "priority_first", "priority_last", "delay_quarters", "held",
    "gate_reason", "confidence", "best_source_class", "best_source_url", "source_urls", "competing",
    "arrival_quarter", "suspended", "hypothetical",
]
SCORE_COLUMNS = [
    "rank", "iso3", "name", "analyst_region", "score", "tier", "points_to_next", "coverage", "eligibility",
    "reference_tier", "topsis_rank", "missing_criteria", "stale_inputs", "held", "gate_note",
]


def scenario_sheet(scenario: Scenario, preset: str, url: str | None = None) -> pd.DataFrame:
    """Every scenario parameter as (parameter, value) rows, plus the generation time."""
    rows: list[tuple[str, object]] = [
        ("generated_at_utc", dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")),
        ("preset", preset),
    ]
    rows += [(f"weight.{key}", weight) for key, weight in scenario.weights]
    for field in dataclasses.fields(scenario):  # every parameter, new ones included
        if field.name in ("weights", "overrides"):
            continue
        value = getattr(scenario, field.name)
        if dataclasses.is_dataclass(value):  # a part of the scenario: one row per setting, e.g. method.missing
            rows += [(f"{field.name}.{setting.name}", getattr(value, setting.name)) for setting in dataclasses.fields(value)]
        else:
            rows.append((field.name, value))
    rows += [(f"edited_judgement.{iso3}.{criterion}", score) for iso3, criterion, score in scenario.overrides]
    if url:
        rows.append(("link", url))
    return pd.DataFrame(rows, columns=["parameter", "value"]).astype({"value": str})


def workbook(
    scenario: Scenario,
    preset: str,
    queue: pd.DataFrame,
    scores: pd.DataFrame,
    sources: pd.DataFrame,
    url: str | None = None,
    vintage: str | None = None,
) -> bytes:
    """The XLSX workbook: Scenario, Queue, Scores and Sources sheets."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        sheet = scenario_sheet(scenario, preset, url)
        if vintage:
            sheet = pd.concat([sheet, pd.DataFrame({"parameter": ["data_vintage"], "value": [vintage]})], ignore_index=True)
        safe_frame(sheet).to_excel(writer, sheet_name="Scenario", index=False)
        safe_frame(queue.reindex(columns=[c for c in QUEUE_COLUMNS if c in queue.columns])).to_excel(writer, sheet_name="Queue", index=False)
        safe_frame(scores.reindex(columns=[c for c in SCORE_COLUMNS if c in scores.columns])).to_excel(writer, sheet_name="Scores", index=False)
        sources.to_excel(writer, sheet_name="Sources", index=False)
    return buffer.getvalue()


def csv_bytes(frame: pd.DataFrame, columns: list[str]) -> bytes:
    """The chosen columns as CSV, formula prefixes neutralised in every text cell."""
    return safe_frame(frame.reindex(columns=[c for c in columns if c in frame.columns])).to_csv(index=False).encode("utf-8")


def book_template(orders: pd.DataFrame) -> bytes:
    """The open orders in the upload layout (a working template for an analyst's own book)."""
    frame = pd.DataFrame(
        {
            "order_id": orders["order_id"],
            "iso3": orders["iso3"],
            "line_id": orders["line_id"],
            "units": orders["units_open"],
            "contract_date": pd.to_datetime(orders["contract_date"]).dt.strftime("%Y-%m-%d"),
            "value_busd": orders["value_busd"],
            "description": orders["description"],
        }
    )
    return safe_frame(frame).to_csv(index=False).encode("utf-8")


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def safe_cell(value: object) -> object:
    """A text cell that a spreadsheet will not run as a formula: a leading = + - @ tab or CR gets a
    quote prefix; line breaks inside are kept as spaces so a record never splits."""
    if isinstance(value, str):
        text = value.replace("\r", " ").replace("\n", " ")
        if _NUMBER.fullmatch(text):
            return text  # a signed number is data, not a formula
        if text.startswith(FORMULA_PREFIXES) or value.startswith(FORMULA_PREFIXES):
            return "'" + text
        return text
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Every text column of ``frame`` through ``safe_cell`` (numbers untouched)."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(safe_cell)
    return out


def file_stem(name: str, day: dt.date) -> str:
    """A file-name stem from a scenario name and a date: 'arms_priority_hr-at-20_2026-12-02'."""
    slug = re.sub(r"[^a-z0-9]+", "-", str(name).lower()).strip("-")[:40] or "scenario"
    return f"arms_priority_{slug}_{day.isoformat()}"


def briefing_html(
    name: str, link: str, vintage: str, ranking: pd.DataFrame, orders: pd.DataFrame, what_changed: str, vs_reference: str,
) -> bytes:
    """A self-contained one-page HTML briefing of the scenario (every text escaped; no scripts, no
    external resources)."""
    import html

    def table(frame: pd.DataFrame) -> str:
        head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
        rows = "".join(
            "<tr>" + "".join(f"<td>{html.escape('' if pd.isna(v) else str(v))}</td>" for v in row) + "</tr>"
            for row in frame.itertuples(index=False)
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"

    top = ranking.head(15)[["rank", "name", "score", "tier"]].assign(score=lambda f: f["score"].round(1))
    competing = orders[orders["competing"]] if "competing" in orders else orders
    movers = competing.reindex(competing["delay_quarters"].abs().sort_values(ascending=False).index).head(10)
    movers = movers[["partner", "platform", "fcfs_last", "priority_last", "delay_quarters"]]
    generated = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    body = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{html.escape(name)} — arms-sale priority briefing</title>
<style>body{{font-family:system-ui,sans-serif;max-width:900px;margin:2em auto;color:#222}}
table{{border-collapse:collapse;font-size:13px;margin:.5em 0 1.5em}}td,th{{border:1px solid #ccc;padding:3px 6px}}
th{{background:#f3f3f3}} .meta{{color:#555;font-size:12px}}</style></head><body>
<h1>Arms-sale priority: {html.escape(name)}</h1>
<p class="meta">Generated {generated} · data: {html.escape(vintage)} · scenario link: <code>{html.escape(link)}</code></p>
<h2>What changed</h2><p>{html.escape(what_changed)}</p><p>{html.escape(vs_reference)}</p>
<h2>Top of the ranking</h2>{table(top)}
<h2>Orders that move most against first-come-first-served (negative = earlier)</h2>{table(movers)}
<p class="meta">Sources: SIPRI (Milex Apr 2025; Arms Transfers Feb 2026), NATO, World Bank WDI, Freedom House 2025,
DMDC via troopdata, the reviewed public order record (DSCA notices, contracts, press), published line rates;
strategic scores are analyst judgements with cited sources. Notified values are package ceilings.</p>
</body></html>"""
    return body.encode("utf-8")
