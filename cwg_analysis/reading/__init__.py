"""Read a meeting report (.txt, .docx or .pdf) into paragraphs with provenance.

``read_source(path)`` returns a :class:`Source`: the text the spans index into, the meeting
header, every paragraph with its report numbering, and every unit dropped by a named rule.
Every failure is a :class:`~cwg_analysis.errors.ReportReadError` naming the file. Files pass
the checks of :mod:`cwg_analysis.reading.guards` first (limits and what they defend: SECURITY.md).
"""

from __future__ import annotations

import hashlib
import logging
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cwg_analysis.errors import NotAReportError, ReportReadError, UnsafeFileError
from cwg_analysis.reading.guards import (
    MAX_TEXT_CHARS,
    check_file_type,
    check_text_size,
    find_double_encoding,
)
from cwg_analysis.reading.header import MeetingHeader, parse_header
from cwg_analysis.reading.text import DROP_RULES, KINDS, Segmentation, segment_text

if TYPE_CHECKING:
    import pandas as pd

    from cwg_analysis.frames import Columns, DtypeSpec

__all__ = [
    "DROPPED_DTYPES",
    "MAX_FILE_BYTES",
    "MEETING_DTYPES",
    "PARAGRAPH_DTYPES",
    "SUFFIXES",
    "SegmentedSource",
    "Source",
    "read_source",
    "segment_source",
]

log = logging.getLogger(__name__)

SUFFIXES = (".txt", ".docx", ".pdf")
MAX_FILE_BYTES = 200 * 1024 * 1024
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1f\x7f]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_ASCII_LETTERS = re.compile(r"[A-Za-z]+")
_MAX_ACCENTED_SHARE = 0.25  # French or Spanish text has under 5% accented letters


@dataclass(frozen=True, eq=False)
class Source:
    """One report as read from its file, before extraction.

    Attributes
    ----------
    path
        The file read.
    sha256
        SHA-256 of the file's bytes.
    text
        The decoded text (for .docx and .pdf, the extracted text) that spans index into.
    meeting
        One row: meeting, start_date, end_date, venue, report_symbol, report_date,
        source_file, source_sha256.
    paragraphs
        One row per paragraph, in source order: meeting, seq, para_id, section, section_title,
        kind, text, span_start, span_end, source_sha256.
    dropped
        One row per unit removed by a named rule: meeting, rule, text, span_start, span_end.
    """

    path: Path
    sha256: str
    text: str
    meeting: pd.DataFrame
    paragraphs: pd.DataFrame
    dropped: pd.DataFrame


@dataclass(frozen=True, eq=False)
class SegmentedSource:
    """One report as read and segmented, before any frame is built (see :class:`Source`)."""

    path: Path
    sha256: str
    text: str
    header: MeetingHeader
    segmentation: Segmentation

    def columns(self) -> dict[str, Columns]:
        """Return the meeting, paragraphs and dropped tables as column lists."""
        header, meeting, sha256 = self.header, self.header.meeting, self.sha256
        paragraphs, dropped = self.segmentation.paragraphs, self.segmentation.dropped
        n = len(paragraphs)
        return {
            "meeting": {
                "meeting": [meeting],
                "start_date": [header.start_date],
                "end_date": [header.end_date],
                "venue": [header.venue],
                "report_symbol": [header.report_symbol],
                "report_date": [header.report_date],
                "source_file": [self.path.name],
                "source_sha256": [sha256],
            },
            "paragraphs": {
                "meeting": [meeting] * n,
                "seq": [p.seq for p in paragraphs],
                "para_id": [p.para_id for p in paragraphs],
                "section": [p.section for p in paragraphs],
                "section_title": [p.section_title for p in paragraphs],
                "kind": [p.kind for p in paragraphs],
                "text": [p.text for p in paragraphs],
                "span_start": [p.span_start for p in paragraphs],
                "span_end": [p.span_end for p in paragraphs],
                "source_sha256": [sha256] * n,
            },
            "dropped": {
                "meeting": [meeting] * len(dropped),
                "rule": [d.rule for d in dropped],
                "text": [d.text for d in dropped],
                "span_start": [d.span_start for d in dropped],
                "span_end": [d.span_end for d in dropped],
            },
        }


