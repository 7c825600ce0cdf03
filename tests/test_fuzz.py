"""A bounded mutation fuzz of the readers, seeded with the real report in its three formats.

Each example mutates the seed (.txt bytes or text, the .docx package or its XML, the .pdf bytes)
and reads it. Whatever the input: no exception outside the project's family, no input slower
than 2 s (hypothesis' deadline), and for any report that reads, the inventory holds (every
non-space character of the text lies in a paragraph or a unit dropped by a named rule) and its
paragraph ids are unique.

The budget is fixed: a set number of examples per test, drawn deterministically
(``derandomize``), about 30 s in all on one core. For a longer, random run:
``CWG_FUZZ_SCALE=20 .venv/bin/python -m pytest tests/test_fuzz.py``.
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import re
import signal
import warnings
import zipfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from docx_fixture import SEED_TXT, build_report_docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_reading import assert_inventory_complete

from cwg_analysis.errors import CwgAnalysisError
from cwg_analysis.reading import Source, read_source
from cwg_analysis.report import read_report

PDF_SEED = Path(__file__).resolve().parent / "data" / "cwg-internet-11-final-report.pdf"
SCALE = int(os.environ.get("CWG_FUZZ_SCALE", "1"))
HANG = 30  # seconds: an input this slow is a hang; fail instead of blocking the run

# Pieces of text that steer the reader's rules: numbering, bullets, artefacts, furniture, breaks.
TEXT_TOKENS = [
    "\n",
    "\r\n",
    "\r",
    "\f",
    "\x0b",
    "\u2028",
    "\t",
    "\u00a0",
    " ",
    "1.",
    "5. 2\t",
    "9.9.9.9.9 ",
    "12.",
    "· ",
    "•\t",
    "- ",
    "–",
    "o\t",
    "[bookmark: _Hlk504716038]",
    "[bookmark: ",
    "]",
    "- 3 -",
    "Page 2 of 9",
    "WG-Internet 11/3",
    "CWG-FHR 8/19",
    "OPCWGINT6/2",
    "Contribution ",
    " from the Russian Federation, India and ",
    "Some Member States supported ",
    "some other Member States did not support ",
    "The Chairman ",
    "eleventh meeting ",
    "25-26 January 2018",
    "“",
    "”",
    "’",
    ":",
    ";",
    ".",
    "é",
    "\U0001f600",
]
# Pieces of WordprocessingML that steer the .docx reader: lists, tracked changes, controls, notes.
XML_TOKENS = [
    b"<w:p>",
    b"</w:p>",
    b"<w:r><w:t>1.1 Text</w:t></w:r>",
    b"<w:ins><w:r><w:t>inserted</w:t></w:r></w:ins>",
    b"<w:del><w:r><w:delText>deleted</w:delText></w:r></w:del>",
    b"<w:sdt><w:sdtContent>",
    b"</w:sdtContent></w:sdt>",
    b'<w:pPr><w:numPr><w:ilvl w:val="2"/><w:numId w:val="90"/></w:numPr></w:pPr>',
    b'<w:pPr><w:numPr><w:ilvl w:val="99"/><w:numId w:val="91"/></w:numPr></w:pPr>',
    b'<w:sym w:char="F0B7"/>',
    b"<w:tab/>",
    b"<w:br/>",
    b'<w:pStyle w:val="Heading1"/>',
    b"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>cell</w:t></w:r></w:p></w:tc></w:tr></w:tbl>",
    b"&amp;",
    b"<",
    b">",
    b'"',
]

_MUTATION = st.tuples(
    st.sampled_from(["flip", "insert", "delete", "duplicate", "truncate"]),
    st.floats(min_value=0, max_value=1, allow_nan=False),
    st.integers(min_value=1, max_value=512),
    st.binary(min_size=1, max_size=16),
)
MUTATIONS = st.lists(_MUTATION, min_size=1, max_size=4)


def fuzz_settings(examples: int):
    """Return the settings of one fuzz test: a fixed number of examples, each within 2 s."""
    return settings(
        max_examples=examples * SCALE,
        deadline=timedelta(seconds=2),
        derandomize=SCALE == 1,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )


def mutate(data: bytes, mutations: list[tuple[str, float, int, bytes]]) -> bytes:
    """Apply byte mutations: flip, insert, delete, duplicate a run, or truncate."""
    out = bytearray(data)
    for kind, where, size, chunk in mutations:
        at = int(where * len(out))
        if kind == "flip" and out:
            at = min(at, len(out) - 1)
            out[at] ^= chunk[0] or 0xFF
        elif kind == "insert":
            out[at:at] = chunk
        elif kind == "delete":
            del out[at : at + size]
        elif kind == "duplicate":
            out[at:at] = out[at : at + size]
        elif kind == "truncate":
            del out[at:]
    return bytes(out)


def splice(text, pieces: list[tuple[float, object]]):
    """Insert each piece at its relative position (text or bytes alike)."""
    for where, piece in pieces:
        at = int(where * len(text))
        text = text[:at] + piece + text[at:]
    return text


@contextlib.contextmanager
def hang_guard(seconds: int = HANG) -> Iterator[None]:
    """Fail an input that runs for ``seconds`` instead of letting it block the test run."""

    def expire(signum, frame):
        raise TimeoutError(f"the reader ran for {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def read_checked(path: Path) -> Source | None:
    """Read a file: a project error is an answer; anything else fails; a read keeps its units."""
    with hang_guard(), warnings.catch_warnings():
        warnings.simplefilter("ignore", UnicodeWarning)
        try:
            source = read_source(path)
        except CwgAnalysisError:
            return None
    assert source.paragraphs["para_id"].is_unique
    assert_inventory_complete(source)
    return source


@functools.cache
def seed_docx_members() -> dict[str, bytes]:
    path = build_report_docx(Path(os.environ.get("TMPDIR", "/tmp")) / f"fuzz-{os.getpid()}.docx")
    with zipfile.ZipFile(path) as package:
        members = {name: package.read(name) for name in package.namelist()}
    path.unlink()
    return members


def zip_members(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in members.items():
            package.writestr(name, data)
    return buffer.getvalue()


@functools.cache
def pdf_seed() -> bytes:
    """Return the seed PDF with its page tree cut to the first 3 pages, all else byte for byte.

    Reading all 10 pages takes 0.6-1.3 s, too close to the 2 s deadline on a busy machine;
    3 pages take about 0.2 s. The other pages' objects stay in the file, to be mutated too.
    """
    data = PDF_SEED.read_bytes()
    tree = re.search(rb"/Kids\[([^\]]*)\]\s*/Count (\d+)", data)
    kids = b" " + b" ".join(re.findall(rb"\d+ 0 R", tree.group(1))[:3]) + b" "
    cut = (
        data[: tree.start(1)]
        + kids.ljust(len(tree.group(1)))
        + data[tree.end(1) : tree.start(2)]
        + b"3".ljust(len(tree.group(2)))
        + data[tree.end(2) :]
    )
    assert len(cut) == len(data)  # the cross-reference offsets still hold
    return cut


@functools.cache
def pdf_structure() -> list[tuple[int, int]]:
    """Return the byte ranges of the PDF seed outside its streams: objects, xref, trailer."""
    data = pdf_seed()
    ranges, start = [], 0
    for stream in re.finditer(rb"stream\r?\n.*?endstream", data, re.DOTALL):
        ranges.append((start, stream.start()))
        start = stream.end()
    ranges.append((start, len(data)))
    return ranges


def structural_offset(where: float) -> float:
    """Map a relative position into the PDF seed's structure (outside its streams)."""
    ranges = pdf_structure()
    total = sum(end - start for start, end in ranges)
    target = int(where * total)
    for start, end in ranges:
        if target < end - start:
            return (start + target) / len(pdf_seed())
        target -= end - start
    return 1.0


