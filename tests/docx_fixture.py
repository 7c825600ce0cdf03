"""Build a Word (.docx) version of the seed report, the way ITU's document system writes one.

The eleventh meeting's report exists in the project only as converted text. This module rebuilds
it as a .docx with python-docx: the ITU header table at the top (meeting, venue, dates, document
symbol, date), headings and numbered paragraphs numbered by Word itself (one multi-level list:
"1.", "1.1", "5.4.1"; the numbers are NOT in the text runs), Word bullets ("•" from the Symbol
font and "-" for the dashed list), Word bookmarks where the converter left "[bookmark: ...]",
a "- N -" page number in the page header from page 2 on, and, with ``word_features=True``, a
tracked insertion and deletion and two content controls.

The header values come from the public fact base (WG-Internet 11/11, 29 January 2018, eleventh
meeting, Geneva, 25-26 January 2018; https://docsbay.net/cwg-internet-report). The layout of the
header table is modelled on ITU documents; it is not a copy of the original file.

Used by tests/test_reading_docx.py and by tests/data/make_pdf_fixture.py; other tests may build
variants with the keyword arguments.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

ROOT = Path(__file__).resolve().parents[1]
SEED_TXT = ROOT / "data" / "raw" / "reports" / "cwg-internet-11-final-report.txt"

HEADER_ROWS = (
    (
        "Council Working Group on International Internet-related Public Policy Issues",
        "Eleventh meeting – Geneva, 25-26 January 2018",
    ),
    ("Document WG-Internet 11/11-E",),
    ("29 January 2018",),
    ("English only",),
)
LIST_NUM_ID = 90  # headings (level 0) and numbered paragraphs (levels 1 and 2)
BULLET_NUM_ID = 91  # "•" bullets
DASH_NUM_ID = 92  # "-" bullets
# The tracked change put into bullet 7.3.1 with word_features=True.
TRACKED_PARAGRAPH = "The Group thanked UAE for their generous support in hosting PP-18."
TRACKED_INSERTION = "for their generous support"
TRACKED_DELETION = "for the deleted words that must not appear"

_ARTEFACT = re.compile(r"\[bookmark: ([^\]]+)\]")
_NUMBERED = re.compile(r"\s*(\d)\.\s?(\d)(?:\.(\d))?\.?\t(?P<text>.*)")
_HEADING = re.compile(r"\s*(\d)\.\s*(?P<text>.*)")


@dataclass(frozen=True)
class Block:
    """One paragraph of the seed: its list (None, "list", "bullet", "dash"), level and text."""

    style: str | None
    level: int
    text: str
    number: tuple[int, ...] = ()
    bookmarks: tuple[str, ...] = ()


def seed_blocks(path: Path = SEED_TXT) -> Iterator[Block]:
    """Yield the seed report's lines as paragraphs to write, with the numbers they carried."""
    for line in path.read_text(encoding="utf-8").splitlines():
        bookmarks = tuple(_ARTEFACT.findall(line))
        line = _ARTEFACT.sub("", line)
        numbered = _NUMBERED.fullmatch(line)
        heading = _HEADING.fullmatch(line)
        if numbered:
            number = tuple(int(n) for n in numbered.groups()[:3] if n is not None)
            yield Block("list", len(number) - 1, numbered["text"], number, bookmarks)
        elif heading:
            yield Block("list", 0, heading["text"], (int(line.split(".")[0]),), bookmarks)
        elif line.startswith("· "):
            yield Block("bullet", 0, line[2:], (), bookmarks)
        elif line.startswith("-\u00a0"):
            yield Block("dash", 0, line[2:].lstrip(), (), bookmarks)
        else:
            yield Block(None, 0, line, (), bookmarks)


def build_report_docx(path: Path, *, word_features: bool = True) -> Path:
    """Write the seed report as a .docx at ``path`` and return the path."""
    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(12)
    normal.paragraph_format.space_before = Pt(6)
    normal.paragraph_format.space_after = Pt(0)
    _add_numbering(document)
    _number_heading_style(document)
    _add_page_header(document)
    _add_header_table(document, word_features=word_features)
    counters = [0, 0, 0]
    for block in seed_blocks():
        paragraph = _add_block(document, block)
        if block.style == "list":
            counters[block.level] += 1
            counters[block.level + 1 :] = [0] * (2 - block.level)
            if tuple(counters[: block.level + 1]) != block.number:
                raise ValueError(f"Word would number {block.text!r} as {counters}")
        if word_features and block.text == TRACKED_PARAGRAPH:
            _add_tracked_change(paragraph)
        if word_features and block.text.startswith("All Member States were encouraged"):
            _wrap_in_content_control(paragraph._p)
    document.save(path)
    return path


