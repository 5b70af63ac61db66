"""What one session and one upload cost a server, and the most one request can cost (loopback only).

    PYTHONPATH=. .venv/bin/python -m benchmarks.session_cost [--sessions 20] [--uploads 4]

Against one fresh server (a copy of the tracked tree, the read-only store, an embedded scenario
file), driven over Streamlit's websocket protocol by ``benchmarks.load.Session``:

1. **Baseline**: one warm session (Overview, three slider moves); resident memory (VmRSS) read.
2. **Per session**: ``--sessions`` more sessions open the Overview and move two sliders each and stay
   connected; memory again. (growth) / sessions = MB per open session.
3. **Per upload, and the costliest request**: ``--uploads`` sessions each upload the largest book the
   app accepts (``data.upload.MAX_ROWS`` orders) and move a slider on the Queue page. Memory again:
   (growth) / uploads = MB per upload held. The server's CPU time (utime + stime from /proc) is read
   around each upload request, with nothing else running: that is the most one request costs.
4. **Refusals**: a 6 MB file (over the size limit) and a file one row over the row limit: the
   time until the refusal, and the server CPU spent.

The big books are SYNTHETIC (benchmark only): real partner codes and line ids from the seeds, with
generated units, dates and ids, written as ``synthetic_book_*.csv``. The script never asserts a
number: it writes ``benchmarks/results/session_cost.json`` and prints a table.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import io
import json
import os
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.cold_start import _serving, copy_tracked_tree
from benchmarks.load import Session, _put_file, _xsrf_cookie
from benchmarks.measure import machine

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
TICKS = os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def synthetic_book(rows: int, seed: int) -> bytes:
    """SYNTHETIC — benchmark only: ``rows`` orders on real partner codes and line ids."""
    rng = random.Random(seed)
    with (ROOT / "data" / "seeds" / "production_line.csv").open(encoding="utf-8") as handle:
        lines = [r["line_id"] for r in csv.DictReader(handle)]
    with (ROOT / "data" / "seeds" / "arms_order.csv").open(encoding="utf-8") as handle:
        partners = sorted({r["iso3"] for r in csv.DictReader(handle)})
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["order_id", "iso3", "line_id", "units", "contract_date"])
    for number in range(rows):
        writer.writerow([number + 1, rng.choice(partners), rng.choice(lines), rng.randint(1, 40),
                         f"{rng.randint(2010, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"])
    return out.getvalue().encode()


async def _open(session: Session, moves: int) -> Any:
    import websockets

    ws = await websockets.connect(session.url.replace("http://", "ws://") + "/_stcore/stream",
                                  subprotocols=["streamlit"], max_size=None, open_timeout=120)
    await session._run(ws)
    for _ in range(moves):
        await session.move_slider(ws)
    return ws


async def _measure(url: str, pid: int, sessions: int, uploads: int, tmp: Path) -> dict[str, Any]:
    xsrf = await asyncio.to_thread(_xsrf_cookie, url)
    rng = random.Random(0)
    sockets = []
    report: dict[str, Any] = {}

    def new_session(number: int) -> Session:
        session = Session(number, url, random.Random(rng.random()))
        session.xsrf = xsrf
        return session

    warm = new_session(0)
    sockets.append(await _open(warm, 3))
    await asyncio.sleep(1)
    base = rss_mb(pid)
    report["baseline_rss_mb"] = base

    opened = [new_session(1 + i) for i in range(sessions)]
    for session in opened:  # one at a time: each session's own cost, not a burst
        sockets.append(await _open(session, 2))
    await asyncio.sleep(1)
    after_sessions = rss_mb(pid)
    report["sessions"] = sessions
    report["rss_after_sessions_mb"] = after_sessions
    report["mb_per_session"] = (after_sessions - base) / sessions if sessions else None
    report["session_errors"] = sum(len(s.errors) for s in opened)

    from data.upload import MAX_BYTES, MAX_ROWS

    big = synthetic_book(MAX_ROWS, seed=1)
    while len(big) > MAX_BYTES - 10_000:  # the most the app accepts: the row limit, under the size limit
        big = synthetic_book(len(big.splitlines()) - 1 - 2_000, seed=1)
    report["upload_rows"], report["upload_bytes"] = len(big.splitlines()) - 1, len(big)
    upload_cpu, upload_wall, upload_sessions = [], [], []
    for n in range(uploads):
        session = new_session(100 + n)
        ws = await _open(session, 0)
        sockets.append(ws)
        # Each upload gets its own bytes (another seed), so no two share a cache entry.
        session.upload_bytes = big if n == 0 else synthetic_book(report["upload_rows"], seed=2 + n)
        cpu0, wall0 = cpu_s(pid), time.perf_counter()
        await session.upload(ws)
        upload_cpu.append(cpu_s(pid) - cpu0)
        upload_wall.append(time.perf_counter() - wall0)
        cpu0, wall0 = cpu_s(pid), time.perf_counter()
        await session.move_slider(ws)
        report.setdefault("move_on_upload_cpu_s", []).append(cpu_s(pid) - cpu0)
        upload_sessions.append(session)
    await asyncio.sleep(1)
    after_uploads = rss_mb(pid)
    report["uploads"] = uploads
    report["uploads_in_use"] = sum(s.book_name is not None for s in upload_sessions)
    report["upload_errors"] = [e for s in upload_sessions for e in s.errors][:3]
    report["rss_after_uploads_mb"] = after_uploads
    report["mb_per_upload"] = (after_uploads - after_sessions) / uploads if uploads else None
    report["upload_request_cpu_s"] = upload_cpu
    report["upload_request_wall_s"] = upload_wall

    refusals = {}
    for label, content in (("6 MB file (over the size limit)", b"x" * 6_000_000),
                           ("one row over the row limit", _rows_over_limit())):
        session = new_session(900 + len(refusals))
        ws = await _open(session, 0)
        sockets.append(ws)
        session.upload_bytes = content
        cpu0, wall0 = cpu_s(pid), time.perf_counter()
        await session.upload(ws)
        refusals[label] = {"bytes": len(content), "cpu_s": cpu_s(pid) - cpu0, "wall_s": time.perf_counter() - wall0,
                           "outcome": (session.errors or ["accepted"])[-1][:160]}
    report["refusals"] = refusals
    for ws in sockets:
        with contextlib.suppress(Exception):
            await ws.close()
    return report


def _rows_over_limit() -> bytes:
    """One row more than the limit, minimal rows (under 5 MB): refused by the row limit, not the size limit."""
    from data.upload import MAX_ROWS

    lines = ["iso3,line_id,units,contract_date"] + ["POL,pac3_mse,1,2020-01-01"] * (MAX_ROWS + 1)
    return ("\n".join(lines) + "\n").encode()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--uploads", type=int, default=4)
    args = parser.parse_args(argv)
    sessions, uploads = min(max(args.sessions, 1), 100), min(max(args.uploads, 1), 10)
    with tempfile.TemporaryDirectory(prefix="bench-cost-") as tmp:
        repo = copy_tracked_tree(Path(tmp) / "repo")
        store = repo / "data" / "arms_priority.duckdb"
        from data.store import build_store

        build_store(store)
        env = {"ARMS_PRIORITY_READ_ONLY": "1", "ARMS_PRIORITY_SCENARIOS_DB": str(Path(tmp) / "scenarios.duckdb")}
        with _serving(repo, "app.py", store, extra_env=env) as (url, process):
            report = asyncio.run(_measure(url, process.pid, sessions, uploads, Path(tmp)))
            report["peak_rss_mb"] = float(
                next(line.split()[1] for line in Path(f"/proc/{process.pid}/status").read_text().splitlines()
                     if line.startswith("VmHWM:"))) / 1024
    report = {"machine": machine(), **report}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "session_cost.json").write_text(json.dumps(report, indent=2, default=str))
    print(json.dumps({k: v for k, v in report.items() if k != "machine"}, indent=1, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