# --- .txt -----------------------------------------------------------------------------------


@fuzz_settings(200)
@given(mutations=MUTATIONS)
def test_mutated_seed_text_bytes_read_within_the_family_and_keep_every_unit(tmp_path, mutations):
    path = tmp_path / "mutated.txt"
    path.write_bytes(mutate(SEED_TXT.read_bytes(), mutations))
    read_checked(path)


@fuzz_settings(200)
@given(
    pieces=st.lists(
        st.tuples(
            st.floats(min_value=0, max_value=1, allow_nan=False),
            st.one_of(st.sampled_from(TEXT_TOKENS), st.text(max_size=12)),
        ),
        min_size=1,
        max_size=12,
    ),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le"]),
)
def test_seed_text_with_report_like_pieces_spliced_in_keeps_every_unit(tmp_path, pieces, encoding):
    text = splice(SEED_TXT.read_text(encoding="utf-8"), pieces)
    path = tmp_path / "spliced.txt"
    path.write_bytes(text.encode(encoding, "surrogatepass"))
    read_checked(path)


@fuzz_settings(100)
@given(
    pieces=st.lists(
        st.tuples(
            st.floats(min_value=0, max_value=1, allow_nan=False), st.sampled_from(TEXT_TOKENS)
        ),
        min_size=1,
        max_size=12,
    )
)
def test_seed_text_with_pieces_spliced_in_goes_through_extraction_within_the_family(
    tmp_path, pieces
):
    path = tmp_path / "spliced.txt"
    path.write_text(splice(SEED_TXT.read_text(encoding="utf-8"), pieces), encoding="utf-8")
    with hang_guard(), warnings.catch_warnings(), contextlib.suppress(CwgAnalysisError):
        warnings.simplefilter("ignore", UserWarning)  # extraction's notes on odd listings
        report = read_report(path)
        assert report.statements["para_id"].isin(report.paragraphs["para_id"]).all()


