"""Reading Word reports: Word's own numbering, header table, tracked changes, safety limits."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pandas as pd
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx_fixture import (
    SEED_TXT,
    TRACKED_DELETION,
    TRACKED_PARAGRAPH,
    build_report_docx,
)
from test_reading import assert_inventory_complete

from cwg_analysis.errors import ReportReadError, UnsafeFileError
from cwg_analysis.reading import Source, read_source
from cwg_analysis.reading.docx import extract_docx_text

BODY_COLUMNS = ["para_id", "section", "section_title", "kind", "text"]


@pytest.fixture(scope="module")
def report_docx(tmp_path_factory) -> Path:
    return build_report_docx(tmp_path_factory.mktemp("docx") / "cwg-internet-11.docx")


@pytest.fixture(scope="module")
def from_docx(report_docx) -> Source:
    return read_source(report_docx)


def _body(source: Source) -> pd.DataFrame:
    body = source.paragraphs[source.paragraphs["kind"] != "header"]
    return body[BODY_COLUMNS].reset_index(drop=True)


def _docx_with_numbering(tmp_path: Path, levels: str, paragraphs: list[tuple[int, int, str]]):
    """Write a .docx whose list 7 has the given levels; paragraphs are (numId, ilvl, text)."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num").addprevious(
        parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="7">{levels}</w:abstractNum>')
    )
    numbering.append(
        parse_xml(f'<w:num {nsdecls("w")} w:numId="7"><w:abstractNumId w:val="7"/></w:num>')
    )
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="8"><w:abstractNumId w:val="7"/>'
            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>'
        )
    )
    for num_id, ilvl, text in paragraphs:
        paragraph = document.add_paragraph(text)
        num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = ilvl
        num_pr.get_or_add_numId().val = num_id
    path = tmp_path / "numbering.docx"
    document.save(path)
    return path


def _level(ilvl: int, fmt: str, text: str, suffix: str = "tab") -> str:
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:suff w:val="{suffix}"/><w:lvlText w:val="{text}"/></w:lvl>'
    )


def _zip(members: dict[str, bytes], path: Path, **kwargs) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", **kwargs) as package:
        for name, data in members.items():
            package.writestr(name, data)
    path.write_bytes(buffer.getvalue())
    return path


def test_the_fixture_keeps_word_numbers_out_of_the_text_runs(report_docx):
    texts = [p.text for p in docx.Document(report_docx).paragraphs]
    assert "Discussion on the Report" in texts
    assert not any(t.startswith(("3.2", "1.")) for t in texts)


def test_word_numbered_docx_gives_the_same_ids_kinds_and_texts_as_the_txt(from_docx):
    pd.testing.assert_frame_equal(_body(from_docx), _body(read_source(SEED_TXT)))


def test_word_numbering_is_written_out_in_the_extracted_text(from_docx):
    lines = from_docx.text.splitlines()
    assert "3.2\tDiscussion on the Report" in lines
    assert "1.\tIntroduction" in lines
    assert any(line.startswith("•\tSome Member States highlighted") for line in lines)
    assert any(line.startswith("-\tto supplement Sections 2 and 3") for line in lines)
    assert any(line.startswith("5.4.1\tIndia commends") for line in lines)


def test_header_table_gives_meeting_dates_venue_symbol_and_report_date(from_docx):
    meeting = from_docx.meeting.iloc[0]
    assert meeting["meeting"] == 11
    assert (meeting["start_date"], meeting["end_date"]) == (
        pd.Timestamp("2018-01-25"),
        pd.Timestamp("2018-01-26"),
    )
    assert meeting["venue"] == "Geneva"
    assert meeting["report_symbol"] == "CWG-Internet-11/11"
    assert meeting["report_date"] == pd.Timestamp("2018-01-29")
    assert meeting["source_file"] == "cwg-internet-11.docx"
    header = from_docx.paragraphs[from_docx.paragraphs["kind"] == "header"]
    assert list(header["text"]) == [
        "Council Working Group on International Internet-related Public Policy Issues",
        "Eleventh meeting – Geneva, 25-26 January 2018",
        "Document WG-Internet 11/11-E",
        "29 January 2018",
        "English only",
    ]


