"""Validate an analyst's own order book (CSV) before it replaces the store's order book in a session.

The file is checked whole: any problem rejects it with a list of what is wrong and where (row
numbers as in a spreadsheet, header = row 1), so an accepted book is exactly what was uploaded —
nothing is dropped, clipped or guessed. The structure (size, rows, fields per row, columns) is
checked first, with bounded work; the values are parsed once and checked against one pandera
schema (``_schema``): each check is one rule and one message (``MESSAGES``).

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


# One check per rule: its pandera error name is the key of the message the analyst reads.
MESSAGES: dict[str, str] = {
    "unknown_partner": "Unknown partner code(s) {values} ({rows}); use ISO3 codes from Data & sources.",
    "unknown_line": "Unknown production line(s) {values} ({rows}).",
    "units": "Units must be finite numbers above 0 and at most {max_units:,} ({rows}).",
    "contract_date": "Contract dates must be YYYY-MM-DD between 1990 and 2040 ({rows}).",
    "order_id_whole": "order_id must be whole numbers of at most 12 digits ({rows}).",
    "order_id_unique": "order_id must be unique ({rows}).",
    "value_busd": "value_busd must be a number from 0 to {max_value:,.0f} or empty ({rows}).",
}


def _schema(partners: Collection[str], lines: Collection[str], denied: Mapping[str, str]):  # noqa: ANN202 - pa.DataFrameSchema
    """The upload's value rules as one pandera schema over the parsed columns (strict: nothing else)."""
    import pandera.pandas as pa  # noqa: PLC0415 - only uploads need it

    partner_set, line_set, denied_set = set(partners), set(lines), set(denied)

    def check(name: str, rule) -> pa.Check:  # noqa: ANN001
        return pa.Check(rule, error=name, ignore_na=False)

    return pa.DataFrameSchema(
        {
            "iso3": pa.Column(None, [check("unknown_partner", lambda s: s.isin(partner_set)),
                                    check("denied", lambda s: ~s.isin(denied_set))]),
            "line_id": pa.Column(None, check("unknown_line", lambda s: s.isin(line_set))),
            "units": pa.Column(None, check("units", lambda s: s.notna() & np.isfinite(s.fillna(0)) & (s > 0) & (s <= MAX_UNITS)),
                               nullable=True),
            "contract_date": pa.Column(None, nullable=True),
            "date_written": pa.Column(None),
            "order_id_text": pa.Column(None, check("order_id_whole", lambda s: s.str.fullmatch(r"[0-9]{1,12}"))),
            "order_id": pa.Column(None, check("order_id_unique", lambda s: ~s.duplicated())),
            "value_busd": pa.Column(None, nullable=True),
            "value_given": pa.Column(None),
        },
        checks=[
            pa.Check(lambda f: f["date_written"] & f["contract_date"].notna() & f["contract_date"].dt.year.between(1990, 2040),
                     error="contract_date", ignore_na=False),
            pa.Check(lambda f: ~f["value_given"] | (f["value_busd"].notna() & np.isfinite(f["value_busd"].fillna(0))
                                                     & f["value_busd"].between(0, MAX_VALUE_BUSD)),
                     error="value_busd", ignore_na=False),
        ],
        strict=True,
    )


