"""Extract the text of a PDF report with pdfminer.six, reflowing wrapped lines into paragraphs.

A PDF holds positioned lines, not paragraphs. Lines on one baseline are joined (a Word list
number and its text become "3.2<TAB>Discussion on the Report"); consecutive lines are joined
into one paragraph unless the vertical gap is wider than the document's line pitch, the line
starts a list item (a number or bullet no further right than the line above), or, across a
page break, the next page starts a list item or the previous line stopped short.
A line wrapped after a hyphen ("CWG-" / "Internet") is joined without a space.

The extracted text has one line per paragraph, and a line of its own for each page number
("- 3 -", "Page 3 of 12") found at the top or bottom of a page, written after the paragraph it
interrupts; those are reported back so the segmentation drops and counts them as page furniture.
"""

from __future__ import annotations

import io
import itertools
import logging
import re
import statistics
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cwg_analysis.errors import ReportReadError, UnsafeFileError
from cwg_analysis.reading.guards import (
    MAX_PDF_CHARS,
    MAX_PDF_PAGE_CHARS,
    MAX_PDF_PAGES,
    bounded_pdf_streams,
)
from cwg_analysis.reading.text import starts_with_marker

__all__ = ["extract_pdf_text"]

log = logging.getLogger(__name__)

_PAGE_NUMBER = re.compile(r"[-–—]?\s?\d{1,4}\s?[-–—]?|(?i:page\s+\d{1,4}(?:\s+of\s+\d{1,4})?)")
_LIGATURES = str.maketrans(
    {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
)
_CID = re.compile(r"\(cid:\d{1,5}\)")  # how pdfminer writes a glyph it cannot map
_MAX_UNMAPPED_SHARE = 0.1
_SAME_BASELINE = 2.0  # points
_TAB_GAP = 4.0  # points between fragments of a baseline that read as a tab


@dataclass(frozen=True, slots=True)
class _Line:
    """One visual line of a page: its fragments joined, with its box."""

    page: int
    x0: float
    x1: float
    y0: float
    height: float
    text: str


def extract_pdf_text(data: bytes, path: Path) -> tuple[str, frozenset[int]]:
    """Return a PDF report's reflowed text and the start offsets of its page-furniture lines.

    Raises
    ------
    ReportReadError
        The file is not a PDF, is encrypted, pdfminer cannot parse it, it has no text layer
        (a scan) or its text cannot be mapped to characters.
    UnsafeFileError
        The PDF breaks a limit of :mod:`cwg_analysis.reading.guards` (pages, characters,
        decoded stream sizes).
    """
    if b"%PDF-" not in data[:1024]:
        raise ReportReadError(f"{path}: corrupt pdf: no %PDF header: {data[:8]!r}")
    lines, pages = _read_lines(data, path)
    if not pages:
        raise ReportReadError(f"{path}: corrupt pdf: no page found")
    if not lines:
        raise ReportReadError(
            f"{path}: scanned PDF, no text layer: no text on any of its {pages} page(s); "
            "make it searchable with OCR (e.g. ocrmypdf) and read the result"
        )
    _check_glyphs(lines, path)
    furniture_ids = _page_furniture(lines)
    return _reflow(lines, furniture_ids)


def _read_lines(data: bytes, path: Path) -> tuple[list[_Line], int]:
    """Return every visual line of the PDF, page by page, top to bottom, and the page count."""
    from pdfminer.layout import LAParams, LTTextContainer, LTTextLine
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    lines: list[_Line] = []
    pages = 0
    try:
        with bounded_pdf_streams(path):
            resources = PDFResourceManager()
            device = _counting_aggregator(resources, LAParams(), path)
            interpreter = PDFPageInterpreter(resources, device)
            for page_no, page in enumerate(PDFPage.get_pages(io.BytesIO(data))):
                if page_no == MAX_PDF_PAGES:
                    raise UnsafeFileError(f"{path}: too many pages: more than {MAX_PDF_PAGES:,}")
                device.start_counting(page_no)
                interpreter.process_page(page)
                pages += 1
                fragments = [
                    line
                    for box in device.get_result()
                    if isinstance(box, LTTextContainer)
                    for line in box
                    if isinstance(line, LTTextLine) and line.get_text().strip()
                ]
                lines.extend(_baselines(page_no, fragments))
    except UnsafeFileError:
        raise
    except (PDFEncryptionError, PDFPasswordIncorrect) as exc:
        raise ReportReadError(
            f"{path}: encrypted pdf: a password is needed to read it: {exc!r}"
        ) from exc
    except RecursionError as exc:
        raise UnsafeFileError(f"{path}: PDF objects nested too deeply to read") from exc
    except Exception as exc:  # pdfminer raises many types on damaged files
        raise ReportReadError(f"{path}: corrupt pdf: pdfminer cannot parse it: {exc!r}") from exc
    return lines, pages


def _counting_aggregator(resources, laparams, path: Path):
    """Return a pdfminer page aggregator that refuses pages and documents with too many glyphs.

    Layout analysis grows faster than linearly with the glyphs of a page, so they are counted
    as the interpreter draws them, before any layout is computed.
    """
    from pdfminer.converter import PDFPageAggregator

    class CountingAggregator(PDFPageAggregator):
        chars = 0
        page_chars = 0
        page_no = 0

        def start_counting(self, page_no: int) -> None:
            self.page_no, self.page_chars = page_no, 0

        def render_char(self, *args, **kwargs) -> float:
            self.chars += 1
            self.page_chars += 1
            if self.page_chars > MAX_PDF_PAGE_CHARS:
                raise UnsafeFileError(
                    f"{path}:page {self.page_no + 1}: too many characters on one page: more "
                    f"than {MAX_PDF_PAGE_CHARS:,}"
                )
            if self.chars > MAX_PDF_CHARS:
                raise UnsafeFileError(f"{path}: too many characters: more than {MAX_PDF_CHARS:,}")
            return super().render_char(*args, **kwargs)

    return CountingAggregator(resources, laparams=laparams)


def _check_glyphs(lines: list[_Line], path: Path) -> None:
    """Refuse a text layer whose glyphs have no Unicode mapping ("(cid:72)(cid:69)...")."""
    total = sum(len(line.text) for line in lines)
    unmapped = [match for line in lines for match in _CID.finditer(line.text)]
    share = sum(len(match.group()) for match in unmapped) / max(total, 1)
    if share > _MAX_UNMAPPED_SHARE:
        raise ReportReadError(
            f"{path}: PDF text cannot be read: {share:.0%} of the text layer is glyphs without a "
            f"Unicode mapping ({unmapped[0].group()}); export the PDF again with embedded "
            "fonts, or OCR it"
        )
    if unmapped:
        log.warning(
            "%s: %d glyph(s) without a Unicode mapping kept as %s",
            path,
            len(unmapped),
            unmapped[0].group(),
        )


def _baselines(page_no: int, fragments: list) -> Iterator[_Line]:
    """Join the fragments that share a baseline, left to right, and yield lines top down."""
    fragments.sort(key=lambda f: (-round(f.y0), f.x0))
    group: list = []
    for fragment in fragments:
        if group and abs(fragment.y0 - group[0].y0) > _SAME_BASELINE:
            yield _join_fragments(page_no, group)
            group = []
        group.append(fragment)
    if group:
        yield _join_fragments(page_no, group)


def _join_fragments(page_no: int, group: list) -> _Line:
    """Join fragments on one baseline: a tab across a wide gap, else a space."""
    group.sort(key=lambda f: f.x0)
    text = group[0].get_text().strip()
    for before, after in itertools.pairwise(group):
        sep = "\t" if after.x0 - before.x1 > _TAB_GAP else " "
        text += sep + after.get_text().strip()
    return _Line(
        page=page_no,
        x0=group[0].x0,
        x1=max(f.x1 for f in group),
        y0=min(f.y0 for f in group),
        height=max(f.y1 - f.y0 for f in group),
        text=text.translate(_LIGATURES),
    )


def _page_furniture(lines: list[_Line]) -> set[int]:
    """Return the indices of page numbers standing first or last on their page."""
    found: set[int] = set()
    for i, line in enumerate(lines):
        first = i == 0 or lines[i - 1].page != line.page
        last = i == len(lines) - 1 or lines[i + 1].page != line.page
        if (first or last) and _PAGE_NUMBER.fullmatch(line.text.strip()):
            found.add(i)
    return found


def _reflow(lines: list[_Line], furniture_ids: set[int]) -> tuple[str, frozenset[int]]:
    """Join wrapped lines into paragraphs; return the text and the furniture line offsets."""
    body = [line for i, line in enumerate(lines) if i not in furniture_ids]
    pitch = _line_pitch(body)
    right = max((line.x1 for line in body), default=0.0)
    left = min((line.x0 for line in body), default=0.0)
    short = right - 0.2 * (right - left)
    out: list[str] = []
    furniture: list[int] = []
    offset = 0
    current: list[str] = []
    pending: list[str] = []  # page furniture met inside a paragraph, written after it
    previous: _Line | None = None

    def emit(text: str) -> None:
        nonlocal offset
        out.append(text)
        offset += len(text) + 1

    def flush() -> None:
        if current:
            emit(_join_lines(current))
            current.clear()
        for text in pending:
            furniture.append(offset)
            emit(text)
        pending.clear()

    for i, line in enumerate(lines):
        if i in furniture_ids:
            pending.append(line.text)
            continue
        if previous is not None and _starts_paragraph(previous, line, pitch, short):
            flush()
        current.append(line.text)
        previous = line
    flush()
    return "\n".join(out), frozenset(furniture)


def _line_pitch(lines: list[_Line]) -> float:
    """Return the usual distance between the baselines of consecutive lines on a page."""
    gaps = [
        before.y0 - after.y0
        for before, after in itertools.pairwise(lines)
        if before.page == after.page and before.y0 > after.y0
    ]
    if not gaps:
        return max((line.height for line in lines), default=12.0) * 1.2
    return statistics.median_low(gaps)


def _starts_paragraph(previous: _Line, line: _Line, pitch: float, short: float) -> bool:
    """Return whether a line starts a new paragraph rather than continuing the previous one."""
    starts_item = starts_with_marker(line.text)
    if line.page != previous.page:
        return starts_item or previous.x1 < short
    gap = previous.y0 - line.y0
    if gap < 0 or gap > pitch + 0.25 * max(line.height, 1.0):
        return True
    return starts_item and line.x0 <= previous.x0 + 1.0


def _join_lines(lines: list[str]) -> str:
    """Join the lines of one paragraph: no space after a line-end hyphen, else one space."""
    text = lines[0].rstrip()
    for line in lines[1:]:
        line = line.strip()
        if text.endswith("\u00ad"):
            text = text[:-1] + line
        elif text.endswith("-") and len(text) > 1 and text[-2].isalnum():
            text += line
        else:
            text += " " + line
    return text
