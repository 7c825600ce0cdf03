"""Build the corpus: every report in ``data/raw/reports/`` into ``data/processed/*.parquet``.

``build_corpus()`` reads each report with :func:`cwg_analysis.report.read_report`, casts and
validates its tables against ``cwg_analysis.schemas``, tags its documents with topics, merges
the report headers with ``meetings.csv`` (the curated value wins; disagreements are kept in
``meeting_disagreements`` and listed in the summary) and writes one parquet file per table.

- Incremental: a manifest maps each report file to the SHA-256 of its bytes and to the cached
  chunk holding its tables (``_cache/chunks/<id>/<table>.parquet``, many reports per chunk).
  A report whose bytes did not change is not read again; a change of the package code or of
  ``topics.csv`` re-reads every report.
- Atomic: new tables are written to a temporary folder and moved into place only after every
  step succeeded, the manifest last; a failed build leaves the previous corpus as it was.
- Scalable: reports are read in batches (in a process pool when there are many), each batch
  validated at once and written to its own chunk, so no step holds every text; tables are
  assembled with pyarrow.
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

__all__ = ["BuildSummary", "build_corpus", "is_corpus_stale", "report_files"]

log = logging.getLogger(__name__)

MANIFEST_VERSION = 1
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
# The modules the build runs; the code fingerprint follows their imports.
BUILD_MODULES = ("cwg_analysis.report", "cwg_analysis.corpus", "cwg_analysis.topics")
MAX_BATCH = 128
WRITE_SLICE = 100_000  # rows per slice when writing a sorted table
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


def _code_fingerprint(reference_dir: Path) -> str:
    """Hash what decides a report's tables: the code the build runs, its cue vocabularies,
    and the curated tables the extraction reads (country aliases, topic keywords)."""
    data = sorted(_PACKAGE_DIR.rglob("*.yaml"))
    curated = [reference_dir / "countries.csv", reference_dir / "topics.csv"]
    return _hash_files([*_build_sources(), *data, *curated])


def _reference_fingerprint(reference_dir: Path) -> str:
    """Hash the curated tables the build merges (meetings, consultations, topics)."""
    return _hash_files(sorted(reference_dir.glob("*.csv")))


def report_files(raw_dir: Path | None = None) -> list[Path]:
    """Return the report files of a folder (.txt, .docx, .pdf; not README.md), sorted by name."""
    raw_dir = Path(raw_dir or config.RAW_REPORTS_DIR)
    if not raw_dir.is_dir():
        return []
    return sorted(
        path
        for path in raw_dir.iterdir()
        if path.is_file()
        and path.suffix.lower() in REPORT_SUFFIXES
        and not path.name.startswith(".")
        and path.name.lower() != "readme.md"
    )


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
    from cwg_analysis.schemas import TABLES

    return [spec.file for spec in TABLES.values() if spec.origin != "reference"]


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
    if manifest.get("code") != _code_fingerprint(reference_dir):
        return True
    if manifest.get("reference") != _reference_fingerprint(reference_dir):
        return True
    if not all((processed_dir / name).exists() for name in _output_files()):
        return True
    known = manifest.get("reports", {})
    files = report_files(raw_dir)
    if sorted(known) != [path.name for path in files]:
        return True
    for path in files:
        stat = path.stat()
        entry = known[path.name]
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
    """Read a batch of reports, validate their tables at once and write them as one chunk."""
    import numpy as np
    import pandas as pd

    from cwg_analysis.loading import read_reference_csv
    from cwg_analysis.report import read_report
    from cwg_analysis.schemas import TABLES, coerce_table
    from cwg_analysis.topics import tag_documents

    results: list[_Result] = []
    first: dict[str, int] = {}  # sha -> index in results of the first file with those bytes
    parts: dict[str, list[pd.DataFrame]] = {name: [] for name in PARSED_TABLES}
    owners: list[str] = []  # the sha of each report in parts, in order
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
            tables = read_report(path).tables()
            reason = _check_shape(tables)
        except CwgAnalysisError as exc:
            reason = f"cannot be read: {exc}"
        except Exception as exc:  # a reader bug on one report must not stop the other reports
            log.exception("reading %s failed", path.name)
            reason = f"reading failed unexpectedly: {type(exc).__name__}: {exc}"
        if reason is not None:
            results.append(result._replace(reason=reason))
            continue
        meeting = int(tables["meeting"]["meeting"].iloc[0])
        results.append(result._replace(meeting=meeting))
        owners.append(sha)
        for name in PARSED_TABLES:
            parts[name].append(tables[name])
        log.info("read %s: meeting %d", path.name, meeting)

    cast: dict[str, pd.DataFrame] = {}
    for name in PARSED_TABLES:
        if not parts[name]:
            continue
        frame = pd.concat(parts[name], ignore_index=True)
        lengths = [len(part) for part in parts[name]]
        shas = pd.Series(np.repeat(owners, lengths), dtype="string")
        table, problems = coerce_table(frame, name, name)
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
        for name, frame in cast.items():
            strings = {c: "string" for c, dtype in frame.dtypes.items() if dtype == "category"}
            frame.astype(strings).to_parquet(chunk_dir / f"{name}.parquet", index=False)
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
        if list(tables[name].columns) != TABLES[name].columns:
            return (
                f"table {name} has columns {list(tables[name].columns)}, "
                f"expected {TABLES[name].columns}"
            )
    meeting = tables["meeting"]["meeting"]
    if len(meeting) != 1 or meeting.isna().iloc[0]:
        return "the meeting number was not found in the report"
    return None


def _validate_per_report(frame, name: str) -> list:
    """Validate a batch of reports' rows at once, keys unique within each report."""
    import pandera.pandas as pa

    from cwg_analysis.schemas import TABLES, validate_table

    schema = TABLES[name].model.to_schema().add_columns({_SHA: pa.Column("string")})
    schema.unique = [*TABLES[name].key, _SHA]
    return validate_table(frame, name, name, schema=schema)


