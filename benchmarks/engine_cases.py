"""P2 (engine scale) and P3 (Monte Carlo): cases, in-run baselines and identity checks.

Every synthetic input comes from ``benchmarks.synthetic`` (SYNTHETIC — benchmark only); the
"embedded" cases use the store built from the seeds (``embedded_inputs``). Each function returns
result rows (dicts) and check rows; ``benchmarks.run`` prints and saves them.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from benchmarks import baselines, synthetic
from benchmarks.measure import peak_growth_mb, peak_traced_mb, summarise, time_call
from scoring.engine import ScoringConfig, prepare, score_partners, score_prepared, transform
from scoring.gates import order_gates, partner_gates
from scoring.pipeline import LineTable, OrderBook, PartnerInputs, Scenario, capacity_plan, run_scenario
from scoring.schedule import capacity_per_quarter, compare_policies, priority_schedules
from scoring.sensitivity import draw_weights, monte_carlo, scores_for_weights

NAIVE_FULL_RUN_LIMIT_S = 60.0
SIZES = {"1k": 1_000, "100k": 100_000, "1M": 1_000_000}


def _row(case_id: str, group: str, case: str, timing: dict[str, Any], **extra: Any) -> dict[str, Any]:
    row = {"id": case_id, "group": group, "case": case, **timing}
    row.update(extra)
    return row


def _check(name: str, ok: bool, detail: str) -> dict[str, Any]:
    return {"check": name, "ok": bool(ok), "detail": detail}


# --------------------------------------------------------------------------------------------
# The measured paths
# --------------------------------------------------------------------------------------------


def order_held(partners: PartnerInputs, book: OrderBook, partner_score: np.ndarray, scenario: Scenario) -> np.ndarray:
    """Which orders the scenario's gates hold (the engine's own rule, ``scoring.gates``)."""
    gates = scenario.gates
    p_gates = partner_gates(
        np.asarray(partners.columns["fh_total"], dtype=float),
        np.asarray(partners.columns["end_use_risk"], dtype=float),
        gates,
    )
    return order_gates(book.partner_index, book.sensitivity, partners.is_ally, partner_score, p_gates, gates).held


def capacity_of(lines: LineTable, scenario: Scenario) -> np.ndarray:
    return capacity_per_quarter(capacity_plan(lines, scenario))


def engine_path(world: synthetic.SyntheticWorld, matrix, scenario: Scenario):  # noqa: ANN001
    """Score (``score_partners``) + gates + capacity + both queues and schedules (``compare_policies``)."""
    result = score_partners(matrix, ScoringConfig(scenario.weight_map, scenario.method.normalisation, scenario.method.missing))
    book = world.book
    held = order_held(world.partners, book, result.score, scenario)
    capacity = capacity_of(world.lines, scenario)
    comparison = compare_policies(
        book.line_index, book.units, result.score[book.partner_index], book.contract_day, book.order_id,
        capacity, held=held,
    )
    return result, held, capacity, comparison


def _timed_runs_with_peak(fn: Callable[[], Any], runs: int, traced: bool) -> tuple[Any, list[float], float | None]:
    """``runs`` timed calls of a slow baseline and its peak memory.

    ``traced``: one extra untimed call under tracemalloc; otherwise the first timed call also
    records its resident-set growth (no tracing overhead, for runs that take close to a minute).
    """
    peak = None
    if traced:
        _, peak = peak_traced_mb(fn)
    gc.collect()
    start = time.perf_counter()
    if traced:
        result = fn()
    else:
        result, peak = peak_growth_mb(fn)
    samples = [time.perf_counter() - start]
    for _ in range(runs - 1):
        gc.collect()
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return result, samples, peak


def _subset(world: synthetic.SyntheticWorld, n: int) -> synthetic.SyntheticWorld:
    b = world.book
    book = OrderBook(b.order_id[:n], b.partner_index[:n], b.line_index[:n], b.units[:n], b.contract_day[:n], b.sensitivity[:n])
    return synthetic.SyntheticWorld(world.partners, world.lines, book, world.seed)


def _naive(world: synthetic.SyntheticWorld, matrix, scenario: Scenario, held: np.ndarray, capacity: np.ndarray,  # noqa: ANN001
           scores: np.ndarray | None = None):
    b = world.book
    return baselines.naive_pipeline(
        matrix.raw, matrix.partners, matrix.criteria, scenario.weight_map,
        b.order_id, b.partner_index, b.line_index, b.units, b.contract_day, held, capacity, scores=scores,
    )


# --------------------------------------------------------------------------------------------
# P2
# --------------------------------------------------------------------------------------------


def run_p2(quick: bool, log: Callable[[str], None] = print) -> tuple[list[dict], list[dict]]:
    rows: list[dict] = []
    checks: list[dict] = []
    scenario = synthetic.benchmark_scenario(gates=True)
    reps = {"1k": 30, "100k": 15, "1M": 7} if not quick else {"1k": 10, "100k": 5, "1M": 3}
    naive_reps = {"1k": 5, "100k": 3, "1M": 3} if not quick else {"1k": 3, "100k": 1, "1M": 1}
    ref_reps = {"1k": 10, "100k": 5, "1M": 3} if not quick else {"1k": 3, "100k": 2, "1M": 1}
    naive_median_by_size: dict[str, float] = {}

    for label, n in SIZES.items():
        log(f"P2 {label}: generating SYNTHETIC world ({n:,} orders, 200 partners, 30 lines)")
        world = synthetic.synthetic_world(n, seed=0)
        matrix = synthetic.synthetic_matrix(world.partners, scenario.method.basis)

        (result, held, capacity, comparison), peak = peak_traced_mb(lambda: engine_path(world, matrix, scenario))
        timing = time_call(lambda: engine_path(world, matrix, scenario), reps[label])
        rows.append(_row(
            f"P2.engine.{label}", "P2", f"engine: score + queue + schedule, {label} orders",
            timing, peak_mb=peak, baseline=f"P2.naive.{label}",
            target_s=0.5 if label == "1M" else None, target_speedup=50.0,
            note="score_partners + gates (vectorised) + capacity_per_quarter + compare_policies",
        ))

        app, peak_app = peak_traced_mb(lambda: run_scenario(world.partners, world.book, world.lines, scenario))
        timing_app = time_call(lambda: run_scenario(world.partners, world.book, world.lines, scenario), reps[label])
        rows.append(_row(
            f"P2.run_scenario.{label}", "P2", f"app chain run_scenario, {label} orders",
            timing_app, peak_mb=peak_app, baseline=f"P2.naive.{label}",
            target_s=0.5 if label == "1M" else None, target_speedup=50.0,
            note="adds derive_features, TOPSIS cross-check, tiers, coverage, gate reasons and the delivery engine (P5)",
        ))
        # run_scenario now schedules with the delivery engine (arrivals, fences, real holds: see
        # benchmarks/delivery.py, P5), so its dates are not the cumulative engine's: only the gate
        # decisions are compared here.
        checks.append(_check(
            f"run_scenario gates = engine path gates, {label}",
            bool(np.array_equal(app.order_gates.held, held)),
            "identical held flags",
        ))

        order_scores = result.score[world.book.partner_index]
        b = world.book
        ref_fn = lambda: baselines.numpy_reference(order_scores, b.order_id, b.line_index, b.units, b.contract_day, held, capacity)  # noqa: E731
        ref, peak_ref = peak_traced_mb(ref_fn)
        rows.append(_row(
            f"P2.numpy_ref.{label}", "P2", f"reference: np.lexsort + cumsum queue/schedule, {label}",
            time_call(ref_fn, ref_reps[label], warmup=0), peak_mb=peak_ref, baseline=None,
            note="machine reference (queue + schedule only, no scoring)",
        ))
        diff = baselines.compare_with_engine(comparison, ref)
        checks.append(_check(f"numpy reference = engine, {label}", not diff, "identical" if not diff else f"differ: {diff}"))

        # Naive iterrows baseline: full run unless it would take more than a minute.
        estimate = None
        if label == "1M" and "100k" in naive_median_by_size:
            estimate = naive_median_by_size["100k"] * n / SIZES["100k"]
        extrapolate = estimate is not None and (estimate > NAIVE_FULL_RUN_LIMIT_S or quick)
        if extrapolate:
            sub_n = SIZES["100k"]
            sub = _subset(world, sub_n)
            sub_engine = engine_path(sub, matrix, scenario)
            log(f"P2 {label}: naive baseline extrapolated from a {sub_n:,}-order subset "
                f"(estimated full run {estimate:.0f} s{' ; --quick' if quick else ''})")
            sub_fn = lambda: _naive(sub, matrix, scenario, sub_engine[1], sub_engine[2])  # noqa: E731
            naive_sub, samples, peak_naive = _timed_runs_with_peak(sub_fn, naive_reps[label], traced=True)
            peak_kind = "traced (subset)"
            factor = n / sub_n
            timing_naive = summarise([s * factor for s in samples]) | {"extrapolated_from_orders": sub_n}
            diff = baselines.compare_with_engine(sub_engine[3], naive_sub)
            checks.append(_check(
                f"naive iterrows = engine, {label} (on the {sub_n:,}-order subset it was timed on)",
                not diff and np.allclose(naive_sub.partner_score, sub_engine[0].score, atol=1e-9),
                "identical queues and schedules, scores within 1e-9" if not diff else f"differ: {diff}",
            ))
            note = (f"EXTRAPOLATED linearly ×{factor:.0f} from a {sub_n:,}-order subset "
                    f"(a full run was estimated at {estimate:.0f} s{', --quick' if quick else ''}); peak memory is the subset's")
        else:
            log(f"P2 {label}: naive iterrows baseline, {naive_reps[label]} run(s)"
                + (f" (estimated {estimate:.0f} s each)" if estimate else ""))
            traced = n < 1_000_000
            naive, samples, peak_naive = _timed_runs_with_peak(
                lambda: _naive(world, matrix, scenario, held, capacity), naive_reps[label], traced=traced
            )
            peak_kind = "traced" if traced else "RSS growth"
            timing_naive = summarise(samples)
            diff = baselines.compare_with_engine(comparison, naive)
            score_ok = np.allclose(naive.partner_score, result.score, atol=1e-9)
            checks.append(_check(
                f"naive iterrows = engine, {label}",
                not diff and score_ok,
                "identical queues and schedules, scores within 1e-9" if not diff and score_ok else f"differ: {diff}, scores ok={score_ok}",
            ))
            note = "full run"
        naive_median_by_size[label] = timing_naive["median_s"]
        rows.append(_row(
            f"P2.naive.{label}", "P2", f"baseline: pandas iterrows loop, {label} orders",
            timing_naive, peak_mb=peak_naive, peak_kind=peak_kind, baseline=None, note=note,
            extrapolated=bool(extrapolate),
        ))
        del world, result, held, capacity, comparison, app, ref
    rows.extend(_p2_scoring(quick, checks, log))
    checks.extend(_real_book_checks(log))
    return rows, checks


def _p2_scoring(quick: bool, checks: list[dict], log: Callable[[str], None]) -> list[dict]:
    """Scoring step alone: score_partners vs pymcdm WSM, per scenario call, 200 × 15 matrix."""
    log("P2 scoring: score_partners vs pymcdm WSM (per scenario call, 200 partners × 15 criteria)")
    world = synthetic.synthetic_world(1_000, seed=0)
    matrix = synthetic.synthetic_matrix(world.partners, synthetic.benchmark_scenario().method.basis)
    keys = [c.key for c in matrix.criteria]
    types = np.array([1 if c.direction == "benefit" else -1 for c in matrix.criteria])
    transformed = transform(matrix.raw, matrix.criteria)
    method = baselines.pymcdm_method()
    rng = np.random.default_rng(7)
    k = 200
    weights = rng.uniform(0.5, 20.0, (k, len(keys)))
    configs = [ScoringConfig(dict(zip(keys, w, strict=True))) for w in weights]
    normalised = weights / weights.sum(axis=1, keepdims=True)

    def engine_batch() -> None:
        for config in configs:
            score_partners(matrix, config)

    prepared = prepare(matrix)

    def prepared_batch() -> None:  # the sweep pattern: normalise once, score each weight vector
        for config in configs:
            score_prepared(prepared, config.weights)

    def pymcdm_batch() -> None:
        for w in normalised:
            baselines.pymcdm_scores(method, transformed, w, types)

    mismatched = 0
    worst = 0.0
    for config, w in zip(configs, normalised, strict=True):
        ours = score_partners(matrix, config)
        swept = score_prepared(prepared, config.weights)
        mismatched += int(not (np.array_equal(swept.rank, ours.rank) and np.array_equal(swept.score, ours.score)))
        preference, ranks = baselines.pymcdm_scores(method, transformed, w, types)
        worst = max(worst, float(np.abs(100 * preference - ours.score).max()))
        mismatched += int(not np.array_equal(np.asarray(ranks, dtype=int), ours.rank))
    checks.append(_check(
        "pymcdm WSM = score_partners (200 scenarios)", mismatched == 0 and worst < 1e-9,
        f"rankings identical in {k - mismatched}/{k} scenarios; max |score difference| {worst:.1e} points",
    ))
    reps = 7 if not quick else 3
    engine_samples, prepared_samples, pymcdm_samples = [], [], []
    engine_batch(), prepared_batch(), pymcdm_batch()  # warm-up
    for _ in range(reps):  # interleaved so all see the same machine state
        t = time.perf_counter()
        engine_batch()
        engine_samples.append((time.perf_counter() - t) / k)
        t = time.perf_counter()
        prepared_batch()
        prepared_samples.append((time.perf_counter() - t) / k)
        t = time.perf_counter()
        pymcdm_batch()
        pymcdm_samples.append((time.perf_counter() - t) / k)
    _, peak_e = peak_traced_mb(lambda: score_partners(matrix, configs[0]))
    _, peak_p = peak_traced_mb(lambda: baselines.pymcdm_scores(method, transformed, normalised[0], types))
    return [
        _row("P2.score.engine", "P2", "scoring step: score_partners, per scenario (200×15)",
             summarise(engine_samples), peak_mb=peak_e, baseline="P2.score.pymcdm", target_speedup=20.0,
             note=f"per call incl. normalisation, median over {reps} batches of {k} distinct weight vectors"),
        _row("P2.score.prepared", "P2", "scoring step: score_prepared on a prepared matrix, per scenario (200×15)",
             summarise(prepared_samples), peak_mb=peak_e, baseline="P2.score.pymcdm", target_speedup=20.0,
             note="weight sweep: prepare() once per matrix/normalisation, then one call per weight vector"),
        _row("P2.score.pymcdm", "P2", "baseline: pymcdm WSM(minmax) + rank, per scenario",
             summarise(pymcdm_samples), peak_mb=peak_p, baseline=None,
             note="default validation on, as an analyst calls it"),
    ]


def embedded_inputs() -> tuple[PartnerInputs, OrderBook, LineTable]:
    """The store's partners, open orders and production lines as the pipeline's arrays.

    Read through the data layer (``data.queries``: ``partner_features``, ``open_orders``,
    ``production_lines``) and converted the way ``ui.model`` converts them, without Streamlit.
    """
    from data import inputs, queries
    from data.store import connect, default_db_path

    con = connect(default_db_path(), read_only=True)
    try:
        features = queries.partner_features(con)
        lines_frame = queries.run(con, "production_lines")
        orders = queries.run(con, "open_orders")
    finally:
        con.close()
    partners = inputs.partner_inputs(features)
    lines = inputs.line_table(lines_frame)
    return partners, inputs.order_book(orders, partners, lines), lines


def app_default_scenario(gates: bool = False) -> Scenario:
    """The dashboard's default scenario (EO preset, no gates); with ``gates`` the synthetic gates on."""
    return synthetic.benchmark_scenario(gates=gates)


