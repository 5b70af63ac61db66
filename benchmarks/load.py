"""Load benchmark: many concurrent sessions against one server, or two replicas (loopback only).

    PYTHONPATH=. .venv/bin/python -m benchmarks.load [--sessions 30] [--seconds 180] [--replicas 1|2] [--quick]

Each simulated session speaks Streamlit's own websocket protocol (the binary ``BackMsg`` /
``ForwardMsg`` protobufs the browser sends and receives), so a session costs the server exactly
what a browser's does, without 30 Chromium processes competing for the same 2 cores:

1. sessions arrive one by one over the first 30 s; each opens ``/_stcore/stream`` and runs the
   Overview; the sidebar's weight sliders are found in the deltas, then the lazy "Reference &
   saved scenarios" group is opened (its expander's state sent as a click sends it) so the
   scenario name field and the "Save this scenario" button are drawn;
2. until the time is up, after a think time (``--think``; 0.5–2 s by default) it moves one weight slider to a random
   value (sending every value it has set so far, as the browser does) — and every fourth move it
   saves the scenario under a name of its own instead; every rerun's latency is the time from
   sending the request to the server's ``script_finished`` (opening a page — the first run, the
   switch to the Queue page — is timed apart, as a page open);
   every third session also **uploads its own order book** on its second move, as the browser
   does: it opens the Queue page, asks for an upload URL over the websocket, PUTs the CSV (with
   the XSRF cookie and header), sends the uploader's new state and then works on that page, on
   that book; each of its later runs must name its own file and no other session's;
3. after each rerun the URL the server mirrors the state into (``page_info_changed``) must hold
   exactly this session's weights: any difference — another session's value (**bleed**) or one
   of its own inputs the server dropped (**lost input**) — is counted;
4. at the end every saved scenario's id (read from the "Short link" text) must be in the store with
   its name.

With ``--replicas 2`` sessions are spread over two app processes (sticky, as behind ``ip_hash``)
that share the read-only store and save scenarios to a private PostgreSQL server
(``tests/pg_server.py``; needs Debian's ``postgresql``). Reported: rerun latency p50/p95/p99,
reruns per second, errors, bleed, lost inputs, saved scenarios found, and each server's peak
resident memory. The script stops by itself (bounded duration and session count) and never
asserts a number: it writes ``benchmarks/results/load_think_<min>-<max>.json`` and prints a table.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from benchmarks.cold_start import _serving, copy_tracked_tree
from benchmarks.measure import machine, process_peak_mb

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
MAX_SESSIONS, MAX_SECONDS = 100, 900
SHORT_LINK = re.compile(r"Saved\. Short link: `\?scn=([a-z0-9]{8})`")
IN_USE = re.compile(r"In use: \*\*([^*]+)\*\*")
UPLOAD_EVERY = 3  # every third session uploads its own order book
ARRIVAL_S = 30.0  # sessions arrive evenly over the first 30 s (at most a third of the run)


def _unescaped(markdown: str) -> str:
    """A file name as the app shows it (markdown-escaped) back to the name itself."""
    return re.sub(r"\\(.)", r"\1", markdown)


def _xsrf_cookie(url: str) -> str:
    """The XSRF cookie the health check sets, as the browser gets it before the websocket (needed for uploads)."""
    import http.cookiejar
    import urllib.request

    jar = http.cookiejar.CookieJar()
    urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar)).open(url + "/_stcore/health", timeout=60).read()
    return next((c.value for c in jar if c.name == "_streamlit_xsrf"), "")


def _put_file(url: str, name: str, content: bytes, xsrf: str) -> int:
    """PUT one file as multipart/form-data, with the XSRF cookie and header, as the browser does."""
    import urllib.error
    import urllib.request

    boundary = f"----load{random.getrandbits(64):016x}"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            "Content-Type: text/csv\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    if xsrf:
        headers |= {"X-Xsrftoken": xsrf, "Cookie": f"_streamlit_xsrf={xsrf}"}
    request = urllib.request.Request(url, data=body, method="PUT", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:  # the server refused the body and closed the connection (e.g. over the size limit)
        return -1


def order_books(sessions: int) -> list[bytes]:
    """One order book per uploading session: the store's open orders (real rows from the seeds), each
    session's with its own units (so no two uploads share a cache entry). Benchmark input only."""
    import csv
    import io

    with (ROOT / "data" / "seeds" / "production_line.csv").open(encoding="utf-8") as handle:
        lines = {r["line_id"] for r in csv.DictReader(handle)}
    with (ROOT / "data" / "seeds" / "arms_order.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["status"] in ("signed", "delivering", "notified")
                and r["line_id"] in lines and r["units_open"] and float(r["units_open"]) > 0 and r["contract_date"]]
    books = []
    for number in range(sessions):
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["order_id", "iso3", "line_id", "units", "contract_date", "value_busd"])
        for r in rows:
            units = max(1, round(float(r["units_open"]) * (1 + 0.01 * (number % 50))))
            writer.writerow([r["order_id"], r["iso3"], r["line_id"], units, r["contract_date"], r["value_busd"]])
        books.append(out.getvalue().encode())
    return books