# --- .docx ----------------------------------------------------------------------------------


@fuzz_settings(100)
@given(mutations=MUTATIONS)
def test_mutated_docx_package_bytes_read_within_the_family(tmp_path, mutations):
    path = tmp_path / "mutated.docx"
    path.write_bytes(mutate(zip_members(seed_docx_members()), mutations))
    read_checked(path)


@fuzz_settings(150)
@given(
    part=st.sampled_from(["word/document.xml", "word/numbering.xml", "word/styles.xml"]),
    pieces=st.lists(
        st.tuples(
            st.floats(min_value=0, max_value=1, allow_nan=False),
            st.one_of(st.sampled_from(XML_TOKENS), st.binary(max_size=8)),
        ),
        max_size=6,
    ),
    mutations=st.lists(_MUTATION, max_size=2),
)
def test_docx_with_mutated_xml_reads_within_the_family_and_keeps_every_unit(
    tmp_path, part, pieces, mutations
):
    members = dict(seed_docx_members())
    members[part] = mutate(splice(members[part], pieces), mutations)
    path = tmp_path / "mutated.docx"
    path.write_bytes(zip_members(members))
    read_checked(path)


# --- .pdf -----------------------------------------------------------------------------------


@fuzz_settings(30)
@given(mutations=MUTATIONS)
def test_mutated_pdf_bytes_read_within_the_family_and_keep_every_unit(tmp_path, mutations):
    path = tmp_path / "mutated.pdf"
    path.write_bytes(mutate(pdf_seed(), mutations))
    read_checked(path)


@fuzz_settings(30)
@given(mutations=MUTATIONS)
def test_pdf_with_its_objects_and_xref_mutated_reads_within_the_family(tmp_path, mutations):
    structural = [(kind, structural_offset(where), *rest) for kind, where, *rest in mutations]
    path = tmp_path / "mutated.pdf"
    path.write_bytes(mutate(pdf_seed(), structural))
    read_checked(path)


@pytest.mark.parametrize("seed", [SEED_TXT, PDF_SEED], ids=["txt", "pdf"])
def test_the_unmutated_seeds_read_and_keep_every_unit(seed):
    assert read_checked(seed) is not None


def test_the_cut_pdf_seed_reads_its_first_three_pages(tmp_path):
    path = tmp_path / "cut.pdf"
    path.write_bytes(pdf_seed())
    source = read_checked(path)
    assert source.paragraphs["para_id"].iloc[-1] == "5+1"
    assert source.dropped["text"].tolist() == ["- 2 -", "- 3 -"]
