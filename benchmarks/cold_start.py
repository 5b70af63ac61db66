"""P4 cold start: a fresh clone with no store → first rendered page in headless Chromium.

Each repetition:

1. copies the project's tracked files (the tree minus everything ``.gitignore`` excludes and
   ``.git``: no ``.venv``, no ``__pycache__``, no ``*.duckdb``) to a new temporary directory —
   outside the timing;
2. starts ``python -m streamlit run app.py`` there (the project's ``.venv`` Python, warm: its
   site-packages are compiled and in the OS cache) with ``ARMS_PRIORITY_DB`` pointing to a
   missing file inside the clone, so the first script run must build the DuckDB store from the
   seed CSVs;
3. opens the root URL in an already-running headless Chromium (Debian's ``/usr/bin/chromium``,
   launched once with the e2e suite's arguments) as soon as ``/_stcore/health`` answers;
4. stops the clock when the overview page's title heading is visible **and** Streamlit's status
   widget ("Running…") is gone.

Reported per repetition: time to health, to the heading, to the end of the run; the peak
resident set (VmHWM) of the server process; and whether the store was built. One untimed
repetition first warms the OS file cache and Chromium. After each timed start, an untimed second
browser session opens the same server (a second user after a cold start) and must render the page
too — a check, not a timing.
"""

from __future__ import annotations

import contextlib
import fnmatch
import itertools
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.measure import process_peak_mb, summarise

ROOT = Path(__file__).resolve().parents[1]
from tests.servers import CHROMIUM, CHROMIUM_ARGS  # noqa: E402 - shared with the other browser code
# What .gitignore excludes (plus .git): the copy is what a fresh clone contains.
IGNORED_NAMES = {".git", ".venv", "__pycache__", ".pytest_cache", ".hypothesis", "node_modules"}
IGNORED_PATTERNS = ("*.pyc", "*.duckdb", "*.duckdb.wal", "*.duckdb.tmp", "*.duckdb.unreadable-*")
IGNORED_PATHS = {"benchmarks/results", "tests/e2e/artifacts", ".streamlit/secrets.toml"}
# The Overview's map is drawn (the country outlines, SVG paths of plotly's geo choropleth): the page is complete.
MAP_CANVAS = '.st-key-overview_map path.choroplethlocation'
SLIDER = '[data-testid="stSidebar"] input[type="range"][aria-label="{label}"]'
# In-page timer for one slider move: armed before the key press, it takes the time of the keydown
# and stops at the first animation frame where the chart's data (x, y, z, marker colours as Plotly
# drew them) differ from before the move and
# Streamlit's status widget ("Running…") is gone — the updated chart is on screen.
ARM_TIMER = """(selector) => {
    const signature = () => {
        const plot = document.querySelector(selector);
        // _fullData: what Plotly has drawn (typed arrays decoded), not the spec it was given.
        if (!plot || !plot._fullData) return null;
        const values = (v) => (v && typeof v !== "string" && v.length !== undefined ? Array.from(v) : v);
        return JSON.stringify(plot._fullData.map((t) => [values(t.x), values(t.y), values(t.z), values(t.marker && t.marker.color)]));
    };
    window.__benchBefore = signature();
    window.__benchStart = null;
    window.__benchDone = null;
    document.addEventListener("keydown", () => { window.__benchStart = performance.now(); }, {once: true, capture: true});
    const tick = () => {
        const now = signature();
        const idle = !document.querySelector('[data-testid="stStatusWidget"]');
        if (window.__benchStart !== null && now !== null && now !== window.__benchBefore && idle) {
            window.__benchDone = performance.now();
            return;
        }
        requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
}"""


