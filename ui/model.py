"""Cached scenario runs for the pages, and the tidy tables they show.

Query results become the pure pipeline's array inputs once per process; each scenario (a
hashable value built from the sidebar) is run once and cached, so moving a slider back to a
previous position is free and every page of a session shares one run.

The derived tables are cached as shared resources (no copy per access, which ``st.cache_data``
would make by unpickling on every call): they are read-only by contract — pages filter, assign
and merge into new frames and never write into a cached one.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from scoring import report
from scoring.coverage import INSUFFICIENT
from scoring.criteria import CRITERIA
from scoring.delivery import POLICIES
from scoring.eligibility import REFERENCE_TIERS, reference_tier
from scoring.pipeline import (
    DENSE_LIMIT_ORDERS, Scenario, ScenarioResult, priority_completions, run_scenario,
)
from scoring.schedule import quarter_labels
from scoring.tiers import TIER_SHORT
from ui import data
from ui.books import pipeline_inputs, scenario_book
from ui.cache import CACHE_DRAWS, scenario_cache

FCFS_TIER = "—"
NOT_ITEMISED_TIER = "Not itemised"  # the "other customers" backlog block of a line


@scenario_cache()
def scenario_result(scenario: Scenario) -> ScenarioResult:
    """Run (once) and cache one scenario. Raises ValueError for an invalid scenario."""
    partners, lines = pipeline_inputs()
    _, book = scenario_book(scenario)
    return run_scenario(partners, book, lines, scenario)


def run(scenario: Scenario) -> ScenarioResult:
    """The scenario's result, or a clear message and a stopped page if it is invalid."""
    try:
        return scenario_result(scenario)
    except ValueError as exc:
        st.error(f"This scenario cannot be computed: {exc}")
        st.stop()


@scenario_cache()
def ranking_table(scenario: Scenario) -> pd.DataFrame:
    """One row per partner: score, rank, tier, distances, TOPSIS cross-check, gate decision."""
    result = scenario_result(scenario)
    features = data.partner_features()
    frame = features[["iso3", "name", "analyst_region", "nato_member", "mnna", "lat", "lon", "eligibility",
                      "eligibility_reason"]].copy()
    # Columns are gathered first and joined once: one DataFrame assignment costs about a millisecond.
    cols: dict[str, object] = {
        "reference_tier": [
            reference_tier(code, bool(nato), bool(mnna))
            for code, nato, mnna in zip(features["iso3"], features["nato_member"].fillna(False),
                                        features["mnna"].fillna(False), strict=True)
        ],
    }
    ranking = result.ranking
    n = len(frame)
    if ranking is None:
        cols |= {"score": np.zeros(n), "rank": np.full(n, np.nan), "tier": [FCFS_TIER] * n, "tier_num": np.zeros(n, dtype=int),
                 "points_to_next": np.full(n, np.nan), "topsis_rank": np.full(n, np.nan)}
    else:
        cols |= {
            "score": ranking.scores.score,
            "rank": ranking.scores.rank,
            "tier_num": ranking.tiers.tier,
            "tier": [TIER_SHORT[t] for t in ranking.tiers.tier],
            "points_to_next": ranking.tiers.points_to_next,
            "topsis_rank": ranking.cross.topsis_rank,
            "missing_criteria": ranking.scores.missing.sum(axis=1),
            "coverage": 100 * ranking.coverage.share,
            "worst_score": ranking.coverage.worst_score,
            "queue_score": ranking.coverage.queue_score,
            "tier_capped": ranking.coverage.capped,
        }
    cols |= {
        "held": result.partner_gates.held,
        "gate_note": list(result.partner_gates.reasons),
        "gate_flagged": result.partner_gates.flagged,  # not held: a gate lacked data, or restricted by law
    }
    if result.stale is not None:
        names = np.array([c.name for c in result.matrix.criteria], dtype=object)
        cols["stale_inputs"] = [", ".join(names[row]) for row in result.stale]
    frame = pd.concat([frame, pd.DataFrame(cols, index=frame.index)], axis=1)
    return frame.sort_values(["rank", "name"]).reset_index(drop=True)


