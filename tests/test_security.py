"""Hostile inputs, one test per case: crafted files, broken data, strings that would be markup.

Reports arrive as email attachments and web downloads, reference CSVs are edited by hand and the
HTML goes to Council members. Each hostile file must end in a clear error of the project's
family naming the file and the reason, quickly and within bounded memory; each broken table
must be reported row by row; no string from a document or the data may run as script.
The limits are in cwg_analysis/reading/guards.py and SECURITY.md.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
import textwrap
import time
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from docx_fixture import SEED_TXT, TRACKED_DELETION, TRACKED_INSERTION, build_report_docx
from project_data import REPO_DATA, copy_data, use_root
from test_reading import assert_inventory_complete

from cwg_analysis.errors import (
    CwgAnalysisError,
    DataValidationError,
    ReportReadError,
    UnsafeFileError,
)
from cwg_analysis.reading import guards, read_source

DATA = Path(__file__).resolve().parent / "data"
PDF_FIXTURE = DATA / "cwg-internet-11-final-report.pdf"
BODY = "1.\tIntroduction\n1.1\tThe Chairman opened the meeting.\n"
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
HELVETICA = b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>"
PDF_TEXT = b"BT /F1 12 Tf 72 720 Td (1.1 The Chairman opened the meeting.) Tj ET\n"


# --- builders --------------------------------------------------------------------------------


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def zip_bytes(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as package:
        for name, data in members.items():
            package.writestr(name, data)
    return buffer.getvalue()


def docx_members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist()}


def word_document(*paragraphs: str) -> bytes:
    """Return a word/document.xml holding the given raw paragraph XML."""
    return f"<w:document {W_NS}><w:body>{''.join(paragraphs)}</w:body></w:document>".encode()


def numbered_paragraph(text: str) -> str:
    return f"<w:p><w:r><w:t xml:space='preserve'>{text}</w:t></w:r></w:p>"


def minimal_pdf(
    content: bytes,
    *,
    filters: bytes = b"/FlateDecode",
    encode=zlib.compress,
    font: bytes = HELVETICA,
    pages: int = 1,
) -> bytes:
    """Return a small valid PDF of ``pages`` pages, each with its own copy of one content."""
    stream = encode(content)
    contents = b"<</Length %d/Filter %s>>stream\n" % (len(stream), filters) + stream
    kids = b" ".join(b"%d 0 R" % (5 + 2 * i) for i in range(pages))
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[%s]/Count %d>>" % (kids, pages),
        b"<</Font<</F1 4 0 R>>>>",
        font,
    ]
    for i in range(pages):
        objects += [
            b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources 3 0 R/Contents %d 0 R>>"
            % (6 + 2 * i),
            contents + b"\nendstream",
        ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def deflate_zeros(prefix: bytes, mib: int) -> bytes:
    """Return ``prefix`` and ``mib`` MiB of zero bytes as one deflate stream, built in pieces."""
    deflate = zlib.compressobj(6)
    block = bytes(1 << 20)
    pieces = [deflate.compress(prefix), *(deflate.compress(block) for _ in range(mib))]
    return b"".join(pieces) + deflate.flush()


def write_xml_bomb(path: Path, mib: int) -> Path:
    """Write a .docx whose document.xml expands to ``mib`` MiB of paragraphs, built in pieces."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/_rels/document.xml.rels", b"<Relationships/>")
        with package.open("word/document.xml", "w") as handle:
            handle.write(f"<w:document {W_NS}><w:body>".encode())
            chunk = b"<w:p><w:r><w:t>1.1 Opened.</w:t></w:r></w:p>" * 20_000
            for _ in range(mib * 1024 * 1024 // len(chunk)):
                handle.write(chunk)
            handle.write(b"</w:body></w:document>")
    return path


def ole_container(*stream_names: str) -> bytes:
    """Return the start of an OLE/CFB container whose directory names the given streams.

    A 512-byte header with the CFB signature, then a directory sector of 128-byte entries,
    each starting with its UTF-16LE name, as in [MS-CFB] 2.6. An encrypted .docx holds the
    streams EncryptionInfo and EncryptedPackage ([MS-OFFCRYPTO] 2.3.4); a Word 97-2003 .doc
    holds WordDocument. No reader needs more than this to tell them apart.
    """
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    entries = b"".join(
        name.encode("utf-16-le").ljust(64, b"\x00") + bytes(64)
        for name in ("Root Entry", *stream_names)
    )
    return header + entries.ljust(512, b"\x00")


@pytest.fixture(scope="module")
def seed_docx(tmp_path_factory) -> Path:
    return build_report_docx(tmp_path_factory.mktemp("seed") / "seed.docx")


@pytest.fixture(scope="module")
def xml_bomb(tmp_path_factory) -> Path:
    """The issue's probe: a .docx of about 1 MB whose document.xml expands to 300 MB."""
    return write_xml_bomb(tmp_path_factory.mktemp("bomb") / "bomb.docx", 300)


@pytest.fixture(scope="module")
def pdf_bomb(tmp_path_factory) -> Path:
    """A PDF of about 250 KB whose page content inflates to 256 MiB."""
    stream = deflate_zeros(PDF_TEXT, 256)
    path = tmp_path_factory.mktemp("bomb") / "bomb.pdf"
    path.write_bytes(minimal_pdf(b"", encode=lambda _: stream))
    return path


# --- wrong type for the name ------------------------------------------------------------------


def test_a_pdf_named_txt_is_refused_as_the_wrong_file_type(tmp_path):
    path = write(tmp_path, "report.txt", PDF_FIXTURE.read_bytes())
    with pytest.raises(
        ReportReadError,
        match=r"report\.txt: wrong file type: the content is a PDF document, not a text report; "
        r"rename it to \.pdf",
    ):
        read_source(path)


def test_a_docx_named_txt_is_refused_as_the_wrong_file_type(tmp_path, seed_docx):
    path = write(tmp_path, "report.txt", seed_docx.read_bytes())
    with pytest.raises(
        ReportReadError, match=r"report\.txt: wrong file type: the content is a ZIP package"
    ):
        read_source(path)


def test_a_docx_named_pdf_is_refused_as_the_wrong_file_type(tmp_path, seed_docx):
    path = write(tmp_path, "report.pdf", seed_docx.read_bytes())
    with pytest.raises(
        ReportReadError,
        match=r"report\.pdf: wrong file type: the content is a ZIP package \(a Word \.docx\?\), "
        r"not a PDF document; rename it to \.docx",
    ):
        read_source(path)


def test_a_pdf_named_docx_is_refused_as_the_wrong_file_type(tmp_path):
    path = write(tmp_path, "report.docx", PDF_FIXTURE.read_bytes())
    with pytest.raises(
        ReportReadError,
        match=r"report\.docx: wrong file type: the content is a PDF document, not a Word \.docx "
        r"package; rename it to \.pdf",
    ):
        read_source(path)


@pytest.mark.parametrize(
    ("content", "what"),
    [
        (b"<!DOCTYPE html><html><body><p>1.1 Opened.</p></body></html>", "an HTML page"),
        (b"{\\rtf1\\ansi 1.1 Opened.}", "an RTF document"),
        (b"\x89PNG\r\n\x1a\n" + bytes(64), "a PNG image"),
        (b"\x1f\x8b\x08\x00" + bytes(64), "a gzip archive"),
    ],
)
def test_other_formats_named_txt_are_refused_as_the_wrong_file_type(tmp_path, content, what):
    path = write(tmp_path, "report.txt", content)
    with pytest.raises(
        ReportReadError, match=rf"report\.txt: wrong file type: the content is {what}"
    ):
        read_source(path)


@pytest.mark.parametrize(
    ("folder", "what"),
    [("xl/workbook.xml", "an Excel workbook"), ("content.xml", r"an OpenDocument file")],
)
def test_another_office_package_named_docx_is_refused_as_the_wrong_file_type(
    tmp_path, folder, what
):
    path = write(tmp_path, "report.docx", zip_bytes({folder: b"<x/>"}))
    with pytest.raises(
        ReportReadError, match=rf"report\.docx: wrong file type: the content is {what}"
    ):
        read_source(path)


# --- text: binary junk, encodings, sizes -------------------------------------------------------


def test_binary_junk_with_a_txt_name_is_refused_as_binary(tmp_path):
    junk = random.Random(9).randbytes(100_000)
    path = write(tmp_path, "junk.txt", b"1. Introduction\n" + junk)
    with pytest.raises(
        ReportReadError, match=r"junk\.txt:byte \d+: binary data, not a text report"
    ):
        read_source(path)


def test_binary_junk_raises_no_encoding_warning_before_its_error(tmp_path, recwarn):
    path = write(tmp_path, "junk.txt", b"1. Introduction\n\x93\x00\x00\x01")
    with pytest.raises(ReportReadError, match=r"junk\.txt:byte 17: binary data"):
        read_source(path)
    assert [str(w.message) for w in recwarn] == []


def test_cyrillic_text_in_cp1251_fails_clearly_instead_of_becoming_mojibake(tmp_path):
    text = "1. Введение\n1.1 Российская Федерация представила документ.\n"
    path = write(tmp_path, "cp1251.txt", text.encode("cp1251"))
    with pytest.raises(
        ReportReadError,
        match=r"cp1251\.txt:byte 3: not UTF-8, and cp1252 would give mojibake \(100% of the "
        r"letters accented\): 'Ââåäåíèå.*save the file as UTF-8",
    ):
        read_source(path)


def test_utf16_without_a_byte_order_mark_is_detected_and_decoded(tmp_path):
    path = write(tmp_path, "utf16.txt", BODY.encode("utf-16-le"))
    source = read_source(path)
    assert source.text == BODY
    assert list(source.paragraphs["text"]) == ["Introduction", "The Chairman opened the meeting."]
    path = write(tmp_path, "utf16be.txt", BODY.encode("utf-16-be"))
    assert read_source(path).text == BODY


def test_text_decoded_twice_is_reported_with_where_and_what(tmp_path):
    text = "1. Introduction\n1.1 ITU’s role was noted by the Secretary-General.\n"
    twice = text.encode("utf-8").decode("cp1252").encode("utf-8")
    path = write(tmp_path, "twice.txt", twice)
    with pytest.warns(
        UnicodeWarning,
        match=r"twice\.txt:char 23: text looks decoded twice \(UTF-8 read as cp1252\): "
        r"'\\n1\.1 ITUâ€™s role w'; fix the file's encoding",
    ):
        source = read_source(path)
    assert "ITUâ€™s" in source.paragraphs["text"].iloc[1]  # kept as written: the file is wrong


def test_a_clean_utf8_report_raises_no_encoding_warning(recwarn):
    read_source(SEED_TXT)
    assert [w for w in recwarn if issubclass(w.category, UnicodeWarning)] == []


def test_a_50_mb_single_line_file_is_refused_in_bounded_time(tmp_path):
    path = tmp_path / "one-line.txt"
    with path.open("wb") as handle:
        handle.write(b"1.\tIntroduction\n1.1 ")
        handle.write(b"Some Member States supported the proposal WG-Internet 11/3. " * 860_000)
    assert path.stat().st_size > 50_000_000
    started = time.perf_counter()
    with pytest.raises(UnsafeFileError, match=r"one-line\.txt: text too long: 51,600,020 bytes"):
        read_source(path)
    assert time.perf_counter() - started < 2


def test_a_line_longer_than_the_paragraph_limit_is_refused_naming_its_line(tmp_path):
    line = "Some Member States supported the proposal WG-Internet 11/3. " * 2_000
    path = write(tmp_path, "long-line.txt", f"{BODY}1.2 {line}\n1.3 Closed.\n".encode())
    started = time.perf_counter()
    with pytest.raises(
        UnsafeFileError,
        match=r"long-line\.txt:line 3: line too long: 120,004 characters in one paragraph "
        r"\(limit 100,000\)",
    ):
        read_source(path)
    assert time.perf_counter() - started < 1


def test_a_text_over_the_character_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(guards, "MAX_TEXT_CHARS", 1_000)
    path = write(tmp_path, "long.txt", (BODY * 30).encode())
    with pytest.raises(
        UnsafeFileError, match=r"long\.txt: text too long: 1,590 characters \(limit 1,000\)"
    ):
        read_source(path)


@pytest.mark.parametrize(
    "unit",
    [
        "1." * 50,  # numbers without end
        "[bookmark: " * 10,  # artefacts without end
        "- " * 50,  # bullets without text
        " \t\u00a0" * 30,  # whitespace runs
        "(" * 50 + "“",  # openers
        "Page 1 of 2 - 3 - " * 5,  # page furniture without line breaks
    ],
    ids=["numbers", "artefacts", "bullets", "whitespace", "openers", "furniture"],
)
def test_adversarial_lines_near_the_limits_read_in_linear_time(tmp_path, unit):
    line = (unit * (99_000 // len(unit) + 1))[:99_000]
    text = BODY + "\n".join(f"1.{i} {line}" for i in range(2, 42)) + "\n"
    path = write(tmp_path, "adversarial.txt", text.encode())
    started = time.perf_counter()
    try:
        source = read_source(path)
    except CwgAnalysisError:
        pass
    else:
        assert_inventory_complete(source)
    assert time.perf_counter() - started < 10  # about 4 MB of text: linear is about 1 s


def test_a_report_repeating_one_number_thousands_of_times_logs_one_short_line(tmp_path, caplog):
    path = write(tmp_path, "repeats.txt", ("1.1 Again.\n" * 5_000).encode())
    source = read_source(path)
    assert source.paragraphs["para_id"].iloc[-1] == "1.1#5000"
    [line] = [r.getMessage() for r in caplog.records if "repeated" in r.getMessage()]
    assert line.endswith(
        "['1.1#2', '1.1#3', '1.1#4', '1.1#5', '1.1#6', '1.1#7', '1.1#8', "
        "'1.1#9', '1.1#10', '1.1#11'] and 4,989 more"
    )


def test_a_paragraph_at_the_length_limit_goes_through_extraction_in_bounded_time(tmp_path):
    """Every symbol mention must not rescan the paragraph before it (quadratic: 6 s here)."""
    from cwg_analysis.report import read_report

    unit = "Some Member States supported the proposal WG-Internet 11/3 of the Russian Federation; "
    line = (unit * (99_000 // len(unit) + 1))[:99_000]
    path = write(tmp_path, "dense.txt", f"1.\tIntroduction\n1.1 {line}\n".encode())
    read_report(SEED_TXT)  # imports and caches out of the measure
    started = time.perf_counter()
    report = read_report(path)
    assert time.perf_counter() - started < 3
    assert len(report.statements) > 900


# --- .docx: ZIP and XML bombs, encryption, nesting, Word features -------------------------------


def test_a_docx_that_expands_to_300_mb_of_xml_is_refused_before_decompressing(xml_bomb):
    """The issue's probe: python-docx took 3.9 GB of memory on such a file."""
    assert xml_bomb.stat().st_size < 1_500_000
    started = time.perf_counter()
    with pytest.raises(
        UnsafeFileError,
        match=r"bomb\.docx:word/document\.xml: part too large or too compressed: "
        r"314,\d{3},\d{3} bytes \(limit 33,554,432 a part\)",
    ):
        read_source(xml_bomb)
    assert time.perf_counter() - started < 0.1


def test_a_part_that_compresses_too_well_is_refused_as_a_zip_bomb(tmp_path):
    xml = word_document(numbered_paragraph("1.1 Opened.") + " " * 2_000_000)
    path = write(tmp_path, "ratio.docx", zip_bytes({"word/document.xml": xml}))
    with pytest.raises(
        UnsafeFileError,
        match=r"ratio\.docx:word/document\.xml: part too large or too compressed: 2,000,\d{3} "
        r"bytes from [\d,]+, ratio \d+ \(limit 200; a ZIP bomb\?\)",
    ):
        read_source(path)


def test_xml_parts_too_large_together_are_refused(tmp_path, monkeypatch, seed_docx):
    monkeypatch.setattr(guards, "MAX_XML_TOTAL_BYTES", 100_000)
    path = write(tmp_path, "parts.docx", seed_docx.read_bytes())
    with pytest.raises(
        UnsafeFileError, match=r"parts\.docx:word/\w+\.xml: XML parts too large together"
    ):
        read_source(path)


def test_a_package_declaring_too_much_data_is_refused_from_its_directory(
    tmp_path, monkeypatch, seed_docx
):
    monkeypatch.setattr(guards, "MAX_ZIP_UNCOMPRESSED_BYTES", 50_000)
    path = write(tmp_path, "declared.docx", seed_docx.read_bytes())
    with pytest.raises(
        UnsafeFileError,
        match=r"declared\.docx: package too large when uncompressed: [\d,]+ bytes declared "
        r"\(limit 50,000\)",
    ):
        read_source(path)


def test_a_package_with_too_many_parts_is_refused_before_zipfile_lists_them(tmp_path, seed_docx):
    members = docx_members(seed_docx)
    members.update({f"word/media/empty{i}.bin": b"" for i in range(6_000)})
    path = write(tmp_path, "many.docx", zip_bytes(members, zipfile.ZIP_STORED))
    with pytest.raises(
        UnsafeFileError, match=r"many\.docx: too many parts in the package: 6,0\d\d \(limit 5,000\)"
    ):
        read_source(path)


def test_the_smallest_package_with_too_many_parts_is_still_counted_and_refused(tmp_path):
    """A file too small to hold more directory records than the limit is not scanned."""
    names = [f"{i:03x}" for i in range(guards.MAX_ZIP_ENTRIES + 1)]  # three-letter names
    path = write(tmp_path, "dense.docx", zip_bytes(dict.fromkeys(names, b""), zipfile.ZIP_STORED))
    with pytest.raises(
        UnsafeFileError, match=r"dense\.docx: too many parts in the package: 5,001 \(limit 5,000\)"
    ):
        read_source(path)


@pytest.mark.parametrize(
    "part",
    [
        "word/document.xml",
        "word/styles.xml",
        "word/numbering.xml",
        "word/_rels/document.xml.rels",
        "_rels/.rels",
    ],
)
def test_a_dtd_in_any_xml_part_is_refused(tmp_path, seed_docx, part):
    members = docx_members(seed_docx)
    members[part] = b'<?xml version="1.0"?><!DOCTYPE x>' + members[part].split(b"?>", 1)[1]
    path = write(tmp_path, "dtd.docx", zip_bytes(members))
    with pytest.raises(UnsafeFileError, match=rf"dtd\.docx:{part}: XML declares a DTD"):
        read_source(path)


# Nine levels of ten references each: a billion "lol"s once expanded (3 GB).
BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10) for i in range(1, 10))
    + b"]>"
)


@pytest.mark.parametrize(
    ("part", "xml", "refusal"),
    [
        (
            "word/document.xml",
            BILLION_LAUGHS + word_document(numbered_paragraph("1.1 &lol9;")),
            "XML over the parser's safety limits",
        ),
        (  # the styles part is read as a stream, only as far as the styles in use
            "word/styles.xml",
            BILLION_LAUGHS + f"<w:styles {W_NS}>&lol9;</w:styles>".encode(),
            "XML over the parser's safety limits",
        ),
        (
            "word/styles.xml",
            f"<w:styles {W_NS}>{'<w:x>' * 5_000}{'</w:x>' * 5_000}</w:styles>".encode(),
            "XML nested too deeply to read",
        ),
        (
            "word/styles.xml",
            f'<?xml version="1.0"?><!DOCTYPE x><w:styles {W_NS}/>'.encode(),
            "XML declares a DTD",
        ),
    ],
)
def test_entity_expansion_deep_nesting_and_dtds_are_refused_in_every_way_a_part_is_read(
    tmp_path, part, xml, refusal
):
    members = {
        "word/document.xml": word_document(numbered_paragraph("1.1 Opened.")),
        "word/styles.xml": f"<w:styles {W_NS}/>".encode(),
        part: xml,
    }
    path = write(tmp_path, "hostile.docx", zip_bytes(members))
    with pytest.raises(UnsafeFileError, match=rf"hostile\.docx:{part}: {refusal}"):
        read_source(path)


def test_an_external_entity_is_refused_and_never_read(tmp_path):
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY secret SYSTEM "file:///etc/hostname">]>'
        + word_document(numbered_paragraph("1.1 &secret;"))
    )
    path = write(tmp_path, "xxe.docx", zip_bytes({"word/document.xml": xxe}))
    with pytest.raises(UnsafeFileError, match=r"xxe\.docx:word/document\.xml: XML declares a DTD"):
        read_source(path)


