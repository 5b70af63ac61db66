"""Read the spending workbooks as their publishers release them.

Two layouts, the files analysts download each year:

* **SIPRI Military Expenditure Database** (``SIPRI-Milex-data-1949-YYYY.xlsx``): one sheet per
  measure. This reader takes ``Share of GDP`` (stored as a fraction; multiplied by 100 here),
  ``Constant (BBBB) US$`` (the base year ``BBBB`` is read from the sheet name) and ``Current US$``.
  Each sheet has a ``Country`` header row whose year columns are integers; region and subregion
  rows carry no figures; ``...`` (no data) and ``xxx`` (did not exist) are symbols, not numbers;
  the notes column holds footnote marks.
* **NATO, Defence Expenditure of NATO Countries** (``YYMMDD-def-exp-YYYY-TABLES-en.xlsx``): sheets
  ``TABLE2`` (million US$, sections "Current prices…" and "Constant BBBB prices…"), ``TABLE3``
  (section "Share of real GDP (%)") and ``TABLE8a`` (section "Equipment"). Each has a year row
  (``2014 … '2023e' '2024e'``; an ``e`` marks NATO's estimates), section labels in column B,
  allies in column C (an asterisk marks a national 2 % law) and aggregates in column B.

A file either reads completely or is refused whole with :class:`PublisherFileError`: a missing
sheet, header or section; a cell in a year column that is neither a number nor one of the
publisher's symbols; a value out of range; an ally or country listed twice; a file too large. The
message names the sheet, the row and the column, and is bounded in length. Names are mapped to
ISO3 codes through ``data/curation/publisher_names.csv``; a name it does not list is reported, and
its figures are not used (it cannot be one of the store's partners until the mapping names it).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

NAMES_PATH = Path(__file__).resolve().parent / "curation" / "publisher_names.csv"

MAX_FILE_BYTES = 20 * 1024 * 1024  # SIPRI's workbook is under 1 MB, NATO's under 0.2 MB
MAX_SHEET_ROWS = 2_000
MAX_SHEET_COLUMNS = 200
MAX_MESSAGE = 300

SIPRI_SYMBOLS = {"...", ". .", "..", "xxx", ""}
SIPRI_SHEETS = ("Share of GDP", "Current US$")  # plus "Constant (BBBB) US$"
NATO_SECTIONS = {
    # (sheet, section label prefix, lower-cased) -> output column
    ("TABLE2", "current prices"): "defexp_usd_current_m",
    ("TABLE2", "constant"): "defexp_usd_const_m",
    ("TABLE3", "share of real gdp"): "defexp_share_gdp_pct",
    ("TABLE8a", "equipment"): "equipment_share_pct",
}
PCT_COLUMNS = ("defexp_share_gdp_pct", "equipment_share_pct", "milex_share_gdp_pct")


class PublisherFileError(ValueError):
    """The whole file is refused; the message says where and why (bounded length)."""

    def __init__(self, message: str) -> None:
        if len(message) > MAX_MESSAGE:
            message = message[: MAX_MESSAGE - 1] + "…"
        super().__init__(message)


@dataclass(frozen=True)
class PublisherTable:
    """A publisher's file read into tidy rows, with what the reader learned about it."""

    publisher: str  # 'sipri' or 'nato'
    file_name: str
    rows: pd.DataFrame  # one row per country (ISO3) and year
    first_year: int
    last_year: int
    constant_base_year: int
    unmapped: tuple[str, ...] = field(default=())  # names with figures but no ISO3 mapping


def _shown(value: object) -> str:
    """A cell value for a message: printable, short."""
    text = repr(value)
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return text if len(text) <= 40 else text[:39] + "…"


def _cell(sheet: str, row: int, col: int) -> str:
    letters = ""
    n = col + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return f"sheet {sheet!r} cell {letters}{row + 1}"


def _names(publisher: str, names_path: Path = NAMES_PATH) -> dict[str, str]:
    table = pd.read_csv(names_path, dtype=str, keep_default_na=False)
    table = table[table["publisher"] == publisher]
    return dict(zip(table["name"], table["iso3"], strict=True))


