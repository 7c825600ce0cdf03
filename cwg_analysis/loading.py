"""Load every table as a validated frame: the one door to the data.

``load_<table>()`` reads a curated CSV from ``data/reference/`` or a parquet table that
``cwg-analysis build`` wrote to ``data/processed/`` (building the corpus first when it is
stale), casts it to its schema (``cwg_analysis.schemas``), validates it lazily, checks that
every meeting, paragraph, document, country, group, consultation and topic it refers to
exists, and returns it sorted by its key with a RangeIndex. Every problem of a table is
reported at once, as ``<file>:<line or row>: column <name>: <what is wrong>: <value>``.
``validate_data()`` runs every loader and returns every problem (``cwg-analysis validate``).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from cwg_analysis import config
from cwg_analysis.errors import CorpusBuildError, CwgAnalysisError, DataValidationError
from cwg_analysis.schemas import (
    MEETINGS_CORPUS_COLUMNS,
    TABLES,
    Problem,
    coerce_table,
    sort_table,
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

_CACHE: dict[str, tuple[tuple, pd.DataFrame]] = {}


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
    raw = read_reference_csv(path)
    for column in MEETINGS_CORPUS_COLUMNS:
        raw[column] = pd.NA
    raw["has_full_report"] = "false"
    order = TABLES["meetings"].columns
    known = [column for column in raw.columns if column in order]
    raw = raw[sorted(known, key=order.index) + [c for c in raw.columns if c not in order]]
    frame, problems = coerce_table(raw, "meetings", path.name, is_csv=True)
    return frame, _validate_cast_table(frame, problems, "meetings", path.name, is_csv=True)


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


def _read(name: str) -> tuple[pd.DataFrame, list[Problem], str, bool]:
    """Read and cast one table; return it, its problems, its file name and whether it is CSV."""
    if name == "meetings_csv":
        frame, problems = read_meetings_csv()
        return frame, problems, "meetings.csv", True
    spec = TABLES[name]
    if spec.origin == "reference":
        path = config.REFERENCE_DIR / spec.file
        frame, problems = coerce_table(read_reference_csv(path), name, spec.file, is_csv=True)
        is_csv = True
    else:
        from cwg_analysis.corpus import reading_corpus

        path = config.PROCESSED_DIR / spec.file
        try:
            with reading_corpus(config.PROCESSED_DIR):
                raw = pd.read_parquet(path, dtype_backend="numpy_nullable")
        except (OSError, ValueError) as exc:
            raise DataValidationError(f"{spec.file}: cannot read the table: {exc}") from exc
        frame, problems = coerce_table(raw, name, spec.file)
        is_csv = False
    problems = _validate_cast_table(frame, problems, name, spec.file, is_csv=is_csv)
    return frame, problems, spec.file, is_csv


def _ensure_corpus() -> None:
    """Build the corpus when a report, a curated table or the code changed since."""
    from cwg_analysis.corpus import build_corpus, is_corpus_stale

    if is_corpus_stale():
        log.info("the corpus is stale: building it")
        build_corpus()


def _fingerprint() -> tuple:
    """Return the size and modification time of every input of the tables."""
    paths = sorted(config.REFERENCE_DIR.glob("*.csv"))
    for spec in TABLES.values():
        if spec.origin != "reference":
            path = config.PROCESSED_DIR / spec.file
            paths += sorted(path.glob("*.parquet")) if path.is_dir() else [path]
    paths.append(config.PROCESSED_DIR / "_cache" / "manifest.json")  # rewritten by every build
    stats = []
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            stats.append((str(path), None))
        else:
            stats.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(stats)


def _check_references(
    name: str, frame: pd.DataFrame, origin: str, *, is_csv: bool
) -> list[Problem]:
    """Return a problem for every value that refers to a key missing from its table."""
    problems: list[Problem] = []
    for reference in REFERENCES.get(name, ()):
        target = _table(reference.table)
        columns = list(reference.columns)
        values = frame[columns]
        present = values.notna().all(axis="columns")
        known = pd.MultiIndex.from_frame(target[list(reference.target)].astype("string"))
        keys = pd.MultiIndex.from_frame(values.astype("string"))
        missing = present & ~keys.isin(known)
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


def _table(name: str) -> pd.DataFrame:
    """Return the validated table (cached while its inputs are unchanged); raise on problems."""
    if name != "meetings_csv" and TABLES[name].origin != "reference":
        _ensure_corpus()
    fingerprint = _fingerprint()
    cached = _CACHE.get(name)
    if cached is not None and cached[0] == fingerprint:
        return cached[1]
    frame, problems, origin, is_csv = _read(name)
    if not any(problem.row is None for problem in problems):
        problems += _check_references(name, frame, origin, is_csv=is_csv)
    if problems:
        raise DataValidationError(
            f"{origin}: {len(problems)} problem(s):\n" + "\n".join(p.message for p in problems)
        )
    frame = sort_table(frame, "meetings" if name == "meetings_csv" else name)
    _CACHE[name] = (_fingerprint(), frame)
    return frame


def _load(name: str) -> pd.DataFrame:
    """Return a fresh copy of a validated table."""
    return _table(name).copy()


def validate_data() -> list[str]:
    """Run every loader and return every problem found (empty when all tables pass)."""
    problems: list[str] = []
    corpus_failed = False
    for name in ("meetings_csv", *TABLES):
        if corpus_failed and name != "meetings_csv" and TABLES[name].origin != "reference":
            continue
        try:
            _table(name)
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