def test_a_password_protected_docx_says_so(tmp_path):
    path = write(tmp_path, "secret.docx", ole_container("EncryptionInfo", "EncryptedPackage"))
    with pytest.raises(
        ReportReadError,
        match=r"secret\.docx: encrypted Word file: the \.docx is password-protected; remove the "
        r"password",
    ):
        read_source(path)


def test_a_legacy_doc_named_docx_says_so(tmp_path):
    path = write(tmp_path, "old.docx", ole_container("WordDocument", "1Table"))
    with pytest.raises(
        ReportReadError,
        match=r"old\.docx: legacy Word file: a Word 97-2003 \.doc named \.docx; save it as \.docx",
    ):
        read_source(path)


def test_zip_level_encrypted_parts_are_refused(tmp_path, seed_docx):
    data = bytearray(zip_bytes(docx_members(seed_docx), zipfile.ZIP_STORED))
    for signature, flags in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # general purpose flags
        at = data.find(signature)
        while at != -1:
            data[at + flags] |= 0x1
            at = data.find(signature, at + 4)
    path = write(tmp_path, "zipcrypto.docx", bytes(data))
    with pytest.raises(
        ReportReadError, match=r"zipcrypto\.docx: encrypted ZIP parts cannot be read: "
    ):
        read_source(path)


