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
import re
import statistics
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cwg_analysis.errors import ReportReadError
from cwg_analysis.reading.text import starts_with_marker

__all__ = ["extract_pdf_text"]

_PAGE_NUMBER = re.compile(r"[-–—]?\s?\d{1,4}\s?[-–—]?|(?i:page\s+\d{1,4}(?:\s+of\s+\d{1,4})?)")
_LIGATURES = str.maketrans(
    {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
)
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
        The file is not a PDF, is encrypted, or pdfminer cannot parse it.
    """
    if b"%PDF-" not in data[:1024]:
        raise ReportReadError(f"{path}: corrupt pdf: no %PDF header: {data[:8]!r}")
    lines = _read_lines(data, path)
    if not lines:
        raise ReportReadError(f"{path}: empty file: the PDF has no text layer (a scan?)")
    furniture_ids = _page_furniture(lines)
    return _reflow(lines, furniture_ids)


def _read_lines(data: bytes, path: Path) -> list[_Line]:
    """Return every visual line of the PDF, page by page, top to bottom."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextContainer, LTTextLine
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    lines: list[_Line] = []
    try:
        for page_no, page in enumerate(extract_pages(io.BytesIO(data), laparams=LAParams())):
            fragments = [
                line
                for box in page
                if isinstance(box, LTTextContainer)
                for line in box
                if isinstance(line, LTTextLine) and line.get_text().strip()
            ]
            lines.extend(_baselines(page_no, fragments))
    except (PDFEncryptionError, PDFPasswordIncorrect) as exc:
        raise ReportReadError(
            f"{path}: encrypted pdf: a password is needed to read it: {exc!r}"
        ) from exc
    except Exception as exc:  # pdfminer raises many types on damaged files
        raise ReportReadError(f"{path}: corrupt pdf: pdfminer cannot parse it: {exc!r}") from exc
    return lines


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
