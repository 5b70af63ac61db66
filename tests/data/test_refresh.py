"""Refresh from the publishers' workbooks: the real files reproduce the seeds, a change is reported
and lands in the store, a bad file is refused whole with a bounded message and nothing written.

The two real workbooks in ``tests/data/publishers/`` are SIPRI's and NATO's own files (provenance in
that folder's README). The small workbooks built by ``sipri_book`` / ``nato_book`` below are
SYNTHETIC: generated here, in the publishers' layouts, to reach each refusal rule.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import duckdb
import openpyxl
import pytest

from data import publishers, refresh
from data.publishers import PublisherFileError, read_nato_defexp, read_sipri_milex
from data.store import SEEDS_DIR

HERE = Path(__file__).resolve().parent / "publishers"
SIPRI_FILE = HERE / "SIPRI-Milex-data-1949-2024_2.xlsx"
NATO_FILE = HERE / "240617-def-exp-2024-TABLES-en.xlsx"


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.csv"))}


@pytest.fixture()
def seeds(tmp_path: Path) -> Path:
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, target)
    return target


# --- synthetic workbooks in the publishers' layouts ------------------------------------------

SIPRI_BANNER = "Military expenditure by country as percentage of gross domestic product, 1949-2025     © SIPRI 2025"


def sipri_book(path: Path, figures: dict[str, dict[int, tuple]], base: int = 2024, years=(2023, 2024, 2025)) -> Path:
    """SYNTHETIC SIPRI-layout workbook: figures = {country: {year: (share_fraction, const, current)}}."""
    wb = openpyxl.Workbook()
    wb.active.title = "Front page"
    sheets = {"Share of GDP": 0, f"Constant ({base}) US$": 1, "Current US$": 2}
    for sheet, index in sheets.items():
        ws = wb.create_sheet(sheet)
        ws.append([SIPRI_BANNER])
        ws.append(['". ." = data unavailable. "xxx" = country did not exist'])
        ws.append([""])
        ws.append(["Country", "Notes", *years])
        ws.append([None])
        ws.append(["Europe"])
        ws.append(["Central Europe"])
        for country, by_year in figures.items():
            ws.append([country, "§1", *[by_year.get(y, ("...",) * 3)[index] for y in years]])
    wb.save(path)
    return path


def nato_book(path: Path, figures: dict[str, dict[str, tuple]], years=(2023, "2024e", "2025e")) -> Path:
    """SYNTHETIC NATO-layout workbook: figures = {ally: {year label: (share, current, const, equipment)}}."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    layout = {
        "TABLE2": [("Current prices and exchange rates", 1), ("Constant 2021 prices and exchange rates", 2)],
        "TABLE3": [("Share of real GDP (%)", 0), ("Annual real change (%)", None)],
        "TABLE8a": [("Equipment (a)", 3), ("Personnel (b)", None)],
    }
    for sheet, sections in layout.items():
        ws = wb.create_sheet(sheet)
        for _ in range(3):
            ws.append([None])
        ws.append([None, f"Table : {sheet}"])
        ws.append([None])
        ws.append([None, None, None, *years])
        for label, index in sections:
            ws.append([None, label])
            for ally, by_year in figures.items():
                values = [by_year.get(y, (None,) * 4)[index] if index is not None else 1.0 for y in years]
                ws.append([None, None, ally, *values])
            ws.append([None, "NATO Total", None, *[1.0 for _ in years]])
        ws.append([None, None, "Notes: Figures for 2024 and 2025 are estimates."])
    wb.save(path)
    return path


GOOD_SIPRI = {
    "Poland": {2023: (0.0383, 31000.0, 31000.0), 2024: (0.0415, 35000.0, 36000.0), 2025: (0.045, 39000.0, 40000.0)},
    "Georgia": {2024: (0.0165, 600.0, 610.0)},
}
GOOD_NATO = {"Poland*": {2023: (3.9, 29000.0, 21000.0, 45.0), "2024e": (4.12, 35000.0, 26000.0, 51.0), "2025e": (4.48, 40000.0, 29000.0, 50.0)}}


# --- the real workbooks ----------------------------------------------------------------------


def test_the_publishers_workbooks_reproduce_the_seeds_byte_for_byte(seeds: Path, tmp_path: Path) -> None:
    before = digest(seeds)
    result = refresh.plan_refresh(SIPRI_FILE, NATO_FILE, seeds)
    assert result.changes.empty
    assert result.new_sources == ()
    sipri, nato = result.tables
    assert (sipri.first_year, sipri.last_year, sipri.constant_base_year) == (1949, 2024, 2023)
    assert (nato.first_year, nato.last_year, nato.constant_base_year) == (2014, 2024, 2015)
    # Historical entities with figures are named, never silently mapped.
    assert {"USSR", "Yugoslavia", "European Union"} <= set(sipri.unmapped)
    refresh.write_refresh(result, seeds)
    assert digest(seeds) == before