@pytest.mark.parametrize("wrapper", ["w:hyperlink", "w:smartTag", "w:sdt"])
def test_xml_nested_thousands_deep_is_refused_not_a_crash(tmp_path, wrapper):
    inner = "<w:r><w:t>1.1 Deep.</w:t></w:r>"
    if wrapper == "w:sdt":  # block-level content controls around a paragraph
        body = "<w:sdt><w:sdtContent>" * 5_000 + f"<w:p>{inner}</w:p>"
        body += "</w:sdtContent></w:sdt>" * 5_000
    else:
        body = f"<w:p>{f'<{wrapper}>' * 5_000}{inner}{f'</{wrapper}>' * 5_000}</w:p>"
    path = write(tmp_path, "deep.docx", zip_bytes({"word/document.xml": word_document(body)}))
    with pytest.raises(
        UnsafeFileError, match=r"deep\.docx:word/document\.xml: XML nested too deeply to read"
    ):
        read_source(path)


def test_a_huge_list_start_cannot_make_letter_labels_of_megabytes(tmp_path):
    numbering = (
        f'<w:numbering {W_NS}><w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0">'
        '<w:start w:val="2000000000"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%1)"/>'
        '</w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>'
        "</w:numbering>"
    ).encode()
    item = (
        '<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>'
        "<w:r><w:t>An item.</w:t></w:r></w:p>"
    )
    members = {
        "word/document.xml": word_document(numbered_paragraph("1.1 Opened."), item * 200),
        "word/numbering.xml": numbering,
    }
    path = write(tmp_path, "letters.docx", zip_bytes(members))
    source = read_source(path)
    assert len(source.text) < 10_000
    assert source.paragraphs["text"].iloc[1] == "2000000000) An item."


