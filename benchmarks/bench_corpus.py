"""Corpus scale: build time and peak memory at N = 100, 1,000 and 10,000 synthetic reports,
incremental rebuild after one change, and ``load_statements()`` on the largest corpus.

Each build runs in a fresh process with both cores (``build_corpus(force=True, jobs=2)``), as
``cwg-analysis build`` would; its peak memory is the resident memory of the whole process
tree (the build and its workers). Corpora live under ``build/bench/corpus-*/`` as projects of
their own (``CWG_ANALYSIS_ROOT``) with a copy of the curated tables; the synthetic reports are
generated once and shared between sizes.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
import time
from pathlib import Path

from benchmarks import MB, Measured, Row, bench_dir, run_measured
from cwg_analysis.config import REFERENCE_DIR

log = logging.getLogger(__name__)

SIZES = (100, 1_000, 10_000)
QUICK_SIZES = (4,)
JOBS = 2  # both cores of the target machine; quick runs use one (no pool to start)
FIRST_MEETING = 100  # synthetic meetings are numbered from here, clear of the real ones

BUILD = """
import json, logging, time
from cwg_analysis.corpus import build_corpus
logging.disable(logging.INFO)
start = time.perf_counter()
summary = build_corpus(force={force}, jobs={jobs})
print(json.dumps({{"seconds": time.perf_counter() - start, "read": len(summary.reports_read),
                  "skipped": len(summary.reports_skipped), "tables": summary.tables}}))
"""
BASELINE = "import pandas, pyarrow.parquet, cwg_analysis.corpus"
LOAD = """
import json, time
from cwg_analysis import config, loading
import pyarrow.parquet as pq
start = time.perf_counter()
frame = loading.load_statements()
cold = time.perf_counter() - start
start = time.perf_counter()
loading.load_statements()
warm = time.perf_counter() - start
start = time.perf_counter()
pq.read_table(config.PROCESSED_DIR / "statements.parquet").to_pandas()
floor = time.perf_counter() - start
print(json.dumps({"cold": cold, "warm": warm, "floor": floor, "rows": len(frame)}))
"""


def report_pool(n: int) -> list[Path]:
    """Return the first ``n`` synthetic reports of the shared pool, generating missing ones."""
    from cwg_analysis.synthetic import GENERATOR_VERSION, write_reports

    pool = bench_dir(f"pool-v{GENERATOR_VERSION}")
    have = len(list(pool.glob("*.txt")))
    if have < n:
        log.info("generating synthetic reports %d to %d", have, n - 1)
        write_reports(pool, n - have, seed=0, start=have, first_meeting=FIRST_MEETING)
    return sorted(pool.glob("*.txt"))[:n]


def make_root(name: str, reports: list[Path]) -> Path:
    """Lay out a project root whose raw reports are exactly ``reports`` (hard links)."""
    root = bench_dir(name)
    raw = root / "data" / "raw" / "reports"
    raw.mkdir(parents=True, exist_ok=True)
    wanted = {path.name: path for path in reports}
    for path in raw.iterdir():
        if path.name not in wanted:
            path.unlink()
    for name_, source in wanted.items():
        target = raw / name_
        if not target.exists():
            try:
                os.link(source, target)
            except OSError:
                shutil.copy2(source, target)
    shutil.copytree(REFERENCE_DIR, root / "data" / "reference", dirs_exist_ok=True)
    return root


def python(code: str, root: Path) -> tuple[Measured, dict]:
    """Run Python code in a fresh process on a project root; return what was measured and the
    JSON the code printed last."""
    measured = run_measured([sys.executable, "-c", code], env={"CWG_ANALYSIS_ROOT": str(root)})
    lines = measured.stdout.strip().splitlines()
    return measured, json.loads(lines[-1]) if lines else {}


def build(root: Path, *, force: bool, jobs: int = JOBS) -> tuple[Measured, dict]:
    """Build a root's corpus in a fresh process (with both cores by default)."""
    return python(BUILD.format(force=force, jobs=jobs), root)


