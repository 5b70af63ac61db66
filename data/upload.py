"""Validate an analyst's own order book (CSV) before it replaces the store's order book in a session.

The file is checked whole: any problem rejects it with a list of what is wrong and where (row
numbers as in a spreadsheet, header = row 1), so an accepted book is exactly what was uploaded —
nothing is dropped, clipped or guessed.

Columns: ``iso3``, ``line_id``, ``units``, ``contract_date`` (YYYY-MM-DD) are required;
``order_id`` (unique integers; default 1..n), ``value_busd`` (≥ 0) and ``description`` are optional.
"""

from __future__ import annotations

import io
from collections.abc import Collection, Mapping

import numpy as np
import pandas as pd

REQUIRED = ("iso3", "line_id", "units", "contract_date")
OPTIONAL = ("order_id", "value_busd", "description")
MAX_PROBLEMS = 12
MAX_BYTES = 5_000_000  # an order book of ~100k rows; Streamlit's own limit is set to the same in config.toml
MAX_ROWS = 20_000  # 100x the public book; a 20,000-order rerun costs about 1 s of CPU (benchmarks/session_cost.py)
MAX_FIELD = 200  # characters per field
MAX_UNITS = 1_000_000  # units per order (a year of 155mm shells on every line is ~500k)
MAX_VALUE_BUSD = 1_000.0


