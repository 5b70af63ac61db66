"""Run every benchmark, print the table, write ``benchmarks/results/latest.json`` and ``benchmarks/RESULTS.md``.

    python -m benchmarks.run            # full run (~8 min on 2 cores)
    python -m benchmarks.run --quick    # fewer repetitions, naive 1M baseline extrapolated (~3 min)
    python -m benchmarks.run --only P4 # re-run one group; its rows replace those in latest.json/RESULTS.md

Cases (see benchmarks/README.md): P1 page reruns vs their rendering floor (AppTest), P2 engine
scale on SYNTHETIC order books vs a pandas iterrows loop and pymcdm, P3 Monte Carlo, P4 cold start
in headless Chromium. Medians of several runs; ratios against baselines measured in the same run;
identity checks of fast vs baseline queues and schedules. Timings are reported, never asserted:
the exit status is non-zero only if an identity check fails or a case crashes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS_DIR = HERE / "results"
RESULTS_MD = HERE / "RESULTS.md"

GROUPS = ["P1", "P2", "P3", "P4"]
P1_TARGET_RATIO = 1.5
P1_TARGET_S = 0.150


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# Store
# --------------------------------------------------------------------------------------------


def prepare_store() -> Path:
    """The store the app cases run on: $ARMS_PRIORITY_DB if set, else benchmarks/results/bench.duckdb
    (built from the seeds, or rebuilt if the seeds changed)."""
    from data.store import ensure_store

    configured = os.environ.get("ARMS_PRIORITY_DB", "").strip()
    path = Path(configured) if configured else RESULTS_DIR / "bench.duckdb"
    status = ensure_store(path)
    log(f"store: {status.message}")
    os.environ["ARMS_PRIORITY_DB"] = str(path)
    return path


# --------------------------------------------------------------------------------------------
# P1
# --------------------------------------------------------------------------------------------


def app_pages() -> list[str]:
    """Page scripts registered in app.py, in menu order."""
    text = (ROOT / "app.py").read_text(encoding="utf-8")
    pages = re.findall(r'st\.Page\(\s*"([^"]+\.py)"', text)
    return pages or sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))


def run_p1(quick: bool, store: Path) -> tuple[list[dict], list[dict]]:
    rows: list[dict] = []
    checks: list[dict] = []
    counts = ["--new", "5", "--cached", "4", "--floor", "9"] if quick else ["--new", "15", "--cached", "10", "--floor", "25"]
    env = {**os.environ, "ARMS_PRIORITY_DB": str(store), "PYTHONPATH": str(ROOT)}
    for page in app_pages():
        name = Path(page).stem
        out = RESULTS_DIR / f"p1_{name}.json"
        log(f"P1 {page}: AppTest reruns + rendering floor (fresh process)")
        with (RESULTS_DIR / f"p1_{name}.log").open("w") as errlog:
            proc = subprocess.run(
                [sys.executable, "-m", "benchmarks.p1_worker", "--page", page, "--out", str(out), *counts],
                cwd=ROOT, env=env, stdout=errlog, stderr=subprocess.STDOUT, timeout=1800,
            )
        if proc.returncode != 0:
            checks.append({"check": f"P1 {page} ran", "ok": False, "detail": f"worker failed; see {errlog.name}"})
            continue
        r = json.loads(out.read_text())
        floor = r["floor"]["median_s"]
        charts = sum(1 for x in r["recorded"] if x["kind"] == "plotly_chart")
        tables = [x for x in r["recorded"] if x["kind"] != "plotly_chart"]
        content = f"{charts} chart(s), {len(tables)} table(s)" + (
            f" ({', '.join(str(t['rows']) for t in tables)} rows)" if tables else "")
        for kind, label in (("new_weights", "new weights"), ("cached_revisit", "cached revisit")):
            rows.append({
                "id": f"P1.{name}.{kind}", "group": "P1", "case": f"{r['title'] or name}: rerun, {label}",
                **r[kind], "peak_mb": r["peak_rss_mb"], "peak_kind": "worker VmHWM (page + its floor)",
                "baseline": f"P1.{name}.floor", "target_s": P1_TARGET_S, "target_ratio": P1_TARGET_RATIO,
                "note": f"first run of the page in a fresh process {r['first_run_page_s']*1000:.0f} ms",
            })
        rows.append({
            "id": f"P1.{name}.floor", "group": "P1", "case": f"{r['title'] or name}: floor page ({content})",
            **r["floor"], "peak_mb": None, "baseline": None,
            "note": "same charts rebuilt by ui.charts from constant inputs + same tables, nothing else",
        })
        rows.append({
            "id": f"P1.{name}.floor_serialise", "group": "P1", "case": f"{r['title'] or name}: serialisation only",
            **r["floor_serialise_only"], "peak_mb": None, "baseline": None,
            "note": "finished figures and tables replayed (lower bound, information only)",
        })
        checks.append({
            "check": f"P1 {page} renders with the sidebar",
            "ok": r["sidebar_sliders"] >= 15 and r["title"] is not None,
            "detail": f"title {r['title']!r}, {r['sidebar_sliders']} sidebar sliders, "
                      f"{r['weight_vectors_seen']} distinct weight vectors",
        })
    return rows, checks


# --------------------------------------------------------------------------------------------
# Evaluation and output
# --------------------------------------------------------------------------------------------


def evaluate(rows: list[dict]) -> None:
    """Add ratio, target text and pass/miss to each row (in place)."""
    by_id = {r["id"]: r for r in rows}
    for r in rows:
        base = by_id.get(r.get("baseline") or "")
        r["ratio"] = None
        parts, ok = [], []
        if (r["group"] == "P1" or r.get("floor_ratio")) and base is not None:
            r["ratio"] = r["median_s"] / base["median_s"]
            r["ratio_text"] = f"{r['ratio']:.2f}× floor"
            parts.append(f"≤ {P1_TARGET_RATIO}× floor")
            ok.append(r["ratio"] <= P1_TARGET_RATIO)
        elif base is not None:
            r["ratio"] = base["median_s"] / r["median_s"]
            r["ratio_text"] = f"{r['ratio']:.0f}× faster" if r["ratio"] >= 10 else f"{r['ratio']:.1f}× faster"
            if r.get("target_speedup"):
                parts.append(f"≥ {r['target_speedup']:.0f}× faster")
                ok.append(r["ratio"] >= r["target_speedup"])
        if r.get("target_s") is not None:
            parts.insert(0, f"≤ {_fmt_s(r['target_s'])}")
            ok.insert(0, r["median_s"] <= r["target_s"])
        r["target"] = ", ".join(parts) if parts else "—"
        r["pass"] = None if not ok else all(ok)


def _fmt_s(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds >= 10:
        return f"{seconds:.1f} s"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 0.001:
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds * 1e6:.0f} µs"


def table_rows(rows: list[dict]) -> list[list[str]]:
    out = []
    for r in rows:
        result = "—" if r["pass"] is None else ("pass" if r["pass"] else "MISS")
        out.append([
            r["id"], r["case"], _fmt_s(r["median_s"]), _fmt_s(r["p90_s"]), _fmt_s(r["min_s"]), str(r["reps"]),
            r.get("ratio_text", "—"), r["target"], result,
            "—" if r.get("peak_mb") is None else f"{r['peak_mb']:.0f}" if r["peak_mb"] >= 10 else f"{r['peak_mb']:.1f}",
        ])
    return out


HEADER = ["id", "case", "median", "p90", "min", "n", "vs baseline", "target", "result", "peak MB"]


def text_table(rows: list[dict]) -> str:
    body = table_rows(rows)
    widths = [max([len(h)] + [len(b[i]) for b in body]) for i, h in enumerate(HEADER)]
    widths[1] = min(widths[1], 70)

    def line(cells: list[str]) -> str:
        return "  ".join((c if len(c) <= widths[i] else c[: widths[i] - 1] + "…").ljust(widths[i]) for i, c in enumerate(cells))

    return "\n".join([line(HEADER), line(["-" * w for w in widths]), *(line(b) for b in body)])


def markdown(report: dict[str, Any]) -> str:
    m = report["machine"]
    libs = ", ".join(f"{k} {v}" for k, v in m["libraries"].items())
    lines = [
        "# Benchmark results",
        "",
        "Generated by `python -m benchmarks.run` (groups re-run alone with `--only` replace their rows). "
        "Medians of several runs; every ratio is against a baseline measured in the same run as the case. "
        "P2/P3 order books are **SYNTHETIC — benchmark only** (seeded generator, never real data); "
        "P1/P3-embedded/P4 use the store built from the seeds.",
        "",
        f"**Machine:** {m['cores']} cores ({m['cpu']}), {m['memory_gb']} GB RAM, {m['os']}; Python {m['python']}; "
        f"{libs}; {m['chromium']}.",
        "",
        "**Runs** (1/5/15-minute load average at start → end of each group; other processes on this 2-core "
        "machine move timings by 10–30 %): "
        + "; ".join(
            f"{name} {st['finished']}{' (--quick)' if st['quick'] else ''}, load {st['load_start']} → {st['load_end']}"
            for name, st in sorted(report["stages"].items())
        )
        + ".",
        "",
        "| " + " | ".join(HEADER) + " |",
        "|" + "|".join("---" for _ in HEADER) + "|",
    ]
    for cells in table_rows(report["rows"]):
        lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    lines += ["", "**Notes**", ""]
    by_note: dict[str, list[str]] = {}
    for r in report["rows"]:
        if r.get("note"):
            by_note.setdefault(r["note"], []).append(r["id"])
    for note, ids in by_note.items():
        lines.append(f"- {', '.join(f'`{i}`' for i in ids)}: {note}")
    lines += ["", "**Identity and sanity checks**", ""]
    for c in report["checks"]:
        lines.append(f"- {'✅' if c['ok'] else '❌'} {c['check']}: {c['detail']}")
    lines += [
        "",
        "Peak MB: peak tracemalloc memory of one untimed call for in-process cases (P2/P3; the 1M-order pandas loop: "
        "resident-set growth during a timed call, as tracing would slow it several-fold); the peak resident set of the "
        "AppTest worker process (P1, page + its floor, incl. Python + Streamlit) or of the Streamlit server (P4).",
        "Every sample is in `benchmarks/results/latest.json` (git-ignored).",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (for a smoke run)")
    parser.add_argument("--only", default="P1,P2,P3,P4", help="comma-separated subset of P1,P2,P3,P4")
    parser.add_argument("--json", type=Path, default=RESULTS_DIR / "latest.json")
    parser.add_argument("--no-markdown", action="store_true", help="do not rewrite benchmarks/RESULTS.md")
    args = parser.parse_args(argv)
    wanted = {p.strip().upper() for p in args.only.split(",") if p.strip()}
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)

    from benchmarks.measure import machine

    started = time.perf_counter()
    load_start = [round(x, 2) for x in os.getloadavg()]
    info = machine()
    log(f"machine: {info['cores']} cores, {info['cpu']}, Python {info['python']}; load {load_start}")
    store = prepare_store()
    rows: list[dict] = []
    checks: list[dict] = []
    errors: list[str] = []

    stages: dict[str, dict[str, Any]] = {}

    def stage(name: str, fn) -> None:  # noqa: ANN001
        if name not in wanted:
            return
        load = [round(x, 2) for x in os.getloadavg()]
        try:
            r, c = fn()
        except Exception as exc:  # noqa: BLE001 - report and carry on with the other cases
            import traceback

            traceback.print_exc()
            errors.append(f"{name}: {exc!r}")
            r, c = [], [{"check": f"{name} ran", "ok": False, "detail": repr(exc)}]
        rows.extend(r)
        checks.extend({**x, "group": name} for x in c)
        stages[name] = {
            "finished": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
            "quick": args.quick, "load_start": load, "load_end": [round(x, 2) for x in os.getloadavg()],
        }

    from benchmarks import cold_start, engine_cases

    stage("P2", lambda: engine_cases.run_p2(args.quick, log))
    stage("P3", lambda: engine_cases.run_p3(args.quick, log))
    stage("P1", lambda: run_p1(args.quick, store))
    stage("P4", lambda: cold_start.run_p4(args.quick, log))
    merged_from = None
    if wanted != set(GROUPS) and args.json.exists():
        # A partial run replaces its groups in the previous report; the other groups (each with its
        # own in-run baselines) are kept as they were, with their own timestamps.
        previous = json.loads(args.json.read_text())
        same_machine = previous.get("machine", {}).get("cpu") == info["cpu"] and previous.get("machine", {}).get("cores") == info["cores"]
        if same_machine and "stages" in previous:
            merged_from = previous.get("finished")
            rows = [r for r in previous["rows"] if r["group"] not in wanted] + rows
            checks = [c for c in previous["checks"] if c.get("group") not in wanted] + checks
            stages = {**{k: v for k, v in previous.get("stages", {}).items() if k not in wanted}, **stages}
    rows.sort(key=lambda r: GROUPS.index(r["group"]))
    checks.sort(key=lambda c: GROUPS.index(c.get("group", "P4")))
    evaluate(rows)

    report = {
        "quick": args.quick,
        "finished": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "wall_s": time.perf_counter() - started,
        "load_start": load_start,
        "load_end": [round(x, 2) for x in os.getloadavg()],
        "machine": info,
        "store": str(store),
        "label": "P2/P3 synthetic inputs: SYNTHETIC — benchmark only",
        "stages": stages,
        "merged_into": merged_from,
        "rows": rows,
        "checks": checks,
        "errors": errors,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2, default=float))
    print(text_table(rows))
    print()
    for c in checks:
        print(f"{'ok  ' if c['ok'] else 'FAIL'} {c['check']}: {c['detail']}")
    complete = set(stages) == set(GROUPS)
    if not args.no_markdown and complete:
        RESULTS_MD.write_text(markdown(report), encoding="utf-8")
        log(f"wrote {args.json} and {RESULTS_MD}")
    else:
        log(f"wrote {args.json}" + ("" if args.no_markdown else " (RESULTS.md needs results of all of P1–P4)"))
    return 0 if all(c["ok"] for c in checks) and not errors else 1


if __name__ == "__main__":
    sys.exit(main())
