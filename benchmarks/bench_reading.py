"""Reading speed: .txt read + extract per core, .docx read, .pdf read, each against its floor.

Floors: for .txt, reading the same bytes and splitting lines; for .docx, the text of
``word/document.xml`` with lxml; for .pdf, poppler's ``pdftotext`` on the same file.
"""

from __future__ import annotations

import logging
import shutil
import statistics
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

from benchmarks import MB, Row, bench_dir, time_median
from cwg_analysis.config import PROJECT_ROOT, RAW_REPORTS_DIR

log = logging.getLogger(__name__)

SEED_REPORT = RAW_REPORTS_DIR / "cwg-internet-11-final-report.txt"
PDF_FIXTURE = PROJECT_ROOT / "tests" / "data" / "cwg-internet-11-final-report.pdf"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def write_sample(n: int, formats: tuple[str, ...]) -> list[Path]:
    """Return ``n`` synthetic reports in each format under build/bench/, writing them once."""
    from cwg_analysis.synthetic import GENERATOR_VERSION, write_reports

    directory = bench_dir(f"sample-v{GENERATOR_VERSION}-{n}-{'-'.join(formats)}")
    done = directory / ".complete"
    if not done.exists():
        write_reports(directory, n, seed=0, formats=formats, first_meeting=100)
        done.touch()
    return sorted(path for path in directory.iterdir() if path.suffix in {f".{f}" for f in formats})


def read_lines(paths: list[Path]) -> None:
    """The floor of .txt reading: read the bytes, decode them, split the lines."""
    for path in paths:
        path.read_bytes().decode("utf-8").splitlines()


def docx_text(path: Path) -> str:
    """The floor of .docx reading: the paragraphs' text of word/document.xml, with lxml."""
    from lxml import etree

    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    return "\n".join(
        "".join(node.text or "" for node in paragraph.iter(f"{_W}t"))
        for paragraph in root.iter(f"{_W}p")
    )


def pdf_pages(path: Path) -> int:
    """Return the number of pages of a PDF (pdfminer)."""
    from pdfminer.pdfpage import PDFPage

    with path.open("rb") as handle:
        return sum(1 for _ in PDFPage.get_pages(handle))


def measure_txt(paths: list[Path], label: str, repeat: int) -> list[Row]:
    """Return the throughput of .txt reports on one core (CPU time): read + extract as the
    corpus build runs it (columns per report, frames per batch), with a frame per report and
    table (``read_report``), and reading alone."""
    from cwg_analysis.reading import segment_source
    from cwg_analysis.report import extract_tables, read_report

    size = sum(path.stat().st_size for path in paths)
    for path in paths[:2]:  # warm: imports, compiled patterns, the country table
        read_report(path)

    def rate(call: Callable[[], object], times: int) -> float:
        return size / MB / time_median(call, times, cpu=True)

    floor = rate(lambda: read_lines(paths), max(repeat, 5))
    rows = [
        (f".txt read + extract (extract_tables), {label}, 1 core", ">= 5", extract_tables),
        (f".txt read + extract + frames per report (read_report), {label}", None, read_report),
        (f".txt read only (segment_source), {label}", None, segment_source),
    ]
    return [
        Row(
            measure=measure,
            value=rate(lambda read=read: [read(path) for path in paths], repeat),
            unit="MB/s",
            target=target,
            floor=floor,
        )
        for measure, target, read in rows
    ]


def measure_docx(paths: list[Path], repeat: int) -> list[Row]:
    """Return the CPU time per .docx report of turning it into text, against lxml's text of
    word/document.xml, and of the whole read (its segmentation and frames, shared with .txt,
    are measured there). The text and its floor are timed in turns, a pass of each, so that
    both meet the same load on a shared machine."""
    from cwg_analysis.reading import read_source
    from cwg_analysis.reading.docx import extract_docx_text

    def per_report_ms(read: Callable[[Path], object], times: int) -> float:
        seconds = time_median(lambda: [read(path) for path in paths], times, cpu=True)
        return seconds / len(paths) * 1000

    def to_text(path: Path) -> str:
        return extract_docx_text(path.read_bytes(), path)

    read_source(paths[0])  # warm: imports, compiled patterns
    text_ms, floor_ms = [], []
    for _ in range(3 * max(repeat, 5)):
        text_ms.append(per_report_ms(to_text, 1))
        floor_ms.append(per_report_ms(docx_text, 1))
    label = f"{len(paths)} synthetic reports, per report"
    return [
        Row(
            measure=f".docx to text (extract_docx_text), {label}",
            value=statistics.median(text_ms),
            unit="ms",
            target="<= 3x floor",
            floor=statistics.median(floor_ms),
        ),
        Row(
            measure=f".docx read (read_source), {label}",
            value=per_report_ms(read_source, repeat),
            unit="ms",
            target=None,
            floor=None,
        ),
    ]


def measure_pdf(path: Path, repeat: int) -> Row | None:
    """Return the pages per second of the PDF reader against pdftotext on the same file."""
    from cwg_analysis.reading import read_source

    if not path.exists():
        log.warning("%s: missing, the .pdf benchmark is skipped", path)
        return None
    pages = pdf_pages(path)
    value = pages / time_median(lambda: read_source(path), repeat)
    floor = None
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        log.warning("pdftotext not found (apt-get install poppler-utils): no floor for .pdf")
    else:
        command = [pdftotext, "-q", str(path), "-"]
        seconds = time_median(
            lambda: subprocess.run(command, check=True, capture_output=True), max(repeat, 5)
        )
        floor = pages / seconds
    return Row(
        measure=f".pdf read (read_source), {path.name} ({pages} pages)",
        value=value,
        unit="pages/s",
        target=None,
        floor=floor,
    )


def run(quick: bool = False) -> list[Row]:
    """Measure reading: .txt (synthetic and seed), .docx (synthetic), .pdf (test fixture)."""
    repeat = 1 if quick else 5
    synthetic = write_sample(3 if quick else 40, ("txt",))
    size = sum(path.stat().st_size for path in synthetic) / MB
    rows = measure_txt(synthetic, f"{len(synthetic)} synthetic reports ({size:.1f} MB)", repeat)
    rows += measure_txt([SEED_REPORT], "seed report", 1 if quick else 20)
    rows += measure_docx(write_sample(2 if quick else 10, ("docx",)), repeat)
    pdf = measure_pdf(PDF_FIXTURE, repeat)
    if pdf is not None:
        rows.append(pdf)
    return rows
