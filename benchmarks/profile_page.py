"""Profile one page's rerun after a weight change with pyinstrument (a diagnosis aid, not a benchmark).

    ARMS_PRIORITY_DB=/tmp/bench.duckdb python -m benchmarks.profile_page pages/overview.py [--reps 5] [--html out.html]

Warms the page, then profiles ``--reps`` reruns, each with a new weight vector (so every cached
scenario function misses), and prints the call tree.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from benchmarks.p1_worker import ROOT, _pin_navigation_mode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("page")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--cached", action="store_true", help="revisit cached weights instead of new ones")
    parser.add_argument("--html", type=Path, default=None)
    parser.add_argument("--interval", type=float, default=0.0005)
    args = parser.parse_args(argv)
    _pin_navigation_mode()
    from pyinstrument import Profiler
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    at.switch_page(args.page)
    at.run()
    slider = "w_share_gdp"
    values = [3, 4] * args.reps if args.cached else list(range(1, 21))
    for v in values[:2]:
        at.sidebar.slider(key=slider).set_value(v)
        at.run()
    # AppTest executes the script in its own thread: profile inside that thread, across reruns.
    from streamlit.testing.v1.local_script_runner import LocalScriptRunner

    profiler = Profiler(interval=args.interval)
    original = LocalScriptRunner._run_script_thread

    def profiled(self):  # noqa: ANN001
        profiler.start()
        try:
            original(self)
        finally:
            profiler.stop()

    LocalScriptRunner._run_script_thread = profiled
    try:
        for v in values[2: 2 + args.reps]:
            at.sidebar.slider(key=slider).set_value(v)
            at.run()
    finally:
        LocalScriptRunner._run_script_thread = original
    if at.exception:
        print([e.value for e in at.exception], file=sys.stderr)
        return 1
    if args.html:
        args.html.write_text(profiler.output_html())
    print(profiler.output_text(unicode=False, color=False, show_all=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
