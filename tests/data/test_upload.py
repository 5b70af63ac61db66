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
        (b"country,units\nPOL,3\n", "Missing column"),
        (b"iso3,line_id,units,contract_date\n", "no orders"),
        (b"iso3,line_id,units,contract_date\nZZZ,javelin,5,2024-01-01\n", "Unknown partner code\\(s\\) ZZZ \\(row 2\\)"),
        (b"iso3,line_id,units,contract_date\nPOL,laser,5,2024-01-01\n", "Unknown production line"),
        (b"iso3,line_id,units,contract_date\nPOL,javelin,-5,2024-01-01\n", "greater than 0"),
        (b"iso3,line_id,units,contract_date\nPOL,javelin,five,2024-01-01\n", "must be numbers"),
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