def _open(path: Path):
    """The workbook, opened read-only, after bounded checks on the file itself."""
    import openpyxl  # noqa: PLC0415 - only the refresh command reads workbooks

    path = Path(path)
    if not path.is_file():
        raise PublisherFileError(f"{path.name}: not a file")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise PublisherFileError(
            f"{path.name}: {size / 1e6:.1f} MB is larger than the {MAX_FILE_BYTES / 1e6:.0f} MB allowed"
        )
    if not zipfile.is_zipfile(path):
        raise PublisherFileError(f"{path.name}: not an .xlsx workbook")
    try:
        # Formulas come back as text ("=…") and are refused: the publishers ship values only.
        return openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many types on damaged files
        raise PublisherFileError(f"{path.name}: the workbook cannot be read ({type(exc).__name__})") from None


def _grid(workbook, sheet: str, file_name: str) -> list[tuple]:
    if sheet not in workbook.sheetnames:
        raise PublisherFileError(f"{file_name}: sheet {sheet!r} is missing")
    ws = workbook[sheet]
    rows: list[tuple] = []
    for row in ws.iter_rows(values_only=True):
        rows.append(tuple(row[:MAX_SHEET_COLUMNS]))
        if len(rows) > MAX_SHEET_ROWS:
            raise PublisherFileError(f"{file_name}: sheet {sheet!r} has more than {MAX_SHEET_ROWS} rows")
    return rows


def _year_of(value: object) -> tuple[int, bool] | None:
    """A year header cell: (year, is_estimate) for 2014, '2019' or '2023e'; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)) and float(value).is_integer() and 1900 <= value <= 2100:
        return int(value), False
    if isinstance(value, str):
        match = re.fullmatch(r"\s*((?:19|20)\d\d)\s*(e?)\s*", value)
        if match:
            return int(match.group(1)), match.group(2) == "e"
    return None


def _number(value: object, where: str, symbols: set[str]) -> float:
    """A figure cell: a finite number, or NaN for a publisher's 'no data' symbol."""
    if value is None:
        return np.nan
    if isinstance(value, bool):
        raise PublisherFileError(f"{where}: {_shown(value)} is not a number")
    if isinstance(value, (int, float)):
        number = float(value)
        if not np.isfinite(number):
            raise PublisherFileError(f"{where}: {_shown(value)} is not a finite number")
        return number
    if isinstance(value, str) and value.strip() in symbols:
        return np.nan
    raise PublisherFileError(f"{where}: {_shown(value)} is neither a number nor a 'no data' symbol")


# --- SIPRI -----------------------------------------------------------------------------------


def _sipri_sheet(
    rows: list[tuple], sheet: str, file_name: str, names: dict[str, str]
) -> tuple[pd.DataFrame, set[str]]:
    header_at = next(
        (i for i, row in enumerate(rows[:20]) if row and isinstance(row[0], str) and row[0].strip() == "Country"),
        None,
    )
    if header_at is None:
        raise PublisherFileError(f"{file_name}: sheet {sheet!r} has no 'Country' header row in its first 20 rows")
    header = rows[header_at]
    years = {col: _year_of(v) for col, v in enumerate(header)}
    years = {col: y[0] for col, y in years.items() if y is not None and col > 0}
    if len(years) < 2:
        raise PublisherFileError(f"{file_name}: sheet {sheet!r} header row has no year columns")
    ordered = list(years.values())
    if ordered != sorted(ordered) or len(set(ordered)) != len(ordered):
        raise PublisherFileError(f"{file_name}: sheet {sheet!r} year columns are not in increasing order")

    records: list[tuple[str, int, float]] = []
    seen: dict[str, int] = {}
    unmapped: set[str] = set()
    for r in range(header_at + 1, len(rows)):
        row = rows[r]
        name = row[0] if row else None
        if not isinstance(name, str) or not name.strip():
            continue
        name = name.strip()
        values = [
            (year, _number(row[col] if col < len(row) else None, _cell(sheet, r, col), SIPRI_SYMBOLS))
            for col, year in years.items()
        ]
        if all(np.isnan(v) for _, v in values) and all(
            (row[col] if col < len(row) else None) is None for col in years
        ):
            continue  # a region or subregion label: no figures, not even symbols
        if name in seen:
            raise PublisherFileError(
                f"{file_name}: sheet {sheet!r} lists {_shown(name)} twice (rows {seen[name] + 1} and {r + 1})"
            )
        seen[name] = r
        iso3 = names.get(name)
        if iso3 is None:
            if any(not np.isnan(v) for _, v in values):
                unmapped.add(name)
            continue
        records.extend((iso3, year, value) for year, value in values if not np.isnan(value))
    if not seen:
        raise PublisherFileError(f"{file_name}: sheet {sheet!r} has no country rows")
    frame = pd.DataFrame(records, columns=["iso3", "year", "value"])
    return frame, unmapped