def _problems(parsed: pd.DataFrame, schema, denied: Mapping[str, str]) -> list[str]:  # noqa: ANN001
    """Validate ``parsed`` against ``schema`` (all checks, lazily) and turn each failed check into one
    bounded message naming the rows (spreadsheet numbering) and, where useful, the values."""
    import pandera.pandas as pa  # noqa: PLC0415

    try:
        schema.validate(parsed, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    else:
        return []
    problems: list[str] = []
    known = {"unknown_partner", "denied", "unknown_line", "units", "contract_date", "order_id_whole", "order_id_unique", "value_busd"}
    other = cases[~cases["check"].astype(str).isin(known)]
    if not other.empty:  # a rule without its own message (e.g. a column the schema does not expect): still refused
        first = other.iloc[0]
        problems.append(f"Column {str(first['column'])[:40]}: check {str(first['check'])[:60]} failed.")
    whole_ids = not (cases["check"].astype(str) == "order_id_whole").any()
    for name in ("unknown_partner", "denied", "unknown_line", "units", "contract_date", "order_id_whole",
                 "order_id_unique", "value_busd"):  # the order the analyst reads them in
        hit = cases[cases["check"].astype(str) == name]
        if hit.empty or (name == "order_id_unique" and not whole_ids):
            continue
        mask = pd.Series(False, index=parsed.index)
        mask[hit["index"].dropna().astype(int).unique()] = True
        if name == "denied":
            for code in sorted(set(parsed.loc[mask, "iso3"])):
                problems.append(f"{code} is not eligible for US arms transfers under US law ({denied[code][:160]}); "
                                f"{_rows(mask & parsed['iso3'].eq(code))}.")
            continue
        column, width = ("iso3", 8) if name == "unknown_partner" else ("line_id", 20)
        values = ", ".join(sorted({str(v)[:width] for v in parsed.loc[mask, column]})[:10])
        problems.append(MESSAGES[name].format(values=values, rows=_rows(mask), max_units=MAX_UNITS, max_value=MAX_VALUE_BUSD))
    return problems


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
    # Parse each column once (unparseable values become missing), then check the parsed table against
    # one pandera schema: every failure comes back with its column, row and check.
    iso3 = frame["iso3"].fillna("").str.strip().str.upper()
    line = frame["line_id"].fillna("").str.strip()
    units = pd.to_numeric(frame["units"], errors="coerce")
    dates = pd.to_datetime(frame["contract_date"], format="%Y-%m-%d", errors="coerce")
    # Exactly YYYY-MM-DD in ASCII digits, as the message says (the parser alone takes 2024-1-1).
    written = frame["contract_date"].fillna("").str.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
    id_text = frame["order_id"].fillna("").str.strip() if "order_id" in frame.columns else None
    ids_whole = id_text is None or bool(id_text.str.fullmatch(r"[0-9]{1,12}").all())  # \d would take "١"
    if id_text is None or not ids_whole:
        order_id = pd.Series(range(1, len(frame) + 1), index=frame.index, dtype="int64")
    else:
        order_id = id_text.astype("int64")
    given_value = frame["value_busd"].notna() if "value_busd" in frame.columns else pd.Series(False, index=frame.index)
    value = (pd.to_numeric(frame["value_busd"], errors="coerce") if "value_busd" in frame.columns
             else pd.Series(float("nan"), index=frame.index))
    parsed = pd.DataFrame({
        "iso3": iso3, "line_id": line, "units": units.astype(float), "contract_date": dates,
        "date_written": written, "order_id_text": id_text if id_text is not None else order_id.astype(str), "order_id": order_id,
        "value_busd": value.astype(float), "value_given": given_value,
    })
    problems = _problems(parsed, _schema(partners, lines, denied or {}), denied or {})
    if problems:
        raise UploadError([p[:240] for p in problems[:MAX_PROBLEMS]])
    description = frame["description"] if "description" in frame.columns else pd.Series("", index=frame.index)
    value = parsed["value_busd"]
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


def as_arms_orders(book: pd.DataFrame, name: str) -> pd.DataFrame:
    """A validated upload (``parse_order_book``) laid out as the store's ``arms_order`` table: every
    uploaded order signed, open in full, at the analyst's confidence, its source the uploaded file."""
    units = book["units"].astype(float)
    return pd.DataFrame(
        {
            "order_id": book["order_id"].astype("int64"),
            "iso3": book["iso3"].astype(str),
            "line_id": book["line_id"].astype(str),
            "description": book["description"].astype(str),
            "units_open": units,
            "units_open_is_estimate": False,
            "quantity": units,
            "value_busd": book["value_busd"].astype(float),
            "value_basis": None,
            "contract_date": pd.to_datetime(book["contract_date"]),
            "date_precision": "day",
            "status": "uploaded",
            "confidence": "analyst",
            "best_source_url": None,
            "best_source_class": "analyst upload",
            "source_urls": f"analyst upload: {name}",
        }
    )


def uploaded_open_orders(con, book: pd.DataFrame, name: str) -> pd.DataFrame:  # noqa: ANN001 - duckdb connection
    """The upload's open orders through the store's own SQL (``uploaded_open_orders``, the
    ``itemised_orders`` macro ``open_orders`` uses): the book is registered as the view
    ``uploaded_order`` on a cursor of its own, so no other query or session ever sees it."""
    from data import queries

    cursor = con.cursor()
    try:
        cursor.register("uploaded_order", as_arms_orders(book, name))
        return queries.run_on(cursor, "uploaded_open_orders")
    finally:
        cursor.close()
