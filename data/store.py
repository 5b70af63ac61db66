"""The DuckDB store: build it from the seed CSVs, check it is current, open it.

The store is derived data: the seeds in ``data/seeds/`` are the record, the database file is
rebuilt from them (``python -m data.build``) and never committed. A build loads every seed inside
one transaction into a temporary file and atomically replaces the target, so a failed build leaves
the previous store untouched. The build stamps the store with a hash of the seeds and the schema;
``ensure_store`` rebuilds when the file is missing, unreadable or older than the seeds, and reports
what it did so the UI and the CLI can say so.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

DATA_DIR = Path(__file__).resolve().parent
SCHEMA_PATH = DATA_DIR / "schema.sql"
SEEDS_DIR = DATA_DIR / "seeds"
DEFAULT_DB_PATH = DATA_DIR / "arms_priority.duckdb"
DB_PATH_ENV = "ARMS_PRIORITY_DB"

# Dependency order: referenced tables first.
TABLES: tuple[str, ...] = (
    "source",
    "source_domain",
    "partner",
    "spending",
    "economy",
    "governance",
    "us_presence",
    "us_arms_delivery",
    "strategic_assessment",
    "geography",
    "production_line",
    "line_fact",
    "arms_order",
    "order_source",
    "order_review",
    "eligibility",
)


class StoreError(RuntimeError):
    """The store cannot be built or opened; the message says what to do."""


@dataclass(frozen=True)
class StoreStatus:
    """What ``ensure_store`` found and did."""

    path: Path
    action: str  # 'current', 'built', 'rebuilt-stale', 'rebuilt-unreadable'
    message: str
    seeds_hash: str


def default_db_path() -> Path:
    """The store path: ``$ARMS_PRIORITY_DB`` if set, else ``data/arms_priority.duckdb``."""
    env = os.environ.get(DB_PATH_ENV, "").strip()
    return Path(env) if env else DEFAULT_DB_PATH


def seeds_hash(seeds_dir: Path = SEEDS_DIR, schema_path: Path = SCHEMA_PATH) -> str:
    """Hash of the schema and every seed file: the store's version."""
    digest = hashlib.sha256(schema_path.read_bytes())
    for table in TABLES:
        digest.update(table.encode())
        digest.update(_seed_path(seeds_dir, table).read_bytes())
    return digest.hexdigest()[:16]


def _seed_path(seeds_dir: Path, table: str) -> Path:
    path = seeds_dir / f"{table}.csv"
    if not path.is_file():
        raise StoreError(f"Seed file missing: {path}. Restore it from git (git checkout -- {path}).")
    return path


def build_store(
    db_path: Path | None = None,
    seeds_dir: Path = SEEDS_DIR,
    schema_path: Path = SCHEMA_PATH,
) -> Path:
    """Build the store from the seeds, atomically.

    Parameters
    ----------
    db_path
        Target database file; defaults to :func:`default_db_path`.
    seeds_dir, schema_path
        Where the seed CSVs and the schema live (tests point these at temporary copies).

    Returns
    -------
    Path
        The path of the built store.

    Raises
    ------
    StoreError
        A seed is missing or a row violates the schema (the message names the table and the
        constraint); the previous store, if any, is left as it was.
    """
    target = Path(db_path) if db_path is not None else default_db_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    version = seeds_hash(seeds_dir, schema_path)
    tmp = target.with_name(target.name + ".tmp")
    for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
        leftover.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    try:
        con.execute("BEGIN TRANSACTION")
        con.execute(schema_path.read_text(encoding="utf-8"))
        for table in TABLES:
            seed = _seed_path(seeds_dir, table)
            try:
                con.execute(
                    f"INSERT INTO {table} BY NAME "  # table names come from TABLES, never user input
                    "SELECT * FROM read_csv(?, header = true, all_varchar = true)",
                    [str(seed)],
                )
            except duckdb.Error as exc:
                raise StoreError(f"Seed {seed.name} violates the schema: {exc}") from exc
        counts = {table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in TABLES}
        con.execute(
            "CREATE TABLE store_meta (seeds_hash VARCHAR NOT NULL, built_at TIMESTAMP NOT NULL, row_counts VARCHAR NOT NULL)"
        )
        con.execute(
            "INSERT INTO store_meta VALUES (?, ?, ?)",
            [version, dt.datetime.now(dt.timezone.utc).replace(tzinfo=None), json.dumps(counts, sort_keys=True)],
        )
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
    except BaseException:
        con.close()
        tmp.unlink(missing_ok=True)
        raise
    con.close()
    os.replace(tmp, target)
    return target


