"""Uploaded order books: accepted exactly as given, or rejected whole with every problem listed."""

from __future__ import annotations

import pytest

from data.upload import UploadError, parse_order_book

PARTNERS = {"POL", "GEO", "XKX"}
LINES = {"pac3_mse", "javelin"}


def test_a_valid_book_is_kept_exactly() -> None:
    text = b"iso3,line_id,units,contract_date,value_busd\npol,pac3_mse,100,2024-01-31,0.4\nGEO,javelin,12.5,2025-06-01,\n"
    book = parse_order_book(text, PARTNERS, LINES)
    assert book["iso3"].tolist() == ["POL", "GEO"]
    assert book["units"].tolist() == [100.0, 12.5]
    assert book["order_id"].tolist() == [1, 2]
    assert str(book["contract_date"].iloc[0]) == "2024-01-31"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\xff\xfe\x00garbage", "readable CSV|Missing column"),
        (b"country,units\nPOL,3\n", "Unknown column|Missing column"),
        (b"iso3,line_id,units,contract_date\n", "no orders"),
        (b"iso3,line_id,units,contract_date\nZZZ,javelin,5,2024-01-01\n", "Unknown partner code\\(s\\) ZZZ \\(row 2\\)"),
        (b"iso3,line_id,units,contract_date\nPOL,laser,5,2024-01-01\n", "Unknown production line"),
        (b"iso3,line_id,units,contract_date\nPOL,javelin,-5,2024-01-01\n", "above 0"),
        (b"iso3,line_id,units,contract_date\nPOL,javelin,five,2024-01-01\n", "finite numbers"),
        (b"iso3,line_id,units,contract_date\nPOL,javelin,5,31/01/2024\n", "YYYY-MM-DD"),
        (b"order_id,iso3,line_id,units,contract_date\n1,POL,javelin,5,2024-01-01\n1,GEO,javelin,5,2024-01-01\n", "unique"),
    ],
)
def test_bad_books_are_rejected_with_a_reason(content: bytes, message: str) -> None:
    with pytest.raises(UploadError, match=message):
        parse_order_book(content, PARTNERS, LINES)


def test_every_problem_is_listed_at_once() -> None:
    content = b"iso3,line_id,units,contract_date\nZZZ,laser,-1,2024-13-01\n"
    with pytest.raises(UploadError) as info:
        parse_order_book(content, PARTNERS, LINES)
    assert len(info.value.problems) == 4



# Hostile and malformed files (found by trying the hosted app as an attacker would): each is
# refused with a bounded message that names the problem — never a traceback, never accepted.
HEADER = b"order_id,iso3,line_id,units,contract_date,value_busd\n"
HOSTILE = [
    (b"iso3,line_id,units,contract_date,\nPOL,javelin,5,2024-01-01,\n", "Unknown column|trailing commas"),
    (b"iso3,line_id,units,contract_date\nPOL,javelin,5,2024-01-01,extra\n", "extra fields"),
    (b"iso3,line_id,units,contract_date\n" + b"POL,javelin,5,2024-01-01" + b",x" * 30_000 + b"\n", "extra fields"),
    (HEADER + b"inf,POL,javelin,5,2024-01-01,\n", "order_id must be whole"),
    (HEADER + b"1e30,POL,javelin,5,2024-01-01,\n" + b"1.0000001e30,GEO,javelin,5,2024-01-01,\n", "order_id must be whole"),
    (HEADER + b"1,POL,javelin,5,-001-01-01,\n", "YYYY-MM-DD"),
    (HEADER + b"1,POL,javelin,5,1789-07-14,\n", "between 1990 and 2040"),
    (HEADER + b"1,POL,javelin,inf,2024-01-01,\n", "finite numbers"),
    (HEADER + b"1,POL,javelin,1e15,2024-01-01,\n", "at most 1,000,000"),
    (HEADER + b"1,POL,javelin,1e308,2024-01-01,\n", "at most 1,000,000"),
    (HEADER + b"1,POL,javelin,nan,2024-01-01,\n", "finite numbers"),
    (HEADER + b"1,POL,javelin,5,2024-01-01,inf\n", "value_busd"),
    (HEADER + b"1,POL,javelin,5,2024-01-01,-1\n", "value_busd"),
    (b"iso3,line_id,units,contract_date,bogus\nPOL,javelin,5,2024-01-01,1\n", "Unknown column"),
    (HEADER + b"1," + b"A" * 1_000_000 + b",javelin,5,2024-01-01,\n", "at most 200 characters"),
    (b"x" * 6_000_000, "limit is 5 MB"),
    (b"iso3,line_id,units,contract_date\n" + b"POL,javelin,5,2024-01-01\n" * 20_001, "limit is 20,000"),
    (HEADER + b"1,=cmd|' /C calc'!A0,javelin,5,2024-01-01,\n", "Unknown partner"),
    (HEADER + b"1,POL,[x](http://evil),5,2024-01-01,\n", "Unknown production line"),
]


