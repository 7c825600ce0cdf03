"""The project's exception family.

Messages read ``<file or table>:<line or key>: <what is wrong>: <the value>`` and add the fix
when there is one. Every error the package raises on bad input is a ``CwgAnalysisError``.
"""

from __future__ import annotations


class CwgAnalysisError(Exception):
    """Base class of every error raised by cwg_analysis on bad input or data."""


class ReportReadError(CwgAnalysisError):
    """A report file cannot be read: unreadable, unsupported, empty, corrupt or unsafe."""


class NotAReportError(ReportReadError):
    """The file reads, but it is not a CWG meeting report (no numbered paragraphs)."""


class UnsafeFileError(ReportReadError):
    """The file breaks a safety limit (size, compression ratio, XML entities)."""


class UnknownCountryError(CwgAnalysisError):
    """One or more country names could not be resolved to ISO 3166-1 alpha-3 codes."""


class DataValidationError(CwgAnalysisError):
    """Reference or processed data break their schema or reference each other wrongly."""


class CorpusBuildError(CwgAnalysisError):
    """The corpus build failed; the previous corpus is left in place."""


class RenderError(CwgAnalysisError):
    """A notebook failed to execute or export; the previous HTML is left in place."""


class UnknownMeetingError(CwgAnalysisError, LookupError):
    """A meeting number asked for is not in the meetings table."""
