"""Loading: ``load_statements()`` on the real corpus and the cost of ``import cwg_analysis``.

Imports are timed in fresh interpreters (median of several): what importing the package adds
once pandas is imported, then what the modules a notebook uses first (reading and loading)
add. The real corpus is built from a copy of ``data/raw`` and ``data/reference`` under
``build/bench/real/``, so the benchmark never writes into ``data/``.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys

from benchmarks import Row, bench_dir
from benchmarks.bench_corpus import LOAD, build, python
from cwg_analysis.config import RAW_REPORTS_DIR, REFERENCE_DIR

IMPORT = """
import json, time
start = time.perf_counter()
import pandas
middle = time.perf_counter()
import {modules}
end = time.perf_counter()
print(json.dumps({{"pandas": middle - start, "package": end - middle}}))
"""


def import_times(modules: str, runs: int) -> tuple[float, float]:
    """Return the median seconds to import pandas, then ``modules``, in fresh interpreters."""
    pandas, package = [], []
    for _ in range(runs):
        result = subprocess.run(
            [sys.executable, "-c", IMPORT.format(modules=modules)],
            check=True,
            capture_output=True,
            text=True,
        )
        times = json.loads(result.stdout)
        pandas.append(times["pandas"])
        package.append(times["package"])
    return statistics.median(pandas), statistics.median(package)


def measure_imports(runs: int) -> list[Row]:
    """Return what ``import cwg_analysis`` (and its working modules) add to ``import pandas``."""
    pandas, package = import_times("cwg_analysis", runs)
    _, working = import_times("cwg_analysis.report, cwg_analysis.loading", runs)
    return [
        Row(
            measure=f"import cwg_analysis, beyond import pandas (median of {runs})",
            value=package * 1000,
            unit="ms",
            target="<= 50",
            floor=pandas * 1000,
        ),
        Row(
            measure="import cwg_analysis.report + .loading, beyond import pandas",
            value=working * 1000,
            unit="ms",
            target=None,
            floor=pandas * 1000,
        ),
    ]


def measure_real_load() -> list[Row]:
    """Return load_statements() on a copy of the real corpus, first call in a fresh process."""
    root = bench_dir("real")
    raw = root / "data" / "raw" / "reports"
    shutil.rmtree(raw, ignore_errors=True)
    shutil.copytree(RAW_REPORTS_DIR, raw)
    shutil.copytree(REFERENCE_DIR, root / "data" / "reference", dirs_exist_ok=True)
    build(root, force=False, jobs=1)
    _, result = python(LOAD, root)
    return [
        Row(
            measure=f"load_statements(), real corpus ({result['rows']} rows), first call",
            value=result["cold"] * 1000,
            unit="ms",
            target="<= 50",
            floor=result["floor"] * 1000,
        )
    ]


def run(quick: bool = False) -> list[Row]:
    """Measure import costs and loading the real corpus."""
    return measure_imports(1 if quick else 9) + measure_real_load()
