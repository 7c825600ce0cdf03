"""Execute the notebooks and export them as self-contained, code-free HTML reports.

``render_reports`` runs every ``notebooks/NN-*.ipynb`` in a fresh kernel, in parallel worker
processes, and writes ``build/reports/<notebook>.html`` plus ``index.html``. A notebook whose
``parameters`` cell assigns ``meeting`` is rendered once per meeting with a full report, as
``<notebook>-<meeting>.html``.

- Cache: a report is keyed by the notebook's bytes, its parameters, the data fingerprint (every
  file under ``data/`` but caches named "." or "_"), the package version and the renderer (this
  module and its templates). An unchanged key and an intact HTML file mean the notebook is not
  executed again.
- Safety: pages forbid scripts and network loads (Content-Security-Policy), and a page whose
  outputs carry a script, an event handler or a remote resource is refused: data must be escaped
  where the notebook displays it (nbconvert's sanitiser is not used, it mangles tables).
- Failures: a cell error stops that report, the others finish, the previous HTML stays in place
  and ``RenderError`` names every notebook and cell that failed.
- Determinism: no clock time or random id reaches a page. The footer date is
  ``SOURCE_DATE_EPOCH`` when set, else today's date fixed once per run; pandas Styler ids are
  renumbered; kernels run with ``PYTHONHASHSEED=0``.
- Figures: the alt text of an image is the ``alt`` entry of the output's metadata for its
  mimetype, the convention of ``IPython.display.Image(alt=...)``, which
  ``cwg_analysis.plotting.display_figure`` writes. A figure without one is reported.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import hashlib
import json
import logging
import multiprocessing
import os
import re
import sys
import tempfile
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cwg_analysis import __version__
from cwg_analysis.config import DATA_DIR, NOTEBOOKS_DIR, REPORTS_DIR
from cwg_analysis.errors import RenderError

if TYPE_CHECKING:
    from bs4 import BeautifulSoup, Tag
    from nbconvert import HTMLExporter
    from nbformat import NotebookNode

log = logging.getLogger(__name__)

TEMPLATES_DIR = Path(__file__).parent / "templates"
TEMPLATE_NAME = "cwg_report"
NOTEBOOK_PATTERN = "[0-9][0-9]-*.ipynb"
MEETING_PARAMETER = "meeting"
INDEX_NAME = "index.html"
INDEX_TITLE = "CWG-Internet analysis reports"
MANIFEST_NAME = ".render-cache.json"
MANIFEST_VERSION = 1

_INJECTED_TAG = "injected-parameters"
_CELL_NUMBER = "cwg_cell"
_HEADINGS = ["h1", "h2", "h3", "h4", "h5", "h6"]
# What a report page must not carry in its body: elements that run or load something, and
# attributes that hold a URL (allowed: data:image/ URIs, #fragments, and links on <a>).
_ACTIVE_ELEMENTS = [
    "script",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "link",
    "meta",
    "form",
]
_URL_ATTRIBUTES = [
    "src",
    "srcset",
    "href",
    "xlink:href",
    "action",
    "formaction",
    "poster",
    "data",
    "background",
    "ping",
]
_REMOTE_CSS = re.compile(r"@import|url\(\s*['\"]?\s*(?!data:|#)", re.IGNORECASE)
_STYLER_TABLE = re.compile(r'<table id="T_([0-9a-f]{5})"')


@dataclass(frozen=True)
class RenderJob:
    """One report: a notebook, the parameters it runs with and the HTML file it becomes."""

    notebook: Path
    parameters: tuple[tuple[str, int | str], ...] = ()

    @property
    def stem(self) -> str:
        """Return the name of the report without suffix, e.g. ``05-meeting-brief-11``."""
        return self.notebook.stem + "".join(f"-{value}" for _, value in self.parameters)

    @property
    def name(self) -> str:
        """Return the file name of the report, e.g. ``05-meeting-brief-11.html``."""
        return f"{self.stem}.html"

    @property
    def label(self) -> str:
        """Return how messages name the job, e.g. ``05-meeting-brief.ipynb (meeting=11)``."""
        if not self.parameters:
            return self.notebook.name
        values = ", ".join(f"{key}={value}" for key, value in self.parameters)
        return f"{self.notebook.name} ({values})"


@dataclass(frozen=True)
class RenderSummary:
    """What a call of ``render_reports`` did; ``str()`` is a short human summary."""

    output_dir: Path
    rendered: tuple[str, ...]
    cached: tuple[str, ...]
    removed: tuple[str, ...]
    index_written: bool
    seconds: float

    def __str__(self) -> str:
        total = len(self.rendered) + len(self.cached)
        parts = [f"{len(self.rendered)} rendered", f"{len(self.cached)} unchanged"]
        if self.removed:
            parts.append(f"{len(self.removed)} removed")
        return (
            f"render: {total} reports ({', '.join(parts)}) in {self.seconds:.1f} s; "
            f"open {self.output_dir / INDEX_NAME}"
        )


@dataclass(frozen=True)
class _Settings:
    """Everything a worker process needs to render a job (picklable)."""

    output_dir: Path
    working_dir: Path
    kernel_name: str
    timeout: int
    fingerprint: str
    render_date: date


@dataclass(frozen=True)
class _Rendered:
    """What a worker reports back for a rendered job."""

    name: str
    title: str
    summary: str
    html_sha256: str
    seconds: float
    notes: tuple[str, ...]


def list_brief_meetings() -> list[int]:
    """Return the meetings that have a full report: the ones a meeting brief is rendered for."""
    from cwg_analysis.loading import load_meetings

    meetings = load_meetings()
    has_full_report = meetings["has_full_report"].fillna(False).astype(bool)
    return sorted(int(meeting) for meeting in meetings.loc[has_full_report, "meeting"].dropna())


def build_corpus_if_stale() -> None:
    """Build the corpus when a report, a curated table or the code changed since its last build.

    The renderer does this once before it runs notebooks, so the parallel notebooks do not
    each find the corpus stale and build it at the same time.
    """
    from cwg_analysis.corpus import build_corpus, is_corpus_stale

    if is_corpus_stale():
        log.info("render: the corpus is stale: building it first")
        build_corpus()


def fingerprint_data(data_dir: Path = DATA_DIR) -> str:
    """Return the sha256 over the path and bytes of every data file under ``data_dir``.

    Hidden and private files and folders (names starting with "." or "_") are left out: they
    hold caches such as the corpus build's ``data/processed/_cache``, whose chunk names change
    on every rebuild while the tables the notebooks read stay byte-identical.
    """
    digest = hashlib.sha256()
    files = [
        path
        for path in data_dir.rglob("*")
        if path.is_file()
        and not any(part.startswith((".", "_")) for part in path.relative_to(data_dir).parts)
    ]
    for path in sorted(files, key=lambda path: path.relative_to(data_dir).as_posix()):
        digest.update(path.relative_to(data_dir).as_posix().encode() + b"\0")
        digest.update(_hash_file(path).encode() + b"\n")
    return digest.hexdigest()


def find_render_jobs(
    notebooks_dir: Path = NOTEBOOKS_DIR,
    list_meetings: Callable[[], Iterable[int]] = list_brief_meetings,
) -> list[RenderJob]:
    """Return the reports to render: one per notebook, one per meeting for a meeting notebook."""
    jobs: list[RenderJob] = []
    meetings: list[int] | None = None
    for notebook in sorted(notebooks_dir.glob(NOTEBOOK_PATTERN)):
        if MEETING_PARAMETER not in _read_parameter_names(notebook):
            jobs.append(RenderJob(notebook))
            continue
        if meetings is None:
            meetings = sorted({int(meeting) for meeting in list_meetings()})
        jobs.extend(RenderJob(notebook, ((MEETING_PARAMETER, meeting),)) for meeting in meetings)
    return jobs


def render_reports(
    jobs: int | None = None,
    force: bool = False,
    only: Sequence[str] | None = None,
    *,
    notebooks_dir: Path = NOTEBOOKS_DIR,
    output_dir: Path = REPORTS_DIR,
    data_dir: Path = DATA_DIR,
    list_meetings: Callable[[], Iterable[int]] = list_brief_meetings,
    prepare_data: Callable[[], object] | None = build_corpus_if_stale,
    render_date: date | None = None,
    kernel_name: str = "python3",
    timeout: int = 600,
) -> RenderSummary:
    """Execute the notebooks and export every report that changed as HTML, plus the index.

    Parameters
    ----------
    jobs
        Notebooks executed at once (worker processes); default: the number of cores.
    force
        Render every selected report even when its cache key is unchanged.
    only
        Render only these reports, named by notebook stem (``05-meeting-brief``) or report stem
        (``05-meeting-brief-11``); the index still lists every report rendered so far.
    notebooks_dir, output_dir, data_dir
        Where the notebooks are, where the HTML goes, which data the cache key covers.
        Notebooks run with ``notebooks_dir`` as their working directory.
    list_meetings
        Returns the meetings a ``meeting``-parameterised notebook is rendered for. It is called
        only when the data changed since the last render.
    prepare_data
        Called once before any notebook runs (default: build the corpus if stale), then the
        data is fingerprinted again; not called when every report is unchanged. None to use
        the data as it is.
    render_date
        The date in the page footers; default ``SOURCE_DATE_EPOCH`` if set, else today (UTC).
    kernel_name, timeout
        The Jupyter kernel and the per-cell timeout in seconds.

    Raises
    ------
    RenderError
        A notebook failed (every failing notebook and cell is named; the others are written
        and their previous HTML is replaced only by a complete new page), or ``only`` names
        no report, or ``jobs`` is below 1.
    """
    started = time.perf_counter()
    workers = _count_workers(jobs)
    output_dir.mkdir(parents=True, exist_ok=True)
    manifest = _read_manifest(output_dir)
    renderer = _fingerprint_renderer()
    fingerprint = fingerprint_data(data_dir)
    plan_for = functools.partial(
        _plan_jobs, notebooks_dir, output_dir, manifest, renderer, list_meetings, only, force
    )
    plan = plan_for(fingerprint)
    if plan.todo and prepare_data is not None:
        # Bring the data up to date once, before the parallel notebooks could each find it
        # stale; plan again if that changed it.
        prepare_data()
        refreshed = fingerprint_data(data_dir)
        if refreshed != fingerprint:
            fingerprint = refreshed
            plan = plan_for(fingerprint)
    all_jobs, keys, todo, cached = plan.all_jobs, plan.keys, plan.todo, plan.cached
    entries: dict[str, dict[str, Any]] = manifest.setdefault("reports", {})

    settings = _Settings(
        output_dir=output_dir,
        working_dir=notebooks_dir,
        kernel_name=kernel_name,
        timeout=timeout,
        fingerprint=fingerprint,
        render_date=render_date or _default_render_date(),
    )
    if todo:
        log.info(
            "render: %d of %d reports to execute (%d unchanged), %d at a time",
            len(todo),
            len(keys),
            len(cached),
            min(workers, len(todo)),
        )
    elif not all_jobs:
        log.warning("render: no notebook named %s in %s", NOTEBOOK_PATTERN, notebooks_dir)
    else:
        log.info("render: all %d reports unchanged", len(keys))
    results, failures = _run_jobs(todo, settings, workers)
    for job in todo:
        if job.name in results:
            result = results[job.name]
            entries[job.name] = {
                "key": keys[job.name],
                "notebook": job.notebook.name,
                "parameters": dict(job.parameters),
                "title": result.title,
                "summary": result.summary,
                "html_sha256": result.html_sha256,
            }

    removed = _remove_stale(output_dir, entries, all_jobs) if only is None else []
    index_written = _update_index(output_dir, manifest, all_jobs, settings, renderer)
    _write_atomic(
        output_dir / MANIFEST_NAME, json.dumps(manifest, indent=1, sort_keys=True).encode()
    )

    if failures:
        raise RenderError("\n".join(failures))
    return RenderSummary(
        output_dir=output_dir,
        rendered=tuple(job.name for job in todo),
        cached=tuple(cached),
        removed=tuple(removed),
        index_written=index_written,
        seconds=time.perf_counter() - started,
    )


@dataclass(frozen=True)
class _Plan:
    """Every report there is, the cache key of each one asked for, and what to execute."""

    all_jobs: list[RenderJob]
    keys: dict[str, str]
    todo: list[RenderJob]
    cached: list[str]


def _plan_jobs(
    notebooks_dir: Path,
    output_dir: Path,
    manifest: dict[str, Any],
    renderer: str,
    list_meetings: Callable[[], Iterable[int]],
    only: Sequence[str] | None,
    force: bool,
    fingerprint: str,
) -> _Plan:
    """Return the plan of a render; the meetings are looked up only when the data changed."""
    known = manifest.get("meetings", {})

    def list_meetings_once() -> list[int]:
        if known.get("fingerprint") != fingerprint:
            values = sorted({int(meeting) for meeting in list_meetings()})
            manifest["meetings"] = {"fingerprint": fingerprint, "values": values}
        return manifest["meetings"]["values"]

    all_jobs = find_render_jobs(notebooks_dir, list_meetings_once)
    selected = _select_jobs(all_jobs, only)
    keys = {job.name: _job_key(job, fingerprint, renderer) for job in selected}
    entries = manifest.get("reports", {})
    cached = [
        job.name
        for job in selected
        if not force
        and job.name in entries
        and _is_intact(output_dir, job.name, entries[job.name], keys[job.name])
    ]
    todo = [job for job in selected if job.name not in cached]
    return _Plan(all_jobs=all_jobs, keys=keys, todo=todo, cached=cached)


def _count_workers(jobs: int | None) -> int:
    """Return the number of worker processes to use."""
    if jobs is None:
        return (
            len(os.sched_getaffinity(0))
            if hasattr(os, "sched_getaffinity")
            else os.cpu_count() or 1
        )
    if jobs < 1:
        raise RenderError(f"render:jobs: must be at least 1: {jobs}")
    return jobs


def _select_jobs(all_jobs: list[RenderJob], only: Sequence[str] | None) -> list[RenderJob]:
    """Return the jobs named by ``only`` (notebook or report stems), all when it is None."""
    if only is None:
        return all_jobs
    wanted = set(only)
    selected = [job for job in all_jobs if {job.notebook.stem, job.stem} & wanted]
    known = {job.notebook.stem for job in all_jobs} | {job.stem for job in all_jobs}
    unknown = sorted(wanted - known)
    if unknown:
        raise RenderError(
            f"render:only: no such report: {', '.join(unknown)} "
            f"(reports: {', '.join(sorted(known)) or 'none'})"
        )
    return selected


def _read_parameter_names(notebook: Path) -> set[str]:
    """Return the names assigned in the notebook's cell tagged ``parameters`` (none if no cell)."""
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError) as exc:
        raise RenderError(f"{notebook.name}:file: cannot read the notebook: {exc}") from exc
    for number, cell in enumerate(cells, start=1):
        if "parameters" not in cell.get("metadata", {}).get("tags", []):
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        try:
            tree = ast.parse(source)
        except SyntaxError as exc:
            raise RenderError(
                f"{notebook.name}:cell {number}: the parameters cell is not valid Python: {exc}"
            ) from exc
        return {
            target.id
            for node in ast.walk(tree)
            if isinstance(node, ast.Assign | ast.AnnAssign)
            for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
            if isinstance(target, ast.Name)
        }
    return set()


