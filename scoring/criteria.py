"""The criteria of the America First Arms Transfer Strategy screen, and the named weight presets.

Each criterion says what it measures, which group of the executive order it serves, whether more
is better (benefit) or worse (cost), its unit, where its raw value comes from, and whether it is an
analyst judgement rather than a published figure. Raw values are read from a feature table (one
column per ``feature``); ``transform='log'`` compresses heavy-tailed magnitudes (spending in US$,
troop counts, TIV) before normalisation so that one giant does not flatten everyone else, and
``bounds`` clip a value to a policy-relevant range: spending above NATO's 5% goal earns no
further credit (otherwise Ukraine's war-time 34% of GDP would compress every other partner
towards zero), and a five-year trend counts within ±2 points.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Direction = Literal["benefit", "cost"]
Transform = Literal["none", "log"]

GROUPS: tuple[str, ...] = (
    "Defense investment",
    "Strategic value",
    "Economic security",
    "Risk",
)


@dataclass(frozen=True)
class Criterion:
    """One scoring criterion."""

    key: str
    name: str
    group: str
    direction: Direction
    unit: str
    feature: str
    source: str
    description: str
    transform: Transform = "none"
    judgement: bool = False
    bounds: tuple[float, float] | None = None  # clip raw values to this range before normalising
    year_feature: str | None = None  # feature holding the year each raw value refers to (staleness)


CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "share_gdp", "Defense spending, % of GDP", "Defense investment", "benefit", "% of GDP",
        "share_gdp", "SIPRI Milex 2025 (latest year, 2024 for most) or NATO (2025 estimates)",
        "Military expenditure as a share of GDP in the latest year on record (spending basis chosen in the "
        "sidebar); counts up to NATO's 5% goal.",
        bounds=(0.0, 5.0), year_feature="share_year",
    ),
    Criterion(
        "share_trend", "Spending trend (5-year change)", "Defense investment", "benefit",
        "percentage points", "share_trend", "SIPRI Milex 2025 / NATO 2024 tables",
        "Change in the share of GDP over the last five years (counted within ±2 points): rising investment counts.",
        bounds=(-2.0, 2.0), year_feature="share_year",
    ),
    Criterion(
        "spend_abs", "Absolute defense spending", "Defense investment", "benefit",
        "US$ m, constant 2023", "spend_abs", "SIPRI Milex 2025",
        "Size of the defence budget (log-scaled): a large budget buys more and sustains US lines.",
        transform="log", year_feature="sipri_year",
    ),
    Criterion(
        "equipment_share", "Equipment share of defense spending", "Defense investment", "benefit",
        "% of defence expenditure", "equipment_share", "NATO defence expenditure tables (June 2024)",
        "Major equipment and related R&D as a share of defence spending (NATO allies only; 20% guideline).",
        year_feature="equipment_year",
    ),
    Criterion(
        "pledge_gap", "Distance to pledge", "Defense investment", "cost", "percentage points",
        "pledge_gap", "NATO Hague summit (5% by 2035) and national pledges",
        "How far the latest share of GDP is below the partner's stated target (0 if already above).",
        year_feature="share_year",
    ),
    Criterion(
        "frontline", "Frontline geography", "Strategic value", "benefit", "score 0-5",
        "frontline_exposure",
        "Measured: distance to the nearest adversary territory (country outlines); analyst judgement if chosen",
        "Exposure to a US adversary (Russia, Belarus, PRC, DPRK, Iran): 5 at a shared border, falling "
        "linearly to 0 at 2,000 km (measured from the outlines); or the analyst's 0-5 judgement of the "
        "contested front, if the sidebar says so.",
    ),
    Criterion(
        "us_plans_role", "Role in US plans and operations", "Strategic value", "benefit",
        "score 0-5", "us_plans_role", "Analyst judgement (Nov 2026)",
        "Hosts US headquarters, logistics hubs or forces that US plans depend on.",
        judgement=True,
    ),
    Criterion(
        "basing_access", "Basing and access", "Strategic value", "benefit", "score 0-5",
        "basing_measure",
        "Analyst judgement (Nov 2026); or measured from the Vine list of US bases (~2018), if chosen",
        "Formal US basing and access agreements (permanent bases, DCA/EDCA sites, rotations), judged 0-5; "
        "or measured: 5 × log(1 + US sites) / log(1 + 50), capped at 5 (50 or more listed sites = 5).",
        judgement=True, year_feature="basing_year",
    ),
    Criterion(
        "us_presence", "US troops present", "Strategic value", "benefit", "personnel",
        "us_troops", "DMDC (Dec 2025) and press estimates of rotational presence",
        "US military personnel in the country (approximate presence incl. rotational where known, else DMDC assigned), log-scaled.",
        transform="log",
    ),
    Criterion(
        "interoperability", "Interoperability with US systems", "Strategic value", "benefit",
        "score 0-5", "interoperability", "Analyst judgement (Nov 2026)",
        "How far the partner's forces run US systems and NATO standards.",
        judgement=True,
    ),
    Criterion(
        "us_arms_purchases", "US arms purchases (5-year TIV)", "Economic security", "benefit",
        "TIV m (volume, not price)", "us_tiv_recent", "SIPRI Arms Transfers Database (Feb 2026)",
        "Volume of US arms delivered over the last five years (2020-2024), log-scaled.",
        transform="log",
    ),
    Criterion(
        "us_import_share", "US share of arms imports", "Economic security", "benefit", "%",
        "us_import_share", "SIPRI Arms Transfers Database (Feb 2026)",
        "Share of the partner's arms imports (TIV, 2020-2024) that came from the United States.",
    ),
    Criterion(
        "industrial_investment", "Investment in US production", "Economic security", "benefit",
        "score 0-5", "industrial_investment", "Analyst judgement (Nov 2026)",
        "Capital brought into US production lines, co-production or licence production of US systems.",
        judgement=True,
    ),
    Criterion(
        "governance", "Freedom House score", "Risk", "benefit", "score 0-100", "fh_total",
        "Freedom House, Freedom in the World 2025",
        "Political rights and civil liberties (higher = freer). Legal basis for weighing human rights: the "
        "Conventional Arms Transfer policy (NSPM-10, re-adopted by EO 14268) and the Arms Export Control Act; "
        "EO 14383 itself sets no human-rights test.",
        year_feature="fh_data_year",
    ),
    Criterion(
        "end_use_risk", "End-use / diversion risk", "Risk", "cost", "score 0-5", "end_use_risk",
        "Analyst judgement (Nov 2026)",
        "Risk of diversion, misuse or technology leakage (higher = riskier).",
        judgement=True,
    ),
)

CRITERION_KEYS: tuple[str, ...] = tuple(c.key for c in CRITERIA)
JUDGED_COLUMNS: tuple[str, ...] = (
    "frontline", "us_plans_role", "basing_access", "interoperability", "industrial_investment", "end_use_risk",
)
"""The analyst-judgement columns of the store (``strategic_assessment``), editable by the analyst.
``frontline`` is used only when the frontline source is 'judged' (the measured distance by default)."""
BASING_SOURCES: dict[str, str] = {
    "judged": "Analyst judgement of basing and access agreements",
    "measured": "Measured from the Vine list of US bases (~2018)",
}
BASING_FULL_SITES = 50
"""Listed US sites at which measured basing reaches 5 of 5 (Germany, Japan, South Korea, Italy exceed it)."""
STALE_RULES: dict[str, str] = {
    "flag": "Flag stale figures, keep them",
    "missing": "Treat stale figures as missing",
}
DEFAULT_STALE_YEARS = 5
FRONTLINE_SOURCES: dict[str, str] = {
    "measured": "Measured from geography (distance to adversary territory)",
    "judged": "Analyst judgement of the contested front",
}
CRITERIA_BY_KEY: dict[str, Criterion] = {c.key: c for c in CRITERIA}


@dataclass(frozen=True)
class Preset:
    """A named weight set with its rationale.

    Weights are relative (only their ratios matter) and chosen as whole numbers 0–20 so that each
    preset is exactly reproducible with the dashboard's sliders.
    """

    key: str
    name: str
    rationale: str
    weights: dict[str, float]
    fcfs: bool = False


def _group_equal(group_weights: dict[str, float]) -> dict[str, float]:
    """Spread each group's weight equally over its criteria."""
    weights: dict[str, float] = {}
    for group, total in group_weights.items():
        members = [c.key for c in CRITERIA if c.group == group]
        for key in members:
            weights[key] = total / len(members)
    return weights