def test_tracked_insertions_are_kept_and_tracked_deletions_are_not(from_docx):
    texts = dict(zip(from_docx.paragraphs["para_id"], from_docx.paragraphs["text"], strict=True))
    assert texts["7.3.1"] == TRACKED_PARAGRAPH
    assert TRACKED_DELETION not in from_docx.text


def test_content_controls_keep_their_text(from_docx, report_docx):
    with zipfile.ZipFile(report_docx) as package:
        assert package.read("word/document.xml").count(b"<w:sdt>") == 2
    texts = dict(zip(from_docx.paragraphs["para_id"], from_docx.paragraphs["text"], strict=True))
    assert texts["8.1"].startswith("All Member States were encouraged to use the discussions")
    assert texts["0+3"] == "Document WG-Internet 11/11-E"


def test_every_non_empty_unit_of_the_docx_text_is_a_paragraph(from_docx):
    assert_inventory_complete(from_docx)
    assert from_docx.dropped.empty


def test_word_number_formats_levels_suffixes_and_start_overrides(tmp_path):
    levels = (
        _level(0, "upperRoman", "%1.")
        + _level(1, "lowerLetter", "(%2)", "space")
        + _level(2, "decimal", "%1.%2.%3", "nothing")
    )
    paragraphs = [
        (7, 0, "First"),
        (7, 1, "sub a"),
        (7, 1, "sub b"),
        (7, 2, "Deep"),
        (7, 0, "Second"),
        (7, 1, "sub a again"),
        (7, 0, ""),
        (7, 0, "Fourth"),
        (8, 0, "Restarted at five"),
    ]
    text = extract_docx_text(
        _docx_with_numbering(tmp_path, levels, paragraphs).read_bytes(), tmp_path
    )
    assert text.splitlines() == [
        "I.\tFirst",
        "(a) sub a",
        "(b) sub b",
        "I.b.1Deep",
        "II.\tSecond",
        "(a) sub a again",
        "",
        "IV.\tFourth",
        "V.\tRestarted at five",
    ]


def test_a_password_protected_or_legacy_word_file_is_refused(tmp_path):
    path = tmp_path / "protected.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    with pytest.raises(ReportReadError, match=r"protected\.docx: encrypted or legacy Word file"):
        read_source(path)


def test_a_docx_that_is_not_a_zip_package_is_corrupt(tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"this is not a Word file")
    with pytest.raises(ReportReadError, match=r"broken\.docx: corrupt docx: not a ZIP package"):
        read_source(path)


def test_a_truncated_docx_is_corrupt(tmp_path, report_docx):
    path = tmp_path / "truncated.docx"
    path.write_bytes(report_docx.read_bytes()[:5000])
    with pytest.raises(ReportReadError, match=r"truncated\.docx: corrupt docx"):
        read_source(path)


def test_a_zip_without_a_word_document_is_corrupt(tmp_path):
    path = _zip({"hello.txt": b"hi"}, tmp_path / "empty.docx")
    with pytest.raises(ReportReadError, match=r"empty\.docx: corrupt docx: no main document part"):
        read_source(path)


def test_invalid_xml_in_the_document_is_corrupt(tmp_path):
    path = _zip({"word/document.xml": b"<w:document><unclosed>"}, tmp_path / "bad-xml.docx")
    with pytest.raises(ReportReadError, match=r"word/document\.xml: corrupt docx: invalid XML"):
        read_source(path)


def test_xml_entities_are_refused_as_unsafe(tmp_path):
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>'
    )
    path = _zip({"word/document.xml": laughs}, tmp_path / "laughs.docx")
    with pytest.raises(
        UnsafeFileError, match=r"laughs\.docx:word/document\.xml: XML declares a DTD"
    ):
        read_source(path)


def test_a_highly_compressed_part_is_refused_as_unsafe(tmp_path):
    bomb = {"word/document.xml": b"<a>" + b" " * (4 * 1024 * 1024) + b"</a>"}
    path = _zip(bomb, tmp_path / "bomb.docx", compression=zipfile.ZIP_DEFLATED)
    with pytest.raises(
        UnsafeFileError, match=r"bomb\.docx:word/document\.xml: part too large or too"
    ):
        read_source(path)


