"""Build the corpus: every report in ``data/raw/reports/`` into ``data/processed/*.parquet``.

``build_corpus()`` reads each report with :func:`cwg_analysis.report.read_report`, casts and
validates its tables against ``cwg_analysis.schemas``, tags its documents with topics, merges
the report headers with ``meetings.csv`` (the curated value wins; disagreements are kept in
``meeting_disagreements`` and listed in the summary) and writes the tables. A table read from
the reports is a parquet dataset, ``<table>.parquet/part-<chunk>.parquet`` (pandas and pyarrow
read the folder as one table); the tables derived from them are single parquet files.

- Incremental: a manifest maps each report file to the SHA-256 of its bytes and to the cached
  chunk holding its tables (``_cache/chunks/<id>/<table>.parquet``, many reports per chunk).
  A report whose bytes did not change is not read again, and a part whose reports did not
  change is not written again. A change of the code the build runs, of the cue vocabularies
  or of the country aliases and topic keywords re-reads every report.
- Atomic: new files are written under temporary names and moved into place only after every
  step succeeded, under a lock that readers share (:func:`reading_corpus`), the manifest last;
  a failed build leaves the previous corpus as it was.
- Scalable: reports are read in batches (in a process pool when there are many), each batch
  validated at once and written to its own chunk, so no step holds every text.
"""

from __future__ import annotations

import ast
import contextlib
import fcntl
import functools
import hashlib
import json
import logging
import math
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from cwg_analysis import config
from cwg_analysis.errors import CorpusBuildError, CwgAnalysisError

__all__ = [
    "BuildSummary",
    "build_corpus",
    "is_corpus_stale",
    "reading_corpus",
    "table_stamps",
]

log = logging.getLogger(__name__)

MANIFEST_VERSION = 2
REPORT_SUFFIXES = (".txt", ".docx", ".pdf")
PARSED_TABLES = (
    "meeting",
    "paragraphs",
    "dropped",
    "documents",
    "submitters",
    "statements",
    "consultation",
    "unparsed",
)
CHUNK_TABLES = (*PARSED_TABLES, "document_topics")
DERIVED_TABLES = ("meetings", "meeting_disagreements", "consultation_topics")  # from them all
# The modules the build runs; the code fingerprint follows their imports.
BUILD_MODULES = ("cwg_analysis.report", "cwg_analysis.corpus", "cwg_analysis.topics")
MAX_BATCH = 256
_SHA = "_sha"
_PACKAGE_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class BuildSummary:
    """What a build did; ``str()`` is a short summary for people."""

    reports_read: tuple[str, ...] = ()
    reports_unchanged: tuple[str, ...] = ()
    reports_skipped: tuple[tuple[str, str], ...] = ()
    tables: dict[str, int] = field(default_factory=dict)
    disagreements: tuple[str, ...] = ()
    seconds: float = 0.0
    processed_dir: str = ""

    @property
    def is_up_to_date(self) -> bool:
        """Nothing had to be written."""
        return not self.tables

    def __str__(self) -> str:
        read, unchanged = len(self.reports_read), len(self.reports_unchanged)
        head = (
            f"corpus: {read} report(s) read, {unchanged} unchanged, "
            f"{len(self.reports_skipped)} skipped"
        )
        if self.is_up_to_date:
            lines = [f"{head}; up to date in {self.processed_dir} ({self.seconds:.2f} s)"]
        else:
            counts = ", ".join(f"{name} {rows}" for name, rows in self.tables.items())
            lines = [
                f"{head}; {len(self.tables)} tables written to {self.processed_dir} "
                f"in {self.seconds:.2f} s",
                f"rows: {counts}",
            ]
        lines += [f"skipped {name}: {reason}" for name, reason in self.reports_skipped]
        if self.disagreements:
            lines.append("report headers that disagree with meetings.csv (curated value kept):")
            lines += [f"  {line}" for line in self.disagreements]
        return "\n".join(lines)


class _Task(NamedTuple):
    """A batch of reports for one worker."""

    paths: tuple[str, ...]
    chunk_dir: str
    topics_csv: str


class _Result(NamedTuple):
    """What reading one report gave: where its tables are, or why it was skipped."""

    name: str
    size: int
    mtime_ns: int
    sha256: str
    chunk: str | None
    meeting: int | None
    reason: str | None


# --- fingerprints and the manifest ------------------------------------------------------------


