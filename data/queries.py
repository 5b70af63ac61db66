"""Named SQL: load ``data/sql/*.sql`` once and run statements by name with bound parameters.

Each statement in a ``.sql`` file starts with a ``-- name: <query_name>`` line; the comment lines
after it document the query. Parameters use DuckDB's ``$name`` syntax and are always passed
separately, never formatted into the SQL text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

SQL_DIR = Path(__file__).resolve().parent / "sql"
_NAME_LINE = re.compile(r"^--\s*name:\s*([a-z_][a-z0-9_]*)\s*$", re.MULTILINE)

# Default parameters of the feature query: the trend window and the arms-purchase window.
FEATURE_DEFAULTS: dict[str, int] = {"trend_years": 5, "arms_years": 5, "arms_to_year": 2024}


def parse_named_sql(text: str) -> dict[str, str]:
    """Split a file of ``-- name:`` blocks into {name: statement}.

    Raises
    ------
    ValueError
        A name appears twice.
    """
    queries: dict[str, str] = {}
    matches = list(_NAME_LINE.finditer(text))
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        name = match.group(1)
        if name in queries:
            raise ValueError(f"Duplicate query name {name!r}")
        queries[name] = text[match.end() : end].strip().rstrip(";")
    return queries


@lru_cache(maxsize=1)
def load_queries(sql_dir: Path = SQL_DIR) -> Mapping[str, str]:
    """All named queries of ``sql_dir``, read once per process."""
    queries: dict[str, str] = {}
    for path in sorted(sql_dir.glob("*.sql")):
        for name, sql in parse_named_sql(path.read_text(encoding="utf-8")).items():
            if name in queries:
                raise ValueError(f"Duplicate query name {name!r} in {path.name}")
            queries[name] = sql
    return queries


def run(
    con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, Any] | None = None
) -> pd.DataFrame:
    """Run the named query with bound parameters and return a DataFrame.

    Raises
    ------
    KeyError
        No query of that name.
    """
    cursor = con.cursor()
    try:
        return run_on(cursor, name, params)
    finally:
        cursor.close()


def run_on(
    cursor: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, Any] | None = None
) -> pd.DataFrame:
    """``run`` on this very cursor (which sees the views registered on it), not a new one.

    Raises
    ------
    KeyError
        No query of that name.
    """
    queries = load_queries()
    if name not in queries:
        raise KeyError(f"No named query {name!r}; known: {', '.join(sorted(queries))}")
    return cursor.execute(queries[name], dict(params or {})).df()


def partner_features(con: duckdb.DuckDBPyConnection, **overrides: int) -> pd.DataFrame:
    """The scoring inputs of every partner (see ``partner_features`` in queries.sql)."""
    params = {**FEATURE_DEFAULTS, **overrides}
    return run(con, "partner_features", params)


def table_rows(con: duckdb.DuckDBPyConnection, table: str) -> pd.DataFrame:
    """Every row of one store table (for the Data page).

    Raises
    ------
    ValueError
        ``table`` is not one of the store's tables (the name is never taken from user text).
    """
    from data.store import TABLES

    if table not in TABLES:
        raise ValueError(f"Unknown table {table!r}; known: {', '.join(TABLES)}")
    cursor = con.cursor()
    try:
        return cursor.execute(f"SELECT * FROM {table}").df()  # checked against TABLES above
    finally:
        cursor.close()
