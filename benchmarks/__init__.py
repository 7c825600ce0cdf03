"""Speed and memory benchmarks of cwg-analysis: ``python -m benchmarks [--quick]`` (``make bench``).

Every module ``benchmarks/bench_*.py`` defines ``run(quick: bool = False) -> list[dict]``; each
row is one measure::

    {"measure": str,          # what was measured, with its input ("corpus build, N=10,000")
     "value": float,          # the measured number
     "unit": str,             # "s", "ms", "MB/s", "MB", "pages/s", ...
     "target": str | None,    # "<= 60" or ">= 5" (in the row's unit), "<= 3x floor"
                              # (on value / floor); None when the measure is only reported
     "floor": float | None}   # the same job done by the cheapest known means, in the same unit
                              # (reading the bytes and splitting lines, lxml, pdftotext ...)

``quick=True`` runs every measure on tiny inputs: the numbers then only prove that the benchmark
runs (the tests do this). Generated inputs live under ``build/bench/`` (or ``$CWG_BENCH_DIR``),
never under ``data/``.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple, TypedDict

from cwg_analysis.config import BUILD_DIR

MB = 1_000_000
_TARGET = re.compile(r"^\s*(<=|>=)\s*([0-9][0-9_.,]*)\s*(x floor)?\s*$")


class Row(TypedDict):
    """One measure of a benchmark (see the module docstring)."""

    measure: str
    value: float
    unit: str
    target: str | None
    floor: float | None


class Measured(NamedTuple):
    """What :func:`run_measured` saw of a command."""

    seconds: float  # wall time
    peak_bytes: int  # peak resident memory of the process tree
    cpu_seconds: float  # user + system time of the process tree
    stdout: str


def bench_dir(*parts: str) -> Path:
    """Return (and create) a folder for generated benchmark inputs under ``build/bench/``."""
    root = Path(os.environ.get("CWG_BENCH_DIR", BUILD_DIR / "bench"))
    path = root.joinpath(*parts)
    path.mkdir(parents=True, exist_ok=True)
    return path


def time_median(call: Callable[[], object], repeat: int, *, cpu: bool = False) -> float:
    """Return the median time of ``repeat`` calls, in seconds: wall time, or with ``cpu`` the
    CPU time of this process (the work of one core, whatever else the machine runs)."""
    clock = time.process_time if cpu else time.perf_counter
    times = []
    for _ in range(repeat):
        start = clock()
        call()
        times.append(clock() - start)
    return statistics.median(times)


def check_target(row: Row) -> bool | None:
    """Return whether a row meets its target, or None when it has none."""
    if row["target"] is None:
        return None
    match = _TARGET.match(row["target"])
    if match is None:
        raise ValueError(
            f"{row['measure']}: target: not '<= N', '>= N' or '<= Nx floor': {row['target']!r}"
        )
    operator, number, on_floor = match.groups()
    bound = float(number.replace("_", "").replace(",", ""))
    value = row["value"]
    if on_floor:
        if not row["floor"]:
            return None
        value = value / row["floor"]
    return value <= bound if operator == "<=" else value >= bound


def _tree_rss(pid: int) -> int:
    """Return the summed resident set size (bytes) of a process and its descendants (Linux)."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            for task in Path(f"/proc/{current}/task").iterdir():
                stack.extend(int(child) for child in (task / "children").read_text().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) * 1024
                break
    return total


def run_measured(
    command: Sequence[str], *, env: dict[str, str] | None = None, interval: float = 0.01
) -> Measured:
    """Run a command; return its wall time, peak tree memory, tree CPU time and stdout.

    The tree (the process and every worker it starts) is sampled from ``/proc`` every
    ``interval`` seconds; the peak is never below what ``resource.getrusage`` reports for the
    largest process of the tree, so a spike between two samples is still bounded from below.
    Without ``/proc`` (macOS) only the getrusage figure is available. CPU time counts every
    process of the tree that was waited for (a pool's workers are): on a busy machine it shows
    how much of the wall time was the job's own work.
    """
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = 0
    start = time.perf_counter()
    process = subprocess.Popen(
        list(command),
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(process.pid))
            done.wait(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    if Path("/proc/self/status").exists():
        sampler.start()
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - start
    done.set()
    if sampler.is_alive():
        sampler.join()
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:3])} ...: exit {process.returncode}: {stderr}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # ru_maxrss is in KiB on Linux; it only grows, so it says something only when it moved.
    if after.ru_maxrss > before.ru_maxrss:
        peak = max(peak, after.ru_maxrss * 1024)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Measured(seconds, peak, cpu, stdout)
