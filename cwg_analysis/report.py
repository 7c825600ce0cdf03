"""Read one meeting report into its tables: the public entry point ``read_report``.

``read_report(path)`` reads the file (:func:`cwg_analysis.reading.segment_source`) and extracts
documents, submitters, statements, consultation figures and the inventory of paragraphs that
yielded nothing, each as a frame of the data contract. ``extract_tables(path)`` gives the same
tables as column lists, for callers that build frames for many reports at once.
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from cwg_analysis.frames import Columns, DtypeSpec
    from cwg_analysis.reading import SegmentedSource

__all__ = ["TABLE_NAMES", "Report", "extract_tables", "read_report", "table_dtypes"]

TABLE_NAMES = (
    "meeting",
    "paragraphs",
    "dropped",
    "documents",
    "submitters",
    "statements",
    "consultation",
    "unparsed",
)


@dataclass(frozen=True, eq=False)
class Report:
    """One meeting report as tables (see ``docs/data-dictionary.md`` for every column).

    Attributes
    ----------
    path, sha256
        The file read and the SHA-256 of its bytes.
    meeting
        One row: meeting number, dates, venue, report symbol (null where the report is silent).
    paragraphs
        One row per paragraph: para_id ("6.6.3"), section, kind, text, character span.
    dropped
        Units removed by a named rule (conversion artefacts, page furniture).
    documents
        One row per referenced document: canonical doc_symbol, doc_type, title, first para_id.
    submitters
        One row per (doc_symbol, position): the submitting states of each contribution.
    statements
        One row per attributed statement: actor, quantifier, stance, target (the stance model).
    consultation
        One row per stakeholder label of the open-consultation figures the report gives.
    unparsed
        Every paragraph that yielded no row in the tables above, with the reason.
    """

    path: Path
    sha256: str
    meeting: pd.DataFrame
    paragraphs: pd.DataFrame
    dropped: pd.DataFrame
    documents: pd.DataFrame
    submitters: pd.DataFrame
    statements: pd.DataFrame
    consultation: pd.DataFrame
    unparsed: pd.DataFrame

    def tables(self) -> dict[str, pd.DataFrame]:
        """Return every table by name, in contract order (meeting ... unparsed)."""
        return {name: getattr(self, name) for name in TABLE_NAMES}


def read_report(path: str | Path) -> Report:
    """Read a meeting report (.txt, .docx or .pdf) and extract its tables.

    Raises
    ------
    ReportReadError
        The file cannot be read (see :func:`cwg_analysis.reading.read_source`).
    UnknownCountryError
        A submitting state's name does not resolve; the message names the file and paragraph.

    Examples
    --------
    >>> from cwg_analysis import config
    >>> report = read_report(config.RAW_REPORTS_DIR / "cwg-internet-11-final-report.txt")
    >>> report.submitters.query("doc_symbol == 'CWG-Internet-11/3'")["country_code"].tolist()
    ['RUS', 'ARM', 'AZE', 'BLR', 'KGZ']
    """
    from cwg_analysis.frames import build_frame

    source, tables = extract_tables(path)
    frames = {name: build_frame(tables[name], dtypes) for name, dtypes in table_dtypes().items()}
    return Report(path=source.path, sha256=source.sha256, **frames)


def extract_tables(path: str | Path) -> tuple[SegmentedSource, dict[str, Columns]]:
    """Read a report and return it with its tables as column lists, in contract order.

    What :func:`read_report` does before building frames: the corpus build gathers the
    columns of a batch of reports and builds each table's frame once for the batch.
    """
    from cwg_analysis.extraction import (
        extract_consultation,
        extract_documents,
        extract_submitters,
        find_context_symbols,
        find_document_mentions,
        find_submitter_listings,
        find_unparsed,
    )
    from cwg_analysis.reading import segment_source
    from cwg_analysis.stance import extract_statements

    source = segment_source(path)
    meeting = source.header.meeting
    records = source.segmentation.paragraphs
    name = source.path.name
    mentions = find_document_mentions(records)
    documents = extract_documents(records, meeting, mentions=mentions)
    submitters = extract_submitters(records, meeting, source=name, mentions=mentions)
    statements, reasons = extract_statements(
        records,
        find_context_symbols(records),
        meeting,
        submitter_counts=Counter(submitters["doc_symbol"]),
    )
    consultation = extract_consultation(records, meeting, source=name)
    produced = {
        *documents["para_id"],
        *statements["para_id"],
        *consultation["para_id"],
        *find_submitter_listings(mentions).values(),
    }
    unparsed = find_unparsed(records, meeting, produced=produced, reasons=reasons)
    tables = {
        **source.columns(),
        "documents": documents,
        "submitters": submitters,
        "statements": statements,
        "consultation": consultation,
        "unparsed": unparsed,
    }
    return source, {name: tables[name] for name in TABLE_NAMES}


@functools.cache
def table_dtypes() -> dict[str, dict[str, DtypeSpec]]:
    """Return the dtype of every column of every table of a report, in contract order."""
    from cwg_analysis.extraction import (
        CONSULTATION_DTYPES,
        DOCUMENT_DTYPES,
        SUBMITTER_DTYPES,
        UNPARSED_DTYPES,
    )
    from cwg_analysis.reading import DROPPED_DTYPES, MEETING_DTYPES, PARAGRAPH_DTYPES
    from cwg_analysis.stance import STATEMENT_DTYPES

    return {
        "meeting": MEETING_DTYPES,
        "paragraphs": PARAGRAPH_DTYPES,
        "dropped": DROPPED_DTYPES,
        "documents": DOCUMENT_DTYPES,
        "submitters": SUBMITTER_DTYPES,
        "statements": STATEMENT_DTYPES,
        "consultation": CONSULTATION_DTYPES,
        "unparsed": UNPARSED_DTYPES,
    }