def read_sipri_milex(path: Path, names_path: Path = NAMES_PATH) -> PublisherTable:
    """SIPRI's workbook -> iso3, year, milex_share_gdp_pct, milex_const_usd_m, milex_current_usd_m."""
    path = Path(path)
    workbook = _open(path)
    try:
        constant = [s for s in workbook.sheetnames if re.fullmatch(r"Constant \((\d{4})\) US\$", s.strip())]
        if len(constant) != 1:
            raise PublisherFileError(f"{path.name}: expected one sheet named 'Constant (YYYY) US$', found {len(constant)}")
        base_year = int(re.search(r"\d{4}", constant[0]).group())
        names = _names("sipri", names_path)
        sheets = {
            "milex_share_gdp_pct": "Share of GDP",
            "milex_const_usd_m": constant[0],
            "milex_current_usd_m": "Current US$",
        }
        parts: list[pd.DataFrame] = []
        unmapped: set[str] = set()
        for column, sheet in sheets.items():
            frame, missing = _sipri_sheet(_grid(workbook, sheet, path.name), sheet, path.name, names)
            unmapped |= missing
            parts.append(frame.rename(columns={"value": column}).set_index(["iso3", "year"]))
    finally:
        workbook.close()
    rows = pd.concat(parts, axis=1).reset_index().sort_values(["iso3", "year"], kind="mergesort")
    share = rows["milex_share_gdp_pct"]
    # A fraction; above 1 happens in war (Kuwait 1991: 1.17), above 2 is a wrong file or column.
    if ((share < 0) | (share > 2)).any():
        bad = rows.loc[(share < 0) | (share > 2)].iloc[0]
        raise PublisherFileError(
            f"{path.name}: share of GDP {bad['milex_share_gdp_pct']:.4g} for {bad['iso3']} {bad['year']} "
            "is outside 0-2 (SIPRI stores shares as fractions)"
        )
    rows["milex_share_gdp_pct"] = share * 100
    # US$ m to three decimals (US$ 1,000), the precision of the seeds' first curation of this file.
    rows[["milex_const_usd_m", "milex_current_usd_m"]] = rows[["milex_const_usd_m", "milex_current_usd_m"]].round(3)
    return _table("sipri", path.name, rows, ("milex_const_usd_m", "milex_current_usd_m"), base_year, unmapped, "country")


def _table(publisher: str, file_name: str, rows: pd.DataFrame, money: tuple[str, ...], base_year: int,
           unmapped: set[str], member: str) -> PublisherTable:
    """The read table, once its money columns are non-negative and it names at least one known ``member``."""
    for column in money:
        if (rows[column] < 0).any():
            bad = rows.loc[rows[column] < 0].iloc[0]
            raise PublisherFileError(f"{file_name}: negative {column} for {bad['iso3']} {bad['year']}")
    if rows.empty:
        raise PublisherFileError(f"{file_name}: no {member} in the file is one the store knows")
    return PublisherTable(
        publisher=publisher,
        file_name=file_name,
        rows=rows.reset_index(drop=True),
        first_year=int(rows["year"].min()),
        last_year=int(rows["year"].max()),
        constant_base_year=base_year,
        unmapped=tuple(sorted(unmapped)),
    )


# --- NATO ------------------------------------------------------------------------------------