def copy_tracked_tree(dest: Path) -> Path:
    """Copy the project as a fresh clone would have it (no store, no caches, no venv)."""

    def ignore(directory: str, names: list[str]) -> set[str]:
        rel = Path(directory).resolve().relative_to(ROOT)
        skipped = set()
        for name in names:
            path = (rel / name).as_posix()
            if (
                name in IGNORED_NAMES
                or any(fnmatch.fnmatch(name, p) for p in IGNORED_PATTERNS)
                or path in IGNORED_PATHS
            ):
                skipped.add(name)
        return skipped

    shutil.copytree(ROOT, dest, ignore=ignore)
    return dest


def _free_port() -> int:
    from tests.servers import free_port

    return free_port()


def _title_of_default_page(repo: Path) -> str | None:
    """The default page's ``st.title`` text (the heading to wait for), read from the clone."""
    app = (repo / "app.py").read_text(encoding="utf-8")
    match = re.search(r'st\.Page\("([^"]+)"[^)]*default=True', app)
    page = repo / (match.group(1) if match else "pages/overview.py")
    found = re.search(r'st\.title\(\s*"([^"]+)"', page.read_text(encoding="utf-8"))
    return found.group(1) if found else None


def _one_start(browser, repo: Path, timeout_s: float = 120.0) -> dict[str, Any]:  # noqa: ANN001
    from tests.servers import start as start_server
    from tests.servers import stop as stop_server
    from tests.servers import wait_healthy

    port = _free_port()
    store = repo / "data" / "arms_priority.duckdb"
    assert not store.exists()
    env = _env(repo, store)
    heading = _title_of_default_page(repo)
    log = (repo / "server.log").open("w")
    start = time.perf_counter()
    process = start_server("app.py", repo, env, log, port)
    url = f"http://127.0.0.1:{port}"
    out: dict[str, Any] = {"heading": heading}
    context = None
    try:
        wait_healthy(url, process, timeout_s, str(repo / "server.log"), poll_s=0.02)
        out["health_s"] = time.perf_counter() - start
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(timeout_s * 1000)
        page.goto(url)
        if heading:
            page.get_by_role("heading", name=heading, level=1).first.wait_for(state="visible")
        else:
            page.locator('[data-testid="stMain"] h1').first.wait_for(state="visible")
        out["heading_s"] = time.perf_counter() - start
        page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden")
        page.locator(MAP_CANVAS).first.wait_for(state="visible")
        out["rendered_s"] = time.perf_counter() - start
        out["exceptions_on_page"] = page.locator('[data-testid="stException"]').count()
        out["server_peak_rss_mb"] = process_peak_mb(process.pid)
        out["store_built"] = store.exists()
        out["second_session"], out["second_session_s"] = _second_session(browser, url, heading, timeout_s)
    finally:
        if context is not None:
            context.close()
        stop_server(process)
        log.close()
    return out


def _second_session(browser, url: str, heading: str | None, timeout_s: float) -> tuple[str, float | None]:  # noqa: ANN001
    """A second browser session on the same (now warm) server: does it render the page, map
    included, and how long from opening the URL until it has?

    Returns ('ok', seconds), or the first line of the exception Streamlit shows instead and None.
    """
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.set_default_timeout(timeout_s * 1000)
        start = time.perf_counter()
        page.goto(url)
        title = page.get_by_role("heading", name=heading, level=1) if heading else page.locator('[data-testid="stMain"] h1')
        error = page.locator('[data-testid="stException"]')
        title.or_(error).first.wait_for(state="visible")
        if error.count():
            return "exception: " + error.first.inner_text().strip().splitlines()[0][:300], None
        page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden")
        page.locator(MAP_CANVAS).first.wait_for(state="visible")
        elapsed = time.perf_counter() - start
        if error.count():
            return "exception: " + error.first.inner_text().strip().splitlines()[0][:300], None
        return "ok", elapsed
    finally:
        context.close()


_SERVER_LOGS = itertools.count(1)  # server-1.log, server-2.log, ... in the repo copy