def _real_book_checks(log: Callable[[str], None]) -> list[dict]:
    log("P2 checks: naive baseline vs engine on the embedded order book")
    partners, book, lines = embedded_inputs()
    out = []
    for gates in (False, True):
        scenario = app_default_scenario(gates)
        result = run_scenario(partners, book, lines, scenario)
        world = synthetic.SyntheticWorld(partners, lines, book, seed=-1, label="embedded data")
        naive = _naive(world, result.matrix, scenario, result.order_gates.held, result.capacity, scores=result.partner_score)
        own = baselines.naive_scores(result.matrix.raw, result.matrix.partners, result.matrix.criteria, scenario.weight_map)
        # The naive loop models the backlog assumption (every order queued at the start, no arrivals,
        # fences or statuses), so it is checked against the engine's kernel on the same inputs.
        kernel = compare_policies(book.line_index, book.units, result.partner_score[book.partner_index],
                                  book.contract_day, book.order_id, result.capacity, held=result.order_gates.held)
        diff = baselines.compare_with_engine(kernel, naive)
        score_gap = float(np.abs(own.to_numpy() - result.partner_score).max())
        out.append(_check(
            f"naive iterrows = engine kernel (compare_policies) on the embedded book ({len(book.units)} orders, gates {'on' if gates else 'off'})",
            not diff and score_gap < 1e-9,
            ("identical queues and schedules" if not diff else f"differ: {diff}")
            + f"; pandas scores within {score_gap:.1e} of the engine's",
        ))
    return out


