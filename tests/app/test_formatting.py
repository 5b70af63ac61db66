"""Figures shown in metrics: one sign convention, a true minus sign, no "−0.0", no "None"."""

from __future__ import annotations

import math

import pytest

from ui.widgets import signed, whole


@pytest.mark.parametrize(
    ("value", "digits", "shown"),
    [
        (-1.04, 1, "\u22121.0"),  # U+2212 MINUS SIGN, not the ASCII hyphen
        (2.36, 1, "+2.4"),
        (-0.04, 1, "0.0"),  # rounds to zero: no sign, never "−0.0"
        (0.0, 2, "0.00"),
        (-12.345, 2, "\u221212.35"),
        (None, 1, "—"),
        (math.nan, 1, "—"),
    ],
)
def test_signed_figures(value: object, digits: int, shown: str) -> None:
    assert signed(value, digits) == shown
    assert "-" not in signed(value, digits)


def test_whole_numbers_in_tables() -> None:
    assert whole(None) == "—" and whole(math.nan) == "—"
    assert whole(3.6) == "4" and signed(2, 0) == "+2"  # a signed whole number (a rank change)
    assert signed(-2.2, 0) == "\u22122" and signed(0.4, 0) == signed(-0.4, 0) == "0"
    assert whole(-3) == "-3"  # unsigned cells (ranks) are never negative; no special sign there