def _hash_files(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(str(path.relative_to(path.parents[1])).encode())
        with contextlib.suppress(OSError):
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _module_file(module: str) -> Path | None:
    """Return the source file of a ``cwg_analysis`` module, or None."""
    path = _PACKAGE_DIR.joinpath(*module.split(".")[1:])
    for candidate in (path.with_suffix(".py"), path / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _build_sources() -> list[Path]:
    """Return the package files the build runs: the modules it imports, transitively.

    Imports are read from the source (also those inside functions), so a change to
    ``report.py`` or to anything it uses invalidates the cached tables, while a change to the
    plotting or rendering code does not.
    """
    pending = ["cwg_analysis", *BUILD_MODULES]
    files: dict[str, Path] = {}
    while pending:
        module = pending.pop()
        path = _module_file(module)
        if module in files or path is None:
            continue
        files[module] = path
        stat = path.stat()
        pending += _imports(module, path, stat.st_size, stat.st_mtime_ns)
    return sorted(files.values())


@functools.lru_cache(maxsize=256)
def _imports(module: str, path: Path, size: int, mtime_ns: int) -> tuple[str, ...]:
    """Return the ``cwg_analysis`` modules a source file imports (cached per file version)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_bytes())):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0]
                base = f"{parent}.{base}" if base else parent
            found += [base, *(f"{base}.{alias.name}" for alias in node.names)]
    return tuple(name for name in found if name.split(".")[0] == "cwg_analysis")


def _code_fingerprint(reference_dir: Path) -> tuple[str, dict[str, dict]]:
    """Hash what decides a report's tables: the code the build runs, its cue vocabularies,
    and the curated tables the extraction reads (country aliases, topic keywords).

    Returns the hash and the sources it covers, ``{"package": {path in the package: entry},
    "reference": {file name: entry}}``, each entry ``[size, mtime_ns, sha256]`` (None for a
    missing file), so that :func:`_sources_changed` can tell an unchanged checkout cheaply.
    """
    data = sorted(_PACKAGE_DIR.rglob("*.yaml"))
    curated = [reference_dir / "countries.csv", reference_dir / "topics.csv"]
    digest = hashlib.sha256()
    sources: dict[str, dict] = {"package": {}, "reference": {}}
    for path in [*_build_sources(), *data, *curated]:
        digest.update(str(path.relative_to(path.parents[1])).encode())
        try:
            stat = path.stat()
            content = path.read_bytes()
        except OSError:
            entry = None
        else:
            digest.update(content)
            entry = [stat.st_size, stat.st_mtime_ns, hashlib.sha256(content).hexdigest()]
        if path.is_relative_to(_PACKAGE_DIR):
            sources["package"][path.relative_to(_PACKAGE_DIR).as_posix()] = entry
        else:
            sources["reference"][path.name] = entry
    return digest.hexdigest(), sources


def _sources_changed(sources: dict[str, dict], reference_dir: Path) -> bool:
    """Tell whether a source of the code fingerprint changed since it was recorded.

    A file of the recorded size and modification time is unchanged; another one is hashed.
    The build's modules follow the imports of these files, so they change only with them;
    a cue vocabulary (``*.yaml``) added to the package is a change.
    """
    package = sources.get("package", {})
    data = {path.relative_to(_PACKAGE_DIR).as_posix() for path in _PACKAGE_DIR.rglob("*.yaml")}
    if data != {name for name in package if name.endswith(".yaml")}:
        return True
    files = [(_PACKAGE_DIR / name, entry) for name, entry in package.items()]
    files += [(reference_dir / name, entry) for name, entry in sources.get("reference", {}).items()]
    for path, entry in files:
        try:
            stat = path.stat()
            if entry is None:
                return True
            if [stat.st_size, stat.st_mtime_ns] != entry[:2] and _sha256(path) != entry[2]:
                return True
        except OSError:
            if entry is not None:
                return True
    return False


def table_stamps(path: Path) -> dict[str, list[int]]:
    """Return ``{file name: [size, mtime_ns]}`` of what a reader reads for a table.

    A table is one file, or a folder whose files are its parts (names starting with "." or
    "_" are not read, as in pyarrow); a missing table has no stamps.
    """
    try:
        if not path.is_dir():
            stat = path.stat()
            return {path.name: [stat.st_size, stat.st_mtime_ns]}
        with os.scandir(path) as entries:
            stats = {
                entry.name: entry.stat()
                for entry in entries
                if not entry.name.startswith((".", "_"))
            }
    except OSError:
        return {}
    return {name: [stat.st_size, stat.st_mtime_ns] for name, stat in sorted(stats.items())}


def _reference_fingerprint(reference_dir: Path) -> str:
    """Hash the curated tables the build merges (meetings, consultations, topics)."""
    return _hash_files(sorted(reference_dir.glob("*.csv")))


def _report_entries(raw_dir: Path) -> list[os.DirEntry]:
    """Return the report files of a folder (.txt, .docx, .pdf), sorted by name: their directory
    entries, read in one scandir."""
    try:
        with os.scandir(raw_dir) as scan:
            entries = [
                entry
                for entry in scan
                if os.path.splitext(entry.name)[1].lower() in REPORT_SUFFIXES
                and not entry.name.startswith(".")
                and entry.is_file()
            ]
    except (FileNotFoundError, NotADirectoryError):
        return []
    return sorted(entries, key=lambda entry: entry.name)


def _cache_dir(processed_dir: Path) -> Path:
    return processed_dir / "_cache"


def _read_manifest(processed_dir: Path) -> dict:
    path = _cache_dir(processed_dir) / "manifest.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest if manifest.get("version") == MANIFEST_VERSION else {}


def _output_files() -> list[str]:
    """Return the files a build writes in ``processed_dir`` (no import of the schemas: the
    staleness check runs before every load and render)."""
    return [f"{name}.parquet" for name in (*CHUNK_TABLES, *DERIVED_TABLES)]


def is_corpus_stale(
    raw_dir: Path | None = None,
    processed_dir: Path | None = None,
    reference_dir: Path | None = None,
) -> bool:
    """Tell whether a build would change anything: reports, curated tables, code or outputs."""
    raw_dir = Path(raw_dir or config.RAW_REPORTS_DIR)
    processed_dir = Path(processed_dir or config.PROCESSED_DIR)
    reference_dir = Path(reference_dir or config.REFERENCE_DIR)
    manifest = _read_manifest(processed_dir)
    if not manifest or (_cache_dir(processed_dir) / "commit-in-progress").exists():
        return True
    if "sources" in manifest:
        if _sources_changed(manifest["sources"], reference_dir):
            return True
    elif manifest.get("code") != _code_fingerprint(reference_dir)[0]:
        return True
    if manifest.get("reference") != _reference_fingerprint(reference_dir):
        return True
    if not all((processed_dir / name).exists() for name in _output_files()):
        return True
    known = manifest.get("reports", {})
    files = _report_entries(raw_dir)
    if sorted(known) != [file.name for file in files]:
        return True
    for file in files:
        stat = file.stat()
        entry = known[file.name]
        if (entry["size"], entry["mtime_ns"]) != (stat.st_size, stat.st_mtime_ns):
            return True
    return False


# --- reading reports (runs in worker processes) -----------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _read_batch(task: _Task) -> list[_Result]:
    """Read a batch of reports, validate their tables at once and write them as one chunk.

    Each report's tables come as column lists, appended to the batch's; each table's frame is
    built once for the batch (a frame per report and table cost more than the reading).
    """
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    from cwg_analysis.frames import build_frame
    from cwg_analysis.loading import read_reference_csv
    from cwg_analysis.report import extract_tables, table_dtypes
    from cwg_analysis.schemas import TABLES, coerce_table
    from cwg_analysis.topics import tag_documents

    dtypes = table_dtypes()
    results: list[_Result] = []
    first: dict[str, int] = {}  # sha -> index in results of the first file with those bytes
    batch = {name: {column: [] for column in [*dtypes[name], _SHA]} for name in PARSED_TABLES}
    for text_path in task.paths:
        path = Path(text_path)
        stat = path.stat()
        sha = _sha256(path)
        result = _Result(path.name, stat.st_size, stat.st_mtime_ns, sha, None, None, None)
        if sha in first:  # the same bytes twice in one batch: read once
            results.append(result)
            continue
        first[sha] = len(results)
        try:
            _, tables = extract_tables(path)
            reason = _check_shape(tables)
        except CwgAnalysisError as exc:
            reason = f"cannot be read: {exc}"
        except Exception as exc:  # a reader bug on one report must not stop the other reports
            log.exception("reading %s failed", path.name)
            reason = f"reading failed unexpectedly: {type(exc).__name__}: {exc}"
        if reason is not None:
            results.append(result._replace(reason=reason))
            continue
        meeting = tables["meeting"]["meeting"][0]
        results.append(result._replace(meeting=meeting))
        for name in PARSED_TABLES:
            columns = batch[name]
            for column, values in tables[name].items():
                columns[column] += values
            columns[_SHA] += [sha] * len(tables[name]["meeting"])
        log.info("read %s: meeting %d", path.name, meeting)

    cast: dict[str, pd.DataFrame] = {}
    for name in PARSED_TABLES:
        if not batch[name][_SHA]:
            continue
        shas = pd.Series(batch[name].pop(_SHA), dtype="string")
        table, problems = coerce_table(build_frame(batch[name], dtypes[name]), name, name)
        if not problems:
            problems = _validate_per_report(table.assign(**{_SHA: shas}), name)
        for problem in problems:
            bad = [shas.iloc[problem.row]] if problem.row is not None else list(first)
            for sha in bad:
                index = first[sha]
                if results[index].reason is None:
                    reason = f"does not fit the schema: {problem.message}"
                    results[index] = results[index]._replace(reason=reason)
        cast[name] = table.assign(**{_SHA: shas})
    good = {sha for sha, index in first.items() if results[index].reason is None}
    if good:
        topics, _ = coerce_table(
            read_reference_csv(Path(task.topics_csv)), "topics", "topics.csv", is_csv=True
        )
        cast = {name: frame[frame[_SHA].isin(good)] for name, frame in cast.items()}
        cast["document_topics"] = tag_documents(
            cast["documents"], cast["paragraphs"], topics, by=_SHA
        )[[*TABLES["document_topics"].columns, _SHA]]
        chunk_dir = Path(task.chunk_dir)
        chunk_dir.mkdir(parents=True)
        cache, chunk = chunk_dir.parents[1], chunk_dir.name
        for name, frame in cast.items():
            strings = {c: "string" for c, dtype in frame.dtypes.items() if dtype == "category"}
            arrow = pa.Table.from_pandas(frame.astype(strings), preserve_index=False)
            pq.write_table(arrow, chunk_dir / f"{name}.parquet")
            live = arrow.drop_columns([_SHA]).replace_schema_metadata(None)
            _write_sorted(name, live, _ready_part(name, chunk, good, cache))
    done = []
    for result in results:
        origin = results[first[result.sha256]]
        if origin.reason is not None:
            log.warning("skipped %s: %s", result.name, origin.reason)
        chunk = Path(task.chunk_dir).name if result.sha256 in good else None
        done.append(result._replace(chunk=chunk, meeting=origin.meeting, reason=origin.reason))
    return done


def _check_shape(tables: dict) -> str | None:
    """Return why a report's tables cannot enter the corpus, or None."""
    from cwg_analysis.schemas import TABLES

    missing = [name for name in PARSED_TABLES if name not in tables]
    if missing:
        return f"the report has no table(s) {', '.join(missing)}"
    for name in PARSED_TABLES:
        if list(tables[name]) != TABLES[name].columns:
            return f"table {name} has columns {list(tables[name])}, expected {TABLES[name].columns}"
    if tables["meeting"]["meeting"] == [None]:
        return "the meeting number was not found in the report"
    return None


def _validate_per_report(frame, name: str) -> list:
    """Validate a batch of reports' rows at once, keys unique within each report."""
    import pandera.pandas as pa

    from cwg_analysis.schemas import TABLES, table_schema, validate_table

    schema = table_schema(name).add_columns({_SHA: pa.Column("string")})
    schema.unique = [*TABLES[name].key, _SHA]
    return validate_table(frame, name, name, schema=schema)


# --- assembling the tables --------------------------------------------------------------------


def _part_key(shas: set[str]) -> str:
    """Return the identity of a part: the reports whose rows it holds."""
    return hashlib.sha256(" ".join(sorted(shas)).encode()).hexdigest()


def _read_live(table: str, chunk: str, shas: set[str], cache: Path):
    """Read a table of a chunk, keeping the rows of the given reports, without their hash."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    path = cache / "chunks" / chunk / f"{table}.parquet"
    try:
        piece = pq.ParquetFile(path).read()  # one file: no dataset discovery
    except OSError as exc:
        raise CorpusBuildError(
            f"{path}: a cached table is missing or unreadable; rebuild with --force"
        ) from exc
    piece = piece.filter(pc.is_in(piece[_SHA], value_set=pa.array(sorted(shas))))
    return piece.drop_columns([_SHA]).replace_schema_metadata(None)


def _ready_part(table: str, chunk: str, shas: set[str], cache: Path) -> Path:
    """Return where the worker that read a chunk wrote the part of these reports' rows."""
    return cache / "chunks" / chunk / f"{table}.part-{_part_key(shas)}.parquet"


def _write_part(table: str, chunk: str, shas: set[str], cache: Path, out: Path) -> int:
    """Write the live rows of a chunk's table, sorted by key, as one part of the table.

    When the live reports are all the chunk holds (a first build), the worker wrote the part
    already, in parallel: it is linked (parts are never written in place), or copied.
    """
    import pyarrow.parquet as pq

    ready = _ready_part(table, chunk, shas, cache)
    if ready.is_file():
        try:
            os.link(ready, out)
        except OSError:  # a file system without hard links
            shutil.copyfile(ready, out)
        return pq.read_metadata(out).num_rows
    return _write_sorted(table, _read_live(table, chunk, shas, cache), out)


def _write_sorted(table: str, piece, out: Path) -> int:
    """Write an arrow table's rows sorted by the table's key; return the row count."""
    import pyarrow.parquet as pq

    from cwg_analysis.schemas import TABLES

    pq.write_table(piece.sort_by([(column, "ascending") for column in TABLES[table].key]), out)
    return piece.num_rows


def _write_empty_part(table: str, out: Path) -> None:
    """Write a part with no row, so that a table without reports still has its columns."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from cwg_analysis.schemas import empty_table

    frame = empty_table(table)
    strings = {c: "string" for c, dtype in frame.dtypes.items() if dtype == "category"}
    arrow = pa.Table.from_pandas(frame.astype(strings), preserve_index=False)
    pq.write_table(arrow.replace_schema_metadata(None), out)


def _merge_meetings(curated, parsed):
    """Merge parsed headers into the curated meetings; return the table and the disagreements.

    A meeting missing from meetings.csv is added from its report header; a curated value is
    never replaced, only a missing one filled.
    """
    import pandas as pd

    from cwg_analysis.schemas import MEETING_FIELDS

    parsed = parsed.set_index("meeting")
    new = parsed.index.difference(pd.Index(curated["meeting"]))
    added = pd.DataFrame(
        {
            "meeting": pd.array(new, dtype="Int64"),
            "is_uncertain": False,
            "note": "not in meetings.csv: from the report header",
            "source": parsed.loc[new, "source_file"].to_numpy(),
        }
    )
    meetings = pd.concat([curated, added], ignore_index=True).set_index("meeting", drop=False)
    found = parsed.reindex(meetings.index)
    disagreements = []
    for name in MEETING_FIELDS:
        kept, read = meetings[name], found[name]
        differs = (kept.notna() & read.notna()).to_numpy(dtype=bool, copy=True)
        differs[differs] = (kept[differs] != read[differs]).to_numpy(dtype=bool)
        disagreements += [
            (
                meeting,
                name,
                _show(kept[meeting]),
                _show(read[meeting]),
                found.at[meeting, "source_file"],
            )
            for meeting in meetings.index[differs]
        ]
        meetings[name] = kept.where(kept.notna(), read)
    meetings["report_file"] = found["source_file"]
    meetings["source_sha256"] = found["source_sha256"]
    meetings["has_full_report"] = found["source_file"].notna()
    table = pd.DataFrame(
        disagreements,
        columns=["meeting", "field", "curated_value", "parsed_value", "source_file"],
    )
    return meetings.reset_index(drop=True), table


def _show(value) -> str:
    return value.date().isoformat() if hasattr(value, "date") else str(value)


# --- the build --------------------------------------------------------------------------------


@contextlib.contextmanager
def _flock(path: Path, mode: int) -> Iterator[None]:
    """Hold a lock on a file (fcntl.LOCK_EX or LOCK_SH) for the duration of the block."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, mode)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def reading_corpus(processed_dir: Path | None = None) -> contextlib.AbstractContextManager:
    """Return a shared lock under which the tables can be read while no build commits."""
    processed_dir = Path(processed_dir or config.PROCESSED_DIR)
    return _flock(_cache_dir(processed_dir) / "commit.lock", fcntl.LOCK_SH)


def build_corpus(
    force: bool = False,
    *,
    raw_dir: Path | None = None,
    processed_dir: Path | None = None,
    reference_dir: Path | None = None,
    jobs: int | None = None,
) -> BuildSummary:
    """Read every report and write the validated tables to ``processed_dir`` as parquet.

    Parameters
    ----------
    force
        Re-read every report, ignoring the cache.
    raw_dir, processed_dir, reference_dir
        Folders of the reports, the corpus and the curated tables (default: ``config``).
    jobs
        Processes reading reports (default: the cores, when there is more than one batch).

    Raises
    ------
    CorpusBuildError
        The build failed; the previous corpus is left as it was.
    """
    raw_dir = Path(raw_dir or config.RAW_REPORTS_DIR)
    processed_dir = Path(processed_dir or config.PROCESSED_DIR)
    reference_dir = Path(reference_dir or config.REFERENCE_DIR)
    cache = _cache_dir(processed_dir)
    with _flock(cache / "build.lock", fcntl.LOCK_EX):
        try:
            return _build(force, raw_dir, processed_dir, reference_dir, jobs)
        except CorpusBuildError:
            raise
        except Exception as exc:  # a boundary: any failure leaves the old corpus, and says so
            raise CorpusBuildError(
                f"{processed_dir}: the build failed, the previous corpus is kept: "
                f"{type(exc).__name__}: {exc}"
            ) from exc


def _build(
    force: bool, raw_dir: Path, processed_dir: Path, reference_dir: Path, jobs: int | None
) -> BuildSummary:
    started = time.perf_counter()
    cache = _cache_dir(processed_dir)
    for leftover in processed_dir.glob("**/.tmp-*"):  # left by a build that was killed
        leftover.unlink(missing_ok=True)
    _remove_single_file_tables(processed_dir)
    previous = _read_manifest(processed_dir)
    if "sources" in previous and not _sources_changed(previous["sources"], reference_dir):
        code, sources = previous["code"], previous["sources"]
    else:
        code, sources = _code_fingerprint(reference_dir)
    reference = _reference_fingerprint(reference_dir)
    manifest = {} if force or previous.get("code") != code else previous
    known: dict[str, dict] = manifest.get("reports", {})
    chunks = _chunk_names(cache)
    by_sha = {
        entry["sha256"]: entry
        for entry in known.values()
        if not entry["chunk"] or entry["chunk"] in chunks
    }

    entries: dict[str, dict] = {}
    to_read: list[Path] = []
    unchanged: list[str] = []
    for file in _report_entries(raw_dir):
        stat = file.stat()
        entry = known.get(file.name)
        if entry and entry["chunk"] and entry["chunk"] not in chunks:
            entry = None  # its cached tables are gone: read it again
        if entry and (entry["size"], entry["mtime_ns"]) == (stat.st_size, stat.st_mtime_ns):
            entries[file.name] = entry
            unchanged.append(file.name)
            continue
        path = raw_dir / file.name
        sha = _sha256(path) if by_sha else None  # the worker reading it hashes it too
        if sha in by_sha:  # same bytes as before (touched, renamed or copied): not read again
            entries[path.name] = {
                **by_sha[sha],
                "name": path.name,
                "size": stat.st_size,
                "mtime_ns": stat.st_mtime_ns,
            }
            unchanged.append(path.name)
        else:
            to_read.append(path)

    commit_marker = cache / "commit-in-progress"
    outputs_exist = all((processed_dir / name).exists() for name in _output_files())
    if (
        not to_read
        and manifest
        and set(entries) == set(known)
        and all(entries[name]["sha256"] == known[name]["sha256"] for name in entries)
        and manifest.get("reference") == reference
        and outputs_exist
        and not commit_marker.exists()
    ):
        if entries != known:  # only file times changed: remember them
            _write_manifest(cache, {**manifest, "reports": entries})
        return BuildSummary(
            reports_unchanged=tuple(unchanged),
            reports_skipped=_skips(entries),
            seconds=time.perf_counter() - started,
            processed_dir=str(processed_dir),
        )

    for result in _read_reports(to_read, cache, reference_dir, jobs):
        entries[result.name] = result._asdict()
    live, skipped = _choose_live(entries)

    build_id = uuid.uuid4().hex
    try:
        staged, parts, rows, disagreements = _write_outputs(
            live, manifest.get("parts", {}), cache, processed_dir, reference_dir, build_id
        )
        with _flock(cache / "commit.lock", fcntl.LOCK_EX):
            commit_marker.touch()
            _commit(staged, parts, processed_dir)
            _write_manifest(
                cache,
                {
                    "version": MANIFEST_VERSION,
                    "code": code,
                    "sources": sources,
                    "reference": reference,
                    "reports": entries,
                    "parts": parts,
                    "tables": rows,
                    "outputs": {
                        name: table_stamps(processed_dir / name) for name in _output_files()
                    },
                },
            )
            commit_marker.unlink()
    finally:
        for leftover in processed_dir.glob(f"**/.tmp-{build_id}-*"):
            leftover.unlink(missing_ok=True)
    _collect_garbage(cache, entries)
    return BuildSummary(
        reports_read=tuple(path.name for path in to_read),
        reports_unchanged=tuple(unchanged),
        reports_skipped=_skips(entries) + tuple(skipped),
        tables=rows,
        disagreements=tuple(
            f"meeting {m} {name}: meetings.csv {c!r}, {file} {p!r}"
            for m, name, c, p, file in disagreements
        ),
        seconds=time.perf_counter() - started,
        processed_dir=str(processed_dir),
    )


def _remove_single_file_tables(processed_dir: Path) -> None:
    """Remove tables an older version wrote as one file where a folder of parts now goes."""
    from cwg_analysis.schemas import TABLES

    for table in CHUNK_TABLES:
        path = processed_dir / TABLES[table].file
        if path.is_file():
            log.info("replacing %s, written by an older version, by a folder of parts", path)
            path.unlink()


def _skips(entries: dict[str, dict]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((name, e["reason"]) for name, e in entries.items() if e["reason"]))


def _chunk_names(cache: Path) -> set[str]:
    """Return the names of the chunks of cached tables that exist."""
    try:
        with os.scandir(cache / "chunks") as scan:
            return {entry.name for entry in scan if entry.is_dir()}
    except FileNotFoundError:
        return set()


def _read_reports(
    paths: list[Path], cache: Path, reference_dir: Path, jobs: int | None
) -> list[_Result]:
    """Read reports in batches, in a process pool when there is more than one batch."""
    if not paths:
        return []
    workers = max(1, jobs or os.cpu_count() or 1)
    size = max(1, min(MAX_BATCH, math.ceil(len(paths) / (workers * 4))))
    tasks = [
        _Task(
            tuple(str(path) for path in paths[start : start + size]),
            str(cache / "chunks" / uuid.uuid4().hex),
            str(reference_dir / "topics.csv"),
        )
        for start in range(0, len(paths), size)
    ]
    log.info("reading %d report(s) in %d batch(es)", len(paths), len(tasks))
    if workers == 1 or len(tasks) == 1:
        return [result for task in tasks for result in _read_batch(task)]
    with ProcessPoolExecutor(max_workers=min(workers, len(tasks))) as pool:
        return [result for batch in pool.map(_read_batch, tasks) for result in batch]


def _choose_live(entries: dict[str, dict]) -> tuple[dict[str, set[str]], list[tuple[str, str]]]:
    """Keep one report per content and per meeting (first by file name); group them by chunk."""
    chunks: dict[str, set[str]] = {}
    seen_sha: dict[str, str] = {}
    seen_meeting: dict[int, str] = {}
    skipped = []
    for name, entry in sorted(entries.items()):
        if entry["reason"]:
            continue
        if entry["sha256"] in seen_sha:
            skipped.append((name, f"same bytes as {seen_sha[entry['sha256']]}"))
        elif entry["meeting"] in seen_meeting:
            skipped.append(
                (
                    name,
                    f"meeting {entry['meeting']} is already read from "
                    f"{seen_meeting[entry['meeting']]}",
                )
            )
        else:
            seen_sha[entry["sha256"]] = name
            seen_meeting[entry["meeting"]] = name
            chunks.setdefault(entry["chunk"], set()).add(entry["sha256"])
    return chunks, skipped


def _write_outputs(
    live: dict[str, set[str]],
    previous: dict[str, dict[str, dict]],
    cache: Path,
    processed_dir: Path,
    reference_dir: Path,
    build_id: str,
):
    """Write every new output file under a temporary name (``.tmp-<build>-``).

    A table read from the reports is a folder of parts, one per chunk of live reports; a part
    whose reports did not change is kept as it is, so a build after one change writes little.

    Returns
    -------
    staged
        (temporary file, final file) pairs to move into place.
    parts
        {table: {part file name: {"key": reports of the part, "rows": row count}}}.
    rows
        Row count of every table written.
    disagreements
        (meeting, field, curated, parsed, file) for each header value that disagrees.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    from cwg_analysis.loading import read_meetings_csv, read_reference_csv
    from cwg_analysis.schemas import TABLES, coerce_table, empty_table, sort_table
    from cwg_analysis.topics import tag_consultations

    staged: list[tuple[Path, Path]] = []
    parts: dict[str, dict[str, dict]] = {}
    rows: dict[str, int] = {}
    for table in CHUNK_TABLES:
        folder = processed_dir / TABLES[table].file
        folder.mkdir(parents=True, exist_ok=True)
        old = previous.get(table, {})
        parts[table] = {}
        for chunk, shas in sorted(live.items()):
            name, key = f"part-{chunk}.parquet", _part_key(shas)
            if old.get(name, {}).get("key") == key and (folder / name).is_file():
                parts[table][name] = old[name]
                continue
            tmp = folder / f".tmp-{build_id}-{name}"
            parts[table][name] = {"key": key, "rows": _write_part(table, chunk, shas, cache, tmp)}
            staged.append((tmp, folder / name))
        if not live:
            tmp = folder / f".tmp-{build_id}-part-empty.parquet"
            _write_empty_part(table, tmp)
            parts[table]["part-empty.parquet"] = {"key": "", "rows": 0}
            staged.append((tmp, folder / "part-empty.parquet"))
        rows[table] = sum(part["rows"] for part in parts[table].values())

    curated, problems = read_meetings_csv(reference_dir)
    if problems:
        raise CorpusBuildError(
            "meetings.csv does not validate:\n" + "\n".join(p.message for p in problems)
        )
    headers = [_read_live("meeting", chunk, shas, cache) for chunk, shas in sorted(live.items())]
    parsed = empty_table("meeting")
    if headers:
        arrow = pa.concat_tables(headers, promote_options="permissive")
        parsed, _ = coerce_table(arrow.to_pandas(), "meeting", "meeting.parquet")
    meetings, disagreements = _merge_meetings(curated, parsed)
    consultations, _ = coerce_table(
        read_reference_csv(reference_dir / "consultations.csv"),
        "consultations",
        "consultations.csv",
        is_csv=True,
    )
    topics, _ = coerce_table(
        read_reference_csv(reference_dir / "topics.csv"), "topics", "topics.csv", is_csv=True
    )
    derived = {
        "meetings": meetings,
        "meeting_disagreements": disagreements,
        "consultation_topics": tag_consultations(consultations, topics),
    }
    for table, frame in derived.items():
        frame, problems = coerce_table(frame, table, TABLES[table].file)
        if problems:
            raise CorpusBuildError("\n".join(p.message for p in problems))
        frame = sort_table(frame, table)
        strings = {c: "string" for c, dtype in frame.dtypes.items() if dtype == "category"}
        arrow = pa.Table.from_pandas(frame.astype(strings), preserve_index=False)
        final = processed_dir / TABLES[table].file
        tmp = processed_dir / f".tmp-{build_id}-{final.name}"
        pq.write_table(arrow.replace_schema_metadata(None), tmp)
        staged.append((tmp, final))
        rows[table] = len(frame)
    return staged, parts, rows, list(disagreements.itertuples(index=False, name=None))


def _commit(staged: list[tuple[Path, Path]], parts: dict[str, dict], processed_dir: Path) -> None:
    """Move the new files into place and remove the parts no table uses any more."""
    from cwg_analysis.schemas import TABLES

    for tmp, final in staged:
        os.replace(tmp, final)
    for table, names in parts.items():
        for path in (processed_dir / TABLES[table].file).glob("part-*.parquet"):
            if path.name not in names:
                path.unlink()


def _write_manifest(cache: Path, manifest: dict) -> None:
    path = cache / "manifest.json"
    tmp = cache / f"manifest.{uuid.uuid4().hex}.tmp"
    tmp.write_text(json.dumps(manifest, separators=(",", ":")), encoding="utf-8")
    os.replace(tmp, path)


def _collect_garbage(cache: Path, entries: dict[str, dict]) -> None:
    """Remove the chunks no report refers to any more."""
    used = {entry["chunk"] for entry in entries.values() if entry.get("chunk")}
    chunks = cache / "chunks"
    if chunks.is_dir():
        for chunk in chunks.iterdir():
            if chunk.name not in used:
                shutil.rmtree(chunk, ignore_errors=True)
