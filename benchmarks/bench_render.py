"""Benchmark of the HTML reports: the whole collection rendered cold and warm, against floors.

- cold: ``render_reports(force=True)`` over the project's notebooks, in a fresh interpreter;
  floor: executing as many notebooks that only import pandas and matplotlib, with the same
  number of workers and the same execution path (fresh kernel per notebook, process pool).
  Wall time is the target; CPU time of every process is shown too, as it barely moves when
  other programs load the machine.
- renderer overhead: the cold render against only executing the same notebooks the same way.
- warm: ``render_reports()`` again with nothing changed, in a fresh interpreter (as the CLI).
- serial nbconvert: ``jupyter nbconvert --to html --execute`` over the same notebooks one after
  the other (the meeting notebook once per meeting, with its default parameters).

The collection is rendered once untimed first, so the corpus is built and caches are warm.
``quick=True`` renders one tiny generated notebook (no warm-up), to prove the script runs.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from benchmarks import Row, bench_dir, time_median
from cwg_analysis.config import DATA_DIR, NOTEBOOKS_DIR
from cwg_analysis.rendering import INDEX_NAME, NOTEBOOK_PATTERN, RenderJob, find_render_jobs

KB = 1_000


def run(quick: bool = False) -> list[Row]:
    """Measure cold and warm renders, their floor and serial nbconvert; return the rows."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    workers = 1 if quick else len(os.sched_getaffinity(0))
    repeat = 1 if quick else 3
    root = bench_dir("render", "quick" if quick else "full")
    if quick or not list(NOTEBOOKS_DIR.glob(NOTEBOOK_PATTERN)):
        notebooks = root / "quick-notebooks"
        notebooks.mkdir(exist_ok=True)
        cells = [new_markdown_cell("# Quick\n\nA tiny notebook."), new_code_cell("print(1 + 1)")]
        nbformat.write(new_notebook(cells=cells), notebooks / "01-quick.ipynb")
        collection = "1 tiny notebook"
    else:
        notebooks = NOTEBOOKS_DIR
        collection = "the project's notebooks"
    jobs = find_render_jobs(notebooks)
    output = root / "reports"

    render = (
        "from cwg_analysis.rendering import render_reports\n"
        f"render_reports(jobs={workers}, force={{force}}, notebooks_dir=Path({str(notebooks)!r}),"
        f" output_dir=Path({str(output)!r}), data_dir=Path({str(DATA_DIR)!r}))\n"
    )
    if not quick:
        _python(render.format(force=True))  # untimed: build the corpus, warm the caches
    floor_dir = root / "floor-notebooks"
    shutil.rmtree(floor_dir, ignore_errors=True)
    floor_dir.mkdir()
    floor_source, floor_label = (
        ("print(1 + 1)", "printing 1 + 1")
        if quick
        else ("import matplotlib.pyplot\nimport pandas", "importing pandas+matplotlib")
    )
    for number in range(len(jobs)):
        notebook = new_notebook(cells=[new_code_cell(floor_source)])
        nbformat.write(notebook, floor_dir / f"{number:02d}-floor.ipynb")
    floor_jobs = [RenderJob(path) for path in sorted(floor_dir.glob("*.ipynb"))]
    wall, cpu = _measure(
        {
            "cold": render.format(force=True),
            "floor": _execute_script(floor_jobs, workers),
            "executed": _execute_script(jobs, workers),
        },
        repeat,
    )
    warm = time_median(lambda: _python(render.format(force=False)), repeat)

    serial_dir = root / "nbconvert"
    paths = [str(job.notebook) for job in jobs]
    nbconvert = [sys.executable, "-m", "jupyter", "nbconvert", "--to", "html", "--execute"]
    nbconvert += ["--log-level=ERROR", "--output-dir", str(serial_dir), *paths]
    serial = time_median(lambda: _command(nbconvert, cwd=notebooks), 1)

    sizes = {path.name: path.stat().st_size for path in output.glob("*.html")}
    reports = {name: size for name, size in sizes.items() if name != INDEX_NAME}
    largest = max(reports, key=reports.__getitem__)
    n = len(jobs)
    return [
        Row(
            measure=f"render cold, {n} reports of {collection}, {workers} workers "
            f"(floor: {n} notebooks {floor_label})",
            value=wall["cold"],
            unit="s",
            target="<= 1.5x floor",
            floor=wall["floor"],
        ),
        Row(
            measure="render cold vs floor, CPU time of every process (kernels included)",
            value=cpu["cold"],
            unit="s",
            target=None,
            floor=cpu["floor"],
        ),
        Row(
            measure=f"render cold vs only executing the same {n} notebooks, CPU time "
            "(renderer overhead)",
            value=cpu["cold"],
            unit="s",
            target=None,
            floor=cpu["executed"],
        ),
        Row(
            measure="render warm, nothing changed", value=warm, unit="s", target="<= 1", floor=None
        ),
        Row(
            measure=f"render cold vs serial `jupyter nbconvert --to html --execute` ({n} runs)",
            value=wall["cold"],
            unit="s",
            target="<= 1x floor",
            floor=serial,
        ),
        Row(
            measure=f"HTML size, {len(reports)} reports + index",
            value=sum(sizes.values()) / KB,
            unit="kB",
            target=None,
            floor=None,
        ),
        Row(
            measure=f"HTML size, largest report ({largest})",
            value=reports[largest] / KB,
            unit="kB",
            target=None,
            floor=None,
        ),
    ]


def _execute_script(jobs: list[RenderJob], workers: int) -> str:
    """Return a script that only executes the jobs' notebooks, as the renderer does.

    Same process pool and fresh kernel per notebook, same parameters; no export, no cache.
    """
    specs = [(str(job.notebook), job.parameters) for job in jobs]
    return textwrap.dedent(
        f"""
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        from datetime import date
        from cwg_analysis import rendering

        jobs = [rendering.RenderJob(Path(path), parameters) for path, parameters in {specs!r}]
        settings = [
            rendering._Settings(job.notebook.parent, job.notebook.parent, "python3", 600, "",
                                date(2000, 1, 1))
            for job in jobs
        ]
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor({workers}, context, initializer=rendering._init_worker) as pool:
            list(pool.map(rendering._execute_notebook, jobs, settings))
        """
    )


def _measure(scripts: dict[str, str], repeat: int) -> tuple[dict[str, float], dict[str, float]]:
    """Return the median wall time and CPU time (s) of each script, run in turns.

    Running the scripts in turns spreads a load from other processes over all of them. CPU
    time is that of every process the script started and waited for (workers, kernels).
    """
    walls: dict[str, list[float]] = {name: [] for name in scripts}
    cpus: dict[str, list[float]] = {name: [] for name in scripts}
    for _ in range(repeat):
        for name, script in scripts.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            walls[name].append(_python(script))
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus[name].append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return (
        {name: statistics.median(values) for name, values in walls.items()},
        {name: statistics.median(values) for name, values in cpus.items()},
    )


def _python(script: str) -> float:
    """Run a Python script in a fresh interpreter (``Path`` imported); return its wall time."""
    return _command([sys.executable, "-c", "from pathlib import Path\n" + script], cwd=None)


def _command(command: list[str], cwd: Path | None) -> float:
    """Run a command, return its wall time; raise with its stderr if it fails."""
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command[:4])} ...: exit {result.returncode}:\n{result.stderr}"
        )
    return time.perf_counter() - start