class UploadError(ValueError):
    """The uploaded order book is not usable; ``problems`` lists why."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _rows(mask: pd.Series) -> str:
    rows = (mask[mask].index + 2).tolist()  # spreadsheet rows: header is row 1
    shown = ", ".join(map(str, rows[:8]))
    return f"row {shown}" if len(rows) == 1 else f"rows {shown}" + (f" and {len(rows) - 8} more" if len(rows) > 8 else "")


def parse_order_book(
    content: bytes,
    partners: Collection[str],
    lines: Collection[str],
    denied: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Parse and validate an uploaded order book.

    Returns
    -------
    pandas.DataFrame
        Columns order_id, iso3, line_id, units, contract_date, value_busd, description.

    Raises
    ------
    UploadError
        Not a readable CSV, missing columns, invalid values, or an order for a partner US law denies
        (``denied`` maps its code to the rule; every problem is listed).
    """
    if len(content) > MAX_BYTES:
        raise UploadError([f"The file is {len(content) / 1e6:.1f} MB; the limit is {MAX_BYTES / 1e6:.0f} MB."])
    if not content.strip():
        raise UploadError(["The file is empty."])
    raw_lines = content.splitlines()
    if len(raw_lines) - 1 > MAX_ROWS:
        raise UploadError([f"The file has {len(raw_lines) - 1:,} rows; the limit is {MAX_ROWS:,} orders."])
    widest = max(row.count(b",") for row in raw_lines) + 1
    header_fields = raw_lines[0].count(b",") + 1
    allowed = len(REQUIRED) + len(OPTIONAL)
    if header_fields > allowed or widest > header_fields:
        raise UploadError([
            f"Rows have up to {min(widest, 10_000):,} fields but the header has {header_fields} (at most {allowed} columns: "
            f"{', '.join(REQUIRED + OPTIONAL)}); remove trailing commas and extra fields."
        ])
    try:
        frame = pd.read_csv(io.BytesIO(content), dtype=str, keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise UploadError([f"Not a readable CSV file ({str(exc).splitlines()[0][:120]})."]) from exc
    frame.columns = [str(c).strip().lower()[:40] for c in frame.columns]
    unknown = [c for c in frame.columns if c not in REQUIRED + OPTIONAL]
    if unknown:
        raise UploadError([f"Unknown column(s): {', '.join(unknown[:6])}. Allowed: {', '.join(REQUIRED + OPTIONAL)}."])
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise UploadError([f"Missing column(s): {', '.join(missing)}. Required: {', '.join(REQUIRED)}."])
    if frame.empty:
        raise UploadError(["The file has a header but no orders."])
    too_long = frame.apply(lambda col: col.fillna("").str.len().gt(MAX_FIELD)).any(axis=1)
    if too_long.any():
        raise UploadError([f"Fields are at most {MAX_FIELD} characters ({_rows(too_long)})."])
    problems: list[str] = []
    iso3 = frame["iso3"].fillna("").str.strip().str.upper()
    unknown = iso3[~iso3.isin(set(partners))]
    if not unknown.empty:
        codes = ", ".join(sorted({c[:8] for c in unknown})[:10])
        problems.append(f"Unknown partner code(s) {codes} ({_rows(~iso3.isin(set(partners)))}); use ISO3 codes from Data & sources.")
    for code, rule in sorted((denied or {}).items()):
        hit = iso3.eq(code)
        if hit.any():
            problems.append(f"{code} is not eligible for US arms transfers under US law ({rule[:160]}); {_rows(hit)}.")
    line = frame["line_id"].fillna("").str.strip()
    bad_line = ~line.isin(set(lines))
    if bad_line.any():
        problems.append(f"Unknown production line(s) {', '.join(sorted({v[:20] for v in line[bad_line]})[:10])} ({_rows(bad_line)}).")
    units = pd.to_numeric(frame["units"], errors="coerce")
    bad_units = units.isna() | ~np.isfinite(units.fillna(0)) | (units <= 0) | (units > MAX_UNITS)
    if bad_units.any():
        problems.append(f"Units must be finite numbers above 0 and at most {MAX_UNITS:,} ({_rows(bad_units)}).")
    dates = pd.to_datetime(frame["contract_date"], format="%Y-%m-%d", errors="coerce")
    # Exactly YYYY-MM-DD in ASCII digits, as the message says (the parser alone takes 2024-1-1).
    written = frame["contract_date"].fillna("").str.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
    bad_dates = ~written | dates.isna() | (dates.dt.year < 1990) | (dates.dt.year > 2040)
    if bad_dates.any():
        problems.append(f"Contract dates must be YYYY-MM-DD between 1990 and 2040 ({_rows(bad_dates)}).")
    if "order_id" in frame.columns:
        id_text = frame["order_id"].fillna("").str.strip()
        whole = id_text.str.fullmatch(r"[0-9]{1,12}")  # ASCII digits: \d would take "١" (Arabic-Indic one)
        if not whole.all():
            problems.append(f"order_id must be whole numbers of at most 12 digits ({_rows(~whole)}).")
            order_id = pd.Series(range(1, len(frame) + 1), index=frame.index)
        else:
            order_id = id_text.astype("int64")
            if order_id.duplicated().any():
                problems.append(f"order_id must be unique ({_rows(order_id.duplicated())}).")
    else:
        order_id = pd.Series(range(1, len(frame) + 1), index=frame.index)
    if "value_busd" in frame.columns:
        value = pd.to_numeric(frame["value_busd"], errors="coerce")
        bad_value = frame["value_busd"].notna() & (
            value.isna() | ~np.isfinite(value.fillna(0)) | (value < 0) | (value > MAX_VALUE_BUSD)
        )
        if bad_value.any():
            problems.append(f"value_busd must be a number from 0 to {MAX_VALUE_BUSD:,.0f} or empty ({_rows(bad_value)}).")
    else:
        value = pd.Series(float("nan"), index=frame.index)
    if problems:
        raise UploadError([p[:240] for p in problems[:MAX_PROBLEMS]])
    description = frame["description"] if "description" in frame.columns else pd.Series("", index=frame.index)
    return pd.DataFrame(
        {
            "order_id": order_id.astype("int64"),
            "iso3": iso3,
            "line_id": line,
            "units": units.astype(float),
            "contract_date": dates.dt.date,
            "value_busd": value.astype(float),
            "description": description.fillna("").astype(str),
        }
    )