@contextlib.contextmanager
def _serving(repo: Path, script: str, store: Path, timeout_s: float = 120.0, extra_env: dict[str, str] | None = None):  # noqa: ANN201
    """A Streamlit server for ``script`` in ``repo`` on a free loopback port; yields its URL and
    process, stops it afterwards."""
    from tests.servers import serving

    with serving(script, repo, _env(repo, store, extra_env), repo / f"server-{next(_SERVER_LOGS)}.log", timeout_s) as running:
        yield running


def _env(repo: Path, store: Path, extra_env: dict[str, str] | None = None) -> dict[str, str]:
    """The server's environment: this one without our settings, then the repo copy's store and path."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "ARMS_PRIORITY_DB", "ARMS_PRIORITY_READ_ONLY")}
    env.update(extra_env or {})
    env["ARMS_PRIORITY_DB"] = str(store)
    env["PYTHONPATH"] = str(repo)
    return env


def _slider_move(page, label: str, key: str, timeout_s: float, chart: str = "overview_map") -> float:  # noqa: ANN001
    """Seconds from the key press on a sidebar slider to the updated chart (Streamlit key ``chart``) on screen."""
    page.evaluate(ARM_TIMER, f".st-key-{chart} .js-plotly-plot")
    thumb = page.locator(SLIDER.format(label=label))
    thumb.focus()
    thumb.press(key)
    page.wait_for_function("() => window.__benchDone !== null", timeout=timeout_s * 1000)
    return float(page.evaluate("() => (window.__benchDone - window.__benchStart) / 1000"))


# Pages whose main chart changes with every weight step, measured in Chromium: (name, URL path,
# chart key, a radio option to pick first or None, the weight slider moved and the arrow key). Each
# page moves its own slider in one direction, from its EO-preset weight with room for 16 steps
# (0–20), so every move is a weight vector not seen before. The Queue page is left out: its charts
# move only when a queue changes, which one slider step often does not do.
SLIDER_PAGES = (
    ("overview", "/", "overview_map", None, "Defense spending, % of GDP", "ArrowLeft"),  # 20 → 4
    ("ranking", "/ranking", "ranking_contrib_chart", None, "Equipment share of defense spending", "ArrowRight"),  # 4 → 20
    ("regions", "/regions", "regions_map", "Mean partner score", "Distance to pledge", "ArrowRight"),  # 2 → 18
)


def measure_interactive(browser, sessions: int, moves: int, timeout_s: float = 120.0) -> dict[str, Any]:  # noqa: ANN001
    """On a warm server: new sessions until the Overview is complete (map drawn), then slider moves
    on each page of ``SLIDER_PAGES`` against the same moves on the browser floor
    (``browser_floor.py``), interleaved so load drift affects both alike. Every move is a weight
    vector not seen before (one step of the arrow key each time, one direction per slider)."""
    with tempfile.TemporaryDirectory(prefix="bench-warm-") as tmp:
        repo = copy_tracked_tree(Path(tmp) / "repo")
        store = repo / "data" / "arms_priority.duckdb"
        heading = _title_of_default_page(repo)
        with _serving(repo, "app.py", store) as (url, process):
            status, _ = _second_session(browser, url, heading, timeout_s)  # builds the store, warms the server
            if status != "ok":
                raise RuntimeError(f"warm-up session failed: {status}")
            # Streamlit serves static/ beside the main script: the floor runs from the clone's root,
            # like app.py, so its map loads the same outlines (served from benchmarks/ it would
            # draw an empty map and the floor would be too cheap).
            shutil.copy(repo / "benchmarks" / "browser_floor.py", repo / "browser_floor.py")
            app: dict[str, list[float]] = {}
            floor: list[float] = []
            exceptions = 0
            with _serving(repo, "browser_floor.py", store) as (floor_url, _):
                # New sessions on both servers, interleaved: the floor's (the same map and tables
                # in a bare script) is what any Streamlit page showing them costs a new visitor.
                _second_session(browser, floor_url, "Browser floor", timeout_s)  # untimed warm-up
                warm, warm_floor = [], []
                for _ in range(sessions):
                    for target, title, samples in ((url, heading, warm), (floor_url, "Browser floor", warm_floor)):
                        status, seconds = _second_session(browser, target, title, timeout_s)
                        if status != "ok":
                            raise RuntimeError(f"warm session failed on {target}: {status}")
                        samples.append(seconds)
                contexts = [browser.new_context(viewport={"width": 1440, "height": 900}) for _ in range(2)]
                try:
                    app_page, floor_page = (c.new_page() for c in contexts)
                    floor_page.set_default_timeout(timeout_s * 1000)
                    floor_page.goto(floor_url)
                    floor_page.locator(MAP_CANVAS).first.wait_for(state="visible")
                    floor_page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden")
                    _slider_move(floor_page, "Floor weight", "ArrowLeft", timeout_s)  # untimed warm-up
                    app_page.set_default_timeout(timeout_s * 1000)
                    for name, path, chart, option, slider, key in SLIDER_PAGES:
                        # The whole scenario lives in the URL: the page opens at the weights reached so far.
                        query = app_page.url.partition("?")[2]
                        app_page.goto(url.rstrip("/") + path + (f"?{query}" if query else ""))
                        app_page.locator(f".st-key-{chart} .js-plotly-plot").first.wait_for(state="visible")
                        app_page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden")
                        if option is not None:  # the map's metric: wait until the map shows it
                            app_page.get_by_text(option, exact=True).click()
                            app_page.wait_for_function(
                                """([chart, option]) => { const el = document.querySelector(`.st-key-${chart} .js-plotly-plot`);
                                    return !!el && !!el._fullData && el._fullData[0].colorbar.title.text === option; }""",
                                arg=[chart, option])
                            app_page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden")
                        _slider_move(app_page, slider, key, timeout_s, chart)  # untimed warm-up
                        app[name] = []
                        for _ in range(moves):
                            app[name].append(_slider_move(app_page, slider, key, timeout_s, chart))
                            floor.append(_slider_move(floor_page, "Floor weight", "ArrowLeft", timeout_s))
                        exceptions += app_page.locator('[data-testid="stException"]').count()
                finally:
                    for context in contexts:
                        context.close()
            peak = process_peak_mb(process.pid)
    return {"warm": warm, "warm_floor": warm_floor, "app": app, "floor": floor, "exceptions": exceptions, "peak_mb": peak}


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def time_store_build(reps: int) -> dict[str, Any]:
    """``data.store.build_store`` alone (the part of the cold start that builds the store)."""
    from data.store import build_store

    samples = []
    with tempfile.TemporaryDirectory(prefix="bench-store-") as tmp:
        for i in range(reps + 1):
            target = Path(tmp) / f"s{i}.duckdb"
            t = time.perf_counter()
            build_store(target)
            if i:  # first build warms the imports
                samples.append(time.perf_counter() - t)
    return summarise(samples)


def run_p4(quick: bool, log: Callable[[str], None] = print) -> tuple[list[dict], list[dict]]:
    from playwright.sync_api import sync_playwright

    reps = 5 if not quick else 2
    starts: list[dict[str, Any]] = []
    checks: list[dict] = []
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            for i in range(reps + 1):
                with tempfile.TemporaryDirectory(prefix="bench-clone-") as tmp:
                    repo = copy_tracked_tree(Path(tmp) / "repo")
                    result = _one_start(browser, repo)
                if i == 0:
                    log(f"P4 warm-up start: {result['rendered_s']:.2f} s (untimed)")
                    continue
                log(f"P4 cold start {i}/{reps}: health {result['health_s']:.2f} s, heading {result['heading_s']:.2f} s, "
                    f"rendered {result['rendered_s']:.2f} s")
                starts.append(result)
            interactive = measure_interactive(browser, sessions=5 if not quick else 3, moves=15 if not quick else 8)
        finally:
            browser.close()
    log("P4 warm sessions (app / floor): " + ", ".join(f"{a:.2f}/{f:.2f}" for a, f in zip(interactive["warm"], interactive["warm_floor"], strict=True)) + " s; slider moves: "
        + "; ".join(f"{name} " + ", ".join(f"{a:.2f}" for a in moves) for name, moves in interactive["app"].items())
        + "; floor " + ", ".join(f"{f:.2f}" for f in interactive["floor"]) + " s")
    store = time_store_build(3 if not quick else 1)
    peak = max((s["server_peak_rss_mb"] or 0) for s in starts) or None
    rows = [
        {"id": "P4.cold_start", "group": "P4",
         "case": "fresh clone, no store → first page rendered in headless Chromium",
         **summarise([s["rendered_s"] for s in starts]), "peak_mb": peak, "peak_kind": "server VmHWM",
         "target_s": 5.0,
         "note": "heading visible at median {:.2f} s; server healthy at {:.2f} s".format(
             summarise([s["heading_s"] for s in starts])["median_s"],
             summarise([s["health_s"] for s in starts])["median_s"]),
         "starts": starts},
        {"id": "P4.store_build", "group": "P4", "case": "of which: build_store from the seed CSVs (in-process)",
         **store, "peak_mb": None, "note": "part of the first script run"},
        {"id": "P4.warm_session_floor", "group": "P4",
         "case": "browser floor: warm server, new browser session → the same map and tables drawn (bare script)",
         **summarise(interactive["warm_floor"]), "peak_mb": None,
         "note": f"p95 {_p95(interactive['warm_floor']):.2f} s"},
        {"id": "P4.warm_session", "group": "P4",
         "case": "warm server, new browser session → Overview complete, map drawn",
         **summarise(interactive["warm"]), "peak_mb": interactive["peak_mb"], "peak_kind": "server VmHWM", "target_s": 2.0,
         "note": f"p95 {_p95(interactive['warm']):.2f} s; {summarise(interactive['warm'])['median_s'] / summarise(interactive['warm_floor'])['median_s']:.2f}× the floor's new session"},
        {"id": "P4.slider_floor", "group": "P4",
         "case": "browser floor: slider key press → updated map (same chart and tables, nothing else)",
         **summarise(interactive["floor"]), "peak_mb": None,
         "note": f"p95 {_p95(interactive['floor']):.2f} s"},
    ]
    charts = {"overview": "Overview: weight slider key press → updated map on screen",
              "ranking": "Partner ranking: weight slider key press → updated score-contribution chart",
              "regions": "Regional priorities (mean score): weight slider key press → updated map"}
    for name, samples in interactive["app"].items():
        rows.append({"id": f"P4.slider_{name}", "group": "P4", "case": charts[name] + " (new weights every move)",
                     **summarise(samples), "peak_mb": None, "baseline": "P4.slider_floor", "floor_ratio": True,
                     "note": f"p95 {_p95(samples):.2f} s against the floor's p95 {_p95(interactive['floor']):.2f} s"})
    checks.append({"check": "slider moves on the measured pages raised no exception", "ok": interactive["exceptions"] == 0,
                   "detail": f"{interactive['exceptions']} exception(s) on the page"})
    checks.append({"check": "cold start built the store and rendered the page without exceptions",
                   "ok": all(s["store_built"] and s["exceptions_on_page"] == 0 for s in starts),
                   "detail": f"{sum(s['store_built'] for s in starts)}/{len(starts)} built the store; "
                             f"exceptions on page: {[s['exceptions_on_page'] for s in starts]}"})
    second = [s["second_session"] for s in starts]
    checks.append({"check": "after a cold start, a second browser session renders the page",
                   "ok": all(x == "ok" for x in second),
                   "detail": "; ".join(sorted(set(second)))})
    return rows, checks
