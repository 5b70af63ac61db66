"""A corpus of hostile inputs — files, link parameters, names and text — each asserting the message,
its bounded length, and that the store is unchanged.

Written as an attacker and a careless user would try the hosted dashboard: formulas, markdown
links and images, HTML, SQL, path traversal, control characters, look-alike Unicode digits and
letters, huge and non-finite numbers, impossible dates, oversized fields. Generated cases come from
one table per input; hypothesis adds random text. Other hostile cases live beside the code they
guard (tests/data/test_upload.py, tests/data/test_scenarios.py, tests/app/test_pages.py).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from data.upload import MAX_FIELD, UploadError, parse_order_book

PARTNERS = {"POL", "GEO", "XKX"}
LINES = {"javelin", "pac3_mse"}
COLUMNS = ["order_id", "iso3", "line_id", "units", "contract_date", "value_busd", "description"]
BASE = {"order_id": "1", "iso3": "POL", "line_id": "javelin", "units": "5", "contract_date": "2024-01-01",
        "value_busd": "0.1", "description": "ok"}
MAX_MESSAGE = 240

PARTNER = "Unknown partner code"
LINE = "Unknown production line"
UNITS = "Units must be finite numbers above 0"
DATE = "Contract dates must be YYYY-MM-DD between 1990 and 2040"
ORDER_ID = "order_id must be whole numbers"
VALUE = "value_busd must be a number from 0 to 1,000"
LONG = f"at most {MAX_FIELD} characters"
TEXTS = ["=1+1", "+SUM(A1)", "@A1", "-1", "\t=1", "=cmd|' /C calc'!A0", "=HYPERLINK(\"http://evil\")",
         "[Sign in again](http://evil)", "![b](http://evil/b.png)", "<script>alert(1)</script>", "' OR 1=1 --",
         "x'); DROP TABLE arms_order; --", "../../etc/passwd", "%00", "{{7*7}}", "${jndi:ldap://evil}", "P\u200bOL",
         "ＰＯＬ", "\"POL\"\"\"", "RUS", "PO", "POLAND", ""]
FILE_CASES: list[tuple[str, str, str]] = (
    [("iso3", text, PARTNER) for text in TEXTS]
    + [("iso3", "A" * (MAX_FIELD + 1), LONG)]
    + [("line_id", text, LINE) for text in TEXTS + ["laser", "javelin\x00", "JAVELIN ", "pac3-mse"]]
    + [("line_id", "A" * (MAX_FIELD + 1), LONG)]
    + [("units", text, UNITS) for text in
       ["inf", "-inf", "nan", "NaN", "Infinity", "1e309", "0", "-0", "-5", "1e7", "1000000.5", "1e15", "1e308",
        "0x10", "1_000", "١٢٣", "٥", "", "5e-400", "true", "=5", "5 units", "five", "[5](http://evil)"]]
    + [("contract_date", text, DATE) for text in
       ["2024-02-30", "2024-13-01", "2024-00-10", "20240101", "2024-01-01T00:00", "0000-01-01", "-001-01-01",
        "9999-12-31", "1989-12-31", "2041-01-01", "", "=TODAY()", "2024/01/01", "01/02/2024", "١٩٩٠-٠١-٠١",
        "2024-1-1", " 2024-01-01", "2024-01-01 ", "[2024-01-01](http://evil)"]]
    + [("order_id", text, ORDER_ID) for text in
       ["1.5", "-1", "abc", "1e30", "1.0000001e30", "9223372036854775808", "1234567890123", "inf", "nan", "",
        "+1", "1_0", "١", "=1", "0x1"]]
    + [("value_busd", text, VALUE) for text in ["inf", "-inf", "-1", "1e12", "1001", "nan", "abc", "=1", "0x1", "1e308"]]
    + [("description", "A" * (MAX_FIELD + 1), LONG)]
)


def _file(**changes: str) -> bytes:
    row = {**BASE, **changes}
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerow([row[c] for c in COLUMNS])
    return buffer.getvalue().encode()


def _refused(content: bytes, message: str) -> list[str]:
    with pytest.raises(UploadError) as info:
        parse_order_book(content, PARTNERS, LINES)
    problems = info.value.problems
    assert any(re.search(message, p) for p in problems), problems
    assert 1 <= len(problems) <= 12 and all(len(p) <= MAX_MESSAGE for p in problems), problems
    assert "/work" not in str(info.value) and "Traceback" not in str(info.value)
    return problems


@pytest.fixture(scope="module", autouse=True)
def store_is_unchanged(store_path: Path):
    """Nothing in this corpus may change the store: its bytes are the same after every case."""
    before = hashlib.sha256(store_path.read_bytes()).hexdigest()
    yield
    assert hashlib.sha256(store_path.read_bytes()).hexdigest() == before


@pytest.mark.parametrize(("column", "value", "message"), FILE_CASES,
                         ids=[f"{c}-{i}" for i, (c, _, _) in enumerate(FILE_CASES)])
def test_a_hostile_field_refuses_the_whole_file(column: str, value: str, message: str) -> None:
    _refused(_file(**{column: value}), message)


@pytest.mark.parametrize("text", ["=cmd|' /C calc'!A0", "[x](http://evil)", "\r=1+1", "<b>bold</b>", "+-@\t"])
def test_free_text_descriptions_are_kept_exactly_as_text(text: str) -> None:
    """A description is the analyst's own text: kept byte for byte (escaped on display, formula
    prefixes neutralised in exports — tests/unit/test_export_safety.py), never interpreted."""
    book = parse_order_book(_file(description=text), PARTNERS, LINES)
    assert book["description"].tolist() == [text]


STRUCTURE = [
    (b"\xef\xbb\xbf" + _file(), None),  # a BOM from Excel is fine
    ("\ufeff".encode("utf-16") + _file().decode().encode("utf-16-le"), "readable CSV|Missing column|Unknown column"),
    (_file().replace(b"\n", b"\r\n"), None),  # Windows line ends are fine
    (b"order_id,iso3,line_id,units,contract_date\n1,\"POL,javelin,5,2024-01-01\n", "Missing|extra|readable|Unknown partner"),
    (b"iso3;line_id;units;contract_date\nPOL;javelin;5;2024-01-01\n", "Missing column|Unknown column"),
    (b"\x00" * 64, "readable CSV|Missing column|Unknown column"),
    (b"iso3,iso3,line_id,units,contract_date\nPOL,POL,javelin,5,2024-01-01\n", "duplicate|Duplicate|Unknown column"),
    (b"ISO3,LINE_ID,UNITS,CONTRACT_DATE\nPOL,javelin,5,2024-01-01\n", None),
    (b"iso3,line_id,units,contract_date\n" + b"\n" * 50 + b"POL,javelin,5,2024-01-01\n", None),
    (b"=cmd|' /C calc'!A0,line_id,units,contract_date\nPOL,javelin,5,2024-01-01\n", "Unknown column|Missing column"),
    (b"iso3,line_id,units,contract_date\n" + b"POL,javelin,5,2024-01-01\n" * 20 + b"POL,javelin,5\n", "contract date|YYYY-MM-DD|Missing|fields"),
]


@pytest.mark.parametrize(("content", "message"), STRUCTURE, ids=[f"structure-{i}" for i in range(len(STRUCTURE))])
def test_malformed_structure_is_refused_or_read_exactly(content: bytes, message: str | None) -> None:
    if message is None:
        book = parse_order_book(content, PARTNERS, LINES)
        assert book["iso3"].tolist() == ["POL"] * len(book) and set(book["units"]) == {5.0}
    else:
        _refused(content, message)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60), st.sampled_from(["iso3", "line_id", "units", "contract_date", "order_id", "value_busd"]))
def test_random_text_in_any_field_is_refused_or_read_exactly(text: str, column: str) -> None:
    """Any text in any field: either the file is refused with bounded messages, or it was valid and
    the value read back is the one written (no clipping, no guessing)."""
    content = _file(**{column: text})
    try:
        book = parse_order_book(content, PARTNERS, LINES)
    except UploadError as exc:
        assert 1 <= len(exc.problems) <= 12 and all(len(p) <= MAX_MESSAGE for p in exc.problems)
        return
    row = book.iloc[0]
    if column == "iso3":
        assert row["iso3"] == text.strip().upper() and row["iso3"] in PARTNERS
    elif column == "line_id":
        assert row["line_id"] == text.strip() and row["line_id"] in LINES
    elif column == "units":
        assert 0 < row["units"] <= 1_000_000 and float(text) == row["units"]
    elif column == "contract_date":
        assert row["contract_date"].isoformat() == text
    elif column == "order_id":
        assert str(row["order_id"]) == text.strip().lstrip("0") or (row["order_id"] == 0 and set(text.strip()) == {"0"})
    else:
        assert (text.strip() == "" and row["value_busd"] != row["value_busd"]) or float(text) == row["value_busd"]


# ------------------------------------------------------------------------------------------------
# Link parameters: every hostile value falls back to the field's default with a bounded, escaped
# notice, and the scenario the page computes from the result is always valid.
# ------------------------------------------------------------------------------------------------

HOSTILE_VALUES = ["", "x" * 100_000, "[Sign in again](http://evil)", "![b](http://evil/b.png)", "<img src=x onerror=alert(1)>",
                  "nan", "inf", "-1", "1e308", "٥", "=cmd|' /C calc'!A0", "\r\n=1+1", "$\\LaTeX$", "None"]
LINK_FIELDS = ["w_share_gdp", "tier_top_pts", "tier_top_share", "gate_eu_ceiling", "min_coverage", "preset",
               "as_of", "fence", "policy", "hypo", "ref", "edits", "invest_units", "normalisation"]
LINK_CASES = [(f, v) for f in LINK_FIELDS for v in HOSTILE_VALUES[:6]] + [(f, v) for f in LINK_FIELDS[:6] for v in HOSTILE_VALUES[6:]]


@pytest.mark.parametrize(("field", "text"), LINK_CASES, ids=[f"link-{i}" for i in range(len(LINK_CASES))])
def test_a_hostile_link_value_falls_back_with_a_bounded_escaped_note(field: str, text: str) -> None:
    from ui import state
    from ui.widgets import plain

    key = state.OVERRIDES_KEY if field == "edits" else state.HYPO_KEY if field == "hypo" else field
    parsed, rejected = state.parse_params({key: text})
    notice = plain("Some link parameters were invalid and were replaced by their defaults: " + "; ".join(rejected), limit=1500)
    assert len(notice) <= 1500 and all(len(r) <= 200 for r in rejected)
    assert not re.search(r"(?<!\\)\]\(", notice) and not re.search(r"(?<!\\)<", notice)  # no live link, image or tag
    assert "$" not in notice.replace("\\$", "")  # no LaTeX from a dollar sign
    state.scenario_of(parsed)  # whatever was accepted, a page can compute
    if rejected:
        assert parsed[key] == state.FIELDS_BY_KEY[key].default or key == "preset"


@settings(max_examples=120, deadline=None)
@given(st.dictionaries(st.text(max_size=30), st.text(max_size=80), max_size=8))
def test_random_link_parameters_never_break_the_scenario(params: dict[str, str]) -> None:
    from ui import state
    from ui.widgets import plain

    parsed, rejected = state.parse_params(params)
    notice = plain("; ".join(rejected), limit=1500)
    assert len(notice) <= 1500 and not re.search(r"(?<!\\)\]\(", notice)
    state.scenario_of(parsed)


# ------------------------------------------------------------------------------------------------
# Names and notes of saved scenarios: bounded and refused with a reason, or kept exactly as text.
# ------------------------------------------------------------------------------------------------

NAMES = [("", "needs a name"), ("   ", "needs a name"), ("\t\r\n", "needs a name"), ("x" * 81, "at most 80"),
         ("x" * 10_000, "at most 80")]
TEXT_NAMES = ["x'); DROP TABLE saved_scenario; --", "[Sign in](http://evil)", "![b](http://evil/b.png)",
              "<script>alert(1)</script>", "=cmd|' /C calc'!A0", "$x$", "ＰＯＬ vs 🇵🇱", "a\u0000b"]


@pytest.mark.parametrize(("name", "message"), NAMES, ids=[f"name-{i}" for i in range(len(NAMES))])
def test_a_bad_scenario_name_is_refused_with_a_bounded_message(tmp_path: Path, name: str, message: str) -> None:
    from data.scenarios import DuckDBScenarioStore, ScenarioError

    with pytest.raises(ScenarioError, match=message) as info:
        DuckDBScenarioStore(tmp_path / "s.duckdb").save(name, "", {}, "v")
    assert len(str(info.value)) <= 120


@pytest.mark.parametrize("name", TEXT_NAMES, ids=[f"text-name-{i}" for i in range(len(TEXT_NAMES))])
def test_a_hostile_scenario_name_is_stored_as_text_and_shown_escaped(tmp_path: Path, name: str) -> None:
    from data.scenarios import DuckDBScenarioStore
    from ui.widgets import plain

    store = DuckDBScenarioStore(tmp_path / "s.duckdb")
    saved = store.save(name, name, {"w_frontline": "20"}, "v")
    again = store.get(saved.scenario_id)
    assert again.name == " ".join(name.split()) and again.notes == name.strip().replace("\r\n", "\n").replace("\r", "\n")
    shown = plain(again.name, 80)
    assert not re.search(r"(?<!\\)\]\(", shown) and "<script>" not in shown
