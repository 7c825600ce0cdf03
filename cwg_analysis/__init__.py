"""cwg-analysis: data, analysis and reports from ITU CWG-Internet meeting records.

Importing the package is cheap: the public functions below load their modules (and pandas)
on first use.
"""

from __future__ import annotations

import importlib
from typing import Any

from cwg_analysis.errors import (
    CorpusBuildError,
    CwgAnalysisError,
    DataValidationError,
    NotAReportError,
    RenderError,
    ReportReadError,
    UnknownCountryError,
    UnsafeFileError,
)

__version__ = "0.1.0"

_LAZY = {
    "read_report": "cwg_analysis.report",
    "Report": "cwg_analysis.report",
    "country_codes": "cwg_analysis.countries",
    "positions": "cwg_analysis.contest",
    "build_corpus": "cwg_analysis.corpus",
    "render_reports": "cwg_analysis.rendering",
    "validate_data": "cwg_analysis.loading",
    **{
        f"load_{table}": "cwg_analysis.loading"
        for table in (
            "meetings",
            "report_headers",
            "meeting_disagreements",
            "documents",
            "document_topics",
            "submitters",
            "statements",
            "paragraphs",
            "dropped",
            "unparsed",
            "consultations",
            "consultation_figures",
            "consultation_responses",
            "consultation_topics",
            "countries",
            "groups",
            "group_members",
            "topics",
        )
    },
}

__all__ = [
    "CorpusBuildError",
    "CwgAnalysisError",
    "DataValidationError",
    "NotAReportError",
    "RenderError",
    "ReportReadError",
    "UnknownCountryError",
    "UnsafeFileError",
    "__version__",
    *sorted(_LAZY),
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'cwg_analysis' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__
