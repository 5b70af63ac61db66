"""The scenario value: small frozen parts, and ``changed`` routing a setting to the part that declares it."""

from __future__ import annotations

from dataclasses import fields

import pytest

from scoring.delivery import DeliveryRules
from scoring.gates import GateConfig
from scoring.scenario import PARTS, Investment, Method, Production, Scenario
from scoring.tiers import TierRule

WEIGHTS = (("share_gdp", 1.0),)


def test_each_setting_name_belongs_to_one_part() -> None:
    names = [f.name for _, cls in PARTS for f in fields(cls)]
    assert len(names) == len(set(names))
    assert {part for part, _ in PARTS} <= {f.name for f in fields(Scenario)}


def test_changed_routes_each_setting_to_its_part_and_leaves_the_rest() -> None:
    base = Scenario(WEIGHTS)
    moved = base.changed(policy="fair", start_year=2027, hr_floor=30.0, missing="median", mode="quantile", top=0.1, key=0.5)
    assert moved.delivery_rules == DeliveryRules(policy="fair")
    assert moved.production == Production(start_year=2027)
    assert moved.gates == GateConfig(hr_floor=30.0)
    assert moved.method == Method(missing="median")
    assert moved.tier_rule == TierRule("quantile", 0.1, 0.5)
    assert moved.weights == WEIGHTS and base == Scenario(WEIGHTS), "the original is unchanged"


def test_changed_takes_whole_parts_and_top_level_fields_too() -> None:
    rules = DeliveryRules(policy="tier_share", review_quarters=8)
    moved = Scenario(WEIGHTS).changed(delivery_rules=rules, hypothetical=(("MAR", "javelin", 200.0, "2026-10-01"),))
    assert moved.delivery_rules is rules and len(moved.hypothetical) == 1
    both = Scenario(WEIGHTS).changed(production=Production(start_year=2030), start_quarter=3)
    assert both.production == Production(start_year=2030, start_quarter=3), "a setting applies on top of its new part"


def test_an_unknown_setting_is_refused() -> None:
    with pytest.raises(TypeError, match="tier_mode"):
        Scenario(WEIGHTS).changed(tier_mode="quantile")


def test_scenarios_are_hashable_and_equal_by_value() -> None:
    a = Scenario(WEIGHTS).changed(investment=Investment("thaad", "SAU", 48.0, 2028))
    b = Scenario(WEIGHTS).changed(investment=Investment("thaad", "SAU", 48.0, 2028))
    assert a == b and hash(a) == hash(b) and len({a, b, Scenario(WEIGHTS)}) == 2
    assert a.production.investment is not None and a.production.investment.units == 48.0
    assert Scenario((("share_gdp", 0.0),)).fcfs_mode and not a.fcfs_mode