def test_a_symbol_that_is_half_a_character_never_reaches_the_text(tmp_path):
    symbol = '<w:p><w:r><w:t>1.1 A</w:t></w:r><w:r><w:sym w:char="D800"/></w:r></w:p>'
    path = write(tmp_path, "sym.docx", zip_bytes({"word/document.xml": word_document(symbol)}))
    source = read_source(path)
    assert source.paragraphs["text"].tolist() == ["A"]
    source.paragraphs.to_parquet(tmp_path / "paragraphs.parquet")  # would fail on a surrogate


def test_what_python_docx_drops_the_reader_keeps(seed_docx):
    """python-docx skips tracked insertions and content controls; the reader must not."""
    dropped_by_python_docx = "\n".join(p.text for p in docx.Document(seed_docx).paragraphs)
    assert TRACKED_INSERTION not in dropped_by_python_docx
    assert "All Member States were encouraged" not in dropped_by_python_docx
    source = read_source(seed_docx)
    texts = dict(zip(source.paragraphs["para_id"], source.paragraphs["text"], strict=True))
    assert TRACKED_INSERTION in texts["7.3.1"]
    assert texts["8.1"].startswith("All Member States were encouraged")
    assert TRACKED_DELETION not in source.text


def test_moved_text_nested_content_controls_and_fields_keep_their_text(tmp_path):
    body = (
        numbered_paragraph("1.1 Opened.")
        + "<w:p><w:moveFrom><w:r><w:t>1.2 Moved away.</w:t></w:r></w:moveFrom>"
        "<w:moveTo><w:r><w:t>1.2 Moved here.</w:t></w:r></w:moveTo></w:p>"
        "<w:tbl><w:tr><w:tc><w:sdt><w:sdtContent><w:p><w:sdt><w:sdtContent>"
        "<w:r><w:t>1.3 In a control in a cell.</w:t></w:r></w:sdtContent></w:sdt></w:p>"
        "</w:sdtContent></w:sdt></w:tc></w:tr></w:tbl>"
        "<w:p><w:r><w:t>1.4 See </w:t></w:r><w:r><w:fldChar w:fldCharType='begin'/></w:r>"
        "<w:r><w:instrText>HYPERLINK https://evil.example</w:instrText></w:r>"
        "<w:r><w:fldChar w:fldCharType='separate'/></w:r><w:r><w:t>the page</w:t></w:r>"
        "<w:r><w:fldChar w:fldCharType='end'/></w:r></w:p>"
    )
    path = write(tmp_path, "features.docx", zip_bytes({"word/document.xml": word_document(body)}))
    source = read_source(path)
    assert source.paragraphs["text"].tolist() == [
        "Opened.",
        "Moved here.",
        "In a control in a cell.",
        "See the page",
    ]
    assert "evil.example" not in source.text and "Moved away" not in source.text