def read_source(path: str | Path) -> Source:
    """Read one report file into its text, header, paragraphs and dropped units (as frames).

    Parameters
    ----------
    path
        A ``.txt``, ``.docx`` or ``.pdf`` report.

    Raises
    ------
    ReportReadError
        The file cannot be read, has an unsupported type or content of another type than its
        name says, is empty, corrupt, encrypted, binary, a scan, or in an unknown encoding.
    NotAReportError
        The file reads but holds no numbered paragraph.
    UnsafeFileError
        The file breaks a safety limit of :mod:`cwg_analysis.reading.guards` (sizes, lengths,
        compression ratio, XML entities or nesting, PDF pages, characters or decoded streams).
    """
    from cwg_analysis.frames import build_frame

    segmented = segment_source(path)
    columns = segmented.columns()
    return Source(
        path=segmented.path,
        sha256=segmented.sha256,
        text=segmented.text,
        meeting=build_frame(columns["meeting"], MEETING_DTYPES),
        paragraphs=build_frame(columns["paragraphs"], PARAGRAPH_DTYPES),
        dropped=build_frame(columns["dropped"], DROPPED_DTYPES),
    )


def segment_source(path: str | Path) -> SegmentedSource:
    """Read one report file into its text, header and segmentation, without building frames.

    The cheap form of :func:`read_source` (same checks, same errors) for callers that gather
    many reports' columns before building frames.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ReportReadError(
            f"{path}: unsupported file type: {path.suffix or '(none)'!r} "
            f"(expected one of {', '.join(SUFFIXES)})"
        )
    data = _read_bytes(path)
    if not data.strip():
        raise ReportReadError(f"{path}: empty file: {len(data)} bytes")
    check_file_type(data, suffix, path)
    if suffix == ".txt":
        text, furniture = _decode_text(data, path), frozenset()
    elif suffix == ".docx":
        from cwg_analysis.reading.docx import extract_docx_text

        text, furniture = extract_docx_text(data, path), frozenset()
    else:
        from cwg_analysis.reading.pdf import extract_pdf_text

        text, furniture = extract_pdf_text(data, path)
    if not text.strip():
        raise ReportReadError(f"{path}: empty file: no text to read")
    check_text_size(text, path)
    text = _check_characters(text, path)
    segmentation = segment_text(text, furniture=furniture)
    if not segmentation.has_numbering:
        raise NotAReportError(
            f"{path}: not a CWG meeting report: no numbered paragraph found "
            f"({len(segmentation.paragraphs)} unnumbered paragraphs)"
        )
    repeated = [p.para_id for p in segmentation.paragraphs if "#" in p.para_id]
    if repeated:
        more = f" and {len(repeated) - 10:,} more" if len(repeated) > 10 else ""
        log.warning(
            "%s: paragraph numbers repeated, later copies renamed: %s%s", path, repeated[:10], more
        )
    log.debug(
        "%s: %d paragraphs, %d dropped units",
        path,
        len(segmentation.paragraphs),
        len(segmentation.dropped),
    )
    return SegmentedSource(
        path=path,
        sha256=hashlib.sha256(data).hexdigest(),
        text=text,
        header=parse_header(segmentation.paragraphs, path.name),
        segmentation=segmentation,
    )


def _decode_text(data: bytes, path: Path) -> str:
    """Decode a text report: UTF-8 (BOM or not), UTF-16 (BOM or not), else cp1252 with a warning.

    Binary data is refused before any guess; cp1252 is used only when the bytes are not UTF-8,
    decode cleanly and read as Western European text (in Cyrillic saved as cp1251, most letters
    would come out accented: that is mojibake, and an error).
    """
    if len(data) > 4 * MAX_TEXT_CHARS:  # UTF-8 and UTF-16 take at most 4 bytes a character
        raise UnsafeFileError(
            f"{path}: text too long: {len(data):,} bytes, more than {MAX_TEXT_CHARS:,} characters"
        )
    encoding = _text_encoding(data)
    fallback: UnicodeDecodeError | None = None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        if encoding != "utf-8":
            raise ReportReadError(
                f"{path}:byte {exc.start}: invalid {encoding} text: {exc.reason}"
            ) from exc
        binary = _CONTROL_BYTES.search(data)
        if binary is not None:
            raise ReportReadError(
                f"{path}:byte {binary.start()}: binary data, not a text report: {binary.group()!r}"
            ) from exc
        text, fallback = _decode_cp1252(data, path, exc), exc
    control = _CONTROL.search(text)
    if control is not None:
        raise ReportReadError(
            f"{path}:char {control.start()}: binary data, not a text report: {control.group()!r}"
        )
    if fallback is not None:
        warnings.warn(
            f"{path}:byte {fallback.start}: not UTF-8, decoded as cp1252: "
            f"{data[fallback.start : fallback.start + 4]!r}; check the text or save the file as "
            "UTF-8",
            UnicodeWarning,
            stacklevel=3,
        )
    return text


def _text_encoding(data: bytes) -> str:
    """Return the encoding a byte-order mark, or the zero bytes of UTF-16 text, announce."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    sample = data[:4096]
    if len(sample) >= 8 and len(data) % 2 == 0:
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        half = len(sample) // 2
        if odd >= 0.8 * half and even <= 0.1 * half:  # "1\x00.\x00": ASCII text in UTF-16-LE
            return "utf-16-le"
        if even >= 0.8 * half and odd <= 0.1 * half:
            return "utf-16-be"
    return "utf-8"