@scenario_cache()
def reference_crosstab(scenario: Scenario) -> pd.DataFrame:
    """Partners per (statutory reference tier × model tier)."""
    ranking = ranking_table(scenario)
    # groupby + unstack: pd.crosstab's table (same labels, order and int64 counts) at a third of the cost.
    table = ranking.groupby(["reference_tier", "tier"], observed=True).size().unstack("tier", fill_value=0)
    order = [t for t in REFERENCE_TIERS if t in table.index]
    return table.reindex(order).rename_axis(index="Statutory tier", columns="Model tier")


@scenario_cache()
def contributions_table(scenario: Scenario) -> pd.DataFrame:
    """Long table: partner × criterion with raw value, normalised value, weight, contribution."""
    result = scenario_result(scenario)
    if result.ranking is None:
        return pd.DataFrame()
    s = result.ranking.scores
    n, m = s.raw.shape
    return pd.DataFrame(
        {
            "iso3": np.repeat(np.array(s.partners), m),
            "criterion": np.tile([c.key for c in s.criteria], n),
            "criterion_name": np.tile([c.name for c in s.criteria], n),
            "group": np.tile([c.group for c in s.criteria], n),
            "judgement": np.tile([c.judgement for c in s.criteria], n),
            "unit": np.tile([c.unit for c in s.criteria], n),
            "raw": s.raw.ravel(),
            "normalised": s.normalised.ravel(),
            "used": s.filled.ravel(),
            "weight": s.effective_weights.ravel(),
            "contribution": s.contributions.ravel(),
            "missing": s.missing.ravel(),
        }
    )


@scenario_cache()
def order_table(scenario: Scenario) -> pd.DataFrame:
    """One row per open order: queue positions, delivery quarters under both policies, delay."""
    result = scenario_result(scenario)
    orders = scenario_book(scenario)[0].copy()
    if "hypothetical" not in orders:
        orders["hypothetical"] = False
    ranking = ranking_table(scenario).set_index("iso3")
    comparison = result.comparison
    cols: dict[str, object] = dict(comparison.as_columns())
    start = scenario.production.start
    horizon = comparison.horizon_quarters
    for policy in ("fcfs", "priority"):
        last = comparison.fcfs_last_quarter if policy == "fcfs" else comparison.priority_last_quarter
        first = comparison.fcfs_first_quarter if policy == "fcfs" else comparison.priority_first_quarter
        beyond = comparison.fcfs_beyond_horizon if policy == "fcfs" else comparison.priority_beyond_horizon
        cols[f"{policy}_first"] = quarter_labels(*start, np.minimum(first, horizon - 1))
        labels = quarter_labels(*start, np.minimum(last, horizon - 1))
        cols[f"{policy}_last"] = np.where(beyond, "after " + labels, labels)
    cols["score"] = orders["iso3"].map(ranking["score"]).to_numpy()
    cols["tier"] = orders["iso3"].map(ranking["tier"]).fillna(NOT_ITEMISED_TIER).to_numpy()
    cols["held"] = result.order_gates.held
    cols["gate_reason"] = result.order_gates.reasons
    cols["fcfs_position"] = comparison.fcfs_position + 1
    cols["priority_position"] = comparison.priority_position + 1
    change = comparison.position_change
    cols["move"] = np.select([change > 0, change < 0], ["▲", "▼"], default="=")
    # One join instead of ~25 column assignments (about a millisecond each); a column the book
    # already has (an upload's) is replaced, as an assignment would.
    orders = pd.concat([orders.drop(columns=[c for c in cols if c in orders]), pd.DataFrame(cols, index=orders.index)], axis=1)
    short = {name: report.short_platform(str(name)) for name in orders["platform"].dropna().unique()}
    orders["line_name"] = orders["platform"].map(short)
    return orders


CRITERION_NAMES: dict[str, str] = {c.key: c.name for c in CRITERIA}


@scenario_cache(max_entries=256, copies=True, ttl=None)
def levers_for(scenario: Scenario, iso3: str) -> tuple[str, pd.DataFrame]:
    """Every lever the partner controls and how far it must move to change tier (see scoring.levers)."""
    from scoring.levers import describe_levers, not_tiered_note, tier_levers

    result = scenario_result(scenario)
    if result.ranking is None or iso3 not in result.matrix.partners:
        return "No partner weighting: tiers do not apply.", pd.DataFrame()
    i = result.matrix.partners.index(iso3)
    tier = int(result.ranking.tiers.tier[i])
    if tier == INSUFFICIENT:
        return not_tiered_note(result.ranking.coverage.share[i], scenario.method.min_coverage), pd.DataFrame()
    heading, rows = describe_levers(tier_levers(result.matrix, result.ranking.scores, scenario.tier_rule, tier, i), tier)
    return heading, pd.DataFrame(rows, columns=["lever", "now", "change", "to", "note"])


