"""Load every table as a validated frame: the one door to the data.

``load_<table>()`` reads a curated CSV from ``data/reference/`` or a parquet table that
``cwg-analysis build`` wrote to ``data/processed/`` (building the corpus first when it is
stale), casts it to its schema (``cwg_analysis.schemas``), validates it lazily, checks that
every meeting, paragraph, document, country, group, consultation and topic it refers to
exists, and returns it sorted by its key with a RangeIndex. Every problem of a table is
reported at once, as ``<file>:<line or row>: column <name>: <what is wrong>: <value>``.

Checks are not repeated on files that passed them: a table whose files, and those of the
tables it refers to, have the size and modification time they had when every check passed
(recorded in ``data/processed/_cache/validated.json``) or when the build wrote and validated
them (its manifest) is only read and cast. Any other file, such as an edited CSV or part, is
checked in full. ``validate_data()`` always runs every check on every table and returns every
problem (``cwg-analysis validate``).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import os
import uuid
from pathlib import Path
from typing import NamedTuple

import pandas as pd
import pandera
import pyarrow
import pyarrow.compute as pc

from cwg_analysis import config, corpus, schemas
from cwg_analysis.errors import CorpusBuildError, CwgAnalysisError, DataValidationError
from cwg_analysis.schemas import (
    MEETINGS_CORPUS_COLUMNS,
    TABLES,
    Problem,
    _pandas_dtype,
    coerce_table,
    sort_table,
    table_schema,
    validate_table,
)

__all__ = [
    "load_consultation_figures",
    "load_consultation_responses",
    "load_consultation_topics",
    "load_consultations",
    "load_countries",
    "load_document_topics",
    "load_documents",
    "load_dropped",
    "load_group_members",
    "load_groups",
    "load_meeting_disagreements",
    "load_meetings",
    "load_paragraphs",
    "load_report_headers",
    "load_statements",
    "load_submitters",
    "load_topics",
    "load_unparsed",
    "read_meetings_csv",
    "read_reference_csv",
    "validate_data",
]

log = logging.getLogger(__name__)


class Reference(NamedTuple):
    """Columns of a table that must exist as the key of another table."""

    columns: tuple[str, ...]
    table: str
    target: tuple[str, ...]


# Every reference between tables, checked when the referring table loads. "meetings_csv" is
# the curated meetings.csv: reference tables are checked against it, so loading them never
# needs the corpus.
REFERENCES: dict[str, tuple[Reference, ...]] = {
    "consultations": (
        Reference(("launching_meeting",), "meetings_csv", ("meeting",)),
        Reference(("reported_to_meeting",), "meetings_csv", ("meeting",)),
    ),
    "consultation_responses": (
        Reference(("consultation_id",), "consultations", ("consultation_id",)),
    ),
    "countries": (Reference(("itu_region",), "groups", ("group_id",)),),
    "group_members": (
        Reference(("group_id",), "groups", ("group_id",)),
        Reference(("country_code",), "countries", ("country_code",)),
    ),
    "meeting": (Reference(("meeting",), "meetings", ("meeting",)),),
    "paragraphs": (Reference(("meeting",), "meetings", ("meeting",)),),
    "dropped": (Reference(("meeting",), "meetings", ("meeting",)),),
    "documents": (
        Reference(("meeting",), "meetings", ("meeting",)),
        Reference(("meeting", "para_id"), "paragraphs", ("meeting", "para_id")),
    ),
    "submitters": (
        Reference(("meeting", "doc_symbol"), "documents", ("meeting", "doc_symbol")),
        Reference(("country_code",), "countries", ("country_code",)),
    ),
    "statements": (
        Reference(("meeting",), "meetings", ("meeting",)),
        Reference(("country_code",), "countries", ("country_code",)),
        Reference(("meeting", "target_symbol"), "documents", ("meeting", "doc_symbol")),
        Reference(("meeting", "para_id"), "paragraphs", ("meeting", "para_id")),
    ),
    "consultation": (
        Reference(("meeting",), "meetings", ("meeting",)),
        Reference(("meeting", "para_id"), "paragraphs", ("meeting", "para_id")),
    ),
    "unparsed": (
        Reference(("meeting",), "meetings", ("meeting",)),
        Reference(("meeting", "para_id"), "paragraphs", ("meeting", "para_id")),
    ),
    "meeting_disagreements": (Reference(("meeting",), "meetings", ("meeting",)),),
    "document_topics": (
        Reference(("meeting", "doc_symbol"), "documents", ("meeting", "doc_symbol")),
        Reference(("topic_id",), "topics", ("topic_id",)),
    ),
    "consultation_topics": (
        Reference(("consultation_id",), "consultations", ("consultation_id",)),
        Reference(("topic_id",), "topics", ("topic_id",)),
    ),
}

# {table: {file name: [size, mtime_ns]}} for a table and the tables it refers to.
Stamps = dict[str, dict[str, list[int]]]
# The code whose checks a record of checked files stands for.
_CHECKING_CODE = (Path(__file__), Path(schemas.__file__))


class _Loaded(NamedTuple):
    """A table loaded in this process, with where and from which files it was read."""

    folders: tuple[Path, Path]  # config.REFERENCE_DIR and config.PROCESSED_DIR
    stamps: Stamps
    frame: pd.DataFrame
    checked: bool  # every check ran on it (rather than trusting an earlier check)


_CACHE: dict[str, _Loaded] = {}


def read_reference_csv(path: Path) -> pd.DataFrame:
    """Read a curated CSV as strings: only an empty cell is null ("NA" is Namibia)."""
    try:
        return pd.read_csv(
            path, dtype="string", keep_default_na=False, na_values=[""], encoding="utf-8"
        )
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise DataValidationError(f"{path.name}: cannot read the file: {exc}") from exc


def read_meetings_csv(reference_dir: Path | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Read, cast and validate meetings.csv as a meetings table without a corpus; list problems."""
    path = Path(reference_dir or config.REFERENCE_DIR) / "meetings.csv"
    frame, problems = _cast_meetings_csv(path)
    return frame, _validate_cast_table(frame, problems, "meetings", path.name, is_csv=True)


