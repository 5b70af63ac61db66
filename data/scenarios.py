"""Saved scenarios: one small interface, two backends.

An embedded DuckDB file by default, or a PostgreSQL server that several replicas of the dashboard
share (``ARMS_PRIORITY_SCENARIOS_URL``); :func:`open_store` picks one. A saved scenario is the
analyst's whole state as the link would carry it (every parameter, hypothetical orders and
judgement edits, as URL text), a name, notes, the data vintage it was made on, and a short id that
makes its link (``?scn=<id>``). The store is separate from the read-only data store, so a hosted,
read-only dashboard still saves scenarios. Every statement binds its parameters; names and notes
are length-limited here and escaped wherever they are shown.

Presets are not stored here: they are read-only code (``scoring.criteria.PRESETS``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import secrets
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import duckdb

DATA_DIR = Path(__file__).resolve().parent
DEFAULT_PATH = DATA_DIR / "scenarios.duckdb"
PATH_ENV = "ARMS_PRIORITY_SCENARIOS_DB"
URL_ENV = "ARMS_PRIORITY_SCENARIOS_URL"
MAX_NAME, MAX_NOTES, MAX_PARAMS = 80, 2000, 20_000
MAX_SCENARIOS = 10_000
ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no look-alikes (l, 1, o, 0)
ID_LENGTH = 8

SCHEMA = """
CREATE TABLE IF NOT EXISTS saved_scenario (
    scenario_id  VARCHAR PRIMARY KEY,
    name         VARCHAR NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    notes        VARCHAR NOT NULL DEFAULT '' CHECK (length(notes) <= 2000),
    params       VARCHAR NOT NULL CHECK (length(params) <= 20000),   -- JSON object of URL parameters
    vintage      VARCHAR NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
)
"""


SCHEMA_LOCK = 7_312_026_001  # PostgreSQL advisory-lock key held while the table is created


COLUMNS = "scenario_id, name, notes, params, vintage, created_at, updated_at"


class ScenarioError(ValueError):
    """A scenario cannot be saved, found or changed; the message says why (bounded, no paths)."""


@dataclass(frozen=True)
class SavedScenario:
    scenario_id: str
    name: str
    notes: str
    params: dict[str, str]
    vintage: str
    created_at: dt.datetime
    updated_at: dt.datetime


class ScenarioStore(Protocol):
    """What the app needs from a scenario store (an embedded DuckDB file, or a PostgreSQL server)."""

    def save(self, name: str, notes: str, params: Mapping[str, str], vintage: str) -> SavedScenario: ...
    def get(self, scenario_id: str) -> SavedScenario: ...
    def list(self) -> list[SavedScenario]: ...
    def rename(self, scenario_id: str, name: str, notes: str | None = None) -> SavedScenario: ...
    def delete(self, scenario_id: str) -> None: ...


def clean_name(name: str) -> str:
    """A name as stored: whitespace collapsed, 1–80 characters."""
    text = " ".join(str(name).split())
    if not text:
        raise ScenarioError("A saved scenario needs a name.")
    if len(text) > MAX_NAME:
        raise ScenarioError(f"Names are at most {MAX_NAME} characters (this one has {len(text)}).")
    return text


def clean_notes(notes: str) -> str:
    text = str(notes or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(text) > MAX_NOTES:
        raise ScenarioError(f"Notes are at most {MAX_NOTES} characters (these have {len(text)}).")
    return text


def valid_id(scenario_id: str) -> bool:
    return len(scenario_id) == ID_LENGTH and all(c in ID_ALPHABET for c in scenario_id)


class _SQLScenarioStore:
    """The saved-scenario rules once, over any DB-API-like connection: subclasses only say how to
    connect (``_connect``, a context manager yielding a connection whose ``execute(sql, params)``
    returns something with ``fetchone``/``fetchall``) and their parameter marker."""

    marker = "?"

    def _connect(self):  # noqa: ANN202 - a context manager
        raise NotImplementedError

    def _sql(self, sql: str) -> str:
        return sql if self.marker == "?" else sql.replace("?", self.marker)

    def _execute(self, con, sql: str, params: list | None = None):  # noqa: ANN001, ANN202
        return con.execute(self._sql(sql), params or [])

    def save(self, name: str, notes: str, params: Mapping[str, str], vintage: str) -> SavedScenario:
        name, notes = clean_name(name), clean_notes(notes)
        payload = json.dumps({str(k): str(v) for k, v in params.items()}, sort_keys=True)
        if len(payload) > MAX_PARAMS:
            raise ScenarioError("This scenario's parameters are too long to save.")
        now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
        with self._connect() as con:
            count = self._execute(con, "SELECT count(*) FROM saved_scenario").fetchone()[0]
            if count >= MAX_SCENARIOS:
                raise ScenarioError(f"The store holds its maximum of {MAX_SCENARIOS:,} scenarios; delete some first.")
            for _ in range(5):
                scenario_id = "".join(secrets.choice(ID_ALPHABET) for _ in range(ID_LENGTH))
                exists = self._execute(con, "SELECT 1 FROM saved_scenario WHERE scenario_id = ?", [scenario_id]).fetchone()
                if not exists:
                    break
            self._execute(con, "INSERT INTO saved_scenario VALUES (?, ?, ?, ?, ?, ?, ?)",
                          [scenario_id, name, notes, payload, vintage, now, now])
        return self.get(scenario_id)

    def get(self, scenario_id: str) -> SavedScenario:
        if not valid_id(scenario_id):
            raise ScenarioError("That is not a saved-scenario id.")
        with self._connect() as con:
            row = self._execute(con, f"SELECT {COLUMNS} FROM saved_scenario WHERE scenario_id = ?", [scenario_id]).fetchone()
        if row is None:
            raise ScenarioError("No saved scenario has that id (it may have been deleted).")
        return _row(row)

    def list(self) -> list[SavedScenario]:
        with self._connect() as con:
            rows = self._execute(con, f"SELECT {COLUMNS} FROM saved_scenario ORDER BY updated_at DESC, scenario_id").fetchall()
        return [_row(r) for r in rows]

    def rename(self, scenario_id: str, name: str, notes: str | None = None) -> SavedScenario:
        current = self.get(scenario_id)
        name = clean_name(name)
        notes = current.notes if notes is None else clean_notes(notes)
        now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
        with self._connect() as con:
            self._execute(con, "UPDATE saved_scenario SET name = ?, notes = ?, updated_at = ? WHERE scenario_id = ?",
                          [name, notes, now, scenario_id])
        return self.get(scenario_id)

    def delete(self, scenario_id: str) -> None:
        self.get(scenario_id)
        with self._connect() as con:
            self._execute(con, "DELETE FROM saved_scenario WHERE scenario_id = ?", [scenario_id])


class DuckDBScenarioStore(_SQLScenarioStore):
    """Saved scenarios in an embedded DuckDB file, for one server process (replicas share a
    PostgreSQL server instead). The process opens the file once and each call works on its own
    cursor: opening and closing the database per call cost a tenth of a rerun's CPU (DuckDB
    checkpoints on the last close), and under load a connect racing another thread's close failed
    with ``ResourceInUse`` (1 save of 12 in a 3-session run, Dec 2026)."""

    def __init__(self, path: Path | None = None) -> None:
        configured = os.environ.get(PATH_ENV, "").strip()
        self.path = Path(path or configured or DEFAULT_PATH)
        if self.path.exists() and not self.path.is_file():
            raise ScenarioError("The scenario store path is not a file; set ARMS_PRIORITY_SCENARIOS_DB to a file path.")
        self._lock = threading.Lock()
        self._schema_ready = False
        self._database: duckdb.DuckDBPyConnection | None = None

    def _open(self) -> duckdb.DuckDBPyConnection:
        """The process's connection to the file, opened (and the table created) on first use. The
        schema statement runs once per store, under the lock: run by every call, concurrent
        sessions' ``CREATE TABLE IF NOT EXISTS`` conflicted in DuckDB's catalog."""
        with self._lock:
            if self._database is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                database = duckdb.connect(str(self.path))
                try:
                    database.execute(SCHEMA)
                except duckdb.Error:
                    database.close()
                    raise
                self._database, self._schema_ready = database, True
            return self._database

    def close(self) -> None:
        """Release the file (tests and tools that open it from another process afterwards)."""
        with self._lock:
            if self._database is not None:
                self._database.close()
                self._database = None

    @contextlib.contextmanager
    def _connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor of the process's connection (thread-safe: one cursor per call). A statement that
        meets a write-write conflict is retried a few times (see ``_execute``)."""
        try:
            con = self._open().cursor()
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():  # another process holds the file
                raise ScenarioError(
                    "The scenario store is in use by another process. An embedded scenario file serves one app "
                    "process; for several, set ARMS_PRIORITY_SCENARIOS_URL to a PostgreSQL server."
                ) from exc
            raise ScenarioError(f"The scenario store could not be opened ({type(exc).__name__}).") from exc
        except duckdb.Error as exc:
            raise ScenarioError(f"The scenario store could not be opened ({type(exc).__name__}).") from exc
        try:
            yield con
        except duckdb.Error as exc:
            raise ScenarioError(f"The scenario store refused the request ({type(exc).__name__}).") from exc
        finally:
            con.close()

    def _execute(self, con, sql: str, params: list | None = None):  # noqa: ANN001, ANN202
        for attempt in range(5):
            try:
                return con.execute(self._sql(sql), params or [])
            except duckdb.TransactionException:
                if attempt == 4:
                    raise
                time.sleep(0.02 * (attempt + 1))


