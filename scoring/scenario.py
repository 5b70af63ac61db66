"""The scenario: every analyst choice that changes a result, as one hashable value.

A scenario is composed of small frozen parts, each owned by the step of the chain that reads it:

- ``weights`` — the criterion weights (all zero = first-come-first-served);
- ``method`` (:class:`Method`) — how criteria are measured and scored: normalisation, missing values,
  spending basis, the frontline and basing sources, coverage and stale-figure rules;
- ``tier_rule`` (:class:`scoring.tiers.TierRule`) — how tiers are cut;
- ``gates`` (:class:`scoring.gates.GateConfig`) — which partners or orders are held;
- ``delivery_rules`` (:class:`scoring.delivery.DeliveryRules`) — allocation policy, fence, notified
  orders, what a hold means;
- ``production`` (:class:`Production`) — the time axis, the domestic share of output and a
  partner-funded capacity investment;
- the analyst's hypothetical orders and edited judgements, and which order book and store version.

Results are cached by the scenario, so every part is frozen and hashable. ``changed`` returns a copy
with some settings changed by name, each name routed to the one part that declares it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any, Literal, NamedTuple

from scoring.criteria import DEFAULT_STALE_YEARS
from scoring.delivery import DeliveryRules
from scoring.engine import MissingRule, Normalisation
from scoring.features import SpendingBasis
from scoring.gates import GateConfig
from scoring.tiers import TierRule

__all__ = ["PARTS", "PART_OF", "Investment", "Method", "Production", "Scenario"]

FrontlineSource = Literal["measured", "judged"]
BasingSource = Literal["judged", "measured"]
StaleRule = Literal["flag", "missing"]


@dataclass(frozen=True)
class Method:
    """How the criteria are measured and turned into scores."""

    normalisation: Normalisation = "minmax"
    missing: MissingRule = "worst"
    basis: SpendingBasis = "nato"
    frontline_source: FrontlineSource = "measured"  # geography, or the analyst's judgement
    basing_source: BasingSource = "judged"  # the analyst's judgement, or Vine's list of US bases
    min_coverage: float = 0.6  # share of the weight that must rest on observed data to be tiered
    stale_years: int = DEFAULT_STALE_YEARS  # a figure older than this (before the start year) is stale
    stale_rule: StaleRule = "flag"  # keep and flag, or treat as missing


class Investment(NamedTuple):
    """A partner funding extra output of one line: from Q1 of ``year``, ``units`` more a year."""

    line_id: str
    partner: str  # ISO3 of the funder
    units: float
    year: int


@dataclass(frozen=True)
class Production:
    """The time axis and what limits output: the domestic share and a funded expansion."""

    domestic_share: float = 0.3  # share of output kept for US forces where no share is published
    start_year: int = 2026
    start_quarter: int = 1
    horizon_quarters: int = 160
    investment: Investment | None = None
    funder_share: float = 0.0  # share of the funded output reserved for the funder's own orders

    @property
    def start(self) -> tuple[int, int]:
        return self.start_year, self.start_quarter


@dataclass(frozen=True)
class Scenario:
    """Every analyst choice that changes a result; hashable, so results can be cached by it."""

    weights: tuple[tuple[str, float], ...]
    method: Method = field(default_factory=Method)
    tier_rule: TierRule = field(default_factory=TierRule)
    gates: GateConfig = field(default_factory=GateConfig)
    delivery_rules: DeliveryRules = field(default_factory=DeliveryRules)
    production: Production = field(default_factory=Production)
    # Hypothetical orders of the delivery-date quote: (iso3, line_id, units, signature date YYYY-MM-DD).
    hypothetical: tuple[tuple[str, str, float, str], ...] = ()
    overrides: tuple[tuple[str, str, float], ...] = ()  # analyst edits: (iso3, judgement criterion, score 0–5)
    book: str = "store"  # which order book: the store's, or the key of an analyst's upload
    data_version: int = 0  # the store file's version: a rebuilt store is a new scenario for every cache

    @property
    def weight_map(self) -> dict[str, float]:
        return dict(self.weights)

    @property
    def fcfs_mode(self) -> bool:
        """True when no criterion has weight: no partner weighting at all."""
        return sum(w for _, w in self.weights) <= 0

    def changed(self, **settings: Any) -> Scenario:
        """A copy with ``settings`` changed: a part by its name (``tier_rule=...``) or one setting of a
        part by the setting's own name (``policy='fair'``, ``start_year=2027``).

        Raises
        ------
        TypeError
            A name no part declares.
        """
        own = {f.name for f in fields(self)}
        top = {k: v for k, v in settings.items() if k in own}
        parts: dict[str, dict[str, Any]] = {}
        for name, value in settings.items():
            if name in own:
                continue
            part = PART_OF.get(name)
            if part is None:
                raise TypeError(f"No scenario setting is called {name!r}")
            parts.setdefault(part, {})[name] = value
        for part, values in parts.items():
            top[part] = replace(top.get(part, getattr(self, part)), **values)
        return replace(self, **top)


PARTS: tuple[tuple[str, type], ...] = (
    ("method", Method), ("tier_rule", TierRule), ("gates", GateConfig), ("delivery_rules", DeliveryRules),
    ("production", Production),
)
PART_OF: dict[str, str] = {setting.name: part for part, cls in PARTS for setting in fields(cls)}
"""Which part declares each setting (names are unique across parts; checked in the unit tests)."""
