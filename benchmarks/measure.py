"""Timing, peak-memory and machine-description helpers shared by every benchmark.

Timings are wall-clock ``time.perf_counter`` over several repetitions (after an untimed warm-up
call) and are summarised by their median, 90th percentile and minimum. Nothing here asserts a
timing: the benchmark reports, it never fails on a number.

Peak memory of an in-process case is the peak ``tracemalloc`` memory of one untimed call (numpy
buffers, pandas frames and Python objects alike). Where tracing would make a long baseline run
much longer (the 1M-order pandas loop), the growth of the resident set during a timed call is used
instead: Linux lets a process reset its own high-water mark (``echo 5 > /proc/self/clear_refs``),
so ``VmHWM − VmRSS`` after the reset is what the call touched at its peak. For subprocesses
(AppTest workers, the Streamlit server) the absolute ``VmHWM`` of the process is reported.
"""

from __future__ import annotations

import gc
import importlib.metadata
import os
import platform
import re
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any


def summarise(samples: list[float]) -> dict[str, Any]:
    """Median, p90, min and max (seconds) of timing samples, plus the samples themselves."""
    ordered = sorted(samples)
    p90 = ordered[min(len(ordered) - 1, int(round(0.9 * (len(ordered) - 1))))]
    return {
        "median_s": statistics.median(ordered),
        "p90_s": p90,
        "min_s": ordered[0],
        "max_s": ordered[-1],
        "reps": len(ordered),
        "samples_s": samples,
    }


def time_call(fn: Callable[[], Any], reps: int, warmup: int = 1) -> dict[str, Any]:
    """Time ``fn()`` ``reps`` times after ``warmup`` untimed calls; garbage collected before each."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(reps):
        gc.collect()
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return summarise(samples)


def _status_kb(field: str, pid: int | str = "self") -> int | None:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    match = re.search(rf"^{field}:\s+(\d+)\s+kB", text, re.MULTILINE)
    return int(match.group(1)) if match else None


def process_peak_mb(pid: int | str = "self") -> float | None:
    """Peak resident set (VmHWM) of a process in MB, or None where /proc is unavailable."""
    kb = _status_kb("VmHWM", pid)
    return None if kb is None else kb / 1024


def peak_traced_mb(fn: Callable[[], Any]) -> tuple[Any, float]:
    """Run ``fn()`` once under ``tracemalloc``; return its result and the peak traced memory (MB).

    numpy reports its data buffers to tracemalloc, so this counts arrays and Python objects alike,
    independent of what the allocator kept from earlier cases. It slows Python-heavy code, so it
    is only used on untimed calls.
    """
    gc.collect()
    tracemalloc.start()
    try:
        result = fn()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return result, peak / 1024 / 1024


def peak_growth_mb(fn: Callable[[], Any]) -> tuple[Any, float | None]:
    """Run ``fn()`` once; return its result and the peak resident-set growth during it (MB)."""
    gc.collect()
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return fn(), None
    before = _status_kb("VmRSS")
    result = fn()
    peak = _status_kb("VmHWM")
    if before is None or peak is None:
        return result, None
    return result, max(0, peak - before) / 1024


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def machine() -> dict[str, Any]:
    """Cores, CPU model, memory, OS, Python and the versions of every library the benchmark uses."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_kb = None
    try:
        mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    except (OSError, AttributeError):
        pass
    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    try:
        chromium_version = subprocess.run(
            [chromium, "--version"], capture_output=True, text=True, timeout=30
        ).stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        chromium_version = "not found"
    try:
        affinity = len(os.sched_getaffinity(0))
    except AttributeError:
        affinity = os.cpu_count()
    return {
        "cores": os.cpu_count(),
        "cores_usable": affinity,
        "cpu": cpu,
        "memory_gb": None if mem_kb is None else round(mem_kb / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": sys.version.split()[0],
        "python_implementation": platform.python_implementation(),
        "libraries": {
            name: _version(name)
            for name in (
                "numpy", "pandas", "streamlit", "plotly", "duckdb", "pyarrow", "pymcdm", "scipy",
                "playwright", "pyinstrument",
            )
        },
        "chromium": chromium_version,
    }
