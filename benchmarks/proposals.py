"""Measured effect of the fixes proposed for the missed targets (prototypes, benchmark only).

    python -m benchmarks.proposals        # prints a table, writes benchmarks/results/proposals.json

Nothing here changes the app: each prototype re-implements one function the proposed way, next to
the current code, and is timed against it on the same input; where the output must not change,
the check compares them. The prototypes are suggestions for the owners of ``scoring/`` and
``ui/`` (see benchmarks/README.md, "Performance issues found").

- **A. order gates** (``scoring.gates.order_gates``): per-order reason strings built in a Python
  list comprehension and per-order loops → strings built once per partner (two variants: line
  high-sensitivity or not) and picked per order by numpy indexing.
- **B. scoring call** (``scoring.engine.score_partners``): drop the tautological ``np.allclose``
  in ``ScoreResult.__post_init__``, sort partner codes once per matrix, and keep the weight-free
  part (transform → normalise → fill) per matrix and method, so a weight change is a mat-vec.
- **C. charts** (``ui.charts.contribution_bars`` / ``burn_down``): ``plotly.express`` →
  ``plotly.graph_objects`` traces built directly.
- **D. world map** (``ui.charts.world_map``): serve the outlines as a static file and pass the URL
  as ``geojson``, so the figure no longer carries (and validates, copies and serialises) 0.27 MB
  of GeoJSON on every rerun.
- **E. Monte Carlo + schedule**: the batched kernel of ``benchmarks.batched`` (measured in the
  main run, P3).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.measure import time_call

RESULTS = Path(__file__).resolve().parent / "results" / "proposals.json"


# --------------------------------------------------------------------------------------------
# A. order gates
# --------------------------------------------------------------------------------------------


def order_gates_vectorised(order_partner, order_sensitivity, partner_is_ally, partner_score, partners, config):  # noqa: ANN001, ANN201
    """Same result as ``scoring.gates.order_gates`` (held flags and reason strings).

    Every order's reason depends only on its partner and on whether its line is high-sensitivity,
    so the strings are built once per partner (two variants) and picked per order by indexing.
    """
    from scoring.gates import OrderGates

    config.validate()
    idx = np.asarray(order_partner, dtype=int)
    n = len(partners.held)
    base = np.where(partners.held, np.array(partners.reasons, dtype=object), "")
    held_partner = partners.held.copy()
    if config.sensitive_tech_min_score is None:
        return OrderGates(held_partner[idx], tuple(base[idx].tolist()))
    ally = np.asarray(partner_is_ally, dtype=bool)
    score = np.asarray(partner_score, dtype=float)
    low = ally & (score < config.sensitive_tech_min_score)
    if_high = base.copy()
    for i in range(n):  # one pass over partners, not orders
        extra = None
        if not ally[i]:
            extra = "Held: high-sensitivity platform, partner is neither a NATO ally nor an MNNA"
        elif low[i]:
            extra = (f"Held: high-sensitivity platform needs a priority score ≥ {config.sensitive_tech_min_score:.0f} "
                     f"(partner has {score[i]:.1f})")
        if extra:
            if_high[i] = f"{base[i]}; {extra}" if base[i] else extra
    high = np.asarray(order_sensitivity) == "high"
    held = held_partner[idx] | (high & (~ally | low)[idx])
    reasons = np.where(high, if_high[idx], base[idx])
    return OrderGates(held, tuple(reasons.tolist()))


def case_a(quick: bool) -> list[dict[str, Any]]:
    from benchmarks import synthetic
    from scoring.engine import ScoringConfig, score_partners
    from scoring.gates import order_gates, partner_gates

    world = synthetic.synthetic_world(1_000_000, seed=0)
    scenario = synthetic.benchmark_scenario(gates=True)
    matrix = synthetic.synthetic_matrix(world.partners, scenario.basis)
    score = score_partners(matrix, ScoringConfig(scenario.weight_map)).score
    cols = world.partners.columns
    pg = partner_gates(np.asarray(cols["fh_total"], float), np.asarray(cols["end_use_risk"], float), scenario.gates)
    b = world.book
    args = (b.partner_index, b.sensitivity, world.partners.is_ally, score, pg, scenario.gates)
    current = order_gates(*args)
    proposed = order_gates_vectorised(*args)
    same = np.array_equal(current.held, proposed.held) and list(current.reasons) == list(proposed.reasons)
    reps = 3 if quick else 5
    return [
        {"proposal": "A", "case": "scoring.gates.order_gates as it is now, 1M SYNTHETIC orders, gates on", **time_call(lambda: order_gates(*args), reps)},
        {"proposal": "A", "case": "order_gates — vectorised prototype", **time_call(lambda: order_gates_vectorised(*args), reps),
         "identical": same},
    ]


# --------------------------------------------------------------------------------------------
# B. scoring call
# --------------------------------------------------------------------------------------------


class PreparedMatrix:
    """The weight-free part of scoring, kept per (matrix, normalisation, missing rule)."""

    def __init__(self, matrix, normalisation: str, missing: str) -> None:  # noqa: ANN001
        from scoring.engine import fill_missing, normalise, transform

        self.matrix = matrix
        self.normalised = normalise(transform(matrix.raw, matrix.criteria), matrix.criteria, normalisation)
        self.filled, self.observed = fill_missing(self.normalised, missing)
        self.missing_rule = missing
        self.partner_key = np.argsort(np.argsort(np.asarray(matrix.partners)))  # codes sorted once


def score_prepared(prepared: PreparedMatrix, config):  # noqa: ANN001, ANN201
    """Same ScoreResult as ``score_partners`` (without the tautological allclose check)."""
    from scoring.engine import ScoreResult, effective_weights, normalise_weights

    m = prepared.matrix
    weights = normalise_weights(config.weights, m.criteria)
    effective = effective_weights(weights, prepared.observed, prepared.missing_rule)
    contributions = 100.0 * effective * prepared.filled
    score = contributions.sum(axis=-1)
    order = np.lexsort((prepared.partner_key, -np.round(score, 9)))
    rank = np.empty(len(order), dtype=int)
    rank[order] = np.arange(1, len(order) + 1)
    result = object.__new__(ScoreResult)  # skips __post_init__'s allclose (score IS the row sum)
    for name, value in dict(
        partners=m.partners, criteria=m.criteria, weights=weights, raw=m.raw, normalised=prepared.normalised,
        filled=prepared.filled, effective_weights=effective, contributions=contributions, score=score, rank=rank,
        missing=~prepared.observed, config=config,
    ).items():
        object.__setattr__(result, name, value)
    return result


def case_b(quick: bool) -> list[dict[str, Any]]:
    import time

    from benchmarks import baselines, synthetic
    from benchmarks.measure import summarise
    from scoring.engine import ScoringConfig, score_partners, transform

    world = synthetic.synthetic_world(1_000, seed=0)
    matrix = synthetic.synthetic_matrix(world.partners, synthetic.benchmark_scenario().basis)
    keys = [c.key for c in matrix.criteria]
    rng = np.random.default_rng(7)
    weights = rng.uniform(0.5, 20.0, (200, len(keys)))
    configs = [ScoringConfig(dict(zip(keys, w, strict=True))) for w in weights]
    prepared = PreparedMatrix(matrix, "minmax", "worst")
    same = all(
        np.array_equal(score_partners(matrix, c).rank, score_prepared(prepared, c).rank)
        and np.array_equal(score_partners(matrix, c).contributions, score_prepared(prepared, c).contributions)
        for c in configs
    )
    types = np.array([1 if c.direction == "benefit" else -1 for c in matrix.criteria])
    transformed = transform(matrix.raw, matrix.criteria)
    method = baselines.pymcdm_method()
    normalised = weights / weights.sum(axis=1, keepdims=True)
    batches = {
        "score_partners (current)": lambda: [score_partners(matrix, c) for c in configs],
        "prepared matrix + no allclose (prototype)": lambda: [score_prepared(prepared, c) for c in configs],
        "pymcdm WSM (baseline)": lambda: [baselines.pymcdm_scores(method, transformed, w, types) for w in normalised],
    }
    samples: dict[str, list[float]] = {k: [] for k in batches}
    for fn in batches.values():
        fn()
    for _ in range(3 if quick else 7):
        for name, fn in batches.items():
            t = time.perf_counter()
            fn()
            samples[name].append((time.perf_counter() - t) / len(configs))
    rows = [{"proposal": "B", "case": f"scoring call, 200×15: {k}", **summarise(v)} for k, v in samples.items()]
    rows[1]["identical"] = same
    base = summarise(samples["pymcdm WSM (baseline)"])["median_s"]
    for r in rows[:2]:
        r["speedup_vs_pymcdm"] = base / r["median_s"]
    return rows


# --------------------------------------------------------------------------------------------
# C, D. charts
# --------------------------------------------------------------------------------------------


def contribution_bars_go(contrib, names, top: int = 25):  # noqa: ANN001, ANN201
    """``ui.charts.contribution_bars`` with one go.Bar per group instead of px.bar."""
    import plotly.graph_objects as go

    from ui import charts

    totals = contrib.groupby("iso3")["contribution"].sum().sort_values(ascending=False).head(top)
    subset = contrib[contrib["iso3"].isin(totals.index)]
    grouped = subset.groupby(["group", "iso3"], as_index=False)["contribution"].sum()
    order = [names[i] for i in totals.index]
    fig = go.Figure()
    for group, rows in grouped.groupby("group", sort=False):
        fig.add_trace(go.Bar(
            x=rows["contribution"].to_numpy(), y=rows["iso3"].map(names).to_numpy(), orientation="h", name=group,
            marker_color=charts.GROUP_COLOURS.get(group), hovertemplate="%{y}: %{x:.1f} points<extra>" + group + "</extra>",
        ))
    fig.update_layout(barmode="relative", yaxis={"categoryorder": "array", "categoryarray": order}, xaxis_title="Score points")
    return charts._layout(fig, "scores computed from SIPRI, NATO, World Bank, Freedom House, DMDC and analyst judgements",
                          height=max(380, 18 * len(order) + 120))


def burn_down_go(backlog):  # noqa: ANN001, ANN201
    """``ui.charts.burn_down`` with go.Scatter traces instead of px.line."""
    import plotly.graph_objects as go

    from ui import charts

    fig = go.Figure()
    dashes = {p: d for p, d in zip(backlog["policy"].unique(), ("solid", "dash", "dot"), strict=False)}
    for (group, policy), rows in backlog.groupby(["group", "policy"], sort=False):
        fig.add_trace(go.Scatter(x=rows["year"].to_numpy(), y=rows["remaining"].to_numpy(), mode="lines",
                                 name=f"{group}, {policy}", line={"dash": dashes[policy]}))
    fig.update_layout(yaxis_title="units still to deliver")
    return charts._layout(fig, "schedule computed from line capacity and the order book", height=400)


def world_map_url(frame, value: str, label: str, source: str, geojson_url: str = "app/static/world.geojson"):  # noqa: ANN001, ANN201
    """``ui.charts.world_map`` with the outlines referenced by URL (static file) instead of inlined."""
    import plotly.graph_objects as go

    from ui import charts
    from ui.geo import iso3_with_outline

    outlined = iso3_with_outline()
    shapes = frame[frame["iso3"].isin(outlined)]
    values = frame[value].astype(float)
    low, high = float(np.nanmin(values)), float(np.nanmax(values))
    fig = go.Figure(go.Choroplethmap(
        geojson=geojson_url, featureidkey="id", locations=shapes["iso3"], z=shapes[value], text=shapes["name"],
        colorscale="Viridis", zmin=low, zmax=high, marker_line_width=0.3, colorbar={"title": {"text": label}},
        customdata=shapes["iso3"], hovertemplate="%{text}<br>" + label + ": %{z:.1f}<extra></extra>",
    ))
    fig.update_layout(map={"style": "white-bg", "zoom": 0.6, "center": {"lat": 30, "lon": 15}})
    return charts._layout(fig, source, height=460)


def case_cd(quick: bool) -> list[dict[str, Any]]:
    import plotly.io as pio

    from benchmarks.engine_cases import embedded_inputs
    from scoring.pipeline import run_scenario
    from ui import charts, model
    from benchmarks import synthetic

    scenario = synthetic.benchmark_scenario(gates=False)
    partners, book, lines = embedded_inputs()
    run_scenario(partners, book, lines, scenario)
    contrib = model.contributions_table(scenario)
    ranking = model.ranking_table(scenario)
    names = dict(zip(ranking["iso3"], ranking["name"], strict=True))
    backlog = model.backlog_by(scenario, "tier")
    reps = 5 if quick else 15

    def build_and_serialise(fn):  # noqa: ANN001, ANN202
        return lambda: pio.to_json(fn().to_dict(), validate=False)

    cases = [
        ("C", "ui.charts.contribution_bars as it is now", lambda: charts.contribution_bars(contrib, names)),
        ("C", "contribution_bars with go.Bar — prototype", lambda: contribution_bars_go(contrib, names)),
        ("C", "ui.charts.burn_down as it is now", lambda: charts.burn_down(backlog)),
        ("C", "burn_down with go.Scatter — prototype", lambda: burn_down_go(backlog)),
        ("D", "ui.charts.world_map as it is now (GeoJSON inlined)", lambda: charts.world_map(ranking, "score", "Priority score", "src")),
        ("D", "world_map, GeoJSON by static URL — prototype", lambda: world_map_url(ranking, "score", "Priority score", "src")),
    ]
    rows = []
    for proposal, name, fn in cases:
        rows.append({"proposal": proposal, "case": f"{name}: build", **time_call(fn, reps)})
        rows.append({"proposal": proposal, "case": f"{name}: build + serialise (st.plotly_chart's to_dict + to_json)",
                     **time_call(build_and_serialise(fn), reps)})
    return rows


def main(argv: list[str] | None = None) -> int:
    import argparse
    import os

    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    if not os.environ.get("ARMS_PRIORITY_DB"):
        from benchmarks.run import prepare_store

        prepare_store()
    rows = case_a(args.quick) + case_b(args.quick) + case_cd(args.quick)
    width = max(len(r["case"]) for r in rows)
    for r in rows:
        extra = ""
        if "identical" in r:
            extra += "  identical output" if r["identical"] else "  OUTPUT DIFFERS"
        if "speedup_vs_pymcdm" in r:
            extra += f"  {r['speedup_vs_pymcdm']:.1f}× faster than pymcdm"
        print(f"{r['proposal']}  {r['case']:<{width}}  median {r['median_s'] * 1000:9.3f} ms  min {r['min_s'] * 1000:9.3f} ms{extra}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(rows, indent=2, default=float))
    return 0 if all(r.get("identical", True) for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