# --- assembling the tables --------------------------------------------------------------------


def _write_assembled(table: str, chunks: dict[str, set[str]], cache: Path, out: Path) -> int:
    """Write a table from the chunks, keeping the rows of live reports, sorted by key.

    Rows are sorted by key whatever the chunks, so the same reports give the same file; the
    sorted rows are written in slices, so memory holds the table once, not twice.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from cwg_analysis.schemas import TABLES, empty_table

    pieces = []
    for chunk, shas in sorted(chunks.items()):
        path = cache / "chunks" / chunk / f"{table}.parquet"
        try:
            piece = pq.read_table(path)
        except OSError as exc:
            raise CorpusBuildError(
                f"{path}: a cached table is missing or unreadable; rebuild with --force"
            ) from exc
        piece = piece.filter(pc.is_in(piece[_SHA], value_set=pa.array(sorted(shas))))
        pieces.append(piece.drop_columns([_SHA]).replace_schema_metadata(None))
    if not pieces:
        frame = empty_table(table)
        strings = {c: "string" for c, dtype in frame.dtypes.items() if dtype == "category"}
        pq.write_table(pa.Table.from_pandas(frame.astype(strings), preserve_index=False), out)
        return 0
    merged = pa.concat_tables(pieces, promote_options="permissive")
    del pieces
    order = pc.sort_indices(
        merged.select(TABLES[table].key),
        sort_keys=[(column, "ascending") for column in TABLES[table].key],
    )
    with pq.ParquetWriter(out, merged.schema) as writer:
        for start in range(0, len(order), WRITE_SLICE):
            writer.write_table(merged.take(order.slice(start, WRITE_SLICE)))
    return merged.num_rows


def _merge_meetings(curated, parsed):
    """Merge parsed headers into the curated meetings; return the table and the disagreements.

    A meeting missing from meetings.csv is added from its report header; a curated value is
    never replaced, only a missing one filled.
    """
    import pandas as pd

    from cwg_analysis.schemas import MEETING_FIELDS

    new = parsed[~parsed["meeting"].isin(curated["meeting"])]
    added = pd.DataFrame(
        {
            "meeting": new["meeting"],
            "is_uncertain": False,
            "note": "not in meetings.csv: from the report header",
            "source": new["source_file"],
        }
    )
    meetings = pd.concat([curated, added], ignore_index=True).set_index("meeting", drop=False)
    disagreements = []
    for row in parsed.itertuples(index=False):
        for name in MEETING_FIELDS:
            curated_value, parsed_value = meetings.at[row.meeting, name], getattr(row, name)
            if pd.isna(parsed_value):
                continue
            if pd.isna(curated_value):
                meetings.at[row.meeting, name] = parsed_value
            elif curated_value != parsed_value:
                disagreements.append(
                    (row.meeting, name, _show(curated_value), _show(parsed_value), row.source_file)
                )
        meetings.at[row.meeting, "report_file"] = row.source_file
        meetings.at[row.meeting, "source_sha256"] = row.source_sha256
    meetings["has_full_report"] = meetings["meeting"].isin(parsed["meeting"])
    table = pd.DataFrame(
        disagreements,
        columns=["meeting", "field", "curated_value", "parsed_value", "source_file"],
    )
    return meetings.reset_index(drop=True), table


def _show(value) -> str:
    return value.date().isoformat() if hasattr(value, "date") else str(value)


# --- the build --------------------------------------------------------------------------------


@contextlib.contextmanager
def _locked(cache: Path) -> Iterator[None]:
    """Hold an exclusive lock on the cache, so that two builds never interleave."""
    cache.mkdir(parents=True, exist_ok=True)
    with (cache / "lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


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
    with _locked(cache):
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
    for leftover in processed_dir.glob(".tmp-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    code = _code_fingerprint(reference_dir)
    reference = _reference_fingerprint(reference_dir)
    manifest = {} if force else _read_manifest(processed_dir)
    if manifest.get("code") != code:
        manifest = {}
    known: dict[str, dict] = manifest.get("reports", {})
    by_sha = {
        entry["sha256"]: entry
        for entry in known.values()
        if not entry["chunk"] or (cache / "chunks" / entry["chunk"]).is_dir()
    }

    entries: dict[str, dict] = {}
    to_read: list[Path] = []
    unchanged: list[str] = []
    for path in report_files(raw_dir):
        stat = path.stat()
        entry = known.get(path.name)
        if entry and entry["chunk"] and not (cache / "chunks" / entry["chunk"]).is_dir():
            entry = None  # its cached tables are gone: read it again
        if entry and (entry["size"], entry["mtime_ns"]) == (stat.st_size, stat.st_mtime_ns):
            entries[path.name] = entry
            unchanged.append(path.name)
            continue
        sha = _sha256(path)
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

    import pyarrow.parquet as pq

    tmp = processed_dir / f".tmp-{uuid.uuid4().hex}"
    tmp.mkdir(parents=True)
    try:
        rows, disagreements = _write_tables(live, entries, cache, tmp, reference_dir, pq)
        commit_marker.touch()
        for path in sorted(tmp.iterdir()):
            os.replace(path, processed_dir / path.name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    new_manifest = {
        "version": MANIFEST_VERSION,
        "code": code,
        "reference": reference,
        "reports": entries,
        "tables": rows,
    }
    _write_manifest(cache, new_manifest)
    commit_marker.unlink(missing_ok=True)
    _collect_garbage(cache, entries)
    read = tuple(path.name for path in to_read)
    return BuildSummary(
        reports_read=read,
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


def _skips(entries: dict[str, dict]) -> tuple[tuple[str, str], ...]:
    return tuple((name, e["reason"]) for name, e in sorted(entries.items()) if e["reason"])


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


def _write_tables(live, entries, cache: Path, tmp: Path, reference_dir: Path, pq):
    """Write every output table into ``tmp``; return the row counts and the disagreements."""
    import pandas as pd
    import pyarrow as pa

    from cwg_analysis.loading import read_meetings_csv, read_reference_csv
    from cwg_analysis.schemas import TABLES, coerce_table, sort_table
    from cwg_analysis.topics import tag_consultations

    rows: dict[str, int] = {}
    for table in CHUNK_TABLES:
        rows[table] = _write_assembled(table, live, cache, tmp / TABLES[table].file)

    curated, problems = read_meetings_csv(reference_dir)
    if problems:
        raise CorpusBuildError(
            "meetings.csv does not validate:\n" + "\n".join(p.message for p in problems)
        )
    parsed, problems = coerce_table(
        pd.read_parquet(tmp / "meeting.parquet", dtype_backend="numpy_nullable"),
        "meeting",
        "meeting.parquet",
    )
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
        pq.write_table(arrow.replace_schema_metadata(None), tmp / TABLES[table].file)
        rows[table] = len(frame)
    return rows, list(disagreements.itertuples(index=False, name=None))


def _write_manifest(cache: Path, manifest: dict) -> None:
    path = cache / "manifest.json"
    tmp = cache / f"manifest.{uuid.uuid4().hex}.tmp"
    tmp.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


def _collect_garbage(cache: Path, entries: dict[str, dict]) -> None:
    """Remove the chunks no report refers to any more."""
    used = {entry["chunk"] for entry in entries.values() if entry.get("chunk")}
    chunks = cache / "chunks"
    if chunks.is_dir():
        for chunk in chunks.iterdir():
            if chunk.name not in used:
                shutil.rmtree(chunk, ignore_errors=True)
