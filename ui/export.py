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
        if field.name not in ("weights", "overrides"):
            rows.append((field.name, getattr(scenario, field.name)))
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
) -> bytes:
    """The XLSX workbook: Scenario, Queue, Scores and Sources sheets."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        safe_frame(scenario_sheet(scenario, preset, url)).to_excel(writer, sheet_name="Scenario", index=False)
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