PRESETS: tuple[Preset, ...] = (
    Preset(
        "eo",
        "America First EO",
        "The February 2026 order: own defence investment first, then strategic value and buying "
        "American; human rights and end use kept with a small weight.",
        {
            # 42% investment, 30% strategic value, 18% economic security, 10% risk.
            "share_gdp": 20, "share_trend": 10, "spend_abs": 6, "equipment_share": 4, "pledge_gap": 2,
            "frontline": 12, "us_plans_role": 6, "basing_access": 5, "us_presence": 3,
            "interoperability": 4,
            "us_arms_purchases": 6, "us_import_share": 5, "industrial_investment": 7,
            "governance": 5, "end_use_risk": 5,
        },
    ),
    Preset(
        "fcfs",
        "First-come-first-served",
        "The pre-2026 rule: no partner weighting, orders are served in contract order.",
        {key: 0.0 for key in CRITERION_KEYS},
        fcfs=True,
    ),
    Preset(
        "balanced",
        "Balanced",
        "Each of the four groups counts a quarter, split equally within the group.",
        _group_equal({g: 30.0 for g in GROUPS}),  # 6 per investment/strategic, 10 economic, 15 risk
    ),
    Preset(
        "strategic",
        "Strategic value only",
        "Geography, US plans, basing, presence and interoperability only: what a partner offers "
        "the US militarily, regardless of what it spends or buys.",
        _group_equal({"Strategic value": 50.0}),
    ),
    Preset(
        "human_rights",
        "Human-rights first",
        "Governance and end-use risk dominate; investment and strategy still count.",
        {
            # governance 20/61 ≈ 33%, end-use risk 15/61 ≈ 25%, the other 13 criteria 2 each.
            **_group_equal({"Defense investment": 10.0, "Strategic value": 10.0, "Economic security": 6.0}),
            "governance": 20.0, "end_use_risk": 15.0,
        },
    ),
)

PRESETS_BY_KEY: dict[str, Preset] = {p.key: p for p in PRESETS}
DEFAULT_PRESET = "eo"
