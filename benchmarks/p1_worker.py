"""P1 worker: time full reruns of one dashboard page and of its rendering floor (one process).

    python -m benchmarks.p1_worker --page pages/ranking.py --out result.json [--new 15 --cached 10 --floor 15]

Run by ``benchmarks.run`` in a fresh process per page (so the first run is really cold and the
peak memory belongs to that page). Needs ``$ARMS_PRIORITY_DB`` pointing at a built store.

Steps, all with ``streamlit.testing.v1.AppTest`` on ``app.py`` (the real router, sidebar and page):

1. first run (default page), then ``switch_page(page)`` and its first run — reported, untimed
   against any target (cold caches);
2. the page's charts and tables are recorded once (``st.plotly_chart`` / ``st.dataframe`` /
   ``st.data_editor`` calls with their arguments, and the ``ui.charts`` builder call and inputs
   behind each chart) and pickled;
3. **floor**: ``benchmarks/floor_page.py`` replays exactly those calls from the pickle — charts
   rebuilt by the same ``ui.charts`` functions from the recorded (constant) inputs, then
   serialised; tables serialised. A second, lower floor replays the finished figures
   (serialisation only) and is reported for information;
4. **new weights**: each rep moves one sidebar weight slider to a value that makes a weight
   vector never seen before in this process, so every cached scenario function misses;
5. **cached revisit**: alternate between two weight vectors already computed (cache hits).

Page and floor reruns are interleaved (one floor rerun of each kind after each page rerun), so
a change in machine load during the run affects both sides of the ratio alike. Every timed run
is preceded by ``gc.collect()``.

AppTest details. (1) AppTest builds a new ``ScriptCache`` for every run, so every rerun would
re-read, re-parse (magic) and re-compile ``app.py`` and the page — a server compiles each script
once; the worker shares one cache across runs, like a server. (2) AppTest resets
``PagesManager.uses_pages_directory`` before every run, and because
the project keeps its page scripts in a directory named ``pages/`` next to ``app.py`` Streamlit
then takes the legacy (v1) multipage route: after ``switch_page`` it runs ``pages/<name>.py`` on
its own, without ``app.py`` (no session defaults, no sidebar). A real server sets the flag to
False once ``app.py`` has called ``st.navigation``, so the worker pins it to False after every
``PagesManager`` construction — the real server's steady state. (See benchmarks/README.md.)
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import pickle
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
FLOOR = Path(__file__).resolve().parent / "floor_page.py"
RECORDED_KINDS = ("plotly_chart", "dataframe", "data_editor")
NESTED = "__built_by__"  # marks a recorded builder argument that another recorded builder made (see floor_page)
FLOOR_MODES = ("build", "serialise")


def _pin_navigation_mode() -> None:
    """Make AppTest reruns behave like a running server's (see the module docstring)."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test

    original = PagesManager.__init__

    def init(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init
    # AppTest creates a new ScriptCache for every run, so app.py and the page are read, rewritten
    # for "magic" and compiled again on every rerun; a server compiles each script once.
    shared = ScriptCache()
    app_test.ScriptCache = lambda: shared


def _timed_run(at) -> float:  # noqa: ANN001
    gc.collect()
    start = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - start
    if at.exception:
        raise RuntimeError(f"page raised: {[e.value for e in at.exception]}")
    return elapsed


def _record(at, path: Path) -> list[dict]:  # noqa: ANN001
    """Run once with the chart/table calls recorded; pickle them in call order.

    Each entry is ``(kind, data, kwargs, builder)``: the ``st.<kind>`` call's data and keyword
    arguments, and for a chart built by a public ``ui.charts`` function the ``(name, args,
    kwargs)`` of that call, so the floor can rebuild the figure from the same (constant) inputs.
    """
    import inspect

    import streamlit as st

    from ui import charts

    calls: list[tuple[str, object, dict, tuple | None]] = []
    built: dict[int, tuple[str, tuple, dict]] = {}
    originals = {kind: getattr(st, kind) for kind in RECORDED_KINDS}
    builders = {
        name: fn for name, fn in vars(charts).items()
        if inspect.isfunction(fn) and fn.__module__ == charts.__name__ and not name.startswith("_")
    }

    def recorder(kind: str):
        def call(data=None, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
            if args:
                raise RuntimeError(f"st.{kind} called with positional options; record them by name")
            calls.append((kind, data, dict(kwargs), built.get(id(data)) if kind == "plotly_chart" else None))
            return originals[kind](data, **kwargs)

        return call

    def builder_recorder(name: str, fn):  # noqa: ANN001
        def call(*args, **kwargs):  # noqa: ANN002, ANN003
            # A figure argument that a recorded builder made (``titled(world_map(...))``) is kept
            # as that inner call, so the floor rebuilds it too rather than reusing a finished figure.
            recorded = tuple({NESTED: built[id(a)]} if id(a) in built else a for a in args)
            figure = fn(*args, **kwargs)
            built[id(figure)] = (name, recorded, dict(kwargs))  # the outermost builder finishes last
            return figure

        return call

    for kind in RECORDED_KINDS:
        setattr(st, kind, recorder(kind))
    for name, fn in builders.items():
        setattr(charts, name, builder_recorder(name, fn))
    try:
        at.run()
    finally:
        for kind, fn in originals.items():
            setattr(st, kind, fn)
        for name, fn in builders.items():
            setattr(charts, name, fn)
    with path.open("wb") as handle:
        pickle.dump(calls, handle)
    summary = []
    for kind, data, _, builder in calls:
        shape = getattr(data, "shape", None)
        if kind == "plotly_chart":
            summary.append({"kind": kind, "traces": len(data.data), "builder": builder[0] if builder else None})
        else:
            summary.append({"kind": kind, "rows": None if shape is None else int(shape[0]),
                            "cols": None if shape is None else int(shape[1])})
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--page", required=True)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--new", type=int, default=15)
    parser.add_argument("--cached", type=int, default=10)
    parser.add_argument("--floor", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if not os.environ.get("ARMS_PRIORITY_DB"):
        parser.error("set ARMS_PRIORITY_DB to a built store")

    _pin_navigation_mode()
    from streamlit.testing.v1 import AppTest

    from benchmarks.measure import process_peak_mb, summarise
    from scoring.criteria import CRITERIA
    from ui.state import FIELDS_BY_KEY, weight_key

    keys = [weight_key(c.key) for c in CRITERIA]
    current = {k: int(FIELDS_BY_KEY[k].default) for k in keys}
    seen = {tuple(current.values())}
    rng = np.random.default_rng(args.seed)

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    first_default = _timed_run(at)
    at.switch_page(args.page)
    first_page = _timed_run(at)
    title = at.title[0].value if at.title else None
    n_sliders = len(at.sidebar.slider)

    def set_weight(key: str, value: int) -> None:
        at.sidebar.slider(key=key).set_value(value)
        current[key] = value

    def new_vector_step(i: int) -> None:
        for attempt in range(1000):
            key = keys[(i + attempt) % len(keys)]
            value = int(rng.integers(0, 21))
            trial = dict(current, **{key: value})
            vector = tuple(trial.values())
            if vector not in seen and sum(vector) > 0:
                seen.add(vector)
                set_weight(key, value)
                return
        raise RuntimeError("no unseen weight vector found")

    # Two warm-up reruns with new weights (first-use costs of code paths), untimed.
    for i in range(2):
        new_vector_step(i)
        _timed_run(at)

    tmp = tempfile.TemporaryDirectory(prefix="bench-floor-")
    pickle_path = Path(tmp.name) / "floor.pkl"
    recorded = _record(at, pickle_path)
    os.environ["BENCH_FLOOR_PICKLE"] = str(pickle_path)
    floor_apps = {}
    for mode in FLOOR_MODES:
        os.environ["BENCH_FLOOR_MODE"] = mode
        floor_apps[mode] = AppTest.from_file(str(FLOOR), default_timeout=300)
        _timed_run(floor_apps[mode])
        _timed_run(floor_apps[mode])
    floors: dict[str, list[float]] = {mode: [] for mode in FLOOR_MODES}

    def floor_round() -> None:
        """One rerun of each floor, interleaved with the page's reruns so load drift hits both."""
        if len(floors["build"]) >= args.floor:
            return
        for mode in FLOOR_MODES:
            os.environ["BENCH_FLOOR_MODE"] = mode
            floors[mode].append(_timed_run(floor_apps[mode]))

    new = []
    for i in range(args.new):
        new_vector_step(i + 2)
        new.append(_timed_run(at))
        floor_round()

    # Cached revisit: A and B computed once, then alternated.
    key_b = keys[0]
    value_a = current[key_b]
    value_b = (value_a + 1) % 21
    for value in (value_b, value_a):
        set_weight(key_b, value)
        _timed_run(at)
        seen.add(tuple(current.values()))
    cached = []
    for i in range(args.cached):
        set_weight(key_b, value_b if i % 2 == 0 else value_a)
        cached.append(_timed_run(at))
        floor_round()
    while len(floors["build"]) < args.floor:
        floor_round()
    peak = process_peak_mb()
    tmp.cleanup()

    result = {
        "page": args.page,
        "title": title,
        "sidebar_sliders": n_sliders,
        "first_run_default_page_s": first_default,
        "first_run_page_s": first_page,
        "new_weights": summarise(new),
        "cached_revisit": summarise(cached),
        "floor": summarise(floors["build"]),
        "floor_serialise_only": summarise(floors["serialise"]),
        "recorded": recorded,
        "peak_rss_mb": peak,
        "weight_vectors_seen": len(seen),
    }
    args.out.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