def test_a_docx_without_numbered_paragraphs_is_not_a_report(tmp_path):
    document = docx.Document()
    document.add_paragraph("Minutes of the staff party")
    document.save(tmp_path / "party.docx")
    with pytest.raises(ReportReadError, match=r"party\.docx: not a CWG meeting report"):
        read_source(tmp_path / "party.docx")


def test_footnotes_are_read_after_the_body_so_no_text_is_lost(tmp_path, report_docx):
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    footnotes = (
        f"<w:footnotes {w}>"
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r>'
        "<w:r><w:t>See https://www.itu.int/en/council/cwg-internet.</w:t></w:r></w:p></w:footnote>"
        "</w:footnotes>"
    ).encode()
    rel = (
        b'<Relationship Id="rIdNotes" Target="footnotes.xml" Type="http://schemas.openxmlformats'
        b'.org/officeDocument/2006/relationships/footnotes"/></Relationships>'
    )
    with zipfile.ZipFile(report_docx) as package:
        members = {name: package.read(name) for name in package.namelist()}
    rels = "word/_rels/document.xml.rels"
    members[rels] = members[rels].replace(b"</Relationships>", rel)
    members["word/footnotes.xml"] = footnotes
    source = read_source(_zip(members, tmp_path / "footnoted.docx"))
    last = source.paragraphs.iloc[-1]
    assert (last["para_id"], last["kind"]) == ("9.3+2", "text")
    assert last["text"] == "See https://www.itu.int/en/council/cwg-internet."


def _raw_docx(tmp_path: Path, styles: str, numbering: str, body: str) -> Path:
    """Write a .docx from raw styles, numbering and body XML (the default part names)."""
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    members = {
        "word/document.xml": f"<w:document {w}><w:body>{body}</w:body></w:document>",
        "word/styles.xml": f"<w:styles {w}>{styles}</w:styles>",
        "word/numbering.xml": f"<w:numbering {w}>{numbering}</w:numbering>",
    }
    return _zip({name: xml.encode() for name, xml in members.items()}, tmp_path / "raw.docx")


def _style(style_id: str, inner: str, kind: str = "paragraph") -> str:
    return f'<w:style w:type="{kind}" w:styleId="{style_id}">{inner}</w:style>'


def _num_pr(num_id: int, ilvl: int | None = None) -> str:
    level = "" if ilvl is None else f'<w:ilvl w:val="{ilvl}"/>'
    return f'<w:numPr>{level}<w:numId w:val="{num_id}"/></w:numPr>'


def _list(abstract_id: int, inner: str) -> str:
    return (
        f'<w:abstractNum w:abstractNumId="{abstract_id}">{inner}</w:abstractNum>'
        f'<w:num w:numId="{abstract_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>'
    )


def _para(text: str, ppr: str = "") -> str:
    return f"<w:p><w:pPr>{ppr}</w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"


# 200 table styles, about 12 KB: the styles part is read only as far as the styles in use.
TABLE_STYLES = "".join(_style(f"Grid{i}", "<w:tblPr/>", "table") for i in range(200))


def test_style_numbering_is_found_through_based_on_wherever_the_styles_are(tmp_path):
    styles = (
        _style("Point", '<w:basedOn w:val="PointBase"/>')
        + TABLE_STYLES
        + _style("PointBase", f"<w:pPr>{_num_pr(1, ilvl=1)}</w:pPr>")
        + _style("Point", f"<w:pPr>{_num_pr(2)}</w:pPr>")  # a duplicate id: the first counts
    )
    numbering = _list(1, _level(0, "decimal", "%1.") + _level(1, "lowerLetter", "(%2)"))
    numbering += _list(2, _level(0, "bullet", "\uf0b7"))
    body = _para("Scope", _num_pr(1, ilvl=0))
    body += _para("Alpha", '<w:pStyle w:val="Point"/>') + _para("Beta", '<w:pStyle w:val="Point"/>')
    path = _raw_docx(tmp_path, styles, numbering, body)
    assert extract_docx_text(path.read_bytes(), path) == "1.\tScope\n(a)\tAlpha\n(b)\tBeta"


