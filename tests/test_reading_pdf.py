"""Reading PDF reports: reflow of wrapped lines, page furniture, header, errors.

The fixture tests/data/cwg-internet-11-final-report.pdf is the .docx fixture (Word numbering,
Word bullets, "- N -" page headers) exported by LibreOffice 7.4 with
tests/data/make_pdf_fixture.py. Its body reads back with the same ids, kinds and texts as the
.txt seed: no exception is needed at this page layout. Known limits of reflow, tested below on
small inputs: a line wrapped after a hyphen is joined without a space (right for "CWG-" /
"Internet", wrong for a typed "2017- 2020"), and a page-break paragraph boundary is seen only
when the previous page ends on a short line or the next page starts with a number or bullet.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from docx_fixture import SEED_TXT
from test_reading import assert_inventory_complete

from cwg_analysis.errors import ReportReadError
from cwg_analysis.reading import Source, read_source
from cwg_analysis.reading.pdf import _join_lines, _Line, _reflow

DATA = Path(__file__).resolve().parent / "data"
PDF_FIXTURE = DATA / "cwg-internet-11-final-report.pdf"
ENCRYPTED_FIXTURE = DATA / "encrypted-report.pdf"
BODY_COLUMNS = ["para_id", "section", "section_title", "kind", "text"]


@pytest.fixture(scope="module")
def from_pdf() -> Source:
    return read_source(PDF_FIXTURE)


def _body(source: Source) -> pd.DataFrame:
    body = source.paragraphs[source.paragraphs["kind"] != "header"]
    return body[BODY_COLUMNS].reset_index(drop=True)


def test_pdf_gives_the_same_ids_kinds_and_texts_as_the_txt_after_reflow(from_pdf):
    pd.testing.assert_frame_equal(_body(from_pdf), _body(read_source(SEED_TXT)))


def test_wrapped_lines_are_joined_into_one_paragraph(from_pdf):
    row = from_pdf.paragraphs.set_index("para_id").loc["1.1"]
    assert row["text"].startswith("ITU Secretary-General welcomed the participants")
    assert row["text"].endswith(
        "suggested that the Group continues to provide guidance on related matters."
    )
    assert from_pdf.text[row["span_start"] : row["span_end"]].count("\n") == 0


def test_page_numbers_are_dropped_and_counted_as_page_furniture(from_pdf):
    dropped = from_pdf.dropped
    assert list(dropped["rule"].unique()) == ["page_furniture"]
    assert list(dropped["text"]) == [f"- {n} -" for n in range(2, 11)]
    assert not from_pdf.paragraphs["text"].str.fullmatch(r"- \d+ -").any()


def test_every_non_empty_unit_of_the_pdf_text_is_a_paragraph_or_dropped(from_pdf):
    assert_inventory_complete(from_pdf)


def test_pdf_header_gives_meeting_dates_venue_symbol_and_report_date(from_pdf):
    meeting = from_pdf.meeting.iloc[0]
    assert meeting["meeting"] == 11
    assert (meeting["start_date"], meeting["end_date"]) == (
        pd.Timestamp("2018-01-25"),
        pd.Timestamp("2018-01-26"),
    )
    assert meeting["venue"] == "Geneva"
    assert meeting["report_symbol"] == "CWG-Internet-11/11"
    assert meeting["report_date"] == pd.Timestamp("2018-01-29")


def _line(page: int, y0: float, text: str, x0: float = 90.0, x1: float = 500.0) -> _Line:
    return _Line(page=page, x0=x0, x1=x1, y0=y0, height=12.0, text=text)


def test_reflow_breaks_on_a_wide_gap_a_list_number_or_a_short_line_before_a_page_break():
    lines = [
        _line(0, 700, "1.1\tThe Chairman opened the"),
        _line(0, 684, "meeting of the"),
        _line(0, 668, "CWG-"),
        _line(0, 652, "Internet and ended it.", x1=200),
        _line(0, 630, "A second paragraph after a gap", x1=495),
        _line(0, 614, "that goes on to the page end and"),
        _line(1, 700, "continues on the next page.", x1=220),
        _line(1, 684, "1.2\tNext numbered paragraph.", x1=300),
        _line(2, 700, "New page, new paragraph after a short line."),
        _line(2, 60, "- 3 -", x0=290, x1=310),
    ]
    text, furniture = _reflow(lines, {9})
    assert text.splitlines() == [
        "1.1\tThe Chairman opened the meeting of the CWG-Internet and ended it.",
        "A second paragraph after a gap that goes on to the page end and continues on the next "
        "page.",
        "1.2\tNext numbered paragraph.",
        "New page, new paragraph after a short line.",
        "- 3 -",
    ]
    assert furniture == frozenset({text.index("- 3 -")})


def test_a_line_ending_in_a_soft_hyphen_is_joined_without_it():
    assert _join_lines(["infor\u00ad", "mation and multi-", "stakeholder"]) == (
        "information and multi-stakeholder"
    )


def test_an_encrypted_pdf_is_refused(tmp_path):
    with pytest.raises(ReportReadError, match=r"encrypted-report\.pdf: encrypted pdf: a password"):
        read_source(ENCRYPTED_FIXTURE)


def test_a_file_named_pdf_that_is_not_one_is_corrupt(tmp_path):
    path = tmp_path / "fake.pdf"
    path.write_bytes(b"Just text pretending to be a PDF")
    with pytest.raises(ReportReadError, match=r"fake\.pdf: corrupt pdf: no %PDF header"):
        read_source(path)


def test_a_damaged_pdf_is_corrupt(tmp_path):
    path = tmp_path / "damaged.pdf"
    data = PDF_FIXTURE.read_bytes()
    path.write_bytes(data[:400] + b"\x00garbage\x00" * 50 + data[-300:])
    with pytest.raises(ReportReadError, match=r"damaged\.pdf: (corrupt pdf|empty file)"):
        read_source(path)


def test_a_pdf_without_a_text_layer_is_refused(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    with pytest.raises(
        ReportReadError,
        match=r"scan\.pdf: scanned PDF, no text layer: no text on any of its 1 page",
    ):
        read_source(path)
