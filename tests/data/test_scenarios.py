"""Saved scenarios: save, list, load, rename, delete, with bounded user text and bound parameters."""

from __future__ import annotations

from pathlib import Path

import pytest

from data.scenarios import (
    MAX_NAME, URL_ENV, DuckDBScenarioStore, PostgresScenarioStore, ScenarioError, open_store, valid_id,
)


@pytest.fixture(params=["duckdb", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path):
    """Every rule below holds for both backends: the embedded file and a real PostgreSQL server."""
    if request.param == "duckdb":
        return DuckDBScenarioStore(tmp_path / "s.duckdb")
    import psycopg

    url = request.getfixturevalue("postgres_url")
    with psycopg.connect(url, autocommit=True) as con:
        con.execute("DROP TABLE IF EXISTS saved_scenario")
    return PostgresScenarioStore(url)


def test_save_load_rename_delete(store) -> None:
    saved = store.save("  Gulf   THAAD  ", "HR weight 20\r\nvs baseline", {"w_governance": "20", "preset": "custom"}, "order book 2026 Q1")
    assert valid_id(saved.scenario_id)
    assert saved.name == "Gulf THAAD" and saved.notes == "HR weight 20\nvs baseline"
    assert store.get(saved.scenario_id).params == {"w_governance": "20", "preset": "custom"}
    assert [s.scenario_id for s in store.list()] == [saved.scenario_id]
    renamed = store.rename(saved.scenario_id, "Gulf THAAD v2")
    assert renamed.name == "Gulf THAAD v2" and renamed.notes == saved.notes
    store.delete(saved.scenario_id)
    assert store.list() == []
    with pytest.raises(ScenarioError, match="No saved scenario"):
        store.get(saved.scenario_id)


@pytest.mark.parametrize(
    ("name", "notes", "message"),
    [("", "", "needs a name"), ("x" * (MAX_NAME + 1), "", "at most 80"), ("ok", "n" * 2001, "at most 2000")],
)
def test_bad_names_and_notes_are_refused_with_a_bounded_message(store, name, notes, message) -> None:
    with pytest.raises(ScenarioError, match=message) as err:
        store.save(name, notes, {}, "v")
    assert len(str(err.value)) < 200


def test_hostile_text_is_stored_as_data(store) -> None:
    name = "x'); DROP TABLE saved_scenario; --"
    notes = "[click](http://evil) ![b](http://evil/b.png) =cmd|' /C calc'!A0"
    saved = store.save(name, notes, {"hypo": "MAR:javelin:200:2026-01-15"}, "v")
    again = store.get(saved.scenario_id)
    assert again.name == name and again.notes == notes
    assert len(store.list()) == 1


@pytest.mark.parametrize("bad", ["", "short", "UPPERCAS", "abcdefg1", "../../etc", "a" * 9])
def test_malformed_ids_are_refused(store, bad) -> None:
    with pytest.raises(ScenarioError, match="not a saved-scenario id"):
        store.get(bad)


def test_a_directory_is_not_a_store(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="not a file"):
        DuckDBScenarioStore(tmp_path)


def test_open_store_picks_postgres_from_the_url(monkeypatch, postgres_url: str) -> None:
    monkeypatch.setenv(URL_ENV, postgres_url)
    assert isinstance(open_store(), PostgresScenarioStore)
    monkeypatch.delenv(URL_ENV)
    assert isinstance(open_store(), DuckDBScenarioStore)


def test_a_saved_scenario_is_seen_by_another_store_on_the_same_server(postgres_url: str) -> None:
    first, second = PostgresScenarioStore(postgres_url), PostgresScenarioStore(postgres_url)
    saved = first.save("Shared", "", {"w_frontline": "20"}, "v")
    assert second.get(saved.scenario_id).params == {"w_frontline": "20"}


@pytest.mark.parametrize("url", ["mysql://x", "postgresql://nobody:secret@127.0.0.1:1/none"])
def test_a_bad_or_unreachable_database_is_a_bounded_message_without_the_url(url: str) -> None:
    with pytest.raises(ScenarioError) as err:
        PostgresScenarioStore(url, connect_timeout=2).list()
    assert "secret" not in str(err.value) and len(str(err.value)) < 120


def test_concurrent_saves_from_many_sessions_all_land(store) -> None:
    """Sessions run in threads of one server: before the schema statement ran once per store, two
    concurrent saves sometimes conflicted in DuckDB's catalog and one was lost (found under load)."""
    import threading

    problems: list[str] = []

    def work(n: int) -> None:
        for i in range(15):
            try:
                store.save(f"session {n} save {i}", "", {"w_frontline": str(i)}, "v")
            except ScenarioError as exc:
                problems.append(str(exc))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert problems == [] and len(store.list()) == 8 * 15


def test_an_embedded_file_held_by_another_process_says_how_to_share(tmp_path: Path) -> None:
    """One embedded scenario file serves one app process: a second process gets a message that says
    so and names the PostgreSQL setting, not a bare IOException."""
    import subprocess
    import sys

    path = tmp_path / "held.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True); time.sleep(60)", str(path)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(ScenarioError, match="in use by another process.*ARMS_PRIORITY_SCENARIOS_URL"):
            DuckDBScenarioStore(path).list()
    finally:
        holder.kill()
        holder.wait()
