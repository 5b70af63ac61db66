"""P5: the delivery engine with arrivals, time fences and tier shares — speed and identity.

    PYTHONPATH=. .venv/bin/python -m benchmarks.delivery [--quick]

Measures, in one run on this machine (medians of repeated calls after a warm-up):

- the app's whole chain ``run_scenario`` (scores, tiers, gates, capacity, both queues, the FCFS and
  the policy allocation) on the embedded order book, for strict priority and for tier shares;
- the delivery step alone (``plan_deliveries``: queue + FCFS allocation + policy allocation) and
  the chain with scoring on SYNTHETIC books of 1k, 100k and 1M orders on 30 lines (arrivals spread
  over 3 years, 4-quarter fences, tier shares), generated here by code and labelled synthetic;
- a per-order loop baseline: orders taken one by one in queue order, each filling the earliest
  residual capacity of its line from its arrival (the textbook greedy, Python loops), timed on the
  same books (extrapolated linearly from a 20k subset above 100k orders, and flagged so);
- an identity check: kernel and loop give the same completion quarter for every order.

Writes ``benchmarks/RESULTS_delivery.md``. Never asserts a time; exits non-zero only if an
identity check fails.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from scoring.allocation import allocate
from scoring.delivery import DeliveryRules, plan_deliveries
from scoring.queue import rank_orders

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "RESULTS_delivery.md"
LINES, HORIZON = 30, 160


def synthetic_book(n: int, seed: int = 0) -> dict[str, np.ndarray]:
    """SYNTHETIC: n orders on 30 lines, 1-50 units, arrivals over 12 quarters, scores 0-100."""
    rng = np.random.default_rng(seed)
    line = rng.integers(0, LINES, n)
    units = rng.integers(1, 51, n).astype(float)
    return {
        "line": line, "units": units, "arrival": rng.integers(0, 12, n), "score": rng.random(n) * 100,
        "day": rng.integers(19_000, 20_500, n), "id": np.arange(n), "group": rng.integers(0, 4, n),
        "capacity": np.full((LINES, HORIZON), units.sum() / LINES / 60),
    }


def timed(fn, repeat: int) -> tuple[float, object]:
    fn()  # warm-up
    samples, out = [], None
    for _ in range(repeat):
        gc.collect()
        t = time.perf_counter()
        out = fn()
        samples.append(time.perf_counter() - t)
    return statistics.median(samples), out


def greedy_loop(line, units, arrival, sequence, capacity, fence, fcfs) -> np.ndarray:
    """Baseline: per order, in queue order, fill the earliest residual capacity from its arrival
    (fenced quarters first, in FCFS order). Returns completion quarters (horizon = not done)."""
    residual = capacity.copy()
    horizon = capacity.shape[1]
    remaining = units.astype(float).copy()
    last = np.full(len(units), horizon)
    for phase, seq in (("fence", fcfs), ("policy", sequence)):
        for i in seq:
            if remaining[i] <= 1e-9:
                continue
            l = line[i]
            lo, hi = (arrival[i], min(fence[l], horizon)) if phase == "fence" else (max(arrival[i], fence[l]), horizon)
            for q in range(lo, hi):
                take = min(residual[l, q], remaining[i])
                if take > 0:
                    residual[l, q] -= take
                    remaining[i] -= take
                    if remaining[i] <= 1e-9:
                        last[i] = q
                        break
    return last


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    repeat = 3 if args.quick else 5
    load = os.getloadavg()
    rows, checks = [], []

    # The embedded book through the app's chain.
    from data import inputs, queries
    from data.store import build_store, connect
    from scoring.criteria import PRESETS_BY_KEY
    from scoring.pipeline import Scenario, run_scenario

    db = ROOT / "benchmarks" / "results" / "delivery.duckdb"
    db.parent.mkdir(parents=True, exist_ok=True)
    build_store(db)
    con = connect(db)
    features = queries.partner_features(con)
    rules_frame = queries.run(con, "eligibility_rules", {})
    _, status = inputs.eligibility_state(rules_frame, queries.run(con, "data_vintage", {}))
    allowed, _ = inputs.split_by_eligibility(features, status, rules_frame)
    lines = inputs.line_table(queries.run(con, "production_lines", {}))
    orders = queries.run(con, "open_orders", {})
    con.close()
    partners = inputs.partner_inputs(allowed)
    book = inputs.order_book(orders, partners, lines)
    weights = tuple(sorted(PRESETS_BY_KEY["eo"].weights.items()))
    for policy in ("priority", "tier_share"):
        scenario = Scenario(weights).changed(policy=policy)
        seconds, _ = timed(lambda s=scenario: run_scenario(partners, book, lines, s), repeat * 4)
        rows.append((f"embedded book ({len(orders)} orders), run_scenario, {policy}", seconds, None, None))

    for n in (1_000, 100_000, 1_000_000):
        b = synthetic_book(n)
        fence = np.full(LINES, 4)
        for policy in ("priority", "tier_share"):
            rules = DeliveryRules(policy=policy, fence_quarters=4)
            lead = np.zeros(n)
            status_arr = np.full(n, "signed")

            def chain(b=b, rules=rules, lead=lead, status_arr=status_arr):
                # arrivals are given directly through contract days: day 19,000 + 91 × arrival
                return plan_deliveries(
                    b["line"], b["units"], b["score"], 19_000 + 92 * b["arrival"], b["id"], status_arr, lead,
                    b["capacity"], (2022, 1), rules, group=b["group"],
                )

            seconds, result = timed(chain, 1 if n == 1_000_000 else repeat)
            rows.append((f"SYNTHETIC {n:,} orders: queue + FCFS + {policy} allocation", seconds, None, None))
        # Baseline and identity for strict priority.
        queue = rank_orders(b["line"], b["score"], b["day"], b["id"], n_lines=LINES)
        kernel_s, kernel = timed(
            lambda: allocate(b["line"], b["units"], b["arrival"], queue.priority_order, b["capacity"], fence=fence,
                             fence_sequence=queue.fcfs_order), 1 if n == 1_000_000 else repeat,
        )
        subset = n if n <= 100_000 else 20_000
        if subset < n:
            sb = synthetic_book(subset, seed=1)
            sq = rank_orders(sb["line"], sb["score"], sb["day"], sb["id"], n_lines=LINES)
            t = time.perf_counter()
            greedy_loop(sb["line"], sb["units"], sb["arrival"], sq.priority_order, sb["capacity"], fence, sq.fcfs_order)
            loop_s = (time.perf_counter() - t) * n / subset
            note = f"EXTRAPOLATED from {subset:,}"
        else:
            t = time.perf_counter()
            loop_last = greedy_loop(b["line"], b["units"], b["arrival"], queue.priority_order, b["capacity"], fence,
                                    queue.fcfs_order)
            loop_s = time.perf_counter() - t
            note = "measured"
            same = bool(np.array_equal(loop_last, kernel.last_quarter))
            checks.append((f"kernel = per-order loop, {n:,} orders", same))
        rows.append((f"SYNTHETIC {n:,} orders: strict-priority allocation (kernel)", kernel_s, loop_s, note))

    lines_md = [
        "# P5 · Delivery engine (arrivals, time fences, tier shares)",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {os.cpu_count()} cores; load average at "
        f"start {', '.join(f'{x:.2f}' for x in load)}. Medians of {repeat} runs after a warm-up (1M: one run). "
        "Books marked SYNTHETIC are generated by `benchmarks/delivery.py`, not real orders.",
        "",
        "| case | seconds | per-order loop | ratio | loop timing |",
        "|---|---|---|---|---|",
    ]
    for name, seconds, loop_s, note in rows:
        ratio = f"{loop_s / seconds:,.0f}×" if loop_s else ""
        lines_md.append(f"| {name} | {seconds:.4f} | {'' if loop_s is None else f'{loop_s:.2f} s'} | {ratio} | {note or ''} |")
    lines_md += ["", "Identity checks:", ""]
    lines_md += [f"- {name}: {'PASS' if ok else 'FAIL'}" for name, ok in checks]
    OUT.write_text("\n".join(lines_md) + "\n", encoding="utf-8")
    print("\n".join(lines_md))
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