def test_real_workbook_values_match_the_published_figures() -> None:
    sipri = read_sipri_milex(SIPRI_FILE).rows.set_index(["iso3", "year"])
    # SIPRI April 2025 release: Poland 2024 4.1544 % of GDP (the store's spot value).
    assert sipri.at[("POL", 2024), "milex_share_gdp_pct"] == pytest.approx(4.1544, abs=5e-5)
    nato = read_nato_defexp(NATO_FILE).rows.set_index(["iso3", "year"])
    # NATO June 2024 tables: Poland 2024e 4.12 %, US 3.38 %, both estimates; Poland carries the 2 % law star.
    assert nato.at[("POL", 2024), "defexp_share_gdp_pct"] == pytest.approx(4.12, abs=0.005)
    assert nato.at[("USA", 2024), "defexp_share_gdp_pct"] == pytest.approx(3.38, abs=0.005)
    assert bool(nato.at[("POL", 2024), "is_estimate"]) and not bool(nato.at[("POL", 2022), "is_estimate"])
    assert bool(nato.at[("POL", 2024), "national_2pct_law_star"]) and not bool(nato.at[("FRA", 2024), "national_2pct_law_star"])


@pytest.fixture(scope="module")
def edited_sipri(tmp_path_factory) -> Path:
    """The real SIPRI workbook with one cell changed: Poland 2024 share of GDP 4.1544 % -> 4.5 %."""
    path = tmp_path_factory.mktemp("sipri") / "SIPRI-Milex-edited.xlsx"
    wb = openpyxl.load_workbook(SIPRI_FILE)
    ws = wb["Share of GDP"]
    header = next(r for r in range(1, 20) if ws.cell(r, 1).value == "Country")
    col = next(c for c in range(1, ws.max_column + 1) if ws.cell(header, c).value == 2024)
    row = next(r for r in range(header, ws.max_row + 1) if ws.cell(r, 1).value == "Poland")
    ws.cell(row, col).value = 0.045
    wb.save(path)
    return path


def test_one_changed_cell_is_reported_and_reaches_the_store(edited_sipri: Path, seeds: Path, tmp_path: Path) -> None:
    report = tmp_path / "changes.csv"
    db = tmp_path / "store.duckdb"
    code = refresh.main(["--sipri", str(edited_sipri), "--seeds", str(seeds), "--db", str(db), "--report", str(report)])
    assert code == 0
    changes = refresh.pd.read_csv(report, dtype=str)
    assert changes[["iso3", "year", "series", "change", "field", "old", "new"]].values.tolist() == [
        ["POL", "2024", "sipri", "changed", "share_gdp_pct", "4.1544", "4.5"]
    ]
    assert changes.at[0, "name"] == "Poland"
    con = duckdb.connect(str(db), read_only=True)
    try:
        value = con.execute(
            "SELECT share_gdp_pct FROM spending WHERE iso3 = ? AND year = ? AND series = 'sipri'", ["POL", 2024]
        ).fetchone()[0]
    finally:
        con.close()
    assert value == pytest.approx(4.5)