def test_an_embedded_document_the_reader_cannot_read_is_reported_not_silently_lost(
    tmp_path, caplog
):
    body = numbered_paragraph("1.1 Opened.") + '<w:altChunk r:id="rIdHtml" xmlns:r="urn:r"/>'
    path = write(tmp_path, "chunk.docx", zip_bytes({"word/document.xml": word_document(body)}))
    assert read_source(path).paragraphs["text"].tolist() == ["Opened."]
    assert "chunk.docx: 1 embedded document(s) (w:altChunk) not read: their text is missing" in (
        caplog.text
    )


# --- .pdf: decompression bombs, damaged streams, scans, glyphs, sizes ---------------------------


def test_a_pdf_whose_content_inflates_to_256_mb_is_refused(pdf_bomb):
    assert pdf_bomb.stat().st_size < 300_000
    started = time.perf_counter()
    with pytest.raises(
        UnsafeFileError,
        match=r"bomb\.pdf: PDF stream too large when decoded \(FlateDecode\): more than "
        r"33,554,432 bytes \(a decompression bomb\?\)",
    ):
        read_source(pdf_bomb)
    assert time.perf_counter() - started < 2
    from pdfminer import pdftypes

    assert pdftypes.zlib is zlib  # pdfminer's own decoders are back after the read


def test_a_doubly_compressed_pdf_stream_is_refused(tmp_path):
    inner = deflate_zeros(PDF_TEXT, 40)  # 40 MiB behind 40 KB, behind 1 KB
    path = write(
        tmp_path,
        "double.pdf",
        minimal_pdf(inner, filters=b"[/FlateDecode/FlateDecode]", encode=zlib.compress),
    )
    assert path.stat().st_size < 2_000
    with pytest.raises(UnsafeFileError, match=r"double\.pdf: PDF stream too large when decoded"):
        read_source(path)


def test_a_runlength_bomb_is_refused(tmp_path):
    runs = b"\x81 " * 300_000  # 128 spaces for every 2 bytes: 38 MB
    path = write(
        tmp_path,
        "runs.pdf",
        minimal_pdf(
            PDF_TEXT,
            filters=b"[/FlateDecode/RunLengthDecode]",
            encode=lambda _: zlib.compress(runs),
        ),
    )
    with pytest.raises(
        UnsafeFileError, match=r"runs\.pdf: PDF stream too large when decoded \(RunLengthDecode\)"
    ):
        read_source(path)


def test_pdf_streams_too_large_together_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(guards, "MAX_PDF_DECODED_BYTES", 20_000)
    content = PDF_TEXT + b"\n" * 3_000
    path = write(tmp_path, "together.pdf", minimal_pdf(content, pages=10))
    with pytest.raises(
        UnsafeFileError, match=r"together\.pdf: PDF streams too large together when decoded"
    ):
        read_source(path)


def test_a_damaged_deflate_stream_is_recovered_in_linear_time(tmp_path):
    """pdfminer alone repairs it a byte at a time, in quadratic time (minutes for 2 MB)."""
    filler = random.Random(3).randbytes(1_500_000).hex().encode()  # 3 MB of hex digits
    content = PDF_TEXT + b"%" + filler + b"\n"  # a comment line the interpreter skips
    stream = zlib.compress(content)
    damaged = stream[:-4] + bytes(4)  # the Adler-32 checksum is wrong
    path = write(tmp_path, "damaged.pdf", minimal_pdf(b"", encode=lambda _: damaged))
    started = time.perf_counter()
    source = read_source(path)
    assert time.perf_counter() - started < 5
    assert source.paragraphs["text"].tolist() == ["The Chairman opened the meeting."]


def test_a_scanned_pdf_with_only_an_image_says_scanned_pdf_no_text_layer(tmp_path):
    image = b"q 595 0 0 842 0 0 cm BI /W 2 /H 2 /CS /G /BPC 8 ID \x00\xff\xff\x00 EI Q\n"
    path = write(tmp_path, "scan.pdf", minimal_pdf(image, pages=3))
    with pytest.raises(
        ReportReadError,
        match=r"scan\.pdf: scanned PDF, no text layer: no text on any of its 3 page\(s\); make "
        r"it searchable with OCR",
    ):
        read_source(path)


def test_a_pdf_whose_glyphs_map_to_no_characters_is_refused_not_read_as_cid_codes(tmp_path):
    font = (
        b"<</Type/Font/Subtype/Type0/BaseFont/Hidden/Encoding/Identity-H/DescendantFonts[<</Type"
        b"/Font/Subtype/CIDFontType2/BaseFont/Hidden/CIDSystemInfo<</Registry(Adobe)/Ordering"
        b"(Identity)/Supplement 0>>/DW 500>>]>>"
    )
    glyphs = b"".join(b"%04x" % (40 + i % 30) for i in range(40))
    content = b"BT /F1 12 Tf 72 720 Td <%s> Tj ET BT /F1 12 Tf 72 700 Td <%s> Tj ET" % (
        glyphs,
        glyphs,
    )
    path = write(tmp_path, "cid.pdf", minimal_pdf(content, font=font))
    with pytest.raises(
        ReportReadError,
        match=r"cid\.pdf: PDF text cannot be read: 100% of the text layer is glyphs without a "
        r"Unicode mapping \(\(cid:40\)\)",
    ):
        read_source(path)