@scenario_cache(max_entries=CACHE_DRAWS, spinner="Redrawing the weights…")
def _monte_carlo(scenario: Scenario, n_draws: int, spread: float):  # noqa: ANN202 - MonteCarloResult | None
    from scoring.sensitivity import monte_carlo

    result = scenario_result(scenario)
    if result.ranking is None:
        return None
    return monte_carlo(result.ranking.scores, scenario.tier_rule, n_draws=n_draws, spread=spread)


@scenario_cache()
def robustness(scenario: Scenario, n_draws: int = 1000, spread: float = 0.5) -> pd.DataFrame:
    """Rank spread and tier stability per partner over perturbed weights (Monte Carlo)."""
    result = scenario_result(scenario)
    mc = _monte_carlo(scenario, n_draws, spread)
    if mc is None or result.ranking is None:
        return pd.DataFrame()
    ranking = ranking_table(scenario).set_index("iso3")
    frame = pd.DataFrame(
        {
            "iso3": list(result.ranking.scores.partners),
            "rank": result.ranking.scores.rank,
            "rank_p05": mc.rank_p05,
            "rank_median": mc.rank_median,
            "rank_p95": mc.rank_p95,
            "same_tier_share": mc.same_tier_share,
            "tier1_share": mc.tier_share[:, 0],
        }
    )
    frame["name"] = frame["iso3"].map(ranking["name"])
    frame["tier"] = frame["iso3"].map(ranking["tier"])
    return frame.sort_values("rank").reset_index(drop=True)


@scenario_cache()
def backlog_by(scenario: Scenario, group: str, line: str | None = None) -> pd.DataFrame:
    """Remaining order value (US$ bn) per group ('tier' or 'analyst_region') and year, both policies,
    for every line or for one ``line`` (``scoring.report.burn_down``)."""
    empty = pd.DataFrame(columns=["year", "remaining", "group", "policy"])
    result = scenario_result(scenario)
    _, book = scenario_book(scenario)
    schedules = {"fcfs": result.comparison.fcfs_per_quarter, "policy": result.comparison.priority_per_quarter}
    if len(book.units) > DENSE_LIMIT_ORDERS or any(delivered is None for delivered in schedules.values()):
        return empty
    orders = order_table(scenario)
    keep = np.ones(len(orders), dtype=bool) if line is None else (orders["line_id"] == line).to_numpy()
    keep &= orders["competing"].to_numpy(dtype=bool)
    names, codes = np.unique(orders[group].astype(str).to_numpy()[keep], return_inverse=True)
    burn = report.burn_down(
        tuple(delivered[keep] for delivered in schedules.values()), orders["units_open"].to_numpy(dtype=float)[keep],
        orders["value_busd"].to_numpy(dtype=float, na_value=np.nan)[keep], codes, len(names),
        scenario.production.start_year, scenario.production.start_quarter,
    )
    frames = [
        pd.DataFrame({"year": burn.years, "remaining": remaining[i], "group": name, "policy": policy})
        for policy, remaining in zip(schedules, burn.remaining, strict=True) for i, name in enumerate(names)
    ]
    return pd.concat(frames, ignore_index=True) if frames else empty