def test_dry_run_reports_and_writes_nothing(edited_sipri: Path, seeds: Path, tmp_path: Path, capsys) -> None:
    before = digest(seeds)
    assert refresh.main(["--sipri", str(edited_sipri), "--seeds", str(seeds), "--db", str(tmp_path / "s.duckdb"), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "1 partner-years changed" in out and "Poland" in out and "+0.35" in out
    assert "Dry run" in out
    assert digest(seeds) == before
    assert not (tmp_path / "s.duckdb").exists()


# --- a new edition ---------------------------------------------------------------------------


def test_a_new_edition_adds_its_year_and_its_own_source_row(seeds: Path, tmp_path: Path) -> None:
    book = sipri_book(tmp_path / "SIPRI-Milex-data-1949-2025.xlsx", GOOD_SIPRI)
    db = tmp_path / "store.duckdb"
    assert refresh.main(["--sipri", str(book), "--seeds", str(seeds), "--db", str(db)]) == 0
    spending = refresh.pd.read_csv(seeds / "spending.csv", dtype=str, keep_default_na=False)
    sipri = spending[spending["series"] == "sipri"]
    # The SIPRI series is replaced by the file's: Poland 2023-2025 and Georgia 2024, nothing else.
    assert sorted(map(tuple, sipri[["iso3", "year"]].values.tolist())) == [
        ("GEO", "2024"), ("POL", "2023"), ("POL", "2024"), ("POL", "2025")
    ]
    assert set(sipri["source_id"]) == {"sipri_milex_2026"}
    assert sipri.loc[sipri["year"].eq("2025"), "share_gdp_pct"].tolist() == ["4.5"]
    # Other series are kept as they were.
    assert (spending["series"] == "nato").sum() == 330
    source = refresh.pd.read_csv(seeds / "source.csv", dtype=str, keep_default_na=False).set_index("source_id")
    assert "constant 2024 US$" in source.at["sipri_milex_2026", "vintage"]
    assert "SIPRI-Milex-data-1949-2025.xlsx" in source.at["sipri_milex_2026", "notes"]
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT max(year) FROM spending WHERE series = 'sipri'").fetchone()[0] == 2025
    finally:
        con.close()


def test_a_new_nato_edition_reads_estimates_stars_and_its_date(seeds: Path, tmp_path: Path) -> None:
    book = nato_book(tmp_path / "250612-def-exp-2025-TABLES-en.xlsx", GOOD_NATO)
    result = refresh.plan_refresh(None, book, seeds)
    table = result.tables[0]
    assert table.constant_base_year == 2021
    rows = table.rows.set_index("year")
    assert rows["is_estimate"].to_dict() == {2023: False, 2024: True, 2025: True}
    assert rows["national_2pct_law_star"].all()
    assert result.new_sources == ("nato_defexp_2025",)
    nato = result.spending[result.spending["series"] == "nato"]
    assert set(nato["iso3"]) == {"POL"}
    assert nato.loc[nato["year"] == 2025, "note"].tolist() == ["NATO estimate (e), June 2025 tables"]
    assert refresh.nato_edition("250612-def-exp-2025-TABLES-en.xlsx", 2025) == "June 2025 tables"
    assert refresh.nato_edition("defence.xlsx", 2025) == "tables to 2025"


# --- refused whole ---------------------------------------------------------------------------


def _sipri_with(tmp_path: Path, **overrides) -> Path:
    figures = {k: dict(v) for k, v in GOOD_SIPRI.items()}
    for country, value in overrides.items():
        figures[country.replace("_", " ")] = value
    return sipri_book(tmp_path / "bad.xlsx", figures)


def _remove_sheet(path: Path, sheet: str) -> Path:
    wb = openpyxl.load_workbook(path)
    del wb[sheet]
    wb.save(path)
    return path


def _set(path: Path, sheet: str, row: int, col: int, value) -> Path:
    wb = openpyxl.load_workbook(path)
    wb[sheet].cell(row, col).value = value
    wb.save(path)
    return path


BAD_SIPRI = {
    "text in a figure": (lambda p: _sipri_with(p, Poland={2024: ("n/a", 1.0, 1.0)}), "'Share of GDP' cell D8: 'n/a' is neither a number"),
    "formula text": (lambda p: _sipri_with(p, Poland={2024: ("=HYPERLINK(\"http://x\")", 1.0, 1.0)}), "is neither a number"),
    "share above 2 (a percentage, not a fraction)": (lambda p: _sipri_with(p, Poland={2024: (4.15, 1.0, 1.0)}), "outside 0-2"),
    "negative money": (lambda p: _sipri_with(p, Poland={2024: (0.04, -5.0, 1.0)}), "negative milex_const_usd_m for POL 2024"),
    "a country twice": (lambda p: _set(_sipri_with(p), "Current US$", 9, 1, "Poland"), "lists 'Poland' twice"),
    "missing sheet": (lambda p: _remove_sheet(_sipri_with(p), "Current US$"), "sheet 'Current US$' is missing"),
    "no constant sheet": (lambda p: _remove_sheet(_sipri_with(p), "Constant (2024) US$"), "expected one sheet named 'Constant (YYYY) US$'"),
    "no Country header": (lambda p: _set(_sipri_with(p), "Share of GDP", 4, 1, "Land"), "no 'Country' header row"),
    "years out of order": (lambda p: _set(_sipri_with(p), "Share of GDP", 4, 3, 2030), "not in increasing order"),
    "not a workbook": (lambda p: (p / "x.xlsx").write_text("iso3,year\nPOL,2024\n") and p / "x.xlsx", "not an .xlsx workbook"),
    "a broken zip": (lambda p: (p / "x.xlsx").write_bytes(b"PK\x03\x04" + b"\0" * 200) and p / "x.xlsx", "x.xlsx"),
    "share above 100 % in a stored year": (lambda p: _sipri_with(p, Poland={2024: (1.5, 1.0, 1.0)}), "share_gdp_pct outside 0-100"),
    "no known country": (lambda p: sipri_book(p / "bad.xlsx", {"Atlantis": {2024: (0.01, 1.0, 1.0)}}), "no country in the file is one the store knows"),
}


@pytest.mark.parametrize("case", list(BAD_SIPRI), ids=list(BAD_SIPRI))
def test_a_bad_sipri_file_is_refused_whole(case: str, seeds: Path, tmp_path: Path, capsys) -> None:
    make, message = BAD_SIPRI[case]
    book = make(tmp_path)
    before = digest(seeds)
    db = tmp_path / "store.duckdb"
    code = refresh.main(["--sipri", str(book), "--seeds", str(seeds), "--db", str(db)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("refused: ") and message in err, err
    assert "Traceback" not in err and len(err) <= publishers.MAX_MESSAGE + 40
    assert digest(seeds) == before
    assert not db.exists()


BAD_NATO = {
    "missing section": (lambda p: _set(nato_book(p / "n.xlsx", GOOD_NATO), "TABLE8a", 7, 2, "Weapons"), "TABLE8a' has no section for equipment_share_pct"),
    "estimate in one table only": (lambda p: _set(nato_book(p / "n.xlsx", GOOD_NATO), "TABLE3", 6, 5, 2024), "2024 is an estimate in one table and not in another"),
    "percent above 100": (lambda p: nato_book(p / "n.xlsx", {"Poland": {2023: (250.0, 1.0, 1.0, 20.0)}}), "defexp_share_gdp_pct 250 for POL 2023 is outside 0-100"),
    "text in a figure": (lambda p: nato_book(p / "n.xlsx", {"Poland": {2023: ("4,1", 1.0, 1.0, 20.0)}}), "TABLE3' cell D8: '4,1' is neither a number"),
    "no year row": (lambda p: _set(_set(_set(nato_book(p / "n.xlsx", GOOD_NATO), "TABLE2", 6, 4, "a"), "TABLE2", 6, 5, "b"), "TABLE2", 6, 6, "c"), "TABLE2' has no year row"),
    "an ally twice": (lambda p: _set(nato_book(p / "n.xlsx", {"Poland": GOOD_NATO["Poland*"], "Spain": GOOD_NATO["Poland*"]}), "TABLE3", 9, 3, "Poland"), "lists 'Poland' twice"),
}


@pytest.mark.parametrize("case", list(BAD_NATO), ids=list(BAD_NATO))
def test_a_bad_nato_file_is_refused_whole(case: str, seeds: Path, tmp_path: Path, capsys) -> None:
    make, message = BAD_NATO[case]
    book = make(tmp_path)
    before = digest(seeds)
    code = refresh.main(["--nato", str(book), "--seeds", str(seeds), "--db", str(tmp_path / "s.duckdb")])
    err = capsys.readouterr().err
    assert code == 2 and message in err, err
    assert "Traceback" not in err
    assert digest(seeds) == before


def test_one_bad_file_of_two_refuses_both(seeds: Path, tmp_path: Path, capsys) -> None:
    bad = nato_book(tmp_path / "n.xlsx", {"Poland": {2023: ("x", 1.0, 1.0, 20.0)}})
    before = digest(seeds)
    assert refresh.main(["--sipri", str(SIPRI_FILE), "--nato", str(bad), "--seeds", str(seeds), "--db", str(tmp_path / "s.duckdb")]) == 2
    assert digest(seeds) == before


def test_a_large_file_and_a_long_sheet_are_refused_before_reading(tmp_path: Path, monkeypatch) -> None:
    book = sipri_book(tmp_path / "big.xlsx", GOOD_SIPRI)
    monkeypatch.setattr(publishers, "MAX_FILE_BYTES", 1000)
    with pytest.raises(PublisherFileError, match="larger than"):
        read_sipri_milex(book)
    monkeypatch.setattr(publishers, "MAX_FILE_BYTES", 20 * 1024 * 1024)
    monkeypatch.setattr(publishers, "MAX_SHEET_ROWS", 5)
    with pytest.raises(PublisherFileError, match="more than 5 rows"):
        read_sipri_milex(book)


def test_a_hostile_name_comes_back_short_and_printable(tmp_path: Path) -> None:
    hostile = "[click](http://evil.example)\u202e\u200b" + "A" * 5000  # markdown, bidi override, zero-width
    book = sipri_book(tmp_path / "h.xlsx", {"Poland": {2024: (hostile, 1.0, 1.0)}})
    with pytest.raises(PublisherFileError) as info:
        read_sipri_milex(book)
    message = str(info.value)
    assert len(message) <= publishers.MAX_MESSAGE
    assert "\u202e" not in message and "\u200b" not in message and "A" * 100 not in message


def test_no_arguments_is_a_clear_refusal(capsys) -> None:
    assert refresh.main([]) == 2
    assert "give --sipri FILE, --nato FILE or both" in capsys.readouterr().err