def _cast_meetings_csv(path: Path) -> tuple[pd.DataFrame, list[Problem]]:
    """Read and cast meetings.csv as a meetings table (no corpus columns yet); list problems."""
    raw = read_reference_csv(path)
    for column in MEETINGS_CORPUS_COLUMNS:
        raw[column] = pd.NA
    raw["has_full_report"] = "false"
    order = TABLES["meetings"].columns
    known = [column for column in raw.columns if column in order]
    raw = raw[sorted(known, key=order.index) + [c for c in raw.columns if c not in order]]
    return coerce_table(raw, "meetings", path.name, is_csv=True)


def _validate_cast_table(
    frame: pd.DataFrame, problems: list[Problem], name: str, origin: str, *, is_csv: bool
) -> list[Problem]:
    """Add the schema's problems to the casting ones, so one run reports every kind at once.

    Rows casting already flagged are not reported twice; a table with missing or unexpected
    columns is not validated further.
    """
    if any(problem.row is None for problem in problems):
        return problems
    flagged = {problem.row for problem in problems}
    found = validate_table(frame, name, origin, is_csv=is_csv)
    return problems + [p for p in found if p.row is None or p.row not in flagged]


# --- where each table is read from ------------------------------------------------------------


def _is_curated(name: str) -> bool:
    """Tell whether a table is a curated CSV (read without the corpus)."""
    return name == "meetings_csv" or TABLES[name].origin == "reference"


def _path(name: str) -> Path:
    """Return the file (or folder of parts) a table is read from."""
    if name == "meetings_csv":
        return config.REFERENCE_DIR / "meetings.csv"
    spec = TABLES[name]
    return (config.REFERENCE_DIR if _is_curated(name) else config.PROCESSED_DIR) / spec.file


def _origin(name: str) -> str:
    """Return the file name that messages about a table start with."""
    return _path(name).name


@functools.cache
def _closure(name: str) -> tuple[str, ...]:
    """Return the table and every table it refers to, directly or through another, once each."""
    tables = [name]
    for table in tables:  # grows while it is walked
        for reference in REFERENCES.get(table, ()):
            if reference.table not in tables:
                tables.append(reference.table)
    return tuple(tables)