def _nato_sheet(
    rows: list[tuple], sheet: str, file_name: str, names: dict[str, str], wanted: dict[str, str]
) -> tuple[dict[str, pd.DataFrame], dict[int, bool], set[str], set[str], int | None]:
    """One NATO table: {column: frame(iso3, year, value)}, the years with their estimate flag."""
    year_at = next(
        (i for i, row in enumerate(rows[:30]) if sum(_year_of(v) is not None for v in row) >= 3), None
    )
    if year_at is None:
        raise PublisherFileError(f"{file_name}: sheet {sheet!r} has no year row in its first 30 rows")
    years: dict[int, tuple[int, bool]] = {}
    for col, value in enumerate(rows[year_at]):
        parsed = _year_of(value)
        if parsed is not None:
            years[col] = parsed
    ordered = [y for y, _ in years.values()]
    if ordered != sorted(ordered) or len(set(ordered)) != len(ordered):
        raise PublisherFileError(f"{file_name}: sheet {sheet!r} year columns are not in increasing order")

    out: dict[str, list[tuple[str, int, float]]] = {}
    seen: dict[tuple[str, str], int] = {}
    starred: set[str] = set()
    unmapped: set[str] = set()
    section: str | None = None
    base_year: int | None = None
    for r in range(year_at + 1, len(rows)):
        row = rows[r] + (None,) * 3
        label, name = row[1], row[2]
        if isinstance(label, str) and label.strip():
            text = label.strip().lower()
            match = next((col for prefix, col in wanted.items() if text.startswith(prefix)), None)
            if match is not None:
                section = match
                out.setdefault(section, [])
                found = re.search(r"(?:19|20)\d\d", label)
                if section == "defexp_usd_const_m" and found:
                    base_year = int(found.group())
                continue
            if any(rows[r][col] is not None for col in years if col < len(rows[r])):
                continue  # an aggregate ("NATO Total") carried in column B
            section = None  # another section starts (e.g. "Annual real change", "Personnel")
            continue
        if section is None or not isinstance(name, str) or not name.strip():
            continue
        if name.strip().lower().startswith(("notes", "*", "(")):
            continue  # footnotes under the table
        clean = name.strip()
        star = clean.endswith("*")
        clean = clean.rstrip("*").strip()
        if (section, clean) in seen:
            raise PublisherFileError(
                f"{file_name}: sheet {sheet!r} lists {_shown(clean)} twice in one section "
                f"(rows {seen[(section, clean)] + 1} and {r + 1})"
            )
        seen[(section, clean)] = r
        iso3 = names.get(clean)
        values = [
            (year, _number(row[col], _cell(sheet, r, col), {""})) for col, (year, _) in years.items()
        ]
        if iso3 is None:
            if any(not np.isnan(v) for _, v in values):
                unmapped.add(clean)
            continue
        if star:
            starred.add(iso3)
        out[section].extend((iso3, year, value) for year, value in values if not np.isnan(value))
    missing = [col for col in wanted.values() if col not in out]
    if missing:
        raise PublisherFileError(f"{file_name}: sheet {sheet!r} has no section for {', '.join(missing)}")
    frames = {col: pd.DataFrame(recs, columns=["iso3", "year", "value"]) for col, recs in out.items()}
    estimate = {year: est for year, est in years.values()}
    return frames, estimate, starred, unmapped, base_year


def read_nato_defexp(path: Path, names_path: Path = NAMES_PATH) -> PublisherTable:
    """NATO's tables -> iso3, year, is_estimate, defexp_share_gdp_pct, usd current/constant, equipment."""
    path = Path(path)
    workbook = _open(path)
    names = _names("nato", names_path)
    parts: list[pd.DataFrame] = []
    estimates: dict[int, bool] = {}
    starred: set[str] = set()
    unmapped: set[str] = set()
    base_year: int | None = None
    try:
        for sheet in ("TABLE2", "TABLE3", "TABLE8a"):
            wanted = {prefix: col for (s, prefix), col in NATO_SECTIONS.items() if s == sheet}
            frames, est, stars, missing, base = _nato_sheet(
                _grid(workbook, sheet, path.name), sheet, path.name, names, wanted
            )
            for year, flag in est.items():
                if estimates.get(year, flag) != flag:
                    raise PublisherFileError(f"{path.name}: {year} is an estimate in one table and not in another")
                estimates[year] = flag
            starred |= stars
            unmapped |= missing
            base_year = base_year or base
            parts.extend(f.rename(columns={"value": col}).set_index(["iso3", "year"]) for col, f in frames.items())
    finally:
        workbook.close()
    if base_year is None:
        raise PublisherFileError(f"{path.name}: TABLE2 names no constant-price base year")
    rows = pd.concat(parts, axis=1).reset_index().sort_values(["iso3", "year"], kind="mergesort")
    for column in PCT_COLUMNS:
        if column in rows and ((rows[column] < 0) | (rows[column] > 100)).any():
            bad = rows.loc[(rows[column] < 0) | (rows[column] > 100)].iloc[0]
            raise PublisherFileError(f"{path.name}: {column} {bad[column]:.4g} for {bad['iso3']} {bad['year']} is outside 0-100")
    rows["is_estimate"] = rows["year"].map(estimates).astype(bool)
    rows["national_2pct_law_star"] = rows["iso3"].isin(starred)
    return _table("nato", path.name, rows, ("defexp_usd_current_m", "defexp_usd_const_m"), base_year, unmapped, "ally")
