"""Starting and stopping a real Streamlit server on a free loopback port, for the browser tests and
the benchmarks alike (one implementation: wait for ``/_stcore/health``, fail fast if the process
exits, stop it with terminate, then kill)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path


# Debian's headless Chromium (Playwright's own download does not run on these machines).
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(script: str | Path, cwd: Path, env: dict[str, str], log, port: int) -> subprocess.Popen:  # noqa: ANN001
    """``streamlit run script`` headless on 127.0.0.1:``port``, output to the open file ``log``."""
    return subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
         "--server.headless", "true", "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
    )


def wait_healthy(url: str, process: subprocess.Popen, timeout_s: float, log_name: str, poll_s: float = 0.05) -> float:
    """Seconds until ``url`` answers its health check; raises if the process exits or time runs out."""
    started = time.perf_counter()
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited early; see {log_name}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return time.perf_counter() - started
        except OSError:
            pass
        if time.perf_counter() - started > timeout_s:
            raise RuntimeError(f"streamlit did not become healthy in {timeout_s:.0f} s; see {log_name}")
        time.sleep(poll_s)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@contextlib.contextmanager
def serving(script: str | Path, cwd: Path, env: dict[str, str], log_path: Path,
            timeout_s: float = 60.0) -> Iterator[tuple[str, subprocess.Popen]]:
    """A healthy server for ``script``; yields its URL and process, stops it afterwards."""
    port = free_port()
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("w") as log:
        process = start(script, cwd, env, log, port)
        url = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(url, process, timeout_s, str(log_path))
            yield url, process
        finally:
            stop(process)