# --------------------------------------------------------------------------------------------
# P3
# --------------------------------------------------------------------------------------------


def _mc_schedule_loop(result, scenario: Scenario, book: OrderBook, capacity: np.ndarray, held, n_draws: int):  # noqa: ANN001
    """monte_carlo + each draw's priority schedule through the public API (compare_policies)."""
    mc = monte_carlo(result, scenario.tier_rule, n_draws=n_draws, spread=0.5, seed=0)
    scores = scores_for_weights(result, draw_weights(result.weights, n_draws, 0.5, seed=0))
    order_scores = scores[:, book.partner_index]
    last = np.empty(order_scores.shape, dtype=np.int64)
    position = np.empty(order_scores.shape, dtype=np.int64)
    for k in range(n_draws):
        c = compare_policies(book.line_index, book.units, order_scores[k], book.contract_day, book.order_id, capacity, held=held)
        last[k] = c.priority_last_quarter
        position[k] = c.priority_position
    return mc, _delivery_summary(last), last, position


def _mc_schedule_batched(result, scenario: Scenario, book: OrderBook, capacity: np.ndarray, held, n_draws: int):  # noqa: ANN001
    mc = monte_carlo(result, scenario.tier_rule, n_draws=n_draws, spread=0.5, seed=0)
    out = priority_schedules(
        book.line_index, book.units, mc.scores[:, book.partner_index], book.contract_day, book.order_id, capacity, held
    )
    return mc, _delivery_summary(out.priority_last_quarter), out.priority_last_quarter, out.priority_position