def measure_build(n: int, root: Path, baseline_mb: float, *, target: bool, jobs: int) -> list[Row]:
    """Return the time, CPU time and peak memory of a cold build of a root's corpus."""
    reports = list((root / "data" / "raw" / "reports").glob("*.txt"))
    size = sum(path.stat().st_size for path in reports)
    start = time.perf_counter()
    for path in reports:
        path.read_bytes().decode("utf-8").splitlines()
    floor = time.perf_counter() - start
    measured, summary = build(root, force=True, jobs=jobs)
    log.info("built N=%d in %.1f s: %s", n, measured.seconds, summary)
    if summary.get("skipped"):
        log.warning("N=%d: %d report(s) skipped by the build", n, summary["skipped"])
    skipped = f", {summary['skipped']:,} skipped" if summary.get("skipped") else ""
    cores = f"{jobs} core{'s' if jobs > 1 else ''}"
    label = f"corpus build, N={n:,} ({size / MB:.0f} MB{skipped}), {cores}"
    return [
        Row(
            measure=label + ": time",
            value=measured.seconds,
            unit="s",
            target="<= 60" if target else None,
            floor=floor,
        ),
        Row(
            measure=label + ": CPU time of all processes",
            value=measured.cpu_seconds,
            unit="s",
            target=None,
            floor=floor,
        ),
        Row(
            measure=label + ": peak memory",
            value=measured.peak_bytes / MB,
            unit="MB",
            target="<= 2000" if target else None,
            floor=baseline_mb,
        ),
    ]


def measure_incremental(root: Path, baseline_s: float, *, jobs: int, restore: bool) -> Row:
    """Return the time of a rebuild after one report changed (then restore it and rebuild).

    The label says how many reports the rebuild read: more than one means the package code
    changed since the cold build (the build then re-reads everything, by design).
    """
    changed = sorted((root / "data" / "raw" / "reports").glob("*.txt"))[0]
    original = changed.read_bytes()
    runs = []
    try:
        changed.write_bytes(original + b"Amended after the meeting (synthetic change).\n")
        runs.append(build(root, force=False, jobs=jobs))
    finally:
        changed.write_bytes(original)
    if restore:  # back to the original bytes: one change again, and the cache stays true
        runs.append(build(root, force=False, jobs=jobs))
    measured, summary = min(runs, key=lambda run: run[0].seconds)
    n = len(list(changed.parent.glob("*.txt")))
    return Row(
        measure=f"incremental rebuild, one report changed in N={n:,} ({summary['read']} read)",
        value=measured.seconds,
        unit="s",
        target="<= 2",
        floor=baseline_s,
    )


def measure_load(root: Path, n: int) -> list[Row]:
    """Return the time of load_statements() on a built corpus, in a fresh process."""
    _, result = python(LOAD, root)
    return [
        Row(
            measure=f"load_statements(), N={n:,} ({result['rows']:,} rows), first call",
            value=result["cold"],
            unit="s",
            target="<= 1",
            floor=result["floor"],
        ),
        Row(
            measure=f"load_statements(), N={n:,}, second call (cached)",
            value=result["warm"],
            unit="s",
            target=None,
            floor=result["floor"],
        ),
    ]


def run(quick: bool = False) -> list[Row]:
    """Build synthetic corpora of growing size; rebuild one change; load the largest."""
    sizes = QUICK_SIZES if quick else SIZES
    jobs = 1 if quick else JOBS
    pool = report_pool(max(sizes))
    baseline = run_measured([sys.executable, "-c", BASELINE])
    rows: list[Row] = []
    for n in sizes:
        root = make_root(f"corpus-{n}", pool[:n])
        rows += measure_build(n, root, baseline.peak_bytes / MB, target=n == max(sizes), jobs=jobs)
    root = bench_dir(f"corpus-{max(sizes)}")
    rows.append(measure_incremental(root, baseline.seconds, jobs=jobs, restore=not quick))
    rows += measure_load(root, max(sizes))
    return rows