@pytest.mark.parametrize(("content", "message"), HOSTILE, ids=[f"hostile-{i}" for i in range(len(HOSTILE))])
def test_hostile_files_are_refused_with_a_bounded_message(content: bytes, message: str) -> None:
    with pytest.raises(UploadError, match=message) as info:
        parse_order_book(content, PARTNERS, LINES)
    assert all(len(p) <= 240 for p in info.value.problems)
    assert len(info.value.problems) <= 12


def test_every_value_rule_is_one_check_of_one_schema_and_all_failures_are_reported() -> None:
    """Three rows, three different problems: the pandera schema reports each with its row and rule,
    in one pass (lazy validation), and the messages name the spreadsheet rows."""
    content = (
        b"iso3,line_id,units,contract_date,value_busd\n"
        b"POL,javelin,5,2024-01-01,\n"         # row 2: fine
        b"POL,nosuchline,5,2024-01-01,\n"      # row 3: unknown line
        b"POL,javelin,0,2024-01-01,\n"         # row 4: units not above 0
        b"POL,javelin,5,2024-13-01,2000\n"     # row 5: no such month, value above the bound
    )
    with pytest.raises(UploadError) as info:
        parse_order_book(content, PARTNERS, LINES)
    problems = info.value.problems
    assert problems == [
        "Unknown production line(s) nosuchline (row 3).",
        "Units must be finite numbers above 0 and at most 1,000,000 (row 4).",
        "Contract dates must be YYYY-MM-DD between 1990 and 2040 (row 5).",
        "value_busd must be a number from 0 to 1,000 or empty (row 5).",
    ]


def test_a_failure_without_its_own_message_still_refuses_the_file() -> None:
    """Safety net: a failed check the message table does not know (here: a column the strict schema
    does not expect) is reported, never ignored."""
    import pandas as pd

    from data.upload import _problems, _schema

    parsed = pd.DataFrame({"iso3": ["POL"], "line_id": ["javelin"], "units": [1.0], "contract_date": [pd.Timestamp("2024-01-01")],
                           "date_written": [True], "order_id_text": ["1"], "order_id": [1], "value_busd": [float("nan")],
                           "value_given": [False], "smuggled": ["x"]})
    problems = _problems(parsed, _schema(PARTNERS, LINES, {}), {})
    assert len(problems) == 1 and problems[0].startswith("Column")


def test_an_upload_runs_through_the_stores_own_sql(store_path) -> None:  # noqa: ANN001 - pytest fixture
    """The upload is read by the same itemised_orders SQL as open_orders: the same columns in the same
    order, partner and line names joined from the store, the upload's own units, values and dates, no
    "other customers" blocks; and the view it was registered as is gone for every other cursor."""
    import duckdb

    from data import queries
    from data.store import connect
    from data.upload import uploaded_open_orders

    text = b"iso3,line_id,units,contract_date,value_busd,description\nPOL,javelin,500,2025-03-01,0.1,x\nGEO,javelin,100,2024-01-31,0.02,\n"
    con = connect(store_path, read_only=True)
    try:
        store = queries.run(con, "open_orders")
        book = parse_order_book(text, set(store["iso3"].dropna()) | {"GEO"}, set(store["line_id"]))
        orders = uploaded_open_orders(con, book, "mine.csv")
        assert list(orders.columns) == list(store.columns)
        # FCFS order within the line: Georgia signed first.
        assert orders["partner"].tolist() == ["Georgia", "Poland"]
        assert orders["units_open"].tolist() == [100, 500]
        assert orders["value_busd"].tolist() == [0.02, 0.1]
        assert [str(d)[:10] for d in orders["contract_date"]] == ["2024-01-31", "2025-03-01"]
        assert set(orders["platform"]) == set(store.loc[store["line_id"] == "javelin", "platform"])
        assert not orders["is_block"].any() and not orders["date_assumed"].any()
        assert set(orders["source_urls"]) == {"analyst upload: mine.csv"}
        with pytest.raises(duckdb.CatalogException):
            con.cursor().execute("SELECT * FROM uploaded_order")
    finally:
        con.close()
