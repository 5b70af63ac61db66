"""The store: builds from the seeds, rejects bad rows, matches the sources, traces every figure."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from data import queries
from data.build import main as build_main
from data.store import SEEDS_DIR, TABLES, StoreError, build_store, connect, ensure_store, seeds_hash


@pytest.fixture()
def con(store_path: Path):
    connection = connect(store_path)
    yield connection
    connection.close()


def scalar(con, sql: str, params=None):
    return con.execute(sql, params or []).fetchone()[0]


def test_every_table_is_loaded(con) -> None:
    counts = dict(con.execute("SELECT * FROM (" + queries.load_queries()["table_counts"] + ")").fetchall())
    assert set(TABLES) <= set(counts)
    assert counts["partner"] >= 150
    assert counts["production_line"] == 26
    assert counts["arms_order"] >= 200
    assert counts["strategic_assessment"] >= 40 * 6


def test_spot_values_equal_the_sources(con) -> None:
    # SIPRI Milex April 2025 release: Poland 2024 share of GDP 4.1544 %.
    assert scalar(con, "SELECT share_gdp_pct FROM spending WHERE iso3='POL' AND year=2024 AND series='sipri'") == pytest.approx(4.1544, abs=1e-4)
    # NATO June 2024 tables: Poland 2024e 4.12 %, flagged as an estimate.
    row = con.execute("SELECT share_gdp_pct, is_estimate FROM spending WHERE iso3='POL' AND year=2024 AND series='nato'").fetchone()
    assert row[0] == pytest.approx(4.1202, abs=1e-3) and row[1] is True
    # NATO 2025 estimate (Aug 2025): Poland 4.48 %.
    assert scalar(con, "SELECT share_gdp_pct FROM spending WHERE iso3='POL' AND year=2025 AND series='nato_2025e'") == pytest.approx(4.48)
    for iso3 in ("TWN", "XKX", "GEO", "UKR"):
        assert scalar(con, "SELECT count(*) FROM partner WHERE iso3 = ?", [iso3]) == 1, iso3
    # The DMDC file doubles South Korea: the published figure (24,159) is used.
    assert scalar(con, "SELECT troops_assigned FROM us_presence WHERE iso3='KOR'") == 24159


def test_spending_runs_through_2024_and_nato_2025(con) -> None:
    assert scalar(con, "SELECT max(year) FROM spending WHERE series='sipri'") == 2024
    allies_2025 = scalar(con, "SELECT count(DISTINCT iso3) FROM spending WHERE series='nato_2025e'")
    assert allies_2025 >= 25


def test_every_figure_has_a_source(con) -> None:
    for table in TABLES:
        columns = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
        for column in (c for c in columns if c.endswith("source_id")):
            orphans = scalar(con, f"SELECT count(*) FROM {table} t LEFT JOIN source s ON t.{column} = s.source_id WHERE t.{column} IS NOT NULL AND s.source_id IS NULL")
            assert orphans == 0, f"{table}.{column}"
    assert scalar(con, "SELECT count(*) FROM arms_order WHERE source_urls IS NULL OR source_urls = ''") == 0
    assert scalar(con, "SELECT count(*) FROM strategic_assessment WHERE rationale = '' OR source_ref = ''") == 0
    assert scalar(con, "SELECT bool_and(is_judgement) FROM source WHERE source_id IN (SELECT source_id FROM strategic_assessment)") is True


def test_forty_noted_partners_are_assessed(con) -> None:
    noted = ["POL", "LTU", "LVA", "EST", "ROU", "BGR", "SVK", "HUN", "CZE", "DEU", "FIN", "SWE", "NOR", "DNK", "NLD",
             "BEL", "ITA", "GBR", "ESP", "TUR", "GRC", "CAN", "UKR", "CHE", "JPN", "KOR", "TWN", "PHL", "AUS", "IND",
             "SGP", "SAU", "ARE", "QAT", "KWT", "BHR", "ISR", "EGY", "JOR", "MAR"]
    assessed = {r[0] for r in con.execute("SELECT iso3 FROM strategic_assessment GROUP BY iso3 HAVING count(*) = 6").fetchall()}
    assert set(noted) <= assessed


@pytest.fixture()
def seeds_copy(tmp_path: Path) -> Path:
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, target)
    return target


def _append(path: Path, line: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")


def _row_like(path: Path, **changes: str) -> str:
    import csv

    with path.open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        row = next(reader)
        fields = reader.fieldnames or []
    row.update(changes)
    import io

    out = io.StringIO()
    csv.DictWriter(out, fieldnames=fields, lineterminator="").writerow(row)
    return out.getvalue()


@pytest.mark.parametrize(
    ("table", "changes", "message"),
    [
        ("spending", {"year": "2039", "usd_const_m": "-5"}, "Constraint"),
        ("spending", {"year": "2039", "share_gdp_pct": "101"}, "Constraint"),
        ("arms_order", {"order_id": "999", "iso3": "ZZZ"}, "foreign key|Constraint"),
        ("arms_order", {"order_id": "998", "quantity": "-1"}, "Constraint"),
    ],
)
def test_constraints_reject_bad_rows(seeds_copy: Path, tmp_path: Path, table: str, changes: dict, message: str) -> None:
    seed = seeds_copy / f"{table}.csv"
    _append(seed, _row_like(seed, **changes))
    target = tmp_path / "bad.duckdb"
    with pytest.raises(StoreError, match=message):
        build_store(target, seeds_copy)
    assert not target.exists(), "a failed build must not leave a store behind"


def test_failed_build_keeps_the_previous_store(seeds_copy: Path, tmp_path: Path) -> None:
    target = tmp_path / "keep.duckdb"
    build_store(target, seeds_copy)
    seed = seeds_copy / "spending.csv"
    _append(seed, _row_like(seed, year="2039", share_gdp_pct="-1"))
    with pytest.raises(StoreError):
        build_store(target, seeds_copy)
    con = duckdb.connect(str(target), read_only=True)
    assert con.execute("SELECT count(*) FROM partner").fetchone()[0] >= 150
    con.close()


def test_ensure_store_builds_once_then_rebuilds_when_seeds_change(seeds_copy: Path, tmp_path: Path) -> None:
    target = tmp_path / "ensure.duckdb"
    assert ensure_store(target, seeds_copy).action == "built"
    assert ensure_store(target, seeds_copy).action == "current"
    seed = seeds_copy / "spending.csv"
    _append(seed, _row_like(seed, year="2039"))
    assert seeds_hash(seeds_copy) != seeds_hash(SEEDS_DIR)
    assert ensure_store(target, seeds_copy).action == "rebuilt-stale"


def test_corrupted_store_is_kept_aside_and_rebuilt(seeds_copy: Path, tmp_path: Path) -> None:
    target = tmp_path / "corrupt.duckdb"
    target.write_bytes(b"this is not a duckdb file" * 100)
    status = ensure_store(target, seeds_copy)
    assert status.action == "rebuilt-unreadable"
    assert "could not be read" in status.message
    aside = list(tmp_path.glob("corrupt.duckdb.unreadable-*"))
    assert len(aside) == 1 and aside[0].read_bytes().startswith(b"this is not")


def test_cli_reports_errors_without_traceback(seeds_copy: Path, tmp_path: Path, capsys, monkeypatch) -> None:
    assert build_main(["--db", str(tmp_path / "cli.duckdb")]) == 0
    assert "Built the store" in capsys.readouterr().out
    monkeypatch.setattr("data.store.SEEDS_DIR", tmp_path / "nowhere")
    monkeypatch.setattr("data.build.ensure_store", lambda target: ensure_store(target, tmp_path / "nowhere"))
    assert build_main(["--db", str(tmp_path / "cli2.duckdb")]) == 2
    assert "Seed file missing" in capsys.readouterr().err


def test_connect_missing_store_says_how_to_build(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="python -m data.build"):
        connect(tmp_path / "absent.duckdb")


def test_named_queries_bind_parameters(con) -> None:
    history = queries.run(con, "spending_history", {"iso3": "POL"})
    assert set(history["series"]) >= {"sipri", "nato"}
    # A hostile value is data, not SQL.
    assert queries.run(con, "spending_history", {"iso3": "POL' OR 1=1 --"}).empty
    with pytest.raises(KeyError, match="No named query"):
        queries.run(con, "drop_everything")
    with pytest.raises(ValueError, match="Unknown table"):
        queries.table_rows(con, "partner; DROP TABLE partner")


def test_partner_features_cover_every_partner(con) -> None:
    features = queries.partner_features(con)
    assert features["iso3"].is_unique
    assert len(features) == scalar(con, "SELECT count(*) FROM partner")
    pol = features.set_index("iso3").loc["POL"]
    assert pol["sipri_share"] == pytest.approx(4.1544, abs=1e-4)
    assert pol["nato_share"] == pytest.approx(4.48)


@pytest.mark.parametrize("damage", ["truncate", "scramble_tail"])
def test_a_damaged_store_is_noticed_kept_aside_and_rebuilt(seeds_copy: Path, tmp_path: Path, damage: str) -> None:
    target = tmp_path / "damaged.duckdb"
    assert ensure_store(target, seeds_copy).action == "built"
    blob = target.read_bytes()
    if damage == "truncate":
        target.write_bytes(blob[: len(blob) // 2])
    else:  # keep the header and the first blocks, scramble everything after the first third
        cut = len(blob) // 3
        target.write_bytes(blob[:cut] + bytes((b ^ 0x5A) for b in blob[cut:]))
    status = ensure_store(target, seeds_copy)
    assert status.action == "rebuilt-unreadable", status
    assert str(tmp_path) not in status.message  # no server path in what the app shows
    assert len(list(tmp_path.glob("damaged.duckdb.unreadable-*"))) == 1
    assert ensure_store(target, seeds_copy).action == "current"


def test_a_directory_as_store_path_is_refused_and_left_alone(seeds_copy: Path, tmp_path: Path) -> None:
    folder = tmp_path / "mystuff"
    folder.mkdir()
    (folder / "keep.txt").write_text("mine")
    with pytest.raises(StoreError, match="not a file"):
        ensure_store(folder, seeds_copy)
    assert (folder / "keep.txt").read_text() == "mine" and not list(tmp_path.glob("mystuff.*"))