class PostgresScenarioStore(_SQLScenarioStore):
    """Saved scenarios in a PostgreSQL server (``postgresql://`` URL), shared by every replica of
    the dashboard. One short autocommit connection per call; the table is created on first use.
    Messages never carry the URL (it may hold a password)."""

    marker = "%s"

    def __init__(self, url: str, connect_timeout: int = 5) -> None:
        if not url.startswith(("postgresql://", "postgres://")):
            raise ScenarioError(f"{URL_ENV} must be a postgresql:// URL.")
        self.url = url
        self.connect_timeout = connect_timeout
        self._schema_ready = False

    @contextlib.contextmanager
    def _connect(self) -> Iterator[object]:
        import psycopg

        try:
            con = psycopg.connect(self.url, autocommit=True, connect_timeout=self.connect_timeout)
        except psycopg.Error as exc:
            raise ScenarioError(f"The scenario database could not be reached ({type(exc).__name__}).") from exc
        try:
            if not self._schema_ready:
                # CREATE TABLE IF NOT EXISTS is not atomic in PostgreSQL: two sessions creating it at the
                # same moment collide in the catalog (UniqueViolation or DuplicateObject, seen with 8
                # threads). A transaction-scoped advisory lock serialises the creators, in this process
                # and across replicas.
                with con.transaction():
                    con.execute("SELECT pg_advisory_xact_lock(%s)", [SCHEMA_LOCK])
                    con.execute(SCHEMA)
                self._schema_ready = True
            yield con
        except psycopg.Error as exc:
            raise ScenarioError(f"The scenario database refused the request ({type(exc).__name__}).") from exc
        finally:
            con.close()


def open_store() -> ScenarioStore:
    """The configured store: PostgreSQL when ``ARMS_PRIORITY_SCENARIOS_URL`` is set (replicas
    share it), else the embedded DuckDB file (``ARMS_PRIORITY_SCENARIOS_DB`` or the default)."""
    url = os.environ.get(URL_ENV, "").strip()
    return PostgresScenarioStore(url) if url else DuckDBScenarioStore()


def _row(row: tuple) -> SavedScenario:
    scenario_id, name, notes, params, vintage, created, updated = row
    try:
        parsed = json.loads(params)
    except ValueError:
        parsed = {}
    return SavedScenario(scenario_id, name, notes, {str(k): str(v) for k, v in parsed.items()}, vintage, created, updated)
