"""Paths, constants, the schema catalog and the seed writer shared by every curation step."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pandas as pd

from data.store import TABLES


DATA_DIR = Path(__file__).resolve().parents[1]


PROJECT_ROOT = DATA_DIR.parent


CURATION_DIR = DATA_DIR / "curation"


SEEDS_DIR = DATA_DIR / "seeds"


SCHEMA_PATH = DATA_DIR / "schema.sql"


DEFAULT_SHARED = PROJECT_ROOT.parent / "shared"


SELLER = "USA"


FIRST_YEAR, LAST_YEAR = 2000, 2024


FH_EDITIONS = (2021, 2025)


NATO_YEARS = (2014, 2024)


DECIMALS = 4


ANALYST = "analyst_2026"


# The judged criteria of strategic_assessment (not scoring.criteria.CRITERIA, the full criterion list).
JUDGED_CRITERIA = (
    "frontline",
    "us_plans_role",
    "basing_access",
    "interoperability",
    "industrial_investment",
    "end_use_risk",
)


# Partners that must have a full strategic assessment beyond the 40 of the notes file.
ASSESSED_EXTRA = (
    "GEO XKX MDA ARM SRB VNM IDN MYS THA PAK NZL BRA COL ARG MEX KEN NGA OMN IRQ TUN "
    "SVN HRV ALB MNE MKD PRT LUX ISL FRA"
).split()


# Readable short names where the ISO name is long or politically framed.
NAME_OVERRIDES: dict[str, str] = {
    "BOL": "Bolivia",
    "BRN": "Brunei",
    "COD": "DR Congo",
    "COG": "Congo (Rep.)",
    "GBR": "United Kingdom",
    "IRN": "Iran",
    "KOR": "South Korea",
    "LAO": "Laos",
    "MDA": "Moldova",
    "NLD": "Netherlands",
    "PRK": "North Korea",
    "RUS": "Russia",
    "SYR": "Syria",
    "TUR": "Türkiye",
    "TWN": "Taiwan",
    "TZA": "Tanzania",
    "VEN": "Venezuela",
    "VNM": "Vietnam",
}


# Press keys the notes use under two names (facts/SOURCES.md lists 'PR / FR' as one source).
KEY_ALIASES: dict[str, str] = {"PR": "FR"}


REGIONS = (
    "NATO Eastern Flank",
    "NATO Europe other",
    "Other Europe & Caucasus",
    "Indo-Pacific frontline",
    "Indo-Pacific other",
    "Middle East & Gulf",
    "Americas",
    "Africa",
    "Central & South Asia",
)


@functools.lru_cache(maxsize=4)
def _catalog(schema_path: Path) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Columns (in schema order) and primary keys of every table, read from DuckDB's own catalog
    after running schema.sql in memory: the schema is the one place that declares them."""
    import duckdb  # noqa: PLC0415 - only the curation and its checks need the catalog

    con = duckdb.connect()
    try:
        con.execute(schema_path.read_text(encoding="utf-8"))
        columns: dict[str, list[str]] = {}
        for table, column in con.execute(
            "SELECT c.table_name, c.column_name FROM duckdb_columns() c "
            "JOIN duckdb_tables() t ON t.table_name = c.table_name AND t.schema_name = c.schema_name "
            "WHERE c.schema_name = 'main' ORDER BY c.table_name, c.column_index"
        ).fetchall():
            columns.setdefault(table, []).append(column)
        keys = {
            table: list(cols)
            for table, cols in con.execute(
                "SELECT table_name, constraint_column_names FROM duckdb_constraints() "
                "WHERE schema_name = 'main' AND constraint_type = 'PRIMARY KEY'"
            ).fetchall()
        }
    finally:
        con.close()
    return columns, keys


def schema_columns(schema_path: Path = SCHEMA_PATH) -> dict[str, list[str]]:
    """Column names of each table, in schema order (DuckDB's catalog of schema.sql)."""
    return {table: list(cols) for table, cols in _catalog(schema_path)[0].items()}


def primary_keys(schema_path: Path = SCHEMA_PATH) -> dict[str, list[str]]:
    """Primary-key columns of each table (DuckDB's catalog of schema.sql)."""
    return {table: list(cols) for table, cols in _catalog(schema_path)[1].items()}


def _bool(series: pd.Series) -> pd.Series:
    """Parse 'true'/'false' strings (any case) into booleans."""
    return series.astype(str).str.strip().str.lower().map({"true": True, "false": False})


def notes_partners(notes_md: str) -> list[str]:
    """ISO3 codes of the partner table in partner_attributes_notes.md ('| Name (ISO) | ...')."""
    codes = re.findall(r"^\| [^|]*\(([A-Z]{3})\) \|", notes_md, flags=re.M)
    return sorted(set(codes))


def cited_source_ids(texts: pd.Series, known: set[str]) -> set[str]:
    """Source ids of the press keys cited in brackets in free text ('[TR]', '[N25, PR]')."""
    found: set[str] = set()
    for text in texts.dropna().astype(str):
        for group in re.findall(r"\[([^\]]+)\]", text):
            for key in re.split(r"[,/;]\s*", group):
                key = KEY_ALIASES.get(key.strip(), key.strip())
                source_id = "press_" + key.replace("-", "_")
                if source_id in known:
                    found.add(source_id)
    return found


def _format(frame: pd.DataFrame) -> pd.DataFrame:
    """Round floats, print booleans as true/false and integers without a decimal point."""
    out = frame.copy()
    for col in out.columns:
        series = out[col]
        if pd.api.types.is_bool_dtype(series):
            out[col] = series.map({True: "true", False: "false"})
        elif pd.api.types.is_float_dtype(series):
            out[col] = series.round(DECIMALS).map(
                lambda v: "" if pd.isna(v) else format(v, ".4f").rstrip("0").rstrip(".")
            )
        elif pd.api.types.is_integer_dtype(series):
            out[col] = series.map(lambda v: "" if pd.isna(v) else str(int(v)))
    return out


def write_seed(frame: pd.DataFrame, table: str, columns: list[str], seeds_dir: Path) -> int:
    """Write one seed with exactly the schema's columns, sorted by primary key."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{table}: missing columns {missing}")
    key = primary_keys()[table]
    frame = frame[columns].sort_values(key, kind="mergesort")
    if frame.duplicated(key).any():
        raise ValueError(f"{table}: duplicate primary key")
    _format(frame).to_csv(
        seeds_dir / f"{table}.csv", index=False, encoding="utf-8", lineterminator="\n"
    )
    return len(frame)


def verify_seeds(seeds_dir: Path = SEEDS_DIR) -> None:
    """Load the seeds into an in-memory DuckDB with the schema: every CHECK and FK must pass."""
    import duckdb  # noqa: PLC0415 - only needed for the check

    con = duckdb.connect()
    con.execute(SCHEMA_PATH.read_text(encoding="utf-8"))
    for table in TABLES:
        con.execute(
            f"INSERT INTO {table} BY NAME "  # table names come from TABLES, never user input
            "SELECT * FROM read_csv(?, header = true, all_varchar = true)",
            [str(seeds_dir / f"{table}.csv")],
        )
    con.close()