def test_a_pdf_with_more_pages_than_the_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr("cwg_analysis.reading.pdf.MAX_PDF_PAGES", 5)
    path = write(tmp_path, "pages.pdf", PDF_FIXTURE.read_bytes())
    with pytest.raises(UnsafeFileError, match=r"pages\.pdf: too many pages: more than 5"):
        read_source(path)


def test_a_page_with_too_many_characters_is_refused_before_its_layout(tmp_path):
    lines = b"\n".join(
        b"BT /F1 6 Tf 20 %d Td (%s) Tj ET" % (800 - (i % 90) * 8, b"a " * 60)
        for i in range(400)  # 48,000 characters piled on one page
    )
    path = write(tmp_path, "dense.pdf", minimal_pdf(PDF_TEXT + lines))
    started = time.perf_counter()
    with pytest.raises(
        UnsafeFileError,
        match=r"dense\.pdf:page 1: too many characters on one page: more than 20,000",
    ):
        read_source(path)
    assert time.perf_counter() - started < 2


def test_pdf_objects_nested_deeply_do_not_crash_the_reader(tmp_path):
    pdf = minimal_pdf(PDF_TEXT).replace(b"/MediaBox", b"/Junk " + b"<<" * 50_000 + b"/MediaBox")
    path = write(tmp_path, "nested.pdf", pdf)
    with pytest.raises(ReportReadError, match=r"nested\.pdf: corrupt pdf"):
        read_source(path)


# --- memory: every hostile file above, read in a fresh process ----------------------------------

MEMORY_PROBE = textwrap.dedent(
    """
    import json, resource, sys, warnings
    from pathlib import Path
    from cwg_analysis.errors import CwgAnalysisError
    from cwg_analysis.reading import read_source
    warnings.simplefilter("ignore")
    outcome = {}
    for path in sys.argv[1:]:
        try:
            read_source(path)
            outcome[path] = "read"
        except CwgAnalysisError as exc:
            outcome[path] = type(exc).__name__
    # VmHWM is this process's own peak; ru_maxrss would also count the parent's memory at the
    # fork before exec.
    status = Path("/proc/self/status")
    peak = [line.split()[1] for line in status.read_text().splitlines() if line.startswith("VmHWM")]
    kb = int(peak[0]) if peak else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    outcome["peak_mb"] = kb / 1024
    print(json.dumps(outcome))
    """
)


def test_no_hostile_file_takes_the_reader_past_300_mb(tmp_path, xml_bomb, pdf_bomb):
    files = {
        "double.pdf": minimal_pdf(
            deflate_zeros(PDF_TEXT, 256), filters=b"[/FlateDecode/FlateDecode]"
        ),
        "one-line.txt": b"1.1 " + b"x" * 50_000_000,
        "junk.txt": random.Random(1).randbytes(20_000_000),
    }
    paths = [str(xml_bomb), str(pdf_bomb)]
    paths += [str(write(tmp_path, name, data)) for name, data in files.items()]
    done = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE, *paths],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    outcome = json.loads(done.stdout)
    peak = outcome.pop("peak_mb")
    assert sorted(outcome.values()) == [
        "ReportReadError",
        "UnsafeFileError",
        "UnsafeFileError",
        "UnsafeFileError",
        "UnsafeFileError",
    ]
    assert peak < 300, f"peak memory {peak:.0f} MB"


# --- data guards: reference CSVs, the corpus build ------------------------------------------------


