"""Read one meeting report into its tables: the public entry point ``read_report``.

``read_report(path)`` reads the file (:func:`cwg_analysis.reading.read_source`) and extracts
documents, submitters, statements, consultation figures and the inventory of paragraphs that
yielded nothing, each as a frame of the data contract.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["TABLE_NAMES", "Report", "read_report"]

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
    import pandas as pd

    from cwg_analysis.extraction import (
        extract_consultation,
        extract_documents,
        extract_submitters,
        find_context_symbols,
        find_document_mentions,
        find_submitter_listings,
        find_unparsed,
        iter_paragraphs,
    )
    from cwg_analysis.reading import read_source
    from cwg_analysis.stance import extract_statements

    source = read_source(path)
    number = source.meeting["meeting"].iloc[0]
    meeting = None if pd.isna(number) else int(number)
    records = iter_paragraphs(source.paragraphs)
    name = Path(path).name
    mentions = find_document_mentions(records)
    documents = extract_documents(records, meeting, mentions=mentions)
    submitters = extract_submitters(records, meeting, source=name, mentions=mentions)
    counts = Counter(submitters["doc_symbol"].tolist())
    statements, reasons = extract_statements(
        records, find_context_symbols(records), meeting, submitter_counts=counts
    )
    consultation = extract_consultation(records, meeting, source=name)
    produced = {
        *documents["para_id"].tolist(),
        *statements["para_id"].tolist(),
        *consultation["para_id"].tolist(),
        *find_submitter_listings(mentions).values(),
    }
    unparsed = find_unparsed(records, meeting, produced=produced, reasons=reasons)
    return Report(
        path=source.path,
        sha256=source.sha256,
        meeting=source.meeting,
        paragraphs=source.paragraphs,
        dropped=source.dropped,
        documents=documents,
        submitters=submitters,
        statements=statements,
        consultation=consultation,
        unparsed=unparsed,
    )