@scenario_cache()
def region_rollup(scenario: Scenario, first_quarters: int = 8) -> pd.DataFrame:
    """Per analyst region: share of capacity delivered in the first N quarters (value), mean delay
    change vs FCFS (quarters, value-weighted), value in the top third of each line's queue, and the
    mean partner score."""
    result = scenario_result(scenario)
    _, book = scenario_book(scenario)
    if len(book.units) > DENSE_LIMIT_ORDERS:
        return pd.DataFrame()
    orders = order_table(scenario)
    value_per_unit = report.value_per_unit(orders["value_busd"].to_numpy(dtype=float, na_value=np.nan), orders["units_open"].to_numpy(dtype=float))
    schedules = (result.comparison.fcfs_per_quarter, result.comparison.priority_per_quarter)
    if any(delivered is None for delivered in schedules):
        return pd.DataFrame()
    early_fcfs, early_priority = (report.early_value(delivered, value_per_unit, first_quarters) for delivered in schedules)
    names, codes = np.unique(orders["analyst_region"].astype(str).to_numpy(), return_inverse=True)
    rolled = report.group_rollup(
        codes, len(names), orders["value_busd"].to_numpy(dtype=float, na_value=np.nan), orders["delay_quarters"].to_numpy(dtype=float),
        early_fcfs, early_priority, report.top_of_queue(orders["priority_position"].to_numpy(dtype=float), orders["line_id"].to_numpy()),
    )
    rollup = pd.DataFrame(
        {
            "orders": rolled.orders, "value_busd": rolled.value, "early_fcfs": rolled.early_fcfs,
            "early_priority": rolled.early_priority, "top_value": rolled.top_value, "mean_delay": rolled.mean_delay,
            "early_share_fcfs": rolled.early_share_fcfs, "early_share_priority": rolled.early_share_priority,
            "early_share_change": rolled.early_share_change, "value_weighted_delay": rolled.value_weighted_delay,
        },
        index=pd.Index(names, name="analyst_region"),
    )
    # Every region appears, also those with no open order (their delivery figures stay empty).
    mean_score = ranking_table(scenario).groupby("analyst_region")["score"].mean().rename("mean_score")
    rollup = rollup.join(mean_score, how="right").fillna({"orders": 0, "value_busd": 0.0})
    return rollup.rename_axis("analyst_region").reset_index()


@scenario_cache(copies=True)
def what_changed(scenario: Scenario) -> str:
    """A one-paragraph summary of the scenario, generated from the numbers."""
    result = scenario_result(scenario)
    orders = order_table(scenario)
    orders = orders[orders["competing"]] if "competing" in orders else orders
    ranking = ranking_table(scenario)
    if result.ranking is None:
        return report.what_changed(len(orders), None, 0, 0, 0, None, None, 0, None)
    delay = orders["delay_quarters"].to_numpy(dtype=float)
    best, worst = report.extreme_moves(orders["partner"].to_numpy(), orders["platform"].to_numpy(), delay, delay < 0, delay > 0)
    return report.what_changed(
        competing=len(orders), leaders=ranking.head(5)["name"].tolist(), tier1=int((ranking["tier_num"] == 1).sum()),
        earlier=int((delay < 0).sum()), later=int((delay > 0).sum()), best=best, worst=worst,
        held=int(result.order_gates.held.sum()), cross_verdict=result.ranking.cross.verdict(),
    )


def value_weighted_moves(orders: pd.DataFrame) -> pd.DataFrame:
    """Per partner: value-weighted mean change in completion (quarters; negative = earlier) and value."""
    names, codes = np.unique(orders["partner"].astype(str).to_numpy(), return_inverse=True)
    value, delay, count = report.value_weighted_delay(
        orders["value_busd"].to_numpy(dtype=float, na_value=np.nan), orders["delay_quarters"].to_numpy(dtype=float), codes, len(names)
    )
    per_partner = pd.DataFrame({"partner": names, "value": value, "orders": count, "delay_quarters": delay})
    return per_partner.dropna(subset=["delay_quarters"]).reset_index(drop=True)


@scenario_cache(max_entries=CACHE_DRAWS, spinner="Rescheduling every weight draw…")
def delivery_robustness(scenario: Scenario, n_draws: int = 1000, spread: float = 0.5) -> pd.DataFrame:
    """Per order: the priority-rule completion quarter across the weight draws of ``robustness``.

    Gate decisions are held at the unperturbed scenario's (a held order stays held in every draw).
    Empty in FCFS mode and for books above ``DENSE_LIMIT_ORDERS``.
    """
    result = scenario_result(scenario)
    mc = _monte_carlo(scenario, n_draws, spread)
    _, lines = pipeline_inputs()
    _, book = scenario_book(scenario)
    last = None if mc is None or scenario.delivery_rules.policy != "priority" else priority_completions(book, lines, result, scenario, mc.scores)
    if last is None:
        return pd.DataFrame()
    competing = result.comparison.competing
    low, high, p_earlier = report.delivery_spread(last[:, competing], result.comparison.fcfs_last_quarter[competing], 5, 95)
    start = scenario.production.start
    orders = order_table(scenario)[competing]
    horizon = result.comparison.horizon_quarters
    return pd.DataFrame(
        {
            "order_id": orders["order_id"].to_numpy(),
            "partner": orders["partner"].to_numpy(),
            "platform": orders["platform"].to_numpy(),
            "line_name": orders["line_name"].to_numpy(),
            "priority_last": orders["priority_last"].to_numpy(),
            "range": np.char.add(np.char.add(quarter_labels(*start, np.minimum(low, horizon - 1)).astype(str), " – "),
                                 quarter_labels(*start, np.minimum(high, horizon - 1)).astype(str)),
            "spread_quarters": high - low,
            "p_earlier_than_fcfs": p_earlier,
        }
    ).sort_values(["spread_quarters", "order_id"], ascending=[False, True])