def _stamps(name: str) -> Stamps:
    """Return the size and modification time of the files of the table and of its references."""
    return {table: corpus.table_stamps(_path(table)) for table in _closure(name)}


def _read_parquet(name: str) -> pd.DataFrame:
    """Read a table of the corpus as written (under :func:`corpus.reading_corpus`)."""
    try:
        return pd.read_parquet(_path(name), dtype_backend="numpy_nullable")
    except (OSError, ValueError) as exc:
        raise DataValidationError(f"{_origin(name)}: cannot read the table: {exc}") from exc


def _read_cast(name: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Read a table and cast it to its schema; return it with every value that cannot be cast."""
    if name == "meetings_csv":
        return _cast_meetings_csv(_path(name))
    if _is_curated(name):
        return coerce_table(read_reference_csv(_path(name)), name, _origin(name), is_csv=True)
    return coerce_table(_read_parquet(name), name, _origin(name))


def _read_checked(name: str, *, full: bool) -> pd.DataFrame:
    """Read a table with every check: casting, its schema and its references; raise on problems.

    ``full`` checks the tables it refers to in full as well.
    """
    frame, problems = _read_cast(name)
    schema, origin, is_csv = _schema_name(name), _origin(name), _is_curated(name)
    problems = _validate_cast_table(frame, problems, schema, origin, is_csv=is_csv)
    if not any(problem.row is None for problem in problems):
        problems += _check_references(name, frame, origin, is_csv=is_csv, full=full)
    _raise_problems(origin, problems)
    return frame


def _raise_problems(origin: str, problems: list[Problem]) -> None:
    """Raise DataValidationError listing every problem, if there is one."""
    if problems:
        raise DataValidationError(
            f"{origin}: {len(problems)} problem(s):\n" + "\n".join(p.message for p in problems)
        )


def _read_trusted(name: str) -> pd.DataFrame | None:
    """Read and cast a table whose files passed every check as they are, without the checks.

    Returns None when the files do not cast cleanly after all, for the full check to report.
    """
    if _is_curated(name):
        frame, problems = _read_cast(name)
        return None if problems else frame
    raw = _read_parquet(name)
    dtypes = {column: _pandas_dtype(field) for column, field in table_schema(name).columns.items()}
    if list(raw.columns) != list(dtypes):
        return None
    cast = {}
    for column, dtype in dtypes.items():
        values = raw[column]
        if values.dtype == dtype:
            continue
        if not (isinstance(dtype, pd.CategoricalDtype) and values.dtype == "string"):
            return None  # the build writes vocabularies as text and every other column as is
        codes = pc.index_in(pyarrow.array(values), value_set=pyarrow.array(dtype.categories))
        if codes.null_count != values.isna().sum():
            return None  # a value outside the vocabulary
        cast[column] = pd.Categorical.from_codes(codes.fill_null(-1).to_numpy(), dtype=dtype)
    return raw.assign(**cast)


def _schema_name(name: str) -> str:
    return "meetings" if name == "meetings_csv" else name


# --- what was checked before ------------------------------------------------------------------


@functools.cache
def _checker() -> list:
    """Identify the code that checks the tables: a record of another version is not trusted."""
    stats = [path.stat() for path in _CHECKING_CODE]
    stamps = [[stat.st_size, stat.st_mtime_ns] for stat in stats]
    return [*stamps, pd.__version__, pandera.__version__, pyarrow.__version__]


def _digest(stamps: Stamps) -> str:
    """Return the identity of a set of files as checked by this code."""
    text = json.dumps([_checker(), stamps], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _records_path() -> Path:
    return config.PROCESSED_DIR / "_cache" / "validated.json"


def _records() -> dict[str, str]:
    """Return ``{table: digest of its files}`` for every table that passed every check."""
    try:
        records = json.loads(_records_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return records if isinstance(records, dict) else {}


def _remember_checked(name: str, stamps: Stamps) -> None:
    """Record that the table passed every check with these files (best effort)."""
    path = _records_path()
    tmp = path.with_name(f"validated.{uuid.uuid4().hex}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps({**_records(), name: _digest(stamps)}), encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:  # a read-only checkout still loads; it checks every time
        log.debug("cannot record the check of %s: %s", name, exc)
        tmp.unlink(missing_ok=True)


def _is_trusted(name: str, stamps: Stamps) -> bool:
    """Tell whether a table can be read without its checks.

    True when its files and those of the tables it refers to are those that passed every check
    before, or (for a corpus table) exactly those the last build wrote and validated, while
    the curated tables it refers to pass their own checks (those that do not are checked now,
    which raises their problems).
    """
    records = _records()
    if records.get(name) == _digest(stamps):
        return True
    if _is_curated(name):
        return False
    written = corpus._read_manifest(config.PROCESSED_DIR).get("outputs", {})
    built = [table for table in stamps if not _is_curated(table)]
    if any(stamps[table] != written.get(TABLES[table].file) for table in built):
        return False
    for table in stamps:
        if _is_curated(table):
            own = {other: stamps[other] for other in _closure(table)}
            if records.get(table) != _digest(own):
                _table(table)
    return True


# --- loading ----------------------------------------------------------------------------------


def _ensure_corpus() -> None:
    """Build the corpus when a report, a curated table or the code changed since."""
    if corpus.is_corpus_stale():
        log.info("the corpus is stale: building it")
        corpus.build_corpus()


def _check_references(
    name: str,
    frame: pd.DataFrame,
    origin: str,
    *,
    is_csv: bool,
    full: bool,
    curated_only: bool = False,
) -> list[Problem]:
    """Return a problem for every value that refers to a key missing from its table.

    ``curated_only`` checks only the references to curated tables.
    """
    problems: list[Problem] = []
    for reference in REFERENCES.get(name, ()):
        if curated_only and not _is_curated(reference.table):
            continue
        target = _table(reference.table, full=full)
        columns = list(reference.columns)
        values = frame[columns]
        present = values.notna().all(axis="columns")
        if len(columns) == 1:  # a column's isin is many times faster than a MultiIndex's
            known = (
                values[columns[0]]
                .astype("string")
                .isin(target[reference.target[0]].astype("string"))
            )
        else:
            targets = pd.MultiIndex.from_frame(target[list(reference.target)].astype("string"))
            known = pd.MultiIndex.from_frame(values.astype("string")).isin(targets)
        missing = present & ~known
        for row in frame.index[missing]:
            where = f"{origin}:{row + 2}" if is_csv else f"{origin}:row {row}"
            value = values.loc[row].tolist()
            shown = value[0] if len(value) == 1 else tuple(value)
            problems.append(
                Problem(
                    row,
                    f"{where}: column {'/'.join(columns)}: not in {reference.table}: {shown!r}",
                )
            )
    return problems


def _table(name: str, *, full: bool = False) -> pd.DataFrame:
    """Return a table sorted by its key; raise DataValidationError listing every problem.

    The table is checked in full (cast, schema, references) unless :func:`_is_trusted`; with
    ``full`` it always is. It is cached in this process while its files and those of the tables
    it refers to are unchanged. The corpus is read under its shared lock.
    """
    if _is_curated(name):
        lock = contextlib.nullcontext()
    else:
        lock = corpus.reading_corpus(config.PROCESSED_DIR)  # no build commits meanwhile
    with lock:
        folders, stamps = (config.REFERENCE_DIR, config.PROCESSED_DIR), _stamps(name)
        cached = _CACHE.get(name)
        if (
            cached is not None
            and (cached.folders, cached.stamps) == (folders, stamps)
            and (cached.checked or not full)
        ):
            return cached.frame
        frame = None if full or not _is_trusted(name, stamps) else _read_trusted(name)
        checked = frame is None
        if not checked and not _is_curated(name) and _records().get(name) != _digest(stamps):
            # Trusted as the build wrote it: the build checks each report's tables, not that a
            # state it names is in countries.csv. Those references are checked once, here.
            _raise_problems(
                _origin(name),
                _check_references(
                    name, frame, _origin(name), is_csv=False, full=False, curated_only=True
                ),
            )
            _remember_checked(name, stamps)
        if checked:
            frame = _read_checked(name, full=full)
            if _stamps(name) == stamps:  # what was checked is what the stamps describe
                _remember_checked(name, stamps)
        frame = sort_table(frame, _schema_name(name))
        _CACHE[name] = _Loaded(folders, stamps, frame, checked)
    return frame


def _load(name: str) -> pd.DataFrame:
    """Return a fresh copy of a table, building the corpus first when it is stale."""
    if not _is_curated(name):
        _ensure_corpus()
    return _table(name).copy()


def validate_data() -> list[str]:
    """Run every loader with every check and return every problem found (empty when all pass).

    Unlike the loaders, it never trusts what passed before.
    """
    problems: list[str] = []
    corpus_ready = corpus_failed = False
    for name in ("meetings_csv", *TABLES):
        if corpus_failed and not _is_curated(name):
            continue
        try:
            if not _is_curated(name) and not corpus_ready:
                _ensure_corpus()
                corpus_ready = True
            _table(name, full=True)
        except DataValidationError as exc:
            lines = str(exc).splitlines()
            problems.extend(lines[1:] or lines)
        except CorpusBuildError as exc:
            problems.append(str(exc))
            corpus_failed = True
        except CwgAnalysisError as exc:
            problems.append(str(exc))
    return list(dict.fromkeys(problems))


# --- the loaders ------------------------------------------------------------------------------


def load_meetings() -> pd.DataFrame:
    """Return one row per CWG-Internet meeting, key ``meeting``.

    meetings.csv merged with the header of each report in the corpus: ``has_full_report`` and
    ``report_file`` link a meeting to its report; the curated value wins where they disagree.
    """
    return _load("meetings")


def load_consultations() -> pd.DataFrame:
    """Return one row per open consultation, key ``consultation_id``."""
    return _load("consultations")


def load_consultation_responses() -> pd.DataFrame:
    """Return one row per consultation and stakeholder group, key (consultation_id, group)."""
    return _load("consultation_responses")


def load_countries() -> pd.DataFrame:
    """Return one row per ITU Member State, key ``country_code``."""
    return _load("countries")


def load_groups() -> pd.DataFrame:
    """Return one row per ITU region or regional organisation, key ``group_id``."""
    return _load("groups")


def load_group_members() -> pd.DataFrame:
    """Return one row per sourced membership, key (``group_id``, ``country_code``)."""
    return _load("group_members")


def load_topics() -> pd.DataFrame:
    """Return one row per policy topic with its tagging keywords, key ``topic_id``."""
    return _load("topics")


def load_report_headers() -> pd.DataFrame:
    """Return the header of each report as parsed, one row per report, key ``meeting``."""
    return _load("meeting")


def load_paragraphs() -> pd.DataFrame:
    """Return one row per paragraph of every report, key (``meeting``, ``seq``)."""
    return _load("paragraphs")


def load_dropped() -> pd.DataFrame:
    """Return one row per source unit removed by a named rule, key (meeting, span_start)."""
    return _load("dropped")


def load_documents() -> pd.DataFrame:
    """Return one row per document a report refers to, key (``meeting``, ``doc_symbol``)."""
    return _load("documents")


def load_submitters() -> pd.DataFrame:
    """Return one row per submitting state, key (``meeting``, ``doc_symbol``, ``position``)."""
    return _load("submitters")


def load_statements() -> pd.DataFrame:
    """Return one row per attributed statement, key (meeting, para_id, statement_no)."""
    return _load("statements")


def load_consultation_figures() -> pd.DataFrame:
    """Return the consultation figures stated in the reports, one row per stakeholder label."""
    return _load("consultation")


def load_unparsed() -> pd.DataFrame:
    """Return one row per paragraph that yielded nothing, with why; key (meeting, para_id)."""
    return _load("unparsed")


def load_meeting_disagreements() -> pd.DataFrame:
    """Return one row per header field where a report disagrees with meetings.csv."""
    return _load("meeting_disagreements")


def load_document_topics() -> pd.DataFrame:
    """Return one row per document and topic found by keyword, key (meeting, doc_symbol, topic)."""
    return _load("document_topics")


def load_consultation_topics() -> pd.DataFrame:
    """Return one row per consultation and topic found by keyword, key (consultation_id, topic)."""
    return _load("consultation_topics")