def _decode_cp1252(data: bytes, path: Path, error: UnicodeDecodeError) -> str:
    """Decode bytes that are not UTF-8 as cp1252, if that gives Western European text."""
    where = f"{path}:byte {error.start}"
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ReportReadError(
            f"{where}: neither UTF-8 nor cp1252 text: "
            f"{data[error.start : error.start + 4]!r}; save the file as UTF-8"
        ) from exc
    accented = sum(ch.isalpha() for ch in _NON_ASCII.findall(text))
    letters = accented + len(text) - len(_ASCII_LETTERS.sub("", text))
    if letters and accented > _MAX_ACCENTED_SHARE * letters:
        sample = text[error.start : error.start + 12]
        raise ReportReadError(
            f"{where}: not UTF-8, and cp1252 would give mojibake ({accented / letters:.0%} of "
            f"the letters accented): {sample!r}; save the file as UTF-8"
        ) from error
    return text


def _check_characters(text: str, path: Path) -> str:
    """Warn about text decoded twice; replace lone surrogates (no text can hold them)."""
    double = find_double_encoding(text)
    if double is not None:
        warnings.warn(
            f"{path}:char {double.start()}: text looks decoded twice (UTF-8 read as cp1252): "
            f"{text[max(0, double.start() - 8) : double.end() + 8]!r}; fix the file's encoding",
            UnicodeWarning,
            stacklevel=3,
        )
    surrogate = _SURROGATE.search(text)
    if surrogate is None:
        return text
    warnings.warn(
        f"{path}:char {surrogate.start()}: invalid character (a lone surrogate) replaced by "
        f"U+FFFD: {surrogate.group()!r}",
        UnicodeWarning,
        stacklevel=3,
    )
    return _SURROGATE.sub("\ufffd", text)


def _read_bytes(path: Path) -> bytes:
    """Read a file's bytes within the size limit, turning OS errors into ReportReadError."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ReportReadError(f"{path}: cannot read file: {exc.strerror or exc}") from exc
    if len(data) > MAX_FILE_BYTES:
        raise UnsafeFileError(
            f"{path}: file too large: more than {MAX_FILE_BYTES // (1024 * 1024)} MB"
        )
    return data


MEETING_DTYPES: dict[str, DtypeSpec] = {
    "meeting": "Int64",
    "start_date": "datetime64[us]",
    "end_date": "datetime64[us]",
    "venue": "string",
    "report_symbol": "string",
    "report_date": "datetime64[us]",
    "source_file": "string",
    "source_sha256": "string",
}
PARAGRAPH_DTYPES: dict[str, DtypeSpec] = {
    "meeting": "Int64",
    "seq": "Int64",
    "para_id": "string",
    "section": "string",
    "section_title": "string",
    "kind": KINDS,
    "text": "string",
    "span_start": "Int64",
    "span_end": "Int64",
    "source_sha256": "string",
}
DROPPED_DTYPES: dict[str, DtypeSpec] = {
    "meeting": "Int64",
    "rule": DROP_RULES,
    "text": "string",
    "span_start": "Int64",
    "span_end": "Int64",
}