def delivery_quote(scenario: Scenario) -> tuple[pd.DataFrame, pd.DataFrame]:
    """For each hypothetical order: first and last delivery quarter under FCFS and under every
    allocation policy; and the real orders it displaces under the current policy (by how much)."""
    from dataclasses import replace

    from scoring.compare import order_changes

    if not scenario.hypothetical:
        return pd.DataFrame(), pd.DataFrame()
    rows = None
    for policy, label in POLICIES.items():
        table = order_table(scenario.changed(policy=policy))
        mine = table[table["hypothetical"]]
        if rows is None:
            rows = mine[["order_id", "partner", "platform", "units_open", "contract_date", "fcfs_first", "fcfs_last"]].copy()
        rows[f"{label}: first"] = mine["priority_first"].to_numpy()
        rows[f"{label}: last"] = mine["priority_last"].to_numpy()
    with_quote = order_table(scenario)
    without = order_table(replace(scenario, hypothetical=()))
    changes = order_changes(
        with_quote["order_id"].to_numpy(), with_quote["priority_last_quarter"].to_numpy(), with_quote["competing"].to_numpy(dtype=bool),
        without["order_id"].to_numpy(), without["priority_last_quarter"].to_numpy(), without["competing"].to_numpy(dtype=bool),
    )
    before = without.set_index("order_id")["priority_last"]
    displaced = with_quote.loc[changes.moved, ["order_id", "partner", "platform", "priority_last"]].rename(
        columns={"priority_last": "priority_last_after"})
    displaced.insert(3, "priority_last_before", displaced["order_id"].map(before).to_numpy())
    displaced["slip_quarters"] = changes.change[changes.moved]
    return rows.reset_index(drop=True), displaced.sort_values("slip_quarters", ascending=False, kind="stable").reset_index(drop=True)


@scenario_cache()
def partner_deltas(scenario: Scenario, reference: Scenario) -> pd.DataFrame:
    """Per partner of ``scenario``: rank and tier in ``reference``, rank change (+ = up), tier change."""
    from scoring.compare import partner_changes

    now, ref = ranking_table(scenario), ranking_table(reference)
    changes = partner_changes(
        tuple(now["iso3"]), now["rank"].to_numpy(dtype=float), now["tier_num"].to_numpy(dtype=np.int64),
        tuple(ref["iso3"]), ref["rank"].to_numpy(dtype=float), ref["tier_num"].to_numpy(dtype=np.int64),
    )
    ref_tier = ref.set_index("iso3")["tier"]
    return pd.DataFrame(
        {
            "iso3": now["iso3"].to_numpy(),
            "ref_rank": changes.reference_rank,
            "rank_change": changes.rank_change,
            "ref_tier": now["iso3"].map(ref_tier).fillna("—").to_numpy(),
            "tier_change": changes.tier_change,
            "changed": changes.changed,
        }
    )


@scenario_cache()
def order_deltas(scenario: Scenario, reference: Scenario) -> pd.DataFrame:
    """Per order of ``scenario``: its completion quarter under the reference and the change
    (quarters; negative = earlier than in the reference)."""
    from scoring.compare import order_changes

    now, ref = order_table(scenario), order_table(reference)
    changes = order_changes(
        now["order_id"].to_numpy(), now["priority_last_quarter"].to_numpy(), now["competing"].to_numpy(dtype=bool),
        ref["order_id"].to_numpy(), ref["priority_last_quarter"].to_numpy(), ref["competing"].to_numpy(dtype=bool),
    )
    return pd.DataFrame(
        {
            "order_id": now["order_id"].to_numpy(),
            "ref_last": ref.set_index("order_id")["priority_last"].reindex(now["order_id"]).fillna("—").to_numpy(),
            "change_vs_ref": np.where(changes.comparable, changes.change, np.nan),
            "moved_vs_ref": changes.moved,
        }
    )


