"""Downloads: the current queue, schedule and scores as CSV and as one XLSX workbook.

The workbook records the scenario (every parameter), the data vintages and the generation time on
its own sheet, so a file passed around still says exactly what produced it.
"""

from __future__ import annotations

import dataclasses
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
        scenario_sheet(scenario, preset, url).to_excel(writer, sheet_name="Scenario", index=False)
        queue.reindex(columns=[c for c in QUEUE_COLUMNS if c in queue.columns]).to_excel(writer, sheet_name="Queue", index=False)
        scores.reindex(columns=[c for c in SCORE_COLUMNS if c in scores.columns]).to_excel(writer, sheet_name="Scores", index=False)
        sources.to_excel(writer, sheet_name="Sources", index=False)
    return buffer.getvalue()


def csv_bytes(frame: pd.DataFrame, columns: list[str]) -> bytes:
    return frame.reindex(columns=[c for c in columns if c in frame.columns]).to_csv(index=False).encode("utf-8")


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
    return frame.to_csv(index=False).encode("utf-8")
