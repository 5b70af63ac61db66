"""Eligibility on a date from dated legal rules (scoring.eligibility)."""

from __future__ import annotations

import pytest

from scoring.eligibility import EligibilityRule, eligibility_on, reference_tier


def rule(iso3: str, rule_id: str, status: str, start: str | None = None, end: str | None = None) -> EligibilityRule:
    return EligibilityRule(iso3, rule_id, status, "scope", start, end, f"rule {rule_id}", "cite", "https://example.org")


# Cyprus: 22 CFR 126.1(r) suspended 1 Oct 2025 - 30 Sep 2026 (FR 2025-17287); the statutory denial
# returns when the suspension lapses. Cambodia: (d)(2) from 9 Dec 2021, removed 7 Nov 2025 (FR 2025-19822).
RULES = [
    rule("CYP", "suspension", "eligible", "2025-10-01", "2026-09-30"),
    rule("CYP", "lapse", "restricted", "2026-10-01"),
    rule("KHM", "d2", "restricted", "2021-12-09", "2025-11-06"),
    rule("KHM", "removed", "eligible", "2025-11-07"),
    rule("IRN", "d1", "denied"),
    rule("IRN", "un", "denied", "2025-09-28"),
    rule("IRQ", "d2", "restricted"),
    rule("IRQ", "x", "denied", "2030-01-01"),
]


def test_cyprus_is_eligible_while_the_suspension_runs_and_restricted_after() -> None:
    assert eligibility_on(RULES, "2026-05-01")["CYP"].status == "eligible"
    assert eligibility_on(RULES, "2026-09-30")["CYP"].status == "eligible"
    assert eligibility_on(RULES, "2026-10-01")["CYP"].status == "restricted"


def test_cambodia_is_restricted_until_its_removal() -> None:
    assert eligibility_on(RULES, "2024-01-01")["KHM"].status == "restricted"
    assert eligibility_on(RULES, "2025-11-06")["KHM"].status == "restricted"
    assert eligibility_on(RULES, "2025-11-07")["KHM"].status == "eligible"


def test_the_most_severe_rule_in_force_decides() -> None:
    now = eligibility_on(RULES, "2026-10-01")
    assert now["IRN"].status == "denied"
    assert [r.rule_id for r in now["IRN"].rules] == ["d1", "un"]
    assert now["IRQ"].status == "restricted"  # the denial only starts in 2030
    assert eligibility_on(RULES, "2030-01-01")["IRQ"].status == "denied"
    assert "rule d1" in now["IRN"].reason


def test_partners_without_a_rule_in_force_are_not_listed() -> None:
    assert "POL" not in eligibility_on(RULES, "2026-10-01")
    assert "CYP" not in eligibility_on(RULES, "2024-01-01")  # no rule for Cyprus in force before Oct 2025


def test_bad_rules_are_refused() -> None:
    with pytest.raises(ValueError, match="Unknown eligibility status"):
        eligibility_on([rule("X", "a", "maybe")], "2026-01-01")
    with pytest.raises(ValueError, match="ends before it starts"):
        eligibility_on([rule("X", "a", "denied", "2026-01-02", "2026-01-01")], "2026-01-01")


def test_reference_tiers_follow_aeca_section_36_and_the_mnna_list() -> None:
    assert reference_tier("POL", True, False) == "NATO+5"
    assert reference_tier("JPN", False, True) == "NATO+5"  # an MNNA too, but NATO+5 comes first
    assert reference_tier("NZL", False, True) == "NATO+5"
    assert reference_tier("MAR", False, True) == "Major Non-NATO Ally"
    assert reference_tier("GEO", False, False) == "Other partner"