SAVE_GROUP = "Reference & saved scenarios"  # the sidebar group holding the name field and the save button


def _back_rerun(states: dict[str, Any], query: str = "", page: str = "") -> bytes:
    from streamlit.proto.BackMsg_pb2 import BackMsg

    msg = BackMsg()
    msg.rerun_script.query_string = query
    msg.rerun_script.page_script_hash = ""
    msg.rerun_script.page_name = page
    for state in states.values():
        msg.rerun_script.widget_states.widgets.append(state)
    return msg.SerializeToString()


class Session:
    """One simulated browser session (see the module docstring)."""

    def __init__(self, number: int, url: str, rng: random.Random) -> None:
        self.number, self.url, self.rng = number, url, rng
        self.sliders: dict[str, tuple[str, int, int]] = {}  # key -> (widget id, min, max)
        self.name_id = self.save_id = None
        self.group_id: str | None = None  # the lazy "Reference & saved scenarios" group's expander
        self.states: dict[str, Any] = {}  # key -> WidgetState, sent under the widget's current id
        self.weights: dict[str, int] = {}  # what this session has set
        self.latencies: list[float] = []  # reruns after an input (slider, save, upload)
        self.opens: list[float] = []  # opening a page (the first run, switching to the Queue page)
        self.opening = False
        self.errors: list[str] = []
        self.mismatches = 0
        self.think: tuple[float, float] = (0.5, 2.0)
        self.defaults: dict[str, str] = {}
        self.saved: list[tuple[str, str]] = []
        self.query = ""
        self.page = ""  # the Overview (the router's default)
        self.uploader_id: str | None = None
        self.session_id = ""
        self.file_urls: Any = None  # the last file_urls_response
        self.book_name: str | None = None  # this session's uploaded file, once in use
        self.foreign_books = 0  # runs that named another session's file (bleed)
        self.upload_bytes = b""
        self.xsrf = ""

    async def _run(self, ws) -> list[str]:  # noqa: ANN001
        """Send a rerun with the current widget states; read until the run finishes. Returns the
        markdown texts of the run (to find the short link)."""
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        start = time.perf_counter()
        # As the browser does: every widget's state under the id the last run gave it.
        current = {}
        for key, state in self.states.items():
            widget_id = {"_name": self.name_id, "_save": self.save_id, "_group": self.group_id}.get(key) or (
                self.sliders[key][0] if key in self.sliders else state.id)
            state.id = widget_id
            current[widget_id] = state
        await ws.send(_back_rerun(current, page=self.page))
        texts: list[str] = []
        while True:
            raw = await asyncio.wait_for(ws.recv(), timeout=120)
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            kind = msg.WhichOneof("type")
            if kind == "delta" and msg.delta.WhichOneof("type") == "add_block":
                block = msg.delta.add_block
                if block.WhichOneof("type") == "expandable" and block.expandable.label == SAVE_GROUP and block.expandable.id:
                    self.group_id = block.expandable.id
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                which = element.WhichOneof("type")
                if which == "slider" and element.slider.id:
                    key = element.slider.id.rsplit("-", 1)[-1]
                    if key.startswith("w_"):
                        self.sliders[key] = (element.slider.id, int(element.slider.min), int(element.slider.max))
                elif which == "text_input" and element.text_input.label == "Name":
                    self.name_id = element.text_input.id
                elif which == "button" and element.button.label == "Save this scenario":
                    self.save_id = element.button.id
                elif which == "file_uploader":
                    self.uploader_id = element.file_uploader.id
                elif which == "markdown":
                    texts.append(element.markdown.body)
                elif which == "alert":
                    texts.append(element.alert.body)
                elif which == "exception":
                    self.errors.append(element.exception.message[:200])
            elif kind == "page_info_changed":
                self.query = msg.page_info_changed.query_string
            elif kind == "new_session":
                self.session_id = msg.new_session.initialize.session_id
            elif kind == "file_urls_response":
                self.file_urls = msg.file_urls_response
            elif kind == "script_finished":
                if msg.script_finished == ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY:
                    (self.opens if self.opening else self.latencies).append(time.perf_counter() - start)
                    self._check_book(texts)
                    return texts
                if msg.script_finished == ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN:
                    continue  # the script reran itself (e.g. after a callback); wait for that run
                self.errors.append(f"script finished with status {msg.script_finished}")
                return texts

    def _check_state(self) -> None:
        """The URL the server mirrored this session's state into must hold exactly the weights this
        session set (a weight absent from the URL is at its default). Any difference is another
        session's value (bleed) or an input of this one the server lost: counted together."""
        params = {k: v[0] for k, v in parse_qs(self.query).items()}
        for key, mine in self.weights.items():
            shown = params.get(key, self.defaults.get(key))
            try:
                ok = shown is not None and int(float(shown)) == mine
            except ValueError:
                ok = False
            self.mismatches += not ok

    def _check_book(self, texts: list[str]) -> None:
        """Once this session's book is in use, every run must name it, and never another file."""
        if self.book_name is None:
            return
        named = [_unescaped(m.group(1)) for t in texts for m in [IN_USE.search(t)] if m]
        if named != [self.book_name]:
            self.foreign_books += 1

    async def upload(self, ws) -> None:  # noqa: ANN001
        """Open the Queue page and upload this session's book exactly as the browser does."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.Common_pb2 import FileUploaderState, UploadedFileInfo
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        self.page = "queue"
        self.opening = True
        await self._run(ws)
        self.opening = False
        if self.uploader_id is None:
            self.errors.append("the Queue page has no order-book uploader")
            return
        name = f"load_session_{self.number}.csv"
        request = BackMsg()
        request.file_urls_request.request_id = f"r{self.number}"
        request.file_urls_request.file_names.append(name)
        request.file_urls_request.session_id = self.session_id
        await ws.send(request.SerializeToString())
        while self.file_urls is None:
            msg = ForwardMsg()
            msg.ParseFromString(await asyncio.wait_for(ws.recv(), timeout=120))
            if msg.WhichOneof("type") == "file_urls_response":
                self.file_urls = msg.file_urls_response
        urls = self.file_urls.file_urls[0]
        status = await asyncio.to_thread(_put_file, self.url + urls.upload_url if urls.upload_url.startswith("/") else urls.upload_url,
                                         name, self.upload_bytes, self.xsrf)
        if status not in (200, 204):
            self.errors.append(f"upload PUT returned HTTP {status}")
            return
        info = UploadedFileInfo(name=name, size=len(self.upload_bytes), file_id=urls.file_id)
        info.file_urls.CopyFrom(urls)
        state = WidgetState(id=self.uploader_id)
        state.file_uploader_state_value.CopyFrom(FileUploaderState(uploaded_file_info=[info]))
        self.states["_upload"] = state
        texts = await self._run(ws)
        del self.states["_upload"]
        named = [_unescaped(m.group(1)) for t in texts for m in [IN_USE.search(t)] if m]
        if named == [name]:
            self.book_name = name
        else:
            rejected = [t for t in texts if "not loaded" in t]
            self.errors.append("upload not in use: " + (rejected[0][:150] if rejected else f"named {named[:2]}"))

    async def move_slider(self, ws) -> None:  # noqa: ANN001
        """Move one weight slider (chosen at random) to a random value, as a user's drag does, and rerun."""
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        key = self.rng.choice(sorted(self.sliders))
        widget_id, low, high = self.sliders[key]
        value = self.rng.randint(low, high)
        self.weights[key] = value
        self.states[key] = WidgetState(id=widget_id, double_array_value={"data": [float(value)]})
        await self._run(ws)

    async def drive(self, deadline: float) -> None:
        import websockets
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        ws_url = self.url.replace("http://", "ws://") + "/_stcore/stream"
        try:
            async with websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=60) as ws:
                self.opening = True
                await self._run(ws)
                if self.group_id:  # open the saving group, as a click does (its widgets are drawn only when open)
                    self.states["_group"] = WidgetState(id=self.group_id, bool_value=True)
                    await self._run(ws)
                self.opening = False
                moves = 0
                while time.perf_counter() < deadline:
                    await asyncio.sleep(self.rng.uniform(*self.think))
                    moves += 1
                    if moves == 2 and self.upload_bytes:
                        await self.upload(ws)
                    elif moves % 4 == 0 and self.name_id and self.save_id:
                        name = f"load session {self.number} save {moves // 4}"
                        self.states["_name"] = WidgetState(id=self.name_id, string_value=name)
                        self.states["_save"] = WidgetState(id=self.save_id, trigger_value=True)
                        texts = await self._run(ws)
                        del self.states["_save"]
                        found = [m.group(1) for t in texts for m in [SHORT_LINK.search(t)] if m]
                        refused = [t for t in texts if "scenario store" in t or "scenario database" in t]
                        if refused:
                            self.errors.append("save refused: " + refused[0][:150])
                        elif found:
                            self.saved.append((found[0], name))
                        else:
                            self.errors.append("saved, but no short link was shown")
                    else:
                        await self.move_slider(ws)
                    self._check_state()
        except Exception as exc:  # noqa: BLE001 - a benchmark reports, it does not stop
            self.errors.append(f"{type(exc).__name__}: {str(exc)[:200]}")


