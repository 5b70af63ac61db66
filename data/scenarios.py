"""Saved scenarios: one small interface, an embedded DuckDB file by default.

A saved scenario is the analyst's whole state as the link would carry it (every parameter,
hypothetical orders and judgement edits, as URL text), a name, notes, the data vintage it was made
on, and a short id that makes its link (``?scn=<id>``). The file is separate from the read-only
store, so a hosted, read-only dashboard still saves scenarios. Every statement binds its
parameters; names and notes are length-limited here and escaped wherever they are shown.

Presets are not stored here: they are read-only code (``scoring.criteria.PRESETS``).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import duckdb

DATA_DIR = Path(__file__).resolve().parent
DEFAULT_PATH = DATA_DIR / "scenarios.duckdb"
PATH_ENV = "ARMS_PRIORITY_SCENARIOS_DB"
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
    """What the app needs from a scenario store (DuckDB file here; a server database may follow)."""

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


class DuckDBScenarioStore:
    """Saved scenarios in an embedded DuckDB file (one connection per call, so several processes
    on one machine can share the file between calls)."""

    def __init__(self, path: Path | None = None) -> None:
        configured = os.environ.get(PATH_ENV, "").strip()
        self.path = Path(path or configured or DEFAULT_PATH)
        if self.path.exists() and not self.path.is_file():
            raise ScenarioError("The scenario store path is not a file; set ARMS_PRIORITY_SCENARIOS_DB to a file path.")

    def _connect(self) -> duckdb.DuckDBPyConnection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            con = duckdb.connect(str(self.path))
            con.execute(SCHEMA)
        except duckdb.Error as exc:
            raise ScenarioError(f"The scenario store could not be opened ({type(exc).__name__}).") from exc
        return con

    def save(self, name: str, notes: str, params: Mapping[str, str], vintage: str) -> SavedScenario:
        name, notes = clean_name(name), clean_notes(notes)
        payload = json.dumps({str(k): str(v) for k, v in params.items()}, sort_keys=True)
        if len(payload) > MAX_PARAMS:
            raise ScenarioError("This scenario's parameters are too long to save.")
        now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
        con = self._connect()
        try:
            count = con.execute("SELECT count(*) FROM saved_scenario").fetchone()[0]
            if count >= MAX_SCENARIOS:
                raise ScenarioError(f"The store holds its maximum of {MAX_SCENARIOS:,} scenarios; delete some first.")
            for _ in range(5):
                scenario_id = "".join(secrets.choice(ID_ALPHABET) for _ in range(ID_LENGTH))
                exists = con.execute("SELECT 1 FROM saved_scenario WHERE scenario_id = ?", [scenario_id]).fetchone()
                if not exists:
                    break
            con.execute(
                "INSERT INTO saved_scenario VALUES (?, ?, ?, ?, ?, ?, ?)",
                [scenario_id, name, notes, payload, vintage, now, now],
            )
        finally:
            con.close()
        return self.get(scenario_id)

    def get(self, scenario_id: str) -> SavedScenario:
        if not valid_id(scenario_id):
            raise ScenarioError("That is not a saved-scenario id.")
        con = self._connect()
        try:
            row = con.execute("SELECT * FROM saved_scenario WHERE scenario_id = ?", [scenario_id]).fetchone()
        finally:
            con.close()
        if row is None:
            raise ScenarioError("No saved scenario has that id (it may have been deleted).")
        return _row(row)

    def list(self) -> list[SavedScenario]:
        con = self._connect()
        try:
            rows = con.execute("SELECT * FROM saved_scenario ORDER BY updated_at DESC, scenario_id").fetchall()
        finally:
            con.close()
        return [_row(r) for r in rows]

    def rename(self, scenario_id: str, name: str, notes: str | None = None) -> SavedScenario:
        current = self.get(scenario_id)
        name = clean_name(name)
        notes = current.notes if notes is None else clean_notes(notes)
        now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
        con = self._connect()
        try:
            con.execute(
                "UPDATE saved_scenario SET name = ?, notes = ?, updated_at = ? WHERE scenario_id = ?",
                [name, notes, now, scenario_id],
            )
        finally:
            con.close()
        return self.get(scenario_id)

    def delete(self, scenario_id: str) -> None:
        self.get(scenario_id)
        con = self._connect()
        try:
            con.execute("DELETE FROM saved_scenario WHERE scenario_id = ?", [scenario_id])
        finally:
            con.close()


def _row(row: tuple) -> SavedScenario:
    scenario_id, name, notes, params, vintage, created, updated = row
    try:
        parsed = json.loads(params)
    except ValueError:
        parsed = {}
    return SavedScenario(scenario_id, name, notes, {str(k): str(v) for k, v in parsed.items()}, vintage, created, updated)