@scenario_cache(copies=True)
def reference_summary(scenario: Scenario, reference: Scenario, label: str) -> str:
    """One sentence on what changed against the reference: tiers, orders, regions."""
    if scenario == reference:
        return report.reference_summary(label, None, [], 0, 0, None, None)
    partners = partner_deltas(scenario, reference)
    orders = order_deltas(scenario, reference)
    ranking = ranking_table(scenario).set_index("iso3")
    tier_moves = partners[partners["tier_change"] != 0]
    moves = [(str(ranking.loc[r.iso3, "name"]), str(r.ref_tier), str(ranking.loc[r.iso3, "tier"])) for r in tier_moves.itertuples()]
    table = order_table(scenario)
    moved = orders["moved_vs_ref"].to_numpy(dtype=bool)
    best, worst = report.extreme_moves(table["partner"].to_numpy(), table["platform"].to_numpy(),
                                       orders["change_vs_ref"].to_numpy(dtype=float), moved, moved)
    return report.reference_summary(label, len(tier_moves), moves, int(moved.sum()), int(orders["change_vs_ref"].notna().sum()), best, worst)


@scenario_cache(max_entries=8, ttl=None)
def robustness_run(scenario: Scenario, n_draws: int, spread: float, seed: int):  # noqa: ANN201 - RobustnessResult | None
    """Dirichlet Monte Carlo of ranks and tiers (cached per scenario and settings)."""
    from scoring.coverage import CoverageRule
    from scoring.robustness import robustness

    result = scenario_result(scenario)
    if result.ranking is None:
        return None
    return robustness(result.ranking.scores, scenario.tier_rule, CoverageRule(scenario.method.min_coverage), n_draws, spread, seed)


@scenario_cache(max_entries=8, ttl=None)
def stability(scenario: Scenario) -> tuple[list[tuple[float, float, float]], list[tuple[float, float, float]]]:
    """Weight stability intervals of the scenario's ranking (cached): per criterion, the share of the
    weight over which the top 10 stays the same set, and over which every tier stays as it is."""
    from scoring.coverage import CoverageRule
    from scoring.robustness import stability_intervals

    result = scenario_result(scenario)
    if result.ranking is None:
        return [], []
    coverage = CoverageRule(scenario.method.min_coverage)
    return (stability_intervals(result.ranking.scores, scenario.tier_rule, coverage, hold="top"),
            stability_intervals(result.ranking.scores, scenario.tier_rule, coverage, hold="tiers"))


@scenario_cache(max_entries=8, ttl=None)
def delivery_draws(scenario: Scenario, n_draws: int, spread: float, seed: int) -> np.ndarray | None:
    """Strict-priority completion quarter of every order (columns) in every draw (rows)."""
    rob = robustness_run(scenario, n_draws, spread, seed)
    if rob is None:
        return None
    _, lines = pipeline_inputs()
    _, book = scenario_book(scenario)
    return priority_completions(book, lines, scenario_result(scenario), scenario, rob.queue_scores)


def contribution_columns() -> list[str]:
    return [f"points_{c.key}" for c in CRITERIA]


@scenario_cache()
def contributions_wide(scenario: Scenario) -> pd.DataFrame:
    """Per partner: each criterion's contribution to the score (points), one column each."""
    long = contributions_table(scenario)
    if long.empty:
        return pd.DataFrame({"iso3": []})
    wide = long.pivot(index="iso3", columns="criterion", values="contribution")
    return wide.rename(columns=lambda k: f"points_{k}").reset_index()


@scenario_cache(max_entries=16, ttl=None)
def order_tornado(scenario: Scenario, change: float) -> np.ndarray | None:
    """(m, 2, n_orders): strict-priority completion quarter of every order with each weight alone
    changed by −/+ ``change`` (the others rescaled)."""
    from scoring.robustness import tornado_weights
    from scoring.sensitivity import scores_for_weights

    result = scenario_result(scenario)
    if result.ranking is None:
        return None
    _, lines = pipeline_inputs()
    _, book = scenario_book(scenario)
    scores = scores_for_weights(result.ranking.scores, tornado_weights(result.ranking.scores.weights, change))
    last = priority_completions(book, lines, result, scenario, scores)
    return None if last is None else last.reshape(-1, 2, last.shape[1])