def stored_version(db_path: Path) -> str | None:
    """The seeds hash a store was built from, or None if it has none (not a store of ours).

    The store verifies itself first: every table is read in full (DuckDB checks each block's
    checksum as it reads) and its row count compared with the count recorded at build time, so a
    truncated or partly corrupted file raises ``duckdb.Error`` here instead of failing a page later.
    """
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        row = con.execute("SELECT seeds_hash, row_counts FROM store_meta LIMIT 1").fetchone()
        if row is None:
            return None
        expected = json.loads(row[1])
        for table in TABLES:
            rows = con.execute(f"SELECT * FROM {table}").fetchall()  # a full read: every block checked
            if len(rows) != expected.get(table, -1):
                raise duckdb.IOException(f"table {table} has {len(rows)} rows, {expected.get(table)} were built")
    except (duckdb.CatalogException, duckdb.BinderException):
        return None
    except ValueError as exc:  # unreadable metadata
        raise duckdb.IOException(f"store metadata unreadable ({exc})") from exc
    finally:
        con.close()
    return str(row[0])


def ensure_store(db_path: Path | None = None, seeds_dir: Path = SEEDS_DIR) -> StoreStatus:
    """Make sure a current store exists at ``db_path``, building or rebuilding it if needed.

    A file that DuckDB cannot open (corrupted, truncated, not a database) is moved aside to
    ``<name>.unreadable-<timestamp>`` — never deleted — and the store is rebuilt from the seeds.

    Raises
    ------
    StoreError
        The seeds are missing or invalid, or the store location is not writable.
    """
    target = Path(db_path) if db_path is not None else default_db_path()
    version = seeds_hash(seeds_dir)
    if target.exists() and not target.is_file():
        raise StoreError("The store path is not a file; set ARMS_PRIORITY_DB to a file path.")
    if not target.exists():
        build_store(target, seeds_dir)
        return StoreStatus(target, "built", "Built the store from the seeds.", version)
    try:
        found = stored_version(target)
    except duckdb.Error as exc:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        aside = target.with_name(f"{target.name}.unreadable-{stamp}")
        os.replace(target, aside)
        build_store(target, seeds_dir)
        reason = re.sub(r"/[^\s\"']+", "…", str(exc).splitlines()[0])[:160]  # no server paths
        return StoreStatus(
            target,
            "rebuilt-unreadable",
            f"The store file could not be read ({reason}); it was kept as {aside.name} "
            "and a fresh store was built from the seeds.",
            version,
        )
    if found == version:
        return StoreStatus(target, "current", "The store is up to date with the seeds.", version)
    build_store(target, seeds_dir)
    return StoreStatus(
        target,
        "rebuilt-stale",
        "The seeds changed since the store was built; rebuilt the store from the seeds.",
        version,
    )


def connect(db_path: Path | None = None, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """Open the store (read-only by default).

    Raises
    ------
    StoreError
        The file is missing or cannot be opened.
    """
    target = Path(db_path) if db_path is not None else default_db_path()
    if not target.exists():
        raise StoreError(f"No store at {target}. Build it with: python -m data.build")
    try:
        return duckdb.connect(str(target), read_only=read_only)
    except duckdb.Error as exc:
        raise StoreError(
            f"Cannot open the store at {target}: {str(exc).splitlines()[0]}. "
            "Rebuild it with: python -m data.build --force"
        ) from exc