def _hash_file(path: Path) -> str:
    """Return the sha256 hex digest of a file's bytes."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _fingerprint_renderer() -> str:
    """Return the sha256 of this module and its templates: a change there re-renders all."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for path in sorted(TEMPLATES_DIR.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(TEMPLATES_DIR).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _job_key(job: RenderJob, fingerprint: str, renderer: str) -> str:
    """Return the cache key of a job: notebook bytes, parameters, data, version, renderer."""
    payload = {
        "notebook": _hash_file(job.notebook),
        "parameters": [list(pair) for pair in job.parameters],
        "data": fingerprint,
        "version": __version__,
        "renderer": renderer,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _is_intact(output_dir: Path, name: str, entry: dict[str, Any], key: str) -> bool:
    """Return whether a report's key is unchanged and its HTML file is the one written."""
    path = output_dir / name
    return (
        entry.get("key") == key and path.is_file() and _hash_file(path) == entry.get("html_sha256")
    )


def _default_render_date() -> date:
    """Return the footer date: ``SOURCE_DATE_EPOCH`` when set, else today in UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=UTC).date()
        except ValueError as exc:
            raise RenderError(f"SOURCE_DATE_EPOCH: not a Unix time: {epoch!r}") from exc
    return datetime.now(tz=UTC).date()


def _read_manifest(output_dir: Path) -> dict[str, Any]:
    """Return the cache manifest of ``output_dir`` (empty when missing, stale or unreadable)."""
    path = output_dir / MANIFEST_NAME
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"version": MANIFEST_VERSION}
    except (OSError, ValueError) as exc:
        log.warning("%s: unreadable render cache, rendering everything: %s", path, exc)
        return {"version": MANIFEST_VERSION}
    if not isinstance(manifest, dict) or manifest.get("version") != MANIFEST_VERSION:
        return {"version": MANIFEST_VERSION}
    return manifest


def _write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename (never half-written)."""
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _run_jobs(
    todo: list[RenderJob], settings: _Settings, workers: int
) -> tuple[dict[str, _Rendered], list[str]]:
    """Render the jobs in worker processes; return the results and one message per failure."""
    results: dict[str, _Rendered] = {}
    failures: dict[str, str] = {}
    if not todo:
        return results, []
    # fork on Linux: no re-import of the caller's main module (scripts need no __main__ guard)
    # and workers start instantly; spawn elsewhere, where fork is unsafe or missing.
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    with ProcessPoolExecutor(min(workers, len(todo)), context, initializer=_init_worker) as pool:
        futures = {pool.submit(_render_job, job, settings): job for job in todo}
        for done, future in enumerate(as_completed(futures), start=1):
            job = futures[future]
            try:
                result = future.result()
            except RenderError as exc:
                failures[job.name] = str(exc)
                log.error("[%d/%d] %s failed: %s", done, len(todo), job.name, exc)
                continue
            except Exception as exc:  # a bug or a broken worker: report it with the others
                failures[job.name] = f"{job.label}:render: {type(exc).__name__}: {exc}"
                log.exception("[%d/%d] %s failed", done, len(todo), job.name)
                continue
            results[job.name] = result
            for note in result.notes:
                log.warning("%s", note)
            log.info("[%d/%d] %s rendered in %.1f s", done, len(todo), job.name, result.seconds)
    return results, [failures[job.name] for job in todo if job.name in failures]


def _init_worker() -> None:
    """Prepare a worker process."""
    # jsonschema, imported by nbformat, loads the optional rfc3987_syntax IRI checker when it is
    # installed, and that builds a grammar for about a second at import. Notebook validation
    # never checks IRIs, so workers go without it.
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
    # Progress and failures come from the parent's log: the libraries' own lines are noise
    # there (nbclient's "Executing notebook", jupyter_client's zmq context clean-up).
    for name in ("traitlets", "papermill"):
        logging.getLogger(name).setLevel(logging.ERROR)


def _render_job(job: RenderJob, settings: _Settings) -> _Rendered:
    """Execute one notebook, export it and write its HTML (in a worker process)."""
    started = time.perf_counter()
    # The worker only waits while its kernel starts and runs: prepare the exporter meanwhile
    # (nbconvert's imports, templates and parsers take over half a second, once per worker).
    # The executor's libraries are imported first, so the two threads never import one module.
    import nbclient  # noqa: F401

    warm_up = threading.Thread(
        target=_warm_up_exporter, args=(settings,), name="cwg-warm-up", daemon=True
    )
    warm_up.start()
    try:
        notebook = _execute_notebook(job, settings)
    finally:
        warm_up.join()
    notes = _describe_stderr(job, notebook)
    html, title, summary, missing_alt = _finish_page(_export_notebook(notebook, job, settings), job)
    if missing_alt:
        notes.append(f"{job.label}:figures: {missing_alt} image(s) without alt text")
    data = html.encode()
    _write_atomic(settings.output_dir / job.name, data)
    return _Rendered(
        name=job.name,
        title=title,
        summary=summary,
        html_sha256=hashlib.sha256(data).hexdigest(),
        seconds=time.perf_counter() - started,
        notes=tuple(notes),
    )


def _execute_notebook(job: RenderJob, settings: _Settings) -> NotebookNode:
    """Run a notebook top to bottom in a fresh kernel; raise RenderError naming a failed cell."""
    import nbformat
    from jupyter_client.kernelspec import NoSuchKernel
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    if job.parameters:
        import papermill

        # papermill injects the parameters after the cell tagged "parameters" (no execution here).
        notebook = papermill.execute_notebook(
            str(job.notebook),
            None,
            parameters=dict(job.parameters),
            prepare_only=True,
            kernel_name=settings.kernel_name,
            language="python",
            progress_bar=False,
        )
    else:
        notebook = nbformat.read(job.notebook, as_version=4)
    _number_cells(notebook)
    started_cells: list[int] = []
    with tempfile.TemporaryDirectory(prefix="cwg-render-") as scratch:
        # IPC sockets in a private folder: no TCP port races between parallel kernels.
        manager = KernelManager(
            kernel_name=settings.kernel_name, transport="ipc", ip=str(Path(scratch) / "kernel")
        )
        client = NotebookClient(
            notebook,
            km=manager,
            timeout=settings.timeout,
            allow_errors=False,
            record_timing=False,
            shutdown_kernel="immediate",
            on_cell_start=lambda cell, cell_index: started_cells.append(cell_index),
        )
        try:
            client.execute(
                cleanup_kc=True,  # stop the kernel although the client did not create its manager
                cwd=str(settings.working_dir),
                env=_kernel_env(settings, Path(scratch)),
            )
        except (CellExecutionError, CellTimeoutError, DeadKernelError) as exc:
            raise RenderError(_describe_failure(job, notebook, started_cells, exc)) from exc
        except (NoSuchKernel, RuntimeError) as exc:
            raise RenderError(
                f"{job.label}:kernel: cannot run kernel {settings.kernel_name!r}: {exc}"
            ) from exc
    return notebook


def _kernel_env(settings: _Settings, scratch: Path) -> dict[str, str]:
    """Return the kernel's environment: pinned hash seed and dates, no user IPython profile."""
    day = settings.render_date
    epoch = datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()
    return {
        **os.environ,
        "PYTHONHASHSEED": "0",
        "SOURCE_DATE_EPOCH": str(int(epoch)),
        "IPYTHONDIR": str(scratch / "ipython"),
    }


def _number_cells(notebook: NotebookNode) -> None:
    """Store in each cell's metadata its 1-based position in the notebook as saved.

    Messages and the page use it; papermill's injected parameters cell gets no number.
    """
    number = 0
    for cell in notebook.cells:
        if _INJECTED_TAG not in cell.metadata.get("tags", []):
            number += 1
            cell.metadata[_CELL_NUMBER] = number


def _describe_failure(
    job: RenderJob, notebook: NotebookNode, started_cells: list[int], exc: Exception
) -> str:
    """Return ``<notebook>:cell <n>: <error>`` for the cell that was running."""
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    if isinstance(exc, CellExecutionError):
        what = f"{exc.ename}: {exc.evalue}"
    elif isinstance(exc, CellTimeoutError):
        what = "the cell timed out"
    else:
        what = f"the kernel died ({exc})"
    if not started_cells:
        return f"{job.label}:kernel: {what}"
    cell = notebook.cells[started_cells[-1]]
    if _CELL_NUMBER not in cell.metadata:
        return f"{job.label}:parameters: {what}"
    first_line = next((line.strip() for line in cell.source.splitlines() if line.strip()), "")
    return f"{job.label}:cell {cell.metadata[_CELL_NUMBER]}: {what} (cell starts: {first_line!r})"


def _describe_stderr(job: RenderJob, notebook: NotebookNode) -> list[str]:
    """Return one note per cell that wrote to stderr (left out of the page, shown to the author)."""
    return [
        f"{job.label}:cell {cell.metadata.get(_CELL_NUMBER, 'parameters')}: wrote to stderr: "
        + "".join(output.get("text", "").strip().splitlines()[:1])
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output.get("output_type") == "stream" and output.get("name") == "stderr"
    ]


def _export_notebook(notebook: NotebookNode, job: RenderJob, settings: _Settings) -> str:
    """Return the notebook as HTML from the project's template (outputs and prose, no code)."""
    resources = {
        "metadata": {"name": job.notebook.stem, "path": str(job.notebook.parent)},
        "cwg": _page_info(
            settings,
            title=job.notebook.stem,
            source=job.notebook.name,
            parameters=dict(job.parameters),
        ),
    }
    html, _ = _html_exporter().from_notebook_node(notebook, resources=resources)
    return html


@functools.cache  # once per worker process
def _warm_up_exporter(settings: _Settings) -> None:
    """Export and check an empty page, so that the first real page finds nbconvert imported,
    its templates and the HTML parsers compiled. A failure is raised again by that page."""
    from nbformat.v4 import new_notebook

    job = RenderJob(settings.working_dir / "warm-up.ipynb")
    with contextlib.suppress(Exception):
        _finish_page(_export_notebook(new_notebook(), job, settings), job)


@functools.cache
def _html_exporter() -> HTMLExporter:
    """Return this process's HTML exporter (built once: its templates are compiled once)."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config()
    config.HTMLExporter.template_name = TEMPLATE_NAME
    config.HTMLExporter.extra_template_basedirs = [str(TEMPLATES_DIR)]
    config.HTMLExporter.exclude_input = True
    config.HTMLExporter.exclude_input_prompt = True
    config.HTMLExporter.exclude_output_prompt = True
    config.HTMLExporter.exclude_anchor_links = True
    config.HTMLExporter.embed_images = True
    # Scripts and widgets are never shown; an output offering them falls back to HTML or text.
    config.NbConvertBase.display_data_priority = [
        "text/html",
        "text/markdown",
        "image/svg+xml",
        "image/png",
        "image/jpeg",
        "text/latex",
        "text/plain",
    ]
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = {"remove-cell"}
    config.TagRemovePreprocessor.remove_all_outputs_tags = {"remove-output"}
    return HTMLExporter(config=config)


def _page_info(settings: _Settings, **extra: Any) -> dict[str, Any]:
    """Return what the templates show in the head and footer of a page."""
    return {
        "css": (TEMPLATES_DIR / TEMPLATE_NAME / "report.css").read_text(encoding="utf-8"),
        "version": __version__,
        "fingerprint": settings.fingerprint,
        "date": settings.render_date.isoformat(),
        **extra,
    }


def _finish_page(html: str, job: RenderJob) -> tuple[str, str, str, int]:
    """Check and complete an exported page: refuse active content, add ids, TOC and title.

    Returns the page, its title, its summary (first markdown paragraph) and the number of
    images without alt text.
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(_renumber_styler_ids(html), "html.parser")
    main = soup.main
    problems = _find_active_content(main)
    if problems:
        cells = sorted(
            {number for number, _ in problems}, key=lambda n: int(n) if n.isdigit() else 0
        )
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise RenderError(
            f"{job.label}:cell {', '.join(cells)}: output refused, it would carry active content "
            f"(display data as escaped HTML): {problems[0][1]}{more}"
        )
    for cell in main.find_all(attrs={"data-cell": True}):
        del cell["data-cell"]
    first_h1 = main.find("h1")
    title = first_h1.get_text(" ", strip=True) if first_h1 else job.notebook.stem
    if job.parameters:
        title += " (" + ", ".join(f"{key} {value}" for key, value in job.parameters) + ")"
    soup.title.string = title
    first_paragraph = next(
        (p for section in main.select("section.cell-markdown") for p in section.find_all("p")), None
    )
    summary = " ".join(first_paragraph.get_text(" ").split()) if first_paragraph else ""
    _add_contents(soup, main, first_h1)
    missing_alt = sum(not img.get("alt", "").strip() for img in main.find_all("img"))
    return str(soup), title, summary, missing_alt


def _renumber_styler_ids(html: str) -> str:
    """Replace the random ids of pandas Styler tables (``T_1a2b3``) by ``T_table<n>``."""
    for number, uuid in enumerate(dict.fromkeys(_STYLER_TABLE.findall(html)), start=1):
        html = re.sub(rf"T_{uuid}(?![0-9a-f])", f"T_table{number}", html)
    return html


def _find_active_content(main: Tag) -> list[tuple[str, str]]:
    """Return (cell number, description) of every script, handler or remote resource."""
    problems: list[tuple[Tag, str]] = [
        (tag, f"<{tag.name}> element") for tag in main.find_all(_ACTIVE_ELEMENTS)
    ]
    for tag in main.find_all(True):
        for attribute, value in tag.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            compact = re.sub(r"[\x00-\x20]", "", text).lower()
            if attribute.startswith("on"):
                problems.append((tag, f"{attribute} attribute on <{tag.name}>"))
            elif compact.startswith(("javascript:", "vbscript:")):
                problems.append((tag, f"script URL in {attribute} of <{tag.name}>"))
            elif attribute == "style" and _REMOTE_CSS.search(text):
                problems.append((tag, f"remote resource in the style of <{tag.name}>"))
            elif (
                attribute in _URL_ATTRIBUTES
                and tag.name not in ("a", "area")
                and not compact.startswith(("data:image/", "#"))
            ):
                problems.append((tag, f"{attribute}={text[:80]!r} on <{tag.name}>"))
    problems.extend(
        (style, "remote resource in a <style> element")
        for style in main.find_all("style")
        if _REMOTE_CSS.search(style.get_text())
    )
    return [(_cell_of(tag), description) for tag, description in problems]


def _cell_of(tag: Tag) -> str:
    """Return the notebook cell number a page element comes from ("?" if none)."""
    cell = tag.find_parent(attrs={"data-cell": True})
    return str(cell["data-cell"]) if cell is not None else "?"


def _add_contents(soup: BeautifulSoup, main: Tag, first_h1: Tag | None) -> None:
    """Give every heading a unique readable id and insert a table of contents after the title."""
    headings = main.find_all(_HEADINGS)
    taken = {str(tag["id"]) for tag in soup.find_all(id=True) if tag.name not in _HEADINGS}
    for heading in headings:
        base = _slug(heading.get_text(" ", strip=True))
        anchor, suffix = base, 1
        while anchor in taken:
            suffix += 1
            anchor = f"{base}-{suffix}"
        taken.add(anchor)
        heading["id"] = anchor
    listed = [h for h in headings if h.name in ("h1", "h2", "h3") and h is not first_h1]
    if not listed:
        return
    nav = soup.new_tag("nav", attrs={"class": "toc", "aria-label": "Contents"})
    caption = soup.new_tag("p", attrs={"class": "toc-title"})
    caption.string = "Contents"
    top = soup.new_tag("ol")
    nav.extend([caption, top])
    parent_item: Tag | None = None
    for heading in listed:
        item = soup.new_tag("li")
        link = soup.new_tag("a", href=f"#{heading['id']}")
        link.string = heading.get_text(" ", strip=True)
        item.append(link)
        if heading.name == "h3" and parent_item is not None:
            sublist = parent_item.find("ol")
            if sublist is None:
                sublist = soup.new_tag("ol")
                parent_item.append(sublist)
            sublist.append(item)
        else:
            top.append(item)
            parent_item = item
    title_cell = first_h1.find_parent(class_="cell") if first_h1 else None
    if title_cell is not None:
        title_cell.insert_after(nav)
    else:
        main.insert(0, nav)


def _slug(text: str) -> str:
    """Return a readable ASCII id for a heading text."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "section"


def _remove_stale(
    output_dir: Path, entries: dict[str, Any], all_jobs: list[RenderJob]
) -> list[str]:
    """Delete the reports of notebooks or meetings that no longer exist; return their names."""
    current = {job.name for job in all_jobs}
    removed = sorted(name for name in entries if name not in current)
    for name in removed:
        (output_dir / name).unlink(missing_ok=True)
        del entries[name]
        log.info("render: removed %s (its notebook or meeting is gone)", name)
    return removed


def _update_index(
    output_dir: Path,
    manifest: dict[str, Any],
    all_jobs: list[RenderJob],
    settings: _Settings,
    renderer: str,
) -> bool:
    """Write ``index.html`` listing every rendered report, unless it is already up to date."""
    entries = manifest.get("reports", {})
    reports = [
        {
            "href": job.name,
            "title": entries[job.name]["title"],
            "summary": entries[job.name]["summary"],
        }
        for job in all_jobs
        if job.name in entries and (output_dir / job.name).is_file()
    ]
    key = hashlib.sha256(
        json.dumps([reports, settings.fingerprint, __version__, renderer], sort_keys=True).encode()
    ).hexdigest()
    path = output_dir / INDEX_NAME
    if manifest.get("index_key") == key and path.is_file():
        return False
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR / TEMPLATE_NAME),
        autoescape=True,
        keep_trailing_newline=True,
    )
    info = _page_info(settings, source=None, parameters={})
    page = environment.get_template("reports-index.html.j2").render(
        title=INDEX_TITLE, reports=reports, css=info["css"], footer=info
    )
    _write_atomic(path, page.encode())
    manifest["index_key"] = key
    return True
