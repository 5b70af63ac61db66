"""Who US law lets buy: each partner's eligibility on a date, from dated legal rules.

Rules come from the store's ``eligibility`` table (22 CFR 126.1, State Sponsors of Terrorism, UN
Security Council arms embargoes), one row per partner and rule with an effective period. On a date
a partner's status is the most severe status among the rules in force:

- ``'denied'`` — a policy of denial with no carve-out for arms sales (126.1(d)(1), Russia, State
  Sponsors of Terrorism, Afghanistan since 2021). Denied partners are never scored, ranked, tiered
  or queued: they are listed apart with the rule and its citation.
- ``'restricted'`` — case-by-case review only (the other 126.1(d)(2) countries, partial UN
  embargoes, Cyprus once its suspension lapses). Scored, flagged everywhere, optionally held.
- ``'eligible'`` — no rule in force (or only a rule that lifts a restriction, e.g. Cambodia's
  removal, Cyprus's suspension while it runs).

A rule in force on ``as_of`` has ``effective_from <= as_of`` (or no start) and
``as_of <= effective_to`` (or no end). Dates are ISO strings ``YYYY-MM-DD``; comparing them as
strings is comparing them as dates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["ELIGIBILITY_STATUSES", "EligibilityRule", "PartnerEligibility", "eligibility_on"]

ELIGIBILITY_STATUSES: tuple[str, ...] = ("eligible", "restricted", "denied")
_SEVERITY = {status: i for i, status in enumerate(ELIGIBILITY_STATUSES)}


@dataclass(frozen=True)
class EligibilityRule:
    """One legal rule for one partner, with its effective period (ISO dates or None)."""

    iso3: str
    rule_id: str
    status: str
    scope: str
    effective_from: str | None
    effective_to: str | None
    rule: str
    citation: str
    citation_url: str

    def in_force(self, as_of: str) -> bool:
        """True when the rule applies on ``as_of`` (ISO date)."""
        started = self.effective_from is None or self.effective_from <= as_of
        not_ended = self.effective_to is None or as_of <= self.effective_to
        return started and not_ended


@dataclass(frozen=True)
class PartnerEligibility:
    """A partner's status on a date and the rules in force that decide it (most severe first)."""

    iso3: str
    status: str
    rules: tuple[EligibilityRule, ...]

    @property
    def reason(self) -> str:
        """The deciding rules in plain text, e.g. '22 CFR 126.1(d)(1) policy of denial'."""
        deciding = [r for r in self.rules if r.status == self.status]
        return "; ".join(f"{r.rule} ({r.scope})" for r in deciding)


def eligibility_on(rules: Sequence[EligibilityRule], as_of: str) -> dict[str, PartnerEligibility]:
    """Every partner named by a rule in force on ``as_of``, with its status.

    Partners without a rule in force are eligible and are not in the result.

    Raises
    ------
    ValueError
        A rule with an unknown status or an effective period that ends before it starts.
    """
    by_partner: dict[str, list[EligibilityRule]] = {}
    for rule in rules:
        if rule.status not in _SEVERITY:
            raise ValueError(f"Unknown eligibility status {rule.status!r} ({rule.iso3} {rule.rule_id})")
        if rule.effective_from and rule.effective_to and rule.effective_to < rule.effective_from:
            raise ValueError(f"Rule {rule.iso3} {rule.rule_id} ends before it starts")
        if rule.in_force(as_of):
            by_partner.setdefault(rule.iso3, []).append(rule)
    out: dict[str, PartnerEligibility] = {}
    for iso3, active in by_partner.items():
        active.sort(key=lambda r: (-_SEVERITY[r.status], r.rule_id))
        out[iso3] = PartnerEligibility(iso3, active[0].status, tuple(active))
    return out


NATO_PLUS_FIVE_EXTRA: tuple[str, ...] = ("AUS", "ISR", "JPN", "KOR", "NZL")
"""AECA section 36 (22 U.S.C. 2776): NATO members plus Japan, Australia, South Korea, Israel and New
Zealand get the shorter congressional review and the higher notification thresholds."""
REFERENCE_TIERS: tuple[str, ...] = ("NATO+5", "Major Non-NATO Ally", "Other partner")


def reference_tier(iso3: str, nato_member: bool, mnna: bool) -> str:
    """The statutory reference tier: NATO+5 (AECA s.36), else Major Non-NATO Ally, else other."""
    if nato_member or iso3 in NATO_PLUS_FIVE_EXTRA:
        return REFERENCE_TIERS[0]
    if mnna:
        return REFERENCE_TIERS[1]
    return REFERENCE_TIERS[2]
