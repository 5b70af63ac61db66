"""Exports neutralise spreadsheet formulas in every text cell (OWASP CSV injection)."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from ui.export import csv_bytes, safe_cell, safe_frame


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\r=1+1", "' =1+1"),
        ("a\r\n=1", "a  =1"),
        ("-12.5", "-12.5"),
        ("Poland", "Poland"),
    ],
)
def test_formula_prefixes_are_quoted(raw, expected) -> None:
    assert safe_cell(raw) == expected


def test_csv_records_never_split_and_numbers_stay_numbers() -> None:
    frame = pd.DataFrame({"name": ["\r=1+1", "ok"], "units": [-3, 4]})
    out = pd.read_csv(io.BytesIO(csv_bytes(frame, ["name", "units"])))
    assert len(out) == 2 and out["units"].tolist() == [-3, 4]
    assert out["name"].tolist() == ["' =1+1", "ok"]
    assert safe_frame(frame)["units"].tolist() == [-3, 4]


def test_the_scenario_sheet_lists_every_setting_of_every_part_on_its_own_row() -> None:
    from dataclasses import fields

    from scoring.scenario import PARTS, Scenario
    from ui.export import scenario_sheet

    scenario = Scenario((("share_gdp", 20.0),)).changed(policy="fair_share", hr_floor=30.0)
    sheet = dict(zip(scenario_sheet(scenario, "custom", "?w_share_gdp=20")["parameter"],
                     scenario_sheet(scenario, "custom", "?w_share_gdp=20")["value"], strict=True))
    for part, cls in PARTS:
        for setting in fields(cls):
            assert f"{part}.{setting.name}" in sheet
    assert sheet["delivery_rules.policy"] == "fair_share" and sheet["gates.hr_floor"] == "30.0"
    assert sheet["weight.share_gdp"] == "20.0" and sheet["link"] == "?w_share_gdp=20" and sheet["book"] == "store"
    assert not any(isinstance(value, str) and value.startswith(("Method(", "DeliveryRules(")) for value in sheet.values())