def _percentile(samples: list[float], q: float) -> float | None:
    if not samples:
        return None
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def _drive_all(urls: list[str], sessions: int, seconds: float, seed: int,
                     think: tuple[float, float] = (0.5, 2.0)) -> list[Session]:
    from ui.state import defaults

    weights = {k: str(v) for k, v in defaults().items() if k.startswith("w_")}
    rng = random.Random(seed)
    clients = [Session(i, urls[i % len(urls)], random.Random(rng.random())) for i in range(sessions)]
    books = order_books(sessions)
    cookies = {url: await asyncio.to_thread(_xsrf_cookie, url) for url in urls}
    for client in clients:
        client.defaults = weights
        client.think = think
        client.xsrf = cookies[client.url]
        if client.number % UPLOAD_EVERY == 0:
            client.upload_bytes = books[client.number]
    deadline = time.perf_counter() + seconds

    # Sessions arrive one by one over the first ``ARRIVAL_S`` seconds (a crowd, not one burst).
    async def start(client: Session, delay: float) -> None:
        await asyncio.sleep(delay)
        await client.drive(deadline)

    spacing = min(ARRIVAL_S, seconds / 3) / max(1, sessions)
    await asyncio.gather(*(start(c, spacing * i) for i, c in enumerate(clients)))
    return clients