def _delivery_summary(last: np.ndarray) -> np.ndarray:
    """Per order: 5th, 50th and 95th percentile of the completion quarter over the draws."""
    return np.percentile(last, [5, 50, 95], axis=0)


def run_p3(quick: bool, log: Callable[[str], None] = print) -> tuple[list[dict], list[dict]]:
    rows: list[dict] = []
    checks: list[dict] = []
    n_draws = 10_000
    reps = 7 if not quick else 3
    scenario = synthetic.benchmark_scenario(gates=False)
    config = ScoringConfig(scenario.weight_map)

    log("P3: Monte Carlo, 10,000 draws × 200 SYNTHETIC partners")
    world = synthetic.synthetic_world(1_000, seed=0)
    result = score_partners(synthetic.synthetic_matrix(world.partners, scenario.method.basis), config)
    fn = lambda: monte_carlo(result, scenario.tier_rule, n_draws=n_draws, spread=0.5, seed=0)  # noqa: E731
    mc, peak = peak_traced_mb(fn)
    rows.append(_row("P3.mc.synthetic", "P3", "Monte Carlo ranks + tiers, 10k draws × 200 partners",
                     time_call(fn, reps), peak_mb=peak, target_s=0.5,
                     note="scoring.sensitivity.monte_carlo (SYNTHETIC partners)"))
    checks.append(_check("Monte Carlo shape", mc.ranks.shape == (n_draws, 200), f"ranks {mc.ranks.shape}"))

    log("P3: Monte Carlo on the embedded data (+ schedule of the embedded order book)")
    partners, book, lines = embedded_inputs()
    real = run_scenario(partners, book, lines, scenario)
    assert real.ranking is not None
    fn = lambda: monte_carlo(real.ranking.scores, scenario.tier_rule, n_draws=n_draws, spread=0.5, seed=0)  # noqa: E731
    _, peak = peak_traced_mb(fn)
    rows.append(_row("P3.mc.embedded", "P3", f"Monte Carlo ranks + tiers, 10k draws × {len(partners.iso3)} embedded partners",
                     time_call(fn, reps), peak_mb=peak, target_s=0.5, note="scoring.sensitivity.monte_carlo"))

    held = real.order_gates.held
    capacity = real.capacity
    loop_fn = lambda: _mc_schedule_loop(real.ranking.scores, scenario, book, capacity, held, n_draws)  # noqa: E731
    loop_out, peak_loop = peak_traced_mb(loop_fn)
    rows.append(_row("P3.mc_schedule.api_loop", "P3",
                     f"Monte Carlo + schedule of the embedded book ({len(book.units)} orders), compare_policies per draw",
                     time_call(loop_fn, 3 if not quick else 1, warmup=0), peak_mb=peak_loop, target_s=0.5,
                     note="public API: one compare_policies call per draw"))
    batch_fn = lambda: _mc_schedule_batched(real.ranking.scores, scenario, book, capacity, held, n_draws)  # noqa: E731
    batch_out, peak_batch = peak_traced_mb(batch_fn)
    rows.append(_row("P3.mc_schedule.batched", "P3",
                     "Monte Carlo + schedule of the embedded book, batched (scoring.schedule.priority_schedules)",
                     time_call(batch_fn, reps), peak_mb=peak_batch, target_s=0.5,
                     baseline="P3.mc_schedule.api_loop",
                     note="one pass over all draws, checked = API loop"))
    same = np.array_equal(loop_out[2], batch_out[2]) and np.array_equal(loop_out[3], batch_out[3])
    checks.append(_check(
        f"batched schedule = compare_policies on all {n_draws:,} draws",
        same, "identical completion quarters and positions" if same else "DIFFER",
    ))
    return rows, checks