def test_a_list_linked_to_a_numbering_style_takes_the_levels_of_the_list_it_links_to(tmp_path):
    styles = TABLE_STYLES + _style("LegalList", f"<w:pPr>{_num_pr(4)}</w:pPr>", "numbering")
    numbering = _list(3, '<w:numStyleLink w:val="LegalList"/>')
    numbering += _list(4, _level(0, "upperRoman", "%1)"))
    body = _para("Opening", _num_pr(3, ilvl=0)) + _para("Closing", _num_pr(3, ilvl=0))
    path = _raw_docx(tmp_path, styles, numbering, body)
    assert extract_docx_text(path.read_bytes(), path) == "I)\tOpening\nII)\tClosing"


def test_a_style_is_used_only_once_read_whole_though_it_spans_several_reads(tmp_path):
    # About 20 KB of revision ids before the numbering: the style arrives over several chunks.
    revisions = "".join(f'<w:rsid w:val="{i:08X}"/>' for i in range(800))
    styles = _style("Point", revisions + f"<w:pPr>{_num_pr(1, ilvl=1)}</w:pPr>") + TABLE_STYLES
    numbering = _list(1, _level(0, "decimal", "%1.") + _level(1, "lowerLetter", "(%2)"))
    body = _para("Alpha", '<w:pStyle w:val="Point"/>') + _para("Beta", '<w:pStyle w:val="Point"/>')
    path = _raw_docx(tmp_path, styles, numbering, body)
    assert extract_docx_text(path.read_bytes(), path) == "(a)\tAlpha\n(b)\tBeta"


def test_the_styles_part_is_read_only_as_far_as_the_styles_in_use(tmp_path):
    styles = _style("Point", f"<w:pPr>{_num_pr(1)}</w:pPr>") + TABLE_STYLES + "<w:style <damaged"
    numbering = _list(1, _level(0, "decimal", "%1."))
    path = _raw_docx(tmp_path, styles, numbering, _para("Scope", '<w:pStyle w:val="Point"/>'))
    assert extract_docx_text(path.read_bytes(), path) == "1.\tScope"


def test_a_list_defined_after_its_use_takes_the_level_linked_to_the_paragraph_style(tmp_path):
    styles = _style("Point", f"<w:pPr>{_num_pr(9)}</w:pPr>")  # a list, no level: the link says
    linked = '<w:lvl w:ilvl="1"><w:numFmt w:val="upperLetter"/><w:pStyle w:val="Point"/>'
    linked += '<w:lvlText w:val="%2."/></w:lvl>'
    numbering = "".join(_list(i, _level(0, "decimal", "%1.")) for i in range(1, 9))
    numbering += '<w:num w:numId="9"><w:abstractNumId w:val="9"/></w:num>'
    numbering += f'<w:abstractNum w:abstractNumId="9">{_level(0, "decimal", "%1)")}{linked}'
    numbering += "</w:abstractNum>"
    body = _para("Alpha", '<w:pStyle w:val="Point"/>') + _para("Beta", '<w:pStyle w:val="Point"/>')
    path = _raw_docx(tmp_path, styles, numbering, body)
    assert extract_docx_text(path.read_bytes(), path) == "A.\tAlpha\nB.\tBeta"


def test_a_list_defined_twice_takes_its_last_definition(tmp_path):
    numbering = _list(1, _level(0, "decimal", "%1."))
    numbering += f'<w:abstractNum w:abstractNumId="1">{_level(0, "lowerRoman", "%1)")}'
    numbering += "</w:abstractNum>"
    body = _para("Scope", _num_pr(1, ilvl=0)) + _para("Aims", _num_pr(1, ilvl=0))
    path = _raw_docx(tmp_path, "", numbering, body)
    assert extract_docx_text(path.read_bytes(), path) == "i)\tScope\nii)\tAims"