def _add_numbering(document: docx.document.Document) -> None:
    """Add a multi-level decimal list and two bullet lists to the numbering part."""
    numbering = document.part.numbering_part.element
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        + ('<w:pStyle w:val="Heading1"/>' if i == 0 else "")
        + f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{567 * (i + 1)}" w:hanging="567"/></w:pPr></w:lvl>'
        for i, text in enumerate(("%1.", "%1.%2", "%1.%2.%3"))
    )
    definitions = [
        (LIST_NUM_ID, f'<w:multiLevelType w:val="multilevel"/>{levels}'),
        (BULLET_NUM_ID, _bullet_level("\uf0b7", "Symbol")),
        (DASH_NUM_ID, _bullet_level("-", "Times New Roman")),
    ]
    first_num = numbering.find(qn("w:num"))
    for num_id, body in definitions:
        abstract = parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{num_id}">{body}</w:abstractNum>'
        )
        first_num.addprevious(abstract)
        numbering.append(
            parse_xml(
                f'<w:num {nsdecls("w")} w:numId="{num_id}">'
                f'<w:abstractNumId w:val="{num_id}"/></w:num>'
            )
        )


def _bullet_level(sign: str, font: str) -> str:
    """Return a single bullet level in the given font."""
    return (
        '<w:multiLevelType w:val="singleLevel"/><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        f'<w:numFmt w:val="bullet"/><w:lvlText w:val="{sign}"/><w:lvlJc w:val="left"/>'
        '<w:pPr><w:ind w:left="567" w:hanging="567"/></w:pPr>'
        f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:hint="default"/></w:rPr></w:lvl>'
    )


def _number_heading_style(document: docx.document.Document) -> None:
    """Number "Heading 1" through its style, as ITU templates do."""
    style = document.styles["Heading 1"]
    style.font.size = Pt(12)
    style.paragraph_format.space_before = Pt(12)
    num_pr = style.element.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_numId().val = LIST_NUM_ID


def _add_page_header(document: docx.document.Document) -> None:
    """Put "- N -" (a PAGE field) in the header of every page but the first."""
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("- ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), " PAGE ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    paragraph.add_run(" -")


def _add_header_table(document: docx.document.Document, *, word_features: bool) -> None:
    """Add the ITU header table: meeting and venue, symbol, date, language."""
    table = document.add_table(rows=len(HEADER_ROWS), cols=2)
    for row, texts in zip(table.rows, HEADER_ROWS, strict=True):
        cell = row.cells[0] if len(texts) > 1 else row.cells[1]
        cell.paragraphs[0].text = texts[0]
        for text in texts[1:]:
            cell.add_paragraph(text)
    if word_features:
        symbol = table.rows[1].cells[1].paragraphs[0]
        runs = list(symbol._p.iter(qn("w:r")))
        control = parse_xml(
            f'<w:sdt {nsdecls("w")}><w:sdtPr><w:alias w:val="Document number"/></w:sdtPr>'
            "<w:sdtContent/></w:sdt>"
        )
        for run in runs:
            control[1].append(run)
        symbol._p.append(control)


def _add_block(document: docx.document.Document, block: Block) -> docx.text.paragraph.Paragraph:
    """Add one seed paragraph with its Word list, level and bookmarks."""
    if block.style == "list" and block.level == 0:
        paragraph = document.add_paragraph(block.text, style="Heading 1")
    else:
        paragraph = document.add_paragraph(block.text)
        if block.style is not None:
            num_id = {"list": LIST_NUM_ID, "bullet": BULLET_NUM_ID, "dash": DASH_NUM_ID}
            num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = block.level
            num_pr.get_or_add_numId().val = num_id[block.style]
    for i, name in enumerate(block.bookmarks):
        start = parse_xml(f'<w:bookmarkStart {nsdecls("w")} w:id="{i}" w:name="{name}"/>')
        paragraph._p.insert(1, start)
        paragraph._p.append(parse_xml(f'<w:bookmarkEnd {nsdecls("w")} w:id="{i}"/>'))
    return paragraph


def _add_tracked_change(paragraph: docx.text.paragraph.Paragraph) -> None:
    """Rewrite the paragraph as plain text + a tracked insertion + a tracked deletion."""
    before, after = paragraph.text.split(TRACKED_INSERTION)
    for run in list(paragraph.runs):
        run._r.getparent().remove(run._r)
    paragraph.add_run(before)
    author = 'w:author="Secretariat" w:date="2018-01-29T00:00:00Z"'
    paragraph._p.append(
        parse_xml(
            f'<w:ins {nsdecls("w")} w:id="101" {author}><w:r><w:t xml:space="preserve">'
            f"{TRACKED_INSERTION}</w:t></w:r></w:ins>"
        )
    )
    paragraph._p.append(
        parse_xml(
            f'<w:del {nsdecls("w")} w:id="102" {author}><w:r><w:delText xml:space="preserve">'
            f" {TRACKED_DELETION}</w:delText></w:r></w:del>"
        )
    )
    paragraph.add_run(after)


def _wrap_in_content_control(p: docx.oxml.text.paragraph.CT_P) -> None:
    """Move a body paragraph into a block-level content control (w:sdt)."""
    control = parse_xml(
        f'<w:sdt {nsdecls("w")}><w:sdtPr><w:alias w:val="Actions"/></w:sdtPr>'
        "<w:sdtContent/></w:sdt>"
    )
    p.addprevious(control)
    control[1].append(p)