def _verify_saved(clients: list[Session], env: dict[str, str]) -> tuple[int, int]:
    from data.scenarios import open_store

    previous = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        store = open_store()
        wanted = [(sid, name) for c in clients for sid, name in c.saved]
        found = 0
        for sid, name in wanted:
            with contextlib.suppress(Exception):
                found += store.get(sid).name == name
        getattr(store, "close", lambda: None)()
        return found, len(wanted)
    finally:
        for key, value in previous.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def run(sessions: int, seconds: float, replicas: int, seed: int = 0, think: tuple[float, float] = (0.5, 2.0)) -> dict[str, Any]:
    sessions, seconds = min(sessions, MAX_SESSIONS), min(seconds, MAX_SECONDS)
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp, contextlib.ExitStack() as stack:
        repo = copy_tracked_tree(Path(tmp) / "repo")
        store = repo / "data" / "arms_priority.duckdb"
        from data.store import build_store

        build_store(store)
        env = {"ARMS_PRIORITY_READ_ONLY": "1", "ARMS_PRIORITY_SCENARIOS_DB": str(Path(tmp) / "scenarios.duckdb")}
        backend = "embedded DuckDB file"
        if replicas > 1:
            from tests.pg_server import postgres_server

            env["ARMS_PRIORITY_SCENARIOS_URL"] = stack.enter_context(postgres_server())
            backend = "PostgreSQL"
        with contextlib.ExitStack() as serving:
            servers = [serving.enter_context(_serving(repo, "app.py", store, extra_env=env)) for _ in range(replicas)]
            urls = [url for url, _ in servers]
            started = time.perf_counter()
            clients = asyncio.run(_drive_all(urls, sessions, seconds, seed, think))
            elapsed = time.perf_counter() - started
            peaks = [process_peak_mb(process.pid) for _, process in servers]
        # Servers stopped: the embedded scenario file is free to open (PostgreSQL is still up).
        found, wanted = _verify_saved(clients, env)
        tracebacks = []
        for log in sorted(repo.glob("server-*.log")):
            text = log.read_text(errors="replace")
            tracebacks += [block.strip()[-1500:] for block in text.split("Traceback (most recent call last):")[1:]]
    latencies = [x for c in clients for x in c.latencies]
    opens = [x for c in clients for x in c.opens]
    errors = [e for c in clients for e in c.errors]
    return {
        "sessions": sessions, "seconds": seconds, "replicas": replicas, "scenario_store": backend,
        "think_s": list(think),
        "reruns": len(latencies), "reruns_per_s": len(latencies) / elapsed if elapsed else None,
        "p50_s": _percentile(latencies, 0.5), "p95_s": _percentile(latencies, 0.95), "p99_s": _percentile(latencies, 0.99),
        "mean_s": statistics.fmean(latencies) if latencies else None,
        "page_opens": len(opens), "open_p50_s": _percentile(opens, 0.5), "open_p95_s": _percentile(opens, 0.95),
        "errors": len(errors), "error_examples": sorted(set(errors))[:5], "server_tracebacks": sorted(set(tracebacks))[:3],
        "state_mismatches": sum(c.mismatches for c in clients),
        "uploads": sum(bool(c.upload_bytes) for c in clients), "uploads_in_use": sum(c.book_name is not None for c in clients),
        "foreign_book_runs": sum(c.foreign_books for c in clients),
        "saved": wanted, "saved_found": found, "server_peak_mb": peaks,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=180.0)
    parser.add_argument("--replicas", default="1,2", help="comma-separated replica counts to run, e.g. 1 or 1,2")
    parser.add_argument("--quick", action="store_true", help="30 s per run instead of --seconds")
    parser.add_argument("--think", default="0.5,2", help="think time between a session's moves, min,max seconds "
                        "(0.5,2: a stress test; 5,15: an analyst reading each result)")
    args = parser.parse_args(argv)
    seconds = 30.0 if args.quick else args.seconds
    report: dict[str, Any] = {"machine": machine(), "runs": []}
    low, high = (float(x) for x in args.think.split(","))
    for replicas in (int(x) for x in args.replicas.split(",")):
        print(f"load: {args.sessions} sessions, {seconds:.0f} s, {replicas} replica(s), think {low:g}–{high:g} s…", flush=True)
        result = run(args.sessions, seconds, replicas, think=(low, high))
        report["runs"].append(result)
        print(json.dumps({k: v for k, v in result.items() if k not in ("error_examples", "server_tracebacks")}, default=str), flush=True)
        if result["error_examples"]:
            print("  errors, e.g.:", result["error_examples"], flush=True)
        for block in result["server_tracebacks"]:
            print("  server traceback:\n" + block, flush=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"load_think_{low:g}-{high:g}.json").write_text(json.dumps(report, indent=2, default=str))
    print(f"{'replicas':>8} {'sessions':>8} {'reruns/s':>9} {'p50':>7} {'p95':>7} {'p99':>7} {'errors':>6} "
          f"{'bleed/lost':>10} {'uploads':>9} {'saved':>9} {'peak MB':>12}")
    for r in report["runs"]:
        fmt = lambda v: "—" if v is None else f"{v:.2f}"  # noqa: E731
        print(f"{r['replicas']:>8} {r['sessions']:>8} {fmt(r['reruns_per_s']):>9} {fmt(r['p50_s']):>7} {fmt(r['p95_s']):>7} "
              f"{fmt(r['p99_s']):>7} {r['errors']:>6} {r['state_mismatches'] + r['foreign_book_runs']:>10} "
              f"{r['uploads_in_use']:>4}/{r['uploads']:<4} "
              f"{r['saved_found']:>4}/{r['saved']:<4} {','.join(f'{p:.0f}' for p in r['server_peak_mb'] if p):>12}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