def edit_cells(path: Path, edits: dict[tuple[int, str], str], extra_rows: int = 0) -> None:
    """Set cells of a CSV by (row, column), row 0 being file line 2; copy the first rows below."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    for (row, column), value in edits.items():
        assert column in fields, column
        rows[row][column] = value
    rows += [dict(rows[i]) for i in range(extra_rows)]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.parametrize(
    ("file", "row", "column", "value", "what"),
    [
        ("consultations.csv", 0, "decided_by", "parliament", "not in the vocabulary"),
        ("consultation_responses.csv", 0, "responses", "23.5", "not a whole number"),
        ("countries.csv", 3, "is_uncertain", "perhaps", "not true/false"),
        ("groups.csv", 1, "group_kind", "continent", "not in the vocabulary"),
        ("group_members.csv", 4, "joined_year", "1990s", "not a whole number"),
        ("topics.csv", 2, "origin", "res1306", "not in the vocabulary"),
        ("meetings.csv", 5, "start_date", "2014-02-30", "not an ISO date"),
    ],
    ids=lambda value: value if isinstance(value, str) and value.endswith(".csv") else None,
)
def test_a_bad_cell_in_any_reference_csv_is_reported_with_its_file_line_and_column(
    tmp_path, monkeypatch, file, row, column, value, what
):
    from cwg_analysis import loading

    data = use_root(monkeypatch, copy_data(tmp_path))
    edit_cells(data / "reference" / file, {(row, column): value})
    expected = f"{file}:{row + 2}: column {column}: {what}: {value!r}"
    if file == "meetings.csv":
        _, problems = loading.read_meetings_csv(data / "reference")
        assert expected in [problem.message for problem in problems]
    else:
        loader = getattr(loading, f"load_{file.removesuffix('.csv')}")
        with pytest.raises(DataValidationError, match=re.escape(expected)):
            loader()


def test_namibia_na_and_other_null_looking_words_are_read_as_text(tmp_path, monkeypatch):
    from cwg_analysis import loading
    from cwg_analysis.countries import country_codes

    data = use_root(monkeypatch, copy_data(tmp_path))
    countries = data / "reference" / "countries.csv"
    with countries.open(encoding="utf-8") as handle:
        namibia = next(
            i for i, row in enumerate(csv.DictReader(handle)) if row["name"] == "Namibia"
        )
    words = ["N/A", "null", "None", "nan", "NaN", "#N/A"]
    edits = {(namibia, "aliases"): "NA"}
    edits |= {(namibia + 1 + i, "note"): word for i, word in enumerate(words)}
    edit_cells(countries, edits)
    table = loading.load_countries().set_index("name")
    assert table.loc["Namibia", "aliases"] == "NA"
    assert table["note"].iloc[namibia + 1 : namibia + 1 + len(words)].tolist() == words
    assert country_codes(["NA", "Namibia"]) == ["NAM", "NAM"]


def test_duplicate_keys_dangling_references_and_unknown_values_are_reported_at_once(
    tmp_path, monkeypatch
):
    """One run must list every problem of a table, not stop at the first kind."""
    from cwg_analysis import loading

    data = use_root(monkeypatch, copy_data(tmp_path))
    consultations = data / "reference" / "consultations.csv"
    edit_cells(
        consultations, {(1, "decided_by"): "parliament", (2, "launching_meeting"): "99"}, 1
    )  # the first row copied to the end: a duplicate consultation_id
    with pytest.raises(DataValidationError) as raised:
        loading.load_consultations()
    message = str(raised.value)
    assert "consultations.csv:3: column decided_by: not in the vocabulary: 'parliament'" in message
    assert "consultations.csv:4: column launching_meeting: not in meetings_csv: 99" in message
    assert re.search(r"consultations\.csv:\d+: fails duplicate key: '2013-02'", message), message


def test_validate_data_reports_the_problems_of_every_broken_csv_together(tmp_path, monkeypatch):
    from cwg_analysis import loading

    data = use_root(monkeypatch, copy_data(tmp_path))
    edit_cells(data / "reference" / "groups.csv", {(0, "group_kind"): "continent"})
    edit_cells(data / "reference" / "topics.csv", {(0, "origin"): "res1306"})
    problems = loading.validate_data()
    assert "groups.csv:2: column group_kind: not in the vocabulary: 'continent'" in problems
    assert "topics.csv:2: column origin: not in the vocabulary: 'res1306'" in problems


def snapshot(processed: Path) -> dict[str, bytes]:
    """Return the bytes of every output file of a corpus (not its cache)."""
    return {
        str(path.relative_to(processed)): path.read_bytes()
        for path in sorted(processed.rglob("*"))
        if path.is_file() and "_cache" not in path.parts
    }


def test_a_build_failing_on_a_broken_csv_leaves_the_previous_corpus_intact(tmp_path, monkeypatch):
    from cwg_analysis.corpus import build_corpus

    data = use_root(monkeypatch, copy_data(tmp_path))
    build_corpus()
    before = snapshot(data / "processed")
    assert "paragraphs.parquet" in " ".join(before)
    seed = data / "raw" / "reports" / SEED_TXT.name
    seed.write_text(seed.read_text(encoding="utf-8") + "9.4 A paragraph added.\n", "utf-8")
    edit_cells(data / "reference" / "meetings.csv", {(5, "start_date"): "2014-02-30"})
    with pytest.raises(CwgAnalysisError, match=r"meetings\.csv"):
        build_corpus()
    assert snapshot(data / "processed") == before


def test_an_interrupted_commit_never_serves_a_mix_of_old_and_new_tables(tmp_path, monkeypatch):
    from cwg_analysis import corpus, loading

    data = use_root(monkeypatch, copy_data(tmp_path))
    corpus.build_corpus()
    seed = data / "raw" / "reports" / SEED_TXT.name
    seed.write_text(seed.read_text(encoding="utf-8") + "9.4 A paragraph added.\n", "utf-8")
    calls = []
    real_replace = os.replace

    def interrupted(source, target):  # Ctrl-C after the first table is moved into place
        calls.append(target)
        if len(calls) == 2:
            raise KeyboardInterrupt
        real_replace(source, target)

    with monkeypatch.context() as patch:
        patch.setattr(corpus.os, "replace", interrupted)
        with pytest.raises(KeyboardInterrupt):
            corpus.build_corpus()
    assert corpus.is_corpus_stale()
    paragraphs = loading.load_paragraphs()  # the loader rebuilds before it reads
    assert paragraphs["text"].iloc[-1] == "A paragraph added."
    assert not corpus.is_corpus_stale()
    assert not list((data / "processed").rglob(".tmp-*"))


def test_a_hostile_report_in_the_corpus_is_skipped_with_its_reason(tmp_path, monkeypatch, xml_bomb):
    from cwg_analysis.corpus import build_corpus

    data = use_root(monkeypatch, copy_data(tmp_path))
    shutil.copy(xml_bomb, data / "raw" / "reports" / "cwg-internet-12-bomb.docx")
    summary = build_corpus()
    assert summary.reports_read == ("cwg-internet-11-final-report.txt", "cwg-internet-12-bomb.docx")
    [(name, reason)] = summary.reports_skipped
    assert name == "cwg-internet-12-bomb.docx"
    assert re.search(r"cannot be read: .*bomb\.docx:word/document\.xml: part too large", reason)


# --- output guards: hostile strings in the data, rendered by the project's own notebooks ----------

HOSTILE_SCRIPT = "<script>alert(1)</script>"
HOSTILE_IMG = "<img src=x onerror=alert(1)>"
NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


@pytest.fixture(scope="module")
def hostile_reports(tmp_path_factory) -> Path:
    """Render the project's notebooks from data whose strings are markup; return the HTML folder.

    The strings reach tables (a document title, a statement, a venue, a chair, a stakeholder
    label, a consultation topic), figure labels and alt texts (a country, a group, a topic).
    """
    from cwg_analysis.corpus import build_corpus
    from cwg_analysis.rendering import render_reports

    root = tmp_path_factory.mktemp("hostile")
    data = root / "data"
    shutil.copytree(REPO_DATA / "reference", data / "reference")
    (data / "raw" / "reports").mkdir(parents=True)
    shutil.copytree(NOTEBOOKS, root / "notebooks")
    seed = SEED_TXT.read_text(encoding="utf-8")
    for old, new in [
        ("Secretariat report on ITU Internet", f"Secretariat report {HOSTILE_IMG} on ITU Internet"),
        (
            "some Member States supported the various parts.",
            f"some Member States supported the various parts {HOSTILE_SCRIPT}.",
        ),
    ]:
        assert old in seed
        seed = seed.replace(old, new, 1)
    (data / "raw" / "reports" / SEED_TXT.name).write_text(seed, encoding="utf-8")
    reference = data / "reference"

    def row_of(file: str, column: str, value: str) -> int:
        with (reference / file).open(encoding="utf-8") as handle:
            return next(i for i, row in enumerate(csv.DictReader(handle)) if row[column] == value)

    edit_cells(
        reference / "meetings.csv",
        {
            (row_of("meetings.csv", "meeting", "11"), "venue"): f"Geneva {HOSTILE_SCRIPT}",
            (row_of("meetings.csv", "meeting", "11"), "chair"): HOSTILE_IMG,
        },
    )
    russia = row_of("countries.csv", "country_code", "RUS")
    edit_cells(
        reference / "countries.csv",
        {
            (russia, "name"): f"Russia {HOSTILE_IMG}",
            (russia, "aliases"): "Russian Federation;Russia",
        },
    )
    edit_cells(
        reference / "groups.csv", {(row_of("groups.csv", "group_id", "C"), "name"): HOSTILE_SCRIPT}
    )
    edit_cells(reference / "topics.csv", {(0, "label"): f"Multilingual {HOSTILE_SCRIPT}"})
    edit_cells(
        reference / "consultations.csv",
        {(row_of("consultations.csv", "consultation_id", "2017-10"), "topic"): HOSTILE_IMG},
    )
    edit_cells(reference / "consultation_responses.csv", {(0, "source_label"): HOSTILE_SCRIPT})
    build_corpus(
        raw_dir=data / "raw" / "reports", processed_dir=data / "processed", reference_dir=reference
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CWG_ANALYSIS_ROOT", str(root))  # the kernels read this copy of the data
        render_reports(
            jobs=2,
            notebooks_dir=root / "notebooks",
            output_dir=root / "reports",
            data_dir=data,
            list_meetings=lambda: [11],
        )
    return root / "reports"


def parse_page(path: Path):
    from bs4 import BeautifulSoup

    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.mark.slow
def test_hostile_strings_in_the_data_never_become_markup_in_any_report(hostile_reports):
    pages = sorted(hostile_reports.glob("*.html"))
    assert [p.name for p in pages] == [
        "01-participation.html",
        "02-positions.html",
        "03-trends.html",
        "04-consultations.html",
        "05-meeting-brief-11.html",
        "index.html",
    ]
    for path in pages:
        soup = parse_page(path)
        assert soup.find_all(["script", "iframe", "object", "embed"]) == [], path.name
        handlers = [
            (tag.name, a) for tag in soup.find_all(True) for a in tag.attrs if a.startswith("on")
        ]
        assert handlers == [], path.name
        sources = [img["src"][:11] for img in soup.find_all("img")]
        assert set(sources) <= {"data:image/"}, path.name


@pytest.mark.slow
@pytest.mark.parametrize(
    ("page", "shown"),
    [
        (
            "05-meeting-brief-11.html",
            [f"Geneva {HOSTILE_SCRIPT}", HOSTILE_IMG, f"Secretariat report {HOSTILE_IMG}"],
        ),
        ("02-positions.html", [HOSTILE_SCRIPT]),
        ("04-consultations.html", [HOSTILE_IMG, HOSTILE_SCRIPT]),
        ("01-participation.html", [f"Russia {HOSTILE_IMG}", HOSTILE_SCRIPT]),
    ],
)
def test_hostile_strings_are_shown_as_the_text_they_are(hostile_reports, page, shown):
    text = parse_page(hostile_reports / page).get_text(" ")
    for string in shown:
        assert string in text, (page, string)


@pytest.mark.slow
def test_hostile_figure_labels_are_escaped_in_alt_texts(hostile_reports):
    alts = [
        " ".join(img["alt"].split())
        for page in sorted(hostile_reports.glob("*.html"))
        for img in parse_page(page).find_all("img")
    ]
    assert alts and all(alts)
    for label in (f"Multilingual {HOSTILE_SCRIPT}", f"Russia {HOSTILE_IMG}"):
        assert any(label in alt for alt in alts), label


@pytest.mark.slow
@pytest.mark.browser
def test_no_hostile_string_runs_as_script_in_a_browser(hostile_reports):
    """Open every page in headless Chromium, network blocked: no alert, no error, no request."""
    chromium = Path(os.environ.get("CWG_CHROMIUM", "/usr/bin/chromium"))
    if os.environ.get("CI"):  # the check must run under CI: a missing browser fails
        import playwright.sync_api as sync_api
    else:
        sync_api = pytest.importorskip("playwright.sync_api")
    if not chromium.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{chromium} not found: the browser check must run under CI")
        pytest.skip(f"{chromium} not found")
    events: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(chromium), args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        for page in sorted(hostile_reports.glob("*.html")):
            tab = browser.new_page()
            tab.route(
                "**/*",
                lambda route: (
                    route.continue_()
                    if route.request.url.startswith(("file:", "data:"))
                    else (events.append(f"request {route.request.url}"), route.abort())
                ),
            )
            tab.on(
                "dialog", lambda d, p=page.name: (events.append(f"{p}: {d.message}"), d.dismiss())
            )
            tab.on("pageerror", lambda e, p=page.name: events.append(f"{p}: {e}"))
            tab.goto(page.as_uri(), wait_until="load")
            tab.close()
        browser.close()
    assert events == []


def test_an_interrupted_render_leaves_the_previous_page_and_no_temporary_file(
    tmp_path, monkeypatch
):
    from cwg_analysis import rendering

    notebooks, output, data = tmp_path / "notebooks", tmp_path / "reports", tmp_path / "data"
    notebooks.mkdir()
    data.mkdir()
    notebook = notebooks / "01-note.ipynb"

    def write_notebook(title: str) -> None:
        cells = [{"cell_type": "markdown", "metadata": {}, "source": f"# {title}"}]
        notebook.write_text(
            json.dumps(
                {
                    "cells": cells,
                    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
                    "nbformat": 4,
                    "nbformat_minor": 5,
                }
            ),
            encoding="utf-8",
        )

    def render():
        return rendering.render_reports(
            jobs=1, notebooks_dir=notebooks, output_dir=output, data_dir=data, list_meetings=list
        )

    write_notebook("First version")
    render()
    before = (output / "01-note.html").read_bytes()
    write_notebook("Second version")
    real_replace = os.replace

    def interrupted(source, target):
        if str(target).endswith("01-note.html"):
            raise KeyboardInterrupt  # Ctrl-C as the new page is moved into place
        real_replace(source, target)

    with monkeypatch.context() as patch:
        patch.setattr(rendering.os, "replace", interrupted)
        with pytest.raises(KeyboardInterrupt):
            render()
    assert (output / "01-note.html").read_bytes() == before
    assert [p.name for p in output.iterdir() if p.name.endswith(".tmp")] == []
    render()
    assert b"Second version" in (output / "01-note.html").read_bytes()
