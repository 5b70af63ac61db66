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

import pandas as pd

REQUIRED = ("iso3", "line_id", "units", "contract_date")
OPTIONAL = ("order_id", "value_busd", "description")
MAX_PROBLEMS = 12


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
    if not content.strip():
        raise UploadError(["The file is empty."])
    try:
        frame = pd.read_csv(io.BytesIO(content), dtype=str, keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise UploadError([f"Not a readable CSV file ({str(exc).splitlines()[0][:120]})."]) from exc
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise UploadError([f"Missing column(s): {', '.join(missing)}. Required: {', '.join(REQUIRED)}."])
    if frame.empty:
        raise UploadError(["The file has a header but no orders."])
    problems: list[str] = []
    iso3 = frame["iso3"].fillna("").str.strip().str.upper()
    unknown = iso3[~iso3.isin(set(partners))]
    if not unknown.empty:
        codes = ", ".join(sorted(set(unknown))[:10])
        problems.append(f"Unknown partner code(s) {codes} ({_rows(~iso3.isin(set(partners)))}); use ISO3 codes from Data & sources.")
    for code, rule in sorted((denied or {}).items()):
        hit = iso3.eq(code)
        if hit.any():
            problems.append(f"{code} is not eligible for US arms transfers under US law ({rule[:160]}); {_rows(hit)}.")
    line = frame["line_id"].fillna("").str.strip()
    bad_line = ~line.isin(set(lines))
    if bad_line.any():
        problems.append(f"Unknown production line(s) {', '.join(sorted(set(line[bad_line]))[:10])} ({_rows(bad_line)}).")
    units = pd.to_numeric(frame["units"], errors="coerce")
    if units.isna().any():
        problems.append(f"Units must be numbers ({_rows(units.isna())}).")
    if (units <= 0).any():
        problems.append(f"Units must be greater than 0 ({_rows(units <= 0)}).")
    dates = pd.to_datetime(frame["contract_date"], format="%Y-%m-%d", errors="coerce")
    if dates.isna().any():
        problems.append(f"Contract dates must be YYYY-MM-DD ({_rows(dates.isna())}).")
    if "order_id" in frame.columns:
        order_id = pd.to_numeric(frame["order_id"], errors="coerce")
        whole = order_id.notna() & (order_id == order_id.round())
        if not whole.all():
            problems.append(f"order_id must be whole numbers ({_rows(~whole)}).")
        elif order_id.duplicated().any():
            problems.append(f"order_id must be unique ({_rows(order_id.duplicated())}).")
    else:
        order_id = pd.Series(range(1, len(frame) + 1), index=frame.index)
    if "value_busd" in frame.columns:
        value = pd.to_numeric(frame["value_busd"], errors="coerce")
        bad_value = frame["value_busd"].notna() & (value.isna() | (value < 0))
        if bad_value.any():
            problems.append(f"value_busd must be a number ≥ 0 or empty ({_rows(bad_value)}).")
    else:
        value = pd.Series(float("nan"), index=frame.index)
    if problems:
        raise UploadError(problems[:MAX_PROBLEMS])
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
